/**
 * components/render/yaml-text.ts writes exactly what js-yaml's dump writes: over thousands of
 * generated documents built from awkward strings, and over real renders.
 */
import { expect } from "chai";
import * as yaml from "js-yaml";
import * as path from "path";
import { renderValues } from "../components/render/render";
import { writtenAsIs, yamlText } from "../components/render/yaml-text";
import { parseYamlFile, readStackConfig } from "../components/values/read";
import { benchValues } from "../bench/workload";

const dump = (v: unknown) => yaml.dump(v, { noRefs: true, lineWidth: -1, sortKeys: false });

/** Pieces strings are made of: YAML indicators, look-alikes of other types, whitespace, line breaks, non-ASCII. */
const PIECES = [
    "a",
    "key",
    "x y",
    "- ",
    "? ",
    ": ",
    " #",
    "#",
    "&a",
    "*b",
    "!t",
    "|",
    ">",
    "'",
    '"',
    "%",
    "@",
    "`",
    "{",
    "}",
    "[",
    "]",
    ",",
    "true",
    "no",
    "null",
    "~",
    "123",
    "0x1F",
    "1e3",
    ".inf",
    "2024-01-01",
    "\n",
    "\n\n",
    " ",
    "  ",
    "\t",
    "\r",
    "é",
    "\u0085",
    "\u2028",
    "\u0000",
    "日本",
    '{\n  "a": 1\n}',
    "---",
    "...",
];

/** Long multi-line strings (an embedded JSON document, and its near misses): the emitter's literal-block path, at every depth. */
const LONG_JSON = JSON.stringify({ clusters: Array.from({ length: 12 }, (_, i) => ({ name: `svc-${i}`, port: 8000 + i })) }, null, 2);
const LONG = [
    LONG_JSON,
    `${LONG_JSON}\n`,
    ` ${LONG_JSON}`,
    LONG_JSON.replace("\n", " \n"),
    LONG_JSON.replace("\n", "\n\n"),
    `${LONG_JSON}é`,
];

function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
        s = (s * 1664525 + 1013904223) >>> 0;
        return s / 2 ** 32;
    };
}

function generate(rand: () => number, depth: number): unknown {
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const str = () => Array.from({ length: Math.floor(rand() * 4) }, () => pick(PIECES)).join("");
    const kind = depth > 3 ? Math.floor(rand() * 4) : Math.floor(rand() * 7);
    if (kind === 0) return str();
    if (kind === 1) return pick([0, 1, -1, 1.5, 1e21, 0.1, -0, 42, null, true, false]);
    if (kind === 2) return rand() < 0.2 ? pick(LONG) : str() + pick(["", " ", "\n"]);
    if (kind === 3) return pick(["", [], {}]);
    if (kind === 4) return Array.from({ length: Math.floor(rand() * 4) }, () => generate(rand, depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(rand() * 4) }, () => [str(), generate(rand, depth + 1)]));
}

describe("YAML text (the faster emitter)", () => {
    it("writes what js-yaml writes, for 3 000 generated documents", () => {
        const rand = prng(20261201);
        const differ: string[] = [];
        for (let i = 0; i < 3000; i++) {
            const doc = generate(rand, 0);
            if (yamlText(doc) !== dump(doc)) differ.push(JSON.stringify(doc));
        }
        expect(differ.slice(0, 5)).to.deep.equal([]);
    });

    it("writes what js-yaml writes, for the dev and prod stacks, the seed examples and 20 generated proxies", () => {
        const seeds = ["downstream", "static-cluster", "upstream"].map((n) => path.join(__dirname, "fixtures", "seed", `${n}.yaml`));
        const layers = [readStackConfig("dev").values, readStackConfig("prod").values, ...seeds.map(parseYamlFile), benchValues(20, 10)];
        let documents = 0;
        for (const layer of layers) {
            const r = renderValues([layer]);
            for (const doc of [r.values, ...r.proxies.map((p) => p.bootstrap), ...r.objects]) {
                expect(yamlText(doc)).to.equal(dump(doc));
                documents++;
            }
        }
        expect(documents).to.be.greaterThan(60);
    });

    it("writes what js-yaml writes for a document of many blocks of lines (the emitter joins lines a block at a time)", () => {
        for (const n of [2047, 2048, 4096, 9000]) {
            const doc = { items: Array.from({ length: n }, (_, i) => ({ name: `svc-${i}`, port: i })) };
            expect(yamlText(doc), String(n)).to.equal(dump(doc));
        }
    });

    it("hands data that is not plain JSON to js-yaml whole", () => {
        const doc = { when: new Date(0), list: [new Date(1000)] };
        expect(yamlText(doc)).to.equal(dump(doc));
    });
});

describe("YAML text: strings written as they are, without js-yaml", () => {
    const ALPHABET = "aZq09_./:-";
    const WORDS = ["y", "n", "yes", "No", "ON", "off", "true", "False", "NULL", "null", "Null", "a:", "a: b", "_1", "x#", "ok"];

    it("takes the fast path only for strings js-yaml writes unquoted, and writes them as js-yaml does", () => {
        const rand = prng(20261202);
        const strings = [...WORDS];
        for (let i = 0; i < 20000; i++) {
            const first = "aZ0_.:-<"[Math.floor(rand() * 8)];
            strings.push(
                first + Array.from({ length: Math.floor(rand() * 12) }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]).join(""),
            );
        }
        let fast = 0;
        const differ: string[] = [];
        for (const s of strings) {
            if (writtenAsIs(s)) {
                fast++;
                if (dump(s) !== `${s}\n`) differ.push(s);
            }
            const doc = { [s]: s, list: [s, { k: s }] };
            if (yamlText(doc) !== dump(doc)) differ.push(JSON.stringify(doc));
        }
        expect(differ.slice(0, 5)).to.deep.equal([]);
        expect(fast).to.be.greaterThan(4000);
    });

    it("refuses the fast path for the words js-yaml quotes and for what is not plain", () => {
        for (const s of ["yes", "No", "ON", "off", "y", "true", "FALSE", "Null", "a:", "_1", "1a", "a b", "a#", "-a", ""]) {
            expect(writtenAsIs(s), s).to.equal(false);
        }
        for (const s of ["svc-1.team-2.svc.cluster.local", "http://x/y", "STRICT_DNS", "yess", "a"])
            expect(writtenAsIs(s), s).to.equal(true);
    });
});
