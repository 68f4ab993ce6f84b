import { expect } from "chai";
import { execFileSync } from "child_process";
import * as path from "path";
import * as yaml from "js-yaml";
import { envoyRegistry, validateEnvoyBootstrap, validateEnvoyMessage, type EnvoyIssue } from "../components/checks/envoy/validate";
import { stringRules } from "../components/checks/envoy/string-rules";

const CLUSTER = "envoy.config.cluster.v3.Cluster";
const BASE = "gatewayProxies.edge.envoyStaticClusters[2]";

/** The xDS/ADS bootstrap a Gloo gateway proxy runs with, as Envoy YAML. */
const BOOTSTRAP_YAML = `
node:
  id: gateway-proxy-edge
  cluster: gateway
  metadata:
    role: gloo-system~gateway-proxy
dynamic_resources:
  ads_config:
    api_type: GRPC
    transport_api_version: V3
    rate_limit_settings: {}
    grpc_services:
    - envoy_grpc:
        cluster_name: gloo.gloo-system.svc.cluster.local:xds
  cds_config:
    resource_api_version: V3
    ads: {}
  lds_config:
    resource_api_version: V3
    ads: {}
static_resources:
  clusters:
  - name: gloo.gloo-system.svc.cluster.local:xds
    type: STRICT_DNS
    connect_timeout: 5.000s
    dns_lookup_family: V4_ONLY
    typed_extension_protocol_options:
      envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
        "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
        explicit_http_config:
          http2_protocol_options:
            connection_keepalive:
              interval: 30s
              timeout: 5s
    upstream_connection_options:
      tcp_keepalive:
        keepalive_time: 60
        keepalive_interval: 10
        keepalive_probes: 3
    load_assignment:
      cluster_name: gloo.gloo-system.svc.cluster.local:xds
      endpoints:
      - lb_endpoints:
        - endpoint:
            address:
              socket_address:
                address: gloo.gloo-system.svc.cluster.local
                port_value: 9977
admin:
  access_log_path: /dev/null
  address:
    socket_address:
      address: 127.0.0.1
      port_value: 19000
layered_runtime:
  layers:
  - name: static_layer
    static_layer:
      overload:
        global_downstream_max_connections: 250000
`;

/** A static upstream cluster with keepalive and TLS (UpstreamTlsContext in an Any). */
function tlsCluster(): Record<string, any> {
    return {
        name: "payments",
        type: "STRICT_DNS",
        connect_timeout: "5s",
        lb_policy: "ROUND_ROBIN",
        upstream_connection_options: {
            tcp_keepalive: { keepalive_time: 120, keepalive_interval: 15, keepalive_probes: 4 },
        },
        load_assignment: {
            cluster_name: "payments",
            endpoints: [
                {
                    lb_endpoints: [{ endpoint: { address: { socket_address: { address: "payments.internal", port_value: 8443 } } } }],
                },
            ],
        },
        transport_socket: {
            name: "envoy.transport_sockets.tls",
            typed_config: {
                "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
                sni: "payments.internal",
                common_tls_context: {
                    alpn_protocols: ["h2", "http/1.1"],
                    tls_params: { tls_minimum_protocol_version: "TLSv1_2" },
                    validation_context: { trusted_ca: { filename: "/etc/ssl/certs/ca-certificates.crt" } },
                },
            },
        },
    };
}

function one(issues: EnvoyIssue[]): EnvoyIssue {
    expect(issues, JSON.stringify(issues, null, 2)).to.have.lengthOf(1);
    return issues[0];
}

describe("envoy-validation", () => {
    describe("registry", () => {
        it("loads the descriptor set once per process, fast", () => {
            const t0 = process.hrtime.bigint();
            const first = envoyRegistry();
            const ms = Number(process.hrtime.bigint() - t0) / 1e6;
            const t1 = process.hrtime.bigint();
            const second = envoyRegistry();
            const againMs = Number(process.hrtime.bigint() - t1) / 1e6;
            console.log(
                `      envoyRegistry(): first call ${ms.toFixed(1)} ms (0 if another test warmed it), second call ${againMs.toFixed(3)} ms`,
            );
            expect(second).to.equal(first);
            expect(first.getMessage("envoy.config.bootstrap.v3.Bootstrap")?.typeName).to.equal("envoy.config.bootstrap.v3.Bootstrap");
            expect(first.getMessage("envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext")).to.not.equal(undefined);
            expect(ms).to.be.below(1000);
        });
    });

    describe("valid configuration", () => {
        it("accepts a minimal ADS bootstrap with an HTTP/2 xDS cluster and TCP keepalive", () => {
            const bootstrap = yaml.load(BOOTSTRAP_YAML);
            expect(validateEnvoyBootstrap(bootstrap, "gatewayProxies.edge")).to.deep.equal([]);
        });

        it("accepts a cluster with a TLS transport_socket (UpstreamTlsContext typed_config)", () => {
            expect(validateEnvoyMessage(CLUSTER, tlsCluster(), BASE)).to.deep.equal([]);
        });

        it("accepts lowerCamelCase JSON names, numeric strings for integers and null as unset", () => {
            const c = tlsCluster();
            c.connectTimeout = c.connect_timeout;
            delete c.connect_timeout;
            c.upstream_connection_options = { tcpKeepalive: { keepaliveTime: "60", keepaliveProbes: 3 } };
            c.transport_socket.typed_config.commonTlsContext = c.transport_socket.typed_config.common_tls_context;
            delete c.transport_socket.typed_config.common_tls_context;
            c.cleanup_interval = null;
            c.health_checks = null;
            c.dns_refresh_rate = undefined; // an omitted key, as JSON.stringify would drop it
            expect(validateEnvoyMessage(CLUSTER, c, BASE)).to.deep.equal([]);
        });
    });

    describe("exactly one issue at the exact path", () => {
        const cases: {
            name: string;
            mutate: (c: Record<string, any>) => void;
            path: string;
            message: string;
        }[] = [
            {
                name: "unknown field, with a did-you-mean",
                mutate: (c) => {
                    c.conect_timeout = c.connect_timeout;
                    delete c.connect_timeout;
                },
                path: `${BASE}.conect_timeout`,
                message: 'unknown field "conect_timeout" (did you mean "connect_timeout"?)',
            },
            {
                name: "typo inside a typed_config Any payload",
                mutate: (c) => {
                    c.transport_socket.typed_config.common_tls_context.alpn_protocol = ["h2"];
                },
                path: `${BASE}.transport_socket.typed_config.common_tls_context.alpn_protocol`,
                message: 'unknown field "alpn_protocol" (did you mean "alpn_protocols"?)',
            },
            {
                name: "bad enum name",
                mutate: (c) => {
                    c.lb_policy = "ROUND_ROBBIN";
                },
                path: `${BASE}.lb_policy`,
                message: '"ROUND_ROBBIN" is not a value of envoy.config.cluster.v3.Cluster.LbPolicy (did you mean "ROUND_ROBIN"?)',
            },
            {
                name: "Duration that is not a proto3 JSON duration",
                mutate: (c) => {
                    c.connect_timeout = "5 seconds";
                },
                path: `${BASE}.connect_timeout`,
                message: '"5 seconds" is not a Duration (expected a string like "5s")',
            },
            {
                name: "negative uint32 (wrapper type)",
                mutate: (c) => {
                    c.upstream_connection_options.tcp_keepalive.keepalive_probes = -1;
                },
                path: `${BASE}.upstream_connection_options.tcp_keepalive.keepalive_probes`,
                message: "-1 is out of range for uint32",
            },
            {
                name: "fractional uint32",
                mutate: (c) => {
                    c.upstream_connection_options.tcp_keepalive.keepalive_interval = 2.5;
                },
                path: `${BASE}.upstream_connection_options.tcp_keepalive.keepalive_interval`,
                message: "2.5 is not an integer (expected uint32)",
            },
            {
                name: "connect_timeout 0s (PGV duration gt 0s)",
                mutate: (c) => {
                    c.connect_timeout = "0s";
                },
                path: `${BASE}.connect_timeout`,
                message: "must be greater than 0s (validate.rules)",
            },
            {
                name: "port_value 70000 (PGV uint32 lte 65535)",
                mutate: (c) => {
                    c.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value = 70000;
                },
                path: `${BASE}.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value`,
                message: "value 70000 must be ≤ 65535 (validate.rules)",
            },
            {
                name: "empty cluster name (PGV string min_len 1)",
                mutate: (c) => {
                    c.name = "";
                },
                path: `${BASE}.name`,
                message: "must not be empty: at least 1 character required (validate.rules)",
            },
            {
                name: "a string where a number belongs",
                mutate: (c) => {
                    c.upstream_connection_options.tcp_keepalive.keepalive_time = "two hours";
                },
                path: `${BASE}.upstream_connection_options.tcp_keepalive.keepalive_time`,
                message: '"two hours" is not a number (expected uint32)',
            },
            {
                name: "unknown @type in typed_config",
                mutate: (c) => {
                    c.transport_socket.typed_config["@type"] =
                        "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.NoSuchContext";
                },
                path: `${BASE}.transport_socket.typed_config["@type"]`,
                message:
                    'unknown type "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.NoSuchContext": ' +
                    "envoy.extensions.transport_sockets.tls.v3.NoSuchContext is not a message type of the Envoy API",
            },
            {
                name: "missing SocketAddress.address (PGV min_len 1 on an absent field)",
                mutate: (c) => {
                    delete c.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address;
                },
                path: `${BASE}.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address`,
                message: "must not be empty (the field is missing): at least 1 character required (validate.rules)",
            },
            {
                name: "two members of one oneof",
                mutate: (c) => {
                    c.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.named_port = "https";
                },
                path: `${BASE}.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.named_port`,
                message: '"named_port" and "port_value" are both set, but they belong to oneof "port_specifier" (only one may be set)',
            },
            {
                name: "the same field in snake_case and lowerCamelCase",
                mutate: (c) => {
                    c.connectTimeout = "1s";
                },
                path: `${BASE}.connectTimeout`,
                message: 'field "connect_timeout" is given twice (as "connect_timeout" and "connectTimeout")',
            },
        ];

        for (const tc of cases) {
            it(tc.name, () => {
                const c = tlsCluster();
                tc.mutate(c);
                expect(one(validateEnvoyMessage(CLUSTER, c, BASE))).to.deep.equal({ path: tc.path, message: tc.message });
            });
        }
    });

    describe("rules and structure", () => {
        it("reports every issue, not only the first (siblings of a parse error included)", () => {
            const c = tlsCluster();
            c.lb_policy = "ROUND_ROBBIN";
            c.conect_timout = "1s";
            c.connect_timeout = "0s";
            c.upstream_connection_options.tcp_keepalive.keepalive_probes = -1;
            c.transport_socket.typed_config.snii = "x";
            const issues = validateEnvoyMessage(CLUSTER, c, "");
            expect(issues.map((i) => i.path).sort()).to.deep.equal(
                [
                    "conect_timout",
                    "connect_timeout",
                    "lb_policy",
                    "transport_socket.typed_config.snii",
                    "upstream_connection_options.tcp_keepalive.keepalive_probes",
                ].sort(),
            );
        });

        it("checks PGV rules inside map-valued Any payloads and oneof (validate.required)", () => {
            const issues = validateEnvoyMessage(
                CLUSTER,
                {
                    name: "x",
                    typed_extension_protocol_options: {
                        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                            "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                        },
                    },
                },
                "c",
            );
            expect(one(issues)).to.deep.equal({
                path: 'c.typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"]',
                message:
                    'one of the fields "explicit_http_config", "use_downstream_protocol_config", "auto_config" must be set ' +
                    '(oneof "upstream_protocol_options" is required, validate.required)',
            });
        });

        it("checks message required, repeated and well-known-regex rules", () => {
            const issues = validateEnvoyMessage(
                CLUSTER,
                {
                    name: "x",
                    health_checks: [
                        {
                            timeout: "1s",
                            interval: "1s",
                            healthy_threshold: 1,
                            http_health_check: {
                                path: "/healthz",
                                request_headers_to_add: [{ header: { key: "x-a", value: "bad\nvalue" } }],
                            },
                        },
                    ],
                },
                "",
            );
            expect(issues).to.deep.equal([
                {
                    path: "health_checks[0].http_health_check.request_headers_to_add[0].header.value",
                    message: 'value "bad\\nvalue" is not a valid HTTP header value (validate.rules)',
                },
                { path: "health_checks[0].unhealthy_threshold", message: "is required (validate.rules)" },
            ]);
            expect(one(validateEnvoyMessage("envoy.config.route.v3.VirtualHost", { name: "v", domains: [] }, "vh"))).to.deep.equal({
                path: "vh.domains",
                message: "must have at least 1 item, got 0 (validate.rules)",
            });
        });

        it("applies wrapper-typed rules and enum defined_only", () => {
            const issues = validateEnvoyMessage(
                CLUSTER,
                { name: "x", lb_policy: 42, outlier_detection: { max_ejection_percent: 101 } },
                "",
            );
            expect(issues).to.deep.equal([
                { path: "lb_policy", message: "42 is not a defined value of envoy.config.cluster.v3.Cluster.LbPolicy (validate.rules)" },
                { path: "outlier_detection.max_ejection_percent", message: "value 101 must be ≤ 100 (validate.rules)" },
            ]);
        });

        it("validates TypedStruct payloads against their type_url", () => {
            const c = tlsCluster();
            c.transport_socket.typed_config = {
                "@type": "type.googleapis.com/xds.type.v3.TypedStruct",
                type_url: "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
                value: { sni: "a", max_session_keys: -2 },
            };
            expect(one(validateEnvoyMessage(CLUSTER, c, ""))).to.deep.equal({
                path: "transport_socket.typed_config.value.max_session_keys",
                message: "-2 is out of range for uint32",
            });
        });

        it("never throws on garbage input", () => {
            const cyclic: Record<string, unknown> = { name: "x" };
            cyclic.load_assignment = { cluster_name: "x", endpoints: [{ lb_endpoints: [{ endpoint: cyclic }] }] };
            for (const v of [undefined, null, 42, "cluster", [], new Date(0), cyclic, { name: Symbol("x") }]) {
                const issues = validateEnvoyMessage(CLUSTER, v, "v");
                expect(issues, String(v)).to.not.be.empty;
            }
            expect(validateEnvoyBootstrap(undefined, "b")).to.deep.equal([
                { path: "b", message: "expected an object (envoy.config.bootstrap.v3.Bootstrap), got nothing (undefined)" },
            ]);
            expect(one(validateEnvoyMessage("envoy.config.cluster.v3.Clustr", {}, "x")).message).to.equal(
                'unknown Envoy message type "envoy.config.cluster.v3.Clustr" (did you mean "envoy.config.cluster.v3.Cluster"?)',
            );
        });
    });
});

describe("validate.rules patterns are RE2", () => {
    const failures = (pattern: string, value: string): string[] => {
        const said: string[] = [];
        stringRules({ pattern }, value, (m) => said.push(m), false);
        return said;
    };

    it("reads RE2-only syntax as RE2 does: \\z (end of text), (?i) and \\x{...}, which JS RegExp refuses or reads otherwise", () => {
        const endOfText = "^[a-z]+\\z";
        const caseless = "(?i)^gloo$";
        const codePoint = "^\\x{1F600}+$";
        expect(() => new RegExp(endOfText, "u")).to.throw();
        expect(new RegExp(endOfText).test("abc")).to.equal(false); // JS without "u": a literal "z"
        expect(failures(endOfText, "abc")).to.deep.equal([]);
        expect(failures(endOfText, "abc\n")).to.deep.equal(['value "abc\\n" does not match the pattern "^[a-z]+\\\\z"']);
        expect(() => new RegExp(caseless)).to.throw();
        expect(failures(caseless, "GLOO")).to.deep.equal([]);
        expect(failures(caseless, "GLOO2")).to.have.length(1);
        expect(new RegExp(codePoint).test("x{1F600}")).to.equal(true); // JS without "u": "x{1F600}" itself
        expect(failures(codePoint, "\u{1F600}\u{1F600}")).to.deep.equal([]);
        expect(failures(codePoint, "x{1F600}")).to.have.length(1);
    });

    it("reports a pattern RE2 cannot compile instead of skipping it", () => {
        expect(new RegExp("(?<=a)b").test("ab")).to.equal(true);
        expect(failures("(?<=a)b", "ab")).to.deep.equal([
            'the pattern "(?<=a)b" is not valid RE2: error parsing regexp: invalid named capture: `(?<=a)b`',
        ]);
    });

    it("applies Envoy's own patterns: RouteMatch.path_separated_prefix", () => {
        const route = "envoy.config.route.v3.RouteMatch";
        expect(validateEnvoyMessage(route, { path_separated_prefix: "/api" }, "match")).to.deep.equal([]);
        expect(validateEnvoyMessage(route, { path_separated_prefix: "/api/" }, "match")).to.deep.equal([
            {
                path: "match.path_separated_prefix",
                message: 'value "/api/" does not match the pattern "^[^?#]+[^?#/]$" (validate.rules)',
            },
        ]);
    });
    it("loads re2js only when a value meets a pattern rule: a render of the dev values never does", () => {
        // In a process of its own: this one has loaded re2js for the tests above.
        const script = `
            const { renderValues } = require("./components/render/render");
            const { validateEnvoyMessage } = require("./components/checks/envoy/validate");
            const values = require("js-yaml").load(require("fs").readFileSync("Pulumi.dev.yaml", "utf8")).config["gloo-keepalive:values"];
            const loaded = () => Object.keys(require.cache).some((f) => /[\\/]node_modules[\\/]re2js[\\/]/.test(f));
            renderValues([values]);
            const afterRender = loaded();
            validateEnvoyMessage("envoy.config.route.v3.RouteMatch", { path_separated_prefix: "/api" }, "match");
            console.log(JSON.stringify([afterRender, loaded()]));
        `;
        const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
            cwd: path.join(__dirname, ".."),
            encoding: "utf8",
        });
        expect(JSON.parse(out)).to.deep.equal([false, true]);
    });
});
