/**
 * The package's build (`npm run build`: tsconfig.build.json, then policy/tsconfig.build.json), run
 * once per test run and only when dist/ or policy/dist/ is older than a source (a build by `npm ci` counts), and child processes
 * for the tests that use the built package.
 */
import { expect } from "chai";
import { spawn, spawnSync, type SpawnOptions } from "child_process";
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from "fs";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..");
export const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
export const DIST = path.join(REPO_ROOT, "dist", "components");
const STAMP = path.join(REPO_ROOT, "dist", ".build-stamp");

export interface ProcessRun {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Run a command to its end, capturing its output (NODE_OPTIONS cleared: no ts-node in the child). */
export function run(command: string, args: string[], options: SpawnOptions = {}): Promise<ProcessRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: REPO_ROOT, ...options, env: { ...process.env, NODE_OPTIONS: "", ...options.env } });
        let stdout = "";
        let stderr = "";
        child.stdout?.on("data", (d: Buffer) => (stdout += d));
        child.stderr?.on("data", (d: Buffer) => (stderr += d));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

/** Run node with `args`. */
export const runNode = (args: string[], options: SpawnOptions = {}) => run(process.execPath, args, options);

/** Newest modification time of the inputs of the build. */
function newestSource(): number {
    const sources = (dir: string) =>
        readdirSync(path.join(REPO_ROOT, dir), { recursive: true, encoding: "utf8" })
            .filter((f) => f.endsWith(".ts") && !f.startsWith("node_modules") && !f.startsWith("dist"))
            .map((f) => path.join(REPO_ROOT, dir, f));
    const files = [
        ...sources("components"),
        ...sources("policy"),
        ...["tsconfig.json", "tsconfig.build.json", "package.json", "policy/tsconfig.build.json"].map((f) => path.join(REPO_ROOT, f)),
    ];
    return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

async function build(): Promise<boolean> {
    const outputs = [
        path.join(DIST, "index.js"),
        path.join(DIST, "index.d.ts"),
        path.join(REPO_ROOT, "policy", "dist", "policy", "index.js"),
    ];
    // `npm ci` builds the package (its prepare script) and leaves no stamp: outputs newer than every source are that build.
    const builtAt = () => (existsSync(STAMP) ? statSync(STAMP).mtimeMs : Math.min(...outputs.map((f) => statSync(f).mtimeMs)));
    if (outputs.every(existsSync) && builtAt() >= newestSource()) return false;
    const started = new Date();
    // The package's own build (package.json "build"): a clean dist/, both projects, the precompiled validators.
    const result = spawnSync("npm", ["run", "build"], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(result.status, `npm run build failed:\n${result.stdout}${result.stderr}`).to.equal(0);
    writeFileSync(STAMP, "");
    utimesSync(STAMP, started, started);
    return true;
}

let built: Promise<boolean> | undefined;

/** Build the package (once per test run; resolves true when it built, false when dist/ was fresh). */
export function ensureBuilt(): Promise<boolean> {
    return (built ??= build());
}
