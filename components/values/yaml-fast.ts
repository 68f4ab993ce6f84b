/**
 * The fast way through a values file: js-yaml (several times quicker than the `yaml` package)
 * reads a file written in plain block YAML, and the answer is taken only when it is certain to be
 * the one the full reader (yaml-reader.ts) would give. Anything else — a syntax js-yaml and the
 * `yaml` package might read differently (tabs, anchors and aliases, tags, block scalars, flow
 * collections other than `[]` and `{}`, directives, complex keys, merge keys), and every problem
 * (a duplicate key, a second document, deep nesting, a YAML 1.1 lookalike, a key that is not
 * plain data) — returns undefined, and the full reader reads the file and names the problem at
 * `file:line:col`. test/values-reader-fast.test.ts holds the two readers to the same answers.
 */
import { FAILSAFE_SCHEMA, load, Type } from "js-yaml";
import { helmPlainScalar, plainIsString, sameValue, yaml12PlainScalar } from "./yaml-plain";

/** Thrown inside js-yaml to leave the fast way; never seen by a caller. */
class NotCertain extends Error {}

/**
 * Text the fast way leaves to the full reader: tabs, lone CRs, BOMs, directives and document-end
 * markers, content on a `---` line, an indicator that starts a token (`&` anchor, `*` alias,
 * `!` tag, `|`/`>` block scalar, `?` complex key, reserved `@` and backtick, `%`), and any `[` or
 * `{` but an empty `[]`/`{}`, and a `#` right after a quote (a comment the `yaml` package refuses). Quoted text or plain words that hold these only cost the fast way.
 */
const NOT_PLAIN_BLOCK = /[\t\ufeff]|\r(?!\n)|^(?:%|\.\.\.|---\S|--- *\S)|(?:^|[\s[{,])[&*!|>?@`%]|[[{](?![\]}])|["']#/m;

/**
 * Keys the fast way leaves to the full reader: the ones it refuses or reads as a merge, and
 * `null` (js-yaml names a null key `null`, the `yaml` package names it with the empty string).
 */
const NOT_FAST_KEYS = new Set(["__proto__", "constructor", "prototype", "<<", "null"]);

/**
 * The commonest plain scalars, read without trying every pattern: a word (a letter, then letters,
 * digits and `_ . / -`) that is none of the booleans or nulls of either reader is that string to
 * both; a decimal integer with no sign, no leading zero and at most 15 digits is that number to both.
 */
const PLAIN_WORD = /^[A-Za-z][A-Za-z0-9_./-]*$/;
const WORDS_READ_OTHERWISE = new Set(
    "y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF null Null NULL".split(" "),
);
const PLAIN_DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;

/** A plain scalar, read as both helm and the YAML 1.2 reader read it; if they differ, not certain. */
function plainScalar(text: string): unknown {
    if (plainIsString(text)) return text;
    if (PLAIN_WORD.test(text) && !WORDS_READ_OTHERWISE.has(text)) return text;
    if (PLAIN_DECIMAL.test(text)) return Number(text);
    if (text === "<<") throw new NotCertain();
    const value = yaml12PlainScalar(text);
    if (!sameValue(helmPlainScalar(text), value)) throw new NotCertain();
    return value;
}

/** js-yaml's failsafe schema (strings, lists, maps) with every plain scalar read by plainScalar. */
const SCHEMA = FAILSAFE_SCHEMA.extend({
    implicit: [new Type("tag:gloo-keepalive,2026:plain", { kind: "scalar", resolve: () => true, construct: plainScalar })],
});

/** Every key plain data, no merge key: what the full reader's inspection would let through. */
function plainKeys(value: unknown): boolean {
    if (Array.isArray(value)) return value.every(plainKeys);
    if (value === null || typeof value !== "object") return true;
    for (const key of Object.keys(value)) {
        if (NOT_FAST_KEYS.has(key) || !plainKeys((value as Record<string, unknown>)[key])) return false;
    }
    return true;
}

/**
 * The values of a file in plain block YAML, exactly as the full reader would return them, or
 * undefined when the full reader must read it (it may be fine, or it may hold a problem).
 * The text has already passed the character check.
 */
export function readPlainBlockYaml(text: string): Record<string, unknown> | undefined {
    if (NOT_PLAIN_BLOCK.test(text)) return undefined;
    let value: unknown;
    try {
        value = load(text, {
            schema: SCHEMA,
            onWarning: () => {
                throw new NotCertain();
            },
        });
    } catch {
        return undefined;
    }
    if (value === null || value === undefined) return {};
    if (typeof value !== "object" || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
    return plainKeys(value) ? (value as Record<string, unknown>) : undefined;
}
