/**
 * Reading a values file that may be hostile or careless, with the `yaml` package: one document
 * only, duplicate keys refused, aliases bounded (an alias bomb is refused at once, an alias inside
 * its own anchor too), nesting bounded, UTF-8 only (a BOM read as helm reads it), keys that are
 * not plain data (`__proto__`, `constructor`, `prototype`) refused, and plain scalars that helm's
 * YAML 1.1 reads otherwise (`010`, `6_0`, `yes`) refused, so that the chart and the library see
 * the same values. Every problem names `file:line:col` and, where there is one, the value path.
 */
import type { Alias, Document, LineCounter, Node, Scalar } from "yaml";
import { formatPath, isPlainObject, ValuesError, type ValueIssue } from "./values";
import { readPlainBlockYaml } from "./yaml-fast";
import { FORBIDDEN_CHAR, helmPlainScalar, sameValue } from "./yaml-plain";

export { helmPlainScalar } from "./yaml-plain";

/** The `yaml` package, loaded only for a file the fast reader (yaml-fast.ts) leaves to this one. */
const yamlPackage = (): typeof import("yaml") => require("yaml") as typeof import("yaml");

/** Aliases a values file may use (as helm, refusing "excessive aliasing" long before a bomb grows). */
export const MAX_ALIAS_COUNT = 100;
/** Nesting a values file may have: far above any real values file, far below a stack overflow. */
export const MAX_DEPTH = 100;
/** Keys that are not plain data to JavaScript: refused wherever they stand (the chart refuses them as proxy names). */
export const NOT_DATA_KEYS = new Set(["__proto__", "constructor", "prototype"]);

type Segments = (string | number)[];

/** The text of a values file: UTF-8 (a UTF-8 BOM dropped), or UTF-16 with a BOM, as helm's YAML reader takes it. */
export function decodeValuesText(bytes: Buffer, file: string): string {
    const refuse = (message: string) => new ValuesError([{ path: file, message }]);
    const decode = (encoding: string, data: Buffer) => {
        try {
            return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(data);
        } catch {
            return undefined;
        }
    };
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode("utf-16le", bytes.subarray(2)) ?? throwIt(refuse("not valid UTF-16LE"));
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode("utf-16be", bytes.subarray(2)) ?? throwIt(refuse("not valid UTF-16BE"));
    const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const text = decode("utf-8", bytes.subarray(start));
    if (text !== undefined) return text;
    const lossy = bytes.subarray(start).toString("utf8");
    const line = lossy.slice(0, lossy.indexOf("\uFFFD")).split("\n").length;
    throw refuse(`not UTF-8 (an invalid byte on line ${line}); save the file as UTF-8`);
}

function throwIt(e: Error): never {
    throw e;
}

function charName(c: string): string {
    return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

function yaml11Message(text: string, helm: unknown, ours: unknown): string {
    const quote = `quote it ("${text}")`;
    if (typeof helm === "boolean")
        return `the unquoted ${text} is a boolean to helm (YAML 1.1) but a string to YAML 1.2; write ${helm}, or ${quote}`;
    if (typeof helm === "number" && /^[-+]?0[0-9_]+$/.test(text))
        return `the unquoted ${text} is octal to helm (YAML 1.1) but decimal to YAML 1.2; drop the leading zero, or ${quote}`;
    return `the unquoted ${text} is ${JSON.stringify(helm)} to helm (YAML 1.1) but ${JSON.stringify(ours)} to YAML 1.2; write ${JSON.stringify(helm)}, or ${quote}`;
}

/** Walks the parsed document, collecting every problem with its place. */
class Inspector {
    readonly issues: ValueIssue[] = [];
    private readonly y = yamlPackage();
    constructor(
        private readonly file: string,
        private readonly doc: Document,
        private readonly lines: LineCounter,
    ) {}

    private at(node: Node | null | undefined, segments: Segments, message: string): void {
        const offset = node?.range?.[0] ?? 0;
        const { line, col } = this.lines.linePos(offset);
        const where = segments.length > 0 ? `${this.file}:${line}:${col}: ${formatPath(segments)}` : `${this.file}:${line}:${col}`;
        this.issues.push({ path: where, message });
    }

    inspect(node: unknown, segments: Segments, ancestors: Set<unknown>): void {
        if (this.y.isAlias(node)) return this.alias(node, segments, ancestors);
        if (this.y.isScalar(node)) return this.scalar(node, segments);
        if (!this.y.isMap(node) && !this.y.isSeq(node)) return;
        if (ancestors.size >= MAX_DEPTH) return this.at(node, segments, `nested deeper than ${MAX_DEPTH} levels`);
        const inner = new Set(ancestors).add(node);
        if (this.y.isSeq(node)) return node.items.forEach((item, i) => this.inspect(item, [...segments, i], inner));
        for (const pair of node.items) {
            if (!this.y.isPair(pair)) continue;
            const key = this.key(pair.key, segments);
            if (key === undefined) continue;
            this.inspect(pair.value, [...segments, key], inner);
        }
    }

    private key(key: unknown, segments: Segments): string | undefined {
        if (this.y.isScalar(key) && typeof key.value === "symbol") return "<<"; // a merge key, as helm reads it
        if (!this.y.isScalar(key) || (key.value !== null && typeof key.value === "object")) {
            this.at(key as Node, segments, "a map key must be a plain string, not a list or a map");
            return undefined;
        }
        const name = String(key.value);
        if (key.type === this.y.Scalar.PLAIN && typeof key.source === "string") {
            const helm = helmPlainScalar(key.source);
            if (String(helm) !== name) this.at(key, [...segments, name], yaml11Message(key.source, helm, key.value));
        }
        if (NOT_DATA_KEYS.has(name)) {
            this.at(
                key,
                [...segments, name],
                `${JSON.stringify(name)} is not allowed as a key (it is not plain data); rename or remove it`,
            );
            return undefined;
        }
        return name;
    }

    private scalar(node: Scalar, segments: Segments): void {
        if (node.type !== this.y.Scalar.PLAIN || typeof node.source !== "string" || node.tag !== undefined) return;
        const helm = helmPlainScalar(node.source);
        if (!sameValue(helm, node.value)) this.at(node, segments, yaml11Message(node.source, helm, node.value));
    }

    private alias(node: Alias, segments: Segments, ancestors: Set<unknown>): void {
        const target = node.resolve(this.doc);
        if (target === undefined) this.at(node, segments, `the alias *${node.source} has no anchor before it`);
        else if (ancestors.has(target)) this.at(node, segments, `the alias *${node.source} is inside its own anchor &${node.source}`);
    }
}

function syntaxIssues(file: string, docs: Document[], lines: LineCounter): ValueIssue[] {
    const issues: ValueIssue[] = [];
    for (const doc of docs)
        for (const error of [...doc.errors, ...doc.warnings]) {
            const { line, col } = lines.linePos(error.pos[0]);
            const what = error.code === "DUPLICATE_KEY" ? "a duplicate key (helm would silently take the last one)" : error.message;
            issues.push({ path: `${file}:${line}:${col}`, message: `not valid YAML: ${what.split("\n")[0]}` });
        }
    if (docs.length > 1) {
        const { line, col } = lines.linePos(docs[1].range?.[0] ?? 0);
        issues.push({
            path: `${file}:${line}:${col}`,
            message: "a second YAML document: a values file holds one document (helm reads only the first)",
        });
    }
    return issues;
}

/** Parse the text of one values file; throws a ValuesError naming every problem. */
export function parseValuesText(text: string, file: string): unknown {
    const bad = FORBIDDEN_CHAR.exec(text);
    if (bad) {
        const { line, col } = positionOf(text, bad.index);
        throw new ValuesError([
            {
                path: `${file}:${line}:${col}`,
                message: `the character ${charName(bad[0])} is not allowed (YAML refuses it, or helm reads it differently); remove it or write it as an escape in a double-quoted string`,
            },
        ]);
    }
    return readPlainBlockYaml(text) ?? readWithYamlPackage(text, file);
}

/** The full reader (the `yaml` package, every problem at `file:line:col`), for text that passed the character check. */
export function readWithYamlPackage(text: string, file: string): unknown {
    const { LineCounter: Lines, parseAllDocuments } = yamlPackage();
    const lines = new Lines();
    const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, lineCounter: lines, merge: true, strict: true });
    const list = Array.isArray(docs) ? docs : [];
    let issues = syntaxIssues(file, list, lines);
    if (issues.length > 0) throw new ValuesError(issues);
    const doc = list[0];
    if (doc === undefined || doc.contents === null) return {};
    const inspector = new Inspector(file, doc, lines);
    inspector.inspect(doc.contents, [], new Set());
    issues = inspector.issues;
    if (issues.length > 0) throw new ValuesError(issues);
    let value: unknown;
    try {
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
        throw new ValuesError([{ path: file, message: `not valid YAML: ${(e as Error).message} (at most ${MAX_ALIAS_COUNT} aliases)` }]);
    }
    if (value === null || value === undefined) return {};
    if (!isPlainObject(value)) {
        const { line, col } = lines.linePos(doc.contents.range?.[0] ?? 0);
        throw new ValuesError([
            {
                path: `${file}:${line}:${col}`,
                message: `values must be a map of keys, not ${Array.isArray(value) ? "a list" : `the scalar ${JSON.stringify(value)}`}`,
            },
        ]);
    }
    return value;
}

function positionOf(text: string, index: number): { line: number; col: number } {
    const before = text.slice(0, index);
    const line = before.split("\n").length;
    return { line, col: index - before.lastIndexOf("\n") };
}
