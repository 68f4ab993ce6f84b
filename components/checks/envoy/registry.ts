/**
 * The Envoy API descriptor registry (components/generated/envoy-api.binpb, built by
 * scripts/build-envoy-descriptors.ts with `npm run build:protos`), loaded once per process, and
 * the protoc-gen-validate options read from its descriptors (cached per descriptor).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
    getOption,
    hasOption,
    toJson,
    type DescExtension,
    type DescField,
    type DescMessage,
    type DescOneof,
    type Registry,
} from "@bufbuild/protobuf";
import { packageRoot } from "../../package-root";
import { LazyFileRegistry } from "./lazy-registry";

const DESCRIPTOR_RELATIVE_PATH = path.join("components", "generated", "envoy-api.binpb");

/** The registry and the PGV extensions found in it. */
export interface Loaded {
    /** Each proto file is built on first use (lazy-registry.ts). */
    registry: Registry;
    rulesExt: DescExtension;
    requiredExt: DescExtension | undefined;
    disabledExt: DescExtension | undefined;
    ignoredExt: DescExtension | undefined;
    typedStructs: Set<string>;
}

let loaded: Loaded | undefined;

export function load(): Loaded {
    if (loaded) return loaded;
    const file = path.join(packageRoot(), DESCRIPTOR_RELATIVE_PATH);
    if (!fs.existsSync(file)) {
        throw new Error(`envoy-validation: the Envoy API descriptor set ${file} is missing; run \`npm run build:protos\` to generate it`);
    }
    const registry = new LazyFileRegistry(fs.readFileSync(file));
    const rulesExt = registry.getExtension("validate.rules");
    if (!rulesExt) {
        throw new Error(`envoy-validation: ${file} lacks validate.rules; rebuild it with \`npm run build:protos\``);
    }
    loaded = {
        registry,
        rulesExt,
        requiredExt: registry.getExtension("validate.required"),
        disabledExt: registry.getExtension("validate.disabled"),
        ignoredExt: registry.getExtension("validate.ignored"),
        typedStructs: new Set(["xds.type.v3.TypedStruct", "udpa.type.v1.TypedStruct"]),
    };
    return loaded;
}

/** Load (once) and return the registry; exported so callers/benchmarks can pre-warm and time it. */
export function envoyRegistry(): Registry {
    return load().registry;
}

let messageNames: string[] | undefined;
/** Every message type name in the registry (for "did you mean"). */
export function allMessageNames(registry: Registry): string[] {
    if (!messageNames) {
        messageNames = [];
        for (const t of registry) if (t.kind === "message") messageNames.push(t.typeName);
    }
    return messageNames;
}

// ---------------------------------------------------------------------------------------------
// PGV option lookup (cached per descriptor)
// ---------------------------------------------------------------------------------------------

/** A PGV rules message in proto3 JSON form (proto field names). */
export type J = { [k: string]: unknown };

const fieldRulesCache = new WeakMap<DescField, J | null>();
const messageRulesOffCache = new WeakMap<DescMessage, boolean>();
const oneofRequiredCache = new WeakMap<DescOneof, boolean>();
const fieldKeyCache = new WeakMap<DescMessage, Map<string, DescField>>();

/** A message's fields by proto name and by JSON name. */
export function keyMap(desc: DescMessage): Map<string, DescField> {
    let m = fieldKeyCache.get(desc);
    if (!m) {
        m = new Map();
        for (const f of desc.fields) {
            m.set(f.name, f);
            m.set(f.jsonName, f);
        }
        fieldKeyCache.set(desc, m);
    }
    return m;
}

/**
 * hasOption/getOption with a registry-resolved (dynamically typed) extension: their generic
 * signatures cannot infer the option's target from a plain DescExtension, so they are re-typed here.
 */
const optHas = hasOption as unknown as (element: DescField | DescMessage | DescOneof, ext: DescExtension) => boolean;
const optGet = getOption as unknown as (element: DescField | DescMessage | DescOneof, ext: DescExtension) => unknown;

export function asJ(v: unknown): J | undefined {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as J) : undefined;
}

/** A field's `(validate.rules)`, if any. */
export function fieldRules(l: Loaded, f: DescField): J | undefined {
    let r = fieldRulesCache.get(f);
    if (r === undefined) {
        r = null;
        const ext = l.rulesExt;
        if (optHas(f, ext)) {
            const value = optGet(f, ext) as never;
            r = (asJ(toJson(ext.message as DescMessage, value, { useProtoFieldName: true })) ?? null) as J | null;
        }
        fieldRulesCache.set(f, r);
    }
    return r ?? undefined;
}

/** Whether a message turns its rules off (`validate.disabled` / `validate.ignored`). */
export function messageRulesOff(l: Loaded, desc: DescMessage): boolean {
    let off = messageRulesOffCache.get(desc);
    if (off === undefined) {
        off = false;
        for (const ext of [l.disabledExt, l.ignoredExt]) {
            if (ext && optHas(desc, ext) && optGet(desc, ext) === true) off = true;
        }
        messageRulesOffCache.set(desc, off);
    }
    return off;
}

/** Whether a oneof must be set (`validate.required`). */
export function oneofRequired(l: Loaded, o: DescOneof): boolean {
    let req = oneofRequiredCache.get(o);
    if (req === undefined) {
        const ext = l.requiredExt;
        req = !!ext && optHas(o, ext) && optGet(o, ext) === true;
        oneofRequiredCache.set(o, req);
    }
    return req;
}
