/**
 * Whole processes, as a user runs them, on the same values file: the built `gloo-keepalive render`
 * and `check` (every check on), `helm template` of our chart and of the real Gloo chart (Helm 3 and
 * 4), and the floor (bench/floor.ts). User+sys CPU, wall time and peak RSS, medians over
 * interleaved rounds.
 */
import { existsSync } from "fs";
import * as path from "path";
import type { HelmBinary } from "../scripts/helm";
import { helmEnv } from "../scripts/helm";
import { BUILT, fmt, interleave, measure, ROOT, row, Samples } from "./measure";
import { findReference } from "../scripts/reference";

/** The real Gloo chart this project is held to, beside the repository (absent: its rows are left out). */
export const GLOO_CHART = path.join(findReference() ?? path.join(ROOT, "..", "shared", "reference"), "gloo-chart");
/** The command as installed (bin/ over dist/), as a user runs it. */
const CLI = path.join(ROOT, "bin", "gloo-keepalive.js");

/** Inputs prepared per size: the values file, the rendered objects for the floor, and a scratch --out. */
export interface SizeInputs {
    proxies: number;
    valuesFile: string;
    renderedFile: string;
    outDir: string;
    /** The command's code cache (components/cli/compile-cache.ts) for this bench, warmed before the rounds. */
    compileCache: string;
}

type Contender = { key: string; label: string; cmd: string[]; env?: NodeJS.ProcessEnv };

function contenders(input: SizeInputs, helms: readonly HelmBinary[]): Contender[] {
    const { proxies: n, valuesFile, renderedFile, outDir, compileCache } = input;
    const node = process.execPath;
    const cached = { GLOO_KEEPALIVE_COMPILE_CACHE: compileCache };
    const list: Contender[] = [
        {
            key: `render ${n}`,
            label: "gloo-keepalive render (all checks)",
            cmd: [node, CLI, "render", "--values", valuesFile, "--out", outDir],
            env: cached,
        },
        {
            key: `render-first ${n}`,
            label: "gloo-keepalive render, first run (no code cache yet)",
            cmd: [node, CLI, "render", "--values", valuesFile, "--out", `${outDir}-first`],
            env: { GLOO_KEEPALIVE_COMPILE_CACHE: "off" },
        },
        {
            key: `check ${n}`,
            label: "gloo-keepalive check (render + every policy)",
            cmd: [node, CLI, "check", "--values", valuesFile],
            env: cached,
        },
        {
            key: `floor ${n}`,
            label: "floor: parse YAML, write the same objects",
            cmd: [node, path.join(BUILT, "bench", "floor.js"), valuesFile, renderedFile, `${outDir}-floor`],
        },
    ];
    for (const helm of helms) {
        const chart = path.join(ROOT, "charts", "gateway-proxy");
        list.push({
            key: `helm${helm.major} ours ${n}`,
            label: `helm template, our chart (Helm ${helm.major})`,
            cmd: [helm.path, "template", "gateway-proxy", chart, "-n", "gloo-system", "-f", valuesFile],
            env: helmEnv(),
        });
        if (existsSync(GLOO_CHART)) {
            list.push({
                key: `helm${helm.major} gloo ${n}`,
                label: `helm template, Gloo 1.22.1 chart (Helm ${helm.major})`,
                cmd: [helm.path, "template", "gloo", GLOO_CHART, "-n", "gloo-system", "-f", valuesFile],
                env: helmEnv(),
            });
        }
    }
    return list;
}

/** Run every contender at every size, `rounds` interleaved rounds; returns the samples and the table's lines. */
export function wholeProcessBench(
    inputs: readonly SizeInputs[],
    helms: readonly HelmBinary[],
    rounds: number,
): { samples: Samples; lines: string[] } {
    const samples = new Samples();
    const labels = new Map<string, string>();
    // The code cache a user's second run has: written by one run of each command before the rounds.
    for (const input of inputs) {
        for (const c of contenders(input, []).filter((c) => c.env?.GLOO_KEEPALIVE_COMPILE_CACHE === input.compileCache)) {
            measure(c.cmd, { ...process.env, ...c.env });
        }
    }
    const runs = inputs
        .flatMap((input) => contenders(input, helms))
        .map((c) => {
            labels.set(c.key, c.label);
            return () => samples.add(c.key, measure(c.cmd, { ...process.env, ...c.env }));
        });
    interleave(rounds, runs, (round) => console.error(`whole processes: round ${round + 1}/${rounds}`));
    const lines = [
        row(["what", "proxies × 50 clusters", "CPU ms (user+sys)", "wall ms", "peak RSS MB", "CPU vs helm 3 / 4, same chart"]),
        row(["---", "---:", "---:", "---:", "---:", "---:"]),
    ];
    for (const { proxies: n } of inputs) {
        const helmCpu = helms
            .filter((h) => samples.has(`helm${h.major} ours ${n}`))
            .map((h) => samples.median(`helm${h.major} ours ${n}`, "cpuMs"));
        for (const [key, label] of labels) {
            if (!key.endsWith(` ${n}`)) continue;
            const cpu = samples.median(key, "cpuMs");
            const ratio = key.startsWith("helm") ? "" : helmCpu.map((h) => `${(h / cpu).toFixed(1)}× less`).join(" / ");
            lines.push(row([label, n, fmt(cpu), fmt(samples.median(key, "ms")), fmt(samples.median(key, "rssMB")), ratio]));
        }
    }
    return { samples, lines };
}
