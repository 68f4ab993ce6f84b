import { expect } from "chai";
import { renderValues } from "../components/render/render";
import { proxyHopsKeepalive } from "../policy/policies";
import { proxyHopsRule } from "../policy/policies/proxy-hops-keepalive";
import type { KubeObject } from "../policy/lib/objects";
import {
    HELM_CHART_URN,
    stackArgs,
    stackObjects,
    urnOf,
    validateStack,
    withBootstrap,
    type Bootstrap,
    type GatewayObject,
    type UpstreamObject,
} from "./policy-harness";

/** Two proxies and two Upstreams, as the library renders them: gateway-proxy without downstream keepalive, public-gw with it. */
function twoProxies(): KubeObject[] {
    return renderValues([
        {
            gatewayProxies: {
                gatewayProxy: {},
                publicGw: { readConfig: true, gatewaySettings: { tcpKeepalive: { timeSeconds: 60, intervalSeconds: 20, probes: 3 } } },
            },
            upstreams: [
                { name: "petstore", host: "petstore.default.svc", port: 8080, tcpKeepalive: { timeSeconds: 60 } },
                { name: "orders", namespace: "shop", host: "orders.shop.svc", port: 8080, tcpKeepalive: { timeSeconds: 60 } },
            ],
        },
    ]).objects as unknown as KubeObject[];
}

const named = (objects: KubeObject[], kind: string, name: string) =>
    objects.findIndex((o) => o.kind === kind && (o.metadata as { name: string }).name === name);

describe("policy proxy-hops-keepalive (stack)", () => {
    it("is a mandatory stack policy", () => {
        expect(proxyHopsKeepalive.enforcementLevel).to.equal("mandatory");
        expect(typeof proxyHopsKeepalive.validateStack).to.equal("function");
    });

    it("passes the dev and prod stacks as the library renders them", async () => {
        for (const stack of ["dev", "prod"] as const)
            expect(await validateStack(proxyHopsKeepalive, stackArgs(stackObjects(stack))), stack).to.deep.equal([]);
    });

    it("reports, per proxy, each hop without keepalive: its clusters, its Gateways, and every Upstream of the stack, each against the object's URN", async () => {
        const objects = twoProxies();
        // public-gw renders no typed downstream keepalive: its Gateways have no socket options
        const cm = named(objects, "ConfigMap", "public-gw-envoy-config");
        objects[cm] = withBootstrap(objects[cm], (b: Bootstrap) => void delete b.static_resources.clusters[2].upstream_connection_options);
        const orders = objects[named(objects, "Upstream", "orders")] as UpstreamObject;
        delete orders.spec.connectionConfig;
        const reports = await validateStack(proxyHopsKeepalive, stackArgs(objects));
        const downstreamFix =
            "Fix: add SO_KEEPALIVE=1 and TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT to spec.options.socketOptions (gatewaySettings.tcpKeepalive; policy gateway-socket-options-keepalive can remediate)";
        const upstreamFix =
            "Fix: set spec.connectionConfig.tcpKeepalive (upstreams[].tcpKeepalive; policy upstream-tcp-keepalive can remediate)";
        expect(reports.map((r) => r.message)).to.deep.equal([
            `Gateway/gloo-system/gateway-proxy spec.options.socketOptions: gateway proxy "gateway-proxy": downstream listener (Gateway) "gateway-proxy" has no keepalive. ${downstreamFix}`,
            `Gateway/gloo-system/gateway-proxy-ssl spec.options.socketOptions: gateway proxy "gateway-proxy": downstream listener (Gateway) "gateway-proxy-ssl" has no keepalive. ${downstreamFix}`,
            `Upstream/shop/orders spec.connectionConfig.tcpKeepalive: gateway proxy "gateway-proxy": upstream "orders" has no keepalive. ${upstreamFix}`,
            'ConfigMap/gloo-system/public-gw-envoy-config data["envoy.yaml"].static_resources.clusters[2].upstream_connection_options.tcp_keepalive: gateway proxy "public-gw": static cluster "wasm-cache" has no keepalive. Fix: add upstream_connection_options.tcp_keepalive to the cluster (policy envoy-bootstrap-keepalive can remediate)',
            `Upstream/shop/orders spec.connectionConfig.tcpKeepalive: gateway proxy "public-gw": upstream "orders" has no keepalive. ${upstreamFix}`,
        ]);
        expect(reports.map((r) => r.urn)).to.deep.equal([
            urnOf(objects[named(objects, "Gateway", "gateway-proxy")]),
            urnOf(objects[named(objects, "Gateway", "gateway-proxy-ssl")]),
            urnOf(orders),
            urnOf(objects[cm]),
            urnOf(orders),
        ]);
    });

    it("calls the xDS cluster by its role, and keys a ConfigMap without the gateway-proxy-id label by its name", async () => {
        const objects = stackObjects("dev");
        const cm = named(objects, "ConfigMap", "gateway-proxy-envoy-config");
        objects[cm] = withBootstrap(objects[cm], (b: Bootstrap) => void delete b.static_resources.clusters[0].upstream_connection_options);
        delete (objects[cm].metadata as { labels?: unknown }).labels;
        const [report, ...rest] = await validateStack(proxyHopsKeepalive, stackArgs(objects));
        expect(rest).to.deep.equal([]);
        expect(report.message).to.include(
            'gateway proxy "gateway-proxy": xDS cluster "gloo.gloo-system.svc.cluster.local:9977" has no keepalive',
        );
    });

    it("groups Gateways by spec.proxyNames (what Gloo binds by), and one without proxyNames under Gloo's default gateway-proxy whatever its labels", async () => {
        const objects = twoProxies();
        (objects[named(objects, "Gateway", "gateway-proxy")] as GatewayObject).spec.proxyNames = ["public-gw", "edge"];
        delete (objects[named(objects, "Gateway", "gateway-proxy-ssl")] as GatewayObject).spec.proxyNames;
        (objects[named(objects, "Gateway", "gateway-proxy-ssl")].metadata as { labels: Record<string, string> }).labels[
            "gateway-proxy-id"
        ] = "public-gw";
        const messages = (await validateStack(proxyHopsKeepalive, stackArgs(objects))).map((r) => r.message.replace(/\. Fix: .*/, ""));
        expect(messages).to.deep.equal([
            'Gateway/gloo-system/gateway-proxy spec.options.socketOptions: gateway proxy "edge": downstream listener (Gateway) "gateway-proxy" has no keepalive',
            'Gateway/gloo-system/gateway-proxy-ssl spec.options.socketOptions: gateway proxy "gateway-proxy": downstream listener (Gateway) "gateway-proxy-ssl" has no keepalive',
            'Gateway/gloo-system/gateway-proxy spec.options.socketOptions: gateway proxy "public-gw": downstream listener (Gateway) "gateway-proxy" has no keepalive',
        ]);
    });

    it("reports a proxy whose bootstrap cannot be read", async () => {
        const objects = stackObjects("dev");
        (objects[named(objects, "ConfigMap", "gateway-proxy-envoy-config")].data as Record<string, string>)["envoy.yaml"] = "{";
        const [report] = await validateStack(proxyHopsKeepalive, stackArgs(objects));
        expect(report.message).to.match(
            /^ConfigMap\/gloo-system\/gateway-proxy-envoy-config data\["envoy\.yaml"\]: gateway proxy "gateway-proxy": its bootstrap cannot be read/,
        );
    });

    it("treats a helm chart's children (parent kubernetes:helm.sh/v4:Chart) exactly like direct objects", async () => {
        const objects = twoProxies();
        const direct = await validateStack(proxyHopsKeepalive, stackArgs(objects));
        const args = stackArgs(objects.map((object) => ({ object, parent: HELM_CHART_URN })));
        expect(args.resources[0].type).to.equal("kubernetes:helm.sh/v4:Chart");
        expect(args.resources.slice(1).every((r) => r.parent?.urn === HELM_CHART_URN && r.opts.parent === HELM_CHART_URN)).to.equal(true);
        const viaChart = await validateStack(proxyHopsKeepalive, stackArgs(objects.map((object) => ({ object, parent: HELM_CHART_URN }))));
        expect(viaChart.map((r) => r.message))
            .to.deep.equal(direct.map((r) => r.message))
            .and.to.have.length(2);
        expect(viaChart.every((r) => r.urn?.includes("kubernetes:helm.sh/v4:Chart$"))).to.equal(true);
    });

    it("has nothing to say about a stack without gateway proxies", () => {
        expect(proxyHopsRule.check([], {})).to.deep.equal([]);
    });
});
