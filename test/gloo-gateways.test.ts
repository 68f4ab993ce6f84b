/**
 * The Gateways, a fixture per feature (test/fixtures/gloo-gateways/): custom and hybrid
 * gateways, access logging, disableGeneratedGateways, the Gateway kube overrides, failover and
 * the tracing provider render as the Gloo 1.22 chart renders them (library, our chart and Gloo's,
 * Helm 3 and 4), and every final Gateway keeps our downstream keepalive and passes the policies.
 */
import { expect } from "chai";
import { readdirSync, readFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import type { KubernetesObject } from "../components/render/manifests";
import { mergeGatewayKubeOverride } from "../components/render/gloo-gateways";
import { gatewayValuePath, pathSegments } from "../components/render/gloo-gateway-checks";
import { mergeValues } from "../components/values/values";
import { gatewaySocketOptionsKeepalive, keepaliveBelowIdleTimeout } from "../policy/policies";
import { helmBinaries } from "../scripts/helm";
import { brokenChart, helmTemplate, helmTemplateAsync, libraryObjects, objectDiffs, type HelmRun } from "./chart-harness";
import { glooCorpus } from "./gloo-corpus";
import { glooDiffs, glooTemplate, glooTemplateAsync } from "./gloo-harness";
import { ahead } from "./helm-pool";
import { resourceArgs, validate } from "./policy-harness";
import { GatewayProxy } from "../components/pulumi/gateway-proxy";
import { renderValues } from "../components/render/render";
import { byKey, deployedObjects, registeredObjects, runProgram } from "./pulumi-harness";

const DIR = path.join(__dirname, "fixtures", "gloo-gateways");
const fixtures = readdirSync(DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort();

function load(file: string): { values: Record<string, unknown>; gateways: string[] } {
    const text = readFileSync(path.join(DIR, file), "utf8");
    const header = /^# gateways: (.*)$/m.exec(text);
    if (!header) throw new Error(`${file} names no # gateways:`);
    return { values: yaml.load(text) as Record<string, unknown>, gateways: header[1].split(",").map((s) => s.trim()) };
}

/** The values as the Gloo open-source chart takes them (Enterprise's gloo.gatewayProxies is its gatewayProxies). */
function asGlooValues(values: Record<string, unknown>): Record<string, unknown> {
    const nested = (values.gloo as { gatewayProxies?: unknown } | undefined)?.gatewayProxies;
    return nested ? { ...values, gatewayProxies: mergeValues(values.gatewayProxies ?? {}, nested) } : values;
}

const gatewaysOf = (objects: readonly KubernetesObject[]) => objects.filter((o) => o.kind === "Gateway");
type Spec = { options?: { socketOptions?: { level: number; name: number; intValue: number }[] } };

describe("Gloo's Gateway keys, a fixture per feature", () => {
    it("has a fixture for each Gateway key", () => {
        const text = fixtures.map((f) => readFileSync(path.join(DIR, f), "utf8")).join("\n");
        for (const key of [
            "customHttpGateway:",
            "customHttpsGateway:",
            "httpHybridGateway:",
            "httpsHybridGateway:",
            "accessLoggingService:",
            "disableGeneratedGateways:",
            "httpGatewayKubeOverride:",
            "httpsGatewayKubeOverride:",
            "failover:",
            "kubeResourceOverride:",
            "provider:",
        ])
            expect(text, key).to.include(key);
    });

    for (const file of fixtures) {
        it(`${file}: every Gateway keeps the downstream keepalive and passes the policies`, async () => {
            const { values, gateways } = load(file);
            const rendered = gatewaysOf(libraryObjects(values, { release: "gloo" }));
            expect(rendered.map((g) => g.metadata.name).sort()).to.deep.equal([...gateways].sort());
            for (const g of rendered) {
                const options = (g.spec as Spec).options?.socketOptions ?? [];
                const keepalive = options.filter((o) => (o.level === 1 && o.name === 9) || (o.level === 6 && [4, 5, 6].includes(o.name)));
                expect(
                    keepalive.map((o) => o.intValue),
                    g.metadata.name,
                ).to.deep.equal([1, 60, 15, 3]);
                expect(await validate(gatewaySocketOptionsKeepalive, resourceArgs(g)), g.metadata.name).to.deep.equal([]);
                expect(await validate(keepaliveBelowIdleTimeout, resourceArgs(g)), g.metadata.name).to.deep.equal([]);
            }
        });
    }

    it("deploys the same Gateways from the GatewayProxy component (Pulumi's mock engine)", async () => {
        const entry = (load("failover.yaml").values.gatewayProxies as Record<string, Record<string, unknown>>).gatewayProxy;
        const args = {
            ...entry,
            gatewaySettings: { ...(entry.gatewaySettings as object), customHttpGateway: { virtualServiceSelector: { gateway: "public" } } },
        };
        const run = await runProgram(() => void new GatewayProxy("edge", { name: "gatewayProxy", ...args }));
        expect(run.errors).to.deep.equal([]);
        const expected = deployedObjects(renderValues([{ gatewayProxies: { gatewayProxy: args } }]));
        expect(byKey(registeredObjects(run))).to.deep.equal(byKey(expected));
        expect(gatewaysOf(expected).map((g) => g.metadata.name)).to.deep.equal([
            "gateway-proxy",
            "gateway-proxy-ssl",
            "gateway-proxy-failover",
        ]);
    });

    it("merges a kube override as Gloo does: maps key by key, lists, scalars, false, 0 and null replace", () => {
        const base = {
            spec: { bindPort: 8080, ssl: true, options: { a: 1, socketOptions: [{ level: 1 }] } },
            metadata: { labels: { app: "gloo" } },
        };
        const merged = mergeGatewayKubeOverride(base, {
            spec: { bindPort: 0, ssl: false, options: { b: 2, socketOptions: [] } },
            metadata: { labels: { app: null } },
        });
        expect(merged).to.deep.equal({
            spec: { bindPort: 0, ssl: false, options: { a: 1, b: 2, socketOptions: [] } },
            metadata: { labels: { app: null } },
        });
        expect(base.spec.bindPort, "the rendered Gateway is not changed").to.equal(8080);
        expect(mergeGatewayKubeOverride(base, {})).to.equal(base);
    });

    it("names the value a CRD issue of a final Gateway came from", () => {
        const sources = {
            name: "edge",
            settingsPath: "gatewayProxies.edge.gatewaySettings",
            override: {
                value: { spec: { options: { socketOptions: [{}] } } },
                path: "gatewayProxies.edge.gatewaySettings.httpGatewayKubeOverride",
            },
            httpGateway: { value: {}, path: "gatewayProxies.edge.gatewaySettings.customHttpGateway" },
            hybrid: { value: { hybridGateway: {} }, path: "gatewayProxies.edge.gatewaySettings.httpHybridGateway" },
        };
        expect(pathSegments('a.b[2]["odd key"].c')).to.deep.equal(["a", "b", 2, "odd key", "c"]);
        expect(gatewayValuePath("options.socketOptions[0].level", sources, false)).to.equal(
            "gatewayProxies.edge.gatewaySettings.httpGatewayKubeOverride.spec.options.socketOptions[0].level",
        );
        expect(gatewayValuePath("options.perConnectionBufferLimitBytes", sources, false)).to.equal(
            "gatewayProxies.edge.gatewaySettings.options.perConnectionBufferLimitBytes",
        );
        expect(gatewayValuePath("options.accessLoggingService.accessLog", sources, true)).to.equal(
            "gatewayProxies.edge.gatewaySettings.accessLoggingService.accessLog",
        );
        expect(gatewayValuePath("httpGateway.virtualServices", sources, false)).to.equal(
            "gatewayProxies.edge.gatewaySettings.customHttpGateway.virtualServices",
        );
        expect(gatewayValuePath("hybridGateway.matchedGateways", sources, false)).to.equal(
            "gatewayProxies.edge.gatewaySettings.httpHybridGateway.hybridGateway.matchedGateways",
        );
        expect(gatewayValuePath("bindPort", sources, false)).to.equal("gatewayProxies.edge.gatewaySettings (Gateway edge spec.bindPort)");
    });

    it("puts every Gateway key into the generated corpus the differential test compares", () => {
        const counts = new Map<string, number>();
        for (const batch of glooCorpus(20261201, 20, 25))
            for (const proxy of Object.values(batch.union.gatewayProxies ?? {})) {
                const settings = (proxy.gatewaySettings ?? {}) as Record<string, unknown>;
                const keys = [...Object.keys(settings), ...(proxy.failover ? ["failover"] : []), ...(proxy.tracing ? ["tracing"] : [])];
                for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
            }
        for (const key of [
            "customHttpGateway",
            "customHttpsGateway",
            "httpHybridGateway",
            "httpsHybridGateway",
            "accessLoggingService",
            "disableGeneratedGateways",
            "httpGatewayKubeOverride",
            "httpsGatewayKubeOverride",
            "failover",
            "tracing",
        ])
            expect(counts.get(key) ?? 0, key).to.be.at.least(20);
    });
});

for (const bin of helmBinaries()) {
    describe(`Gloo's Gateway keys against the Gloo 1.22 chart (Helm ${bin.version})`, function () {
        this.timeout(120_000);
        /** Each fixture's two helm runs, started before the tests, HELM_JOBS at a time (test/helm-pool.ts). */
        const rendered = new Map<string, Promise<() => [HelmRun, KubernetesObject[]]>>();
        before(() => {
            for (const file of fixtures) {
                const { values } = load(file);
                const both = [helmTemplateAsync(bin, values, { release: "gloo" }), glooTemplateAsync(bin, asGlooValues(values))] as const;
                rendered.set(file, ahead(Promise.all(both)));
            }
        });

        for (const file of fixtures) {
            it(`${file}: the library, our chart and the Gloo chart render the same Gateways and Services`, async () => {
                const { values } = load(file);
                const [run, gloo] = (await rendered.get(file)!)();
                const library = libraryObjects(values, { release: "gloo" }).filter((o) => o.kind !== "Upstream");
                expect(run.status, run.stderr).to.equal(0);
                expect(
                    objectDiffs(
                        library,
                        run.objects.filter((o) => o.kind !== "Upstream"),
                    ),
                    "our chart vs the library",
                ).to.deep.equal([]);
                expect(glooDiffs(library, gloo), "the Gloo chart vs ours").to.deep.equal([]);
            });
        }

        it("fails, naming the path, when the Gateway template changes what Gloo renders", () => {
            const broken = brokenChart([["_gateways.tpl", `"name" "failover" "sslConfig"`, `"name" "fail-over" "sslConfig"`]]);
            const { values } = load("failover.yaml");
            const run = helmTemplate(bin, values, { release: "gloo", chart: broken });
            expect(glooDiffs(run.objects, glooTemplate(bin, values))).to.include(
                'Gateway/gloo-system/gateway-proxy-failover.spec.tcpGateway.tcpHosts.0.name: ours "fail-over" != gloo "failover"',
            );
        });
    });
}
