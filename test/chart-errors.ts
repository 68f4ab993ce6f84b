/**
 * The value paths a failed `helm template` names, in the library's spelling
 * (`gatewayProxies.edge.envoyStaticClusters[0].name`), from Helm 3's and Helm 4's schema errors and
 * from the chart's own `fail` messages; and running many `helm template`s at once.
 */
import { spawn } from "child_process";
import { formatPath } from "../components/values/values";
import { helmEnv, type HelmBinary } from "../scripts/helm";

/** A value path at the start of a text, as the library and the chart's fail messages write it. */
export const VALUE_PATH = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*/;

/** Helm 3's dotted context (`a.b.0.c`), split into keys the values hold (keys may contain dots). */
function dottedSegments(dotted: string, data: unknown): (string | number)[] {
    const segments: (string | number)[] = [];
    let rest = dotted;
    let node = data;
    while (rest !== "") {
        let key: string | number;
        if (Array.isArray(node) && /^\d+(\.|$)/.test(rest)) key = Number(/^\d+/.exec(rest)![0]);
        else {
            const keys = node && typeof node === "object" ? Object.keys(node).sort((a, b) => b.length - a.length) : [];
            key = keys.find((k) => rest === k || rest.startsWith(`${k}.`)) ?? rest.split(".")[0];
        }
        segments.push(key);
        rest = rest.slice(String(key).length + 1);
        node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
    }
    return segments;
}

const pointer = (p: string) =>
    p === ""
        ? []
        : p
              .slice(1)
              .split("/")
              .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
/** Helm 4's quoted names ('a', 'b\\nc'), unescaped. */
const quotedList = (text: string) =>
    [...text.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => {
        try {
            return JSON.parse(`"${m[1].replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
        } catch {
            return m[1];
        }
    });

/** Helm's error items, one per entry (a key with a newline breaks Helm 3's lines). */
function items(stderr: string): string[] {
    const out: string[] = [];
    for (const line of stderr.split("\n")) {
        if (/^\s*- |^Error|^[\w-]+:$|^\s*$/.test(line) || out.length === 0) out.push(line);
        else out[out.length - 1] += `\n${line}`;
    }
    return out;
}

/**
 * Whether a path helm names is the wanted one. Helm 4 names a refused property name without its
 * parent (`at '': invalid propertyName 'x'`), returned as `*<name>`: it matches a path ending there.
 */
export function samePath(want: string, got: string): boolean {
    if (!got.startsWith("*")) return want === got;
    const leaf = got.slice(1);
    return want.endsWith(leaf.startsWith("[") ? leaf : `.${leaf}`) || want === leaf;
}

/** Every value path helm's stderr names; `data` (the values helm read) tells dotted keys apart. */
export function chartValuePaths(stderr: string, data: unknown): string[] {
    const paths: string[] = [];
    const add = (segments: (string | number)[]) =>
        paths.push(formatPath(segments.map((s) => (typeof s === "string" && /^\d+$/.test(s) ? Number(s) : s))));
    for (const line of items(stderr)) {
        const fail = /execution error at \([^)]*\): (.*)$/.exec(line);
        if (fail) {
            const m = VALUE_PATH.exec(fail[1]);
            if (m) paths.push(m[0]);
            continue;
        }
        const h4 = /^\s*- at '([^']*)': (.*)$/s.exec(line);
        if (h4) {
            const at = pointer(h4[1]);
            if (h4[1] === "" && /^invalid propertyName/.test(h4[2])) {
                for (const k of quotedList(h4[2])) paths.push(`*${formatPath([k])}`);
                continue;
            }
            if (/^additional propert|^missing propert|^invalid propertyName/.test(h4[2]))
                for (const k of quotedList(h4[2])) add([...at, k]);
            else add(at);
            continue;
        }
        const h3 = /^- (\(root\)|[^:\n]+): (.*)$/s.exec(line);
        if (h3) {
            const at = h3[1] === "(root)" ? [] : dottedSegments(h3[1], data);
            const extra =
                /^Additional property (.*) is not allowed$/.exec(h3[2])?.[1] ??
                /^(\S+) is required$/.exec(h3[2])?.[1] ??
                /^Property name of "(.*)" does not match/s.exec(h3[2])?.[1];
            add(extra !== undefined ? [...at, extra] : at);
        }
    }
    return paths;
}

export interface AsyncHelmRun {
    status: number | null;
    stderr: string;
}

/** Run `helm template` for each values file, `parallel` at a time. */
export async function helmTemplateAll(bin: HelmBinary, chart: string, files: readonly string[], parallel = 3): Promise<AsyncHelmRun[]> {
    const env = helmEnv();
    const results: AsyncHelmRun[] = new Array(files.length);
    let next = 0;
    const worker = async () => {
        while (next < files.length) {
            const i = next++;
            results[i] = await new Promise<AsyncHelmRun>((resolve) => {
                const proc = spawn(bin.path, ["template", "gateway-proxy", chart, "-n", "gloo-system", "-f", files[i]], {
                    env,
                    stdio: ["ignore", "ignore", "pipe"],
                });
                let stderr = "";
                proc.stderr.on("data", (d) => (stderr += d));
                proc.on("close", (status) => resolve({ status, stderr }));
            });
        }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return results;
}
