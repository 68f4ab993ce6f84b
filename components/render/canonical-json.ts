/**
 * JSON text byte-identical to Helm's `toPrettyJson` (Go's json.MarshalIndent with two spaces):
 * keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped, `\b` and `\f` as `\u0008` and `\u000c`.
 * The bootstrap is stored in this form in the ConfigMap, so the chart and the library write the
 * same bytes and the same checksum.
 */

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (typeof value === "object" && value !== null) {
        const out: Record<string, unknown> = {};
        for (const key of goSorted(Object.keys(value))) out[key] = sortKeys((value as Record<string, unknown>)[key]);
        return out;
    }
    return value;
}

/**
 * Keys in Go's order: map keys sorted bytewise (UTF-8), which is code-point order. JavaScript's
 * default sort compares UTF-16 code units: the same order unless a key holds a surrogate pair, so
 * only then are the keys compared as UTF-8 bytes.
 */
function goSorted(keys: string[]): string[] {
    if (keys.some((k) => SURROGATE.test(k))) return keys.sort((a, b) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")));
    if (keys.length > SMALL) return keys.sort();
    // The keys of an object are few: sorted in place by insertion, without the copy Array.prototype.sort makes.
    for (let i = 1; i < keys.length; i++) {
        const key = keys[i];
        let j = i - 1;
        for (; j >= 0 && keys[j] > key; j--) keys[j + 1] = keys[j];
        keys[j + 1] = key;
    }
    return keys;
}
const SMALL = 24;
const SURROGATE = /[\uD800-\uDFFF]/;

const GO_ESCAPES: Record<string, string> = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
    "\\b": "\\u0008",
    "\\f": "\\u000c",
};

/** Something in JSON.stringify's text that Go writes otherwise (an escaped backslash before "b" or "f" included). */
const GO_DIFFERS = /\\[bf]|[<>&\u2028\u2029]/;

/** `toPrettyJson` as Helm writes it. */
export function goPrettyJson(value: unknown): string {
    const text = JSON.stringify(sortKeys(value), null, 2);
    // Most texts hold nothing Go writes otherwise: they are taken as they are, without the replace.
    if (!GO_DIFFERS.test(text)) return text;
    // Pairs of backslashes are matched first so an escaped backslash followed by "b" stays as it is.
    return text.replace(/\\\\|\\b|\\f|[<>&\u2028\u2029]/g, (m) => GO_ESCAPES[m] ?? m);
}
