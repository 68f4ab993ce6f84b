/**
 * Writing a command's outputs into --out, whole or not at all, under any single SIGKILL and under
 * concurrent commands:
 * - a lock file in --out serializes commands (out-lock.ts); a dead holder's lock is taken over;
 * - every output is written into a staging folder inside --out first (same filesystem, so renames
 *   are atomic), then a journal naming the entries is renamed into place, then each entry is moved
 *   aside and the new one renamed in, then the journal is removed;
 * - at start, a journal left by a killed command is rolled forward (the new outputs are whole, so
 *   finishing is always possible); staging without a journal is thrown away;
 * - --out itself is never renamed or removed, so it is never missing, keeps its mode and keeps the
 *   entries that are not ours; a symlinked --out is written through, a --out that is not a folder
 *   is refused.
 */
import {
    appendFileSync,
    existsSync,
    lstatSync,
    mkdirSync,
    readFileSync,
    realpathSync,
    renameSync,
    rmSync,
    statSync,
    writeFileSync,
} from "fs";
import * as path from "path";
import { ValuesError } from "../values/issues";
import { lockOutFolder } from "./out-lock";

const JOURNAL = ".gloo-keepalive.journal";
const STAGING = ".gloo-keepalive.staging";
const OLD = ".gloo-keepalive.old";

const refuse = (out: string, message: string) => new ValuesError([{ path: out, message }]);

/** The folder to write in: --out itself, or what a symlinked --out points to; created if missing. */
export function outFolder(out: string): string {
    let stat;
    try {
        stat = lstatSync(out);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
        makeFolders(path.resolve(out));
        return realpathSync(out);
    }
    if (stat.isSymbolicLink()) {
        if (!existsSync(out)) throw refuse(out, "--out is a symlink to nothing; point it at a folder or remove it");
        stat = statSync(out);
    }
    if (!stat.isDirectory()) throw refuse(out, "--out is not a folder (a file is there); choose another --out or remove it");
    return realpathSync(out);
}

/** mkdir -p, one level at a time (a recursive mkdir can spin forever where the kernel refuses, as under /proc). */
function makeFolders(dir: string): void {
    const missing: string[] = [];
    for (let d = dir; !existsSync(d); d = path.dirname(d)) missing.unshift(d);
    for (const d of missing) {
        try {
            mkdirSync(d);
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        }
    }
}

function readOr(file: string): string | undefined {
    try {
        return readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

/** Move each journaled entry aside and the staged one in; safe to run again after a kill at any step. */
function swap(dir: string, entries: readonly string[]): void {
    const old = path.join(dir, OLD);
    mkdirSync(old, { recursive: true });
    for (const entry of entries) {
        const staged = path.join(dir, STAGING, entry);
        if (!existsSync(staged)) continue; // already in place
        const current = path.join(dir, entry);
        if (existsSync(current)) {
            rmSync(path.join(old, entry), { recursive: true, force: true });
            renameSync(current, path.join(old, entry));
        }
        renameSync(staged, current);
    }
    rmSync(path.join(dir, JOURNAL), { force: true });
}

/** Finish (journal present) or undo (staging only) what a killed command left in `dir`. */
export function recoverOutFolder(dir: string): void {
    const journal = readOr(path.join(dir, JOURNAL));
    if (journal !== undefined) swap(dir, JSON.parse(journal) as string[]);
    for (const leftover of [STAGING, OLD, `${JOURNAL}.tmp`]) rmSync(path.join(dir, leftover), { recursive: true, force: true });
}

/**
 * A file's text: whole, or made when the file is written, in pieces written in order. A large
 * output is then never one string, and each file's text is let go once it is written.
 */
export type OutFileContent = string | (() => Iterable<string>);

/** Pieces are gathered to about this many characters before each write. */
const WRITE_CHUNK = 1 << 20;

function writeOutFile(file: string, content: OutFileContent): void {
    if (typeof content === "string") return writeFileSync(file, content);
    let pending = "";
    let started = false;
    const flush = () => {
        if (started) appendFileSync(file, pending);
        else writeFileSync(file, pending);
        started = true;
        pending = "";
    };
    for (const piece of content()) {
        pending += piece;
        if (pending.length >= WRITE_CHUNK) flush();
    }
    if (pending.length > 0 || !started) flush();
}

/** A file's whole text (its pieces joined). */
export function outFileText(content: OutFileContent): string {
    return typeof content === "string" ? content : [...content()].join("");
}

/**
 * Write `files` (path relative to --out → content) into --out: each top-level entry they name
 * (a file, or a folder replaced whole) is swapped in; every other entry of --out is kept.
 */
export function writeOutFolder(out: string, files: ReadonlyMap<string, OutFileContent>): void {
    const dir = outFolder(out);
    const release = lockOutFolder(dir, out);
    try {
        recoverOutFolder(dir);
        const staging = path.join(dir, STAGING);
        try {
            mkdirSync(staging);
            for (const [name, content] of files) {
                const file = path.join(staging, name);
                mkdirSync(path.dirname(file), { recursive: true });
                writeOutFile(file, content);
            }
        } catch (e) {
            rmSync(staging, { recursive: true, force: true });
            throw e;
        }
        const entries = [...new Set([...files.keys()].map((name) => name.split(/[\\/]/)[0]))];
        writeFileSync(path.join(dir, `${JOURNAL}.tmp`), JSON.stringify(entries));
        renameSync(path.join(dir, `${JOURNAL}.tmp`), path.join(dir, JOURNAL));
        swap(dir, entries);
        recoverOutFolder(dir);
    } finally {
        release();
    }
}
