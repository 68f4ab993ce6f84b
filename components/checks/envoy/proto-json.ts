/**
 * proto3 JSON leaf values as Envoy reads them from YAML: scalars and wrappers (validity decided
 * by @bufbuild/protobuf's conformance-tested parser via the wrapper well-known types), enums by
 * name or number, Durations and Timestamps, and what the rules are evaluated on once parsed.
 */
import { fromJson, ScalarType, type DescEnum, type DescField, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import {
    BoolValueSchema,
    BytesValueSchema,
    DoubleValueSchema,
    FloatValueSchema,
    Int32ValueSchema,
    Int64ValueSchema,
    StringValueSchema,
    UInt32ValueSchema,
    UInt64ValueSchema,
} from "@bufbuild/protobuf/wkt";
import { describe, isJsonObject, joinPath, type ValueIssue } from "../../values/values";
import { closest } from "../../values/suggest";

/** protobuf's default recursion limit for parsing. */
export const MAX_DEPTH = 100;

export function errorMessage(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

export type ScalarValue = number | bigint | string | boolean | Uint8Array;

export const WRAPPER_OF_SCALAR: Record<ScalarType, DescMessage> = {
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
export const SCALAR_OF_WRAPPER = new Map<string, ScalarType>([
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

export function scalarName(t: ScalarType): string {
    return ScalarType[t].toLowerCase();
}
export function isIntegerType(t: ScalarType): boolean {
    return t !== ScalarType.DOUBLE && t !== ScalarType.FLOAT && t !== ScalarType.BOOL && t !== ScalarType.STRING && t !== ScalarType.BYTES;
}
export function is64(t: ScalarType): boolean {
    return (
        t === ScalarType.INT64 ||
        t === ScalarType.UINT64 ||
        t === ScalarType.SINT64 ||
        t === ScalarType.FIXED64 ||
        t === ScalarType.SFIXED64
    );
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseScalar(t: ScalarType, v: unknown): ParseResult<ScalarValue> {
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

export function parseEnum(e: DescEnum, v: unknown): ParseResult<number> {
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

export type Parsed =
    | { k: "scalar"; t: ScalarType; v: ScalarValue }
    | { k: "enum"; v: number }
    | { k: "duration"; ns: bigint }
    | { k: "timestamp"; ns: bigint }
    | { k: "any"; typeUrl: string }
    | { k: "message" };

export type ElemType = { k: "scalar"; t: ScalarType } | { k: "enum"; e: DescEnum } | { k: "message"; m: DescMessage };

export type FieldParsed =
    | { kind: "single"; p: Parsed | undefined }
    | { kind: "list"; items: (Parsed | undefined)[] }
    | { kind: "map"; entries: { key: string; k: Parsed | undefined; v: Parsed | undefined }[] };

export function nanosOf(m: { seconds: bigint; nanos: number }): bigint {
    return m.seconds * 1_000_000_000n + BigInt(m.nanos);
}

export function elemTypeOf(f: DescField): ElemType {
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
export const SPECIAL_JSON_WKT = new Set([
    "google.protobuf.Any",
    "google.protobuf.Duration",
    "google.protobuf.Timestamp",
    "google.protobuf.FieldMask",
    "google.protobuf.Struct",
    "google.protobuf.Value",
    "google.protobuf.ListValue",
    ...SCALAR_OF_WRAPPER.keys(),
]);

export function findNonJson(v: unknown, p: string, depth: number): ValueIssue | undefined {
    if (depth > MAX_DEPTH) return { path: p, message: `nesting is deeper than ${MAX_DEPTH} levels` };
    if (v === null || typeof v === "string" || typeof v === "boolean") return undefined;
    if (typeof v === "number") return Number.isFinite(v) ? undefined : { path: p, message: `${v} is not a JSON number` };
    if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
            const bad = findNonJson(v[i], joinPath(p, i), depth + 1);
            if (bad) return bad;
        }
        return undefined;
    }
    if (isJsonObject(v)) {
        for (const [k, x] of Object.entries(v)) {
            const bad = findNonJson(x, joinPath(p, k), depth + 1);
            if (bad) return bad;
        }
        return undefined;
    }
    return { path: p, message: `${describe(v)} is not a JSON value` };
}

export function stripBufPrefix(m: string): string {
    return m.replace(/^cannot decode [^:]+ from JSON: /, "");
}
