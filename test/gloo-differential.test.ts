/**
 * The differential test against the real Gloo 1.22 chart: for Gloo's own default values, the
 * Gloo documentation's examples and a generated corpus of 500 values files, our library, our
 * chart and the Gloo chart render the same gateway-proxy objects, field by field, but for the
 * allowed differences of test/gloo-harness.ts (and the README's "Differences from the Gloo
 * chart"). Helm 3 and Helm 4.
 */
import { expect } from "chai";
import { readdirSync, readFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import type { KubernetesObject } from "../components/render/manifests";
import { mergeValues } from "../components/values/values";
import { helmBinaries, runHelm, type HelmBinary } from "../scripts/helm";
import { renderValues } from "../components/render/render";
import { brokenChart, helmTemplate, helmTemplateAsync, libraryObjects, objectDiffs, writeValues, type HelmRun } from "./chart-harness";
import { glooCorpus } from "./gloo-corpus";
import { ahead } from "./helm-pool";
import { GLOO_CHART, glooDiffs, glooTemplate, glooTemplateAsync } from "./gloo-harness";

const SEED = 20261201;
const BATCHES = 20;
const FILES_PER_BATCH = 25;
const DOCS = path.join(__dirname, "fixtures", "gloo-docs");
/** A fixture per Gloo feature we render (as the Gloo chart's tests have). */
const FEATURES = path.join(__dirname, "fixtures", "gloo-features");

/** Ours only, by design: the keepalive Upstreams (the Gloo chart has none). */
const oursOnly = (o: KubernetesObject) => o.kind !== "Upstream";

/** The values as the Gloo open-source chart takes them: Gloo Enterprise's gloo.gatewayProxies is its gatewayProxies. */
function asGlooValues(values: Record<string, unknown>): Record<string, unknown> {
    const nested = (values.gloo as { gatewayProxies?: unknown } | undefined)?.gatewayProxies;
    return nested ? { ...values, gatewayProxies: mergeValues(values.gatewayProxies ?? {}, nested) } : values;
}

/** The library's objects, rendered once for both Helm versions. */
const libraryCache = new Map<string, KubernetesObject[]>();
function ours(values: Record<string, unknown>): KubernetesObject[] {
    const key = JSON.stringify(values);
    if (!libraryCache.has(key)) libraryCache.set(key, libraryObjects(values, { release: "gloo" }).filter(oursOnly));
    return libraryCache.get(key) as KubernetesObject[];
}

/** What our chart and the Gloo chart render for one values file (or union). */
interface Rendered {
    run: HelmRun;
    gloo: KubernetesObject[];
}

/** Our chart and the Gloo chart for one values file (or union), started now and run in the background (test/helm-pool.ts). */
function render(bin: HelmBinary, values: Record<string, unknown>): Promise<() => Rendered> {
    const both = Promise.all([helmTemplateAsync(bin, values, { release: "gloo" }), glooTemplateAsync(bin, asGlooValues(values))]);
    return ahead(both.then(([run, gloo]) => ({ run, gloo })));
}

/** Library, our chart and the Gloo chart for one values file (or union); every difference. */
async function threeWay(
    values: Record<string, unknown>,
    rendered: Promise<() => Rendered>,
): Promise<{ ours: string[]; gloo: string[]; objects: number }> {
    const { run, gloo } = (await rendered)();
    const library = ours(values);
    expect(run.status, run.stderr).to.equal(0);
    return { ours: objectDiffs(library, run.objects.filter(oursOnly)), gloo: glooDiffs(library, gloo), objects: library.length };
}

/** Every object of a Gloo render. */
function helmRun(bin: HelmBinary, values: unknown): KubernetesObject[] {
    const run = runHelm(bin, ["template", "gloo", GLOO_CHART, "-n", "gloo-system", "-f", writeValues(values)]);
    expect(run.status, run.stderr).to.equal(0);
    return (yaml.loadAll(run.stdout) as (KubernetesObject | null)[]).filter((o): o is KubernetesObject => o !== null);
}

describe("a whole Gloo values file", () => {
    const gloo = yaml.load(readFileSync(path.join(GLOO_CHART, "values.yaml"), "utf8")) as Record<string, unknown>;

    it("is accepted, and what renders nothing here is named once", () => {
        const { notRendered } = renderValues([gloo, { discovery: { enabled: true } }]);
        expect(notRendered).to.include.members(["discovery", "settings.create"]);
        expect(notRendered).to.not.include.members(["settings.writeNamespace", "gatewayProxies.gatewayProxy.tcpKeepaliveTimeSeconds"]);
        expect(notRendered).to.not.include("gatewayProxies.gatewayProxy.failover");
        expect(new Set(notRendered).size).to.equal(notRendered.length);
    });

    it("still refuses a key Gloo does not know, with its path and a did-you-mean (the Enterprise nesting too)", () => {
        expect(() => renderValues([{ discovery: { enabeld: true } }])).to.throw('discovery.enabeld: unknown key (did you mean "enabled"?)');
        expect(() => renderValues([{ gloo: { gatewayProxies: { edge: { podTemplate: { probs: true } } } } }])).to.throw(
            'gloo.gatewayProxies.edge.podTemplate.probs: unknown key (did you mean "probes"?)',
        );
    });
});

const yamlFiles = (dir: string, what: string) =>
    readdirSync(dir)
        .filter((f) => f.endsWith(".yaml"))
        .sort()
        .map((f) => ({ name: `${what} ${f}`, file: path.join(dir, f) }));
const docs = [...yamlFiles(DOCS, "Gloo documentation example"), ...yamlFiles(FEATURES, "feature fixture")];

const loadValues = (file: string) => yaml.load(readFileSync(file, "utf8")) as Record<string, unknown>;
const corpus = glooCorpus(SEED, BATCHES, FILES_PER_BATCH);

for (const bin of helmBinaries()) {
    describe(`the Gloo 1.22 chart as the oracle (Helm ${bin.version})`, function () {
        this.timeout(900_000); // 40 helm runs of 25 files each for the corpus: minutes on a loaded machine
        /** Every render of the tests below, started before them, HELM_JOBS at a time, each awaited by its test. */
        const rendered = new Map<string, Promise<() => Rendered>>();
        before(() => {
            rendered.set("defaults", render(bin, loadValues(path.join(GLOO_CHART, "values.yaml"))));
            for (const doc of docs) rendered.set(doc.file, render(bin, loadValues(doc.file)));
            corpus.forEach((batch, i) => rendered.set(`batch ${i}`, render(bin, batch.union as Record<string, unknown>)));
        });

        it("renders Gloo's own default values as Gloo does", async () => {
            const values = loadValues(path.join(GLOO_CHART, "values.yaml"));
            const { ours, gloo, objects } = await threeWay(values, rendered.get("defaults")!);
            expect(ours).to.deep.equal([]);
            expect(gloo).to.deep.equal([]);
            expect(objects).to.equal(6);
        });

        for (const doc of docs) {
            it(`renders the ${doc.name} as Gloo does`, async () => {
                const { ours, gloo } = await threeWay(loadValues(doc.file), rendered.get(doc.file)!);
                expect(ours, "our chart vs the library").to.deep.equal([]);
                expect(gloo, "the Gloo chart vs ours").to.deep.equal([]);
            });
        }

        it(`renders ${BATCHES * FILES_PER_BATCH} generated values files as Gloo does (seed ${SEED})`, async () => {
            let files = 0;
            let objects = 0;
            for (const [i, batch] of corpus.entries()) {
                const result = await threeWay(batch.union as Record<string, unknown>, rendered.get(`batch ${i}`)!);
                expect(result.ours, `batch ${i}: our chart vs the library`).to.deep.equal([]);
                expect(result.gloo, `batch ${i}: the Gloo chart vs ours`).to.deep.equal([]);
                files += batch.files.length;
                objects += result.objects;
            }
            console.log(`      ${files} values files, ${objects} objects compared`);
            expect(files).to.be.at.least(500);
        });

        it("installs next to a Gloo release with disabled proxies: no object rendered by both, the ServiceAccount reused", () => {
            const gloo = helmRun(bin, { gatewayProxies: { gatewayProxy: { disabled: true } } });
            const key = (o: KubernetesObject) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
            const theirs = new Set(gloo.map(key));
            const both = (values: unknown) =>
                helmTemplate(bin, values, { release: "edge" })
                    .objects.map(key)
                    .filter((k) => theirs.has(k));
            expect(both({ gateway: { proxyServiceAccount: { create: false } } })).to.deep.equal([]);
            expect(both({}), "without create: false the ServiceAccount collides").to.deep.equal([
                "ServiceAccount/gloo-system/gateway-proxy",
            ]);
            const deployment = libraryObjects({ gateway: { proxyServiceAccount: { create: false } } }).find((o) => o.kind === "Deployment");
            expect((deployment?.spec as { template: { spec: { serviceAccountName: string } } }).template.spec.serviceAccountName).to.equal(
                "gateway-proxy",
            );
        });

        it("fails, naming the path, when a template changes what Gloo renders", () => {
            const broken = brokenChart([["gateway-proxy.yaml", `"gateway-proxy" "live"`, `"gateway-proxy" "alive"`]]);
            const values = { gatewayProxies: { gatewayProxy: {} } };
            const run = helmTemplate(bin, values, { release: "gloo", chart: broken });
            expect(glooDiffs(run.objects, glooTemplate(bin, values))).to.include(
                'Service/gloo-system/gateway-proxy.spec.selector.gateway-proxy: ours "alive" != gloo "live"',
            );
        });
    });
}
