/**
 * The Envoy Cluster schema in the chart's values.schema.json (scripts/envoy-json-schema.ts)
 * against the library's descriptor walker, case by case on one static cluster: what the library
 * accepts, the schema accepts; what it refuses for a reason JSON Schema can say, the schema
 * refuses at the same value path; and so for the raw Gateway values (Gloo CRD), the tracing
 * clusters and provider and the bootstrap values (Envoy's Bootstrap fields) of a proxy entry.
 * Checked with ajv here; test/hostile-values.test.ts checks it with Helm 3 and Helm 4.
 */
import Ajv, { type ErrorObject } from "ajv";
import { expect } from "chai";
import { readFileSync } from "fs";
import * as path from "path";
import { renderValues } from "../components/render/render";
import { ValuesError } from "../components/values/values";

const SCHEMA = JSON.parse(readFileSync(path.join(__dirname, "..", "charts", "gateway-proxy", "values.schema.json"), "utf8")) as object;
const AT = "gatewayProxies.edge.envoyStaticClusters[0]";

const base = (): Record<string, unknown> => ({
    name: "a",
    connect_timeout: "1s",
    type: "STRICT_DNS",
    load_assignment: {
        cluster_name: "a",
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: "a.example.com", port_value: 8080 } } } }] }],
    },
});

const tls = (type: string) => ({ name: "envoy.transport_sockets.tls", typed_config: { "@type": `type.googleapis.com/${type}` } });

/** A change to the base cluster, and the path under it the library refuses (undefined: accepted). */
const CASES: { what: string; change: Record<string, unknown>; refused?: string }[] = [
    { what: "the base cluster", change: {} },
    { what: "lowerCamelCase names", change: { perConnectionBufferLimitBytes: 1024, dnsLookupFamily: "V4_ONLY" } },
    { what: "a wrapper as a string", change: { per_connection_buffer_limit_bytes: "1024" } },
    { what: "an enum by number", change: { lb_policy: 1 } },
    { what: "a null (unset) field", change: { lb_policy: null } },
    { what: "a 64-bit integer as a string", change: { common_lb_config: { consistent_hashing_lb_config: { hash_balance_factor: 150 } } } },
    { what: "a Duration with nanos", change: { connect_timeout: "0.250s" } },
    { what: "a TLS transport socket", change: { transport_socket: tls("envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext") } },
    {
        what: "HTTP/2 protocol options",
        change: {
            typed_extension_protocol_options: {
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                    "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                    explicit_http_config: { http2_protocol_options: {} },
                },
            },
        },
    },
    { what: "an unknown field", change: { conect_timeout: "1s" }, refused: "conect_timeout" },
    { what: "an unknown enum name", change: { lb_policy: "ROUND_ROBBIN" }, refused: "lb_policy" },
    { what: "an enum number out of int32", change: { lb_policy: 2 ** 40 }, refused: "lb_policy" },
    { what: "a Duration in words", change: { connect_timeout: "5 seconds" }, refused: "connect_timeout" },
    { what: "a zero connect timeout (gt 0)", change: { connect_timeout: "0s" }, refused: "connect_timeout" },
    { what: "a negative uint32", change: { per_connection_buffer_limit_bytes: -1 }, refused: "per_connection_buffer_limit_bytes" },
    { what: "a uint32 out of range", change: { per_connection_buffer_limit_bytes: 2 ** 32 }, refused: "per_connection_buffer_limit_bytes" },
    { what: "a bool as a string", change: { respect_dns_ttl: "yes" }, refused: "respect_dns_ttl" },
    { what: "a list where a message goes", change: { load_assignment: [] }, refused: "load_assignment" },
    {
        what: "two members of one oneof",
        change: { cluster_type: { name: "envoy.clusters.aggregate", typed_config: {} } },
        refused: "cluster_type",
    },
    {
        what: "an unknown field inside a transport socket's config",
        change: {
            transport_socket: {
                ...tls("envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext"),
                typed_config: { ...tls("envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext").typed_config, snii: "x" },
            },
        },
        refused: "transport_socket.typed_config.snii",
    },
    {
        what: "an @type that is no Envoy message",
        change: { transport_socket: tls("envoy.extensions.transport_sockets.tls.v3.NoSuchContext") },
        refused: 'transport_socket.typed_config["@type"]',
    },
    {
        what: "a port above 65535 (lte)",
        change: {
            load_assignment: {
                cluster_name: "a",
                endpoints: [
                    { lb_endpoints: [{ endpoint: { address: { socket_address: { address: "a.example.com", port_value: 70000 } } } }] },
                ],
            },
        },
        refused: "load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value",
    },
];

/** The value paths the library refuses a proxy entry `edge` at (without the bootstrap path it adds). */
function libraryEntryPaths(edge: Record<string, unknown>): string[] {
    try {
        renderValues([{ gatewayProxies: { edge } }]);
        return [];
    } catch (e) {
        if (!(e instanceof ValuesError)) throw e;
        return e.issues.map((i) => i.path.replace(/ \(bootstrap .*\)$/, ""));
    }
}

const libraryPaths = (cluster: Record<string, unknown>): string[] => libraryEntryPaths({ envoyStaticClusters: [cluster] });

/** ajv's instance path (`/gatewayProxies/edge/envoyStaticClusters/0/x`) in the library's spelling, its first `skip` keys left out. */
function schemaPath(error: ErrorObject, skip = 4): string {
    const segments = error.instancePath
        .split("/")
        .slice(1 + skip)
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (error.keyword === "additionalProperties") segments.push((error.params as { additionalProperty: string }).additionalProperty);
    if (error.keyword === "required") segments.push((error.params as { missingProperty: string }).missingProperty);
    return segments
        .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z_]\w*$/.test(s) ? `${i === 0 ? "" : "."}${s}` : `["${s}"]`))
        .join("");
}

describe("the chart's Envoy Cluster schema", function () {
    this.timeout(120_000);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);

    for (const c of CASES) {
        it(`${c.refused ? "refuses" : "accepts"} ${c.what}, as the library does`, () => {
            const cluster = { ...base(), ...c.change };
            const library = libraryPaths(cluster);
            expect(library, "the library").to.deep.equal(c.refused ? [`${AT}.${c.refused}`.replace(/\.\[/g, "[")] : []);
            const ok = validate({ gatewayProxies: { edge: { envoyStaticClusters: [cluster] } }, k8s: { clusterName: "cluster.local" } });
            const paths = (validate.errors ?? [])
                .filter((e) => e.instancePath.startsWith("/gatewayProxies/edge/envoyStaticClusters/0"))
                .map((e) => schemaPath(e));
            if (!c.refused) expect(paths, JSON.stringify(validate.errors?.slice(0, 3))).to.deep.equal([]);
            else {
                expect(ok).to.equal(false);
                expect(paths).to.include(c.refused);
            }
        });
    }
});

const EDGE = "gatewayProxies.edge";
const zipkin = { name: "zipkin", type: "STRICT_DNS", connect_timeout: "1s" };
const fixedHeap = {
    name: "envoy.resource_monitors.fixed_heap",
    typed_config: {
        "@type": "type.googleapis.com/envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig",
        max_heap_size_bytes: 1000,
    },
};
const wasm = { "@type": "type.googleapis.com/envoy.extensions.wasm.v3.WasmService", singleton: true };

/** A proxy entry beyond its static clusters, and the path under it the library refuses (undefined: accepted). */
const ENTRY_CASES: { what: string; edge: Record<string, unknown>; refused?: string }[] = [
    { what: "a custom http Gateway", edge: { gatewaySettings: { customHttpGateway: { virtualServiceSelector: { gateway: "public" } } } } },
    {
        what: "an unknown field in a custom http Gateway",
        edge: { gatewaySettings: { customHttpGateway: { virtualServiceSelecter: { gateway: "public" } } } },
        refused: "gatewaySettings.customHttpGateway.virtualServiceSelecter",
    },
    {
        what: "a list of the wrong type in a custom https Gateway",
        edge: { gatewaySettings: { customHttpsGateway: { virtualServices: "all" } } },
        refused: "gatewaySettings.customHttpsGateway.virtualServices",
    },
    {
        what: "a hybrid Gateway",
        edge: {
            gatewaySettings: {
                httpHybridGateway: {
                    hybridGateway: {
                        matchedGateways: [
                            { matcher: { sourcePrefixRanges: [{ addressPrefix: "10.0.0.0", prefixLen: 8 }] }, httpGateway: {} },
                        ],
                    },
                },
            },
        },
    },
    {
        what: "an unknown field in an https hybrid Gateway's matcher",
        edge: { gatewaySettings: { httpsHybridGateway: { hybridGateway: { matchedGateways: [{ matcher: { sourcePrefixRange: [] } }] } } } },
        refused: "gatewaySettings.httpsHybridGateway.hybridGateway.matchedGateways[0].matcher.sourcePrefixRange",
    },
    {
        what: "an access logging service",
        edge: { gatewaySettings: { accessLoggingService: { accessLog: [{ fileSink: { path: "/dev/stdout", stringFormat: "" } }] } } },
    },
    {
        what: "an access log that is not a list",
        edge: { gatewaySettings: { accessLoggingService: { accessLog: { fileSink: { path: "/dev/stdout" } } } } },
        refused: "gatewaySettings.accessLoggingService.accessLog",
    },
    {
        what: "a Gateway kube override of the spec and labels",
        edge: {
            gatewaySettings: {
                httpsGatewayKubeOverride: {
                    metadata: { labels: { tier: "1" } },
                    spec: { options: { perConnectionBufferLimitBytes: 1024 } },
                },
            },
        },
    },
    {
        what: "a Gateway kube override that changes the apiVersion",
        edge: { gatewaySettings: { httpsGatewayKubeOverride: { apiVersion: "v1" } } },
        refused: "gatewaySettings.httpsGatewayKubeOverride.apiVersion",
    },
    {
        what: "a Gateway kube override with a label that is not a string",
        edge: { gatewaySettings: { httpGatewayKubeOverride: { metadata: { labels: { tier: 1 } } } } },
        refused: "gatewaySettings.httpGatewayKubeOverride.metadata.labels.tier",
    },
    {
        what: "a Gateway kube override with a name Kubernetes refuses",
        edge: { gatewaySettings: { httpGatewayKubeOverride: { metadata: { name: "Edge_Gateway" } } } },
        refused: "gatewaySettings.httpGatewayKubeOverride.metadata.name",
    },
    {
        what: "an unknown field in the failover Gateway's kube override",
        edge: { failover: { enabled: true, kubeResourceOverride: { spec: { tcpGateway: { tcpHost: [] } } } } },
        refused: "failover.kubeResourceOverride.spec.tcpGateway.tcpHost",
    },
    {
        what: "a tracing cluster and provider",
        edge: {
            tracing: {
                cluster: [zipkin],
                provider: {
                    zipkinConfig: {
                        collectorEndpoint: "/api/v2/spans",
                        collectorUpstreamRef: { name: "zipkin", namespace: "gloo-system" },
                    },
                },
            },
        },
    },
    {
        what: "an unknown field in a tracing cluster",
        edge: { tracing: { cluster: [{ ...zipkin, conect_timeout: "1s" }] } },
        refused: "tracing.cluster[0].conect_timeout",
    },
    {
        what: "a tracing provider of the wrong type",
        edge: { tracing: { provider: { requestHeadersForTags: "x-user" } } },
        refused: "tracing.provider.requestHeadersForTags",
    },
    { what: "a bootstrap extension", edge: { envoyBootstrapExtensions: [{ name: "wasm", typed_config: wasm }] } },
    {
        what: "a bootstrap extension of an unknown type",
        edge: { envoyBootstrapExtensions: [{ name: "my.ext", typed_config: { "@type": "type.googleapis.com/example.Unknown" } }] },
        refused: 'envoyBootstrapExtensions[0].typed_config["@type"]',
    },
    {
        what: "a bootstrap extension without its config",
        edge: { envoyBootstrapExtensions: [{ name: "my.ext" }] },
        refused: "envoyBootstrapExtensions[0].typed_config",
    },
    { what: "stats tags", edge: { envoyStatsConfig: { stats_tags: [{ tag_name: "a", regex: "^a\\.(.+)$" }] } } },
    {
        what: "an unknown field in the stats config",
        edge: { envoyStatsConfig: { stats_tag: [] } },
        refused: "envoyStatsConfig.stats_tag",
    },
    {
        what: "an enabled overload manager",
        edge: {
            envoyOverloadManager: {
                enabled: true,
                bufferFactoryConfig: { minimumAccountToTrackPowerOfTwo: 20 },
                resourceMonitors: [fixedHeap],
            },
        },
    },
    { what: "a disabled overload manager, unchecked", edge: { envoyOverloadManager: { enabled: false, refreshInterval: "5 s" } } },
    {
        what: "an enabled overload manager without a buffer factory config (Gloo renders {})",
        edge: { envoyOverloadManager: { enabled: true, resourceMonitors: [fixedHeap] } },
        refused: "envoyOverloadManager.bufferFactoryConfig",
    },
    {
        what: "an enabled overload manager without resource monitors",
        edge: { envoyOverloadManager: { enabled: true, bufferFactoryConfig: { minimum_account_to_track_power_of_two: 20 } } },
        refused: "envoyOverloadManager.resourceMonitors",
    },
    {
        what: "an overload manager's refresh interval in words",
        edge: {
            envoyOverloadManager: {
                enabled: true,
                refreshInterval: "5 seconds",
                bufferFactoryConfig: { minimumAccountToTrackPowerOfTwo: 20 },
                resourceMonitors: [fixedHeap],
            },
        },
        refused: "envoyOverloadManager.refreshInterval",
    },
];

describe("the chart's schema of the raw Gateway and bootstrap values", function () {
    this.timeout(120_000);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);

    for (const c of ENTRY_CASES) {
        it(`${c.refused ? "refuses" : "accepts"} ${c.what}, as the library does`, () => {
            expect(libraryEntryPaths(c.edge), "the library").to.deep.equal(c.refused ? [`${EDGE}.${c.refused}`] : []);
            const ok = validate({ gatewayProxies: { edge: c.edge }, k8s: { clusterName: "cluster.local" } });
            const paths = (validate.errors ?? [])
                .filter((e) => e.instancePath.startsWith("/gatewayProxies/edge"))
                .map((e) => schemaPath(e, 2));
            if (!c.refused) expect(paths, JSON.stringify(validate.errors?.slice(0, 3))).to.deep.equal([]);
            else {
                expect(ok).to.equal(false);
                expect(paths).to.include(c.refused);
            }
        });
    }
});
