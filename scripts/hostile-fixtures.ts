/**
 * Writes the corpus of hostile values files, test/fixtures/hostile/*.yaml: every bounded value
 * in every place a proxy can be written with every kind of wrong value, hostile YAML, keys that
 * are not data, and what the kernel, Envoy or the API server would refuse. Each file says the
 * value path (or `<file>:line:col`) its refusal must name (`# expect:`) and, when the chart
 * cannot refuse it, why (`# library-only:`). Run `ts-node scripts/hostile-fixtures.ts`; the
 * files are committed, and test/hostile-values.test.ts runs them against the library and the chart.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { formatPath } from "../components/values/values";

export const HOSTILE_DIR = path.join(__dirname, "..", "test", "fixtures", "hostile");

interface Fixture {
    name: string;
    expect: string;
    /** Why helm cannot refuse it; unset when the chart must refuse it too. */
    libraryOnly?: string;
    /** The values, or the file's raw text. */
    values?: unknown;
    text?: string | Buffer;
}

/** Set `value` at a dotted path (numbers index lists) in a fresh object. */
function at(segments: (string | number)[], value: unknown): unknown {
    if (segments.length === 0) return value;
    const [head, ...rest] = segments;
    if (typeof head === "number") return [...Array.from({ length: head }, () => ({})), at(rest, value)];
    return { [head]: at(rest, value) };
}

const PLACES: [string, (string | number)[]][] = [
    ["default", ["gatewayProxies", "gatewayProxy"]],
    ["entry", ["gatewayProxies", "edge"]],
    ["enterprise", ["gloo", "gatewayProxies", "edge"]],
];

/** Bounded integers of a proxy entry: [path inside the entry, lowest valid, highest valid]. */
const INTEGERS: [string[], number, number][] = [
    [["tcpKeepaliveTimeSeconds"], 1, 32767],
    [["tcpKeepaliveIntervalSeconds"], 1, 32767],
    [["tcpKeepaliveProbes"], 1, 127],
    [["xdsServicePort"], 1, 65535],
    [["loadBalancerIdleTimeoutSeconds"], 1, 86400],
    [["podTemplate", "httpPort"], 1, 65535],
    [["podTemplate", "httpsPort"], 1, 65535],
    [["service", "httpPort"], 1, 65535],
    [["service", "httpsPort"], 1, 65535],
    [["kind", "deployment", "replicas"], 0, 1000],
    [["gatewaySettings", "tcpKeepalive", "timeSeconds"], 1, 32767],
    [["gatewaySettings", "tcpKeepalive", "intervalSeconds"], 1, 32767],
    [["gatewaySettings", "tcpKeepalive", "probes"], 1, 127],
];

const dotted = (segments: (string | number)[]) =>
    segments
        .map((s) => (typeof s === "number" ? `[${s}]` : `.${s}`))
        .join("")
        .slice(1)
        .replace(/\.\[/g, "[");

function integerFixtures(): Fixture[] {
    const out: Fixture[] = [];
    for (const [place, prefix] of PLACES)
        for (const [field, min, max] of INTEGERS) {
            const bad: [string, unknown][] = [
                ["below", min - 1],
                ["above", max + 1],
                ["fraction", min + 0.5],
                ["string", String(min)],
                ["boolean", true],
                ["list", [min]],
            ];
            for (const [kind, value] of bad) {
                const segments = [...prefix, ...field];
                out.push({ name: `int-${place}-${field.join("-")}-${kind}`, expect: dotted(segments), values: at(segments, value) });
            }
        }
    return out;
}

/** Strings of a proxy entry and what is wrong with them. */
const STRINGS: [string[], [string, unknown][]][] = [
    [
        ["xdsServiceAddress"],
        [
            ["space", "gloo system"],
            ["newline", "gloo\nkind: Secret"],
            ["number", 5],
            ["empty", ""],
            ["underscore", "a_b"],
        ],
    ],
    [
        ["loopBackAddress"],
        [
            ["name", "localhost"],
            ["number", 127],
        ],
    ],
    [
        ["podTemplate", "image", "registry"],
        [
            ["space", "quay io"],
            ["empty", ""],
            ["scheme", "https://quay.io"],
        ],
    ],
    [
        ["podTemplate", "image", "repository"],
        [
            ["upper", "Gloo-Envoy"],
            ["space", "gloo envoy"],
            ["tag", "gloo:1.0"],
        ],
    ],
    [
        ["podTemplate", "image", "tag"],
        [
            ["space", "1.0 beta"],
            ["newline", "1.0\nx"],
            ["colon", "1:0"],
            ["long", "t".repeat(129)],
            ["number", 1.19],
        ],
    ],
    [
        ["podTemplate", "image", "pullPolicy"],
        [
            ["case", "always"],
            ["other", "Sometimes"],
        ],
    ],
    [
        ["service", "type"],
        [
            ["case", "loadbalancer"],
            ["external", "ExternalName"],
        ],
    ],
    [["gatewaySettings", "socketOptionsPlatform"], [["windows", "windows"]]],
    [
        ["podTemplate", "resources", "limits", "cpu"],
        [
            ["words", "lots"],
            ["negative", "-1"],
            ["unit", "1 Gi"],
        ],
    ],
    [
        ["podTemplate", "resources", "requests", "memory"],
        [
            ["suffix", "1GB"],
            ["negative", "-128Mi"],
        ],
    ],
];

function stringFixtures(): Fixture[] {
    const out: Fixture[] = [];
    for (const [place, prefix] of PLACES)
        for (const [field, bad] of STRINGS)
            for (const [kind, value] of bad) {
                const segments = [...prefix, ...field];
                out.push({ name: `str-${place}-${field.join("-")}-${kind}`, expect: dotted(segments), values: at(segments, value) });
            }
    return out;
}

const cluster = (extra: Record<string, unknown> = {}) => ({
    name: "orders",
    connect_timeout: "1s",
    type: "STATIC",
    load_assignment: {
        cluster_name: "orders",
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: "10.0.0.1", port_value: 80 } } } }] }],
    },
    ...extra,
});
const withCluster = (extra: Record<string, unknown>) => ({ gatewayProxies: { edge: { envoyStaticClusters: [cluster(extra)] } } });
const CLUSTER = "gatewayProxies.edge.envoyStaticClusters[0]";
const ADDRESS = `${CLUSTER}.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address`;

function envoyFixtures(): Fixture[] {
    const out: Fixture[] = [];
    const hostAssignment = (address: string) => ({
        cluster_name: "orders",
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: 80 } } } }] }],
    });
    for (const [kind, address] of [
        ["dns", "orders.example.com"],
        ["short", "orders"],
        ["ip-out-of-range", "10.0.0.256"],
        ["ip-short", "10.0.1"],
    ])
        out.push({ name: `envoy-static-${kind}`, expect: ADDRESS, values: withCluster({ load_assignment: hostAssignment(address) }) });
    out.push({
        name: "envoy-static-by-default-dns",
        expect: ADDRESS,
        values: withCluster({ type: undefined, load_assignment: hostAssignment("db") }),
    });
    for (const [kind, type] of [
        ["cluster", "envoy.config.cluster.v3.Cluster"],
        ["listener", "envoy.config.listener.v3.Listener"],
        ["http", "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"],
    ])
        out.push({
            name: `envoy-transport-socket-type-${kind}`,
            expect: `${CLUSTER}.transport_socket.typed_config["@type"]`,
            values: withCluster({
                transport_socket: { name: "envoy.transport_sockets.tls", typed_config: { "@type": `type.googleapis.com/${type}` } },
            }),
        });
    for (const [kind, keepalive] of [
        ["probes", { keepaliveProbes: 300 }],
        ["time", { keepalive_time: 60 }],
    ] as const)
        out.push({
            name: `envoy-camelcase-tcp-keepalive-${kind}`,
            expect: `${CLUSTER}.upstream_connection_options.tcpKeepalive`,
            values: withCluster({ upstream_connection_options: { tcpKeepalive: keepalive } }),
        });
    const key = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
    out.push({
        name: "envoy-protocol-options-type",
        expect: `${CLUSTER}.typed_extension_protocol_options["${key}"]["@type"]`,
        values: withCluster({
            typed_extension_protocol_options: { [key]: { "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster" } },
        }),
    });
    return [...out, ...rawOptionFixtures()];
}

/** Raw keepalive socket options outside kernel bounds, in a cluster's upstream_bind_config. */
function rawOptionFixtures(): Fixture[] {
    const out: Fixture[] = [];
    for (const [name, number, value] of [
        ["idle", 4, 0],
        ["idle", 4, 32768],
        ["intvl", 5, 0],
        ["intvl", 5, 40000],
        ["cnt", 6, 128],
        ["cnt", 6, 300],
        ["cnt", 6, -1],
    ] as const) {
        out.push({
            name: `envoy-bind-keep${name}-${value}`,
            expect: `${CLUSTER}.upstream_bind_config.socket_options[0].int_value`,
            values: withCluster({
                upstream_bind_config: {
                    source_address: { address: "0.0.0.0", port_value: 0 },
                    socket_options: [{ level: 6, name: number, int_value: value }],
                },
            }),
        });
        out.push({
            name: `gateway-raw-keep${name}-${value}`,
            expect: "gatewayProxies.edge.gatewaySettings.options.socketOptions[0].intValue",
            values: {
                gatewayProxies: {
                    edge: {
                        gatewaySettings: {
                            options: { socketOptions: [{ level: 6, name: number, intValue: value, state: "STATE_PREBIND" }] },
                        },
                    },
                },
            },
        });
    }
    return out;
}

function kubernetesFixtures(): Fixture[] {
    const out: Fixture[] = [];
    const annotations = (a: Record<string, string>) => ({ gatewayProxies: { edge: { service: { extraAnnotations: a } } } });
    for (const [kind, key] of [
        ["space", "bad key"],
        ["bang", "bad!"],
        ["two-slashes", "a/b/c"],
        ["upper-prefix", "Example.com/x"],
        ["long-name", `example.com/${"n".repeat(64)}`],
        ["empty-name", "example.com/"],
        ["proto", "__proto__"],
    ])
        out.push({
            name: `annotation-key-${kind}`,
            expect: formatPath(["gatewayProxies", "edge", "service", "extraAnnotations", key]),
            values: annotations({ [key]: "x" }),
        });
    out.push({
        name: "annotation-value-300k",
        expect: 'gatewayProxies.edge.service.extraAnnotations["example.com/big"]',
        values: annotations({ "example.com/big": "v".repeat(300_000) }),
    });
    // Each value within the limit, their sum above it (TotalAnnotationSizeLimitB counts keys and values).
    const halves = { "example.com/a": "v".repeat(131_100), "example.com/b": "v".repeat(131_100) };
    out.push({
        name: "annotation-total-service",
        expect: "gatewayProxies.edge.service.extraAnnotations: the Service's annotations total 262226 bytes",
        values: annotations(halves),
    });
    out.push({
        name: "annotation-total-pod",
        expect: "gatewayProxies.edge.podTemplate.extraAnnotations: the pod's annotations total",
        values: { gatewayProxies: { edge: { podTemplate: { extraAnnotations: halves } } } },
    });
    out.push({
        name: "annotation-total-service-account",
        expect: "gateway.proxyServiceAccount.extraAnnotations: the ServiceAccount's annotations total 262226 bytes",
        values: { gateway: { proxyServiceAccount: { extraAnnotations: halves } } },
    });
    out.push({
        name: "annotation-value-number",
        expect: 'gatewayProxies.edge.service.extraAnnotations["example.com/n"]',
        values: { gatewayProxies: { edge: { service: { extraAnnotations: { "example.com/n": 5 } } } } },
    });
    out.push({
        name: "resources-typo",
        expect: "gatewayProxies.edge.podTemplate.resources.limts",
        values: { gatewayProxies: { edge: { podTemplate: { resources: { limts: { cpu: "1" } } } } } },
    });
    out.push({
        name: "resources-bad-name",
        expect: 'gatewayProxies.edge.podTemplate.resources.limits["cpu cores"]',
        values: { gatewayProxies: { edge: { podTemplate: { resources: { limits: { "cpu cores": "1" } } } } } },
    });
    for (const [kind, host] of [
        ["space", "orders svc"],
        ["underscore", "orders_svc"],
        ["slash", "orders/x"],
        ["newline", "a\nb"],
        ["long", `${"a".repeat(250)}.com`],
        ["label-64", `${"a".repeat(64)}.com`],
        ["dash-start", "-orders"],
    ])
        out.push({
            name: `upstream-host-${kind}`,
            expect: "upstreams[0].host",
            values: { upstreams: [{ name: "orders", host, port: 80, tcpKeepalive: {} }] },
        });
    return [...out, ...proxyArgsAndNameFixtures()];
}

/** Bootstrap-replacing extraEnvoyArgs and object names two proxies both render. */
function proxyArgsAndNameFixtures(): Fixture[] {
    const out: Fixture[] = [];
    for (const [kind, args] of [
        ["c", ["-c", "/etc/passwd"]],
        ["c-joined", ["-c/etc/passwd"]],
        ["config-path", ["--config-path", "/x"]],
        ["config-path-eq", ["--config-path=/x"]],
        ["config-yaml", ["--config-yaml", "{}"]],
        ["config-yaml-eq", ["--config-yaml={admin: {}}"]],
        ["mode", ["--mode", "validate"]],
        ["unknown-fields", ["--allow-unknown-static-fields"]],
    ] as const)
        out.push({
            name: `extra-envoy-args-${kind}`,
            expect: "gatewayProxies.edge.extraEnvoyArgs[0]",
            values: { gatewayProxies: { edge: { extraEnvoyArgs: args } } },
        });
    out.push({
        name: "extra-envoy-args-second",
        expect: "gatewayProxies.edge.extraEnvoyArgs[1]",
        values: { gatewayProxies: { edge: { extraEnvoyArgs: ["--log-level", "-c", "x"] } } },
    });
    for (const [kind, proxies] of [
        ["gw-ssl", { gw: {}, gwSsl: {} }],
        ["edge-ssl", { edge: {}, edgeSsl: {} }],
        ["default-ssl", { gatewayProxySsl: {} }],
    ] as const) {
        const later = Object.keys(proxies).length === 1 ? "gatewayProxySsl" : Object.keys(proxies)[1];
        out.push({ name: `names-collide-${kind}`, expect: `gatewayProxies.${later}`, values: { gatewayProxies: proxies } });
    }
    return out;
}

function keyFixtures(): Fixture[] {
    const out: Fixture[] = [];
    for (const key of ["__proto__", "constructor", "prototype"]) {
        out.push({
            name: `key-${key}-root`,
            expect: `<file>:2:1: ${key}`,
            text: `# a key that is not plain data\n${key}:\n  polluted: true\n`,
        });
        out.push({
            name: `key-${key}-entry`,
            expect: `<file>:4:5: gatewayProxies.edge.${key}`,
            text: `# a key that is not plain data\ngatewayProxies:\n  edge:\n    ${key}:\n      polluted: true\n`,
        });
        out.push({
            name: `key-${key}-proxy`,
            expect: `<file>:3:3: gatewayProxies.${key}`,
            text: `# a key that is not plain data\ngatewayProxies:\n  ${key}:\n    tcpKeepaliveTimeSeconds: 60\n`,
        });
        out.push({
            name: `key-${key}-gateway-options`,
            expect: `<file>:6:9: gatewayProxies.edge.gatewaySettings.options.${key}`,
            text: `# a key that is not plain data\ngatewayProxies:\n  edge:\n    gatewaySettings:\n      options:\n        ${key}:\n          x: 1\n`,
        });
        out.push({
            name: `key-${key}-static-cluster`,
            expect: `<file>:6:9: gatewayProxies.edge.envoyStaticClusters[0].${key}`,
            text: `# a key that is not plain data\ngatewayProxies:\n  edge:\n    envoyStaticClusters:\n      - name: a\n        ${key}: {}\n`,
        });
    }
    return out;
}

function yamlFixtures(): Fixture[] {
    const levels = Array.from({ length: 9 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(", ")}]`);
    const deep = `${"[".repeat(150)}1${"]".repeat(150)}`;
    return [
        { name: "yaml-alias-bomb", expect: "<file>", text: `l0: &l0 [lol]\n${levels.join("\n")}\n` },
        {
            name: "yaml-alias-self",
            expect: "<file>:2:30: gatewayProxies.edge.extraEnvoyArgs[0]",
            text: "gatewayProxies:\n  edge: &e {extraEnvoyArgs: [*e]}\n",
        },
        { name: "yaml-alias-undefined", expect: "<file>", text: "gatewayProxies:\n  edge: *nowhere\n" },
        {
            name: "yaml-duplicate-key",
            expect: "<file>:4:5",
            libraryOnly: "helm's YAML reader silently takes the last of duplicate keys",
            text: "gatewayProxies:\n  edge:\n    tcpKeepaliveTimeSeconds: 60\n    tcpKeepaliveTimeSeconds: 600000\n",
        },
        {
            name: "yaml-two-documents",
            expect: "<file>:2:1",
            libraryOnly: "helm reads only the first document of a values file",
            text: "gatewayProxies: {}\n---\ngatewayProxies:\n  edge: {tcpKeepaliveProbes: 300}\n",
        },
        {
            name: "yaml-not-utf8",
            expect: "<file>",
            text: Buffer.concat([
                Buffer.from('gatewayProxies:\n  edge:\n    podTemplate: {image: {tag: "'),
                Buffer.from([0xff, 0xfe, 0x41]),
                Buffer.from('"}}\n'),
            ]),
        },
        {
            name: "yaml-latin1",
            expect: "<file>",
            text: Buffer.concat([Buffer.from("gatewayProxies:\n  caf"), Buffer.from([0xe9]), Buffer.from(": {}\n")]),
        },
        {
            name: "yaml-nel-in-value",
            expect: "<file>:2:56",
            libraryOnly: "helm reads U+0085 as a line break (YAML 1.1) and renders a space",
            text: 'gatewayProxies:\n  edge: {service: {extraAnnotations: {example.com/a: "x\u0085y"}}}\n',
        },
        {
            name: "yaml-line-separator",
            expect: "<file>:2:56",
            libraryOnly: "helm reads U+2028 as a line break (YAML 1.1)",
            text: 'gatewayProxies:\n  edge: {service: {extraAnnotations: {example.com/a: "x\u2028y"}}}\n',
        },
        { name: "yaml-control-char", expect: "<file>:2:29", text: 'gatewayProxies:\n  edge: {extraEnvoyArgs: ["a\u0001"]}\n' },
        {
            name: "yaml-too-deep",
            expect: "<file>:4:115",
            libraryOnly: "helm accepts nesting up to 10000 levels (it refuses the unknown key x of gatewaySettings.options, not the depth)",
            text: `gatewayProxies:\n  edge:\n    gatewaySettings:\n      options: {x: ${deep}}\n`,
        },
        { name: "yaml-root-list", expect: "<file>:1:1", text: "- gatewayProxies\n" },
        { name: "yaml-root-scalar", expect: "<file>:1:1", text: "just words\n" },
        { name: "yaml-syntax-tab", expect: "<file>", text: "gatewayProxies:\n\tedge: {}\n" },
        { name: "yaml-syntax-unclosed-quote", expect: "<file>", text: 'gatewayProxies:\n  edge: {podTemplate: {image: {tag: "1.0}}}\n' },
    ];
}

/** YAML 1.1 scalars helm reads otherwise than YAML 1.2 does. */
function yaml11Fixtures(): Fixture[] {
    const helm11 = "helm reads YAML 1.1: it takes the value as a valid number or boolean without a word";
    return [
        {
            name: "yaml11-octal-time",
            expect: "<file>:3:30: gatewayProxies.edge.tcpKeepaliveTimeSeconds",
            libraryOnly: helm11,
            text: "gatewayProxies:\n  edge:\n    tcpKeepaliveTimeSeconds: 010\n",
        },
        {
            name: "yaml11-underscore-time",
            expect: "<file>:3:30: gatewayProxies.edge.tcpKeepaliveTimeSeconds",
            libraryOnly: helm11,
            text: "gatewayProxies:\n  edge:\n    tcpKeepaliveTimeSeconds: 6_0\n",
        },
        {
            name: "yaml11-binary-probes",
            expect: "<file>:3:25: gatewayProxies.edge.tcpKeepaliveProbes",
            libraryOnly: helm11,
            text: "gatewayProxies:\n  edge:\n    tcpKeepaliveProbes: 0b11\n",
        },
        {
            name: "yaml11-yes-disabled",
            expect: "<file>:3:15: gatewayProxies.edge.disabled",
            libraryOnly: helm11,
            text: "gatewayProxies:\n  edge:\n    disabled: yes\n",
        },
        {
            name: "yaml11-off-readconfig",
            expect: "<file>:3:17: gatewayProxies.edge.readConfig",
            libraryOnly: helm11,
            text: "gatewayProxies:\n  edge:\n    readConfig: off\n",
        },
        {
            name: "yaml11-on-tag",
            expect: "<file>:3:32: gatewayProxies.edge.podTemplate.image.tag",
            text: "gatewayProxies:\n  edge:\n    podTemplate: {image: {tag: on}}\n",
        },
        {
            name: "yaml11-underscore-tag",
            expect: "<file>:3:32: gatewayProxies.edge.podTemplate.image.tag",
            text: "gatewayProxies:\n  edge:\n    podTemplate: {image: {tag: 1_0}}\n",
        },
        {
            name: "yaml11-no-host",
            expect: "<file>:2:36: upstreams[0].host",
            text: "upstreams:\n  - {name: orders, port: 80, host: n, tcpKeepalive: {}}\n",
        },
    ];
}

export function hostileFixtures(): Fixture[] {
    return [
        ...integerFixtures(),
        ...stringFixtures(),
        ...envoyFixtures(),
        ...kubernetesFixtures(),
        ...keyFixtures(),
        ...yamlFixtures(),
        ...yaml11Fixtures(),
    ];
}

function fileText(f: Fixture): string | Buffer {
    const header = [`# expect: ${f.expect}`, ...(f.libraryOnly ? [`# library-only: ${f.libraryOnly}`] : [])].join("\n");
    if (f.text === undefined) return `${header}\n${stringify(f.values, { lineWidth: 0 })}`;
    // Raw texts carry their own positions: the header goes in a sidecar-free way, as trailing comments.
    return Buffer.isBuffer(f.text) ? Buffer.concat([f.text, Buffer.from(`\n${header}\n`)]) : `${f.text}${header}\n`;
}

if (require.main === module) {
    mkdirSync(HOSTILE_DIR, { recursive: true });
    for (const old of readdirSync(HOSTILE_DIR)) rmSync(path.join(HOSTILE_DIR, old));
    const fixtures = hostileFixtures();
    for (const f of fixtures) writeFileSync(path.join(HOSTILE_DIR, `${f.name}.yaml`), fileText(f));
    console.log(`wrote ${fixtures.length} fixtures in ${path.relative(process.cwd(), HOSTILE_DIR)}`);
}
