/**
 * The built package as another stack uses it: the build (test/build-harness.ts, when dist/ is not
 * fresh), then test/consumer/index.js, which imports "gloo-keepalive" by name, runs under Pulumi's
 * mock engine in a separate Node process without ts-node, and is type-checked against dist's .d.ts.
 */
import { expect } from "chai";
import * as path from "path";
import { gatewayProxyChartValues } from "../components/pulumi/gateway-proxy";
import { keepaliveUpstream } from "../components/render/manifests";
import { renderValues } from "../components/render/render";
import { DIST, ensureBuilt, REPO_ROOT, runNode, TSC, type ProcessRun } from "./build-harness";
import { byKey, deployedObjects } from "./pulumi-harness";
import type { KubernetesObject } from "../components/render/manifests";

interface ConsumerReport {
    resolved: string;
    onImport: { registrations: number; configRead: string[] };
    registrations: { type: string; name: string; custom: boolean; inputs: KubernetesObject }[];
    outputs: Record<string, unknown>;
    errors: string[];
    loaded: string[];
    tsNode: boolean;
}

/**
 * Build, then run the consumer and type-check it side by side: all in child processes, started when
 * mocha loads this file, so they overlap the in-process tests that run before this suite.
 */
const prepared = ensureBuilt().then(() =>
    Promise.all([
        runNode([path.join(REPO_ROOT, "test", "consumer", "run-with-mocks.js")]),
        runNode([TSC, "-p", path.join("test", "consumer", "tsconfig.json")]),
    ]),
);
prepared.catch(() => undefined); // reported by the before hook below, not as an unhandled rejection

describe("the built package, imported by another stack (test/consumer)", function () {
    this.timeout(120_000);
    let report: ConsumerReport;
    let typecheck: ProcessRun;

    before(async () => {
        const [program, check] = await prepared;
        expect(program.status, program.stderr).to.equal(0);
        report = JSON.parse(program.stdout) as ConsumerReport;
        typecheck = check;
    });

    it('resolves "gloo-keepalive" to dist/components/index.js and runs without ts-node or any components/*.ts', () => {
        expect(report.resolved).to.equal(path.join(DIST, "index.js"));
        expect(report.tsNode).to.equal(false);
        expect(
            report.loaded.filter((f) => !f.startsWith(path.join("dist", "components")) && !f.startsWith(path.join("test", "consumer"))),
        ).to.deep.equal([]);
        expect(report.loaded).to.include(path.join("dist", "components", "pulumi", "gateway-proxy.js"));
    });

    it("importing the package registers no resource and reads no config", () => {
        expect(report.onImport).to.deep.equal({ registrations: 0, configRead: [] });
    });

    it("deploys one GatewayProxy and one KeepaliveUpstream: exactly the library's objects", () => {
        expect(report.errors).to.deep.equal([]);
        expect(report.registrations.filter((r) => !r.custom).map((r) => `${r.type} ${r.name}`)).to.deep.equal([
            "gloo-keepalive:index:KeepaliveUpstream orders",
            "gloo-keepalive:index:GatewayProxy edge",
        ]);
        const entry = {
            tcpKeepaliveTimeSeconds: 120,
            tcpKeepaliveIntervalSeconds: 20,
            tcpKeepaliveProbes: 3,
            loadBalancerIdleTimeoutSeconds: 350,
            gatewaySettings: { tcpKeepalive: { timeSeconds: 300, intervalSeconds: 15, probes: 3 } },
        };
        const proxy = renderValues([gatewayProxyChartValues("edgeGw", entry)], { namespace: "edge" });
        const upstream = keepaliveUpstream(
            {
                name: "orders",
                namespace: "shop",
                host: "orders.shop.svc.cluster.local",
                port: 8080,
                tcpKeepalive: { timeSeconds: 120, intervalSeconds: 20, probes: 3 },
            },
            "shop",
            "gateway-proxy",
        );
        const registered = report.registrations.filter((r) => r.custom).map((r) => r.inputs);
        expect(byKey(registered)).to.deep.equal(byKey([...deployedObjects(proxy), upstream]));
        expect(report.outputs).to.deep.equal({
            upstream: { name: "orders", namespace: "shop" },
            upstreamDetectionSeconds: 180,
            serviceName: "edge-gw",
            bootstrapChecksum: proxy.proxies[0].checksum,
            maxDetectionSeconds: 345,
        });
    });

    it("type-checks against the package's .d.ts files", () => {
        expect(typecheck.status, typecheck.stdout + typecheck.stderr).to.equal(0);
    });
});
