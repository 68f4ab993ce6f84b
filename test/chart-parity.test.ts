/**
 * The chart and the library must render the same objects from the same values: the dev and
 * prod stacks, the seed examples, and 1 000+ generated proxies, on Helm 3 and Helm 4.
 */
import { expect } from "chai";
import * as yaml from "js-yaml";
import * as path from "path";
import { validateEnvoyBootstrap } from "../components/checks/envoy/validate";
import { readStackConfig, parseYamlFile } from "../components/values/read";
import { helmBinaries } from "../scripts/helm";
import { brokenChart, helmTemplate, helmTemplateAsync, kubernetesSchemaProblems, libraryObjects, objectDiffs } from "./chart-harness";
import { ahead } from "./helm-pool";
import { Gen, generateValues } from "./value-generator";

const SEED = 20261123;
const BATCHES = 20;
const PROXIES_PER_BATCH = 51;

const named: [string, unknown, { release?: string; namespace?: string }][] = [
    ["dev stack", readStackConfig("dev").values, { namespace: readStackConfig("dev").namespace }],
    ["prod stack", readStackConfig("prod").values, { namespace: readStackConfig("prod").namespace }],
    ...["downstream", "upstream", "static-cluster"].map((n): [string, unknown, object] => [
        `seed example ${n}`,
        parseYamlFile(path.join(__dirname, "fixtures", "seed", `${n}.yaml`)),
        {},
    ]),
    ["release name and namespace", readStackConfig("prod").values, { release: "edge-gw", namespace: "edge" }],
];

function bootstrapsOf(objects: { kind: string; metadata: { name: string }; data?: Record<string, string> }[]): [string, unknown][] {
    return objects.filter((o) => o.kind === "ConfigMap").map((o) => [o.metadata.name, yaml.load(o.data?.["envoy.yaml"] ?? "")]);
}

for (const bin of helmBinaries()) {
    describe(`chart parity with the library (Helm ${bin.version})`, function () {
        this.timeout(300_000);

        for (const [name, values, opts] of named) {
            it(`renders the same objects for the ${name}`, () => {
                const chart = helmTemplate(bin, values, opts);
                expect(chart.status, chart.stderr).to.equal(0);
                const library = libraryObjects(values, opts);
                expect(objectDiffs(library, chart.objects)).to.deep.equal([]);
                expect(kubernetesSchemaProblems(chart.objects)).to.deep.equal([]);
                expect(library.length).to.be.greaterThan(0);
            });
        }

        it(`renders the same objects for ${BATCHES * PROXIES_PER_BATCH} generated proxies (seed ${SEED})`, async () => {
            const g = new Gen(SEED);
            let proxies = 0;
            let objects = 0;
            const kinds = new Set<string>();
            const batches = Array.from({ length: BATCHES }, () => {
                const values = generateValues(g, PROXIES_PER_BATCH);
                const opts = { release: `rel-${g.word(1, 8)}`, namespace: g.pick(["gloo-system", "edge", `ns-${g.word()}`]) };
                return { values, opts };
            });
            // Every batch's helm run starts now, HELM_JOBS at a time (test/helm-pool.ts), while earlier batches are compared.
            const charts = batches.map(({ values, opts }) => ahead(helmTemplateAsync(bin, values, opts)));
            for (const [batch, { values, opts }] of batches.entries()) {
                const library = libraryObjects(values, opts);
                const chart = (await charts[batch])();
                expect(chart.status, `batch ${batch}: ${chart.stderr}`).to.equal(0);
                expect(objectDiffs(library, chart.objects), `batch ${batch}`).to.deep.equal([]);
                expect(kubernetesSchemaProblems(chart.objects), `batch ${batch}`).to.deep.equal([]);
                for (const [configMap, bootstrap] of bootstrapsOf(chart.objects as never)) {
                    expect(validateEnvoyBootstrap(bootstrap, configMap), `batch ${batch} ${configMap}`).to.deep.equal([]);
                }
                proxies += library.filter((o) => o.kind === "ConfigMap").length;
                objects += library.length;
                library.forEach((o) => kinds.add(o.kind));
            }
            console.log(`      ${proxies} proxies, ${objects} objects compared`);
            expect(proxies).to.be.at.least(1000);
            expect([...kinds].sort()).to.deep.equal([
                "ConfigMap",
                "DaemonSet",
                "Deployment",
                "Gateway",
                "Service",
                "ServiceAccount",
                "Upstream",
            ]);
        });

        it("fails when a template is broken (the parity check can fail)", () => {
            const broken = brokenChart([["_bootstrap.tpl", `"connect_timeout" "5s"`, `"connect_timeout" "6s"`]]);
            const values = readStackConfig("dev").values;
            const chart = helmTemplate(bin, values, { chart: broken });
            expect(chart.status, chart.stderr).to.equal(0);
            const diffs = objectDiffs(libraryObjects(values), chart.objects);
            expect(diffs.join("\n")).to.include("ConfigMap/gloo-system/gateway-proxy-envoy-config.data.envoy.yaml");
            expect(diffs.join("\n")).to.include("checksum/gateway-proxy-envoy-config");
        });
    });
}
