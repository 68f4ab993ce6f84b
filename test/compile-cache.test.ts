/**
 * The command line's code cache (components/cli/compile-cache.ts), on the built command: a first run
 * writes it, a second is compiled from it (V8 takes every entry: none is written again) and prints
 * and writes the same, a damaged entry is refused by V8 and written anew, and turned off or with a
 * folder it cannot write, the command runs as without.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { pruneCompileCache } from "../components/cli/compile-cache";
import { DIST, ensureBuilt, REPO_ROOT, runNode } from "./build-harness";

const BIN = path.join(REPO_ROOT, "bin", "gloo-keepalive.js");
const VALUES = path.join(REPO_ROOT, "test", "fixtures", "seed", "static-cluster.yaml");

describe("the command line's code cache", function () {
    this.timeout(120_000);
    let scratch: string;

    before(async () => {
        await ensureBuilt();
        scratch = mkdtempSync(path.join(tmpdir(), "gk-compile-cache-"));
    });
    after(() => rmSync(scratch, { recursive: true, force: true }));

    const render = async (name: string, env: NodeJS.ProcessEnv) => {
        const out = path.join(scratch, `out-${name}`);
        const run = await runNode([BIN, "render", "--values", VALUES, "--out", out], { env });
        expect(run.status, run.stderr).to.equal(0);
        const files = readdirSync(out, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml"));
        return {
            stdout: run.stdout.replaceAll(out, "<out>"),
            files: Object.fromEntries(files.map((f) => [f, readFileSync(path.join(out, f), "utf8")])),
        };
    };
    /** Each entry of the cache's one Node folder, with the time it was last written. */
    const entries = (cache: string) => {
        const [folder] = readdirSync(cache);
        const dir = path.join(cache, folder);
        return new Map(readdirSync(dir).map((f) => [path.join(dir, f), statSync(path.join(dir, f)).mtimeMs]));
    };

    it("is written by a first run and compiles a second, which prints and writes the same and rewrites no entry", async () => {
        const cache = path.join(scratch, "cache");
        const uncached = await render("off", { GLOO_KEEPALIVE_COMPILE_CACHE: "off" });
        const first = await render("first", { GLOO_KEEPALIVE_COMPILE_CACHE: cache });
        const written = entries(cache);
        // The command's modules: the library's own, js-yaml, the Envoy descriptors' runtime, the validators.
        expect(written.size).to.be.greaterThan(40);
        const second = await render("second", { GLOO_KEEPALIVE_COMPILE_CACHE: cache });
        expect(entries(cache)).to.deep.equal(written);
        for (const run of [first, second]) expect(run).to.deep.equal(uncached);
    });

    it("writes anew an entry V8 refuses (damaged), and the run is the same", async () => {
        const cache = path.join(scratch, "damaged");
        const clean = await render("clean", { GLOO_KEEPALIVE_COMPILE_CACHE: cache });
        const damaged = [...entries(cache).keys()];
        for (const file of damaged) writeFileSync(file, "not V8's code cache");
        expect(await render("after-damage", { GLOO_KEEPALIVE_COMPILE_CACHE: cache })).to.deep.equal(clean);
        for (const file of damaged) expect(readFileSync(file, "utf8"), file).to.not.equal("not V8's code cache");
    });

    it("leaves a module that may import() to Node's own compile, and caches the others", async () => {
        const dir = path.join(scratch, "modules");
        const cache = path.join(scratch, "modules-cache");
        mkdirSync(dir);
        writeFileSync(path.join(dir, "dynamic.js"), 'module.exports = () => import("path").then((m) => typeof m.join);\n');
        writeFileSync(path.join(dir, "plain.js"), "module.exports = (a, b) => a + b;\n");
        const script = `
            require(${JSON.stringify(path.join(DIST, "cli", "compile-cache.js"))}).enableCompileCache(${JSON.stringify(cache)});
            const dynamic = require(${JSON.stringify(path.join(dir, "dynamic.js"))});
            const plain = require(${JSON.stringify(path.join(dir, "plain.js"))});
            dynamic().then((t) => console.log(t, plain(2, 3)));`;
        for (const round of [1, 2]) {
            const run = await runNode(["-e", script]);
            expect(run.stdout.trim(), `round ${round}: ${run.stderr}`).to.equal("function 5");
        }
        expect(readdirSync(cache)).to.have.length(1);
    });

    it("keeps the newest entries of a folder past its cap, and leaves a folder under the cap as it is", () => {
        const dir = path.join(scratch, "prune");
        mkdirSync(dir);
        for (let i = 0; i < 12; i++) {
            writeFileSync(path.join(dir, `entry-${i}`), "");
            utimesSync(path.join(dir, `entry-${i}`), 1_000_000 + i, 1_000_000 + i);
        }
        pruneCompileCache(dir, 20);
        expect(readdirSync(dir)).to.have.length(12);
        pruneCompileCache(dir, 5);
        expect(readdirSync(dir).sort()).to.deep.equal(["entry-10", "entry-11", "entry-7", "entry-8", "entry-9"]);
    });

    it("writes nothing when turned off, and runs as without when its folder cannot be made", async () => {
        const home = path.join(scratch, "xdg");
        const off = await render("off-xdg", { GLOO_KEEPALIVE_COMPILE_CACHE: "off", XDG_CACHE_HOME: home });
        expect(() => readdirSync(home)).to.throw(/ENOENT/);
        const blocked = path.join(scratch, "a-file");
        writeFileSync(blocked, "");
        expect(await render("blocked", { GLOO_KEEPALIVE_COMPILE_CACHE: path.join(blocked, "cache") })).to.deep.equal(off);
    });
});
