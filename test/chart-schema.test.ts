/**
 * The Envoy Cluster schema in the chart's values.schema.json (scripts/envoy-json-schema.ts)
 * against the library's descriptor walker, case by case on one static cluster: what the library
 * accepts, the schema accepts; what it refuses for a reason JSON Schema can say, the schema
 * refuses at the same value path. Checked with ajv here; test/hostile-values.test.ts checks it
 * with Helm 3 and Helm 4.
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

function libraryPaths(cluster: Record<string, unknown>): string[] {
    try {
        renderValues([{ gatewayProxies: { edge: { envoyStaticClusters: [cluster] } } }]);
        return [];
    } catch (e) {
        if (!(e instanceof ValuesError)) throw e;
        return e.issues.map((i) => i.path);
    }
}

/** ajv's instance path (`/gatewayProxies/edge/envoyStaticClusters/0/x`) in the library's spelling. */
function schemaPath(error: ErrorObject): string {
    const segments = error.instancePath
        .split("/")
        .slice(5)
        .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (error.keyword === "additionalProperties") segments.push((error.params as { additionalProperty: string }).additionalProperty);
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
                .map(schemaPath);
            if (!c.refused) expect(paths, JSON.stringify(validate.errors?.slice(0, 3))).to.deep.equal([]);
            else {
                expect(ok).to.equal(false);
                expect(paths).to.include(c.refused);
            }
        });
    }
});
