/**
 * The Envoy API descriptor set as a registry that builds each proto file only when a type of it
 * is asked for. Building all of it (458 files, 1310 message types) costs a `render` process more
 * than checking a hundred bootstraps' worth of one type's file closure: a bootstrap needs some 70
 * files and the few its `typed_config` payloads name. The set is first read shallowly (each file's
 * bytes, name, imports and top-level names, by the wire format alone); a file is decoded and built
 * with its imports when one of its types is looked up, through @bufbuild/protobuf's own
 * `createFileRegistry`, so each descriptor is built by the same code and exactly once. Walking
 * every type (a "did you mean" over all names) builds every file.
 */
import {
    createFileRegistry,
    createRegistry,
    fromBinary,
    type DescEnum,
    type DescExtension,
    type DescFile,
    type DescMessage,
    type DescService,
    type FileRegistry,
    type Registry,
} from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { BinaryReader, WireType } from "@bufbuild/protobuf/wire";

/** One file of the set, read shallowly. */
interface FileEntry {
    bytes: Uint8Array;
    name: string;
    imports: string[];
}

type AnyDesc = DescMessage | DescEnum | DescExtension | DescService;

/** The `name` (field 1) of a DescriptorProto, EnumDescriptorProto, ServiceDescriptorProto or FieldDescriptorProto. */
function nameOf(bytes: Uint8Array): string {
    const r = new BinaryReader(bytes);
    while (r.pos < r.len) {
        const [no, wt] = r.tag();
        if (no === 1 && wt === WireType.LengthDelimited) return r.string();
        r.skip(wt, no);
    }
    return "";
}

/** A FileDescriptorProto's name and its top-level type names (messages, enums, services, extensions) without decoding it. */
function scanFile(bytes: Uint8Array): { name: string; imports: string[]; topNames: string[] } {
    const r = new BinaryReader(bytes);
    let name = "";
    let pkg = "";
    const imports: string[] = [];
    const local: string[] = [];
    while (r.pos < r.len) {
        const [no, wt] = r.tag();
        if (wt !== WireType.LengthDelimited) {
            r.skip(wt, no);
            continue;
        }
        if (no === 1) name = r.string();
        else if (no === 2) pkg = r.string();
        else if (no === 3) imports.push(r.string());
        // message_type, enum_type, service, extension
        else if (no >= 4 && no <= 7) local.push(nameOf(r.bytes()));
        else r.skip(wt, no);
    }
    return { name, imports, topNames: local.map((n) => (pkg ? `${pkg}.${n}` : n)) };
}

/** A registry over a binary FileDescriptorSet that builds each file on first use. */
export class LazyFileRegistry implements Registry {
    readonly kind = "registry";
    private readonly byName = new Map<string, FileEntry>();
    private readonly byTopName = new Map<string, FileEntry>();
    /** Each built file's registry: its own types and every import's. */
    private readonly registries = new Map<string, FileRegistry>();
    private readonly files = new Map<string, DescFile>();
    private readonly shallow = new Map<string, DescFile>();
    private all: Registry | undefined;

    constructor(private readonly set: Uint8Array) {
        const r = new BinaryReader(set);
        while (r.pos < r.len) {
            const [no, wt] = r.tag();
            if (no !== 1 || wt !== WireType.LengthDelimited) {
                r.skip(wt, no);
                continue;
            }
            const bytes = r.bytes();
            const { name, imports, topNames } = scanFile(bytes);
            const entry = { bytes, name, imports };
            this.byName.set(name, entry);
            for (const n of topNames) if (!this.byTopName.has(n)) this.byTopName.set(n, entry);
        }
    }

    /** Build a file after its imports (each once); an import missing from the set fails as a whole-set build would. */
    private build(entry: FileEntry): FileRegistry {
        let registry = this.registries.get(entry.name);
        if (registry) return registry;
        for (const name of entry.imports) {
            const imported = this.byName.get(name);
            if (imported) this.build(imported);
        }
        registry = createFileRegistry(fromBinary(FileDescriptorProtoSchema, entry.bytes), (name) => this.visible(name));
        this.registries.set(entry.name, registry);
        this.files.set(entry.name, registry.getFile(entry.name) as DescFile);
        return registry;
    }

    /**
     * A built import as a new file sees it: its own types and those of the files it imports
     * publicly, and no further (the proto rule). Handing over the file itself would make each new
     * registry add every import of every import again, each time it is reached.
     */
    private visible(name: string): DescFile | undefined {
        let shallow = this.shallow.get(name);
        const file = this.files.get(name);
        if (!shallow && file) {
            const { dependency, publicDependency } = file.proto;
            const reexported = publicDependency.map((i) => this.visible(dependency[i])).filter((f) => f !== undefined);
            shallow = Object.create(file, { dependencies: { value: reexported } }) as DescFile;
            this.shallow.set(name, shallow);
        }
        return shallow;
    }

    /** The registry of the file that defines `typeName` (or a type it is nested in), built; undefined if no file does. */
    private of(typeName: string): FileRegistry | undefined {
        for (let n = typeName; ; n = n.slice(0, n.lastIndexOf("."))) {
            const entry = this.byTopName.get(n);
            if (entry) return this.build(entry);
            if (!n.includes(".")) return undefined;
        }
    }

    get(typeName: string): AnyDesc | undefined {
        return this.of(typeName)?.get(typeName);
    }
    getMessage(typeName: string): DescMessage | undefined {
        return this.of(typeName)?.getMessage(typeName);
    }
    getEnum(typeName: string): DescEnum | undefined {
        return this.of(typeName)?.getEnum(typeName);
    }
    getExtension(typeName: string): DescExtension | undefined {
        return this.of(typeName)?.getExtension(typeName);
    }
    getService(typeName: string): DescService | undefined {
        return this.of(typeName)?.getService(typeName);
    }
    /** An extension may live in any file: every file is built first. */
    getExtensionFor(extendee: DescMessage, no: number): DescExtension | undefined {
        return this.everything().getExtensionFor(extendee, no);
    }
    [Symbol.iterator](): IterableIterator<AnyDesc> {
        return this.everything()[Symbol.iterator]() as IterableIterator<AnyDesc>;
    }

    /**
     * Every type, each the descriptor a lookup hands out, listed in the order a registry of the
     * whole set lists them (a "did you mean" over every name picks the same one among equals).
     */
    private everything(): Registry {
        if (!this.all) {
            const order = createFileRegistry(fromBinary(FileDescriptorSetSchema, this.set));
            this.all = createRegistry(...[...order].map((t) => this.get(t.typeName) ?? t));
        }
        return this.all;
    }
}
