/**
 * The load balancer in front of a proxy and the middleboxes on its other hops: every type's
 * default and documented bounds, in the library and the chart alike, and each hop held to the
 * box it crosses and to no other.
 */
import { expect } from "chai";
import { LOAD_BALANCER_TYPE_NAMES, LOAD_BALANCER_TYPES, type LoadBalancer } from "../components/keepalive";
import { LB_IDLE_TIMEOUT_ANNOTATION, LB_TYPE_ANNOTATION } from "../components/render/middlebox";
import { renderValues } from "../components/render/render";
import { ValuesError } from "../components/values/values";
import { helmBinaries } from "../scripts/helm";
import { helmTemplate } from "./chart-harness";

const proxy = (entry: Record<string, unknown>) => ({ gatewayProxies: { gatewayProxy: entry } });
const withLb = (loadBalancer: LoadBalancer, more: Record<string, unknown> = {}) => proxy({ loadBalancer, ...more });

function issues(values: unknown): string[] {
    try {
        renderValues([values]);
    } catch (e) {
        if (e instanceof ValuesError) return e.issues.map((i) => `${i.path}: ${i.message}`);
        throw e;
    }
    return [];
}

const annotationsOf = (values: unknown) =>
    renderValues([values])
        .objects.filter((o) => o.kind === "ConfigMap" || o.kind === "Gateway")
        .map((o) => o.metadata.annotations ?? {});

describe("load balancer types: defaults and documented bounds", () => {
    const documented: Record<string, [number | undefined, number, number, 4 | 7]> = {
        "aws-nlb": [350, 60, 6000, 4],
        "aws-alb": [60, 1, 4000, 7],
        "aws-clb-tcp": [60, 1, 4000, 4],
        "aws-clb-http": [60, 1, 4000, 7],
        "gcp-passthrough": [600, 600, 57600, 4],
        "gcp-application": [600, 600, 600, 7],
        "azure-lb": [240, 240, 1800, 4],
        cloudflare: [900, 900, 900, 7],
        "custom-l4": [undefined, 1, 86400, 4],
        "custom-l7": [undefined, 1, 86400, 7],
    };

    it("knows every type of the issue, each with its layer, default and range", () => {
        expect(LOAD_BALANCER_TYPE_NAMES).to.deep.equal(Object.keys(documented));
        for (const type of LOAD_BALANCER_TYPE_NAMES) {
            const t = LOAD_BALANCER_TYPES[type];
            expect([t.defaultIdleTimeoutSeconds, t.minIdleTimeoutSeconds, t.maxIdleTimeoutSeconds, t.layer], type).to.deep.equal(
                documented[type],
            );
        }
    });

    for (const type of LOAD_BALANCER_TYPE_NAMES) {
        const [defaultIdle, min, max] = documented[type];
        it(`${type}: ${defaultIdle === undefined ? "needs its idle timeout" : `defaults to ${defaultIdle} s`}, accepts ${min}..${max} s and refuses outside`, () => {
            if (defaultIdle === undefined) {
                expect(issues(withLb({ type }))).to.deep.equal([
                    `gatewayProxies.gatewayProxy.loadBalancer: a ${type} load balancer has no documented idle timeout: set idleTimeoutSeconds`,
                ]);
            } else {
                for (const a of annotationsOf(withLb({ type }))) {
                    expect(a).to.deep.equal({ [LB_IDLE_TIMEOUT_ANNOTATION]: String(defaultIdle), [LB_TYPE_ANNOTATION]: type });
                }
            }
            for (const ok of [min, max]) expect(issues(withLb({ type, idleTimeoutSeconds: ok })), `${ok}`).to.deep.equal([]);
            for (const bad of [min - 1, max + 1].filter((x) => x >= 1 && x <= 86400)) {
                const [issue, ...rest] = issues(withLb({ type, idleTimeoutSeconds: bad }));
                expect(rest).to.deep.equal([]);
                expect(issue).to.match(
                    new RegExp(
                        `^gatewayProxies\\.gatewayProxy\\.loadBalancer\\.idleTimeoutSeconds: ${bad} is outside the idle timeout of a ${type} load balancer`,
                    ),
                );
            }
        });
    }

    it("keeps loadBalancerIdleTimeoutSeconds as the shorthand for custom-l4, and refuses both at once", () => {
        expect(annotationsOf(proxy({ loadBalancerIdleTimeoutSeconds: 350 }))[0]).to.deep.equal({
            [LB_IDLE_TIMEOUT_ANNOTATION]: "350",
            [LB_TYPE_ANNOTATION]: "custom-l4",
        });
        expect(issues(proxy({ loadBalancerIdleTimeoutSeconds: 350, loadBalancer: { type: "aws-nlb" } }))).to.deep.equal([
            "gatewayProxies.gatewayProxy.loadBalancerIdleTimeoutSeconds: is the shorthand for gatewayProxies.gatewayProxy.loadBalancer {type: custom-l4}; set one of them, not both",
        ]);
        expect(issues(withLb({ type: "aws-elb" as never }))[0]).to.include("gatewayProxies.gatewayProxy.loadBalancer.type");
    });

    for (const bin of helmBinaries()) {
        it(`the chart (Helm ${bin.version}) refuses the same values with the same message`, function () {
            this.timeout(60000);
            for (const values of [
                withLb({ type: "aws-nlb", idleTimeoutSeconds: 59 }),
                withLb({ type: "cloudflare", idleTimeoutSeconds: 600 }),
                withLb({ type: "custom-l7" }),
                proxy({ loadBalancerIdleTimeoutSeconds: 350, loadBalancer: { type: "aws-nlb" } }),
                { gloo: { gatewayProxies: { edgeGw: { loadBalancer: { type: "azure-lb", idleTimeoutSeconds: 100 } } } } },
            ]) {
                const chart = helmTemplate(bin, values, {});
                expect(chart.status, JSON.stringify(values)).to.equal(1);
                expect(chart.stderr).to.include(issues(values)[0]);
            }
        });
    }
});

describe("each hop against the box it crosses: an L7 balancer in front", () => {
    const warnings = (values: unknown) => renderValues([values]).warnings;

    it("the seed's ALB: an HTTP idle timeout of 30 s behind an ALB at 60 s is reported, naming both values and paths", () => {
        const w = warnings(
            withLb({ type: "aws-alb" }, { gatewaySettings: { httpIdleTimeoutSeconds: 30, tcpKeepalive: { timeSeconds: 400 } } }),
        );
        expect(w).to.deep.equal([
            "gatewayProxies.gatewayProxy downstream gateway-proxy: HTTP idle timeout 30s (gatewayProxies.gatewayProxy.gatewaySettings.httpIdleTimeoutSeconds) is not longer than the aws-alb load balancer's idle timeout 60s (gatewayProxies.gatewayProxy.loadBalancer.type): the proxy closes connections the balancer still reuses (502s)",
        ]);
        // Behind an L7 balancer the downstream keepalive time is not compared with it (TCP probes never refresh its timer).
        expect(warnings(withLb({ type: "aws-alb" }, { gatewaySettings: { httpIdleTimeoutSeconds: 61 } }))).to.deep.equal([]);
        expect(warnings(withLb({ type: "aws-alb", idleTimeoutSeconds: 4000 }))[0], "Envoy's default 3600 s").to.include(
            "HTTP idle timeout 3600s (Envoy's default",
        );
    });

    it("renders the HTTP idle timeout on both Gateways as Gloo's httpConnectionManagerSettings.idleTimeout", () => {
        const gateways = renderValues([proxy({ gatewaySettings: { httpIdleTimeoutSeconds: 75 } })]).objects.filter(
            (o) => o.kind === "Gateway",
        );
        expect(gateways).to.have.length(2);
        for (const g of gateways)
            expect((g.spec as { httpGateway: unknown }).httpGateway).to.deep.equal({
                options: { httpConnectionManagerSettings: { idleTimeout: "75s" } },
            });
    });
});

describe("each hop against the box it crosses: L4 boxes and TCP_USER_TIMEOUT", () => {
    const warnings = (values: unknown) => renderValues([values]).warnings;
    const upstream = { name: "orders", host: "orders.example", port: 80, tcpKeepalive: { timeSeconds: 400 } };

    it("NLB at 350 s with downstream keepalive 400 s is reported on the downstream hop only", () => {
        const w = warnings(
            withLb(
                { type: "aws-nlb" },
                { tcpKeepaliveTimeSeconds: 400, gatewaySettings: { tcpKeepalive: { timeSeconds: 400 } }, upstreams: undefined },
            ),
        );
        expect(w).to.deep.equal([
            "gatewayProxies.gatewayProxy downstream gateway-proxy: keepalive time 400s is not below the load balancer idle timeout 350s (gatewayProxies.gatewayProxy.loadBalancer.type)",
        ]);
    });

    it("an upstream keepalive of 400 s with egressIdleTimeoutSeconds 350 is reported on the upstream only", () => {
        const values = {
            ...proxy({
                egressIdleTimeoutSeconds: 350,
                loadBalancerIdleTimeoutSeconds: 600,
                gatewaySettings: { tcpKeepalive: { timeSeconds: 400 } },
            }),
            upstreams: [upstream],
        };
        expect(warnings(values)).to.deep.equal([
            "gatewayProxies.gatewayProxy upstream orders: keepalive time 400s is not below the egress middlebox idle timeout 350s (gatewayProxies.gatewayProxy.egressIdleTimeoutSeconds)",
        ]);
    });

    it("the control-plane box is checked against the xDS and Gloo's clusters, not the loopback admin cluster or static clusters", () => {
        const values = proxy({
            controlPlaneIdleTimeoutSeconds: 300,
            tcpKeepaliveTimeSeconds: 300,
            readConfig: true,
            envoyStaticClusters: [{ name: "otel", type: "STATIC", connect_timeout: "1s" }],
        });
        expect(warnings(values).map((w) => w.replace(/: keepalive time.*/, ""))).to.deep.equal([
            "gatewayProxies.gatewayProxy xds gloo.gloo-system.svc.cluster.local:9977",
            "gatewayProxies.gatewayProxy built-in-cluster rest_xds_cluster",
            "gatewayProxies.gatewayProxy built-in-cluster wasm-cache",
        ]);
        const hops = renderValues([values]).proxies[0].hops;
        expect(hops.find((h) => h.name === "admin_port_cluster")?.middlebox).to.equal(undefined);
        expect(hops.find((h) => h.name === "otel")?.middlebox).to.equal(undefined);
    });
});

describe("TCP_USER_TIMEOUT on the hops", () => {
    const proxy = (entry: Record<string, unknown>) => ({ gatewayProxies: { gatewayProxy: entry } });

    it("accounts for TCP_USER_TIMEOUT in the worst-case detection of each hop", () => {
        const values = proxy({
            tcpKeepaliveTimeSeconds: 60,
            tcpKeepaliveIntervalSeconds: 20,
            tcpKeepaliveProbes: 9,
            tcpUserTimeoutSeconds: 90,
        });
        const xds = renderValues([values]).proxies[0].hops[0];
        // The probe count no longer decides: the first probe timer at or after 90 s (60 + 2 × 20 = 100) drops it.
        expect([xds.detectionSeconds, xds.inFlightDetectionSeconds]).to.deep.equal([100, 90]);
        const without = renderValues([proxy({ tcpKeepaliveTimeSeconds: 60, tcpKeepaliveIntervalSeconds: 20, tcpKeepaliveProbes: 9 })])
            .proxies[0].hops[0];
        expect([without.detectionSeconds, without.inFlightDetectionSeconds]).to.deep.equal([240, 924.6]);
    });

    it("refuses TCP_USER_TIMEOUT twice or on Darwin, naming both places", () => {
        expect(
            issues(
                proxy({
                    gatewaySettings: {
                        tcpUserTimeoutSeconds: 5,
                        socketOptionsPlatform: "darwin",
                        options: { socketOptions: [{ level: 6, name: 18, intValue: 1000, state: "STATE_PREBIND" }] },
                    },
                    tcpUserTimeoutSeconds: 5,
                    envoyStaticClusters: [
                        {
                            name: "x",
                            type: "STATIC",
                            connect_timeout: "1s",
                            upstream_bind_config: { socket_options: [{ level: 6, name: 18, int_value: 1 }] },
                        },
                    ],
                }),
            ),
        ).to.deep.equal([
            "gatewayProxies.gatewayProxy.gatewaySettings.tcpUserTimeoutSeconds: TCP_USER_TIMEOUT is a Linux socket option; Darwin has none (socketOptionsPlatform: darwin)",
            "gatewayProxies.gatewayProxy.gatewaySettings.options.socketOptions[0]: sets TCP_USER_TIMEOUT, which gatewayProxies.gatewayProxy.gatewaySettings.tcpUserTimeoutSeconds already renders; keep one of them",
            "gatewayProxies.gatewayProxy.envoyStaticClusters[0].upstream_bind_config.socket_options[0]: sets TCP_USER_TIMEOUT, which gatewayProxies.gatewayProxy.tcpUserTimeoutSeconds already renders on every cluster; keep one of them",
        ]);
    });
});
