import { expect } from "chai";
import { keepaliveBelowIdleTimeout, keepaliveDetectionTime } from "../policy/policies";
import { idleTimeoutRule } from "../policy/policies/keepalive-below-idle-timeout";
import { detectionRule, keepaliveWithin } from "../policy/policies/keepalive-detection-time";
import { detectionSeconds } from "../components/keepalive";
import {
    bootstrapConfigMap,
    gateway,
    HELM_CHART_URN,
    resourceArgs,
    stackObjects,
    upstream,
    validate,
    type Bootstrap,
    type GatewayObject,
} from "./policy-harness";

const idle = (object: Record<string, unknown>, config?: Record<string, unknown>, parent?: string) =>
    validate(keepaliveBelowIdleTimeout, resourceArgs(object, { config, parent }));
const detection = (object: Record<string, unknown>, config?: Record<string, unknown>) =>
    validate(keepaliveDetectionTime, resourceArgs(object, { config }));
const keepidle = (value: number) => gateway((g: GatewayObject) => void (g.spec.options!.socketOptions![1].intValue = value));
const clusterKeepalive = (index: number, tcp: Record<string, unknown> | undefined) =>
    bootstrapConfigMap((b: Bootstrap) => {
        (b.static_resources.clusters[index].upstream_connection_options as Record<string, unknown>).tcp_keepalive = tcp;
    });
const upstreamKeepalive = (tcp: Record<string, unknown>) => upstream((u) => void (u.spec.connectionConfig!.tcpKeepalive = tcp));
const KINDS = ["kubernetes:core/v1:ConfigMap", "kubernetes:gateway.solo.io/v1:Gateway", "kubernetes:gloo.solo.io/v1:Upstream"];

describe("policy keepalive-below-idle-timeout", () => {
    it("is mandatory by default, applies to every kind that carries keepalive, and defaults to an AWS NLB's 350 s with a 30 s margin", () => {
        expect(keepaliveBelowIdleTimeout.enforcementLevel).to.equal("mandatory");
        expect(idleTimeoutRule.types).to.deep.equal(KINDS);
        const props = keepaliveBelowIdleTimeout.configSchema!.properties;
        expect([props.loadBalancerIdleTimeoutSeconds.default, props.marginSeconds.default]).to.deep.equal([350, 30]);
    });

    it("passes every object of dev and prod (prod's downstream 300 s behind its 350 s NLB)", async () => {
        for (const stack of ["dev", "prod"] as const) {
            for (const object of stackObjects(stack)) expect(await idle(object), `${stack} ${object.kind}`).to.deep.equal([]);
        }
    });

    it("reports a Gateway TCP_KEEPIDLE above idle timeout - margin, at its intValue; the limit itself passes", async () => {
        expect(await idle(keepidle(320))).to.deep.equal([]);
        expect(await idle(keepidle(321))).to.deep.equal([
            'spec.options.socketOptions[1].intValue: downstream listener (Gateway) "gateway-proxy": keepalive time 321s is not at least 30s below the load balancer idle timeout 350s, so an idle connection can be dropped before its first probe. ' +
                "Fix: set TCP_KEEPIDLE (level 6 name 4) intValue: 320 or lower (gloo-keepalive values: gatewayProxies.<proxy>.gatewaySettings.tcpKeepalive.timeSeconds)",
        ]);
    });

    it("takes loadBalancerIdleTimeoutSeconds and marginSeconds from the policy config", async () => {
        const annotated = stackObjects("prod").find((o) => o.kind === "Gateway")!;
        // The proxy's own balancer (its annotation) wins over the config; without it the config decides.
        expect(await idle(annotated, { loadBalancerIdleTimeoutSeconds: 240 })).to.deep.equal([]);
        const prodGateway = { ...annotated, metadata: { ...(annotated.metadata as object), annotations: {} } };
        expect(await idle(prodGateway)).to.deep.equal([]);
        expect((await idle(prodGateway, { loadBalancerIdleTimeoutSeconds: 240 }))[0])
            .to.include("keepalive time 300s is not at least 30s below the load balancer idle timeout 240s")
            .and.include("intValue: 210 or lower");
        expect((await idle(prodGateway, { marginSeconds: 60 }))[0])
            .to.include("is not at least 60s below the load balancer idle timeout 350s")
            .and.include("intValue: 290 or lower");
        expect(await idle(prodGateway, { loadBalancerIdleTimeoutSeconds: 600, enforcementLevel: "mandatory" })).to.deep.equal([]);
        expect((await idle(keepidle(60), { loadBalancerIdleTimeoutSeconds: 60 }))[0]).to.include("intValue: 30 or lower");
        expect((await idle(keepidle(60), { loadBalancerIdleTimeoutSeconds: 30 }))[0]).to.include(
            "marginSeconds 30 leaves no room below 30s",
        );
    });
});

describe("policy keepalive-below-idle-timeout: clusters and Upstreams, each against its own box", () => {
    it("uses the OS default 7200 s for a cluster whose tcp_keepalive has no keepalive_time, reported at the tcp_keepalive", async () => {
        // Gloo's clusters cross the control-plane box, never the load balancer in front.
        const cp = { controlPlaneIdleTimeoutSeconds: 350 };
        expect(await idle(clusterKeepalive(1, { keepalive_interval: 20, keepalive_probes: 3 }))).to.deep.equal([]);
        const messages = await idle(clusterKeepalive(1, { keepalive_interval: 20, keepalive_probes: 3 }), cp);
        expect(messages).to.deep.equal([
            'data["envoy.yaml"].static_resources.clusters[1].upstream_connection_options.tcp_keepalive: static cluster "rest_xds_cluster": keepalive time 7200s (unset: the OS default) is not at least 30s below the control-plane middlebox idle timeout 350s, so an idle connection can be dropped before its first probe. ' +
                "Fix: set keepalive_time: 320 or lower (gloo-keepalive values: gatewayProxies.<proxy>.tcpKeepaliveTimeSeconds)",
        ]);
        expect((await idle(clusterKeepalive(0, { keepalive_time: 400 }), cp))[0]).to.match(
            /^data\["envoy\.yaml"\]\.static_resources\.clusters\[0\]\.upstream_connection_options\.tcp_keepalive\.keepalive_time: xDS cluster "gloo\.gloo-system\.svc\.cluster\.local:9977": keepalive time 400s/,
        );
    });

    it("reports an Upstream's keepaliveTime, and the OS default where it is unset", async () => {
        // An Upstream crosses the egress box, never the load balancer in front.
        const egress = { egressIdleTimeoutSeconds: 350 };
        expect(await idle(upstreamKeepalive({ keepaliveTime: "400s" }))).to.deep.equal([]);
        expect(await idle(upstreamKeepalive({ keepaliveTime: "320s" }), egress)).to.deep.equal([]);
        expect((await idle(upstreamKeepalive({ keepaliveTime: "400s" }), egress))[0])
            .to.match(/^spec\.connectionConfig\.tcpKeepalive\.keepaliveTime: upstream "petstore": keepalive time 400s is not/)
            .and.include("egress middlebox idle timeout 350s")
            .and.include('Fix: set keepaliveTime: "320s" or lower');
        expect((await idle(upstreamKeepalive({}), egress))[0]).to.match(
            /^spec\.connectionConfig\.tcpKeepalive: upstream "petstore": keepalive time 7200s \(unset: the OS default\)/,
        );
    });

    it("leaves hops without keepalive, or with malformed values, to their own policy", async () => {
        expect(await idle(clusterKeepalive(1, undefined))).to.deep.equal([]);
        expect(await idle(clusterKeepalive(1, { keepalive_time: 0 }))).to.deep.equal([]);
        expect(await idle(gateway((g) => void delete g.spec.options))).to.deep.equal([]);
        expect(await idle(upstream((u) => void delete u.spec.connectionConfig))).to.deep.equal([]);
        expect(await idle(upstreamKeepalive({ keepaliveTime: 400 }))).to.deep.equal([]);
    });

    it("checks a helm chart's child exactly like a direct object", async () => {
        expect(await idle(keepidle(400), undefined, HELM_CHART_URN))
            .to.deep.equal(await idle(keepidle(400)))
            .and.to.have.length(1);
    });
});

describe("policy keepalive-detection-time", () => {
    it("is advisory by default (how long is too long is a judgement) with maxDetectionSeconds 900", () => {
        expect(keepaliveDetectionTime.enforcementLevel).to.equal("advisory");
        expect(detectionRule.types).to.deep.equal(KINDS);
        expect(keepaliveDetectionTime.configSchema!.properties.maxDetectionSeconds.default).to.equal(900);
    });

    it("passes every object of dev and prod", async () => {
        for (const stack of ["dev", "prod"] as const) {
            for (const object of stackObjects(stack)) expect(await detection(object), `${stack} ${object.kind}`).to.deep.equal([]);
        }
    });

    it("uses the OS defaults 7200/75/9 for unset fields: an empty tcpKeepalive takes 7875 s", async () => {
        expect(await detection(upstreamKeepalive({}))).to.deep.equal([
            'spec.connectionConfig.tcpKeepalive: upstream "petstore": a dead peer goes undetected for up to 7875s (time 7200 (OS default) + interval 75 (OS default) × probes 9 (OS default)), more than 900s. ' +
                'Fix: keep time + interval × probes within 900s, setting the unset fields explicitly, e.g. keepaliveTime: "60s", keepaliveInterval: "20s", keepaliveProbes: 3 = 120s (gloo-keepalive values: upstreams[].tcpKeepalive)',
        ]);
        // 60 + 75 × 9 = 735: within 900 with only the time set
        expect(await detection(upstreamKeepalive({ keepaliveTime: "60s" }))).to.deep.equal([]);
        expect((await detection(upstreamKeepalive({ keepaliveTime: "300s" })))[0]).to.include(
            "up to 975s (time 300 + interval 75 (OS default) × probes 9 (OS default))",
        );
    });

    it("covers clusters and Gateways too, at the keepalive as a whole", async () => {
        expect((await detection(clusterKeepalive(2, { keepalive_time: 60, keepalive_interval: 100, keepalive_probes: 9 })))[0]).to.match(
            /^data\["envoy\.yaml"\]\.static_resources\.clusters\[2\]\.upstream_connection_options\.tcp_keepalive: static cluster "wasm-cache": a dead peer goes undetected for up to 960s/,
        );
        expect((await detection(gateway((g) => void (g.spec.options!.socketOptions![3].intValue = 50))))[0])
            .to.match(
                /^spec\.options\.socketOptions: downstream listener \(Gateway\) "gateway-proxy": a dead peer goes undetected for up to 1060s \(time 60 \+ interval 20 × probes 50\)/,
            )
            .and.include(
                "e.g. TCP_KEEPIDLE (level 6 name 4) intValue: 60, TCP_KEEPINTVL (level 6 name 5) intValue: 20, TCP_KEEPCNT (level 6 name 6) intValue: 3 = 120s",
            );
    });

    it("takes maxDetectionSeconds from the policy config, and its example fix always fits within it", async () => {
        const configMap = stackObjects("dev").find((o) => o.kind === "ConfigMap")!; // 60 + 20 × 3 = 120 on every cluster
        expect(await detection(configMap, { maxDetectionSeconds: 120 })).to.deep.equal([]);
        const messages = await detection(configMap, { maxDetectionSeconds: 100 });
        expect(messages).to.have.length(4);
        expect(messages[0])
            .to.include("up to 120s (time 60 + interval 20 × probes 3), more than 100s")
            .and.include("e.g. keepalive_time: 50, keepalive_interval: 16, keepalive_probes: 3 = 98s");
        for (let max = 2; max <= 1000; max++) expect(detectionSeconds(keepaliveWithin(max)!), `max ${max}`).to.be.at.most(max);
        expect((await detection(configMap, { maxDetectionSeconds: 1 }))[0]).to.include("no keepalive detects within 1s");
    });

    it("leaves hops without keepalive, or with malformed values, to their own policy", async () => {
        expect(await detection(upstream((u) => void delete u.spec.connectionConfig))).to.deep.equal([]);
        expect(await detection(upstreamKeepalive({ keepaliveTime: "1.5s" }))).to.deep.equal([]);
        expect(await detection(gateway((g) => void (g.spec.options!.socketOptions![0].intValue = 0)))).to.deep.equal([]);
    });
});
