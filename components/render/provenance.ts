/**
 * Which values layer set a value: the renderer is given the user's layers (stack file, --values
 * files) and their names, and says for each number it renders whether a layer set it (and which
 * file) or the chart's default did.
 */
import { DEFAULT_PROXY } from "../values/schema";
import { isPlainObject } from "../values/values";

/** The user's values layers (without the chart's defaults), with the file each came from. */
export interface ValueLayers {
    layers: readonly unknown[];
    files: readonly (string | undefined)[];
}

/** A value path (`gatewayProxies.edge.envoyStaticClusters[2].name`, `a["b.c"]`) as segments. */
export function parseValuePath(path: string): (string | number)[] {
    const out: (string | number)[] = [];
    for (const m of path.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)/g)) {
        if (m[1] !== undefined) out.push(Number(m[1]));
        else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
        else out.push(m[3]);
    }
    return out;
}

function at(value: unknown, segments: readonly (string | number)[]): unknown {
    let node = value;
    for (const s of segments) {
        if (typeof s === "number") node = Array.isArray(node) ? node[s] : undefined;
        else node = isPlainObject(node) ? node[s] : undefined;
        if (node === undefined || node === null) return undefined;
    }
    return node;
}

/**
 * Where a proxy's value may be set, in the order that wins: the proxy's own entry (Enterprise
 * nesting over the plain map), then the default entry every entry is merged over.
 */
function candidatePaths(path: string): string[][] {
    const m = /^(?:gloo\.)?gatewayProxies\.([A-Za-z0-9]+)\.(.+)$/.exec(path);
    if (!m) return [[path]];
    const [, name, rest] = m;
    const at = (proxy: string) => [`gloo.gatewayProxies.${proxy}.${rest}`, `gatewayProxies.${proxy}.${rest}`];
    return name === DEFAULT_PROXY ? [at(name)] : [at(name), at(DEFAULT_PROXY)];
}

/**
 * "value" with the file of the last layer that sets the value and the path it is set at (a
 * proxy's value may come from the default entry), or "default" when no layer does.
 */
export function sourceOf(layers: ValueLayers, path: string): Readonly<ValueSource> {
    // One render asks the same few paths for every hop of a proxy (its keepalive fields): answer each once per layers object.
    let known = sources.get(layers);
    if (!known) sources.set(layers, (known = new Map()));
    let source = known.get(path);
    if (!source) known.set(path, (source = Object.freeze(findSource(layers, path))));
    return source;
}

/** Where a value came from: a layer (its file, the path it is set at) or the chart's default. */
export type ValueSource = { source: "value" | "default"; file?: string; path: string };

const sources = new WeakMap<ValueLayers, Map<string, ValueSource>>();

function findSource(layers: ValueLayers, path: string): ValueSource {
    for (const group of candidatePaths(path)) {
        const parsed = group.map((p) => ({ path: p, segments: parseValuePath(p) }));
        for (let i = layers.layers.length - 1; i >= 0; i--) {
            const found = parsed.find((p) => at(layers.layers[i], p.segments) !== undefined);
            if (found !== undefined) {
                const file = layers.files[i];
                return { source: "value", path: found.path, ...(file ? { file } : {}) };
            }
        }
    }
    return { source: "default", path };
}
