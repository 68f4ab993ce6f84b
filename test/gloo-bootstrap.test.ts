/**
 * The Gloo bootstrap keys and the mesh sidecars, a fixture per feature
 * (test/fixtures/gloo-bootstrap/): our library, our chart and the Gloo 1.22 chart render the
 * same objects on Helm 3 and 4 (but for the allowed differences), the strict Envoy check still
 * applies, and keepalive stays ours on every cluster, TLS or not.
 */
import { expect } from "chai";
import { readdirSync, readFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import type { KubernetesObject } from "../components/render/manifests";
import { renderValues } from "../components/render/render";
import { keepaliveKeptIssues } from "../components/render/bootstrap-gloo";
import { resolveProxies } from "../components/values/values";
import { helmBinaries } from "../scripts/helm";
import { brokenChart, helmTemplate, helmTemplateAsync, libraryObjects, objectDiffs, type HelmRun } from "./chart-harness";
import { glooDiffs, glooTemplate, glooTemplateAsync } from "./gloo-harness";
import { ahead } from "./helm-pool";

const DIR = path.join(__dirname, "fixtures", "gloo-bootstrap");
const fixtures = readdirSync(DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
const load = (f: string) => yaml.load(readFileSync(path.join(DIR, f), "utf8")) as Record<string, unknown>;
const notUpstream = (o: KubernetesObject) => o.kind !== "Upstream";

type Json = Record<string, any>;
function proxy(file: string, name = "gatewayProxy"): { bootstrap: Json; pod: Json } {
    const p = renderValues([load(file)]).proxies.find((x) => x.key === name)!;
    const workload = p.objects.find((o) => o.kind === "Deployment" || o.kind === "DaemonSet") as Json;
    return { bootstrap: p.bootstrap as Json, pod: workload.spec.template.spec };
}
const cluster = (b: Json, name: string) => b.static_resources.clusters.find((c: Json) => c.name === name);

describe("Gloo bootstrap keys and mesh sidecars", () => {
    it("has a fixture per feature", () => expect(fixtures.length).to.be.at.least(10));

    it("keeps keepalive on the xDS cluster with Gloo mTLS on: tcp_keepalive, HTTP/2 keepalive and the TLS socket", () => {
        const { bootstrap, pod } = proxy("gloo-mtls.yaml");
        const xds = cluster(bootstrap, "gloo.gloo-system.svc.cluster.local:9977");
        expect(xds.upstream_connection_options.tcp_keepalive).to.deep.equal({
            keepalive_time: 60,
            keepalive_interval: 15,
            keepalive_probes: 4,
        });
        expect(
            xds.typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].explicit_http_config
                .http2_protocol_options,
        ).to.deep.equal({ connection_keepalive: { interval: "30s", timeout: "5s" } });
        expect(xds.transport_socket.name).to.equal("envoy.transport_sockets.tls");
        expect(cluster(bootstrap, "rest_xds_cluster").transport_socket.name).to.equal("envoy.transport_sockets.tls");
        expect(bootstrap.static_resources.clusters.map((c: Json) => c.name).slice(0, 3)).to.deep.equal([
            xds.name,
            "gateway_proxy_sds",
            "rest_xds_cluster",
        ]);
        expect(pod.containers.map((c: Json) => c.name)).to.deep.equal(["gateway-proxy", "sds"]);
        expect(pod.volumes.map((v: Json) => v.name)).to.include("gloo-mtls-certs");
    });

    it("gives a tracing cluster the proxy's keepalive under its own fields", () => {
        const zipkin = cluster(proxy("tracing-cluster.yaml").bootstrap, "zipkin");
        expect(zipkin.upstream_connection_options.tcp_keepalive).to.deep.equal({
            keepalive_time: 60,
            keepalive_interval: 10,
            keepalive_probes: 4,
        });
    });

    it("renders Istio's sidecar with its ids and addresses, and envoyLogLevel as Gloo's one argument", () => {
        const { pod } = proxy("istio-integration-sidecars.yaml", "internal");
        const env = Object.fromEntries(pod.containers[2].env.filter((e: Json) => "value" in e).map((e: Json) => [e.name, e.value]));
        expect(env).to.include({
            CA_ADDR: "spire-server.spire.svc:8081",
            ISTIO_META_MESH_ID: "mesh-east",
            ISTIO_META_CLUSTER_ID: "cluster-east",
        });
        expect(env.PROXY_CONFIG).to.equal('{"discoveryAddress": istiod-1-23.istio-system.svc:15012}\n');
        expect(proxy("envoy-log-level.yaml").pod.containers[0].args).to.deep.equal([
            "--disable-hot-restart",
            "--log-level debug",
            "--component-log-level",
            "upstream:debug",
        ]);
    });

    it("refuses a final bootstrap whose cluster lost the proxy's keepalive, naming the cluster", () => {
        const values = load("gloo-mtls.yaml");
        const result = renderValues([values]);
        const p = resolveProxies(result.values)[0];
        const ctx = { proxyName: "gateway-proxy", namespace: "gloo-system", clusterDomain: "cluster.local" };
        const bootstrap = JSON.parse(JSON.stringify(result.proxies[0].bootstrap)) as Json;
        expect(keepaliveKeptIssues(p, bootstrap, ctx)).to.deep.equal([]);
        delete bootstrap.static_resources.clusters[1].upstream_connection_options;
        delete bootstrap.static_resources.clusters[0].typed_extension_protocol_options;
        expect(keepaliveKeptIssues(p, bootstrap, ctx).map((i) => i.message)).to.deep.equal([
            'cluster "gateway_proxy_sds" lost the proxy\'s tcp_keepalive',
            "lost the xDS HTTP/2 connection_keepalive",
        ]);
    });

    it("names what it renders no more as not rendered, and still names extraListenersHelper", () => {
        const values = {
            ...load("gloo-mtls.yaml"),
            gatewayProxies: { gatewayProxy: { extraListenersHelper: "my.listeners", readConfigMulticluster: true, envoyLogLevel: "info" } },
        };
        const { notRendered } = renderValues([values]);
        expect(notRendered).to.include.members(["gatewayProxies.gatewayProxy.extraListenersHelper"]);
        // readConfigMulticluster renders the config-dump Service (components/render/proxy-extras.ts).
        expect(notRendered.filter((p) => /glooMtls|envoyLogLevel|readConfigMulticluster/.test(p))).to.deep.equal([]);
    });

    for (const bin of helmBinaries()) {
        describe(`against the Gloo 1.22 chart (Helm ${bin.version})`, function () {
            this.timeout(120_000);
            /** Each fixture's two helm runs, started before the tests, HELM_JOBS at a time (test/helm-pool.ts). */
            const rendered = new Map<string, Promise<() => [HelmRun, KubernetesObject[]]>>();
            before(() => {
                for (const fixture of fixtures) {
                    const both = [
                        helmTemplateAsync(bin, load(fixture), { release: "gloo" }),
                        glooTemplateAsync(bin, load(fixture)),
                    ] as const;
                    rendered.set(fixture, ahead(Promise.all(both)));
                }
            });
            for (const fixture of fixtures) {
                it(`renders ${fixture} as Gloo does, the chart as the library`, async () => {
                    const values = load(fixture);
                    const [run, gloo] = (await rendered.get(fixture)!)();
                    const library = libraryObjects(values, { release: "gloo" }).filter(notUpstream);
                    expect(run.status, run.stderr).to.equal(0);
                    expect(objectDiffs(library, run.objects.filter(notUpstream)), "our chart vs the library").to.deep.equal([]);
                    expect(glooDiffs(library, gloo), "the Gloo chart vs ours").to.deep.equal([]);
                });
            }

            it("fails, naming the path, when the mesh template changes what Gloo renders", () => {
                const broken = brokenChart([["_mesh.tpl", '"DISABLE_ENVOY" "value" "true"', '"DISABLE_ENVOY" "value" "false"']]);
                const values = load("istio-integration-sidecars.yaml");
                const run = helmTemplate(bin, values, { release: "gloo", chart: broken });
                const diffs = glooDiffs(run.objects, glooTemplate(bin, values));
                expect(diffs, JSON.stringify(diffs)).to.include(
                    'Deployment/gloo-system/gateway-proxy.spec.template.spec.containers.2.env.14.value: ours "false" != gloo "true"',
                );
            });
        });
    }
});
