/**
 * The components on their own under Pulumi's mock engine: GatewayProxy (plain args, Outputs, bad
 * args, renames, helm), GatewayProxies (Gloo's merge and nesting) and KeepaliveUpstream.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { existsSync } from "fs";
import * as path from "path";
import { ComponentArgsError } from "../components/pulumi/component-args";
import { GatewayProxies } from "../components/pulumi/gateway-proxies";
import { GatewayProxy, gatewayProxyChartPath, gatewayProxyChartValues, type GatewayProxyArgs } from "../components/pulumi/gateway-proxy";
import { KeepaliveUpstream } from "../components/pulumi/keepalive-upstream";
import { keepaliveUpstream } from "../components/render/manifests";
import { renderValues } from "../components/render/render";
import type { GatewayProxyValues } from "../components/values/types";
import { byKey, deployedObjects, registeredObjects, REPO_ROOT, runProgram, type ProgramRun } from "./pulumi-harness";

const ENTRY: Omit<GatewayProxyValues, "namespace"> = {
    tcpKeepaliveTimeSeconds: 60,
    tcpKeepaliveIntervalSeconds: 20,
    tcpKeepaliveProbes: 3,
    loadBalancerIdleTimeoutSeconds: 350,
    gatewaySettings: { tcpKeepalive: { timeSeconds: 60, intervalSeconds: 20, probes: 2 } },
    service: { type: "ClusterIP" },
};
const UPSTREAM = {
    name: "petstore",
    host: "petstore.default.svc.cluster.local",
    port: 8080,
    tcpKeepalive: { timeSeconds: 60, intervalSeconds: 20, probes: 2 },
};

/** What the library renders for one proxy's args. */
const libraryObjects = (key: string, entry: GatewayProxyValues, upstreams = [UPSTREAM], namespace = "gloo-system") =>
    renderValues([gatewayProxyChartValues(key, entry, upstreams)], { namespace, releaseName: "gateway-proxy" });

/** Run a program and return the thrown error (the constructor's), if any. */
async function thrown(program: () => unknown): Promise<{ run: ProgramRun; error: Error | undefined }> {
    let error: Error | undefined;
    const run = await runProgram(() => {
        try {
            program();
        } catch (e) {
            error = e as Error;
        }
    });
    return { run, error };
}

describe("GatewayProxy", () => {
    it("deploys exactly the library's objects for its args, and outputs bootstrap, checksum, keepalive per hop, detection and service name", async () => {
        let proxy!: GatewayProxy;
        const run = await runProgram(() => {
            proxy = new GatewayProxy("edge", { name: "gatewayProxy", ...ENTRY, upstreams: [UPSTREAM] });
            return {
                bootstrap: proxy.bootstrap,
                checksum: proxy.bootstrapChecksum,
                keepalive: proxy.keepalive,
                detection: proxy.detectionSeconds,
                max: proxy.maxDetectionSeconds,
                service: proxy.serviceName,
                warnings: proxy.warnings,
            };
        });
        expect(run.errors).to.deep.equal([]);
        const expected = libraryObjects("gatewayProxy", ENTRY);
        expect(byKey(registeredObjects(run))).to.deep.equal(byKey(deployedObjects(expected)));
        const out = run.outputs as Record<string, any>;
        const p = expected.proxies[0];
        expect(out.bootstrap).to.deep.equal(p.bootstrap);
        expect(out.checksum).to.equal(p.checksum);
        expect(out.service).to.equal("gateway-proxy");
        expect(out.keepalive.map((h: any) => [h.kind, h.name, h.effective, h.detectionSeconds])).to.deep.equal(
            p.hops.map((h) => [h.kind, h.name, h.effective ?? null, h.detectionSeconds ?? null]),
        );
        expect(out.keepalive[0].source).to.equal("tcpKeepaliveTimeSeconds");
        expect(out.detection).to.deep.equal({
            "xds/gloo.gloo-system.svc.cluster.local:9977": 120,
            "built-in-cluster/rest_xds_cluster": 120,
            "built-in-cluster/wasm-cache": 120,
            "built-in-cluster/admin_port_cluster": 120,
            "downstream/gateway-proxy": 100,
            "upstream/petstore": 100,
        });
        expect(out.max).to.equal(120);
        expect(out.warnings).to.deep.equal([]);
        expect(proxy.proxyName).to.equal("gateway-proxy");
    });

    it("names every child <namespace>/<object name>, never after a keepalive value or the component, with the parent set", async () => {
        const run = await runProgram(() => void new GatewayProxy("edge", { name: "publicGw", ...ENTRY, namespace: "edge-ns" }));
        const component = run.registrations[0];
        expect(component.type).to.equal("gloo-keepalive:index:GatewayProxy");
        const children = run.registrations.slice(1);
        expect(children.map((c) => `${c.type} ${c.name}`).sort()).to.deep.equal([
            "kubernetes:apps/v1:Deployment edge-ns/public-gw",
            "kubernetes:core/v1:ConfigMap edge-ns/public-gw-envoy-config",
            "kubernetes:core/v1:Service edge-ns/public-gw",
            "kubernetes:core/v1:ServiceAccount edge-ns/gateway-proxy",
            "kubernetes:gateway.solo.io/v1:Gateway edge-ns/public-gw",
            "kubernetes:gateway.solo.io/v1:Gateway edge-ns/public-gw-ssl",
        ]);
        for (const c of children) expect(c.parent).to.equal(component.urn);
        // Only the proxy asked for: the chart's default entry gatewayProxy is not rendered beside it.
        expect(byKey(registeredObjects(run))).to.deep.equal(byKey(deployedObjects(libraryObjects("publicGw", ENTRY, [], "edge-ns"))));
    });

    it("rolls the workload only after its ConfigMap and ServiceAccount: the Deployment depends on both", async () => {
        const run = await runProgram(() => void new GatewayProxy("edge", { name: "gatewayProxy", ...ENTRY }));
        const urnOf = (type: string) => run.registrations.find((r) => r.type === type)?.urn;
        const deployment = run.registrations.find((r) => r.type === "kubernetes:apps/v1:Deployment");
        expect(deployment?.dependencies).to.include.members([
            urnOf("kubernetes:core/v1:ConfigMap"),
            urnOf("kubernetes:core/v1:ServiceAccount"),
        ]);
    });

    it("deploys a DaemonSet when kind.workloadType is DaemonSet (Gloo's form)", async () => {
        const run = await runProgram(
            () =>
                void new GatewayProxy("edge", {
                    name: "gatewayProxy",
                    ...ENTRY,
                    kind: { workloadType: "DaemonSet", daemonSet: { hostPort: true } },
                }),
        );
        expect(run.registrations.map((r) => r.type))
            .to.include("kubernetes:apps/v1:DaemonSet")
            .and.not.include("kubernetes:apps/v1:Deployment");
        expect(byKey(registeredObjects(run))).to.deep.equal(
            byKey(
                deployedObjects(
                    libraryObjects(
                        "gatewayProxy",
                        { ...ENTRY, kind: { workloadType: "DaemonSet" as const, daemonSet: { hostPort: true } } },
                        [],
                    ),
                ),
            ),
        );
    });

    describe("bad plain args", () => {
        const cases: [string, Partial<GatewayProxyArgs>, string[]][] = [
            [
                "kernel bounds, at the arg paths",
                { tcpKeepaliveProbes: 300, gatewaySettings: { tcpKeepalive: { timeSeconds: 0 } } },
                [
                    "tcpKeepaliveProbes: 300 exceeds the kernel maximum 127",
                    "gatewaySettings.tcpKeepalive.timeSeconds: 0 is below the kernel minimum 1",
                ],
            ],
            [
                "a fraction and a sub-second string",
                {
                    tcpKeepaliveIntervalSeconds: 2.5,
                    upstreams: [{ ...UPSTREAM, tcpKeepalive: { intervalSeconds: "500ms" as unknown as number } }],
                },
                [
                    "tcpKeepaliveIntervalSeconds: 2.5 is not a whole number (never rounded)",
                    'upstreams[0].tcpKeepalive.intervalSeconds: "500ms" is not a whole number',
                ],
            ],
            ["a proxy name Gloo would not accept", { name: "public_gw" }, ['name: "public_gw" is not a valid proxy name']],
            ["an unknown deployWith", { deployWith: "kubectl" as "helm" }, ['deployWith: "kubectl" is not one of resources, helm']],
            ["a disabled proxy", { disabled: true }, ["disabled: true would deploy nothing"]],
            [
                "an Output where the object set is decided",
                { kind: pulumi.output({ daemonSet: {} }) as unknown as GatewayProxyArgs["kind"] },
                ["kind: may not be an Output or a promise"],
            ],
        ];
        for (const [what, args, messages] of cases) {
            it(`${what}: throws a ComponentArgsError naming the arg path before anything is registered`, async () => {
                const { run, error } = await thrown(
                    () => new GatewayProxy("edge", { name: "gatewayProxy", ...ENTRY, ...args } as GatewayProxyArgs),
                );
                expect(error).to.be.instanceOf(ComponentArgsError);
                expect(error?.message.split("\n")[0]).to.match(/^gloo-keepalive:index:GatewayProxy "edge": \d+ invalid arg\(s\):$/);
                for (const m of messages) expect(error?.message).to.include(m);
                expect(run.registrations).to.deep.equal([]);
                expect(run.errors).to.deep.equal([]);
            });
        }
    });

    describe("args that are Outputs", () => {
        it("deploys the same objects as plain args once Outputs and promises resolve", async () => {
            const run = await runProgram(
                () =>
                    void new GatewayProxy("edge", {
                        name: "gatewayProxy",
                        ...ENTRY,
                        tcpKeepaliveTimeSeconds: pulumi.output(60),
                        tcpKeepaliveProbes: Promise.resolve(3),
                        loadBalancerIdleTimeoutSeconds: pulumi.secret(350),
                        gatewaySettings: {
                            tcpKeepalive: { timeSeconds: pulumi.output(60), intervalSeconds: 20, probes: pulumi.output(2) },
                        },
                        upstreams: [
                            {
                                ...UPSTREAM,
                                host: pulumi.output(UPSTREAM.host),
                                tcpKeepalive: { timeSeconds: pulumi.output(60), intervalSeconds: 20, probes: 2 },
                            },
                        ],
                    }),
            );
            expect(run.errors).to.deep.equal([]);
            expect(byKey(registeredObjects(run))).to.deep.equal(byKey(deployedObjects(libraryObjects("gatewayProxy", ENTRY))));
            // A secret input keeps what it renders into secret.
            const configMap = run.registrations.find((r) => r.type === "kubernetes:core/v1:ConfigMap");
            expect(configMap?.secretPaths).to.not.deep.equal([]);
        });

        it("takes a value from another resource, and its children depend on that resource", async () => {
            const run = await runProgram(() => {
                const gloo = new k8s.core.v1.Service("gloo", { metadata: { name: "gloo", namespace: "gloo-system" } });
                new GatewayProxy("edge", { name: "gatewayProxy", ...ENTRY, xdsServiceAddress: gloo.metadata.name });
            });
            expect(run.errors).to.deep.equal([]);
            const gloo = run.registrations.find((r) => r.name === "gloo")?.urn;
            const configMap = run.registrations.find((r) => r.type === "kubernetes:core/v1:ConfigMap");
            expect(configMap?.dependencies).to.include(gloo);
            expect(byKey(registeredObjects(run).filter((o) => o.metadata.name !== "gloo"))).to.deep.equal(
                byKey(deployedObjects(libraryObjects("gatewayProxy", { ...ENTRY, xdsServiceAddress: "gloo" }, []))),
            );
        });

        it("an invalid Output fails the apply with the same message, and no child is registered", async () => {
            const sync = await thrown(() => new GatewayProxy("edge", { name: "gatewayProxy", ...ENTRY, tcpKeepaliveProbes: 300 }));
            const run = await runProgram(
                () => void new GatewayProxy("edge", { name: "gatewayProxy", ...ENTRY, tcpKeepaliveProbes: pulumi.output(300) }),
            );
            expect(run.registrations.map((r) => r.type)).to.deep.equal(["gloo-keepalive:index:GatewayProxy"]);
            expect(run.errors.length).to.be.greaterThan(0);
            for (const e of run.errors) expect(e.message).to.include(sync.error?.message);
        });
    });

    it("keeps child URNs when renamed, and passes aliases through so the component's own URN can be kept", async () => {
        const before = await runProgram(() => void new GatewayProxy("edge", { name: "gatewayProxy", ...ENTRY }));
        const after = await runProgram(
            () => void new GatewayProxy("edge-v2", { name: "gatewayProxy", ...ENTRY }, { aliases: [{ name: "edge" }] }),
        );
        const childUrns = (run: ProgramRun) =>
            run.registrations
                .slice(1)
                .map((r) => r.urn)
                .sort();
        expect(childUrns(after)).to.have.length(6);
        expect(childUrns(after)).to.deep.equal(childUrns(before));
        expect(after.registrations[0].aliases.map((a) => a.name)).to.deep.equal(["edge"]);
        expect(before.registrations[0].urn).to.match(/::edge$/);
    });

    it("deployWith helm: one k8s.helm.v4.Chart of the bundled chart with the one-proxy values, no typed children", async () => {
        let proxy!: GatewayProxy;
        const run = await runProgram(() => {
            proxy = new GatewayProxy("edge", {
                name: "publicGw",
                ...ENTRY,
                upstreams: [UPSTREAM],
                deployWith: "helm",
                namespace: "edge-ns",
                releaseName: "edge",
            });
            return { service: proxy.serviceName, checksum: proxy.bootstrapChecksum };
        });
        expect(run.errors).to.deep.equal([]);
        expect(run.registrations.map((r) => `${r.type} ${r.name} ${r.remote}`)).to.deep.equal([
            "gloo-keepalive:index:GatewayProxy edge false",
            "kubernetes:helm.sh/v4:Chart edge-ns/public-gw true",
        ]);
        const chart = run.registrations[1];
        expect(chart.inputs).to.include({ chart: path.join(REPO_ROOT, "charts", "gateway-proxy"), name: "edge", namespace: "edge-ns" });
        expect(chart.inputs.values).to.deep.equal(gatewayProxyChartValues("publicGw", ENTRY, [UPSTREAM]));
        expect(existsSync(path.join(gatewayProxyChartPath(), "Chart.yaml"))).to.equal(true);
        const expected = renderValues([chart.inputs.values], { namespace: "edge-ns", releaseName: "edge" });
        expect(run.outputs).to.deep.equal({ service: "public-gw", checksum: expected.proxies[0].checksum });
    });
});

describe("GatewayProxies", () => {
    const values = {
        gatewayProxies: {
            gatewayProxy: {
                tcpKeepaliveTimeSeconds: 90,
                tcpKeepaliveProbes: 3,
                service: { type: "ClusterIP" as const },
                extraEnvoyArgs: ["--log-level", "info"],
            },
            publicGw: { kind: { daemonSet: {} }, extraEnvoyArgs: ["--concurrency", "2"] },
            oldGw: { disabled: true },
        },
        gloo: { gatewayProxies: { internalGw: { tcpKeepaliveIntervalSeconds: 15, gatewaySettings: { disableHttpsGateway: true } } } },
    };

    it("deploys one GatewayProxy per enabled entry (gloo.gatewayProxies included), merged over gatewayProxy, exactly as renderValues", async () => {
        let proxies!: GatewayProxies;
        const run = await runProgram(() => {
            proxies = new GatewayProxies("all", { ...values, namespace: "gloo-system" });
            return { checksums: proxies.bootstrapChecksums, max: proxies.maxDetectionSeconds };
        });
        expect(run.errors).to.deep.equal([]);
        const expected = renderValues([values]);
        const parent = run.registrations[0];
        expect(
            run.registrations.filter((r) => r.type === "gloo-keepalive:index:GatewayProxy").map((r) => [r.name, r.parent]),
        ).to.deep.equal([
            ["gloo-system/gateway-proxy", parent.urn],
            ["gloo-system/internal-gw", parent.urn],
            ["gloo-system/public-gw", parent.urn],
        ]);
        expect(byKey(registeredObjects(run))).to.deep.equal(byKey(deployedObjects(expected)));
        expect(Object.keys(proxies.proxies)).to.deep.equal(["gatewayProxy", "internalGw", "publicGw"]);
        expect(run.outputs?.checksums).to.deep.equal(Object.fromEntries(expected.proxies.map((p) => [p.key, p.checksum])));
    });

    it("bad values throw before anything is registered, naming the value path (gloo.gatewayProxies too)", async () => {
        const bad = structuredClone(values) as any;
        bad.gloo.gatewayProxies.internalGw.tcpKeepaliveIntervalSeconds = 40000;
        bad.gatewayProxies.publicGw.tcpKeepaliveProbes = 0;
        const { run, error } = await thrown(() => new GatewayProxies("all", bad));
        expect(error).to.be.instanceOf(ComponentArgsError);
        expect(error?.message).to.include(
            "gloo.gatewayProxies.internalGw.tcpKeepaliveIntervalSeconds: 40000 exceeds the kernel maximum 32767",
        );
        expect(error?.message).to.include("gatewayProxies.publicGw.tcpKeepaliveProbes: 0 is below the kernel minimum 1");
        expect(run.registrations).to.deep.equal([]);
    });
});

describe("KeepaliveUpstream", () => {
    it("deploys the Upstream keepaliveUpstream() renders, and outputs its keepalive and detection time", async () => {
        let upstream!: KeepaliveUpstream;
        const run = await runProgram(() => {
            upstream = new KeepaliveUpstream("orders", {
                name: "orders",
                namespace: "shop",
                host: "orders.shop.svc.cluster.local",
                port: pulumi.output(8080),
                tcpKeepalive: { timeSeconds: 120, intervalSeconds: pulumi.output(20) },
            });
            return { effective: upstream.effectiveKeepalive, detection: upstream.detectionSeconds };
        });
        expect(run.errors).to.deep.equal([]);
        expect(run.registrations.map((r) => `${r.type} ${r.name}`)).to.deep.equal([
            "gloo-keepalive:index:KeepaliveUpstream orders",
            "kubernetes:gloo.solo.io/v1:Upstream shop/orders",
        ]);
        expect(registeredObjects(run)).to.deep.equal([
            keepaliveUpstream(
                {
                    name: "orders",
                    namespace: "shop",
                    host: "orders.shop.svc.cluster.local",
                    port: 8080,
                    tcpKeepalive: { timeSeconds: 120, intervalSeconds: 20 },
                },
                "shop",
                "gateway-proxy",
            ),
        ]);
        expect(run.outputs).to.deep.equal({ effective: { timeSeconds: 120, intervalSeconds: 20, probes: 9 }, detection: 300 });
        expect(upstream.ref).to.deep.equal({ name: "orders", namespace: "shop" });
    });

    it("bad args throw before anything is registered, naming the arg path; a bad Output fails its apply the same way", async () => {
        const { run, error } = await thrown(
            () => new KeepaliveUpstream("orders", { name: "Orders", host: "orders", port: 70000, tcpKeepalive: { probes: 300 } }),
        );
        expect(error).to.be.instanceOf(ComponentArgsError);
        expect(error?.message).to.include('name: "Orders" does not match');
        expect(error?.message).to.include("port: 70000 exceeds the maximum 65535");
        expect(error?.message).to.include("tcpKeepalive.probes: 300 exceeds the kernel maximum 127");
        expect(run.registrations).to.deep.equal([]);

        const late = await runProgram(
            () =>
                void new KeepaliveUpstream("orders", {
                    name: "orders",
                    host: "orders",
                    port: 8080,
                    tcpKeepalive: { timeSeconds: pulumi.output(0) },
                }),
        );
        expect(late.registrations.map((r) => r.type)).to.deep.equal(["gloo-keepalive:index:KeepaliveUpstream"]);
        expect(late.errors.map((e) => e.message).join("\n")).to.include("tcpKeepalive.timeSeconds: 0 is below the kernel minimum 1");
    });
});
