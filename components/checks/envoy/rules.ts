/**
 * The `validate.rules` (protoc-gen-validate, legacy `validate` package) evaluator: a field's
 * rules applied to the value the walker parsed for it (or, for an absent implicit-presence
 * field, to its default, as PGV does): list and map sizes, uniqueness, required messages,
 * numeric, enum, Duration, Timestamp and Any rules; string and bytes rules in string-rules.ts.
 */
import { fromJson, ScalarType, type DescEnum, type DescField, type JsonValue } from "@bufbuild/protobuf";
import { DurationSchema, TimestampSchema } from "@bufbuild/protobuf/wkt";
import { joinPath } from "../../values/values";
import { elemTypeOf, is64, nanosOf, type ElemType, type FieldParsed, type Parsed, type ScalarValue } from "./proto-json";
import { asJ, type J } from "./registry";
import { bytesRules, stringRules, type Say } from "./string-rules";

/** Report one issue at a path. */
export type Report = (path: string, message: string) => void;

type MapEntry = Extract<FieldParsed, { kind: "map" }>["entries"][number];

/** Apply a field's `validate.rules` to what was parsed for it (`fp` undefined: the field is absent). */
export function applyFieldRules(f: DescField, rules: J, fp: FieldParsed | undefined, p: string, issue: Report): void {
    const et = elemTypeOf(f);
    if (f.fieldKind === "list") {
        const rr = asJ(rules.repeated);
        if (rr) listRules(rr, fp?.kind === "list" ? fp.items : [], et, p, issue);
        return;
    }
    if (f.fieldKind === "map") {
        const mr = asJ(rules.map);
        if (mr) mapRules(mr, fp?.kind === "map" ? fp.entries : [], f.mapKey, et, p, issue);
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
            if (required && !fp && !f.oneof) issue(p, `is required (validate.rules)`);
            return;
        }
        applyElemRules(rules, et, single, p, issue);
        return;
    }
    // scalar / enum
    if (single) {
        applyElemRules(rules, et, single, p, issue);
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
    applyElemRules(rules, et, def, p, issue, "", true);
}

function listRules(rr: J, items: (Parsed | undefined)[], et: ElemType, p: string, issue: Report): void {
    if (rr.ignore_empty === true && items.length === 0) return;
    const min = rr.min_items !== undefined ? Number(rr.min_items) : undefined;
    const max = rr.max_items !== undefined ? Number(rr.max_items) : undefined;
    if (min !== undefined && items.length < min) {
        issue(p, `must have at least ${min} item${min === 1 ? "" : "s"}, got ${items.length} (validate.rules)`);
    }
    if (max !== undefined && items.length > max) {
        issue(p, `must have at most ${max} item${max === 1 ? "" : "s"}, got ${items.length} (validate.rules)`);
    }
    if (rr.unique === true) {
        const seen = new Map<string, number>();
        items.forEach((it, i) => {
            if (!it) return;
            const k = uniqueKey(it);
            if (k === undefined) return;
            const first = seen.get(k);
            if (first !== undefined) issue(joinPath(p, i), `items must be unique; this one repeats item [${first}] (validate.rules)`);
            else seen.set(k, i);
        });
    }
    const itemRules = asJ(rr.items);
    if (itemRules) items.forEach((it, i) => it && applyElemRules(itemRules, et, it, joinPath(p, i), issue));
}

function mapRules(mr: J, entries: MapEntry[], keyType: ScalarType, et: ElemType, p: string, issue: Report): void {
    if (mr.ignore_empty === true && entries.length === 0) return;
    const min = mr.min_pairs !== undefined ? Number(mr.min_pairs) : undefined;
    const max = mr.max_pairs !== undefined ? Number(mr.max_pairs) : undefined;
    if (min !== undefined && entries.length < min)
        issue(p, `must have at least ${min} entr${min === 1 ? "y" : "ies"}, got ${entries.length} (validate.rules)`);
    if (max !== undefined && entries.length > max)
        issue(p, `must have at most ${max} entr${max === 1 ? "y" : "ies"}, got ${entries.length} (validate.rules)`);
    const keyRules = asJ(mr.keys);
    const valueRules = asJ(mr.values);
    for (const e of entries) {
        const ep = joinPath(p, e.key);
        if (keyRules && e.k) applyElemRules(keyRules, { k: "scalar", t: keyType }, e.k, ep, issue, "key ");
        if (valueRules && e.v) applyElemRules(valueRules, et, e.v, ep, issue);
    }
}

/** Apply the type-specific part of a FieldRules to one value. */
function applyElemRules(rules: J, et: ElemType, v: Parsed, p: string, issue: Report, what = "", absent = false): void {
    const say: Say = (msg) => issue(p, `${what}${msg} (validate.rules)`);
    switch (v.k) {
        case "scalar":
            return scalarRules(rules, v.v, say, absent);
        case "enum":
            if (et.k === "enum") enumRules(rules, et.e, v.v, say);
            return;
        case "duration": {
            const dr = asJ(rules.duration);
            if (dr) checkOrdered<bigint>(v.ns, dr, durationJsonToNs, compare, formatDurationNs, "duration", say);
            return;
        }
        case "timestamp":
            return timestampRules(rules, v.ns, say);
        case "any":
            return anyRules(rules, v.typeUrl, say);
    }
}

const NUMERIC_RULES = [
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
] as const;

function compare<T extends number | bigint>(a: T, b: T): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

function scalarRules(rules: J, x: ScalarValue, say: Say, absent: boolean): void {
    for (const numType of NUMERIC_RULES) {
        const r = asJ(rules[numType]);
        if (!r) continue;
        if (r.ignore_empty === true && (x === 0 || x === 0n)) return;
        if (numType === "float" || numType === "double") {
            checkOrdered<number>(Number(x), r, (y) => Number(y), compare, String, "numeric", say);
        } else {
            checkOrdered<bigint>(BigInt(x as number | bigint), r, (y) => BigInt(String(y)), compare, String, "numeric", say);
        }
    }
    const br = asJ(rules.bool);
    if (br && br.const !== undefined && x !== br.const) say(`must be ${String(br.const)}`);
    const sr = asJ(rules.string);
    if (sr && typeof x === "string") stringRules(sr, x, say, absent);
    const byr = asJ(rules.bytes);
    if (byr && x instanceof Uint8Array) bytesRules(byr, x, say);
}

function enumRules(rules: J, e: DescEnum, n: number, say: Say): void {
    const er = asJ(rules.enum);
    if (!er) return;
    if (er.const !== undefined && n !== Number(er.const)) say(`must be ${enumName(e, Number(er.const))}`);
    if (er.defined_only === true && !e.values.some((x) => x.number === n)) say(`${n} is not a defined value of ${e.typeName}`);
    const inList = Array.isArray(er.in) ? er.in.map(Number) : [];
    if (inList.length && !inList.includes(n)) say(`${enumName(e, n)} must be one of ${inList.map((i) => enumName(e, i)).join(", ")}`);
    const notIn = Array.isArray(er.not_in) ? er.not_in.map(Number) : [];
    if (notIn.includes(n)) say(`${enumName(e, n)} is not allowed here`);
}

function timestampRules(rules: J, ns: bigint, say: Say): void {
    const tr = asJ(rules.timestamp);
    if (!tr) return;
    checkOrdered<bigint>(ns, tr, timestampJsonToNs, compare, formatTimestampNs, "timestamp", say);
    const now = BigInt(Date.now()) * 1_000_000n;
    if (tr.lt_now === true && !(ns < now)) say("must be in the past");
    if (tr.gt_now === true && !(ns > now)) say("must be in the future");
    if (typeof tr.within === "string") {
        const w = durationJsonToNs(tr.within);
        const d = ns > now ? ns - now : now - ns;
        if (d > w) say(`must be within ${tr.within} of now`);
    }
}

function anyRules(rules: J, typeUrl: string, say: Say): void {
    const ar = asJ(rules.any);
    if (!ar) return;
    if (Array.isArray(ar.in) && ar.in.length && !ar.in.includes(typeUrl))
        say(`type ${JSON.stringify(typeUrl)} must be one of ${ar.in.map((x) => JSON.stringify(x)).join(", ")}`);
    if (Array.isArray(ar.not_in) && ar.not_in.includes(typeUrl)) say(`type ${JSON.stringify(typeUrl)} is not allowed here`);
}

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
    say: Say,
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
