/**
 * Strict validation of Envoy v3 configuration (as plain JS values parsed from Envoy YAML)
 * against Envoy's own API protos, the way Envoy itself loads YAML:
 *
 *  - proto3 JSON mapping (snake_case or lowerCamelCase keys, Durations as strings, wrapper
 *    types as plain values, enums by name, 64-bit integers as numbers or strings, null = unset);
 *  - unknown fields are errors (with a "did you mean" suggestion);
 *  - `google.protobuf.Any` payloads (`typed_config`) are resolved by their `@type` through the
 *    descriptor registry and checked recursively (including xds/udpa TypedStruct payloads);
 *  - the protoc-gen-validate (legacy `validate` package) annotations Envoy carries:
 *    `(validate.rules)`, `(validate.required)` on oneofs, `(validate.disabled)`/`(validate.ignored)`.
 *
 * Parsing of every leaf value (scalars, enums-by-number aside, Durations, Timestamps, wrappers,
 * Struct/Value) is delegated to @bufbuild/protobuf's conformance-tested proto3 JSON parser
 * (`fromJson`). On top of that this module walks the value alongside the descriptors to report
 * every issue with a precise path, and to evaluate the PGV rules. As a final cross-check the
 * whole value is parsed with `fromJson(schema, value, { registry })` (which rejects unknown
 * fields); should that reject something the walker accepted, the failure is narrowed down to the
 * deepest sub-message that still fails to parse.
 *
 * The descriptors come from components/generated/envoy-api.binpb, produced by
 * scripts/build-envoy-descriptors.ts (`npm run build:protos`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { packageRoot } from "../../package-root";
import { closest } from "../../values/suggest";
import { isIP } from "node:net";
import {
    createFileRegistry,
    fromBinary,
    fromJson,
    getOption,
    hasOption,
    ScalarType,
    toJson,
    type DescEnum,
    type DescExtension,
    type DescField,
    type DescMessage,
    type DescOneof,
    type FileRegistry,
    type JsonValue,
    type Registry,
} from "@bufbuild/protobuf";
import {
    BoolValueSchema,
    BytesValueSchema,
    DoubleValueSchema,
    DurationSchema,
    FieldMaskSchema,
    FileDescriptorSetSchema,
    FloatValueSchema,
    Int32ValueSchema,
    Int64ValueSchema,
    ListValueSchema,
    StringValueSchema,
    StructSchema,
    TimestampSchema,
    UInt32ValueSchema,
    UInt64ValueSchema,
    ValueSchema,
} from "@bufbuild/protobuf/wkt";

export interface EnvoyIssue {
    path: string;
    message: string;
}

const DESCRIPTOR_RELATIVE_PATH = path.join("components", "generated", "envoy-api.binpb");
const BOOTSTRAP_TYPE = "envoy.config.bootstrap.v3.Bootstrap";
/** protobuf's default recursion limit for parsing. */
const MAX_DEPTH = 100;

// ---------------------------------------------------------------------------------------------
// Registry (loaded once per process)
// ---------------------------------------------------------------------------------------------

interface Loaded {
    registry: FileRegistry;
    rulesExt: DescExtension;
    requiredExt: DescExtension | undefined;
    disabledExt: DescExtension | undefined;
    ignoredExt: DescExtension | undefined;
    typedStructs: Set<string>;
}

let loaded: Loaded | undefined;

function load(): Loaded {
    if (loaded) return loaded;
    const file = path.join(packageRoot(), DESCRIPTOR_RELATIVE_PATH);
    if (!fs.existsSync(file)) {
        throw new Error(`envoy-validation: the Envoy API descriptor set ${file} is missing; run \`npm run build:protos\` to generate it`);
    }
    const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, fs.readFileSync(file)));
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

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/**
 * Strictly validate `value` (a plain JS object as parsed from Envoy YAML, snake_case field names)
 * as the Envoy message `typeName` (e.g. "envoy.config.cluster.v3.Cluster"). Returns every issue
 * found (empty array = valid). `basePath` prefixes every issue path. Never throws for invalid
 * input (it throws only if the descriptor set has not been built).
 */
export function validateEnvoyMessage(typeName: string, value: unknown, basePath: string): EnvoyIssue[] {
    const l = load();
    const issues: EnvoyIssue[] = [];
    const name = typeName.slice(typeName.lastIndexOf("/") + 1);
    const desc = l.registry.getMessage(name);
    if (!desc) {
        const hint = closest(name, allMessageNames(l.registry), 6);
        return [
            {
                path: basePath,
                message: `unknown Envoy message type "${typeName}"${hint ? ` (did you mean "${hint}"?)` : ""}`,
            },
        ];
    }
    const w = new Walker(l, issues);
    try {
        w.walkMessage(desc, value, basePath, true, 0);
        if (issues.length === 0) w.crossCheck(desc, value, basePath);
    } catch (e) {
        issues.push({ path: basePath, message: `internal validator error: ${errorMessage(e)}` });
    }
    return issues;
}

/** Same for a whole bootstrap, typeName envoy.config.bootstrap.v3.Bootstrap. */
export function validateEnvoyBootstrap(bootstrap: unknown, basePath: string): EnvoyIssue[] {
    return validateEnvoyMessage(BOOTSTRAP_TYPE, bootstrap, basePath);
}

// ---------------------------------------------------------------------------------------------
// Paths, descriptions, suggestions
// ---------------------------------------------------------------------------------------------

function joinField(base: string, key: string): string {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? (base === "" ? key : `${base}.${key}`) : `${base}[${JSON.stringify(key)}]`;
}
function joinIndex(base: string, i: number): string {
    return `${base}[${i}]`;
}

function describe(v: unknown): string {
    if (v === null) return "null";
    if (v === undefined) return "nothing (undefined)";
    if (typeof v === "string") return JSON.stringify(v);
    if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
    if (Array.isArray(v)) return "a list";
    if (v instanceof Date) return `a date (${isNaN(v.getTime()) ? "invalid" : v.toISOString()}; quote it in YAML)`;
    if (typeof v === "object") return "an object";
    return `a ${typeof v}`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
    const proto = Object.getPrototypeOf(v);
    return proto === Object.prototype || proto === null;
}

function errorMessage(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

let messageNames: string[] | undefined;
function allMessageNames(registry: FileRegistry): string[] {
    if (!messageNames) {
        messageNames = [];
        for (const t of registry) if (t.kind === "message") messageNames.push(t.typeName);
    }
    return messageNames;
}

// ---------------------------------------------------------------------------------------------
// Scalars (validity decided by bufbuild's proto3 JSON parser via the wrapper WKTs)
// ---------------------------------------------------------------------------------------------

type ScalarValue = number | bigint | string | boolean | Uint8Array;

const WRAPPER_OF_SCALAR: Record<ScalarType, DescMessage> = {
    [ScalarType.DOUBLE]: DoubleValueSchema,
    [ScalarType.FLOAT]: FloatValueSchema,
    [ScalarType.INT64]: Int64ValueSchema,
    [ScalarType.SINT64]: Int64ValueSchema,
    [ScalarType.SFIXED64]: Int64ValueSchema,
    [ScalarType.UINT64]: UInt64ValueSchema,
    [ScalarType.FIXED64]: UInt64ValueSchema,
    [ScalarType.INT32]: Int32ValueSchema,
    [ScalarType.SINT32]: Int32ValueSchema,
    [ScalarType.SFIXED32]: Int32ValueSchema,
    [ScalarType.UINT32]: UInt32ValueSchema,
    [ScalarType.FIXED32]: UInt32ValueSchema,
    [ScalarType.BOOL]: BoolValueSchema,
    [ScalarType.STRING]: StringValueSchema,
    [ScalarType.BYTES]: BytesValueSchema,
};

/** google.protobuf.*Value wrapper type name -> wrapped scalar type. */
const SCALAR_OF_WRAPPER = new Map<string, ScalarType>([
    ["google.protobuf.DoubleValue", ScalarType.DOUBLE],
    ["google.protobuf.FloatValue", ScalarType.FLOAT],
    ["google.protobuf.Int64Value", ScalarType.INT64],
    ["google.protobuf.UInt64Value", ScalarType.UINT64],
    ["google.protobuf.Int32Value", ScalarType.INT32],
    ["google.protobuf.UInt32Value", ScalarType.UINT32],
    ["google.protobuf.BoolValue", ScalarType.BOOL],
    ["google.protobuf.StringValue", ScalarType.STRING],
    ["google.protobuf.BytesValue", ScalarType.BYTES],
]);

function scalarName(t: ScalarType): string {
    return ScalarType[t].toLowerCase();
}
function isIntegerType(t: ScalarType): boolean {
    return t !== ScalarType.DOUBLE && t !== ScalarType.FLOAT && t !== ScalarType.BOOL && t !== ScalarType.STRING && t !== ScalarType.BYTES;
}
function is64(t: ScalarType): boolean {
    return (
        t === ScalarType.INT64 ||
        t === ScalarType.UINT64 ||
        t === ScalarType.SINT64 ||
        t === ScalarType.FIXED64 ||
        t === ScalarType.SFIXED64
    );
}

type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

function parseScalar(t: ScalarType, v: unknown): ParseResult<ScalarValue> {
    const tn = scalarName(t);
    if (
        v !== null &&
        (typeof v === "object" || typeof v === "undefined" || typeof v === "function" || typeof v === "bigint" || typeof v === "symbol")
    ) {
        return { ok: false, message: `expected ${expectedScalar(t)}, got ${describe(v)}` };
    }
    try {
        const msg = fromJson(WRAPPER_OF_SCALAR[t], v as JsonValue) as unknown as { value: ScalarValue };
        return { ok: true, value: msg.value };
    } catch {
        /* explain below */
    }
    if (isIntegerType(t) || t === ScalarType.DOUBLE || t === ScalarType.FLOAT) {
        if (typeof v === "boolean" || v === null) return { ok: false, message: `expected a number (${tn}), got ${describe(v)}` };
        const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
        if (typeof v === "string" && !Number.isFinite(n)) {
            return { ok: false, message: `${describe(v)} is not a number (expected ${tn})` };
        }
        if (!Number.isFinite(n)) return { ok: false, message: `${describe(v)} is not a valid ${tn}` };
        if (isIntegerType(t) && !Number.isInteger(n)) return { ok: false, message: `${describe(v)} is not an integer (expected ${tn})` };
        return { ok: false, message: `${describe(v)} is out of range for ${tn}` };
    }
    if (t === ScalarType.BOOL) return { ok: false, message: `expected true or false (bool), got ${describe(v)}` };
    if (t === ScalarType.STRING) return { ok: false, message: `expected a string, got ${describe(v)}` };
    if (typeof v === "string") return { ok: false, message: `${describe(v)} is not valid base64 (bytes)` };
    return { ok: false, message: `expected a base64 string (bytes), got ${describe(v)}` };
}

function expectedScalar(t: ScalarType): string {
    if (t === ScalarType.STRING) return "a string";
    if (t === ScalarType.BOOL) return "true or false (bool)";
    if (t === ScalarType.BYTES) return "a base64 string (bytes)";
    return `a number (${scalarName(t)})`;
}

function parseEnum(e: DescEnum, v: unknown): ParseResult<number> {
    if (v === null && e.typeName === "google.protobuf.NullValue") return { ok: true, value: 0 };
    if (typeof v === "string") {
        const ev = e.values.find((x) => x.name === v);
        if (ev) return { ok: true, value: ev.number };
        const hint = closest(
            v,
            e.values.map((x) => x.name),
        );
        return { ok: false, message: `${describe(v)} is not a value of ${e.typeName}${hint ? ` (did you mean "${hint}"?)` : ""}` };
    }
    if (typeof v === "number") {
        if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return { ok: true, value: v };
        return { ok: false, message: `${v} is not a valid number of ${e.typeName}` };
    }
    const names = e.values
        .slice(0, 4)
        .map((x) => `"${x.name}"`)
        .join(", ");
    return {
        ok: false,
        message: `expected a value of ${e.typeName} (one of ${names}${e.values.length > 4 ? ", ..." : ""}), got ${describe(v)}`,
    };
}

// ---------------------------------------------------------------------------------------------
// Parsed values (what the rules are evaluated on)
// ---------------------------------------------------------------------------------------------

type Parsed =
    | { k: "scalar"; t: ScalarType; v: ScalarValue }
    | { k: "enum"; v: number }
    | { k: "duration"; ns: bigint }
    | { k: "timestamp"; ns: bigint }
    | { k: "any"; typeUrl: string }
    | { k: "message" };

type ElemType = { k: "scalar"; t: ScalarType } | { k: "enum"; e: DescEnum } | { k: "message"; m: DescMessage };

type FieldParsed =
    | { kind: "single"; p: Parsed | undefined }
    | { kind: "list"; items: (Parsed | undefined)[] }
    | { kind: "map"; entries: { key: string; k: Parsed | undefined; v: Parsed | undefined }[] };

function nanosOf(m: { seconds: bigint; nanos: number }): bigint {
    return m.seconds * 1_000_000_000n + BigInt(m.nanos);
}

function elemTypeOf(f: DescField): ElemType {
    switch (f.fieldKind) {
        case "scalar":
            return { k: "scalar", t: f.scalar };
        case "enum":
            return { k: "enum", e: f.enum };
        case "message":
            return { k: "message", m: f.message };
        case "list":
            return f.listKind === "scalar"
                ? { k: "scalar", t: f.scalar }
                : f.listKind === "enum"
                  ? { k: "enum", e: f.enum }
                  : { k: "message", m: f.message };
        case "map":
            return f.mapKind === "scalar"
                ? { k: "scalar", t: f.scalar }
                : f.mapKind === "enum"
                  ? { k: "enum", e: f.enum }
                  : { k: "message", m: f.message };
    }
}

/** Types whose proto3 JSON form is not an object of fields. */
const SPECIAL_JSON_WKT = new Set([
    "google.protobuf.Any",
    "google.protobuf.Duration",
    "google.protobuf.Timestamp",
    "google.protobuf.FieldMask",
    "google.protobuf.Struct",
    "google.protobuf.Value",
    "google.protobuf.ListValue",
    ...SCALAR_OF_WRAPPER.keys(),
]);

// ---------------------------------------------------------------------------------------------
// PGV option lookup (cached per descriptor)
// ---------------------------------------------------------------------------------------------

type J = { [k: string]: unknown };

const fieldRulesCache = new WeakMap<DescField, J | null>();
const messageRulesOffCache = new WeakMap<DescMessage, boolean>();
const oneofRequiredCache = new WeakMap<DescOneof, boolean>();
const fieldKeyCache = new WeakMap<DescMessage, Map<string, DescField>>();

function keyMap(desc: DescMessage): Map<string, DescField> {
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

function asJ(v: unknown): J | undefined {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as J) : undefined;
}

// ---------------------------------------------------------------------------------------------
// The walker
// ---------------------------------------------------------------------------------------------

class Walker {
    private readonly stack = new Set<object>();

    constructor(
        private readonly l: Loaded,
        private readonly issues: EnvoyIssue[],
    ) {}

    private issue(p: string, message: string): void {
        this.issues.push({ path: p, message });
    }

    private fieldRules(f: DescField): J | undefined {
        let r = fieldRulesCache.get(f);
        if (r === undefined) {
            r = null;
            const ext = this.l.rulesExt;
            if (optHas(f, ext)) {
                const value = optGet(f, ext) as never;
                r = (asJ(toJson(ext.message as DescMessage, value, { useProtoFieldName: true })) ?? null) as J | null;
            }
            fieldRulesCache.set(f, r);
        }
        return r ?? undefined;
    }

    private messageRulesOff(desc: DescMessage): boolean {
        let off = messageRulesOffCache.get(desc);
        if (off === undefined) {
            off = false;
            for (const ext of [this.l.disabledExt, this.l.ignoredExt]) {
                if (ext && optHas(desc, ext) && optGet(desc, ext) === true) off = true;
            }
            messageRulesOffCache.set(desc, off);
        }
        return off;
    }

    private oneofRequired(o: DescOneof): boolean {
        let req = oneofRequiredCache.get(o);
        if (req === undefined) {
            const ext = this.l.requiredExt;
            req = !!ext && optHas(o, ext) && optGet(o, ext) === true;
            oneofRequiredCache.set(o, req);
        }
        return req;
    }

    /** Walk one message value; returns what the rules need, or undefined if it could not be parsed at all. */
    walkMessage(desc: DescMessage, v: unknown, p: string, rulesOn: boolean, depth: number): Parsed | undefined {
        if (depth > MAX_DEPTH) {
            this.issue(p, `nesting is deeper than ${MAX_DEPTH} levels`);
            return undefined;
        }
        const tn = desc.typeName;
        if (SPECIAL_JSON_WKT.has(tn)) return this.walkWkt(desc, v, p, depth);
        if (!isPlainObject(v)) {
            this.issue(p, `expected an object (${tn}), got ${describe(v)}`);
            return undefined;
        }
        if (this.stack.has(v)) {
            this.issue(p, "the value refers to itself (cyclic object)");
            return undefined;
        }
        this.stack.add(v);
        try {
            this.walkFields(desc, v, p, rulesOn, depth);
        } finally {
            this.stack.delete(v);
        }
        return { k: "message" };
    }

    private walkFields(desc: DescMessage, obj: Record<string, unknown>, p: string, rulesOn: boolean, depth: number): void {
        const keys = keyMap(desc);
        const rulesHere = rulesOn && !this.messageRulesOff(desc);
        const seen = new Map<DescField, string>(); // field -> key used
        const oneofSet = new Map<DescOneof, string>(); // oneof -> key that set it
        const failed = new Set<DescField>();

        for (const [key, val] of Object.entries(obj)) {
            // A property holding `undefined` is what JSON.stringify drops: treat it as an omitted key.
            if (val === undefined) continue;
            const kp = joinField(p, key);
            const f = keys.get(key);
            if (!f) {
                const camel = /[A-Z]/.test(key) && !key.includes("_");
                const hint = closest(
                    key,
                    desc.fields.map((x) => (camel ? x.jsonName : x.name)),
                );
                this.issue(
                    kp,
                    `unknown field ${JSON.stringify(key)}${hint ? ` (did you mean "${hint}"?)` : ` (not a field of ${desc.typeName})`}`,
                );
                continue;
            }
            const prevKey = seen.get(f);
            if (prevKey !== undefined) {
                this.issue(kp, `field "${f.name}" is given twice (as "${prevKey}" and "${key}")`);
                failed.add(f);
                continue;
            }
            seen.set(f, key);
            const isNullValue = f.fieldKind === "message" && f.message.typeName === "google.protobuf.Value";
            const isNullEnum = f.fieldKind === "enum" && f.enum.typeName === "google.protobuf.NullValue";
            if (val === null && !isNullValue && !isNullEnum) continue; // proto3 JSON: null = unset
            if (f.oneof) {
                const other = oneofSet.get(f.oneof);
                if (other !== undefined) {
                    this.issue(
                        kp,
                        `"${key}" and "${other}" are both set, but they belong to oneof "${f.oneof.name}" (only one may be set)`,
                    );
                    failed.add(f);
                    continue;
                }
                oneofSet.set(f.oneof, key);
            }
            const rules = this.fieldRules(f);
            const fp = this.walkField(f, val, kp, rulesHere, rules, depth);
            if (!fp) failed.add(f);
            // PGV field rules of a present field, right after its contents (issues stay in document order).
            else if (rulesHere && rules) this.applyFieldRules(f, rules, fp, kp);
        }

        if (!rulesHere) return;

        // PGV field rules of absent (or null) fields: defaults of implicit-presence scalars, required, min_items...
        for (const f of desc.fields) {
            if (failed.has(f)) continue;
            const rules = this.fieldRules(f);
            if (!rules) continue;
            const key = seen.get(f);
            if (key !== undefined && obj[key] !== null) continue; // present: done above
            this.applyFieldRules(f, rules, undefined, joinField(p, key ?? f.name));
        }
        // PGV oneof (validate.required).
        for (const o of desc.oneofs) {
            if (!this.oneofRequired(o) || oneofSet.has(o)) continue;
            const names = o.fields.map((x) => `"${x.name}"`).join(", ");
            this.issue(p, `one of the fields ${names} must be set (oneof "${o.name}" is required, validate.required)`);
        }
    }

    /** Parse one field's (non-null) value; returns undefined if it failed (issue already reported). */
    private walkField(
        f: DescField,
        val: unknown,
        p: string,
        rulesOn: boolean,
        rules: J | undefined,
        depth: number,
    ): FieldParsed | undefined {
        const et = elemTypeOf(f);
        if (f.fieldKind === "list") {
            if (!Array.isArray(val)) {
                this.issue(p, `expected a list, got ${describe(val)}`);
                return undefined;
            }
            const itemRules = asJ(asJ(rules?.repeated)?.items);
            const elemRulesOn = rulesOn && asJ(itemRules?.message)?.skip !== true;
            const items: (Parsed | undefined)[] = [];
            val.forEach((item, i) => {
                const ip = joinIndex(p, i);
                const allowNull = et.k === "message" && et.m.typeName === "google.protobuf.Value";
                if (item === null && !allowNull) {
                    this.issue(ip, "null is not allowed in a list");
                    items.push(undefined);
                    return;
                }
                items.push(this.walkElem(et, item, ip, elemRulesOn, depth));
            });
            return { kind: "list", items };
        }
        if (f.fieldKind === "map") {
            if (!isPlainObject(val)) {
                this.issue(p, `expected an object (a map), got ${describe(val)}`);
                return undefined;
            }
            const valueRules = asJ(asJ(rules?.map)?.values);
            const elemRulesOn = rulesOn && asJ(valueRules?.message)?.skip !== true;
            const entries: { key: string; k: Parsed | undefined; v: Parsed | undefined }[] = [];
            for (const [mk, mv] of Object.entries(val)) {
                const ep = joinField(p, mk);
                const kp = this.parseMapKey(f.mapKey, mk);
                if (!kp.ok) this.issue(ep, kp.message);
                const allowNull = et.k === "message" && et.m.typeName === "google.protobuf.Value";
                let vp: Parsed | undefined;
                if (mv === null && !allowNull) this.issue(ep, "null is not allowed as a map value");
                else vp = this.walkElem(et, mv, ep, elemRulesOn, depth);
                entries.push({ key: mk, k: kp.ok ? { k: "scalar", t: f.mapKey, v: kp.value } : undefined, v: vp });
            }
            return { kind: "map", entries };
        }
        const childRulesOn = rulesOn && asJ(rules?.message)?.skip !== true;
        const parsedValue = this.walkElem(et, val, p, childRulesOn, depth);
        return parsedValue ? { kind: "single", p: parsedValue } : undefined;
    }

    private parseMapKey(t: ScalarType, key: string): ParseResult<ScalarValue> {
        if (t === ScalarType.STRING) return { ok: true, value: key };
        if (t === ScalarType.BOOL) {
            if (key === "true" || key === "false") return { ok: true, value: key === "true" };
            return { ok: false, message: `map key ${JSON.stringify(key)} is not "true" or "false"` };
        }
        const r = parseScalar(t, key);
        return r.ok ? r : { ok: false, message: `map key: ${r.message}` };
    }

    private walkElem(et: ElemType, v: unknown, p: string, rulesOn: boolean, depth: number): Parsed | undefined {
        if (et.k === "scalar") {
            const r = parseScalar(et.t, v);
            if (!r.ok) {
                this.issue(p, r.message);
                return undefined;
            }
            return { k: "scalar", t: et.t, v: r.value };
        }
        if (et.k === "enum") {
            const r = parseEnum(et.e, v);
            if (!r.ok) {
                this.issue(p, r.message);
                return undefined;
            }
            return { k: "enum", v: r.value };
        }
        return this.walkMessage(et.m, v, p, rulesOn, depth + 1);
    }

    private walkWkt(desc: DescMessage, v: unknown, p: string, depth: number): Parsed | undefined {
        const tn = desc.typeName;
        const wrapped = SCALAR_OF_WRAPPER.get(tn);
        if (wrapped !== undefined) {
            const r = parseScalar(wrapped, v);
            if (!r.ok) {
                this.issue(p, r.message);
                return undefined;
            }
            return { k: "scalar", t: wrapped, v: r.value };
        }
        switch (tn) {
            case "google.protobuf.Any":
                return this.walkAny(v, p, depth);
            case "google.protobuf.Duration":
                try {
                    if (typeof v !== "string") throw new Error("not a string");
                    return { k: "duration", ns: nanosOf(fromJson(DurationSchema, v)) };
                } catch {
                    this.issue(p, `${describe(v)} is not a Duration (expected a string like "5s")`);
                    return undefined;
                }
            case "google.protobuf.Timestamp":
                try {
                    if (typeof v !== "string") throw new Error("not a string");
                    return { k: "timestamp", ns: nanosOf(fromJson(TimestampSchema, v)) };
                } catch {
                    this.issue(p, `${describe(v)} is not a Timestamp (expected an RFC 3339 string like "2024-01-01T00:00:00Z")`);
                    return undefined;
                }
            case "google.protobuf.FieldMask":
                try {
                    if (typeof v !== "string") throw new Error("not a string");
                    fromJson(FieldMaskSchema, v);
                    return { k: "message" };
                } catch {
                    this.issue(p, `${describe(v)} is not a FieldMask (expected a comma-separated string of lowerCamelCase paths)`);
                    return undefined;
                }
            case "google.protobuf.Struct":
                if (!isPlainObject(v)) {
                    this.issue(p, `expected an object (google.protobuf.Struct), got ${describe(v)}`);
                    return undefined;
                }
                return this.checkJsonValue(StructSchema, v, p) ? { k: "message" } : undefined;
            case "google.protobuf.ListValue":
                if (!Array.isArray(v)) {
                    this.issue(p, `expected a list (google.protobuf.ListValue), got ${describe(v)}`);
                    return undefined;
                }
                return this.checkJsonValue(ListValueSchema, v, p) ? { k: "message" } : undefined;
            case "google.protobuf.Value":
                return this.checkJsonValue(ValueSchema, v, p) ? { k: "message" } : undefined;
        }
        this.issue(p, `internal validator error: unhandled well-known type ${tn}`);
        return undefined;
    }

    /** Struct / ListValue / Value accept any JSON; find the first non-JSON value for a precise path. */
    private checkJsonValue(schema: DescMessage, v: unknown, p: string): boolean {
        const bad = findNonJson(v, p, 0);
        if (bad) {
            this.issue(bad.path, bad.message);
            return false;
        }
        try {
            fromJson(schema, v as JsonValue);
            return true;
        } catch (e) {
            this.issue(p, `not valid for ${schema.typeName}: ${stripBufPrefix(errorMessage(e))}`);
            return false;
        }
    }

    private walkAny(v: unknown, p: string, depth: number): Parsed | undefined {
        if (!isPlainObject(v)) {
            this.issue(p, `expected an object with "@type" (google.protobuf.Any), got ${describe(v)}`);
            return undefined;
        }
        if (Object.keys(v).length === 0) return { k: "any", typeUrl: "" };
        const typeUrl = v["@type"];
        const tp = joinField(p, "@type");
        if (typeUrl === undefined || typeUrl === null) {
            this.issue(p, `missing "@type" (a typed config needs a type URL like "type.googleapis.com/envoy.extensions...")`);
            return undefined;
        }
        if (typeof typeUrl !== "string") {
            this.issue(tp, `expected a type URL string, got ${describe(typeUrl)}`);
            return undefined;
        }
        const slash = typeUrl.lastIndexOf("/");
        const typeName = typeUrl.slice(slash + 1);
        if (slash < 0 || typeName === "") {
            this.issue(tp, `${JSON.stringify(typeUrl)} is not a type URL (expected "type.googleapis.com/<message type>")`);
            return undefined;
        }
        const desc = this.l.registry.getMessage(typeName);
        if (!desc) {
            const hint = closest(typeName, allMessageNames(this.l.registry), 6);
            this.issue(
                tp,
                `unknown type ${JSON.stringify(typeUrl)}: ${typeName} is not a message type of the Envoy API` +
                    (hint ? ` (did you mean "${typeUrl.slice(0, slash + 1)}${hint}"?)` : ""),
            );
            return undefined;
        }
        const rest: Record<string, unknown> = {};
        for (const [k, val] of Object.entries(v)) if (k !== "@type") rest[k] = val;
        if (SPECIAL_JSON_WKT.has(desc.typeName)) {
            // {"@type": ".../google.protobuf.Duration", "value": "1s"}
            for (const k of Object.keys(rest)) {
                if (k !== "value")
                    this.issue(joinField(p, k), `unknown field ${JSON.stringify(k)} (an Any holding ${desc.typeName} has only "value")`);
            }
            if ("value" in rest) this.walkMessage(desc, rest.value, joinField(p, "value"), true, depth + 1);
            return { k: "any", typeUrl };
        }
        // Envoy validates an Any's payload with its own rules when it unpacks it: rules on.
        const before = this.issues.length;
        this.walkMessage(desc, rest, p, true, depth + 1);
        if (this.l.typedStructs.has(desc.typeName) && this.issues.length === before) this.walkTypedStruct(rest, p, depth);
        return { k: "any", typeUrl };
    }

    /** xds.type.v3.TypedStruct / udpa.type.v1.TypedStruct: Envoy converts `value` to `type_url`. */
    private walkTypedStruct(ts: Record<string, unknown>, p: string, depth: number): void {
        const typeUrl = ts.type_url ?? ts.typeUrl;
        if (typeof typeUrl !== "string" || typeUrl === "") return;
        const typeName = typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
        const desc = this.l.registry.getMessage(typeName);
        const key = "type_url" in ts ? "type_url" : "typeUrl";
        if (!desc) {
            this.issue(joinField(p, key), `unknown type ${JSON.stringify(typeUrl)}: ${typeName} is not a message type of the Envoy API`);
            return;
        }
        const value = ts.value ?? {};
        this.walkMessage(desc, value, joinField(p, "value"), true, depth + 1);
    }

    /**
     * Final cross-check with bufbuild's own strict parser; if it rejects what the walker accepted,
     * narrow the failure down to the deepest sub-message that still fails to parse.
     */
    crossCheck(desc: DescMessage, value: unknown, basePath: string): void {
        const registry = this.l.registry;
        const tryParse = (d: DescMessage, v: unknown): string | undefined => {
            try {
                fromJson(d, v as JsonValue, { registry });
                return undefined;
            } catch (e) {
                return errorMessage(e);
            }
        };
        // The walker has already rejected anything that is not JSON (dates, cycles, ...), so a JSON
        // round trip only drops `undefined` properties, which the walker treats as omitted.
        const json: unknown = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
        const top = tryParse(desc, json);
        if (top === undefined) return;
        const narrowed = narrow(desc, json, basePath, tryParse, registry, 0) ?? { path: basePath, message: top };
        this.issue(narrowed.path, `rejected by the proto3 JSON parser: ${narrowed.message}`);
    }

    // ------------------------------------------------------------------ rules

    private applyFieldRules(f: DescField, rules: J, fp: FieldParsed | undefined, p: string): void {
        const et = elemTypeOf(f);
        if (f.fieldKind === "list") {
            const items = fp?.kind === "list" ? fp.items : [];
            const rr = asJ(rules.repeated);
            if (!rr) return;
            if (rr.ignore_empty === true && items.length === 0) return;
            const min = rr.min_items !== undefined ? Number(rr.min_items) : undefined;
            const max = rr.max_items !== undefined ? Number(rr.max_items) : undefined;
            if (min !== undefined && items.length < min) {
                this.issue(p, `must have at least ${min} item${min === 1 ? "" : "s"}, got ${items.length} (validate.rules)`);
            }
            if (max !== undefined && items.length > max) {
                this.issue(p, `must have at most ${max} item${max === 1 ? "" : "s"}, got ${items.length} (validate.rules)`);
            }
            if (rr.unique === true) {
                const seen = new Map<string, number>();
                items.forEach((it, i) => {
                    if (!it) return;
                    const k = uniqueKey(it);
                    if (k === undefined) return;
                    const first = seen.get(k);
                    if (first !== undefined)
                        this.issue(joinIndex(p, i), `items must be unique; this one repeats item [${first}] (validate.rules)`);
                    else seen.set(k, i);
                });
            }
            const itemRules = asJ(rr.items);
            if (itemRules) items.forEach((it, i) => it && this.applyElemRules(itemRules, et, it, joinIndex(p, i)));
            return;
        }
        if (f.fieldKind === "map") {
            const entries = fp?.kind === "map" ? fp.entries : [];
            const mr = asJ(rules.map);
            if (!mr) return;
            if (mr.ignore_empty === true && entries.length === 0) return;
            const min = mr.min_pairs !== undefined ? Number(mr.min_pairs) : undefined;
            const max = mr.max_pairs !== undefined ? Number(mr.max_pairs) : undefined;
            if (min !== undefined && entries.length < min)
                this.issue(p, `must have at least ${min} entr${min === 1 ? "y" : "ies"}, got ${entries.length} (validate.rules)`);
            if (max !== undefined && entries.length > max)
                this.issue(p, `must have at most ${max} entr${max === 1 ? "y" : "ies"}, got ${entries.length} (validate.rules)`);
            const keyRules = asJ(mr.keys);
            const valueRules = asJ(mr.values);
            for (const e of entries) {
                const ep = joinField(p, e.key);
                if (keyRules && e.k) this.applyElemRules(keyRules, { k: "scalar", t: f.mapKey }, e.k, ep, "key ");
                if (valueRules && e.v) this.applyElemRules(valueRules, et, e.v, ep);
            }
            return;
        }
        const single = fp?.kind === "single" ? fp.p : undefined;
        if (f.fieldKind === "message") {
            const required =
                asJ(rules.message)?.required === true ||
                asJ(rules.duration)?.required === true ||
                asJ(rules.timestamp)?.required === true ||
                asJ(rules.any)?.required === true;
            if (!single) {
                // A oneof member's rules (incl. required) only apply when that member is the one set.
                if (required && !fp && !f.oneof) this.issue(p, `is required (validate.rules)`);
                return;
            }
            this.applyElemRules(rules, et, single, p);
            return;
        }
        // scalar / enum
        if (single) {
            this.applyElemRules(rules, et, single, p);
            return;
        }
        if (fp) return; // present but unparsable
        // Absent: proto3 implicit-presence fields are validated with their default value (as PGV does);
        // oneof members and proto3 `optional` fields only when set.
        if (f.oneof || f.presence !== 2 /* IMPLICIT */) return;
        const def: Parsed =
            et.k === "enum"
                ? { k: "enum", v: f.enum?.values[0]?.number ?? 0 }
                : { k: "scalar", t: (et as { t: ScalarType }).t, v: defaultScalar((et as { t: ScalarType }).t) };
        this.applyElemRules(rules, et, def, p, "", true);
    }

    /** Apply the type-specific part of a FieldRules to one value. */
    private applyElemRules(rules: J, et: ElemType, v: Parsed, p: string, what = "", absent = false): void {
        const say = (msg: string): void => this.issue(p, `${what}${msg} (validate.rules)`);
        const show = (x: ScalarValue): string =>
            typeof x === "string" ? JSON.stringify(x) : x instanceof Uint8Array ? `${x.length} bytes` : String(x);

        if (v.k === "scalar") {
            const x = v.v;
            for (const numType of [
                "float",
                "double",
                "int32",
                "int64",
                "uint32",
                "uint64",
                "sint32",
                "sint64",
                "fixed32",
                "fixed64",
                "sfixed32",
                "sfixed64",
            ]) {
                const r = asJ(rules[numType]);
                if (!r) continue;
                if (r.ignore_empty === true && (x === 0 || x === 0n)) return;
                const isFloat = numType === "float" || numType === "double";
                if (isFloat) {
                    checkOrdered<number>(
                        Number(x),
                        r,
                        (y) => Number(y),
                        (a, b) => (a < b ? -1 : a > b ? 1 : 0),
                        String,
                        "numeric",
                        say,
                    );
                } else {
                    checkOrdered<bigint>(
                        BigInt(x as number | bigint),
                        r,
                        (y) => BigInt(String(y)),
                        (a, b) => (a < b ? -1 : a > b ? 1 : 0),
                        String,
                        "numeric",
                        say,
                    );
                }
            }
            const br = asJ(rules.bool);
            if (br && br.const !== undefined && x !== br.const) say(`must be ${String(br.const)}`);
            const sr = asJ(rules.string);
            if (sr && typeof x === "string") this.stringRules(sr, x, say, absent);
            const byr = asJ(rules.bytes);
            if (byr && x instanceof Uint8Array) bytesRules(byr, x, say, show);
            return;
        }
        if (v.k === "enum") {
            const er = asJ(rules.enum);
            if (!er || et.k !== "enum") return;
            const n = v.v;
            if (er.const !== undefined && n !== Number(er.const)) say(`must be ${enumName(et.e, Number(er.const))}`);
            if (er.defined_only === true && !et.e.values.some((x) => x.number === n))
                say(`${n} is not a defined value of ${et.e.typeName}`);
            const inList = Array.isArray(er.in) ? er.in.map(Number) : [];
            if (inList.length && !inList.includes(n))
                say(`${enumName(et.e, n)} must be one of ${inList.map((i) => enumName(et.e, i)).join(", ")}`);
            const notIn = Array.isArray(er.not_in) ? er.not_in.map(Number) : [];
            if (notIn.includes(n)) say(`${enumName(et.e, n)} is not allowed here`);
            return;
        }
        if (v.k === "duration") {
            const dr = asJ(rules.duration);
            if (dr)
                checkOrdered<bigint>(v.ns, dr, durationJsonToNs, (a, b) => (a < b ? -1 : a > b ? 1 : 0), formatDurationNs, "duration", say);
            return;
        }
        if (v.k === "timestamp") {
            const tr = asJ(rules.timestamp);
            if (!tr) return;
            checkOrdered<bigint>(v.ns, tr, timestampJsonToNs, (a, b) => (a < b ? -1 : a > b ? 1 : 0), formatTimestampNs, "timestamp", say);
            const now = BigInt(Date.now()) * 1_000_000n;
            if (tr.lt_now === true && !(v.ns < now)) say("must be in the past");
            if (tr.gt_now === true && !(v.ns > now)) say("must be in the future");
            if (typeof tr.within === "string") {
                const w = durationJsonToNs(tr.within);
                const d = v.ns > now ? v.ns - now : now - v.ns;
                if (d > w) say(`must be within ${tr.within} of now`);
            }
            return;
        }
        if (v.k === "any") {
            const ar = asJ(rules.any);
            if (!ar) return;
            if (Array.isArray(ar.in) && ar.in.length && !ar.in.includes(v.typeUrl))
                say(`type ${JSON.stringify(v.typeUrl)} must be one of ${ar.in.map((x) => JSON.stringify(x)).join(", ")}`);
            if (Array.isArray(ar.not_in) && ar.not_in.includes(v.typeUrl)) say(`type ${JSON.stringify(v.typeUrl)} is not allowed here`);
        }
    }

    private stringRules(r: J, s: string, say: (m: string) => void, absent: boolean): void {
        if (r.ignore_empty === true && s === "") return;
        const q = JSON.stringify(s);
        const chars = [...s].length;
        const bytes = Buffer.byteLength(s, "utf8");
        if (typeof r.const === "string" && s !== r.const) say(`value ${q} must equal ${JSON.stringify(r.const)}`);
        if (r.len !== undefined && chars !== Number(r.len)) say(`value ${q} must be exactly ${Number(r.len)} characters long`);
        if (r.min_len !== undefined && chars < Number(r.min_len)) {
            const n = Number(r.min_len);
            say(
                s === ""
                    ? `must not be empty${absent ? " (the field is missing)" : ""}: at least ${n} character${n === 1 ? "" : "s"} required`
                    : `value ${q} is too short: at least ${n} characters required`,
            );
        }
        if (r.max_len !== undefined && chars > Number(r.max_len))
            say(`value is too long (${chars} characters): at most ${Number(r.max_len)} allowed`);
        if (r.len_bytes !== undefined && bytes !== Number(r.len_bytes)) say(`value ${q} must be exactly ${Number(r.len_bytes)} bytes long`);
        if (r.min_bytes !== undefined && bytes < Number(r.min_bytes)) {
            const n = Number(r.min_bytes);
            say(
                s === ""
                    ? `must not be empty${absent ? " (the field is missing)" : ""}: at least ${n} byte${n === 1 ? "" : "s"} required`
                    : `value ${q} is too short: at least ${n} bytes required`,
            );
        }
        if (r.max_bytes !== undefined && bytes > Number(r.max_bytes))
            say(`value is too long (${bytes} bytes): at most ${Number(r.max_bytes)} allowed`);
        if (typeof r.pattern === "string") {
            const re = compileRe2(r.pattern);
            if (re && !re.test(s)) say(`value ${q} does not match the pattern ${JSON.stringify(r.pattern)}`);
        }
        if (typeof r.prefix === "string" && !s.startsWith(r.prefix)) say(`value ${q} must start with ${JSON.stringify(r.prefix)}`);
        if (typeof r.suffix === "string" && !s.endsWith(r.suffix)) say(`value ${q} must end with ${JSON.stringify(r.suffix)}`);
        if (typeof r.contains === "string" && !s.includes(r.contains)) say(`value ${q} must contain ${JSON.stringify(r.contains)}`);
        if (typeof r.not_contains === "string" && s.includes(r.not_contains))
            say(`value ${q} must not contain ${JSON.stringify(r.not_contains)}`);
        if (Array.isArray(r.in) && r.in.length && !r.in.includes(s))
            say(`value ${q} must be one of ${r.in.map((x) => JSON.stringify(x)).join(", ")}`);
        if (Array.isArray(r.not_in) && r.not_in.includes(s)) say(`value ${q} is not allowed here`);
        if (r.email === true && !isEmail(s)) say(`value ${q} is not a valid email address`);
        if (r.hostname === true && !isHostname(s)) say(`value ${q} is not a valid hostname`);
        if (r.ip === true && isIP(s) === 0) say(`value ${q} is not a valid IP address`);
        if (r.ipv4 === true && isIP(s) !== 4) say(`value ${q} is not a valid IPv4 address`);
        if (r.ipv6 === true && isIP(s) !== 6) say(`value ${q} is not a valid IPv6 address`);
        if (r.uri === true && !isUri(s)) say(`value ${q} is not a valid absolute URI`);
        if (r.uri_ref === true && !isUriRef(s)) say(`value ${q} is not a valid URI reference`);
        if (r.address === true && isIP(s) === 0 && !isHostname(s)) say(`value ${q} is not a valid hostname or IP address`);
        if (r.uuid === true && !/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s))
            say(`value ${q} is not a valid UUID`);
        if (r.well_known_regex === "HTTP_HEADER_NAME" || r.well_known_regex === "HTTP_HEADER_VALUE") {
            const strict = r.strict !== false;
            const name = r.well_known_regex === "HTTP_HEADER_NAME";
            const re = !strict ? LOOSE_HEADER : name ? STRICT_HEADER_NAME : STRICT_HEADER_VALUE;
            if (!re.test(s)) say(`value ${q} is not a valid HTTP header ${name ? "name" : "value"}`);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rule helpers
// ---------------------------------------------------------------------------------------------

/** PGV's well-known regexes (protoc-gen-validate templates); control characters are what they exclude. */
/* eslint-disable no-control-regex */
const STRICT_HEADER_NAME = /^:?[0-9a-zA-Z!#$%&'*+\-.^_|~`]+$/;
const STRICT_HEADER_VALUE = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;
const LOOSE_HEADER = /^[^\u0000\u000A\u000D]*$/;
/* eslint-enable no-control-regex */

function defaultScalar(t: ScalarType): ScalarValue {
    if (t === ScalarType.STRING) return "";
    if (t === ScalarType.BOOL) return false;
    if (t === ScalarType.BYTES) return new Uint8Array(0);
    return is64(t) ? 0n : 0;
}

function enumName(e: DescEnum, n: number): string {
    return e.values.find((x) => x.number === n)?.name ?? String(n);
}

function uniqueKey(p: Parsed): string | undefined {
    if (p.k === "scalar") return p.v instanceof Uint8Array ? `b:${Buffer.from(p.v).toString("base64")}` : `${typeof p.v}:${String(p.v)}`;
    if (p.k === "enum") return `e:${p.v}`;
    return undefined; // PGV: unique is only for scalars and enums
}

const OPS = {
    numeric: { lt: "<", lte: "≤", gt: ">", gte: "≥" },
    duration: { lt: "less than", lte: "less than or equal to", gt: "greater than", gte: "greater than or equal to" },
    timestamp: { lt: "before", lte: "at or before", gt: "after", gte: "at or after" },
};

/**
 * const / lt / lte / gt / gte / in / not_in with PGV semantics: if the lower bound is above the
 * upper bound the range is "exclusive" (value must lie outside it).
 */
function checkOrdered<T>(
    v: T,
    r: J,
    conv: (x: unknown) => T,
    cmp: (a: T, b: T) => number,
    show: (x: T) => string,
    style: keyof typeof OPS,
    say: (m: string) => void,
): void {
    const ops = OPS[style];
    const subject = style === "numeric" ? `value ${show(v)} must be` : "must be";
    const phrase = (op: keyof typeof ops, b: T): string => `${ops[op]} ${show(b)}`;
    if (r.const !== undefined) {
        const c = conv(r.const);
        if (cmp(v, c) !== 0) say(style === "numeric" ? `value ${show(v)} must equal ${show(c)}` : `must equal ${show(c)}`);
    }
    const upperOp = r.lt !== undefined ? "lt" : r.lte !== undefined ? "lte" : undefined;
    const lowerOp = r.gt !== undefined ? "gt" : r.gte !== undefined ? "gte" : undefined;
    const upper = upperOp ? conv(r[upperOp]) : undefined;
    const lower = lowerOp ? conv(r[lowerOp]) : undefined;
    const okUpper = upperOp === undefined || (upperOp === "lt" ? cmp(v, upper as T) < 0 : cmp(v, upper as T) <= 0);
    const okLower = lowerOp === undefined || (lowerOp === "gt" ? cmp(v, lower as T) > 0 : cmp(v, lower as T) >= 0);
    if (upperOp && lowerOp) {
        if (cmp(upper as T, lower as T) >= 0) {
            if (!okUpper || !okLower) say(`${subject} ${phrase(lowerOp, lower as T)} and ${phrase(upperOp, upper as T)}`);
        } else if (!okUpper && !okLower) {
            say(`${subject} ${phrase(upperOp, upper as T)} or ${phrase(lowerOp, lower as T)}`);
        }
    } else if (upperOp && !okUpper) {
        say(`${subject} ${phrase(upperOp, upper as T)}`);
    } else if (lowerOp && !okLower) {
        say(`${subject} ${phrase(lowerOp, lower as T)}`);
    }
    if (Array.isArray(r.in) && r.in.length) {
        const list = r.in.map(conv);
        if (!list.some((x) => cmp(v, x) === 0)) say(`${subject} one of ${list.map(show).join(", ")}`);
    }
    if (Array.isArray(r.not_in) && r.not_in.length) {
        const list = r.not_in.map(conv);
        if (list.some((x) => cmp(v, x) === 0)) say(`${subject} none of ${list.map(show).join(", ")}`);
    }
}

function durationJsonToNs(x: unknown): bigint {
    return nanosOf(fromJson(DurationSchema, x as JsonValue));
}
function timestampJsonToNs(x: unknown): bigint {
    return nanosOf(fromJson(TimestampSchema, x as JsonValue));
}
function formatDurationNs(ns: bigint): string {
    const neg = ns < 0n;
    const a = neg ? -ns : ns;
    const s = a / 1_000_000_000n;
    const frac = a % 1_000_000_000n;
    const f = frac === 0n ? "" : `.${frac.toString().padStart(9, "0").replace(/0+$/, "")}`;
    return `${neg ? "-" : ""}${s}${f}s`;
}
function formatTimestampNs(ns: bigint): string {
    return new Date(Number(ns / 1_000_000n)).toISOString();
}

function bytesRules(r: J, b: Uint8Array, say: (m: string) => void, show: (x: ScalarValue) => string): void {
    if (r.ignore_empty === true && b.length === 0) return;
    const buf = Buffer.from(b);
    const dec = (x: unknown): Buffer => Buffer.from(String(x), "base64");
    if (r.const !== undefined && !buf.equals(dec(r.const))) say(`value must equal the configured constant`);
    if (r.len !== undefined && b.length !== Number(r.len)) say(`value (${show(b)}) must be exactly ${Number(r.len)} bytes long`);
    if (r.min_len !== undefined && b.length < Number(r.min_len))
        say(`value (${show(b)}) is too short: at least ${Number(r.min_len)} bytes required`);
    if (r.max_len !== undefined && b.length > Number(r.max_len))
        say(`value (${show(b)}) is too long: at most ${Number(r.max_len)} bytes allowed`);
    if (typeof r.pattern === "string") {
        const re = compileRe2(r.pattern);
        if (re && !re.test(buf.toString("latin1"))) say(`value does not match the pattern ${JSON.stringify(r.pattern)}`);
    }
    if (r.prefix !== undefined && !buf.subarray(0, dec(r.prefix).length).equals(dec(r.prefix)))
        say(`value must start with the configured prefix`);
    if (r.suffix !== undefined) {
        const s = dec(r.suffix);
        if (b.length < s.length || !buf.subarray(b.length - s.length).equals(s)) say(`value must end with the configured suffix`);
    }
    if (r.contains !== undefined && buf.indexOf(dec(r.contains)) < 0) say(`value must contain the configured bytes`);
    if (Array.isArray(r.in) && r.in.length && !r.in.some((x) => buf.equals(dec(x)))) say(`value must be one of the configured values`);
    if (Array.isArray(r.not_in) && r.not_in.some((x) => buf.equals(dec(x)))) say(`value is not allowed here`);
    if (r.ip === true && b.length !== 4 && b.length !== 16) say(`value must be an IP address in byte form (4 or 16 bytes)`);
    if (r.ipv4 === true && b.length !== 4) say(`value must be an IPv4 address in byte form (4 bytes)`);
    if (r.ipv6 === true && b.length !== 16) say(`value must be an IPv6 address in byte form (16 bytes)`);
}

const re2Cache = new Map<string, RegExp | null>();
/** RE2 -> JS RegExp for the common subset (leading inline flags supported); null if not expressible. */
function compileRe2(pattern: string): RegExp | null {
    let re = re2Cache.get(pattern);
    if (re === undefined) {
        let src = pattern;
        let flags = "";
        const m = /^\(\?([imsU]+)\)/.exec(src);
        if (m && !m[1].includes("U")) {
            flags = m[1];
            src = src.slice(m[0].length);
        }
        try {
            re = new RegExp(src, flags + "u");
        } catch {
            try {
                re = new RegExp(src, flags);
            } catch {
                re = null;
            }
        }
        re2Cache.set(pattern, re);
    }
    return re;
}

function isHostname(s: string): boolean {
    const h = s.endsWith(".") ? s.slice(0, -1) : s;
    if (h.length === 0 || h.length > 253) return false;
    return h.split(".").every((label) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));
}
function isEmail(s: string): boolean {
    const m = /^(?:.*<)?([^<>@\s]+)@([^<>@\s]+?)>?$/.exec(s);
    return !!m && m[1].length <= 64 && isHostname(m[2]);
}
function isUri(s: string): boolean {
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s)) return false;
    try {
        new URL(s);
        return true;
    } catch {
        return false;
    }
}
function isUriRef(s: string): boolean {
    try {
        new URL(s, "http://example.invalid/");
        return !/\s/.test(s);
    } catch {
        return false;
    }
}

function findNonJson(v: unknown, p: string, depth: number): EnvoyIssue | undefined {
    if (depth > MAX_DEPTH) return { path: p, message: `nesting is deeper than ${MAX_DEPTH} levels` };
    if (v === null || typeof v === "string" || typeof v === "boolean") return undefined;
    if (typeof v === "number") return Number.isFinite(v) ? undefined : { path: p, message: `${v} is not a JSON number` };
    if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
            const bad = findNonJson(v[i], joinIndex(p, i), depth + 1);
            if (bad) return bad;
        }
        return undefined;
    }
    if (isPlainObject(v)) {
        for (const [k, x] of Object.entries(v)) {
            const bad = findNonJson(x, joinField(p, k), depth + 1);
            if (bad) return bad;
        }
        return undefined;
    }
    return { path: p, message: `${describe(v)} is not a JSON value` };
}

function stripBufPrefix(m: string): string {
    return m.replace(/^cannot decode [^:]+ from JSON: /, "");
}

// ---------------------------------------------------------------------------------------------
// Cross-check with bufbuild's fromJson (narrowed to the deepest failing sub-message)
// ---------------------------------------------------------------------------------------------

function narrow(
    desc: DescMessage,
    value: unknown,
    p: string,
    tryParse: (d: DescMessage, v: unknown) => string | undefined,
    registry: FileRegistry,
    depth: number,
): EnvoyIssue | undefined {
    const own = tryParse(desc, value);
    if (own === undefined) return undefined;
    if (depth > MAX_DEPTH) return { path: p, message: own };
    let target: { desc: DescMessage; value: unknown } = { desc, value };
    if (desc.typeName === "google.protobuf.Any" && isPlainObject(value) && typeof value["@type"] === "string") {
        const inner = registry.getMessage(value["@type"].slice(value["@type"].lastIndexOf("/") + 1));
        if (inner && !SPECIAL_JSON_WKT.has(inner.typeName)) {
            const rest: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(value)) if (k !== "@type") rest[k] = v;
            target = { desc: inner, value: rest };
        }
    }
    if (!SPECIAL_JSON_WKT.has(target.desc.typeName) && isPlainObject(target.value)) {
        const keys = keyMap(target.desc);
        for (const [k, v] of Object.entries(target.value)) {
            const f = keys.get(k);
            if (!f || v === null) continue;
            const kp = joinField(p, k);
            const children: { d: DescMessage; v: unknown; p: string }[] = [];
            if (f.fieldKind === "message") children.push({ d: f.message, v, p: kp });
            else if (f.fieldKind === "list" && f.listKind === "message" && Array.isArray(v))
                v.forEach((x, i) => children.push({ d: f.message, v: x, p: joinIndex(kp, i) }));
            else if (f.fieldKind === "map" && f.mapKind === "message" && isPlainObject(v))
                for (const [mk, mv] of Object.entries(v)) children.push({ d: f.message, v: mv, p: joinField(kp, mk) });
            for (const c of children) {
                const deeper = narrow(c.d, c.v, c.p, tryParse, registry, depth + 1);
                if (deeper) return deeper;
            }
        }
    }
    return { path: p, message: stripBufPrefix(own) };
}
