/**
 * The --out lock with many commands at once: over a lock whose holder is dead (SIGKILLed, or long
 * gone), and with holders killed while they hold it, exactly one command holds it at any time,
 * every command gets it in the end, and nothing is left behind.
 */
import { expect } from "chai";
import { spawn, spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { transpileForChild } from "./fault/transpile";

const scratch = mkdtempSync(path.join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "gk-lock-"));
const LOCK = ".gloo-keepalive.lock";

function run(child: string, args: string[]): Promise<{ status: number | null; signal: NodeJS.Signals | null }> {
    return new Promise((resolve) => {
        const proc = spawn(process.execPath, [child, ...args], { stdio: "ignore" });
        proc.on("close", (status, signal) => resolve({ status, signal }));
    });
}

/** The pid of a process that has exited. */
function deadPid(): number {
    const pid = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    return Number(pid);
}

/** Who held the lock when, from the log: the holders in order; fails on any overlap. */
function holders(log: string): string[] {
    const order: string[] = [];
    let inside: string | undefined;
    for (const line of readFileSync(log, "utf8").split("\n").filter(Boolean)) {
        const [what, pid] = line.split(" ");
        if (what === "in") {
            expect(inside, `${pid} took the lock while ${inside} held it`).to.equal(undefined);
            inside = pid;
            order.push(pid);
        } else {
            expect(inside).to.equal(pid);
            inside = undefined;
        }
    }
    return order;
}

describe("the --out lock", function () {
    this.timeout(120_000);
    let child: string;
    before(
        () =>
            (child = transpileForChild(path.join(scratch, "js"), [
                "components/values/issues.ts",
                "components/cli/out-lock.ts",
                "test/fault/lock-child.ts",
            ])),
    );
    after(() => rmSync(scratch, { recursive: true, force: true }));

    for (const stale of ["a dead holder's token", "an empty file (an older version killed mid-write)"]) {
        it(`8 commands at once over ${stale}: one at a time, all of them, nothing left`, async () => {
            for (let round = 0; round < 5; round++) {
                const dir = path.join(scratch, `stale-${stale.length}-${round}`);
                mkdirSync(dir);
                writeFileSync(path.join(dir, LOCK), stale.startsWith("a dead") ? `${deadPid()} 0f0f` : "");
                const log = path.join(dir, "log");
                writeFileSync(log, "");
                const runs = await Promise.all(Array.from({ length: 8 }, () => run(child, [dir, log, "15"])));
                expect(runs.map((r) => r.status)).to.deep.equal(Array(8).fill(0));
                expect(new Set(holders(log)).size).to.equal(8);
                expect(readdirSync(dir)).to.deep.equal(["log"]);
            }
        });
    }

    it("holders SIGKILLed while holding it: the others take it over, one at a time", async () => {
        const dir = path.join(scratch, "killed");
        mkdirSync(dir);
        const log = path.join(dir, "log");
        writeFileSync(log, "");
        const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => run(child, [dir, log, "10", i % 2 === 0 ? "kill" : "hold"])));
        expect(runs.filter((r) => r.signal === "SIGKILL")).to.have.length(4);
        expect(runs.filter((r) => r.status === 0)).to.have.length(4);
        // A killed holder logs "in" only: the next one must not come in before it died, which the pids in order show.
        const lines = readFileSync(log, "utf8").split("\n").filter(Boolean);
        expect(lines.filter((l) => l.startsWith("in"))).to.have.length(8);
        const survivors = lines.filter((l) => l.startsWith("out")).map((l) => l.split(" ")[1]);
        for (const pid of survivors) expect(lines.indexOf(`out ${pid}`)).to.equal(lines.indexOf(`in ${pid}`) + 1);
        const left = readdirSync(dir).filter((e) => e !== "log");
        expect(
            left.every((e) => e === LOCK),
            left.join(", "),
        ).to.equal(true); // only the last killed holder's lock, taken over by the next command
    });
});
