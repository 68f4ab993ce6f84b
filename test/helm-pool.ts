/**
 * `helm` runs for the tests, a bounded number at a time (GK_HELM_JOBS, 2 by default: the CI
 * machine has 2 cores), in the background while the test compares what earlier runs rendered.
 * Each run writes to files, not pipes, so a helm never waits for a test that is busy comparing.
 */
import { spawn } from "child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { helmEnv, type HelmBinary, type HelmRunResult } from "../scripts/helm";

/** How many helm processes run at once. */
export const HELM_JOBS = Math.max(1, Number(process.env.GK_HELM_JOBS ?? 2) || 2);

const scratch = mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "gk-helm-pool-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;
let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<void> {
    if (running < HELM_JOBS) {
        running++;
        return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
    const next = waiting.shift();
    if (next) next();
    else running--;
}

function spawnToFiles(bin: HelmBinary, args: readonly string[]): Promise<HelmRunResult> {
    const base = path.join(scratch, `run-${counter++}`);
    const out = openSync(`${base}.out`, "w");
    const err = openSync(`${base}.err`, "w");
    return new Promise<HelmRunResult>((resolve) => {
        const proc = spawn(bin.path, args, { env: helmEnv(), stdio: ["ignore", out, err] });
        let done = false;
        const finish = (status: number, extra = "") => {
            if (done) return;
            done = true;
            closeSync(out);
            closeSync(err);
            const result = {
                status,
                stdout: readFileSync(`${base}.out`, "utf8"),
                stderr: readFileSync(`${base}.err`, "utf8") + extra,
            };
            rmSync(`${base}.out`, { force: true });
            rmSync(`${base}.err`, { force: true });
            resolve(result);
        };
        proc.on("error", (e) => finish(127, `cannot run ${bin.path}: ${e.message}\n`));
        proc.on("exit", (status, signal) => finish(status ?? 128, signal ? `helm killed by signal ${signal}\n` : ""));
    });
}

/** Run helm as `runHelm` does (a non-zero exit is a result), when a slot is free. */
export async function runHelmPooled(bin: HelmBinary, args: readonly string[]): Promise<HelmRunResult> {
    await slot();
    try {
        return await spawnToFiles(bin, args);
    } finally {
        release();
    }
}

/**
 * A render started ahead of the test that reads it: the promise never rejects (a failure before
 * its test runs is no unhandled rejection), and reading it returns the value or throws the error there.
 */
export function ahead<T>(promise: Promise<T>): Promise<() => T> {
    return promise.then(
        (value) => () => value,
        (error: unknown) => () => {
            throw error;
        },
    );
}
