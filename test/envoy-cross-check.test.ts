/**
 * The renderer checks bootstraps with the walker alone (no whole-message `fromJson` after it):
 * this holds the walker's verdict to the cross-checked one over many mutated real bootstraps, so
 * dropping the second parse loses nothing.
 */
import { expect } from "chai";
import * as path from "path";
import { validateEnvoyBootstrap } from "../components/checks/envoy/validate";
import { renderValues } from "../components/render/render";
import { parseYamlFile, readStackConfig } from "../components/values/read";

type Node = Record<string, unknown> | unknown[];

function prng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
        s = (s * 1664525 + 1013904223) >>> 0;
        return s / 2 ** 32;
    };
}

/** Every container (object or list) in a value, with the keys it holds. */
function containers(value: unknown, out: Node[] = []): Node[] {
    if (value !== null && typeof value === "object") {
        out.push(value as Node);
        for (const child of Object.values(value)) containers(child, out);
    }
    return out;
}

const REPLACEMENTS: unknown[] = [
    "5 seconds",
    "-1s",
    "1.5s",
    -1,
    0,
    1.5,
    2 ** 40,
    "abc",
    "",
    true,
    null,
    [],
    {},
    [1],
    { x: 1 },
    "STATIC",
    "NOT_AN_ENUM",
    "99999999999999999999",
    4294967296,
    "10.0.0.1",
    { "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster" },
];

/** One random change: a value replaced, a key renamed (a typo) or removed, or an unknown key added. */
function mutate(bootstrap: unknown, rand: () => number): unknown {
    const copy = JSON.parse(JSON.stringify(bootstrap)) as unknown;
    const all = containers(copy);
    const node = all[Math.floor(rand() * all.length)];
    const keys = Object.keys(node);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const op = Math.floor(rand() * 4);
    if (Array.isArray(node)) {
        if (node.length > 0) node[Math.floor(rand() * node.length)] = pick(REPLACEMENTS);
        else node.push(pick(REPLACEMENTS));
    } else if (op === 0 && keys.length > 0) node[pick(keys)] = pick(REPLACEMENTS);
    else if (op === 1 && keys.length > 0) {
        const key = pick(keys);
        node[`${key.slice(0, -1)}${key.endsWith("s") ? "" : "s"}`] = node[key];
        delete node[key];
    } else if (op === 2 && keys.length > 0) delete node[pick(keys)];
    else node[pick(["bogus", "keepalive", "connectTimeout", "typed_config", "@type"])] = pick(REPLACEMENTS);
    return copy;
}

describe("Envoy check: the walker alone gives the cross-checked verdict", () => {
    const seed = path.join(__dirname, "fixtures", "seed", "static-cluster.yaml");
    const bootstraps = [readStackConfig("prod").values, parseYamlFile(seed)].flatMap((v) =>
        renderValues([v]).proxies.map((p) => p.bootstrap),
    );

    it("on 600 mutated bootstraps of the prod stack and the seed static-cluster example", () => {
        const rand = prng(7);
        let rejected = 0;
        const differ: string[] = [];
        for (let i = 0; i < 600; i++) {
            const mutated = mutate(bootstraps[i % bootstraps.length], rand);
            const walker = validateEnvoyBootstrap(mutated, "", { crossCheck: false });
            const both = validateEnvoyBootstrap(mutated, "");
            if (both.length > 0) rejected++;
            if (walker.length > 0 !== both.length > 0) differ.push(JSON.stringify(both));
        }
        expect(differ).to.deep.equal([]);
        expect(rejected, "most mutations are refused").to.be.greaterThan(280);
    });
});
