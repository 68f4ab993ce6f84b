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
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import { tmpdir } from "os";
import * as path from "path";
import { renderValues, type RenderResult } from "../components/render/render";
import { runCli } from "./cli-harness";
import {
    cleanupLeftovers,
    created,
    deleteNamespace,
    ETIMEDOUT,
    gatewayOptions,
    IPPROTO_TCP,
    podSysctls,
    preflight,
    raw,
    runCase,
    sysctlDetection,
    within,
    type CaseResult,
    type CaseSpec,
    type GatewaySocketOption,
    type Obj,
} from "./kernel/harness";

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

/** What the library renders for the cases. */
interface Rendered {
    downstream: RenderResult;
    downstreamOptions: GatewaySocketOption[];
    manifestOptions: GatewaySocketOption[];
    sysctl: RenderResult;
    mixed: RenderResult;
}

/** The cases, from what the library rendered: each with the detection time it must show (none for the control). */
/** A case with no options, sysctls or keepalive unless given. */
const spec = (
    s: Partial<CaseSpec> & Pick<CaseSpec, "letter" | "title" | "keepaliveSide" | "waitSeconds" | "blackholeBeforeSeconds">,
): CaseSpec => ({
    serverOptions: [],
    clientOptions: [],
    serverSysctls: [],
    ...s,
});

function caseSpecs(rendered: Rendered): [string, CaseSpec, number | undefined][] {
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
            spec({
                letter: "a",
                title: "Gateway options on the listening socket",
                keepaliveSide: "server",
                serverOptions: raw(rendered.downstreamOptions),
                waitSeconds: downstreamExpected + 3,
                blackholeBeforeSeconds: DOWNSTREAM.timeSeconds,
            }),
            downstreamExpected,
        ],
        [
            "client",
            spec({
                letter: "b",
                title: "manifests.yaml options on the connecting socket",
                keepaliveSide: "client",
                clientOptions: raw(rendered.manifestOptions),
                waitSeconds: downstreamExpected + 3,
                blackholeBeforeSeconds: DOWNSTREAM.timeSeconds,
            }),
            downstreamExpected,
        ],
        [
            "sysctl",
            spec({
                letter: "c",
                title: "SO_KEEPALIVE only, pod sysctls in the namespace",
                keepaliveSide: "server",
                serverOptions: keepaliveOnly,
                serverSysctls: podSysctls(rendered.sysctl),
                waitSeconds: sysctlExpected + 3,
                blackholeBeforeSeconds: 2,
            }),
            sysctlExpected,
        ],
        [
            "mixed",
            spec({
                letter: "d",
                title: "TCP_KEEPIDLE only on the listener, pod sysctls for the rest",
                keepaliveSide: "server",
                serverOptions: raw(gatewayOptions(rendered.mixed.objects as Obj[])),
                serverSysctls: podSysctls(rendered.mixed),
                waitSeconds: mixedExpected + 3,
                blackholeBeforeSeconds: 2,
            }),
            mixedExpected,
        ],
        [
            "control",
            spec({
                letter: "e",
                title: "control: no keepalive",
                keepaliveSide: "none",
                waitSeconds: longest + 1,
                blackholeBeforeSeconds: longest,
            }),
            undefined,
        ],
    ];
    return specs;
}

// ---------------------------------------------------------------- the suite

const suite: { setupError?: Error } = {};
const rendered: Rendered = {
    downstream: undefined as unknown as RenderResult,
    downstreamOptions: [],
    manifestOptions: [],
    sysctl: undefined as unknown as RenderResult,
    mixed: undefined as unknown as RenderResult,
};
const cases: Record<string, { spec: CaseSpec; expected?: number; promise?: Promise<CaseResult> }> = {};
const scratch = mkdtempSync(path.join(tmpdir(), "gka-render-"));

/** Render what the cases use, then start every case at once (the suite takes as long as the slowest). */
async function startCases(): Promise<void> {
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

    const specs = caseSpecs(rendered);
    for (const [key, spec, expected] of specs) cases[key] = { spec, expected };

    try {
        await preflight();
        const removed = await cleanupLeftovers();
        if (removed.length > 0) console.log(`      removed leftovers: ${removed.join(", ")}`);
    } catch (e) {
        suite.setupError = e as Error;
        return;
    }
    // All cases at once: the suite takes as long as the slowest case.
    specs.forEach(([key, spec], i) => {
        cases[key].promise = runCase(spec, i);
        cases[key].promise.catch(() => undefined); // reported by the case's test
    });
}

/** Start the cases once, for every describe below (each can run alone). */
let started: Promise<void> | undefined;
const startOnce = () => (started ??= startCases());

/** After every case: each case deletes its own namespaces; this removes what is left, and the scratch directory. */
async function stopCases(): Promise<void> {
    await Promise.all(Object.values(cases).map((c) => c.promise?.catch(() => undefined)));
    for (const ns of [...created]) await deleteNamespace(ns);
    rmSync(scratch, { recursive: true, force: true });
}

/** A case's result, logged with what was measured. */
async function result(key: string): Promise<CaseResult> {
    if (suite.setupError) throw suite.setupError;
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

describe("kernel: rendered keepalive on real sockets in network namespaces", function () {
    this.timeout(45000);

    before(startOnce);
    after(stopCases);

    it("runs as root with ip, nft and python3, and can create network namespaces", () => {
        if (suite.setupError) throw suite.setupError;
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
});

describe("kernel: the rendered options find a black-holed peer", function () {
    this.timeout(45000);
    before(startOnce);
    after(stopCases);

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
});

describe("kernel: pod sysctls, and the control without keepalive", function () {
    this.timeout(45000);
    before(startOnce);
    after(stopCases);

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
