/**
 * A JSON Schema (draft-07) of an Envoy message, generated from the descriptors the library
 * checks with (components/generated/envoy-api.binpb), so that helm refuses in a static cluster
 * what the library's descriptor walker refuses: unknown fields (snake_case and lowerCamelCase
 * names, as Envoy reads YAML), scalar types and ranges (64-bit integers also as strings, as
 * proto3 JSON allows), enums by name or number, Durations and Timestamps as strings, wrappers as
 * their scalar, oneofs (at most one member), the `validate.rules` that JSON Schema can say, and
 * the `@type` of Any payloads (a message of the Envoy API; transport sockets and protocol options
 * checked as the message they name). Every message is one entry of `definitions`, referred to
 * by `$ref`, so recursive and shared messages are written once. A null is an unset field, as
 * in proto3 JSON. Used by scripts/chart-schema.ts for the chart's values.schema.json only: the
 * library keeps walking the descriptors itself.
 */
import { ScalarType, type DescEnum, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { TRANSPORT_SOCKET_PACKAGE, TYPED_OPTIONS_KEY_PATTERN } from "../components/checks/envoy/semantics";
import { fieldRules, load, messageRulesOff, oneofRequired, asJ, type J, type Loaded } from "../components/checks/envoy/registry";
import { applyFieldRules } from "../components/checks/envoy/rules";
import { elemTypeOf, SCALAR_OF_WRAPPER, type ElemType } from "../components/checks/envoy/proto-json";

/** A generated JSON Schema node (draft-07). */
export type Schema = { [keyword: string]: unknown };

const TYPE_URL = "type.googleapis.com/";
const DEFS = "#/definitions/";
/** Suffix of a message's definition that also takes the `@type` of the Any it sits in. */
const IN_ANY = "@any";
/** An Any holding any message of the Envoy API (its payload is left to the library). */
const GENERIC_ANY = "google.protobuf.Any";

const INT32 = { minimum: -2147483648, maximum: 2147483647 };
const UINT32 = { minimum: 0, maximum: 4294967295 };
/** A 32-bit integer as a string: what JavaScript's Number() reads (the range is checked on numbers). */
const NUMBER_STRING = "^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+\\.?[0-9]*([eE][-+]?[0-9]+)?|\\.[0-9]+([eE][-+]?[0-9]+)?)$";
const INT64_STRING = "^[-+]?[0-9]+$";
const FLOAT_STRING = "^(NaN|-?Infinity|[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?)$";
/** proto3 JSON Duration: seconds with up to 9 fractional digits and an "s". */
export const DURATION_PATTERN = "^-?[0-9]+(\\.[0-9]{1,9})?s$";
const TIMESTAMP_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$";
const BASE64_PATTERN = "^[A-Za-z0-9+/_-]*=*$";
/** A Duration that is zero or negative, and one that is negative and not zero. */
const NOT_POSITIVE_DURATION = "^(-|0*(\\.0*)?s$)";
const NEGATIVE_DURATION = "^-0*([1-9]|\\.0*[1-9])";

const withNull = (types: string[]): string[] => [...types, "null"];
/** A list item or map value: a message's definition takes null, these may not. */
const notNull = (schema: Schema): Schema => (schema.$ref ? { allOf: [{ type: "object" }, schema] } : schema);

function scalarSchema(t: ScalarType): Schema {
    switch (t) {
        case ScalarType.STRING:
            return { type: ["string"] };
        case ScalarType.BOOL:
            return { type: ["boolean"] };
        case ScalarType.BYTES:
            return { type: ["string"], pattern: BASE64_PATTERN };
        case ScalarType.DOUBLE:
        case ScalarType.FLOAT:
            return { type: ["number", "string"], pattern: FLOAT_STRING };
        case ScalarType.INT32:
        case ScalarType.SINT32:
        case ScalarType.SFIXED32:
            return { type: ["integer", "string"], ...INT32, pattern: NUMBER_STRING };
        case ScalarType.UINT32:
        case ScalarType.FIXED32:
            return { type: ["integer", "string"], ...UINT32, pattern: NUMBER_STRING };
        case ScalarType.UINT64:
        case ScalarType.FIXED64:
            return { type: ["integer", "string"], minimum: 0, maximum: 2 ** 64 - 1, pattern: INT64_STRING };
        default:
            return { type: ["integer", "string"], minimum: -(2 ** 63), maximum: 2 ** 63 - 1, pattern: INT64_STRING };
    }
}

function enumSchema(e: DescEnum, rules: J | undefined): Schema {
    const names = e.values.map((v) => v.name);
    const numbers = e.values.map((v) => v.number);
    const notIn = (rules?.not_in as number[] | undefined) ?? [];
    const refused =
        notIn.length > 0 ? { not: { enum: [...notIn, ...e.values.filter((v) => notIn.includes(v.number)).map((v) => v.name)] } } : {};
    if (rules?.defined_only === true) return { type: ["string", "integer"], enum: [...names, ...numbers], ...refused };
    return { type: ["string", "integer"], ...INT32, pattern: `^(${names.join("|")})$`, ...refused };
}

/** `validate.rules` of a number: bounds, narrowed to the type's own. */
function numberRules(schema: Schema, rules: J | undefined): Schema {
    if (!rules) return schema;
    const out = { ...schema };
    const num = (v: unknown) => (typeof v === "string" ? Number(v) : (v as number));
    if (rules.gt !== undefined) out.exclusiveMinimum = num(rules.gt);
    if (rules.gte !== undefined) out.minimum = Math.max(num(rules.gte), (out.minimum as number | undefined) ?? -Infinity);
    if (rules.lt !== undefined) out.exclusiveMaximum = num(rules.lt);
    if (rules.lte !== undefined) out.maximum = Math.min(num(rules.lte), (out.maximum as number | undefined) ?? Infinity);
    if (rules.const !== undefined) out.const = num(rules.const);
    // PGV's exclusive form (gt above lt) is a union JSON Schema cannot say with these keywords: left to the library.
    const low = (out.exclusiveMinimum ?? out.minimum) as number | undefined;
    const high = (out.exclusiveMaximum ?? out.maximum) as number | undefined;
    if (low !== undefined && high !== undefined && low > high) return schema;
    return out;
}

function stringRules(schema: Schema, rules: J | undefined): Schema {
    if (!rules || rules.ignore_empty === true) return schema;
    const out = { ...schema };
    const len = (v: unknown) => Number(v);
    if (rules.min_len !== undefined) out.minLength = len(rules.min_len);
    if (rules.len !== undefined) out.minLength = out.maxLength = len(rules.len);
    // A string of more characters than max_bytes has more bytes too: refusing it never refuses a valid one.
    const max = [rules.max_len, rules.max_bytes].filter((v) => v !== undefined).map(len);
    if (max.length > 0) out.maxLength = Math.min(...max);
    if (typeof rules.pattern === "string") out.pattern = rules.pattern;
    if (Array.isArray(rules.in)) out.enum = rules.in;
    if (Array.isArray(rules.not_in)) out.not = { enum: rules.not_in };
    if (typeof rules.const === "string") out.const = rules.const;
    return out;
}

/** A rule's Duration bound (proto3 JSON, "0s") is zero. */
function isZeroDuration(v: unknown): boolean {
    return typeof v === "string" && /^-?0+(\.0+)?s$/.test(v);
}

/** Duration rules JSON Schema can say on the string form: positive (gt 0) and not negative (gte 0). */
function durationSchema(rules: J | undefined): Schema {
    const schema: Schema = { type: ["string"], pattern: DURATION_PATTERN };
    if (isZeroDuration(rules?.gt)) return { ...schema, not: { pattern: NOT_POSITIVE_DURATION } };
    if (isZeroDuration(rules?.gte)) return { ...schema, not: { pattern: NEGATIVE_DURATION } };
    return schema;
}

/** The rules of one element kind (`uint32`, `string`, ...) out of a field's rules. */
function kindRules(rules: J | undefined, et: ElemType): J | undefined {
    if (!rules) return undefined;
    if (et.k === "enum") return asJ(rules.enum);
    if (et.k === "message") return asJ(rules.duration);
    return asJ(rules[ScalarType[et.t].toLowerCase()]);
}

/** A message schema's definitions, built once per message. */
export class EnvoySchemaGenerator {
    readonly definitions: Record<string, Schema> = {};
    private readonly l: Loaded = load();
    private allTypeUrls: string[] | undefined;

    /** A `$ref` to a message's definition (built on first use). */
    ref(typeName: string): Schema {
        const desc = this.l.registry.getMessage(typeName);
        if (!desc) throw new Error(`${typeName} is not a message of the Envoy descriptors`);
        this.define(desc);
        return { $ref: `${DEFS}${typeName}` };
    }

    /** The schema of one field of a message, as it sits in that message's definition (its rules applied). */
    fieldSchema(typeName: string, fieldName: string): Schema {
        const desc = this.l.registry.getMessage(typeName);
        const f = desc?.fields.find((g) => g.name === fieldName);
        if (!desc || !f) throw new Error(`${typeName}.${fieldName} is not a field of the Envoy descriptors`);
        return this.field(f, messageRulesOff(this.l, desc) ? undefined : fieldRules(this.l, f));
    }

    private define(desc: DescMessage): void {
        if (this.definitions[desc.typeName]) return;
        this.definitions[desc.typeName] = {}; // recursion stops here; filled below
        this.definitions[desc.typeName] = this.messageSchema(desc);
    }

    /** One element (a field's value, a list item, a map value): null is left to the caller. */
    private elem(et: ElemType, rules: J | undefined, owner: DescField): Schema {
        if (et.k === "scalar") {
            const base = scalarSchema(et.t);
            const own = kindRules(rules, et);
            return et.t === ScalarType.STRING ? stringRules(base, own) : et.t === ScalarType.BYTES ? base : numberRules(base, own);
        }
        if (et.k === "enum") return enumSchema(et.e, kindRules(rules, et));
        return this.messageElem(et.m, rules, owner);
    }

    private messageElem(m: DescMessage, rules: J | undefined, owner: DescField): Schema {
        const wrapped = SCALAR_OF_WRAPPER.get(m.typeName);
        if (wrapped !== undefined) return this.elem({ k: "scalar", t: wrapped }, rules, owner);
        switch (m.typeName) {
            case "google.protobuf.Duration":
                return durationSchema(kindRules(rules, { k: "message", m }));
            case "google.protobuf.Timestamp":
                return { type: ["string"], pattern: TIMESTAMP_PATTERN };
            case "google.protobuf.FieldMask":
                return { type: ["string"] };
            case "google.protobuf.Struct":
                return { type: ["object"] };
            case "google.protobuf.ListValue":
                return { type: ["array"] };
            case "google.protobuf.Value":
                return {};
            case "google.protobuf.Any":
                return this.anySchema(this.narrowedAny(owner));
        }
        // The definition takes null (an unset field); a list item or map value may not be null.
        this.define(m);
        return { $ref: `${DEFS}${m.typeName}` };
    }

    /** The messages an Any field may hold where Envoy narrows them (transport sockets, protocol options). */
    private narrowedAny(owner: DescField): string[] | undefined {
        if (owner.parent.typeName === "envoy.config.core.v3.TransportSocket")
            return this.messagesWhere((n) => n.startsWith(TRANSPORT_SOCKET_PACKAGE));
        if (owner.name === "typed_extension_protocol_options") return this.messagesWhere((n) => n.endsWith("ProtocolOptions"));
        return undefined;
    }

    /** An Any: empty, or an `@type` naming a message of the Envoy API (`narrowed`: one of these, its payload checked). */
    private anySchema(narrowed: string[] | undefined): Schema {
        const base: Schema = { type: ["object"], if: { minProperties: 1 }, then: { required: ["@type"] } };
        if (!narrowed) {
            this.definitions[GENERIC_ANY] ??= {
                ...base,
                type: ["object", "null"],
                properties: { "@type": { type: "string", enum: this.typeUrls() } },
            };
            return { $ref: `${DEFS}${GENERIC_ANY}` };
        }
        return {
            ...base,
            properties: { "@type": { type: "string", enum: narrowed.map((n) => TYPE_URL + n) } },
            allOf: narrowed.map((n) => ({
                if: { properties: { "@type": { const: TYPE_URL + n } }, required: ["@type"] },
                then: { $ref: `${DEFS}${this.inAny(n)}` },
            })),
        };
    }

    /** A message's definition that also takes `@type` (its payload inside an Any). */
    private inAny(typeName: string): string {
        const name = `${typeName}${IN_ANY}`;
        if (!this.definitions[name]) {
            this.ref(typeName);
            const def = this.definitions[typeName];
            this.definitions[name] = { ...def, properties: { ...(def.properties as Schema), "@type": { type: "string" } } };
        }
        return name;
    }

    private messagesWhere(keep: (typeName: string) => boolean): string[] {
        const out: string[] = [];
        for (const t of this.l.registry) if (t.kind === "message" && keep(t.typeName)) out.push(t.typeName);
        return out.sort();
    }

    private typeUrls(): string[] {
        this.allTypeUrls ??= this.messagesWhere(() => true).map((n) => TYPE_URL + n);
        return this.allTypeUrls;
    }

    /** A field's value: its element, a list of them or a map of them, null allowed (unset). */
    private field(f: DescField, rules: J | undefined): Schema {
        const et = elemTypeOf(f);
        if (f.fieldKind === "list") {
            const rr = asJ(rules?.repeated);
            const items = notNull(this.elem(et, asJ(rr?.items), f));
            return {
                type: ["array", "null"],
                items,
                ...(rr?.min_items !== undefined ? { minItems: Number(rr.min_items) } : {}),
                ...(rr?.max_items !== undefined ? { maxItems: Number(rr.max_items) } : {}),
            };
        }
        if (f.fieldKind === "map") {
            const mr = asJ(rules?.map);
            const values = notNull(this.elem(et, asJ(mr?.values), f));
            const keys = f.mapKey === ScalarType.STRING ? stringRules({}, asJ(asJ(mr?.keys)?.string)) : this.mapKeySchema(f.mapKey);
            const byKey = f.name === "typed_extension_protocol_options";
            return {
                type: ["object", "null"],
                ...(Object.keys(keys).length > 0 ? { propertyNames: keys } : {}),
                ...(byKey
                    ? { patternProperties: { [TYPED_OPTIONS_KEY_PATTERN]: values }, additionalProperties: this.anySchema(undefined) }
                    : { additionalProperties: values }),
                ...(mr?.min_pairs !== undefined ? { minProperties: Number(mr.min_pairs) } : {}),
                ...(mr?.max_pairs !== undefined ? { maxProperties: Number(mr.max_pairs) } : {}),
            };
        }
        const one = this.elem(et, rules, f);
        if (!Array.isArray(one.type)) return one;
        return {
            ...one,
            type: withNull(one.type as string[]),
            ...(Array.isArray(one.enum) ? { enum: [...(one.enum as unknown[]), null] } : {}),
        };
    }

    private mapKeySchema(t: ScalarType): Schema {
        if (t === ScalarType.BOOL) return { enum: ["true", "false"] };
        return {
            pattern:
                t === ScalarType.UINT32 || t === ScalarType.UINT64 || t === ScalarType.FIXED32 || t === ScalarType.FIXED64
                    ? "^[0-9]+$"
                    : "^-?[0-9]+$",
        };
    }

    private messageSchema(desc: DescMessage): Schema {
        const rulesOn = !messageRulesOff(this.l, desc);
        const properties: Record<string, Schema> = {};
        const allOf: Schema[] = [];
        const required: string[] = [];
        for (const f of desc.fields) {
            const rules = rulesOn ? fieldRules(this.l, f) : undefined;
            const schema = this.field(f, rules);
            properties[f.name] = schema;
            if (f.jsonName !== f.name) properties[f.jsonName] = schema;
            if (rules && !f.oneof && refusesAbsent(f, rules)) {
                if (f.jsonName === f.name) required.push(f.name);
                else allOf.push({ anyOf: [{ required: [f.name] }, { required: [f.jsonName] }] });
            }
        }
        const dependencies: Record<string, Schema> = {};
        for (const o of desc.oneofs) {
            const names = o.fields.flatMap((f) => [...new Set([f.name, f.jsonName])]);
            for (const f of o.fields)
                for (const name of new Set([f.name, f.jsonName])) {
                    const others = o.fields.filter((g) => g !== f).flatMap((g) => [...new Set([g.name, g.jsonName])]);
                    if (others.length > 0)
                        dependencies[name] = { properties: Object.fromEntries(others.map((n) => [n, { type: "null" }])) };
                }
            if (rulesOn && oneofRequired(this.l, o)) allOf.push({ anyOf: names.map((n) => ({ required: [n] })) });
        }
        return {
            type: ["object", "null"],
            properties,
            additionalProperties: false,
            ...(required.length > 0 ? { required } : {}),
            ...(Object.keys(dependencies).length > 0 ? { dependencies } : {}),
            ...(allOf.length > 0 ? { allOf } : {}),
        };
    }
}

/** Whether the library refuses the field when it is absent (required, or a default its rules refuse). */
function refusesAbsent(f: DescField, rules: J): boolean {
    let refused = false;
    applyFieldRules(f, rules, undefined, "", () => (refused = true));
    return refused;
}
