/**
 * `deployWith: "helm"` with real helm (Helm 3 and Helm 4): the values the components pass to
 * `k8s.helm.v4.Chart` (captured under Pulumi's mock engine, which renders no chart) are rendered
 * with `helm template`, and must give exactly the objects the library renders.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import { tmpdir } from "os";
import * as path from "path";
import { GatewayProxy, gatewayProxyChartValues } from "../components/pulumi/gateway-proxy";
import type { KubernetesObject } from "../components/render/manifests";
import { renderValues } from "../components/render/render";
import { readStackConfig } from "../components/values/read";
import { helmBinary, runHelm, type HelmBinary } from "../scripts/helm";
import {
    byKey,
    loadProgram,
    registeredObjects,
    REPO_ROOT,
    runProgram,
    stackConfig,
    type ProgramRun,
    type Registration,
} from "./pulumi-harness";

const program = loadProgram(path.join(REPO_ROOT, "index.ts"));
let scratch: string;
let helms: HelmBinary[];

/** `helm template` of a captured Chart registration: its chart, release name, namespace and values. */
function helmTemplate(helm: HelmBinary, chart: Registration): KubernetesObject[] {
    const inputs = chart.inputs as { chart: string; name: string; namespace: string; values: unknown };
    const valuesFile = path.join(scratch, `${chart.name.replace(/\W/g, "_")}-${helm.major}.json`);
    writeFileSync(valuesFile, JSON.stringify(inputs.values));
    const r = runHelm(helm, ["template", inputs.name, inputs.chart, "--namespace", inputs.namespace, "-f", valuesFile]);
    expect(r.status, r.stderr).to.equal(0);
    return yaml.loadAll(r.stdout).filter((d) => d !== null && d !== undefined) as KubernetesObject[];
}

const charts = (run: ProgramRun) => run.registrations.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart");

describe("deployWith helm, rendered by real helm", () => {
    before(function () {
        this.timeout(120_000); // the first call may extract the helm binaries (once per machine)
        helms = [helmBinary(3), helmBinary(4)];
        scratch = mkdtempSync(path.join(tmpdir(), "gk-pulumi-helm-"));
    });
    after(() => rmSync(scratch, { recursive: true, force: true }));

    for (const env of ["dev", "prod"]) {
        describe(`pulumi program, stack ${env}, deployWith helm`, () => {
            it("passes the chart the values that, rendered by real helm 3 and 4, give exactly renderValues' objects", async () => {
                const config = stackConfig(env);
                const run = await runProgram(program, { stack: env, config: { ...config, "gloo-keepalive:deployWith": "helm" } });
                expect(run.errors).to.deep.equal([]);
                const stack = readStackConfig(env, REPO_ROOT);
                const expected = renderValues([stack.values], { namespace: stack.namespace, releaseName: stack.releaseName });
                expect(charts(run).map((c) => c.name)).to.deep.equal(expected.proxies.map((p) => `gloo-system/${p.name}`));
                for (const helm of helms) {
                    // The charts render the proxies; the upstreams are KeepaliveUpstreams (typed resources) either way.
                    const objects = [...charts(run).flatMap((c) => helmTemplate(helm, c)), ...registeredObjects(run)];
                    expect(byKey(objects), `helm ${helm.version}`).to.deep.equal(byKey(expected.objects));
                }
            });
        });
    }

    describe("GatewayProxy deployWith helm, real helm", () => {
        it("a proxy that is not the chart's default entry, with upstreams: helm renders exactly it (and them), as the library does", async () => {
            const entry = {
                tcpKeepaliveTimeSeconds: 45,
                tcpKeepaliveProbes: 4,
                kind: { workloadType: "DaemonSet" as const, daemonSet: { hostPort: true } },
                gatewaySettings: { tcpKeepalive: { timeSeconds: 30 } },
            };
            const upstreams = [
                { name: "orders", namespace: "shop", host: "orders.shop", port: 8080, tcpKeepalive: { timeSeconds: 120, probes: 3 } },
            ];
            const run = await runProgram(
                () =>
                    void new GatewayProxy("edge", {
                        name: "edgeV2",
                        ...entry,
                        upstreams,
                        deployWith: "helm",
                        namespace: "edge",
                        releaseName: "edge-release",
                    }),
            );
            expect(run.errors).to.deep.equal([]);
            const [chart] = charts(run);
            const expected = renderValues([gatewayProxyChartValues("edgeV2", entry, upstreams)], {
                namespace: "edge",
                releaseName: "edge-release",
            });
            expect(expected.objects.map((o) => `${o.kind} ${o.metadata.name}`)).to.include.members([
                "DaemonSet edge-v2",
                "Upstream orders",
            ]);
            for (const helm of helms)
                expect(byKey(helmTemplate(helm, chart)), `helm ${helm.version}`).to.deep.equal(byKey(expected.objects));
        });
    });
});
