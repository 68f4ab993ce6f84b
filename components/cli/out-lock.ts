/**
 * The lock that serializes commands writing one --out, safe with any number of commands at once
 * and under SIGKILL:
 * - the lock file holds its holder's token (`<pid> <random>`), created whole with `link(2)`, which
 *   fails when the file exists: never an empty or half-written lock;
 * - only the holder removes a live lock (its release checks the token);
 * - a lock whose holder is dead is removed by exactly one taker: the one that creates the takeover
 *   marker named after that token (created as the lock is), and only while the lock still holds
 *   that token. A taker that comes late finds the marker, or another token, and leaves the lock
 *   alone; a marker whose taker was killed mid-takeover expires.
 */
import { createHash, randomUUID } from "crypto";
import { closeSync, linkSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from "fs";
import * as path from "path";
import { ValuesError } from "../values/issues";

const LOCK = ".gloo-keepalive.lock";
/** How long a command waits for another one writing the same --out. */
const LOCK_WAIT_MS = 120_000;
/** A takeover takes microseconds: a marker this old was left by a taker that was killed. */
const MARKER_EXPIRY_MS = 10_000;

function sleep(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number): boolean {
    if (!Number.isInteger(pid) || pid <= 0) return false;
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}

function readOr(file: string): string | undefined {
    try {
        return readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

const pidOf = (token: string) => Number(token.split(" ")[0]);

/** Create `file` holding `token`, whole, unless it exists. */
function createWhole(file: string, token: string): boolean {
    const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
    const fd = openSync(temp, "wx");
    try {
        writeSync(fd, token);
    } finally {
        closeSync(fd);
    }
    try {
        linkSync(temp, file);
        return true;
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        return false;
    } finally {
        rmSync(temp, { force: true });
    }
}

/** Remove the lock `file` if it still holds the dead `holder`'s token; nobody else does it at once. */
function takeOver(file: string, holder: string, token: string): void {
    const marker = `${file}.takeover.${createHash("sha256").update(holder).digest("hex").slice(0, 16)}`;
    if (!createWhole(marker, token)) {
        const since = statSync(marker, { throwIfNoEntry: false })?.mtimeMs;
        if (since !== undefined && Date.now() - since > MARKER_EXPIRY_MS && !alive(pidOf(readOr(marker) ?? ""))) {
            rmSync(marker, { force: true });
        }
        return;
    }
    try {
        if (readOr(file) === holder) rmSync(file, { force: true });
    } finally {
        rmSync(marker, { force: true });
    }
}

/** Temporary files of dead commands next to the lock (a kill between create and link). */
function removeDeadTemporaries(dir: string): void {
    for (const entry of readdirSync(dir)) {
        const m = /^\.gloo-keepalive\.lock(?:\.takeover\.[0-9a-f]+)?\.(\d+)\.[0-9a-f-]+\.tmp$/.exec(entry);
        if (m && !alive(Number(m[1]))) rmSync(path.join(dir, entry), { force: true });
    }
}

/** Take the lock of the folder `dir` (the --out `out` names); returns its release. */
export function lockOutFolder(dir: string, out: string): () => void {
    const file = path.join(dir, LOCK);
    const token = `${process.pid} ${randomUUID()}`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
        if (createWhole(file, token)) {
            removeDeadTemporaries(dir);
            return () => {
                if (readOr(file) === token) rmSync(file, { force: true });
            };
        }
        const holder = readOr(file);
        if (holder === undefined) continue; // released meanwhile
        if (!alive(pidOf(holder))) takeOver(file, holder, token);
        else if (Date.now() > deadline) {
            throw new ValuesError([{ path: out, message: `another command (pid ${pidOf(holder)}) is still writing here; try again` }]);
        } else sleep(20);
    }
}
