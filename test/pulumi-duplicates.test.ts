/**
 * One Kubernetes object, one component: two components of a program that would deploy the same
 * object (apiVersion, kind, namespace, name) are refused before the second registers anything.
 * The mock engine itself accepts duplicates, so this is what stands in for the real engine.
 */
import { expect } from "chai";
import { GatewayProxies } from "../components/pulumi/gateway-proxies";
import { GatewayProxy } from "../components/pulumi/gateway-proxy";
import { KeepaliveUpstream } from "../components/pulumi/keepalive-upstream";
import { runProgram } from "./pulumi-harness";

const UPSTREAM = { name: "petstore", host: "petstore.default.svc", port: 8080, tcpKeepalive: { timeSeconds: 60 } };

describe("duplicate Kubernetes objects across components", () => {
    it("the same proxy from two GatewayProxy components: the second throws, naming both, and registers nothing", async () => {
        const run = await runProgram(() => {
            new GatewayProxy("first", { name: "gatewayProxy" });
            new GatewayProxy("second", { name: "gatewayProxy" });
        });
        expect(run.errors).to.have.length(1);
        const message = run.errors[0].message;
        expect(message).to.contain('gloo-keepalive:index:GatewayProxy "second" would deploy');
        expect(message).to.contain(
            'v1 ConfigMap gloo-system/gateway-proxy-envoy-config: already deployed by gloo-keepalive:index:GatewayProxy "first"',
        );
        expect(run.registrations.filter((r) => r.name === "second")).to.deep.equal([]);
    });

    it("an Upstream in GatewayProxy.upstreams and as a KeepaliveUpstream: refused, naming both", async () => {
        const run = await runProgram(() => {
            new GatewayProxy("edge", { name: "gatewayProxy", upstreams: [UPSTREAM] });
            new KeepaliveUpstream("petstore", UPSTREAM);
        });
        expect(run.errors.map((e) => e.message)).to.have.length(1);
        expect(run.errors[0].message).to.contain(
            'gloo.solo.io/v1 Upstream gloo-system/petstore: already deployed by gloo-keepalive:index:GatewayProxy "edge"',
        );
        expect(run.registrations.filter((r) => r.type === "gloo-keepalive:index:KeepaliveUpstream")).to.deep.equal([]);
    });

    it("a proxy of a GatewayProxies also deployed on its own: refused before the GatewayProxies registers", async () => {
        const run = await runProgram(() => {
            new GatewayProxy("alone", { name: "edge" });
            new GatewayProxies("all", { gatewayProxies: { gatewayProxy: { disabled: true }, edge: { disabled: false } } });
        });
        expect(run.errors).to.have.length(1);
        expect(run.errors[0].message).to.contain('already deployed by gloo-keepalive:index:GatewayProxy "alone"');
        expect(run.registrations.filter((r) => r.type === "gloo-keepalive:index:GatewayProxies")).to.deep.equal([]);
    });

    it("different namespaces, or separate programs, are no clash", async () => {
        const first = await runProgram(() => {
            new GatewayProxy("a", { name: "gatewayProxy", namespace: "one" });
            new GatewayProxy("b", { name: "gatewayProxy", namespace: "two" });
        });
        const second = await runProgram(() => void new GatewayProxy("a", { name: "gatewayProxy", namespace: "one" }));
        expect([...first.errors, ...second.errors].map((e) => e.message)).to.deep.equal([]);
        expect(first.registrations.filter((r) => r.type === "kubernetes:core/v1:ConfigMap")).to.have.length(2);
    });
});
