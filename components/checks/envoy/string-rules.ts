/**
 * The `validate.rules` (protoc-gen-validate) string and bytes rules: lengths, patterns, prefixes,
 * the well-known formats (hostname, email, IP, URI, UUID, HTTP header names and values).
 * Patterns are RE2, as in PGV: they are evaluated with re2js, each compiled once; re2js is loaded
 * only when a value meets its first pattern rule (most bootstraps meet none).
 */
import { isIP } from "node:net";
import type { RE2JS } from "re2js";
import { errorMessage } from "./proto-json";
import type { J } from "./registry";

/** A rule failed: the message (the caller adds the path and "(validate.rules)"). */
export type Say = (message: string) => void;

const patterns = new Map<string, RE2JS | string>();

/** A `validate.rules` pattern compiled (once) as RE2, or why RE2 refuses it. */
function compileRe2(pattern: string): RE2JS | string {
    let re = patterns.get(pattern);
    if (re === undefined) {
        try {
            re = (require("re2js") as typeof import("re2js")).RE2JS.compile(pattern);
        } catch (e) {
            re = errorMessage(e);
        }
        patterns.set(pattern, re);
    }
    return re;
}

/** The `pattern` rule: RE2 finds a match somewhere in the value (as PGV's RE2 PartialMatch does). */
function checkPattern(pattern: string, input: string | Uint8Array, say: Say, quoted: string): void {
    const re = compileRe2(pattern);
    if (typeof re === "string") say(`the pattern ${JSON.stringify(pattern)} is not valid RE2: ${re}`);
    else if (!re.test(input)) say(`value ${quoted}does not match the pattern ${JSON.stringify(pattern)}`);
}

/** A string's exact, least and most size (`[len, min, max]` rules), counted in characters or in bytes. */
function sizeRules(s: string, size: number, unit: "character" | "byte", [len, min, max]: unknown[], say: Say, absent: boolean): void {
    if (len === undefined && min === undefined && max === undefined) return;
    const q = JSON.stringify(s);
    if (len !== undefined && size !== Number(len)) say(`value ${q} must be exactly ${Number(len)} ${unit}s long`);
    if (min !== undefined && size < Number(min)) {
        const n = Number(min);
        say(
            s === ""
                ? `must not be empty${absent ? " (the field is missing)" : ""}: at least ${n} ${unit}${n === 1 ? "" : "s"} required`
                : `value ${q} is too short: at least ${n} ${unit}s required`,
        );
    }
    if (max !== undefined && size > Number(max)) say(`value is too long (${size} ${unit}s): at most ${Number(max)} allowed`);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Apply string rules to one string value (`absent`: the field is missing and checked as ""). */
export function stringRules(r: J, s: string, say: Say, absent: boolean): void {
    if (r.ignore_empty === true && s === "") return;
    const q = JSON.stringify(s);
    // Code points: a string without surrogates has one per UTF-16 unit.
    const chars = SURROGATE.test(s) ? [...s].length : s.length;
    const bytes = Buffer.byteLength(s, "utf8");
    if (typeof r.const === "string" && s !== r.const) say(`value ${q} must equal ${JSON.stringify(r.const)}`);
    sizeRules(s, chars, "character", [r.len, r.min_len, r.max_len], say, absent);
    sizeRules(s, bytes, "byte", [r.len_bytes, r.min_bytes, r.max_bytes], say, absent);
    if (typeof r.pattern === "string") checkPattern(r.pattern, s, say, `${q} `);
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

/** PGV's well-known regexes (protoc-gen-validate templates); control characters are what they exclude. */
/* eslint-disable no-control-regex */
const STRICT_HEADER_NAME = /^:?[0-9a-zA-Z!#$%&'*+\-.^_|~`]+$/;
const STRICT_HEADER_VALUE = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;
const LOOSE_HEADER = /^[^\u0000\u000A\u000D]*$/;
/* eslint-enable no-control-regex */

/** Apply bytes rules to one bytes value. */
export function bytesRules(r: J, b: Uint8Array, say: Say): void {
    const show = (x: Uint8Array): string => `${x.length} bytes`;
    if (r.ignore_empty === true && b.length === 0) return;
    const buf = Buffer.from(b);
    const dec = (x: unknown): Buffer => Buffer.from(String(x), "base64");
    if (r.const !== undefined && !buf.equals(dec(r.const))) say(`value must equal the configured constant`);
    if (r.len !== undefined && b.length !== Number(r.len)) say(`value (${show(b)}) must be exactly ${Number(r.len)} bytes long`);
    if (r.min_len !== undefined && b.length < Number(r.min_len))
        say(`value (${show(b)}) is too short: at least ${Number(r.min_len)} bytes required`);
    if (r.max_len !== undefined && b.length > Number(r.max_len))
        say(`value (${show(b)}) is too long: at most ${Number(r.max_len)} bytes allowed`);
    if (typeof r.pattern === "string") checkPattern(r.pattern, b, say, "");
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
