/**
 * `npm run bench`: the cost of rendering, validating and checking, side by side with the peer
 * (`helm template` of the same chart on the same values, Helm 3 and 4), in ONE run so the
 * ratios hold on a noisy machine. Every task runs in its own process (peak RSS is its own),
 * rounds interleave the contenders, each figure is the median. Writes bench/results.md.
 */
import { execFileSync, spawnSync } from "child_process";
import { cpus } from "os";
import { existsSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { packageRoot } from "../components/package-root";
import { helmBinaries, helmEnv } from "../scripts/helm";

const ROOT = packageRoot();
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BUILT = path.join(ROOT, ".cache", "bench");
const SIZES = [1, 10, 100];

interface Measure {
    ms: number[];
    rssMB: number[];
    extra: Record<string, unknown>[];
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs: number[]) => Math.max(...xs);

/** Run a command under bench/peak-rss.py. */
function measure(cmd: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; rssMB: number; stdout: string } {
    const run = spawnSync("python3", [path.join(ROOT, "bench", "peak-rss.py"), ...cmd], { encoding: "utf8", env, maxBuffer: 64 << 20 });
    if (run.status !== 0) throw new Error(`peak-rss failed: ${run.stderr}`);
    const out = JSON.parse(run.stdout.trim().split("\n").pop() as string) as {
        ms: number;
        status: number;
        maxRssKB: number;
        stdout: string;
    };
    if (out.status !== 0) throw new Error(`${cmd.join(" ")} exited ${out.status}: ${run.stderr.slice(-1000)}`);
    return { ms: out.ms, rssMB: out.maxRssKB / 1024, stdout: out.stdout };
}

function task(
    name: string,
    arg: number,
    env: NodeJS.ProcessEnv = {},
): { samples: number[]; rssMB: number; extra: Record<string, unknown> } {
    const r = measure([process.execPath, path.join(BUILT, "bench", "task.js"), name, String(arg)], { ...process.env, ...env });
    const parsed = JSON.parse(r.stdout.trim().split("\n").pop() as string) as { samples?: number[] } & Record<string, unknown>;
    return { samples: parsed.samples ?? [], rssMB: r.rssMB, extra: parsed };
}

function add(m: Map<string, Measure>, key: string, ms: number[], rssMB: number, extra: Record<string, unknown> = {}): void {
    const e = m.get(key) ?? { ms: [], rssMB: [], extra: [] };
    e.ms.push(...ms);
    e.rssMB.push(rssMB);
    e.extra.push(extra);
    m.set(key, e);
}

/** `gloo-keepalive --help`, whole process (the installed bin over dist/), and a bare `node` start as the floor. */
function measureHelp(m: Map<string, Measure>): void {
    const help = measure([process.execPath, path.join(ROOT, "bin", "gloo-keepalive.js"), "--help"]);
    add(m, "cli-help", [help.ms], help.rssMB);
    const floor = measure([process.execPath, "-e", ""]);
    add(m, "node-floor", [floor.ms], floor.rssMB);
}

function helpRows(m: Map<string, Measure>, row: (cells: (string | number)[]) => string, fmt: (x: number) => string): string[] {
    const help = m.get("cli-help") as Measure;
    const floor = m.get("node-floor") as Measure;
    return [
        row(["`gloo-keepalive --help`, whole process (target well under 1000 ms)", fmt(median(help.ms)), "", "", fmt(max(help.rssMB))]),
        row(['floor: `node -e ""`, whole process', fmt(median(floor.ms)), "", "", fmt(max(floor.rssMB))]),
    ];
}

function main(): void {
    console.error("building the benchmark (tsc -p bench/tsconfig.json) ...");
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "bench", "tsconfig.json")], {
        stdio: "inherit",
    });
    if (!existsSync(path.join(ROOT, "dist", "components", "cli", "help.js"))) {
        execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.build.json")], {
            stdio: "inherit",
        });
    }
    const helms = helmBinaries();
    const dir = mkdtempSync(path.join(tmpdir(), "gk-bench-"));
    const valuesFile = (n: number) => path.join(dir, `values-${n}.yaml`);
    for (const n of SIZES) task("write-values", n, { BENCH_OUT: valuesFile(n) });

    const m = new Map<string, Measure>();
    for (let round = 0; round < ROUNDS; round++) {
        console.error(`round ${round + 1}/${ROUNDS}`);
        for (const n of SIZES) {
            const contenders: [string, () => void][] = [
                [
                    `library ${n}`,
                    () => {
                        const r = task("render-library", n, { BENCH_RUNS: "2" });
                        add(m, `library ${n}`, r.samples, r.rssMB);
                    },
                ],
                [
                    `floor ${n}`,
                    () => {
                        const r = task("render-floor", n, { BENCH_RUNS: "2" });
                        add(m, `floor ${n}`, r.samples, r.rssMB);
                    },
                ],
                ...helms.map((bin): [string, () => void] => [
                    `helm${bin.major} ${n}`,
                    () => {
                        const r = measure(
                            [
                                bin.path,
                                "template",
                                "gateway-proxy",
                                path.join(ROOT, "charts", "gateway-proxy"),
                                "-n",
                                "gloo-system",
                                "-f",
                                valuesFile(n),
                            ],
                            helmEnv(),
                        );
                        add(m, `helm${bin.major} ${n}`, [r.ms], r.rssMB);
                    },
                ]),
            ];
            // Interleave: rotate the order every round.
            for (let i = 0; i < contenders.length; i++) contenders[(i + round) % contenders.length][1]();
        }
        const v = task("envoy-validation", 100, { BENCH_RUNS: "2" });
        add(m, "envoy-validation", v.samples, v.rssMB, v.extra);
        const policy = task("policy", 10_000, { BENCH_RUNS: "2" });
        add(m, "policy", policy.samples, policy.rssMB, policy.extra);
        const mocks = task("pulumi-mocks", 100);
        add(m, "pulumi-mocks", mocks.samples, mocks.rssMB, mocks.extra);
        measureHelp(m);
    }

    const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
    const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
    const lines: string[] = [];
    lines.push(row(["what", "median ms", "vs helm 3", "vs helm 4", "peak RSS MB"]), row(["---", "---:", "---:", "---:", "---:"]));
    for (const n of SIZES) {
        const helm3 = m.get(`helm3 ${n}`);
        const helm4 = m.get(`helm4 ${n}`);
        for (const who of ["library", "floor", "helm3", "helm4"]) {
            const e = m.get(`${who} ${n}`);
            if (!e) continue;
            const ratio = (h?: Measure) => (h && !who.startsWith("helm") ? `${(median(h.ms) / median(e.ms)).toFixed(1)}× faster` : "");
            const label =
                who === "library"
                    ? "library render (all checks) + YAML"
                    : who === "floor"
                      ? "floor: JSON.stringify + YAML dump"
                      : `helm template (Helm ${who.slice(4)})`;
            lines.push(
                row([
                    `${label}, ${n} prox${n === 1 ? "y" : "ies"} × 50 clusters`,
                    fmt(median(e.ms)),
                    ratio(helm3),
                    ratio(helm4),
                    fmt(max(e.rssMB)),
                ]),
            );
        }
    }
    const v = m.get("envoy-validation") as Measure;
    lines.push(row(["strict Envoy validation, per bootstrap (54 clusters)", fmt(median(v.ms)), "", "", fmt(max(v.rssMB))]));
    lines.push(
        row([
            "Envoy proto load (descriptor set → registry), fresh process",
            fmt(median(v.extra.map((e) => e.protoLoadMs as number))),
            "",
            "",
            "",
        ]),
    );

    const p = m.get("policy") as Measure;
    lines.push(
        row([
            `policy pack rules over ${p.extra[0]?.objects as number} rendered objects (target < 1000 ms)`,
            fmt(median(p.ms)),
            "",
            "",
            fmt(max(p.rssMB)),
        ]),
    );
    const mocks = m.get("pulumi-mocks") as Measure;
    lines.push(
        row([
            `stack program under Pulumi's mock engine, 100 proxies × 50 clusters, ${mocks.extra[0]?.registrations as number} registrations (target < 5000 ms)`,
            fmt(median(mocks.ms)),
            "",
            "",
            fmt(max(mocks.rssMB)),
        ]),
    );

    lines.push(...helpRows(m, row, fmt));
    const table = lines.join("\n");
    console.log(table);
    const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), Node ${process.version}, ${helms.map((b) => `Helm ${b.version}`).join(", ")}`;
    writeFileSync(
        path.join(ROOT, "bench", "results.md"),
        [
            "# Benchmark results",
            "",
            `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine}.`,
            `Each figure is the median of ${ROUNDS} rounds; contenders interleave within a round; every task runs in its own process.`,
            "",
            table,
            "",
        ].join("\n"),
    );
}

main();
