import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import { tmpdir } from "os";
import * as path from "path";
import { renderValues, type RenderResult } from "../components/render/render";
import { parseYamlFile, readStackConfig } from "../components/values/read";
import { checkGlooObject } from "../components/checks/gloo-crds";
import type { KubernetesObject } from "../components/render/manifests";
import { runCli } from "./cli-harness";

const seed = (name: string) => parseYamlFile(path.join(__dirname, "fixtures", "seed", `${name}.yaml`));

type Cluster = {
    name: string;
    upstream_connection_options?: { tcp_keepalive?: Record<string, number> };
    load_assignment: { endpoints: { lb_endpoints: { endpoint: { address: { socket_address: { port_value: number } } } }[] }[] };
};
const clusters = (r: RenderResult, proxy = 0) => (r.proxies[proxy].bootstrap.static_resources as { clusters: Cluster[] }).clusters;
const cluster = (r: RenderResult, name: string) => clusters(r).find((c) => c.name === name) as Cluster;
const ofKind = (r: RenderResult, kind: string) => r.objects.filter((o) => o.kind === kind);
const spec = (o: KubernetesObject) => o.spec as Record<string, unknown>;

describe("render: the seed page's three examples", () => {
    it("downstream 60/20/2 gives the four socket options at STATE_PREBIND on both Gateways", () => {
        const r = renderValues([seed("downstream")]);
        const gateways = ofKind(r, "Gateway");
        expect(gateways.map((g) => g.metadata.name)).to.deep.equal(["gateway-proxy", "gateway-proxy-ssl"]);
        for (const g of gateways) {
            const options = (spec(g).options as { socketOptions: { level: number; name: number; intValue: number; state: string }[] })
                .socketOptions;
            expect(options.map((o) => [o.level, o.name, o.intValue, o.state])).to.deep.equal([
                [1, 9, 1, "STATE_PREBIND"],
                [6, 4, 60, "STATE_PREBIND"],
                [6, 5, 20, "STATE_PREBIND"],
                [6, 6, 2, "STATE_PREBIND"],
            ]);
        }
        expect(gateways.map((g) => spec(g).bindPort)).to.deep.equal([8080, 8443]);
        expect(gateways.map((g) => spec(g).ssl)).to.deep.equal([false, true]);
    });

    it("upstream 60/20/2 gives Duration strings and an integer probe count", () => {
        const r = renderValues([seed("upstream")]);
        const [upstream] = ofKind(r, "Upstream");
        expect(spec(upstream).connectionConfig).to.deep.equal({
            tcpKeepalive: { keepaliveTime: "60s", keepaliveInterval: "20s", keepaliveProbes: 2 },
        });
        expect(upstream.metadata).to.include({ name: "petstore", namespace: "gloo-system" });
    });

    it("a static cluster on a proxy with tcpKeepaliveTimeSeconds 60 carries keepalive_time 60", () => {
        const r = renderValues([seed("static-cluster")]);
        expect(cluster(r, "ext_auth").upstream_connection_options).to.deep.equal({ tcp_keepalive: { keepalive_time: 60 } });
    });
});

describe("render: bootstrap", () => {
    it("puts the proxy's time/interval/probes on every static cluster, built-in and user", () => {
        const r = renderValues([
            {
                gatewayProxies: {
                    gatewayProxy: {
                        tcpKeepaliveTimeSeconds: 30,
                        tcpKeepaliveIntervalSeconds: 5,
                        tcpKeepaliveProbes: 4,
                        readConfig: true,
                        envoyStaticClusters: (
                            seed("static-cluster") as { gatewayProxies: { gatewayProxy: { envoyStaticClusters: unknown[] } } }
                        ).gatewayProxies.gatewayProxy.envoyStaticClusters,
                    },
                },
            },
        ]);
        const names = clusters(r).map((c) => c.name);
        expect(names).to.deep.equal([
            "gloo.gloo-system.svc.cluster.local:9977",
            "rest_xds_cluster",
            "wasm-cache",
            "admin_port_cluster",
            "ext_auth",
        ]);
        for (const c of clusters(r)) {
            expect(c.upstream_connection_options, c.name).to.deep.equal({
                tcp_keepalive: { keepalive_time: 30, keepalive_interval: 5, keepalive_probes: 4 },
            });
        }
    });

    it("lets a static cluster's own tcp_keepalive fields win, field by field", () => {
        const base = (seed("static-cluster") as { gatewayProxies: { gatewayProxy: { envoyStaticClusters: Record<string, unknown>[] } } })
            .gatewayProxies.gatewayProxy.envoyStaticClusters[0];
        const own = { ...base, upstream_connection_options: { tcp_keepalive: { keepalive_probes: 7 } } };
        const r = renderValues([
            { gatewayProxies: { gatewayProxy: { tcpKeepaliveTimeSeconds: 45, tcpKeepaliveProbes: 2, envoyStaticClusters: [own] } } },
        ]);
        expect(cluster(r, "ext_auth").upstream_connection_options?.tcp_keepalive).to.deep.equal({
            keepalive_time: 45,
            keepalive_probes: 7,
        });
    });

    it("moves the xDS and the REST xDS endpoint with xdsServicePort, and never renames the xDS cluster (as Gloo)", () => {
        const r = renderValues([
            { gatewayProxies: { gatewayProxy: { xdsServicePort: 19977, xdsServiceAddress: "gloo.gloo-system.svc" } } },
        ]);
        const port = (c: Cluster) => c.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value;
        expect(port(cluster(r, "gloo.gloo-system.svc.cluster.local:9977"))).to.equal(19977);
        expect(port(cluster(r, "rest_xds_cluster"))).to.equal(19977);
        const ads = (
            r.proxies[0].bootstrap.dynamic_resources as { ads_config: { grpc_services: { envoy_grpc: { cluster_name: string } }[] } }
        ).ads_config;
        expect(ads.grpc_services[0].envoy_grpc.cluster_name).to.equal("gloo.gloo-system.svc.cluster.local:9977");
        const renamed = renderValues([{ gloo: { deployment: { xdsPort: 19000, restXdsPort: 19001 } } }]);
        expect(port(cluster(renamed, "gloo.gloo-system.svc.cluster.local:19000"))).to.equal(19000);
        expect(port(cluster(renamed, "rest_xds_cluster"))).to.equal(19001);
    });

    it("keeps Gloo's node role and full xDS address for a proxy in another namespace", () => {
        const r = renderValues([{ settings: { writeNamespace: "gloo-control" }, gatewayProxies: { gatewayProxy: { namespace: "edge" } } }]);
        const b = r.proxies[0].bootstrap as { node: { metadata: { role: string } } };
        expect(b.node.metadata.role).to.equal("gloo-control~gateway-proxy");
        const address = (c: Cluster) =>
            (c.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address as { address?: string }).address;
        expect(address(cluster(r, "gloo.gloo-system.svc.cluster.local:9977"))).to.equal("gloo.gloo-system.svc.cluster.local");
        expect(r.objects.filter((o) => o.kind === "Deployment").map((o) => o.metadata.namespace)).to.deep.equal(["edge"]);
    });

    it("puts HTTP/2 PING keepalive on the xDS cluster only when asked", () => {
        const without = renderValues([{}]);
        const opts = (r: RenderResult) => JSON.stringify(clusters(r)[0]);
        expect(opts(without)).to.not.include("connection_keepalive");
        const withPing = renderValues([
            { gatewayProxies: { gatewayProxy: { xdsHttp2Keepalive: { intervalSeconds: 30, timeoutSeconds: 5 } } } },
        ]);
        const xds = clusters(withPing)[0] as unknown as {
            alt_stat_name: string;
            typed_extension_protocol_options: Record<string, { explicit_http_config: { http2_protocol_options: unknown } }>;
        };
        expect(xds.alt_stat_name).to.equal("xds_cluster");
        expect(
            xds.typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].explicit_http_config
                .http2_protocol_options,
        ).to.deep.equal({ connection_keepalive: { interval: "30s", timeout: "5s" } });
        expect(JSON.stringify(clusters(withPing)[1])).to.not.include("connection_keepalive");
    });

    it("uses the loopback address for admin and names the node role after namespace and proxy", () => {
        const r = renderValues([{ gatewayProxies: { gatewayProxy: { loopBackAddress: "::1" } } }], { namespace: "edge-ns" });
        const b = r.proxies[0].bootstrap as { admin: unknown; node: { metadata: { role: string } } };
        expect(b.admin).to.deep.equal({ access_log_path: "/dev/null", address: { socket_address: { address: "::1", port_value: 19000 } } });
        expect(b.node.metadata.role).to.equal("edge-ns~gateway-proxy");
        expect(clusters(r)[0].name).to.equal("gloo.edge-ns.svc.cluster.local:9977");
    });
});

describe("render: values in Gloo's shape", () => {
    it("merges every entry over gatewayProxy, lists replaced, and renders each enabled proxy", () => {
        const r = renderValues([
            {
                gatewayProxies: {
                    gatewayProxy: {
                        tcpKeepaliveTimeSeconds: 90,
                        extraEnvoyArgs: ["--a"],
                        gatewaySettings: { tcpKeepalive: { timeSeconds: 50 } },
                    },
                    publicGw: { tcpKeepaliveProbes: 3, extraEnvoyArgs: ["--b"] },
                    internalGw: { disabled: true },
                },
            },
        ]);
        expect(r.proxies.map((p) => p.name)).to.deep.equal(["gateway-proxy", "public-gw"]);
        const pub = r.proxies[1].values;
        expect(pub.tcpKeepaliveTimeSeconds).to.equal(90);
        expect(pub.tcpKeepaliveProbes).to.equal(3);
        expect(pub.extraEnvoyArgs).to.deep.equal(["--b"]);
        expect(pub.gatewaySettings?.tcpKeepalive).to.deep.equal({ timeSeconds: 50 });
    });

    it("accepts the Enterprise nesting gloo.gatewayProxies", () => {
        const r = renderValues([{ gloo: { gatewayProxies: { gatewayProxy: { tcpKeepaliveTimeSeconds: 25 } } } }]);
        expect(clusters(r)[0].upstream_connection_options?.tcp_keepalive).to.deep.equal({ keepalive_time: 25 });
    });

    it("lets later values files override earlier ones, and null remove a chart default, as helm does", () => {
        const r = renderValues([
            { gatewayProxies: { gatewayProxy: { tcpKeepaliveTimeSeconds: 10, tcpKeepaliveProbes: 5 } } },
            { gatewayProxies: { gatewayProxy: { tcpKeepaliveTimeSeconds: 20 } } },
        ]);
        expect(clusters(r)[0].upstream_connection_options?.tcp_keepalive).to.deep.equal({ keepalive_time: 20, keepalive_probes: 5 });
        const noTime = renderValues([{ gatewayProxies: { gatewayProxy: { tcpKeepaliveTimeSeconds: null } } }]);
        expect(clusters(noTime)[0].upstream_connection_options?.tcp_keepalive).to.deep.equal({});
        // A null with no chart default under it stays, and the schema refuses it (helm does the same).
        expect(() =>
            renderValues([
                { gatewayProxies: { gatewayProxy: { tcpKeepaliveProbes: 5 } } },
                { gatewayProxies: { gatewayProxy: { tcpKeepaliveProbes: null } } },
            ]),
        ).to.throw("gatewayProxies.gatewayProxy.tcpKeepaliveProbes: must be an integer, got null");
    });

    it("renders Darwin socket-option numbers on request", () => {
        const r = renderValues([
            {
                gatewayProxies: {
                    gatewayProxy: {
                        gatewaySettings: {
                            socketOptionsPlatform: "darwin",
                            tcpKeepalive: { timeSeconds: 60, intervalSeconds: 20, probes: 2 },
                        },
                    },
                },
            },
        ]);
        const options = (spec(ofKind(r, "Gateway")[0]).options as { socketOptions: { level: number; name: number }[] }).socketOptions;
        expect(options.map((o) => [o.level, o.name])).to.deep.equal([
            [0xffff, 0x8],
            [6, 0x10],
            [6, 0x101],
            [6, 0x102],
        ]);
    });

    it("keeps the user's raw listener options and appends the typed keepalive", () => {
        const raw = { description: "reuse port", level: 1, name: 15, intValue: 1, state: "STATE_PREBIND" };
        const r = renderValues([
            {
                gatewayProxies: {
                    gatewayProxy: {
                        gatewaySettings: {
                            options: { perConnectionBufferLimitBytes: 32768, socketOptions: [raw] },
                            tcpKeepalive: { timeSeconds: 60 },
                        },
                    },
                },
            },
        ]);
        const options = spec(ofKind(r, "Gateway")[0]).options as {
            perConnectionBufferLimitBytes: number;
            socketOptions: { name: number }[];
        };
        expect(options.perConnectionBufferLimitBytes).to.equal(32768);
        expect(options.socketOptions.map((o) => o.name)).to.deep.equal([15, 9, 4]);
    });

    it("warns where a keepalive time is not below the load balancer idle timeout, and when downstream has none", () => {
        const r = renderValues([
            {
                gatewayProxies: {
                    gatewayProxy: { loadBalancerIdleTimeoutSeconds: 350, gatewaySettings: { tcpKeepalive: { timeSeconds: 400 } } },
                },
            },
        ]);
        expect(r.warnings.join("\n")).to.include(
            "downstream gateway-proxy: keepalive time 400s is not below the load balancer idle timeout 350s",
        );
        const none = renderValues([{ gatewayProxies: { gatewayProxy: { loadBalancerIdleTimeoutSeconds: 350 } } }]);
        expect(none.warnings.join("\n")).to.include("downstream gateway-proxy: no keepalive");
        expect(renderValues([{}]).warnings).to.deep.equal([]);
    });
});

describe("render command", () => {
    it("renders the dev stack by default shape: values.yaml, one bootstrap per proxy, manifests.yaml", () => {
        const out = path.join(mkdtempSync(path.join(tmpdir(), "gk-")), "dev");
        const run = runCli(["render", "--stack", "dev", "--out", out]);
        expect(run.status, run.stderr).to.equal(0);
        expect(readdirSync(out).sort()).to.deep.equal(["envoy", "manifests.yaml", "values.yaml"]);
        expect(readdirSync(path.join(out, "envoy"))).to.deep.equal(["gateway-proxy.yaml"]);
        const docs = yaml.loadAll(readFileSync(path.join(out, "manifests.yaml"), "utf8")) as KubernetesObject[];
        expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).to.include.members([
            "ConfigMap/gateway-proxy-envoy-config",
            "Gateway/gateway-proxy",
            "Gateway/gateway-proxy-ssl",
            "Upstream/petstore",
        ]);
        const configMap = docs.find((d) => d.kind === "ConfigMap") as KubernetesObject & { data: Record<string, string> };
        expect(yaml.load(configMap.data["envoy.yaml"])).to.deep.equal(
            yaml.load(readFileSync(path.join(out, "envoy", "gateway-proxy.yaml"), "utf8")),
        );
        const values = yaml.load(readFileSync(path.join(out, "values.yaml"), "utf8")) as {
            gatewayProxies: { gatewayProxy: { healthyPanicThreshold: number; tcpKeepaliveProbes: number } };
        };
        expect(values.gatewayProxies.gatewayProxy).to.include({ healthyPanicThreshold: 50, tcpKeepaliveProbes: 3 });
        expect(run.stdout).to.match(/xds\s+gloo\.gloo-system\.svc\.cluster\.local:9977\s+60\s+20\s+3\s+120/);
    });

    it("layers --values files over a stack, later files winning, and replaces --out whole", () => {
        const dir = mkdtempSync(path.join(tmpdir(), "gk-"));
        const out = path.join(dir, "out");
        expect(runCli(["render", "--stack", "prod", "--out", out]).status).to.equal(0);
        expect(readdirSync(path.join(out, "envoy"))).to.deep.equal(["gateway-proxy.yaml"]);
        const run = runCli([
            "render",
            "--values",
            path.join(__dirname, "fixtures", "seed", "downstream.yaml"),
            "--values",
            path.join(__dirname, "fixtures", "seed", "upstream.yaml"),
            "--out",
            out,
        ]);
        expect(run.status, run.stderr).to.equal(0);
        const docs = yaml.loadAll(readFileSync(path.join(out, "manifests.yaml"), "utf8")) as KubernetesObject[];
        expect(docs.filter((d) => d.kind === "Upstream").map((d) => d.metadata.name)).to.deep.equal(["petstore"]);
        expect(existsSync(path.join(dir, "out.old"))).to.equal(false);
    });

    it("keeps what other commands wrote in --out (explain/) and replaces only its own outputs", () => {
        const out = path.join(mkdtempSync(path.join(tmpdir(), "gk-")), "out");
        expect(runCli(["render", "--stack", "prod", "--out", out]).status).to.equal(0);
        mkdirSync(path.join(out, "explain"));
        writeFileSync(path.join(out, "explain", "gateway-proxy.svg"), "<svg/>");
        writeFileSync(path.join(out, "envoy", "stale.yaml"), "{}");
        expect(runCli(["render", "--stack", "dev", "--out", out]).status).to.equal(0);
        expect(readFileSync(path.join(out, "explain", "gateway-proxy.svg"), "utf8")).to.equal("<svg/>");
        expect(readdirSync(path.join(out, "envoy"))).to.deep.equal(["gateway-proxy.yaml"]);
    });
});

describe("render: rendered Gloo objects against the whole Gloo CRDs", () => {
    it("every Gateway and Upstream of the dev and prod stacks and of raw options passes its CRD, as an API server would check it", () => {
        const raw = {
            gatewayProxies: {
                gatewayProxy: {
                    gatewaySettings: {
                        socketOptionsPlatform: "darwin",
                        tcpKeepalive: { timeSeconds: 1, intervalSeconds: 32767, probes: 127 },
                        options: {
                            perConnectionBufferLimitBytes: 1024,
                            socketOptions: [{ description: "reuse", level: 1, name: 15, intValue: 1, state: "STATE_PREBIND" }],
                        },
                    },
                },
            },
        };
        const objects = [readStackConfig("dev").values, readStackConfig("prod").values, raw]
            .flatMap((v) => renderValues([v]).objects)
            .filter((o) => o.apiVersion.includes("solo.io"));
        expect(objects.map((o) => o.kind)).to.include.members(["Gateway", "Upstream"]);
        for (const o of objects)
            expect(
                checkGlooObject(o as unknown as { apiVersion: string; kind: string; spec: unknown }),
                `${o.kind}/${o.metadata.name}`,
            ).to.deep.equal([]);
        const broken = { ...ofKind(renderValues([seed("downstream")]), "Gateway")[0] };
        broken.spec = { ...spec(broken), bindPort: "8080x" };
        expect(checkGlooObject(broken as unknown as { apiVersion: string; kind: string; spec: unknown }).map((i) => i.path)).to.deep.equal([
            "bindPort",
        ]);
    });
});

describe("bootstrap text (Helm's toPrettyJson, byte for byte)", () => {
    it("sorts keys in UTF-8 byte order and escapes as Go does", async () => {
        const { goPrettyJson } = await import("../components/render/canonical-json");
        expect(goPrettyJson({ b: 1, a: "<&>\u2028\b\f\\b", "\u{1F600}": 1, "\uFFFD": 2, B: [] })).to.equal(
            '{\n  "B": [],\n  "a": "\\u003c\\u0026\\u003e\\u2028\\u0008\\u000c\\\\b",\n  "b": 1,\n  "\uFFFD": 2,\n  "\u{1F600}": 1\n}',
        );
    });
});

describe("render: the strict Envoy check is remembered per bootstrap", () => {
    it("reports the same issue at the right path however often the same bootstrap is rendered", () => {
        const bad = (proxy: string) => ({
            gatewayProxies: {
                [proxy]: {
                    envoyStaticClusters: [
                        { name: "a", connect_timeout: "0s", type: "STATIC", load_assignment: { cluster_name: "a", endpoints: [] } },
                    ],
                },
            },
        });
        for (const proxy of ["gatewayProxy", "gatewayProxy", "edge"]) {
            expect(() => renderValues([bad(proxy)])).to.throw(`gatewayProxies.${proxy}.envoyStaticClusters[0].connect_timeout`);
        }
    });
});

describe("render: release inputs", () => {
    it("refuses a release name or namespace Kubernetes would refuse, naming which", () => {
        expect(() => renderValues([{}], { namespace: "Bad_NS" })).to.throw('namespace: "Bad_NS" is not a valid namespace');
        expect(() => renderValues([{}], { releaseName: "REL!" })).to.throw('release name: "REL!" is not a valid release name');
        expect(renderValues([{}], { releaseName: "edge.v2", namespace: "edge" }).objects.length).to.be.greaterThan(0);
    });
});
