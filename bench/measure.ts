/** Measuring one process as a user runs it (bench/peak-rss.py), and the medians the tables print. */
import { spawnSync } from "child_process";
import * as path from "path";
import { packageRoot } from "../components/package-root";

export const ROOT = packageRoot();
/** Where bench/tsconfig.json compiles the bench tasks. */
export const BUILT = path.join(ROOT, ".cache", "bench");

/** One process: wall time, user+sys CPU, peak RSS, its stdout. */
export interface ProcessMeasure {
    ms: number;
    cpuMs: number;
    rssMB: number;
    stdout: string;
}

/** Run a command under bench/peak-rss.py; a non-zero exit is an error with the command's stderr. */
export function measure(cmd: readonly string[], env: NodeJS.ProcessEnv = process.env): ProcessMeasure {
    const run = spawnSync("python3", [path.join(ROOT, "bench", "peak-rss.py"), ...cmd], { encoding: "utf8", env, maxBuffer: 64 << 20 });
    if (run.status !== 0) throw new Error(`bench/peak-rss.py failed: ${run.stderr}`);
    const out = JSON.parse(run.stdout.trim().split("\n").pop() as string) as {
        ms: number;
        cpuMs: number;
        status: number;
        maxRssKB: number;
        stdout: string;
    };
    if (out.status !== 0) throw new Error(`${cmd.join(" ")} exited ${out.status}: ${run.stderr.slice(-1000)}`);
    return { ms: out.ms, cpuMs: out.cpuMs, rssMB: out.maxRssKB / 1024, stdout: out.stdout };
}

/** A bench task (bench/task.ts) in its own process; its last stdout line is JSON. */
export function task(name: string, arg: number, env: NodeJS.ProcessEnv = {}): ProcessMeasure & { result: Record<string, unknown> } {
    const r = measure([process.execPath, path.join(BUILT, "bench", "task.js"), name, String(arg)], { ...process.env, ...env });
    return { ...r, result: JSON.parse(r.stdout.trim().split("\n").pop() as string) as Record<string, unknown> };
}

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
export const row = (cells: readonly (string | number)[]): string => `| ${cells.join(" | ")} |`;

/** Samples collected per contender, over interleaved rounds. */
export class Samples {
    private readonly byKey = new Map<string, ProcessMeasure[]>();
    add(key: string, m: ProcessMeasure): void {
        this.byKey.set(key, [...(this.byKey.get(key) ?? []), m]);
    }
    has(key: string): boolean {
        return this.byKey.has(key);
    }
    /** Median of one figure over the rounds (peak RSS: the median of the per-round peaks). */
    median(key: string, figure: "ms" | "cpuMs" | "rssMB"): number {
        const ms = this.byKey.get(key);
        if (!ms) throw new Error(`no samples for ${key}`);
        return median(ms.map((m) => m[figure]));
    }
}

/** Rotate the contenders' order every round, so none always runs first (warm caches) or last. */
export function interleave(rounds: number, contenders: readonly (() => void)[], onRound?: (round: number) => void): void {
    for (let round = 0; round < rounds; round++) {
        onRound?.(round);
        for (let i = 0; i < contenders.length; i++) contenders[(i + round) % contenders.length]();
    }
}
