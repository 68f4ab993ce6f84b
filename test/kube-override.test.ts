/**
 * Gloo's kubeResourceOverride: the library's merge is sprig's mergeOverwrite (what Gloo's
 * gloo.util.merge calls), checked against real helm 3 and 4 case by case; an override is laid
 * over the object it names and nothing else; the separate objects deploy as typed Pulumi
 * resources. (The refusals are fixtures under fixtures/invalid/override-*.yaml; the objects are
 * held to the Gloo chart by the differential test.)
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import { tmpdir } from "os";
import * as path from "path";
import { GatewayProxy } from "../components/pulumi/gateway-proxy";
import { mergeOverwrite } from "../components/render/kube-override";
import { printedValue } from "../components/render/proxy-extras";
import { renderValues } from "../components/render/render";
import { helmBinaries, runHelm } from "../scripts/helm";
import { brokenChart, helmTemplate, objectDiffs, writeValues } from "./chart-harness";
import { registeredObjects, runProgram } from "./pulumi-harness";

type Json = Record<string, unknown>;

/** (base, override) pairs covering every shape mergeOverwrite meets. */
const CASES: [Json, Json][] = [
    [{ a: { b: 1, c: 2 } }, { a: { c: 3, d: 4 } }],
    [{ a: [1, 2, 3] }, { a: [9] }],
    [
        { a: 5, b: true, c: "x" },
        { a: 0, b: false, c: "" },
    ],
    [
        { a: 5, m: { x: 1 } },
        { a: null, m: null },
    ],
    [
        { a: 5, m: { x: 1 } },
        { a: { k: 1 }, m: 7 },
    ],
    [{ m: { x: 1 } }, { m: {} }],
    [{ l: [1] }, { l: [] }],
    [{}, { deep: { p: { q: 1 } } }],
    [
        { l: [1], m: { x: 1 } },
        { l: { x: 1 }, m: [1] },
    ],
    [{ l: [{ a: 1, b: 2 }] }, { l: [{ a: 3 }] }],
    [{ m: { x: { k: 1, z: 2 } } }, { m: { x: { k: null } } }],
    [{ m: null }, { m: { x: 1 } }],
    [{ s: "" }, { s: { x: 1 } }],
    [{ s: 5 }, { s: {} }],
    [{ m: { a: 1 } }, JSON.parse('{"m": {"__proto__": "x"}}') as Json],
];

/** sprig's mergeOverwrite, run by helm on each case. */
function helmMerge(bin: ReturnType<typeof helmBinaries>[number]): Json[] {
    const chart = mkdtempSync(path.join(tmpdir(), "gk-merge-"));
    mkdirSync(path.join(chart, "templates"));
    writeFileSync(path.join(chart, "Chart.yaml"), "apiVersion: v2\nname: merge\nversion: 0.1.0\n");
    writeFileSync(
        path.join(chart, "templates", "cases.yaml"),
        '{{- range $c := .Values.cases }}\n---\n{{ toJson (dict "merged" (mergeOverwrite (fromYaml (toYaml $c.base)) $c.override)) }}\n{{- end }}\n',
    );
    const values = writeValues({ cases: CASES.map(([base, override]) => ({ base, override })) });
    const run = runHelm(bin, ["template", "m", chart, "-f", values]);
    expect(run.status, run.stderr).to.equal(0);
    return (yaml.loadAll(run.stdout) as ({ merged: Json } | null)[]).filter((d) => d !== null).map((d) => d.merged);
}

for (const bin of helmBinaries()) {
    describe(`kubeResourceOverride merge (Helm ${bin.version})`, function () {
        this.timeout(120_000);

        it("is sprig's mergeOverwrite: maps merge key by key; lists, scalars and null replace; an empty map changes nothing", () => {
            expect(CASES.map(([base, override]) => mergeOverwrite(base, override))).to.deep.equal(helmMerge(bin));
        });

        it("lays each override over its own object only, the chart as the library", () => {
            const values = {
                gatewayProxies: {
                    gatewayProxy: {
                        kubeResourceOverride: { spec: { template: { spec: { priorityClassName: "high" } } } },
                        service: { kubeResourceOverride: { spec: { sessionAffinity: "ClientIP" } } },
                        podDisruptionBudget: { minAvailable: "1", kubeResourceOverride: { metadata: { labels: { pdb: "own" } } } },
                    },
                    edge: { service: { type: "ClusterIP" } },
                },
            };
            const library = renderValues([values], { releaseName: "gloo" }).objects;
            const find = (kind: string, name: string) => library.find((o) => o.kind === kind && o.metadata.name === name) as Json;
            const pod = (o: Json) => (o.spec as { template: { spec: Json } }).template.spec;
            expect(pod(find("Deployment", "gateway-proxy")).priorityClassName).to.equal("high");
            expect(pod(find("Deployment", "edge")).priorityClassName, "the workload's override is the entry's own").to.equal(undefined);
            expect((find("Service", "edge").spec as Json).sessionAffinity, "a Service inherits the default entry's").to.equal("ClientIP");
            expect((find("PodDisruptionBudget", "gateway-proxy-pdb").metadata as Json).labels).to.include({ pdb: "own" });
            expect(
                (find("PodDisruptionBudget", "edge-pdb").metadata as Json).labels,
                "a PDB's override is the entry's own",
            ).to.not.have.property("pdb");
            expect((find("PodDisruptionBudget", "edge-pdb").spec as Json).minAvailable, 'Gloo prints "1" unquoted').to.equal(1);
            const run = helmTemplate(bin, values, { release: "gloo" });
            expect(run.status, run.stderr).to.equal(0);
            expect(
                objectDiffs(
                    library.filter((o) => o.kind !== "Upstream"),
                    run.objects,
                ),
            ).to.deep.equal([]);
        });

        it("fails, naming the path, when the chart merges an override another way", () => {
            const broken = brokenChart([["_overrides.tpl", "mergeOverwrite (deepCopy $before)", "merge (deepCopy $before)"]]);
            const values = { gatewayProxies: { gatewayProxy: { service: { kubeResourceOverride: { spec: { type: "NodePort" } } } } } };
            const library = renderValues([values], { releaseName: "gloo" }).objects;
            const run = helmTemplate(bin, values, { release: "gloo", chart: broken });
            expect(objectDiffs(library, run.objects)).to.include(
                'Service/gloo-system/gateway-proxy.spec.type: library "NodePort" != chart "LoadBalancer"',
            );
        });
    });
}

describe("the separate objects", () => {
    it("read a printed value back as Gloo's chart prints it", () => {
        expect([1, "1", "50%", "0", null, undefined, 2.5].map(printedValue)).to.deep.equal([1, 1, "50%", 0, null, null, 2.5]);
    });

    it("deploy as typed Pulumi resources: the PDB and each HPA apiVersion", async () => {
        for (const apiVersion of ["autoscaling/v1", "autoscaling/v2", "autoscaling/v2beta2"]) {
            const run = await runProgram(
                () =>
                    void new GatewayProxy("edge", {
                        name: "gatewayProxy",
                        podDisruptionBudget: { maxUnavailable: 1 },
                        horizontalPodAutoscaler: { apiVersion, minReplicas: 1, maxReplicas: 3 },
                    }),
            );
            const types = run.registrations.map((r) => r.type);
            expect(types).to.include("kubernetes:policy/v1:PodDisruptionBudget");
            expect(types).to.include(`kubernetes:${apiVersion}:HorizontalPodAutoscaler`);
            const hpa = registeredObjects(run).find((o) => o.kind === "HorizontalPodAutoscaler");
            expect(hpa?.spec).to.deep.include({
                maxReplicas: 3,
                scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "gateway-proxy" },
            });
        }
    });
});
