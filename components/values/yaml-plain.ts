/**
 * What one plain (unquoted, untagged) YAML scalar means: to helm (YAML 1.1, as go-yaml reads it)
 * and to the `yaml` package's YAML 1.2 core schema, which the values reader uses. The reader
 * refuses a plain scalar the two read differently (`010`, `6_0`, `yes`), so the chart and the
 * library always see the same values. Kept free of imports: the fast reader (yaml-fast.ts) uses
 * it without loading the `yaml` package; test/values-reader-fast.test.ts holds the YAML 1.2
 * patterns below to the ones the `yaml` package carries.
 */

/** Characters YAML does not allow in a stream, and the ones YAML 1.1 (helm) reads as line breaks. */
export const FORBIDDEN_CHAR = /[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** How helm (YAML 1.1, as go-yaml reads a plain scalar) reads one plain scalar. */
export function helmPlainScalar(text: string): unknown {
    if (/^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(text)) return true;
    if (/^(?:n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/.test(text)) return false;
    if (/^(?:~|null|Null|NULL|)$/.test(text)) return null;
    if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
    if (/^\.(?:nan|NaN|NAN)$/.test(text)) return NaN;
    const plain = text.replace(/_/g, "");
    const int = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$/.exec(plain);
    if (int) {
        const digits = int[2];
        const value = /^0[0-7]/.test(digits) ? parseInt(digits.slice(1), 8) : Number(digits);
        return int[1] === "-" ? -value : value;
    }
    if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(plain)) return Number(plain);
    return text;
}

/** The YAML 1.2 core schema's plain-scalar patterns, in the `yaml` package's order, and what each reads to. */
export const YAML12_CORE_PLAIN: readonly { tag: string; test: RegExp; read: (text: string) => unknown }[] = [
    { tag: "tag:yaml.org,2002:null", test: /^(?:~|[Nn]ull|NULL)?$/, read: () => null },
    { tag: "tag:yaml.org,2002:bool", test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, read: (t) => t[0] === "t" || t[0] === "T" },
    { tag: "tag:yaml.org,2002:int", test: /^0o[0-7]+$/, read: (t) => parseInt(t.slice(2), 8) },
    { tag: "tag:yaml.org,2002:int", test: /^[-+]?[0-9]+$/, read: (t) => parseInt(t, 10) },
    { tag: "tag:yaml.org,2002:int", test: /^0x[0-9a-fA-F]+$/, read: (t) => parseInt(t.slice(2), 16) },
    {
        tag: "tag:yaml.org,2002:float",
        test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
        read: (t) => (t.slice(-3).toLowerCase() === "nan" ? NaN : t[0] === "-" ? -Infinity : Infinity),
    },
    { tag: "tag:yaml.org,2002:float", test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, read: (t) => parseFloat(t) },
    { tag: "tag:yaml.org,2002:float", test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, read: (t) => parseFloat(t) },
];

/** How the YAML 1.2 core schema reads one plain scalar. */
export function yaml12PlainScalar(text: string): unknown {
    for (const { test, read } of YAML12_CORE_PLAIN) if (test.test(text)) return read(text);
    return text;
}

/** Characters a plain scalar must start with to be anything but a string, to helm or to YAML 1.2. */
const NOT_ONLY_STRING_START = new Set("yYnNtTfFoO~+-._0123456789");

/** A plain scalar both readers take as this string: no pattern of either can match it. */
export function plainIsString(text: string): boolean {
    return text.length > 0 && !NOT_ONLY_STRING_START.has(text[0]);
}

/** Whether two readings are the same value (NaN is NaN; -0 is 0). */
export function sameValue(a: unknown, b: unknown): boolean {
    return Object.is(a, b) || (typeof a === "number" && typeof b === "number" && a === b);
}
