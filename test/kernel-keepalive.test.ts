/**
 * Proof on the real Linux kernel: the keepalive the library renders detects a dead peer in
 * time + interval × probes, as the report says.
 *
 * Each case gets two fresh network namespaces joined by a veth pair; a python3 harness
 * (test/kernel/keepalive_probe.py) is the server in one and the client in the other. The socket
 * options are the ones in the rendered Gateway objects (renderValues and `gloo-keepalive render`'s
 * manifests.yaml), applied with setsockopt as Envoy applies them; the pod sysctls are the
 * rendered Deployment's. After the last data the peer is black-holed with an nftables drop rule
 * in the peer's namespace, and the keepalive side waits for recv to fail with ETIMEDOUT.
 * All traffic stays on the veth pair between the test's own namespaces.
 *
 * Needs root, iproute2 (ip), nftables (nft) and python3; fails (never skips) without them.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import { tmpdir } from "os";
import * as path from "path";
import { renderValues, type RenderResult } from "../components/render/render";
import { runCli } from "./cli-harness";

const HARNESS = path.join(__dirname, "kernel", "keepalive_probe.py");
/** Linux ETIMEDOUT. */
const ETIMEDOUT = 110;
/** Linux IPPROTO_TCP, from the kernel headers (not from the library under test). */
const IPPROTO_TCP = 6;
const PORT = 8080;
/** Every name this suite creates starts with this and carries the pid: namespaces gka<pid>-<case>-<s|c>. */
const NS_PREFIX = "gka";
/** veth names (at most 15 characters): gk<pid><case letter><s|c>. */
const VETH_PREFIX = "gk";

// ---------------------------------------------------------------- small process helpers

interface Ran {
    stdout: string;
    stderr: string;
}

/** Run a command with a time limit; rejects with its stderr on a non-zero exit. */
function run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<Ran> {
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`${cmd} ${args.join(" ")}: timed out after ${opts.timeoutMs ?? 10000} ms`));
        }, opts.timeoutMs ?? 10000);
        child.stdout?.on("data", (d) => (stdout += d));
        child.stderr?.on("data", (d) => (stderr += d));
        child.on("error", (e) => {
            clearTimeout(timer);
            reject(new Error(`${cmd}: ${e.message}`));
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            if (code === 0) resolve({ stdout, stderr });
            else reject(new Error(`${cmd} ${args.join(" ")} exited ${code}: ${stderr.trim() || stdout.trim()}`));
        });
        if (child.stdin) {
            child.stdin.on("error", () => undefined); // an early exit is reported by "close"
            child.stdin.end(opts.input);
        }
    });
}

const monotonicSeconds = () => Number(process.hrtime.bigint()) / 1e9; // CLOCK_MONOTONIC, as python's time.monotonic()

type HarnessEvent = { event: string; [key: string]: unknown };

/** One harness process in a namespace, speaking JSON lines. */
class Harness {
    private readonly child: ChildProcess;
    private readonly events: HarnessEvent[] = [];
    private readonly waiters: (() => void)[] = [];
    private stderr = "";
    private exited: string | undefined;

    constructor(
        readonly label: string,
        ns: string,
        config: Record<string, unknown>,
    ) {
        this.child = spawn("ip", ["netns", "exec", ns, "python3", HARNESS, JSON.stringify(config)], { stdio: ["pipe", "pipe", "pipe"] });
        let buffer = "";
        this.child.stdout?.on("data", (d: Buffer) => {
            buffer += d.toString();
            let nl: number;
            while ((nl = buffer.indexOf("\n")) >= 0) {
                const line = buffer.slice(0, nl);
                buffer = buffer.slice(nl + 1);
                try {
                    this.events.push(JSON.parse(line) as HarnessEvent);
                } catch {
                    this.stderr += `unparsable output: ${line}\n`;
                }
                this.wake();
            }
        });
        this.child.stderr?.on("data", (d: Buffer) => (this.stderr += d.toString()));
        this.child.stdin?.on("error", () => undefined); // a harness that already exited is reported by next()
        this.child.on("error", (e) => {
            this.exited = `could not start: ${e.message}`;
            this.wake();
        });
        this.child.on("exit", (code, signal) => {
            this.exited = `exited ${code ?? signal}`;
            this.wake();
        });
    }

    private wake(): void {
        for (const w of this.waiters.splice(0)) w();
    }

    /** The first event with this name, waiting at most timeoutMs. */
    async next(name: string, timeoutMs: number): Promise<HarnessEvent> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const found = this.events.find((e) => e.event === name);
            if (found) return found;
            const failed = this.events.find((e) => e.event === "failed");
            if (failed) throw new Error(`${this.label}: ${String(failed.error)} ${this.stderr.trim()}`);
            if (this.exited) throw new Error(`${this.label} ${this.exited} before "${name}": ${this.stderr.trim()}`);
            const remaining = deadline - Date.now();
            if (remaining <= 0) throw new Error(`${this.label}: no "${name}" within ${timeoutMs} ms; stderr: ${this.stderr.trim()}`);
            await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, remaining);
                this.waiters.push(() => {
                    clearTimeout(timer);
                    resolve();
                });
            });
        }
    }

    send(line: string): void {
        this.child.stdin?.write(`${line}\n`);
    }

    /** Kill the harness (by its pid) and wait, at most 3 s, until it has exited. */
    async kill(): Promise<void> {
        if (this.exited !== undefined || this.child.pid === undefined) return;
        this.child.kill("SIGKILL");
        const deadline = Date.now() + 3000;
        while (this.exited === undefined && Date.now() < deadline) {
            await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, deadline - Date.now());
                this.waiters.push(() => {
                    clearTimeout(timer);
                    resolve();
                });
            });
        }
    }
}

// ---------------------------------------------------------------- namespaces

const created = new Set<string>();

async function namespaceExists(ns: string): Promise<boolean> {
    const { stdout } = await run("ip", ["netns", "list"]);
    return stdout.split("\n").some((line) => line.split(" ")[0] === ns);
}

/** Delete a namespace (its veth end and nft tables go with it); a few tries, then say so. */
async function deleteNamespace(ns: string): Promise<void> {
    let lastError = "";
    for (let attempt = 0; attempt < 5; attempt++) {
        await run("ip", ["netns", "delete", ns], { timeoutMs: 5000 }).catch((e: Error) => void (lastError = e.message));
        if (!(await namespaceExists(ns).catch(() => true))) {
            created.delete(ns);
            return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    console.error(`      could not delete network namespace ${ns}: ${lastError}`);
}

function pidAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** Remove namespaces and veths left by an earlier run of this suite (its process is gone, or had our pid). */
async function cleanupLeftovers(): Promise<string[]> {
    const removed: string[] = [];
    const stale = (pid: number) => pid === process.pid || !pidAlive(pid);
    const { stdout: namespaces } = await run("ip", ["netns", "list"]);
    for (const line of namespaces.split("\n")) {
        const name = line.split(" ")[0];
        const m = new RegExp(`^${NS_PREFIX}(\\d+)-`).exec(name);
        if (m && stale(Number(m[1]))) {
            await deleteNamespace(name);
            removed.push(`netns ${name}`);
        }
    }
    const { stdout: links } = await run("ip", ["-o", "link", "show", "type", "veth"]);
    for (const line of links.split("\n")) {
        const name = /^\d+:\s+([^@:\s]+)/.exec(line)?.[1];
        const m = name ? new RegExp(`^${VETH_PREFIX}(\\d+)[a-z][sc]$`).exec(name) : null;
        if (name && m && stale(Number(m[1]))) {
            await run("ip", ["link", "delete", name]).catch(() => undefined);
            removed.push(`veth ${name}`);
        }
    }
    return removed;
}

/** Root, ip, nft and python3, and a namespace can really be created; otherwise a clear error. */
async function preflight(): Promise<void> {
    const need =
        "the kernel keepalive tests need root, iproute2 (ip), nftables (nft) and python3 (apt-get install iproute2 nftables python3)";
    if (typeof process.getuid === "function" && process.getuid() !== 0) throw new Error(`${need}; running as uid ${process.getuid()}`);
    for (const [cmd, args] of [
        ["ip", ["-V"]],
        ["nft", ["--version"]],
        ["python3", ["--version"]],
    ] as [string, string[]][]) {
        await run(cmd, args).catch((e: Error) => {
            throw new Error(`${need}; ${cmd} is not usable: ${e.message}`);
        });
    }
    const probe = `${NS_PREFIX}${process.pid}-preflight`;
    try {
        await run("ip", ["netns", "add", probe]).catch((e: Error) => {
            throw new Error(`${need}; cannot create a network namespace: ${e.message}`);
        });
        created.add(probe);
    } finally {
        await deleteNamespace(probe);
    }
}

// ---------------------------------------------------------------- one case

interface RawOption {
    level: number;
    name: number;
    value: number;
}

interface CaseSpec {
    /** Letter used in names; unique per case. */
    letter: string;
    title: string;
    /** Which side carries the keepalive (and must detect the dead peer); "none" for the control. */
    keepaliveSide: "server" | "client" | "none";
    serverOptions: RawOption[];
    clientOptions: RawOption[];
    /** Sysctls written into the server's namespace before its sockets are made. */
    serverSysctls: { name: string; value: string }[];
    /** Seconds the observing side waits for something to happen after the last data. */
    waitSeconds: number;
    /** The peer must be black-holed before this many seconds after the last data (the first probe). */
    blackholeBeforeSeconds: number;
}

interface CaseResult {
    outcome: string;
    errno?: number;
    error?: string;
    elapsed: number;
    tcpState: string;
    effective: Record<string, number>;
    sysctls?: Record<string, number>;
    peerOutcome: string;
    peerTcpState: string;
    /** Packets from the keepalive side dropped in the peer's namespace: probes (no RST flag) and resets. */
    probesDropped: number;
    resetsDropped: number;
    blackholedAfter: number;
}

function nftScript(table: string, from: string): string {
    return [
        `add table inet ${table}`,
        `add chain inet ${table} input { type filter hook input priority 0; policy accept; }`,
        `add rule inet ${table} input ip saddr ${from} tcp flags & rst == rst counter drop comment "resets"`,
        `add rule inet ${table} input ip saddr ${from} counter drop comment "probes"`,
        "",
    ].join("\n");
}

async function nftCounters(ns: string, table: string): Promise<Record<string, number>> {
    const { stdout } = await run("ip", ["netns", "exec", ns, "nft", "-j", "list", "table", "inet", table]);
    const counters: Record<string, number> = {};
    for (const item of (JSON.parse(stdout) as { nftables: { rule?: { comment?: string; expr: Record<string, unknown>[] } }[] }).nftables) {
        if (!item.rule?.comment) continue;
        const counter = item.rule.expr.find((e) => "counter" in e)?.counter as { packets: number } | undefined;
        counters[item.rule.comment] = counter?.packets ?? NaN;
    }
    return counters;
}

async function runCase(spec: CaseSpec, index: number): Promise<CaseResult> {
    const ns = { server: `${NS_PREFIX}${process.pid}-${spec.letter}-s`, client: `${NS_PREFIX}${process.pid}-${spec.letter}-c` };
    const veth = { server: `${VETH_PREFIX}${process.pid}${spec.letter}s`, client: `${VETH_PREFIX}${process.pid}${spec.letter}c` };
    const addr = { server: `10.251.${index}.1`, client: `10.251.${index}.2` };
    const table = `${NS_PREFIX}${process.pid}`;
    const harnesses: Harness[] = [];
    try {
        for (const side of ["server", "client"] as const) {
            await run("ip", ["netns", "add", ns[side]]);
            created.add(ns[side]);
        }
        await run("ip", ["link", "add", veth.server, "netns", ns.server, "type", "veth", "peer", "name", veth.client, "netns", ns.client]);
        for (const side of ["server", "client"] as const) {
            await run("ip", ["-n", ns[side], "addr", "add", `${addr[side]}/24`, "dev", veth[side]]);
            await run("ip", ["-n", ns[side], "link", "set", veth[side], "up"]);
            await run("ip", ["-n", ns[side], "link", "set", "lo", "up"]);
        }

        // The observer waits for the dead peer; the other side sends the last data and then goes silent.
        const observer = spec.keepaliveSide === "client" ? "client" : "server";
        const peer = observer === "server" ? "client" : "server";
        const common = { address: addr.server, port: PORT };
        const server = new Harness(`${spec.title} server`, ns.server, {
            ...common,
            role: "server",
            options: spec.serverOptions,
            sysctls: spec.serverSysctls,
            send: observer !== "server",
            waitSeconds: observer === "server" ? spec.waitSeconds : spec.waitSeconds + 5,
        });
        harnesses.push(server);
        const listening = await server.next("listening", 10000);
        const sysctls = spec.serverSysctls.length > 0 ? ((await server.next("sysctls", 1000)).values as Record<string, number>) : undefined;
        void listening;
        const client = new Harness(`${spec.title} client`, ns.client, {
            ...common,
            role: "client",
            options: spec.clientOptions,
            sysctls: [],
            send: observer !== "client",
            waitSeconds: observer === "client" ? spec.waitSeconds : spec.waitSeconds + 5,
        });
        harnesses.push(client);
        const sides = { server, client };
        const idle = await sides[observer].next("idle", 10000);
        await sides[peer].next("idle", 10000);

        // Black-hole the peer: everything from the observer is dropped in the peer's namespace.
        await run("ip", ["netns", "exec", ns[peer], "nft", "-f", "-"], { input: nftScript(table, addr[observer]) });
        const blackholedAfter = monotonicSeconds() - (idle.t0 as number);
        if (blackholedAfter >= spec.blackholeBeforeSeconds) {
            throw new Error(
                `${spec.title}: the black-hole rule took effect ${blackholedAfter.toFixed(3)} s after the last data, not before the first probe at ${spec.blackholeBeforeSeconds} s`,
            );
        }

        const result = await sides[observer].next("result", (spec.waitSeconds + 5) * 1000);
        sides[peer].send("report");
        const peerResult = await sides[peer].next("result", 5000);
        const counters = await nftCounters(ns[peer], table); // before either side closes its socket
        for (const h of harnesses) h.send("exit");
        return {
            outcome: result.outcome as string,
            errno: result.errno as number | undefined,
            error: result.error as string | undefined,
            elapsed: result.elapsed as number,
            tcpState: result.tcpState as string,
            effective: idle.effective as Record<string, number>,
            sysctls,
            peerOutcome: peerResult.outcome as string,
            peerTcpState: peerResult.tcpState as string,
            probesDropped: counters.probes,
            resetsDropped: counters.resets,
            blackholedAfter,
        };
    } finally {
        await Promise.all(harnesses.map((h) => h.kill()));
        await deleteNamespace(ns.server);
        await deleteNamespace(ns.client);
    }
}

// ---------------------------------------------------------------- what the library renders

type GatewaySocketOption = { description: string; level: number; name: number; intValue: number; state: string };
type Obj = { kind: string; metadata: { name: string }; spec?: Record<string, unknown> };

function gatewayOptions(objects: readonly Obj[]): GatewaySocketOption[] {
    const gateways = objects.filter((o) => o.kind === "Gateway");
    expect(gateways.length, "rendered Gateways").to.be.greaterThan(0);
    const all = gateways.map((g) => (g.spec?.options as { socketOptions: GatewaySocketOption[] }).socketOptions);
    for (const options of all) expect(options, "every Gateway carries the same socket options").to.deep.equal(all[0]);
    for (const o of all[0]) expect(o.state, o.description).to.equal("STATE_PREBIND");
    return all[0];
}

const raw = (options: readonly GatewaySocketOption[]): RawOption[] =>
    options.map((o) => ({ level: o.level, name: o.name, value: o.intValue }));

function podSysctls(result: RenderResult): { name: string; value: string }[] {
    const deployment = result.objects.find((o) => o.kind === "Deployment") as Obj;
    const template = (deployment.spec?.template as { spec: { securityContext: { sysctls?: { name: string; value: string }[] } } }).spec;
    return template.securityContext.sysctls ?? [];
}

function sysctlDetection(sysctls: { name: string; value: string }[]): number {
    const get = (name: string) => {
        const s = sysctls.find((x) => x.name === `net.ipv4.tcp_keepalive_${name}`);
        if (!s) throw new Error(`rendered sysctls lack net.ipv4.tcp_keepalive_${name}`);
        return Number(s.value);
    };
    return get("time") + get("intvl") * get("probes");
}

/** Scaled-down downstream keepalive: the same code path as production values. */
const DOWNSTREAM = { timeSeconds: 2, intervalSeconds: 1, probes: 2 };
const downstreamValues = { gatewayProxies: { gatewayProxy: { gatewaySettings: { tcpKeepalive: DOWNSTREAM } } } };
/** Pod sysctls only: a socket with SO_KEEPALIVE and nothing else uses them. */
const sysctlValues = {
    gatewayProxies: {
        gatewayProxy: {
            tcpKeepaliveTimeSeconds: 2,
            tcpKeepaliveIntervalSeconds: 1,
            tcpKeepaliveProbes: 3,
            podTemplate: { tcpKeepaliveSysctls: true },
        },
    },
};
/** A listener with only TCP_KEEPIDLE: its idle time wins, interval and probes come from the pod sysctls. */
const mixedValues = {
    gatewayProxies: {
        gatewayProxy: {
            tcpKeepaliveTimeSeconds: 30,
            tcpKeepaliveIntervalSeconds: 1,
            tcpKeepaliveProbes: 3,
            podTemplate: { tcpKeepaliveSysctls: true },
            gatewaySettings: { tcpKeepalive: { timeSeconds: 2 } },
        },
    },
};

const within = (measured: number, expected: number) => Math.abs(measured - expected) <= Math.min(0.1 * expected, 0.5);

// ---------------------------------------------------------------- the suite

describe("kernel: rendered keepalive on real sockets in network namespaces", function () {
    this.timeout(45000);

    let setupError: Error | undefined;
    const rendered = {
        downstream: undefined as unknown as RenderResult,
        downstreamOptions: [] as GatewaySocketOption[],
        manifestOptions: [] as GatewaySocketOption[],
        sysctl: undefined as unknown as RenderResult,
        mixed: undefined as unknown as RenderResult,
    };
    const cases: Record<string, { spec: CaseSpec; expected?: number; promise?: Promise<CaseResult> }> = {};
    const scratch = mkdtempSync(path.join(tmpdir(), "gka-render-"));

    before(async function () {
        // What the library renders: renderValues, and the CLI's manifests.yaml for the same values.
        rendered.downstream = renderValues([downstreamValues]);
        rendered.downstreamOptions = gatewayOptions(rendered.downstream.objects as Obj[]);
        const valuesFile = path.join(scratch, "downstream.yaml");
        writeFileSync(valuesFile, yaml.dump(downstreamValues));
        const cli = runCli(["render", "--values", valuesFile, "--out", path.join(scratch, "out")]);
        if (cli.status !== 0) throw new Error(`render failed: ${cli.stderr}`);
        const manifests = yaml.loadAll(readFileSync(path.join(scratch, "out", "manifests.yaml"), "utf8")) as Obj[];
        rendered.manifestOptions = gatewayOptions(manifests);
        rendered.sysctl = renderValues([sysctlValues]);
        rendered.mixed = renderValues([mixedValues]);

        const downstreamExpected = DOWNSTREAM.timeSeconds + DOWNSTREAM.intervalSeconds * DOWNSTREAM.probes;
        const sysctlExpected = sysctlDetection(podSysctls(rendered.sysctl));
        const mixedHop = rendered.mixed.proxies[0].hops.find((h) => h.kind === "downstream");
        const mixedExpected = mixedHop?.detectionSeconds ?? NaN;
        const longest = Math.max(downstreamExpected, sysctlExpected, mixedExpected);
        // SO_KEEPALIVE as rendered, without any TCP_KEEP* option.
        const keepaliveOnly = raw(rendered.downstreamOptions.filter((o) => o.level !== IPPROTO_TCP));

        const specs: [string, CaseSpec, number | undefined][] = [
            [
                "listener",
                {
                    letter: "a",
                    title: "Gateway options on the listening socket",
                    keepaliveSide: "server",
                    serverOptions: raw(rendered.downstreamOptions),
                    clientOptions: [],
                    serverSysctls: [],
                    waitSeconds: downstreamExpected + 3,
                    blackholeBeforeSeconds: DOWNSTREAM.timeSeconds,
                },
                downstreamExpected,
            ],
            [
                "client",
                {
                    letter: "b",
                    title: "manifests.yaml options on the connecting socket",
                    keepaliveSide: "client",
                    serverOptions: [],
                    clientOptions: raw(rendered.manifestOptions),
                    serverSysctls: [],
                    waitSeconds: downstreamExpected + 3,
                    blackholeBeforeSeconds: DOWNSTREAM.timeSeconds,
                },
                downstreamExpected,
            ],
            [
                "sysctl",
                {
                    letter: "c",
                    title: "SO_KEEPALIVE only, pod sysctls in the namespace",
                    keepaliveSide: "server",
                    serverOptions: keepaliveOnly,
                    clientOptions: [],
                    serverSysctls: podSysctls(rendered.sysctl),
                    waitSeconds: sysctlExpected + 3,
                    blackholeBeforeSeconds: 2,
                },
                sysctlExpected,
            ],
            [
                "mixed",
                {
                    letter: "d",
                    title: "TCP_KEEPIDLE only on the listener, pod sysctls for the rest",
                    keepaliveSide: "server",
                    serverOptions: raw(gatewayOptions(rendered.mixed.objects as Obj[])),
                    clientOptions: [],
                    serverSysctls: podSysctls(rendered.mixed),
                    waitSeconds: mixedExpected + 3,
                    blackholeBeforeSeconds: 2,
                },
                mixedExpected,
            ],
            [
                "control",
                {
                    letter: "e",
                    title: "control: no keepalive",
                    keepaliveSide: "none",
                    serverOptions: [],
                    clientOptions: [],
                    serverSysctls: [],
                    waitSeconds: longest + 1,
                    blackholeBeforeSeconds: longest,
                },
                undefined,
            ],
        ];
        for (const [key, spec, expected] of specs) cases[key] = { spec, expected };

        try {
            await preflight();
            const removed = await cleanupLeftovers();
            if (removed.length > 0) console.log(`      removed leftovers: ${removed.join(", ")}`);
        } catch (e) {
            setupError = e as Error;
            return;
        }
        // All cases at once: the suite takes as long as the slowest case.
        specs.forEach(([key, spec], i) => {
            cases[key].promise = runCase(spec, i);
            cases[key].promise.catch(() => undefined); // reported by the case's test
        });
    });

    after(async () => {
        await Promise.all(Object.values(cases).map((c) => c.promise?.catch(() => undefined)));
        for (const ns of [...created]) await deleteNamespace(ns);
        rmSync(scratch, { recursive: true, force: true });
    });

    async function result(key: string): Promise<CaseResult> {
        if (setupError) throw setupError;
        const c = cases[key];
        if (!c?.promise) throw new Error(`case ${key} did not start`);
        const r = await c.promise;
        console.log(
            `      ${c.spec.title}: ${r.outcome}${r.error ? ` ${r.error}` : ""} after ${r.elapsed.toFixed(3)} s` +
                `${c.expected !== undefined ? ` (expected ${c.expected} s)` : ""}; probes dropped ${r.probesDropped}, resets ${r.resetsDropped};` +
                ` kernel keepalive ${JSON.stringify(r.effective)}${r.sysctls ? `; namespace sysctls ${JSON.stringify(r.sysctls)}` : ""};` +
                ` peer ${r.peerOutcome} (${r.peerTcpState}); black-holed ${r.blackholedAfter.toFixed(3)} s after the last data`,
        );
        return r;
    }

    it("runs as root with ip, nft and python3, and can create network namespaces", () => {
        if (setupError) throw setupError;
        expect(
            Object.values(cases).every((c) => c.promise !== undefined),
            "every case started",
        ).to.equal(true);
    });

    it("renders the same Gateway socket options through renderValues and `gloo-keepalive render`'s manifests.yaml", () => {
        expect(rendered.manifestOptions).to.deep.equal(rendered.downstreamOptions);
        expect(rendered.downstreamOptions.map((o) => o.intValue)).to.deep.equal([
            1,
            DOWNSTREAM.timeSeconds,
            DOWNSTREAM.intervalSeconds,
            DOWNSTREAM.probes,
        ]);
    });

    it("listener options (inherited by the accepted socket) find a black-holed client in time + interval × probes", async () => {
        const r = await result("listener");
        const expected = cases.listener.expected as number;
        expect(r.outcome).to.equal("error");
        expect(r.errno, "recv fails with ETIMEDOUT").to.equal(ETIMEDOUT);
        expect(within(r.elapsed, expected), `detected after ${r.elapsed.toFixed(3)} s, expected ${expected} s`).to.equal(true);
        expect(r.probesDropped, "unanswered probes (time + interval × probes cannot tell interval from probes; the count can)").to.equal(
            DOWNSTREAM.probes,
        );
        expect(r.resetsDropped, "then one reset").to.equal(1);
        expect(r.effective, "keepalive the kernel reports for the accepted socket").to.deep.equal({
            SO_KEEPALIVE: 1,
            TCP_KEEPIDLE: DOWNSTREAM.timeSeconds,
            TCP_KEEPINTVL: DOWNSTREAM.intervalSeconds,
            TCP_KEEPCNT: DOWNSTREAM.probes,
        });
        expect(r.peerOutcome, "the client, without keepalive, never learns").to.equal("connected");
    });

    it("the same options from manifests.yaml on the connecting socket find a black-holed server", async () => {
        const r = await result("client");
        const expected = cases.client.expected as number;
        expect(r.outcome).to.equal("error");
        expect(r.errno).to.equal(ETIMEDOUT);
        expect(within(r.elapsed, expected), `detected after ${r.elapsed.toFixed(3)} s, expected ${expected} s`).to.equal(true);
        expect(r.probesDropped, "unanswered probes").to.equal(DOWNSTREAM.probes);
        expect(r.resetsDropped).to.equal(1);
        expect(r.effective).to.deep.equal({
            SO_KEEPALIVE: 1,
            TCP_KEEPIDLE: DOWNSTREAM.timeSeconds,
            TCP_KEEPINTVL: DOWNSTREAM.intervalSeconds,
            TCP_KEEPCNT: DOWNSTREAM.probes,
        });
        expect(r.peerOutcome).to.equal("connected");
    });

    it("(a) SO_KEEPALIVE alone uses the namespace's sysctls, set from the rendered pod sysctls", async () => {
        const sysctls = podSysctls(rendered.sysctl);
        expect(sysctls).to.deep.equal([
            { name: "net.ipv4.tcp_keepalive_time", value: "2" },
            { name: "net.ipv4.tcp_keepalive_intvl", value: "1" },
            { name: "net.ipv4.tcp_keepalive_probes", value: "3" },
        ]);
        expect(cases.sysctl.spec.serverOptions, "only SO_KEEPALIVE").to.have.length(1);
        const r = await result("sysctl");
        expect(r.sysctls).to.deep.equal({
            "net.ipv4.tcp_keepalive_time": 2,
            "net.ipv4.tcp_keepalive_intvl": 1,
            "net.ipv4.tcp_keepalive_probes": 3,
        });
        const expected = cases.sysctl.expected as number;
        const os = rendered.sysctl.proxies[0].osDefaults;
        expect(expected, "the renderer's detection with the pod's OS defaults").to.equal(os.timeSeconds + os.intervalSeconds * os.probes);
        expect(r.errno, `outcome ${r.outcome} after ${r.elapsed.toFixed(3)} s`).to.equal(ETIMEDOUT);
        expect(within(r.elapsed, expected), `detected after ${r.elapsed.toFixed(3)} s, expected ${expected} s`).to.equal(true);
        expect(r.probesDropped).to.equal(3);
        expect(r.effective, "a socket without TCP_KEEP* options reports the namespace's sysctls").to.deep.equal({
            SO_KEEPALIVE: 1,
            TCP_KEEPIDLE: 2,
            TCP_KEEPINTVL: 1,
            TCP_KEEPCNT: 3,
        });
    });

    it("a listener with only TCP_KEEPIDLE takes interval and probes from the pod sysctls, as the report's detection time says", async () => {
        const hop = rendered.mixed.proxies[0].hops.find((h) => h.kind === "downstream");
        expect(hop?.effective).to.deep.equal({ timeSeconds: 2, intervalSeconds: 1, probes: 3 });
        const r = await result("mixed");
        expect(r.errno, `outcome ${r.outcome} after ${r.elapsed.toFixed(3)} s`).to.equal(ETIMEDOUT);
        expect(
            within(r.elapsed, hop?.detectionSeconds as number),
            `detected after ${r.elapsed.toFixed(3)} s, expected ${hop?.detectionSeconds} s`,
        ).to.equal(true);
        expect(r.probesDropped).to.equal(3);
        expect(r.effective).to.deep.equal({ SO_KEEPALIVE: 1, TCP_KEEPIDLE: 2, TCP_KEEPINTVL: 1, TCP_KEEPCNT: 3 });
    });

    it("(b) control: without keepalive the connection stays up over the same window, and nothing is sent", async () => {
        const r = await result("control");
        expect(r.effective.SO_KEEPALIVE).to.equal(0);
        expect(r.outcome).to.equal("connected");
        expect(r.tcpState).to.equal("ESTABLISHED");
        expect(r.elapsed).to.be.at.least(cases.control.spec.waitSeconds - 0.1);
        expect(r.probesDropped).to.equal(0);
        expect(r.resetsDropped).to.equal(0);
        expect(r.peerOutcome).to.equal("connected");
    });
});
