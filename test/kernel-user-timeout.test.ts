/**
 * Proof on the real Linux kernel: the TCP_USER_TIMEOUT the library renders (typed in seconds,
 * rendered in milliseconds) drops a connection whose peer vanished with data in flight, where
 * keepalive never fires. Without it Linux keeps retransmitting for about 15 minutes.
 *
 * As in kernel-keepalive.test.ts: two namespaces per case on a veth pair; after the last data the
 * peer is black-holed with nftables; then the observing side sends data that is never
 * acknowledged, and the time to kernel.ETIMEDOUT is measured from that send. The options are the
 * rendered Gateway's (listener, inherited by the accepted socket) and the rendered bootstrap's
 * xDS cluster `upstream_bind_config.socket_options` (connecting socket). One more case holds the
 * renderer's idle detection with TCP_USER_TIMEOUT (the first probe timer at or after it, not the
 * probe count) to the kernel.
 */
import { expect } from "chai";
import { TCP_USER_TIMEOUT } from "../components/keepalive";
import { renderValues } from "../components/render/render";
import * as kernel from "./kernel/harness";
import type { CaseResult, CaseSpec, Obj, RawOption } from "./kernel/harness";

const USER_TIMEOUT_SECONDS = 3;
/** Keepalive far beyond the window: whatever drops the connection, it is not a keepalive probe. */
const KEEPALIVE = { timeSeconds: 60, intervalSeconds: 10, probes: 3 };
const values = {
    gatewayProxies: {
        gatewayProxy: {
            tcpUserTimeoutSeconds: USER_TIMEOUT_SECONDS,
            gatewaySettings: { tcpKeepalive: KEEPALIVE, tcpUserTimeoutSeconds: USER_TIMEOUT_SECONDS },
        },
    },
};
/** Idle: with TCP_USER_TIMEOUT the first probe timer at or after it drops the connection, not the probe count (2 + 9 × 2 = 20 s without). */
const IDLE_VALUES = {
    gatewayProxies: {
        gatewayProxy: { gatewaySettings: { tcpKeepalive: { timeSeconds: 2, intervalSeconds: 2, probes: 9 }, tcpUserTimeoutSeconds: 3 } },
    },
};
const CONTROL_SECONDS = 20;
const RUNS = 3;

const isUserTimeout = (o: RawOption) => o.level === kernel.IPPROTO_TCP && o.name === 18;

// What the library renders: the Gateways' options and the xDS cluster's bind-config options.
const rendered = renderValues([values]);
const idleRendered = renderValues([IDLE_VALUES]);
const listener = kernel.raw(kernel.gatewayOptions(rendered.objects as Obj[]));
const clusters = (rendered.proxies[0].bootstrap.static_resources as { clusters: Record<string, unknown>[] }).clusters;
const bind = clusters[0].upstream_bind_config as { socket_options: { level: number; name: number; int_value: number }[] };
const clusterOptions = bind.socket_options.map((o) => ({ level: o.level, name: o.name, value: o.int_value }));
const base = { serverSysctls: [], blackholeBeforeSeconds: KEEPALIVE.timeSeconds, sendAfterBlackhole: true };
const specs: Record<string, CaseSpec> = {
    ...Object.fromEntries(
        Array.from({ length: RUNS }, (_, i): [string, CaseSpec] => [
            `listener${i}`,
            {
                ...base,
                letter: "fgh"[i],
                title: `Gateway options with TCP_USER_TIMEOUT, run ${i + 1}`,
                keepaliveSide: "server",
                serverOptions: listener,
                clientOptions: [],
                waitSeconds: USER_TIMEOUT_SECONDS + 5,
            },
        ]),
    ),
    cluster: {
        ...base,
        letter: "i",
        title: "xDS cluster upstream_bind_config.socket_options on the connecting socket",
        keepaliveSide: "client",
        serverOptions: [],
        clientOptions: clusterOptions,
        waitSeconds: USER_TIMEOUT_SECONDS + 5,
    },
    idle: {
        ...base,
        letter: "k",
        title: "idle with keepalive 2/2/9 and TCP_USER_TIMEOUT 3 s",
        keepaliveSide: "server",
        serverOptions: kernel.raw(kernel.gatewayOptions(idleRendered.objects as Obj[])),
        clientOptions: [],
        sendAfterBlackhole: false,
        blackholeBeforeSeconds: 2,
        waitSeconds: 10,
    },
    control: {
        ...base,
        letter: "j",
        title: "control: the same Gateway options without TCP_USER_TIMEOUT",
        keepaliveSide: "server",
        serverOptions: listener.filter((o) => !isUserTimeout(o)),
        clientOptions: [],
        waitSeconds: CONTROL_SECONDS + 0.5,
    },
};

async function cleanupNamespaces(): Promise<void> {
    for (const ns of [...kernel.created]) await kernel.deleteNamespace(ns);
}

/** The cases, started once for the suite. */
const run: { setupError?: Error; promises: Record<string, Promise<CaseResult>> } = { promises: {} };

async function startCases(): Promise<void> {
    try {
        await kernel.preflight();
        await kernel.cleanupLeftovers();
    } catch (e) {
        run.setupError = e as Error;
        return;
    }
    Object.entries(specs).forEach(([key, spec], i) => {
        run.promises[key] = kernel.runCase(spec, 10 + i);
        run.promises[key].catch(() => undefined); // reported by the case's test
    });
}

/** A case's result, logged with what was measured. */
async function result(key: string): Promise<CaseResult> {
    if (run.setupError) throw run.setupError;
    const r = await run.promises[key];
    console.log(
        `      ${specs[key].title}: ${r.outcome}${r.error ? ` ${r.error}` : ""} ${r.elapsed.toFixed(3)} s after ${specs[key].sendAfterBlackhole ? "the unacknowledged send" : "the last data"};` +
            ` TCP_USER_TIMEOUT ${r.userTimeoutMs} ms; retransmissions dropped ${r.probesDropped}, resets ${r.resetsDropped}; state ${r.tcpState}`,
    );
    return r;
}

describe("kernel: rendered TCP_USER_TIMEOUT drops a connection with unacknowledged data", function () {
    this.timeout(60000);
    before(startCases);
    after(async () => Promise.all(Object.values(run.promises).map((p) => p.catch(() => undefined))).then(cleanupNamespaces));

    it("renders TCP_USER_TIMEOUT in milliseconds on the Gateways (level 6 name 18, STATE_PREBIND) and on every cluster", () => {
        const option = kernel.gatewayOptions(rendered.objects as Obj[]).find((o) => o.level === 6 && o.name === 18);
        expect(option).to.deep.include({ intValue: USER_TIMEOUT_SECONDS * 1000, state: "STATE_PREBIND" });
        expect([TCP_USER_TIMEOUT.level, TCP_USER_TIMEOUT.name]).to.deep.equal([6, 18]);
        for (const cluster of clusters) {
            expect((cluster.upstream_bind_config as typeof bind).socket_options, String(cluster.name)).to.deep.include({
                description: TCP_USER_TIMEOUT.description,
                level: 6,
                name: 18,
                int_value: USER_TIMEOUT_SECONDS * 1000,
                state: "STATE_PREBIND",
            });
        }
        const downstream = rendered.proxies[0].hops.find((h) => h.kind === "downstream");
        expect(downstream?.inFlightDetectionSeconds).to.equal(USER_TIMEOUT_SECONDS);
    });

    for (let i = 0; i < RUNS; i++) {
        it(`the listener's TCP_USER_TIMEOUT (inherited by the accepted socket) drops it in ${USER_TIMEOUT_SECONDS} s ± 0.5 s (run ${i + 1})`, async () => {
            const r = await result(`listener${i}`);
            expect(r.userTimeoutMs, "the accepted socket inherits TCP_USER_TIMEOUT").to.equal(USER_TIMEOUT_SECONDS * 1000);
            expect(r.outcome).to.equal("error");
            expect(r.errno, "recv fails with kernel.ETIMEDOUT").to.equal(kernel.ETIMEDOUT);
            expect(r.elapsed).to.be.closeTo(USER_TIMEOUT_SECONDS, 0.5);
            expect(r.probesDropped, "the data was retransmitted into the black hole").to.be.at.least(2);
        });
    }

    it(`the xDS cluster's upstream_bind_config TCP_USER_TIMEOUT drops a connecting socket in ${USER_TIMEOUT_SECONDS} s ± 0.5 s`, async () => {
        const r = await result("cluster");
        expect(r.userTimeoutMs).to.equal(USER_TIMEOUT_SECONDS * 1000);
        expect(r.errno, `outcome ${r.outcome}`).to.equal(kernel.ETIMEDOUT);
        expect(r.elapsed).to.be.closeTo(USER_TIMEOUT_SECONDS, 0.5);
    });

    it("idle: the renderer's detection with TCP_USER_TIMEOUT (first probe timer at or after it) is what the kernel does", async () => {
        const hop = idleRendered.proxies[0].hops.find((h) => h.kind === "downstream");
        expect(hop?.detectionSeconds, "2 + 1 × 2: the probe at 4 s is the first at or after 3 s").to.equal(4);
        const r = await result("idle");
        expect(r.errno, `outcome ${r.outcome}`).to.equal(kernel.ETIMEDOUT);
        expect(kernel.within(r.elapsed, hop?.detectionSeconds as number), `dropped after ${r.elapsed.toFixed(3)} s`).to.equal(true);
    });

    it(`control: without it the same socket is still retransmitting after ${CONTROL_SECONDS} s`, async () => {
        const r = await result("control");
        expect(r.userTimeoutMs).to.equal(0);
        expect(r.effective.SO_KEEPALIVE, "keepalive is on, and never fires while data is in flight").to.equal(1);
        expect(r.outcome).to.equal("connected");
        expect(r.tcpState).to.equal("ESTABLISHED");
        expect(r.elapsed).to.be.at.least(CONTROL_SECONDS);
        expect(r.probesDropped, "retransmissions with backoff").to.be.at.least(5);
        expect(r.resetsDropped).to.equal(0);
    });
});
