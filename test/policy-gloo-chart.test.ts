/**
 * The policy pack over solo-io's chart's own objects: the Gateways written as YAML inside the
 * `gloo-custom-resource-config` ConfigMap are judged as Gateways (resource and stack policies, and
 * the offline check), reported against the ConfigMap; a loopback cluster without keepalive is not
 * a hop to probe, while every other cluster still is.
 */
import { expect } from "chai";
import * as yaml from "js-yaml";
import { toSocketOptions } from "../components/keepalive";
import { checkObjects, resolvePackSettings } from "../policy/check";
import { embeddedObjects, isLoopbackCluster } from "../policy/lib/gloo-chart";
import type { KubeObject } from "../policy/lib/objects";
import { envoyBootstrapKeepalive, gatewaySocketOptionsKeepalive, proxyHopsKeepalive } from "../policy/policies";
import { bootstrapConfigMap, resourceArgs, stackArgs, urnOf, validate, validateStack, type Bootstrap } from "./policy-harness";

const gatewayDoc = (name: string, socketOptions?: unknown[]) => ({
    apiVersion: "gateway.solo.io/v1",
    kind: "Gateway",
    metadata: { name, namespace: "gloo-system" },
    spec: {
        bindAddress: "::",
        bindPort: 8080,
        httpGateway: {},
        proxyNames: ["gateway-proxy"],
        ...(socketOptions ? { options: { socketOptions } } : {}),
    },
});

function customResources(docs: unknown[] | string, name = "gloo-custom-resource-config"): KubeObject {
    const text = typeof docs === "string" ? docs : docs.map((d) => `---\n${yaml.dump(d)}`).join("");
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: "gloo-system", labels: { app: "gloo" } },
        data: { "custom-resources": text, "has-custom-resources": "true" },
    };
}

const IN_CM = '(in ConfigMap/gloo-system/gloo-custom-resource-config data["custom-resources"])';
const KEEPALIVE = toSocketOptions({ timeSeconds: 60, intervalSeconds: 20, probes: 3 });

describe("policies over the gloo chart's custom-resources ConfigMap", () => {
    const cm = customResources([gatewayDoc("gateway-proxy", KEEPALIVE), gatewayDoc("gateway-proxy-ssl")]);

    it("reads the objects in the text, and nothing from other ConfigMaps or text that does not parse", () => {
        expect(embeddedObjects(cm).map((o) => (o.metadata as { name: string }).name)).to.deep.equal(["gateway-proxy", "gateway-proxy-ssl"]);
        expect(embeddedObjects(customResources([gatewayDoc("x")], "other-config"))).to.deep.equal([]);
        expect(embeddedObjects(customResources("key: [unclosed"))).to.deep.equal([]);
    });

    it("reads a ConfigMap's alias bomb or duplicate keys as nothing, at once", () => {
        const levels = Array.from({ length: 9 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(", ")}]`);
        const bomb = `apiVersion: gateway.solo.io/v1\nkind: Gateway\nl0: &l0 [lol]\n${levels.join("\n")}\n`;
        const started = Date.now();
        expect(embeddedObjects(customResources(bomb))).to.deep.equal([]);
        expect(Date.now() - started).to.be.below(2000);
        expect(embeddedObjects(customResources("apiVersion: v1\nkind: Gateway\nkind: Upstream\n"))).to.deep.equal([]);
    });

    it("the Gateway policy judges each embedded Gateway and names it inside the ConfigMap", async () => {
        const messages = await validate(gatewaySocketOptionsKeepalive, resourceArgs(cm));
        expect(messages).to.have.length(1);
        expect(messages[0]).to.match(
            new RegExp(
                `^Gateway/gloo-system/gateway-proxy-ssl \\(in ConfigMap/gloo-system/gloo-custom-resource-config data\\["custom-resources"\\]\\) spec\\.options\\.socketOptions: missing SO_KEEPALIVE`,
            ),
        );
        const good = customResources([gatewayDoc("gateway-proxy", KEEPALIVE)]);
        expect(await validate(gatewaySocketOptionsKeepalive, resourceArgs(good))).to.deep.equal([]);
    });

    it("the stack policy sees the embedded Gateways as hops of their proxy, reported against the ConfigMap's URN", async () => {
        const reports = await validateStack(proxyHopsKeepalive, stackArgs([cm]));
        expect(reports).to.deep.equal([
            {
                message: `Gateway/gloo-system/gateway-proxy-ssl ${IN_CM} spec.options.socketOptions: gateway proxy "gateway-proxy": downstream listener (Gateway) "gateway-proxy-ssl" has no keepalive. Fix: add SO_KEEPALIVE=1 and TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT to spec.options.socketOptions (gatewaySettings.tcpKeepalive; policy gateway-socket-options-keepalive can remediate)`,
                urn: urnOf(cm),
            },
        ]);
    });

    it("the offline check reports the same, and never remediates text inside a ConfigMap", () => {
        const result = checkObjects([cm]);
        expect(result.findings.map((f) => `${f.policy} ${f.object}`)).to.deep.equal([
            `gateway-socket-options-keepalive Gateway/gloo-system/gateway-proxy-ssl ${IN_CM}`,
            `proxy-hops-keepalive Gateway/gloo-system/gateway-proxy-ssl ${IN_CM}`,
        ]);
        const remediating = checkObjects([cm], resolvePackSettings({ "gateway-socket-options-keepalive": "remediate" }));
        expect(remediating.remediations).to.deep.equal([]);
        expect(remediating.findings.filter((f) => f.level === "mandatory").length).to.equal(2);
    });
});

describe("loopback clusters", () => {
    const at = (address: string) => ({
        load_assignment: { endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: 1 } } } }] }] },
    });

    it("are clusters whose every endpoint is 127.0.0.0/8, ::1 or localhost", () => {
        for (const a of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) expect(isLoopbackCluster(at(a)), a).to.equal(true);
        for (const a of ["10.0.0.1", "gloo.gloo-system.svc", "::", "0.0.0.0"]) expect(isLoopbackCluster(at(a)), a).to.equal(false);
        expect(isLoopbackCluster({ name: "no endpoints" })).to.equal(false);
    });

    it("without keepalive are not reported; with a bad keepalive they are; any other cluster without keepalive is", async () => {
        const drop = (i: number) => (b: Bootstrap) => void delete b.static_resources.clusters[i].upstream_connection_options;
        const admin = 3; // admin_port_cluster on the loopback address
        expect(await validate(envoyBootstrapKeepalive, resourceArgs(bootstrapConfigMap(drop(admin))))).to.deep.equal([]);
        expect(await validateStack(proxyHopsKeepalive, stackArgs([bootstrapConfigMap(drop(admin))]))).to.deep.equal([]);
        const bad = bootstrapConfigMap((b) => {
            (
                b.static_resources.clusters[admin].upstream_connection_options as { tcp_keepalive: Record<string, unknown> }
            ).tcp_keepalive.keepalive_probes = 300;
        });
        expect((await validate(envoyBootstrapKeepalive, resourceArgs(bad)))[0]).to.include(
            "clusters[3].upstream_connection_options.tcp_keepalive.keepalive_probes: 300 exceeds",
        );
        const moved = bootstrapConfigMap((b) => {
            drop(admin)(b);
            Object.assign(b.static_resources.clusters[admin], at("10.0.0.1"));
        });
        expect((await validate(envoyBootstrapKeepalive, resourceArgs(moved)))[0]).to.include(
            'static cluster "admin_port_cluster" has no tcp_keepalive',
        );
    });
});
