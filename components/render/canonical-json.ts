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
        for (const key of Object.keys(value).sort(compareGo)) out[key] = sortKeys((value as Record<string, unknown>)[key]);
        return out;
    }
    return value;
}

/**
 * Go sorts map keys bytewise (UTF-8), which is code-point order. JavaScript's default sort
 * compares UTF-16 code units: the same order unless a key holds a surrogate pair.
 */
function compareGo(a: string, b: string): number {
    if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
    return a < b ? -1 : a > b ? 1 : 0;
}
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

/** `toPrettyJson` as Helm writes it. */
export function goPrettyJson(value: unknown): string {
    const text = JSON.stringify(sortKeys(value), null, 2);
    // Pairs of backslashes are matched first so an escaped backslash followed by "b" stays as it is.
    return text.replace(/\\\\|\\b|\\f|[<>&\u2028\u2029]/g, (m) => GO_ESCAPES[m] ?? m);
}
