/**
 * The fast reader (components/values/yaml-fast.ts) gives the full reader's answer or none: over
 * every YAML file in the fixtures and the Gloo chart, plain scalars in every position, syntax
 * the two YAML libraries might read differently, and thousands of seeded mutations of a values
 * file, whatever the fast reader returns is exactly what the full reader returns, and it never
 * returns a value for text the full reader refuses. Its YAML 1.2 patterns are the `yaml` package's.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import { readFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import { Schema } from "yaml";
import { readPlainBlockYaml } from "../components/values/yaml-fast";
import { YAML12_CORE_PLAIN, yaml12PlainScalar } from "../components/values/yaml-plain";
import { readWithYamlPackage } from "../components/values/yaml-reader";
import { findReference } from "../scripts/reference";
import { Gen, generateValues, random } from "./value-generator";

type Outcome = { fast: boolean; mismatch?: string };

/** Both readers on one text: the fast one answers (and agrees) or leaves it to the full one. */
function compare(text: string): Outcome {
    const fast = readPlainBlockYaml(text);
    if (fast === undefined) return { fast: false };
    let full: unknown;
    try {
        full = readWithYamlPackage(text, "values.yaml");
    } catch (e) {
        return { fast: true, mismatch: `full reader refuses it (${String(e)}), fast reader read ${JSON.stringify(fast)}` };
    }
    return isDeepStrictEqual(fast, full) ? { fast: true } : { fast: true, mismatch: `${JSON.stringify(full)} != ${JSON.stringify(fast)}` };
}

function expectAgreement(texts: readonly string[]): number {
    let fast = 0;
    for (const text of texts) {
        const outcome = compare(text);
        expect(outcome.mismatch, JSON.stringify(text)).to.equal(undefined);
        if (outcome.fast) fast++;
    }
    return fast;
}

const SCALARS = [
    ...["yes", "no", "on", "off", "y", "n", "Y", "N", "true", "True", "TRUE", "tRUE", "false", "FALSE", "null", "Null", "NULL", "~"],
    ...["010", "0o10", "0O10", "0x1F", "0X1F", "0b11", "6_0", "1_000", "_1", "+1", "-1", "-0", "+0", "0", "00", "1.0", "1.", ".5"],
    ...["+.5", "-.5e3", "1e3", "1E3", "1e+3", "1.5e-3", ".inf", "-.inf", "+.inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "nan"],
    ...["12345678901234567890", "1e400", "1:2", "a b", "a#b", "a #b", "-a", "--a", "x:y", ":x", "1s", "60s", "2026-01-01", "<<"],
    ...["=", "a'b", 'a"b', "@a", "`a", "%a", "a%", "!a", "&a", "*a", "a*", "|", "a|b", ">", "a>b", "?", "?a", "a?", ",a", "a,b"],
    ...["[a]", "{a}", "a]", "a}", "a: b", "svc-0.team-0.svc.cluster.local", "__proto__", "constructor", "\u00e9t\u00e9"],
    // Near the words and integers the fast reader takes without trying every pattern.
    ...["yes1", "nope", "n-1", "Off/", "true.", "no_", "y.", "ON-", "Nan", "Null.", "o", "t", "f", "a.b/c-d_e", "name", "type"],
    ...["0x", "1_0", "01", "999999999999999", "9999999999999999", "9007199254740993", "8080", "65535", "1.5", "1e", "0e0", "0.0"],
];

const SNIPPETS = [
    ...["a: 1\na: 2\n", "---\na: 1\n", "---\na: 1\n---\nb: 2\n", "a: 1\n...\n", "a:\n  b: 1\n c: 2\n", "a:\n  - 1\n  -2\n"],
    ...["a: b: c\n", "a:\n- 1\n- 2\n", "a:\n  -\n  - x\n", "a: []\nb: {}\n", "a: [ ]\n", 'a: "x\ny"\n', "a: 'x\n\n  y'\n"],
    ...['a: "\\x41\\u00e9\\t\\N"\n', "a: x\n  y\n  z\n", "a:\n  b\n", "a: 1\r\nb: 2\r\n", "a: 1\rb: 2\n", "- a\n- b\n", "a\n"],
    ...["# only a comment\n", "", "\n\n", "a: 1 #c\n#x\nb: 2\n", "\"a\": 1\n'b': 2\n", 'a: 1\n"a": 2\n', '1: a\n"1": b\n'],
    ...["null: 1\n", "~: 1\n", "true: 1\n", "a:\n  __proto__: 1\n", 'a: "__proto__"\n', "a:\n    - b: 1\n      c: 2\n    - d\n"],
    ...["a: - b\n", "a:  # c\n  b: 1\n", "k: v\n k2: v2\n", 'x: "a"b\n', "x: 'a'b\n", 'x: "a"#b\n', 'x: "a" #b\n', "a: b #c: d\n"],
    ...["a: 'it''s'\n", 'a: "\\\n  b"\n', "key with spaces: 1\n", "a: -\n", "- - a\n  - b\n- c\n", " a: 1\n b: 2\n", "  a: 1\n b: 2\n"],
    ...["a: &x 1\nb: *x\n", "a: !!str 010\n", "a: |\n  x\n", "a: >-\n  x\n  y\n", "%YAML 1.1\n---\na: 1\n", "a:\tb\n", "? a\n: b\n"],
    ...["a: {b: 1}\n", "a: [1, 2]\n", "<<: {a: 1}\n", "\ufeffa: 1\n", "a: 1\n--- \n", "--- a\n"],
];

describe("fast values reader", () => {
    it("reads plain scalars with the `yaml` package's own YAML 1.2 core patterns, in its order", () => {
        const theirs = new Schema({ merge: true }).tags.filter((t) => t.default === true && t.test);
        expect(YAML12_CORE_PLAIN.map((t) => [t.tag, String(t.test)])).to.deep.equal(theirs.map((t) => [t.tag, String(t.test)]));
        for (const text of SCALARS) {
            const tag = theirs.find((t) => t.test?.test(text));
            const resolve = tag?.resolve as ((text: string, onError: () => void, options: object) => unknown) | undefined;
            const resolved = resolve?.(text, () => undefined, {});
            const value = resolved !== null && typeof resolved === "object" ? (resolved as { value: unknown }).value : resolved;
            expect(yaml12PlainScalar(text), text).to.deep.equal(tag ? value : text);
        }
    });

    it("agrees with the full reader on every plain scalar as a value, a key, a list item, quoted and commented", () => {
        const texts = SCALARS.flatMap((s) => [
            `k: ${s}\n`,
            `${s}: v\n`,
            `l:\n  - ${s}\n`,
            `k: '${s.replace(/'/g, "''")}'\n`,
            `k: "${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"\n`,
            `a:\n  ${s}: 1\n  b: ${s}\n`,
            `k: ${s} # a comment\n`,
            `k: ${s}\n  more\n`,
        ]);
        expect(expectAgreement(texts)).to.be.greaterThan(SCALARS.length * 3);
    });

    it("agrees on syntax the two YAML libraries might read differently, or leaves it to the full reader", () => {
        expect(expectAgreement(SNIPPETS)).to.be.greaterThan(10);
        for (const leftToFull of ["a: &x 1\nb: *x\n", "a: !!str 010\n", "a: |\n  x\n", "a: {b: 1}\n", "a: 1\na: 2\n", "a: yes\n"])
            expect(readPlainBlockYaml(leftToFull), leftToFull).to.equal(undefined);
    });

    it("agrees on every YAML file in the fixtures and in the Gloo chart", () => {
        const roots = [path.join(__dirname, "fixtures"), path.join(findReference() ?? "", "gloo-chart")];
        const files = execFileSync("find", [...roots, "-name", "*.yaml", "-type", "f"], { encoding: "utf8" })
            .trim()
            .split("\n");
        expect(files.length).to.be.greaterThan(100);
        expect(expectAgreement(files.map((f) => readFileSync(f, "utf8")))).to.be.greaterThan(50);
    });

    it("agrees on seeded mutations of a generated values file (characters inserted, deleted, lines moved, dedented)", () => {
        const base = yaml
            .dump(generateValues(new Gen(16), 2), { noRefs: true, lineWidth: -1 })
            .split("\n")
            .slice(0, 120);
        const next = random(1616);
        const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
        const inserts = [" ", "-", ":", "#", "'", '"', "\n", "a", "0", "[]", "{}", ": ", "- ", "  ", "\\", "''", "~", ",", "\r\n", "\n  "];
        const texts = Array.from({ length: 4000 }, () => {
            const lines = [...base];
            const i = Math.floor(next() * lines.length);
            const at = Math.floor(next() * (lines[i].length + 1));
            const op = next();
            if (op < 0.4) lines[i] = lines[i].slice(0, at) + pick(inserts) + lines[i].slice(at);
            else if (op < 0.7) lines[i] = lines[i].slice(0, at) + lines[i].slice(at + 1);
            else if (op < 0.85) lines.splice(i, 0, pick(lines));
            else lines[i] = lines[i].replace(/^ /, "");
            return lines.join("\n");
        });
        expect(expectAgreement(texts)).to.be.greaterThan(500);
    });

    it("reads a generated values file as js-yaml writes it the fast way, and agrees on it written as JSON", () => {
        const values = generateValues(new Gen(3), 5);
        for (const text of [yaml.dump(values, { noRefs: true, lineWidth: -1 }), JSON.stringify(values, null, 2)]) {
            const outcome = compare(text);
            expect(outcome.mismatch).to.equal(undefined);
            if (!text.startsWith("{")) expect(outcome.fast, "js-yaml's text").to.equal(true);
        }
    });
});
