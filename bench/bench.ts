/**
 * `npm run bench`: what rendering costs as users run it, side by side with its peers in ONE run so
 * the ratios hold on a noisy machine. First table: whole processes (the built command against
 * `helm template` of our chart and of the real Gloo chart, and the floor); second: figures inside
 * one process. Writes bench/results.md.
 *   BENCH_ROUNDS (default 5) and BENCH_SIZES (default 1,10,100,1000) tune it.
 */
import { execFileSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { cpus, tmpdir } from "os";
import * as path from "path";
import { helmBinaries } from "../scripts/helm";
import { inProcessBench } from "./in-process";
import { ROOT, task } from "./measure";
import { growthLines, targetLines } from "./targets";
import { GLOO_CHART, wholeProcessBench, type SizeInputs } from "./whole-process";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? "1,10,100,1000").split(",").map(Number);

/** Build what users run (dist/, as `npm run build`) and the bench tasks. */
function build(): void {
    const tsc = require.resolve("typescript/bin/tsc");
    console.error("building dist/ (tsconfig.build.json) and the bench (bench/tsconfig.json) ...");
    execFileSync(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
    execFileSync(process.execPath, [tsc, "-p", path.join(ROOT, "bench", "tsconfig.json")], { stdio: "inherit" });
}

/** Per size: the values file (for every contender) and the rendered objects (for the floor). */
function prepare(dir: string): SizeInputs[] {
    return SIZES.map((proxies) => {
        const input = {
            proxies,
            valuesFile: path.join(dir, `values-${proxies}.yaml`),
            renderedFile: path.join(dir, `rendered-${proxies}.json`),
            outDir: path.join(dir, `out-${proxies}`),
        };
        task("write-values", proxies, { BENCH_OUT: input.valuesFile });
        task("write-rendered", proxies, { BENCH_OUT: input.renderedFile });
        return input;
    });
}

function main(): void {
    build();
    const helms = helmBinaries();
    const inputs = prepare(mkdtempSync(path.join(tmpdir(), "gk-bench-")));
    const whole = wholeProcessBench(inputs, helms, ROUNDS);
    const inProcess = inProcessBench(ROUNDS);
    const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), Node ${process.version}, ${helms.map((b) => `Helm ${b.version}`).join(", ")}`;
    const text = [
        "# Benchmark results",
        "",
        `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
        `Each figure is the median of ${ROUNDS} rounds; contenders interleave within a round; every figure is one whole process of its own.`,
        `The Gloo chart is ${GLOO_CHART.startsWith(ROOT) ? path.relative(ROOT, GLOO_CHART) : "../shared/reference/gloo-chart"} (solo-io/gloo 1.22.1), given the same values file.`,
        "",
        "## Whole processes, as a user runs them",
        "",
        ...whole.lines,
        "",
        "## Growth per proxy",
        "",
        ...growthLines(whole.samples, SIZES, helms),
        "",
        "## Inside one process",
        "",
        ...inProcess.lines,
        "",
        "## Against the targets",
        "",
        ...targetLines(whole.samples, inProcess.samples, SIZES, helms),
        "",
    ].join("\n");
    console.log(text);
    writeFileSync(path.join(ROOT, "bench", "results.md"), text);
}

main();
