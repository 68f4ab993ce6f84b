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
import { BUILT, fmt, interleave, measure, ROOT, row, Samples, task } from "./measure";
import { growthLines, targetLines } from "./targets";
import { GLOO_CHART, wholeProcessBench, type SizeInputs } from "./whole-process";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? "1,10,100,1000").split(",").map(Number);

/** Build what users run (`npm run build`: dist/, the policy pack, the precompiled validators) and the bench tasks. */
function build(): void {
    console.error("building: npm run build, then the bench (bench/tsconfig.json) ...");
    execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "bench", "tsconfig.json")], {
        stdio: "inherit",
    });
    // The in-process tasks load this build of the library: give it the validators a build ships.
    const validators = path.join(ROOT, "scripts", "build-validators.ts");
    const tsNode = require.resolve("ts-node/dist/bin.js");
    execFileSync(process.execPath, [tsNode, "--transpile-only", validators, path.join(BUILT, "components")], { stdio: "inherit" });
}

/** `gloo-keepalive --help` (the installed bin over dist/) against a bare `node` start, whole processes. */
function startupLines(rounds: number): string[] {
    const samples = new Samples();
    const help = [process.execPath, path.join(ROOT, "bin", "gloo-keepalive.js"), "--help"];
    interleave(rounds, [() => samples.add("help", measure(help)), () => samples.add("node", measure([process.execPath, "-e", ""]))]);
    return [
        row(["what", "wall ms", "CPU ms", "peak RSS MB"]),
        row(["---", "---:", "---:", "---:"]),
        ...[
            ["`gloo-keepalive --help` (target: well under 1 s)", "help"],
            ['floor: `node -e ""`', "node"],
        ].map(([label, key]) =>
            row([label, fmt(samples.median(key, "ms")), fmt(samples.median(key, "cpuMs")), fmt(samples.median(key, "rssMB"))]),
        ),
    ];
}

/** Per size: the values file (for every contender) and the rendered objects (for the floor). */
function prepare(dir: string): SizeInputs[] {
    return SIZES.map((proxies) => {
        const input = {
            proxies,
            valuesFile: path.join(dir, `values-${proxies}.yaml`),
            renderedFile: path.join(dir, `rendered-${proxies}.json`),
            outDir: path.join(dir, `out-${proxies}`),
            compileCache: path.join(dir, "compile-cache"),
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
    const startup = startupLines(ROUNDS);
    const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), Node ${process.version}, ${helms.map((b) => `Helm ${b.version}`).join(", ")}`;
    const text = [
        "# Benchmark results",
        "",
        `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
        `Each figure is the median of ${ROUNDS} rounds; contenders interleave within a round; every figure is one whole process of its own.`,
        `The Gloo chart is ${path.relative(ROOT, GLOO_CHART)} (solo-io/gloo 1.22.1), given the same values file.`,
        "",
        "## Whole processes, as a user runs them",
        "",
        ...whole.lines,
        "",
        "## Start-up",
        "",
        ...startup,
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
