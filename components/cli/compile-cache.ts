/**
 * A V8 code cache for the command line's modules, so a second `render` does not parse and compile
 * the same JavaScript again. Installed only by the command line (never by the library a program
 * imports), it covers every .js module the command loads after it. Each is compiled
 * with the code V8 made for it in an earlier run; at exit, a module that had none (or whose cache
 * V8 refused) has its code written, taken after the run so it holds every function the command
 * ran, not only each module's top level (Node 20 has no compile cache of its own). An entry is
 * found by a hash of the file's name and text, and V8 checks its own version and flags, so a
 * changed file, Node or flag never uses a stale entry.
 *
 * Where: $GLOO_KEEPALIVE_COMPILE_CACHE, else $XDG_CACHE_HOME/gloo-keepalive, else
 * ~/.cache/gloo-keepalive; one folder per Node version. `GLOO_KEEPALIVE_COMPILE_CACHE=off` turns it
 * off. A folder that cannot be read or written only costs the speed: the command runs as without.
 */
import { createHash } from "crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "fs";
import { homedir } from "os";
import * as path from "path";
import { Script } from "vm";

/** The parts of Node's CommonJS loader the cache stands in for (see lib/internal/modules/cjs/loader.js). */
interface LoaderModule {
    exports: unknown;
    filename: string;
    require(id: string): unknown;
    _compile(content: string, filename: string): unknown;
}
interface Loader {
    prototype: LoaderModule;
    wrap(content: string): string;
    _resolveFilename(request: string, parent: LoaderModule, isMain: boolean, options?: { paths?: string[] }): string;
    _resolveLookupPaths(request: string, parent: LoaderModule): string[] | null;
    _extensions: NodeJS.RequireExtensions;
    _cache: NodeJS.Dict<NodeJS.Module>;
}

/** The cache folder in force, or undefined when it is turned off. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
    const set = env.GLOO_KEEPALIVE_COMPILE_CACHE;
    if (set === "off" || set === "0") return undefined;
    const base = set || path.join(env.XDG_CACHE_HOME || path.join(homedir(), ".cache"), "gloo-keepalive");
    return path.join(base, `v8-${process.version}-${process.arch}`);
}

let enabled = false;

/** Compile this package's modules with the cache from here on (once per process; a no-op when turned off). */
export function enableCompileCache(dir = compileCacheDir()): void {
    if (enabled || dir === undefined) return;
    enabled = true;
    const Module = require("module") as Loader;
    const compile = Module.prototype._compile;
    const unsaved: { script: Script; file: string }[] = [];

    Module.prototype._compile = function (this: LoaderModule, content: string, filename: string): unknown {
        // A module that may import() is left to Node: a vm.Script has no loader for dynamic imports.
        if (!filename.endsWith(".js") || content.includes("import(")) return compile.call(this, content, filename);
        const file = path.join(dir, createHash("sha256").update(filename).update("\0").update(content).digest("hex").slice(0, 40));
        let cachedData: Buffer | undefined;
        try {
            cachedData = readFileSync(file);
        } catch {
            cachedData = undefined;
        }
        const script = new Script(Module.wrap(content), { filename, cachedData });
        if (cachedData === undefined || script.cachedDataRejected) unsaved.push({ script, file });
        const run = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
        return run.call(this.exports, this.exports, requireFor(Module, this), this, filename, path.dirname(filename));
    };

    process.once("exit", () => {
        if (unsaved.length === 0) return;
        try {
            mkdirSync(dir, { recursive: true });
            for (const { script, file } of unsaved) {
                // Written whole under another name, then renamed: a concurrent run reads an old entry or a whole new one.
                const temp = `${file}.${process.pid}.tmp`;
                writeFileSync(temp, script.createCachedData());
                renameSync(temp, file);
            }
            pruneCompileCache(dir);
        } catch {
            // A cache that cannot be written costs only the next run's speed.
        }
    });
}

/** Entries a cache folder keeps: a few builds' worth of modules (a run loads about 160). */
export const MAX_CACHE_ENTRIES = 1000;

/**
 * Remove the oldest entries past MAX_CACHE_ENTRIES: each new build or version of a module adds an
 * entry (its text changed) and the old one is never read again.
 */
export function pruneCompileCache(dir: string, keep = MAX_CACHE_ENTRIES): void {
    const names = readdirSync(dir);
    if (names.length <= keep) return;
    const byAge = names
        .map((name) => {
            const file = path.join(dir, name);
            try {
                return { file, mtime: statSync(file).mtimeMs };
            } catch {
                return undefined; // removed by a concurrent run
            }
        })
        .filter((e) => e !== undefined)
        .sort((a, b) => a.mtime - b.mtime);
    for (const { file } of byAge.slice(0, byAge.length - keep)) rmSync(file, { force: true });
}

/** The `require` a module is given, as Node's loader makes it. */
function requireFor(Module: Loader, mod: LoaderModule): NodeJS.Require {
    const req = ((id: string) => mod.require(id)) as NodeJS.Require;
    const resolve = ((request: string, options?: { paths?: string[] }) =>
        Module._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
    resolve.paths = (request: string) => Module._resolveLookupPaths(request, mod);
    req.resolve = resolve;
    req.main = require.main;
    req.extensions = Module._extensions;
    req.cache = Module._cache;
    return req;
}
