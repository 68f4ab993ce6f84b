/**
 * The chart on real Helm 3 and Helm 4: lint, template, schema rejections (the same invalid
 * corpus the library refuses), injection, and what a keepalive change touches.
 */
import { expect } from "chai";
import { readFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { renderValues } from "../components/render/render";
import { notRenderedReasons } from "../components/values/not-rendered";
import { GLOO_CHART } from "./gloo-harness";
import type { KubernetesObject } from "../components/render/manifests";
import { readStackConfig } from "../components/values/read";
import { helmBinaries, runHelm } from "../scripts/helm";
import { CHART, helmTemplate, libraryObjects, objectDiffs, writeValues } from "./chart-harness";

const deployment = (objects: KubernetesObject[]) =>
    objects.find((o) => o.kind === "Deployment") as KubernetesObject & {
        spec: { template: { metadata: { annotations: Record<string, string> } } };
    };

for (const bin of helmBinaries()) {
    describe(`chart on Helm ${bin.version}`, function () {
        this.timeout(120_000);

        for (const stack of ["dev", "prod"]) {
            it(`passes helm lint --strict with the ${stack} values`, () => {
                const run = runHelm(bin, ["lint", "--strict", CHART, "-f", writeValues(readStackConfig(stack).values)]);
                expect(run.status, run.stdout + run.stderr).to.equal(0);
                expect(run.stdout).to.include("0 chart(s) failed");
            });

            it(`renders the ${stack} values with helm template`, () => {
                const run = helmTemplate(bin, readStackConfig(stack).values);
                expect(run.status, run.stderr).to.equal(0);
                expect(run.objects.map((o) => o.kind)).to.include.members([
                    "ConfigMap",
                    "Deployment",
                    "Service",
                    "ServiceAccount",
                    "Gateway",
                    "Upstream",
                ]);
            });
        }

        // Helm 3's install --dry-run still needs a cluster; NOTES.txt renders client-side only on Helm 4.
        if (bin.major === 4)
            it("prints each proxy's effective keepalive and worst-case detection in NOTES.txt", () => {
                const run = runHelm(bin, [
                    "install",
                    "--dry-run=client",
                    "gateway-proxy",
                    CHART,
                    "-n",
                    "gloo-system",
                    "-f",
                    writeValues(readStackConfig("prod").values),
                ]);
                expect(run.status, run.stderr).to.equal(0);
                expect(run.stdout).to.include(
                    "static clusters (xDS, REST xDS, wasm cache, yours): time 120, interval 20, probes 3; worst-case detection 180s",
                );
                expect(run.stdout).to.include("downstream: time 300, interval 15, probes 3; worst-case detection 345s");
            });

        if (bin.major === 4)
            it("names in NOTES.txt what renders nothing, as the library names it (Gloo's own values file)", () => {
                const gloo = yaml.load(readFileSync(path.join(GLOO_CHART, "values.yaml"), "utf8")) as Record<string, unknown>;
                const values = [gloo, { discovery: { enabled: true }, gatewayProxies: { edge: { extraContainersHelper: "mine" } } }];
                const run = runHelm(bin, [
                    "install",
                    "--dry-run=client",
                    "gloo",
                    CHART,
                    "-n",
                    "gloo-system",
                    ...values.flatMap((v) => ["-f", writeValues(v)]),
                ]);
                expect(run.status, run.stderr).to.equal(0);
                const line = /^note: accepted, not rendered here: (.*)$/m.exec(run.stdout);
                const expected = renderValues(values).notRendered;
                expect(expected).to.include.members(["discovery", "gatewayProxies.edge.extraContainersHelper"]);
                expect(line?.[1].split(", ").sort()).to.deep.equal([...expected].sort());
                for (const reason of notRenderedReasons(expected)) expect(run.stdout).to.include(`note: ${reason}`);
                expect(notRenderedReasons(expected)).to.not.be.empty;
            });

        // Refusals of the invalid and hostile corpora, at the same value path as the library: test/hostile-values.test.ts.

        describe("injection", () => {
            const hostile = [
                "a\nkind: Secret",
                "x: y",
                "{{ .Release.Name }}",
                "\"quoted\" 'single'",
                "- item",
                "# comment",
                "&anchor *alias",
                "\\u0000",
            ];

            it("keeps hostile strings literal in annotations, args and static cluster names", () => {
                const values = {
                    gatewayProxies: {
                        gatewayProxy: {
                            service: { extraAnnotations: Object.fromEntries(hostile.map((h, i) => [`example.com/k${i}`, h])) },
                            extraEnvoyArgs: hostile,
                            envoyStaticClusters: hostile.map((h) => ({
                                name: h,
                                connect_timeout: "1s",
                                type: "STATIC",
                                load_assignment: { cluster_name: h, endpoints: [] },
                            })),
                        },
                    },
                };
                const chart = helmTemplate(bin, values);
                expect(chart.status, chart.stderr).to.equal(0);
                expect(objectDiffs(libraryObjects(values), chart.objects)).to.deep.equal([]);
                const service = chart.objects.find((o) => o.kind === "Service") as KubernetesObject;
                expect(Object.values(service.metadata.annotations ?? {})).to.deep.equal(hostile);
                expect(chart.objects.map((o) => o.kind).filter((k) => k === "Secret")).to.deep.equal([]);
            });

            it("refuses hostile proxy names, addresses and upstream names (library and chart alike)", () => {
                for (const values of [
                    { gatewayProxies: { "edge\nkind: Secret": {} } },
                    { gatewayProxies: { "edge: x": {} } },
                    { gatewayProxies: { "edge{{ .Values }}": {} } },
                    { gatewayProxies: { gatewayProxy: { xdsServiceAddress: 'gloo"\n  evil: true' } } },
                    { upstreams: [{ name: 'a"b', host: "h", port: 1, tcpKeepalive: {} }] },
                ]) {
                    expect(helmTemplate(bin, values).status, JSON.stringify(values)).to.not.equal(0);
                    expect(() => libraryObjects(values), JSON.stringify(values)).to.throw();
                }
            });
        });

        it("changes only the ConfigMap data and the checksum annotation when tcpKeepaliveTimeSeconds changes", () => {
            const base = readStackConfig("dev").values as { gatewayProxies: { gatewayProxy: Record<string, unknown> } };
            const changed = structuredClone(base);
            changed.gatewayProxies.gatewayProxy.tcpKeepaliveTimeSeconds = 90;
            const before = helmTemplate(bin, base);
            const after = helmTemplate(bin, changed);
            expect(before.status).to.equal(0);
            expect(after.status).to.equal(0);
            const diffs = objectDiffs(before.objects, after.objects).map((d) => d.split(":")[0]);
            expect(diffs.sort()).to.deep.equal([
                "ConfigMap/gloo-system/gateway-proxy-envoy-config.data.envoy.yaml",
                "Deployment/gloo-system/gateway-proxy.spec.template.metadata.annotations.checksum/gateway-proxy-envoy-config",
            ]);
            expect(deployment(after.objects).spec.template.metadata.annotations["checksum/gateway-proxy-envoy-config"]).to.not.equal(
                deployment(before.objects).spec.template.metadata.annotations["checksum/gateway-proxy-envoy-config"],
            );
        });
    });
}
