/**
 * The kernel tests' harness: two fresh network namespaces per case joined by a veth pair, a
 * python3 probe (test/kernel/keepalive_probe.py) as the server in one and the client in the
 * other, the socket options applied with setsockopt as Envoy applies them, and an nftables
 * black hole in the peer's namespace after the last data. Names carry the pid, so parallel runs
 * never meet. Needs root, iproute2 (ip), nftables (nft) and python3; fails (never skips) without them.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import type { RenderResult } from "../../components/render/render";

export const HARNESS = path.join(__dirname, "keepalive_probe.py");
/** Linux ETIMEDOUT. */
export const ETIMEDOUT = 110;
/** Linux IPPROTO_TCP, from the kernel headers (not from the library under test). */
export const IPPROTO_TCP = 6;
export const PORT = 8080;
/** Every name this suite creates starts with this and carries the pid: namespaces gka<pid>-<case>-<s|c>. */
export const NS_PREFIX = "gka";
/** veth names (at most 15 characters): gk<pid><case letter><s|c>. */
export const VETH_PREFIX = "gk";

// ---------------------------------------------------------------- small process helpers

export interface Ran {
    stdout: string;
    stderr: string;
}

/** Run a command with a time limit; rejects with its stderr on a non-zero exit. */
export function run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<Ran> {
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

export const monotonicSeconds = () => Number(process.hrtime.bigint()) / 1e9; // CLOCK_MONOTONIC, as python's time.monotonic()

export type HarnessEvent = { event: string; [key: string]: unknown };

/** One harness process in a namespace, speaking JSON lines. */
export class Harness {
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

export const created = new Set<string>();

export async function namespaceExists(ns: string): Promise<boolean> {
    const { stdout } = await run("ip", ["netns", "list"]);
    return stdout.split("\n").some((line) => line.split(" ")[0] === ns);
}

/** Delete a namespace (its veth end and nft tables go with it); a few tries, then say so. */
export async function deleteNamespace(ns: string): Promise<void> {
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

export function pidAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** Remove namespaces and veths left by an earlier run of this suite (its process is gone, or had our pid). */
export async function cleanupLeftovers(): Promise<string[]> {
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
export async function preflight(): Promise<void> {
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

export interface RawOption {
    level: number;
    name: number;
    value: number;
}

export interface CaseSpec {
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
    /** Once the peer is black-holed the observer sends data that is never acknowledged; the time counts from that send. */
    sendAfterBlackhole?: boolean;
}

export interface CaseResult {
    outcome: string;
    errno?: number;
    error?: string;
    elapsed: number;
    tcpState: string;
    effective: Record<string, number>;
    /** TCP_USER_TIMEOUT in milliseconds the kernel reports for the observing socket (0: unset). */
    userTimeoutMs: number;
    sysctls?: Record<string, number>;
    peerOutcome: string;
    peerTcpState: string;
    /** Packets from the keepalive side dropped in the peer's namespace: probes (no RST flag) and resets. */
    probesDropped: number;
    resetsDropped: number;
    blackholedAfter: number;
}

export function nftScript(table: string, from: string): string {
    return [
        `add table inet ${table}`,
        `add chain inet ${table} input { type filter hook input priority 0; policy accept; }`,
        `add rule inet ${table} input ip saddr ${from} tcp flags & rst == rst counter drop comment "resets"`,
        `add rule inet ${table} input ip saddr ${from} counter drop comment "probes"`,
        "",
    ].join("\n");
}

export async function nftCounters(ns: string, table: string): Promise<Record<string, number>> {
    const { stdout } = await run("ip", ["netns", "exec", ns, "nft", "-j", "list", "table", "inet", table]);
    const counters: Record<string, number> = {};
    for (const item of (JSON.parse(stdout) as { nftables: { rule?: { comment?: string; expr: Record<string, unknown>[] } }[] }).nftables) {
        if (!item.rule?.comment) continue;
        const counter = item.rule.expr.find((e) => "counter" in e)?.counter as { packets: number } | undefined;
        counters[item.rule.comment] = counter?.packets ?? NaN;
    }
    return counters;
}

/** Two fresh namespaces joined by a veth pair, addressed and up. */
async function setupPair(
    ns: { server: string; client: string },
    veth: { server: string; client: string },
    addr: { server: string; client: string },
) {
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
}

export async function runCase(spec: CaseSpec, index: number): Promise<CaseResult> {
    const ns = { server: `${NS_PREFIX}${process.pid}-${spec.letter}-s`, client: `${NS_PREFIX}${process.pid}-${spec.letter}-c` };
    const veth = { server: `${VETH_PREFIX}${process.pid}${spec.letter}s`, client: `${VETH_PREFIX}${process.pid}${spec.letter}c` };
    const addr = { server: `10.251.${index}.1`, client: `10.251.${index}.2` };
    const table = `${NS_PREFIX}${process.pid}`;
    const harnesses: Harness[] = [];
    try {
        await setupPair(ns, veth, addr);

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
        await server.next("listening", 10000);
        const sysctls = spec.serverSysctls.length > 0 ? ((await server.next("sysctls", 1000)).values as Record<string, number>) : undefined;
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

        if (spec.sendAfterBlackhole) {
            sides[observer].send("send");
            await sides[observer].next("sent", 5000);
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
            userTimeoutMs: idle.userTimeoutMs as number,
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

export type GatewaySocketOption = { description: string; level: number; name: number; intValue: number; state: string };
export type Obj = { kind: string; metadata: { name: string }; spec?: Record<string, unknown> };

export function gatewayOptions(objects: readonly Obj[]): GatewaySocketOption[] {
    const gateways = objects.filter((o) => o.kind === "Gateway");
    expect(gateways.length, "rendered Gateways").to.be.greaterThan(0);
    const all = gateways.map((g) => (g.spec?.options as { socketOptions: GatewaySocketOption[] }).socketOptions);
    for (const options of all) expect(options, "every Gateway carries the same socket options").to.deep.equal(all[0]);
    for (const o of all[0]) expect(o.state, o.description).to.equal("STATE_PREBIND");
    return all[0];
}

export const raw = (options: readonly GatewaySocketOption[]): RawOption[] =>
    options.map((o) => ({ level: o.level, name: o.name, value: o.intValue }));

export function podSysctls(result: RenderResult): { name: string; value: string }[] {
    const deployment = result.objects.find((o) => o.kind === "Deployment") as Obj;
    const template = (deployment.spec?.template as { spec: { securityContext: { sysctls?: { name: string; value: string }[] } } }).spec;
    return template.securityContext.sysctls ?? [];
}

export function sysctlDetection(sysctls: { name: string; value: string }[]): number {
    const get = (name: string) => {
        const s = sysctls.find((x) => x.name === `net.ipv4.tcp_keepalive_${name}`);
        if (!s) throw new Error(`rendered sysctls lack net.ipv4.tcp_keepalive_${name}`);
        return Number(s.value);
    };
    return get("time") + get("intvl") * get("probes");
}

/** A measured time within 10 % (at most 0.5 s) of the expected one. */
export const within = (measured: number, expected: number) => Math.abs(measured - expected) <= Math.min(0.1 * expected, 0.5);
