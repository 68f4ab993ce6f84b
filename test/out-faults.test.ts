/**
 * --out under faults: a SIGKILL at each write and rename of a 100-proxy × 50-cluster render over an
 * existing render, and two concurrent renders, each leave --out whole (the old render or the new),
 * with its mode and its other entries kept; a symlinked --out is written through.
 */
import { expect } from "chai";
import { spawn } from "child_process";
import { chmodSync, existsSync, mkdirSync, rmSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { renderFiles } from "../components/cli/render";
import { outFileText, recoverOutFolder, writeOutFolder, type OutFileContent } from "../components/cli/out-dir";
import { renderValues } from "../components/render/render";
import { runCli } from "./cli-harness";
import { transpileForChild } from "./fault/transpile";

// In memory where there is a tmpfs: the test writes ~1 GB (110 renders of 9 MB) and measures none of it.
const scratch = mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "gk-faults-"));
const USER_FILE = "notes.txt";

/** gatewayProxies with `proxies` entries of `clusters` STATIC clusters each. */
export function bigValues(proxies: number, clusters: number, time: number): unknown {
    const cluster = (p: number, i: number) => ({
        name: `c${p}-${i}`,
        connect_timeout: "1s",
        type: "STATIC",
        load_assignment: {
            cluster_name: `c${p}-${i}`,
            endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: "10.0.0.1", port_value: 80 + i } } } }] }],
        },
    });
    const entry = (p: number) => ({
        tcpKeepaliveTimeSeconds: time,
        envoyStaticClusters: Array.from({ length: clusters }, (_, i) => cluster(p, i)),
    });
    return { gatewayProxies: Object.fromEntries(Array.from({ length: proxies }, (_, p) => [`proxy${p}`, entry(p)])) };
}

/** Our entries of an --out folder (file → content), and what else is there. */
function readOut(out: string): { ours: Record<string, string>; others: string[]; leftovers: string[] } {
    const ours: Record<string, string> = {};
    const others: string[] = [];
    const top = readdirSync(out);
    // A dead command's lock is taken over by the next one; anything else hidden is a leftover.
    const leftovers = top.filter((e) => e.startsWith(".") && e !== ".gloo-keepalive.lock");
    for (const entry of top.filter((e) => !e.startsWith("."))) {
        if (entry === USER_FILE) others.push(entry);
        else if (statSync(path.join(out, entry)).isFile()) ours[entry] = readFileSync(path.join(out, entry), "utf8");
        else for (const f of readdirSync(path.join(out, entry))) ours[path.join(entry, f)] = readFileSync(path.join(out, entry, f), "utf8");
    }
    return { ours, others, leftovers };
}

/** Whether two file sets are the same files with the same contents. */
const same = (a: Record<string, string>, b: Record<string, string>) =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

const asObject = (files: Map<string, OutFileContent>) =>
    Object.fromEntries([...files].map(([k, v]) => [path.normalize(k), outFileText(v)]));

/** The writer and the child as plain JS, once, so each killed child starts in milliseconds. */
function buildChild(): string {
    return transpileForChild(path.join(scratch, "js"), [
        "components/cli/out-dir.ts",
        "components/cli/out-lock.ts",
        "components/values/issues.ts",
        "test/fault/write-child.ts",
    ]);
}

function runChild(
    child: string,
    files: string,
    out: string,
    killAt: number,
): Promise<{ status: number | null; signal: string | null; stdout: string }> {
    return new Promise((resolve) => {
        const proc = spawn(process.execPath, [child, files, out, String(killAt)]);
        let stdout = "";
        proc.stdout.on("data", (d) => (stdout += d));
        proc.on("close", (status, signal) => resolve({ status, signal, stdout }));
    });
}

/**
 * Kill a writer at steps first, first+2, ... of `steps`, over --out holding one of `renders`;
 * after each kill every file there is whole, and after recovery --out is one render, whole.
 */
async function killChain(o: {
    child: string;
    files: string[];
    renders: Record<string, string>[];
    out: string;
    first: number;
    steps: number;
}): Promise<number> {
    const { child, files, renders, out } = o;
    writeOutFolder(out, new Map(Object.entries(renders[0])));
    writeFileSync(path.join(out, USER_FILE), "mine");
    chmodSync(out, 0o750);
    let holds = 0;
    let kills = 0;
    for (let step = o.first; step <= o.steps; step += 2) {
        const run = await runChild(child, files[1 - holds], out, step);
        expect(run.signal, `step ${step}`).to.equal("SIGKILL");
        kills++;
        for (const [file, content] of Object.entries(readOut(out).ours))
            expect([renders[0][file], renders[1][file]], `step ${step}: ${file} is half-written`).to.include(content);
        recoverOutFolder(out);
        const after = readOut(out);
        expect(after.others, `step ${step}`).to.deep.equal([USER_FILE]);
        expect(after.leftovers, `step ${step}`).to.deep.equal([]);
        expect(statSync(out).mode & 0o777, `step ${step}`).to.equal(0o750);
        holds = renders.findIndex((r) => same(r, after.ours));
        expect(holds, `step ${step}: --out is neither the old render nor the new`).to.not.equal(-1);
    }
    return kills;
}

describe("--out under faults", function () {
    this.timeout(240_000);
    let renders: Record<string, string>[];
    let files: string[];
    let child: string;

    after(() => rmSync(scratch, { recursive: true, force: true }));

    before(() => {
        renders = [60, 90].map((time) => asObject(renderFiles(renderValues([bigValues(100, 50, time)], {}))));
        files = renders.map((_, i) => path.join(scratch, `render-${i}.json`));
        renders.forEach((r, i) => writeFileSync(files[i], JSON.stringify(r)));
        child = buildChild();
    });

    it("leaves --out whole, old or new, after a SIGKILL at each write and rename step", async () => {
        const probe = path.join(scratch, "probe");
        const steps = Number((await runChild(child, files[0], probe, 0)).stdout.trim());
        expect(steps).to.be.at.least(105); // 100 bootstraps, values, manifests, the journal, the renames
        // Two chains in parallel; each round writes the render --out does not hold, over the one it does.
        const run = (first: number) => killChain({ child, files, renders, out: path.join(scratch, `chain-${first}`), first, steps });
        const kills = await Promise.all([run(1), run(2)]);
        expect(kills[0] + kills[1]).to.equal(steps);
    });

    it("serializes two concurrent writers of one --out: both succeed, --out is one of them, whole", async () => {
        const out = path.join(scratch, "concurrent");
        mkdirSync(out);
        writeFileSync(path.join(out, USER_FILE), "mine");
        for (let round = 0; round < 3; round++) {
            const runs = await Promise.all(files.map((f) => runChild(child, f, out, 0)));
            for (const run of runs) expect(run.status).to.equal(0);
            const after = readOut(out);
            expect(after.others).to.deep.equal([USER_FILE]);
            expect(after.leftovers).to.deep.equal([]);
            expect(renders.some((r) => same(r, after.ours))).to.equal(true);
        }
    });

    it("writes through a symlinked --out and refuses a --out that is a file, one line, no stack", () => {
        const target = path.join(scratch, "target");
        mkdirSync(target);
        const link = path.join(scratch, "link");
        symlinkSync(target, link);
        expect(runCli(["render", "--stack", "dev", "--out", link]).status).to.equal(0);
        expect(statSync(path.join(scratch, "link")).isDirectory()).to.equal(true);
        expect(readdirSync(target).sort()).to.deep.equal(["envoy", "manifests.yaml", "values.yaml"]);
        const file = path.join(scratch, "a-file");
        writeFileSync(file, "x");
        const run = runCli(["render", "--stack", "dev", "--out", file]);
        expect(run.status).to.equal(1);
        expect(run.stderr.split("\n")[0]).to.equal(`${file}: --out is not a folder (a file is there); choose another --out or remove it`);
        expect(readFileSync(file, "utf8")).to.equal("x");
    });

    it("prints one line, no stack, for a --out it cannot create", () => {
        const run = runCli(["render", "--stack", "dev", "--out", "/proc/gk/out"]);
        expect(run.status).to.equal(1);
        expect(run.stderr).to.match(/^\/proc\/gk(\/out)?: /);
        expect(run.stderr).to.not.match(/\n\s+at /);
    });
});
