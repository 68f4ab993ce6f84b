/**
 * The policy pack on rendered objects: each hop against the box it crosses (the annotations the
 * renderer puts on the proxy's objects), the HTTP idle order behind an L7 balancer, and
 * TCP_USER_TIMEOUT in the detection time. Mandatory violations, and none against a hop that does
 * not cross the box.
 */
import { expect } from "chai";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { renderValues } from "../components/render/render";
import type { KubeObject } from "../policy/lib/objects";
import { httpIdleTimeoutAboveLoadBalancer, httpIdleTimeoutRule } from "../policy/policies/http-idle-timeout-above-load-balancer";
import { keepaliveBelowIdleTimeout } from "../policy/policies/keepalive-below-idle-timeout";
import { keepaliveDetectionTime } from "../policy/policies/keepalive-detection-time";
import { gateway, resourceArgs, validate } from "./policy-harness";

const objectsOf = (values: unknown) => renderValues([values]).objects as unknown as KubeObject[];
const proxy = (entry: Record<string, unknown>, upstreams?: unknown[]) => ({
    gatewayProxies: { gatewayProxy: entry },
    ...(upstreams ? { upstreams } : {}),
});

/** Every message of a policy over every object, prefixed with the object's kind and name. */
async function violations(
    policy: ResourceValidationPolicy,
    objects: readonly KubeObject[],
    config?: Record<string, unknown>,
): Promise<string[]> {
    const out: string[] = [];
    for (const o of objects) {
        const name = (o.metadata as { name: string }).name;
        for (const m of await validate(policy, resourceArgs(o, { config }))) out.push(`${o.kind}/${name} ${m}`);
    }
    return out;
}

describe("policy http-idle-timeout-above-load-balancer", () => {
    it("is mandatory, configurable, and applies to Gateways", () => {
        expect(httpIdleTimeoutAboveLoadBalancer.enforcementLevel).to.equal("mandatory");
        expect(httpIdleTimeoutRule.types).to.deep.equal(["kubernetes:gateway.solo.io/v1:Gateway"]);
        expect(Object.keys(httpIdleTimeoutAboveLoadBalancer.configSchema!.properties)).to.deep.equal([
            "loadBalancerIdleTimeoutSeconds",
            "marginSeconds",
        ]);
    });

    it("the seed's ALB: a Gateway HTTP idle timeout of 30 s behind an ALB at 60 s is a violation on both Gateways, naming both values", async () => {
        const objects = objectsOf(proxy({ loadBalancer: { type: "aws-alb" }, gatewaySettings: { httpIdleTimeoutSeconds: 30 } }));
        expect(await violations(httpIdleTimeoutAboveLoadBalancer, objects)).to.deep.equal(
            ["gateway-proxy", "gateway-proxy-ssl"].map(
                (g) =>
                    `Gateway/${g} spec.httpGateway.options.httpConnectionManagerSettings.idleTimeout: Gateway "${g}": HTTP idle timeout 30s is not at least 1s longer than the aws-alb load balancer's idle timeout 60s (annotation gloo-keepalive.io/load-balancer-idle-timeout-seconds): the proxy closes connections the balancer still reuses, and clients see 502s. ` +
                    'Fix: set idleTimeout: "61s" or longer (gloo-keepalive values: gatewayProxies.<proxy>.gatewaySettings.httpIdleTimeoutSeconds)',
            ),
        );
        expect(
            await violations(
                httpIdleTimeoutAboveLoadBalancer,
                objectsOf(proxy({ loadBalancer: { type: "aws-alb" }, gatewaySettings: { httpIdleTimeoutSeconds: 61 } })),
            ),
        ).to.deep.equal([]);
        // TCP keepalive is not held against an L7 balancer: its timer never sees the probes.
        const slow = objectsOf(
            proxy({
                loadBalancer: { type: "aws-alb" },
                gatewaySettings: { tcpKeepalive: { timeSeconds: 400 }, httpIdleTimeoutSeconds: 61 },
            }),
        );
        expect(await violations(keepaliveBelowIdleTimeout, slow)).to.deep.equal([]);
    });

    it("takes Envoy's 3600 s where the Gateway sets none, and refuses a Duration it cannot read", async () => {
        const objects = objectsOf(proxy({ loadBalancer: { type: "custom-l7", idleTimeoutSeconds: 3600 } }));
        const [first] = await violations(httpIdleTimeoutAboveLoadBalancer, objects);
        expect(first)
            .to.include("Gateway/gateway-proxy spec.httpGateway: ")
            .and.include("HTTP idle timeout 3600s (unset: Envoy's default)");
        const broken = gateway(
            (g) =>
                void ((g.spec as Record<string, unknown>).httpGateway = {
                    options: { httpConnectionManagerSettings: { idleTimeout: "1m" } },
                }),
        );
        expect(
            await validate(httpIdleTimeoutAboveLoadBalancer, resourceArgs(broken, { config: { loadBalancerIdleTimeoutSeconds: 60 } })),
        ).to.have.length(1);
    });

    it("leaves Gateways behind an L4 balancer, or without one, alone unless the config says an L7 one is in front", async () => {
        const l4 = objectsOf(proxy({ loadBalancer: { type: "aws-nlb" }, gatewaySettings: { httpIdleTimeoutSeconds: 30 } }));
        expect(await violations(httpIdleTimeoutAboveLoadBalancer, l4)).to.deep.equal([]);
        const none = objectsOf(proxy({ gatewaySettings: { httpIdleTimeoutSeconds: 30 } }));
        expect(await violations(httpIdleTimeoutAboveLoadBalancer, none)).to.deep.equal([]);
        expect(await violations(httpIdleTimeoutAboveLoadBalancer, none, { loadBalancerIdleTimeoutSeconds: 60 })).to.have.length(2);
    });
});

describe("policy keepalive-below-idle-timeout: each hop against its own box", () => {
    it("NLB at 350 s with downstream keepalive 400 s is a violation on the Gateways only", async () => {
        const objects = objectsOf(
            proxy({
                loadBalancer: { type: "aws-nlb" },
                tcpKeepaliveTimeSeconds: 400,
                gatewaySettings: { tcpKeepalive: { timeSeconds: 400 } },
            }),
        );
        expect(keepaliveBelowIdleTimeout.enforcementLevel).to.equal("mandatory");
        const found = await violations(keepaliveBelowIdleTimeout, objects);
        expect(found.map((m) => m.split(" ")[0])).to.deep.equal(["Gateway/gateway-proxy", "Gateway/gateway-proxy-ssl"]);
        expect(found[0]).to.include("keepalive time 400s is not at least 30s below the load balancer idle timeout 350s");
    });

    it("an upstream keepalive of 400 s with egressIdleTimeoutSeconds 350 is a violation on the Upstream only", async () => {
        const objects = objectsOf(
            proxy(
                {
                    egressIdleTimeoutSeconds: 350,
                    loadBalancerIdleTimeoutSeconds: 600,
                    tcpKeepaliveTimeSeconds: 400,
                    gatewaySettings: { tcpKeepalive: { timeSeconds: 400 } },
                },
                [{ name: "orders", host: "orders.example", port: 80, tcpKeepalive: { timeSeconds: 400 } }],
            ),
        );
        const found = await violations(keepaliveBelowIdleTimeout, objects);
        // The xDS and Gloo's clusters (keepalive 400 s too) cross no egress box; the Gateways sit behind a 600 s balancer.
        expect(found).to.deep.equal([
            'Upstream/orders spec.connectionConfig.tcpKeepalive.keepaliveTime: upstream "orders": keepalive time 400s is not at least 30s below the egress middlebox idle timeout 350s, so an idle connection can be dropped before its first probe. ' +
                'Fix: set keepaliveTime: "320s" or lower (gloo-keepalive values: upstreams[].tcpKeepalive.timeSeconds)',
        ]);
    });

    it("static clusters cross the egress box, Gloo's clusters the control-plane box", async () => {
        const cluster = { name: "otel", type: "STATIC", connect_timeout: "1s" };
        const objects = objectsOf(proxy({ egressIdleTimeoutSeconds: 350, tcpKeepaliveTimeSeconds: 400, envoyStaticClusters: [cluster] }));
        const found = await violations(keepaliveBelowIdleTimeout, objects);
        expect(found).to.have.length(1);
        expect(found[0]).to.include('static cluster "otel"').and.include("egress middlebox idle timeout 350s");
        const cp = objectsOf(proxy({ controlPlaneIdleTimeoutSeconds: 350, tcpKeepaliveTimeSeconds: 400, envoyStaticClusters: [cluster] }));
        expect((await violations(keepaliveBelowIdleTimeout, cp)).map((m) => /(xDS|static) cluster "[^"]+"/.exec(m)?.[0])).to.deep.equal([
            'xDS cluster "gloo.gloo-system.svc.cluster.local:9977"',
            'static cluster "rest_xds_cluster"',
            'static cluster "wasm-cache"',
        ]);
    });
});

describe("policy keepalive-detection-time with TCP_USER_TIMEOUT", () => {
    it("reads TCP_USER_TIMEOUT from the Gateway and the clusters: the first probe at or after it decides, not the probe count", async () => {
        const values = proxy({
            tcpKeepaliveTimeSeconds: 600,
            tcpKeepaliveIntervalSeconds: 100,
            tcpKeepaliveProbes: 9,
            gatewaySettings: { tcpKeepalive: { timeSeconds: 600, intervalSeconds: 100, probes: 9 } },
        });
        // 600 + 100 × 9 = 1500 s without; with TCP_USER_TIMEOUT 650 s: 600 + 1 × 100 = 700 s.
        expect(await violations(keepaliveDetectionTime, objectsOf(values))).to.have.length(4 + 2); // four clusters (admin_port_cluster too: its keepalive is slow as well), two Gateways
        const withUserTimeout = structuredClone(values) as {
            gatewayProxies: { gatewayProxy: Record<string, unknown> & { gatewaySettings: Record<string, unknown> } };
        };
        withUserTimeout.gatewayProxies.gatewayProxy.tcpUserTimeoutSeconds = 650;
        withUserTimeout.gatewayProxies.gatewayProxy.gatewaySettings.tcpUserTimeoutSeconds = 650;
        expect(await violations(keepaliveDetectionTime, objectsOf(withUserTimeout))).to.deep.equal([]);
        expect((await violations(keepaliveDetectionTime, objectsOf(withUserTimeout), { maxDetectionSeconds: 699 }))[0]).to.include(
            "up to 700s (TCP_USER_TIMEOUT 650s, at the first probe after it",
        );
    });
});
