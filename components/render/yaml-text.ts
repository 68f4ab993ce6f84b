/**
 * YAML text of rendered data, byte for byte what js-yaml's `dump(value, { noRefs: true,
 * lineWidth: -1, sortKeys: false })` writes, several times faster on large outputs. Only the
 * structure (block mappings and sequences, indentation) is written here; every scalar and every
 * key is still written by js-yaml itself, once per distinct value (a render repeats the same keys
 * and values thousands of times), so quoting, escaping and block scalars follow js-yaml's rules
 * exactly. Data that is not plain JSON (a Date, a class instance, a function) is handed to
 * js-yaml whole.
 */
import * as yaml from "js-yaml";

const OPTIONS: yaml.DumpOptions = { noRefs: true, lineWidth: -1, sortKeys: false };
const dump = (value: unknown) => yaml.dump(value, OPTIONS);

const scalars = new Map<unknown, string>();
const keys = new Map<string, string | null>();

/**
 * Multi-line printable ASCII with no space at the start, at a line's end or before the end, and no
 * final newline: js-yaml writes it as a `|-` literal block (an embedded JSON document, say).
 * Written here without js-yaml's scan of every character; anything else goes to js-yaml.
 */
const LITERAL_BLOCK = /^[!-~][ -~\n]*[!-~]$/;
const SPACE_AT_LINE_END = / \n|\n\n/;

/**
 * Strings js-yaml writes as they are: a letter, then letters, digits and `_ . / : -`, not ending in
 * `:`. No character of these needs quoting in a plain scalar; a letter first rules out every
 * number, date and `<<` js-yaml's schema reads; what remains are the words below, which read as a
 * boolean or null (the YAML 1.1 ones js-yaml quotes for compatibility included).
 */
const PLAIN_STRING = /^[A-Za-z](?:[A-Za-z0-9_./:-]*[A-Za-z0-9_./-])?$/;
const AMBIGUOUS_WORDS = new Set(
    "null Null NULL true True TRUE false False FALSE y Y yes Yes YES on On ON n N no No NO off Off OFF".split(" "),
);

/** True for a string js-yaml writes unquoted, as it is (see PLAIN_STRING). */
export function writtenAsIs(value: string): boolean {
    return PLAIN_STRING.test(value) && !AMBIGUOUS_WORDS.has(value);
}

/** A long multi-line string js-yaml writes as a `|-` literal block, recognised without js-yaml's scan. */
function isLiteralBlock(value: string | number | boolean | null): value is string {
    return (
        typeof value === "string" &&
        value.length > 256 &&
        value.includes("\n") &&
        LITERAL_BLOCK.test(value) &&
        !SPACE_AT_LINE_END.test(value)
    );
}

/** A scalar's text as js-yaml writes it at the top level (block scalars: their header and lines, unindented). */
function scalarText(value: string | number | boolean | null): string {
    if (typeof value === "string" && value.length <= 256 && writtenAsIs(value)) return value;
    if (isLiteralBlock(value)) return `|-\n  ${value.replace(/\n/g, "\n  ")}`;
    // A Map holds 0 and -0 as one key, and js-yaml writes them differently: -0 is never cached.
    if (Object.is(value, -0)) return dump(value).replace(/\n$/, "");
    let text = scalars.get(value);
    if (text === undefined) {
        text = dump(value).replace(/\n$/, "");
        if (scalars.size > 100_000) scalars.clear();
        scalars.set(value, text);
    }
    return text;
}

/** A mapping key as js-yaml writes it, or null where js-yaml writes it otherwise than `key: value`. */
function keyText(key: string): string | null {
    let text = keys.get(key);
    if (text === undefined) {
        const line = dump({ [key]: null });
        text = line.endsWith(": null\n") && !line.startsWith("? ") && line.indexOf("\n") === line.length - 1 ? line.slice(0, -7) : null;
        if (keys.size > 100_000) keys.clear();
        keys.set(key, text);
    }
    return text;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function isPlainData(value: unknown): value is Json {
    if (value === null) return true;
    switch (typeof value) {
        case "string":
        case "boolean":
        case "number":
            return true;
        case "object":
            return Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype;
        default:
            return false;
    }
}

/**
 * A scalar after `key:` or `- `, where `indent` is the key's or the dash's indentation: a block
 * scalar's lines (indented by two at the top level) move right by it; its blank lines stay empty.
 */
function inlineScalar(value: string | number | boolean | null, indent: string): string {
    // A literal block (see LITERAL_BLOCK) has no empty line: each line moves right by the indent, written in one pass.
    if (indent !== "" && isLiteralBlock(value)) return ` |-\n${indent}  ${value.replace(/\n/g, `\n${indent}  `)}`;
    const text = scalarText(value);
    if (!text.includes("\n") || indent === "") return ` ${text}`;
    return ` ${text
        .split("\n")
        .map((line, i) => (i === 0 || line === "" ? line : indent + line))
        .join("\n")}`;
}

/** Indentation by depth (two spaces a level), each made once. */
const INDENTS = [""];
function indentAt(depth: number): string {
    while (INDENTS.length <= depth) INDENTS.push(`${INDENTS[INDENTS.length - 1]}  `);
    return INDENTS[depth];
}

/** A non-empty plain object's keys, or undefined for anything else (an array, a scalar, `{}`). */
function mappingKeys(value: Json): string[] | undefined {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    const keys = Object.keys(value);
    return keys.length > 0 ? keys : undefined;
}

const LINES_PER_BLOCK = 4096;

class Emitter {
    out: string[] = [];
    /** False when the data holds something this emitter does not write as js-yaml would. */
    ok = true;

    node(value: Json): void {
        if (Array.isArray(value)) return value.length === 0 ? this.emit("[]") : this.sequence(value, 0, "");
        if (value !== null && typeof value === "object") {
            const keys = mappingKeys(value);
            return keys ? this.mapping(value as { [key: string]: Json }, keys, 0, "") : this.emit("{}");
        }
        this.emit(inlineScalar(value, "").slice(1));
    }

    /** Lines already joined, a block at a time: a large document is not held as one string per line. */
    private readonly blocks: string[] = [];

    emit(line: string): void {
        this.out.push(line);
        if (this.out.length === LINES_PER_BLOCK) {
            this.blocks.push(this.out.join("\n"));
            this.out = [];
        }
    }

    /** Every line written, newline-separated, with a final newline. */
    text(): string {
        if (this.out.length > 0) this.blocks.push(this.out.join("\n"));
        return `${this.blocks.join("\n")}\n`;
    }

    /** `first` prefixes the first line (a `- ` of the enclosing sequence, already indented); the rest are at `depth`. */
    mapping(value: { [key: string]: Json }, keys: readonly string[], depth: number, first: string): void {
        let prefix = first;
        const indent = indentAt(depth);
        for (const key of keys) {
            const child = value[key];
            const k = keyText(key);
            if (k === null || !isPlainData(child)) {
                this.ok = false;
                return;
            }
            this.child(`${prefix}${k}:`, child, depth);
            prefix = indent;
        }
    }

    sequence(value: Json[], depth: number, first: string): void {
        let prefix = first;
        const indent = indentAt(depth);
        for (const item of value) {
            if (!isPlainData(item)) {
                this.ok = false;
                return;
            }
            if (Array.isArray(item)) {
                if (item.length > 0) this.sequence(item, depth + 1, `${prefix}- `);
                else this.emit(`${prefix}- []`);
            } else if (item !== null && typeof item === "object") {
                const keys = mappingKeys(item);
                if (keys) this.mapping(item, keys, depth + 1, `${prefix}- `);
                else this.emit(`${prefix}- {}`);
            } else this.emit(`${prefix}-${inlineScalar(item, indent)}`);
            prefix = indent;
        }
    }

    /** A mapping entry's value (the key at `depth`): a nested block below the key, or a scalar / empty collection after it. */
    child(head: string, child: Json, depth: number): void {
        if (Array.isArray(child)) {
            if (child.length === 0) return this.emit(`${head} []`);
            this.emit(head);
            return this.sequence(child, depth + 1, indentAt(depth + 1));
        }
        if (child !== null && typeof child === "object") {
            const keys = mappingKeys(child);
            if (!keys) return this.emit(`${head} {}`);
            this.emit(head);
            return this.mapping(child, keys, depth + 1, indentAt(depth + 1));
        }
        this.emit(`${head}${inlineScalar(child, indentAt(depth))}`);
    }
}

/** The YAML text js-yaml would write for `value` (with the options above). */
export function yamlText(value: unknown): string {
    if (!isPlainData(value)) return dump(value);
    const emitter = new Emitter();
    emitter.node(value);
    return emitter.ok ? emitter.text() : dump(value);
}
