/**
 * What the walker remembers across messages: the issues one message value produced, by the exact
 * canonical text of that value (every field, every name, address and port included), its type,
 * whether rules were on and its depth. A value equal to one already walked gets the same issues,
 * moved to its own path, without a second walk: 5000 static clusters that differ only in names and
 * endpoints still walk their names and endpoints, but their shared circuit breakers, health
 * checks and typed options once. A type whose values keep differing (the cluster itself, its
 * endpoints) stops being remembered after a few misses, so the key is not paid for nothing.
 */
import type { DescMessage } from "@bufbuild/protobuf";
import type { ValueIssue } from "../../values/values";

/** A remembered walk: each issue's path after the message's own path, and its message. */
export type Remembered = readonly { suffix: string; message: string }[];

const MAX_KEY_DEPTH = 48;
const MAX_ENTRIES = 50_000;
/** After this many misses, a type stays remembered only while at least one lookup in HIT_RATIO hits; it is tried again after RETRY skipped values. */
const MIN_MISSES = 32;
const HIT_RATIO = 8;
const RETRY = 4096;

const remembered = new Map<string, Remembered>();
const stats = new Map<DescMessage, { hits: number; misses: number; skipped: number }>();

/**
 * The canonical text of a plain JSON value, or undefined where a text could conflate two values the
 * walker tells apart (undefined, NaN, infinities, -0, a non-plain object, a cycle or a very deep value).
 */
export function canonicalText(v: unknown, depth = 0): string | undefined {
    if (v === null) return "null";
    switch (typeof v) {
        case "string":
            return JSON.stringify(v);
        case "boolean":
            return v ? "true" : "false";
        case "number":
            return Number.isFinite(v) && !Object.is(v, -0) ? String(v) : undefined;
        case "object":
            break;
        default:
            return undefined;
    }
    if (depth > MAX_KEY_DEPTH) return undefined;
    if (Array.isArray(v)) {
        let out = "[";
        for (let i = 0; i < v.length; i++) {
            const t = canonicalText(v[i], depth + 1);
            if (t === undefined) return undefined;
            out += i === 0 ? t : `,${t}`;
        }
        return `${out}]`;
    }
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return undefined;
    let out = "{";
    let first = true;
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        const t = canonicalText(child, depth + 1);
        if (t === undefined) return undefined;
        out += `${first ? "" : ","}${JSON.stringify(k)}:${t}`;
        first = false;
    }
    return `${out}}`;
}

/** The memo key of one message walk, or undefined if this value (or this type, for now) is not remembered. */
export function memoKey(desc: DescMessage, v: unknown, p: string, rulesOn: boolean, depth: number): string | undefined {
    // joinPath writes a top-level key without a dot: a remembered suffix only fits under a non-empty path.
    if (p === "") return undefined;
    const s = stats.get(desc);
    if (s && s.misses >= MIN_MISSES && s.hits * HIT_RATIO < s.misses) {
        if (++s.skipped < RETRY) return undefined;
        stats.delete(desc);
    }
    const text = canonicalText(v);
    return text === undefined ? undefined : `${desc.typeName}|${rulesOn ? 1 : 0}|${depth}|${text}`;
}

/** The issues remembered for `key`, moved under `p`, or undefined (a miss, counted). */
export function recall(desc: DescMessage, key: string, p: string): ValueIssue[] | undefined {
    const r = remembered.get(key);
    let s = stats.get(desc);
    if (!s) stats.set(desc, (s = { hits: 0, misses: 0, skipped: 0 }));
    if (!r) {
        s.misses++;
        return undefined;
    }
    s.hits++;
    return r.map((i) => ({ path: p + i.suffix, message: i.message }));
}

/** Remember the issues `issues` (all under `p`) of the walk of `key`. */
export function remember(key: string, p: string, issues: readonly ValueIssue[]): void {
    if (issues.some((i) => !i.path.startsWith(p))) return;
    if (remembered.size >= MAX_ENTRIES) remembered.clear();
    remembered.set(
        key,
        issues.map((i) => ({ suffix: i.path.slice(p.length), message: i.message })),
    );
}
