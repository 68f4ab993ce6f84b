/**
 * The JSON Schema of the values: the one source of truth for every value's type, bounds,
 * default and documentation. The library validates with it (ajv), and the chart's
 * `values.schema.json`, `values.yaml` and the values table of the READMEs are generated from
 * it (`npm run generate`; a test fails when they are out of date). `object<T>()` makes the
 * compiler hold the schema's property names to the TypeScript interfaces in ./types.
 */
import {
    KEEPALIVE_FIELDS,
    KEEPALIVE_FIELD_NAMES,
    LOAD_BALANCER_TYPE_NAMES,
    LOAD_BALANCER_TYPES,
    MAX_IDLE_TIMEOUT_SECONDS,
    TCP_USER_TIMEOUT_MAX_SECONDS,
    type LoadBalancer,
    type TcpKeepalive,
    type TcpKeepaliveField,
} from "../keepalive";
import { GLOO_ENTERPRISE_KEYS, glooSchema, hasType, overGloo } from "./gloo-schema";
import type { JsonSchema } from "./json-schema";
import type {
    OwnGlooNesting,
    StatsConfig,
    OwnGatewayProxyValues as GatewayProxyValues,
    OwnGatewaySettings as GatewaySettings,
    OwnGlooKeepaliveValues as GlooKeepaliveValues,
    Http2Keepalive,
    OwnPodTemplate as PodTemplate,
    OwnProxyKind as ProxyKind,
    OwnProxyService as ProxyService,
    UpstreamValues,
} from "./types";
import { annotationsSchema, HOST_MAX_LENGTH, HOST_PATTERN, resourcesSchema } from "./kubernetes-schema";
import { imageSchema } from "./image-schema";

export type { JsonSchema } from "./json-schema";

/** Names a proxy may have: Gloo's camelCase names, kebab-cased into Kubernetes names of at most 63 characters. */
export const PROXY_NAME_PATTERN = "^[a-z]+[0-9]*([A-Z]([a-z]+[0-9]*|[0-9]+))*$";
/** The uid the gloo-envoy-wrapper image runs as (Gloo's runAsUser and fsGroup). */
export const PROXY_UID = 10101;
/** The default entry's name: every other entry is merged over it. */
export const DEFAULT_PROXY = "gatewayProxy";
/** Kubernetes object names (DNS-1123 label). */
/** Service names whose kebab-case (Helm's) is plain: lowercase words ending in digits, joined by '-' or camelCase. */
export const SERVICE_NAME_PATTERN = "^[a-z]+[0-9]*(-[a-z]+[0-9]*|-[0-9]+|[A-Z]([a-z]+[0-9]*|[0-9]+))*$";

export const K8S_NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

type Properties<T> = { [K in keyof Required<T>]-?: JsonSchema };

function object<T>(description: string, properties: Properties<T>, extra: Partial<JsonSchema> = {}): JsonSchema {
    return { type: "object", description, additionalProperties: false, properties: properties as Record<string, JsonSchema>, ...extra };
}
function integer(description: string, minimum: number, maximum: number, extra: Partial<JsonSchema> = {}): JsonSchema {
    return { type: "integer", description, minimum, maximum, ...extra };
}
function boolean(description: string, defaultValue?: boolean, extra: Partial<JsonSchema> = {}): JsonSchema {
    return { type: "boolean", description, ...(defaultValue === undefined ? {} : { default: defaultValue }), ...extra };
}
function string(description: string, extra: Partial<JsonSchema> = {}): JsonSchema {
    return { type: "string", description, ...extra };
}
const PORT = (description: string, defaultValue?: number, rendersTo?: string): JsonSchema =>
    integer(description, 1, 65535, {
        ...(defaultValue === undefined ? {} : { default: defaultValue }),
        ...(rendersTo ? { "x-renders-to": rendersTo } : {}),
    });

function kernelBound(field: TcpKeepaliveField, description: string, extra: Partial<JsonSchema> = {}): JsonSchema {
    const { min, max } = KEEPALIVE_FIELDS[field];
    return integer(description, min, max, { "x-kernel-limit": true, ...extra });
}

const KEEPALIVE_DESCRIPTIONS: Record<TcpKeepaliveField, string> = {
    timeSeconds: "Seconds idle before the first probe (TCP_KEEPIDLE).",
    intervalSeconds: "Seconds between probes (TCP_KEEPINTVL).",
    probes: "Unanswered probes before the connection is dropped (TCP_KEEPCNT).",
};

/** The schema of one TcpKeepalive. */
export function tcpKeepaliveSchema(description: string, rendersTo: string): JsonSchema {
    const properties = Object.fromEntries(KEEPALIVE_FIELD_NAMES.map((f) => [f, kernelBound(f, KEEPALIVE_DESCRIPTIONS[f])]));
    return object<TcpKeepalive>(description, properties as Properties<TcpKeepalive>, { "x-renders-to": rendersTo });
}

/** An Envoy static cluster: open (the Envoy check does the rest), but its keepalive has the kernel's bounds. */
const envoyClusterSchema: JsonSchema = {
    type: "object",
    description: "An Envoy v3 Cluster (snake_case, as in Envoy YAML).",
    required: ["name"],
    properties: {
        name: string("Cluster name: not empty, unique, not a built-in cluster name."),
        upstream_connection_options: {
            type: "object",
            properties: {
                tcp_keepalive: {
                    type: "object",
                    additionalProperties: false,
                    properties: Object.fromEntries(
                        KEEPALIVE_FIELD_NAMES.map((f) => [KEEPALIVE_FIELDS[f].envoy, kernelBound(f, KEEPALIVE_DESCRIPTIONS[f])]),
                    ),
                },
            },
        },
    },
};

// ---------------------------------------------------------------------------------------------
// What sits between the hops (the load balancer in front, egress and control-plane middleboxes)
// and the timeouts checked against them: composed into the proxy's schema and its gatewaySettings.
// ---------------------------------------------------------------------------------------------

const idleSeconds = (description: string): JsonSchema => ({
    type: "integer",
    description,
    minimum: 1,
    maximum: MAX_IDLE_TIMEOUT_SECONDS,
    "x-renders-to": "warnings and policy checks",
});

const userTimeout = (description: string, rendersTo: string): JsonSchema => ({
    type: "integer",
    description,
    minimum: 1,
    maximum: TCP_USER_TIMEOUT_MAX_SECONDS,
    "x-renders-to": rendersTo,
});

const loadBalancerSchema: JsonSchema = {
    type: "object",
    description:
        "The load balancer in front of the proxy. L4 types: downstream keepalive time must stay below its idle timeout. L7 types: gatewaySettings.httpIdleTimeoutSeconds must be longer than it.",
    additionalProperties: false,
    required: ["type"],
    properties: {
        type: {
            type: "string",
            description: `Its type: ${LOAD_BALANCER_TYPE_NAMES.map((t) => `${t} (L${LOAD_BALANCER_TYPES[t].layer})`).join(", ")}.`,
            enum: LOAD_BALANCER_TYPE_NAMES,
        },
        idleTimeoutSeconds: idleSeconds("Its idle timeout; default the type's (see the load balancer table), within the type's range."),
    } satisfies Record<keyof LoadBalancer, JsonSchema>,
    "x-renders-to": "warnings and policy checks (annotations on the ConfigMap and Gateways)",
};

/** Proxy-level values: the balancer, the middleboxes, TCP_USER_TIMEOUT on the clusters. */
export const middleboxProperties = {
    loadBalancer: loadBalancerSchema,
    egressIdleTimeoutSeconds: idleSeconds(
        "Idle timeout of a middlebox between the proxy and its upstreams and static clusters (AWS NAT gateway 350, Azure SNAT 240, GCP Cloud NAT 1200).",
    ),
    controlPlaneIdleTimeoutSeconds: idleSeconds(
        "Idle timeout of a middlebox between the proxy and the xDS server (kube-proxy IPVS 900, EC2 connection tracking 350).",
    ),
    tcpUserTimeoutSeconds: userTimeout(
        "TCP_USER_TIMEOUT on every static cluster and the xDS cluster: the most seconds sent data may stay unacknowledged.",
        "Cluster upstream_bind_config.socket_options: level 6 name 18, milliseconds",
    ),
} satisfies Partial<Record<keyof GatewayProxyValues, JsonSchema>>;

/** gatewaySettings values: the HTTP idle timeout and TCP_USER_TIMEOUT of the Gateways. */
export const gatewayTimeoutProperties = {
    httpIdleTimeoutSeconds: {
        type: "integer",
        description:
            "HTTP idle timeout of both Gateways (Envoy's default 3600 s); behind an L7 balancer it must be longer than the balancer's idle timeout.",
        minimum: 1,
        maximum: MAX_IDLE_TIMEOUT_SECONDS,
        "x-renders-to": "Gateway spec.httpGateway.options.httpConnectionManagerSettings.idleTimeout",
    },
    tcpUserTimeoutSeconds: userTimeout(
        "TCP_USER_TIMEOUT on downstream connections: the most seconds sent data may stay unacknowledged (Linux only).",
        "Gateway spec.options.socketOptions: level 6 name 18 (milliseconds) at STATE_PREBIND",
    ),
} satisfies Partial<Record<keyof GatewaySettings, JsonSchema>>;

// ---------------------------------------------------------------------------------------------

const gatewaySettingsSchema = object<GatewaySettings>("The proxy's Gloo Gateways (http and https).", {
    enabled: boolean("Render the proxy's Gateway objects.", true),
    disableHttpGateway: boolean("Skip the http Gateway.", false),
    disableHttpsGateway: boolean("Skip the https Gateway.", false),
    ipv4Only: boolean("Bind 0.0.0.0 instead of ::.", false, { "x-renders-to": "Gateway spec.bindAddress" }),
    useProxyProto: boolean("Expect the PROXY protocol on downstream connections.", false, { "x-renders-to": "Gateway spec.useProxyProto" }),
    tcpKeepalive: tcpKeepaliveSchema(
        "Typed downstream keepalive (client or load balancer to proxy). Unset: no keepalive on downstream connections.",
        "Gateway spec.options.socketOptions: SO_KEEPALIVE=1, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT at STATE_PREBIND",
    ),
    socketOptionsPlatform: string("Socket-option numbers to render: linux, or darwin for Envoy on macOS.", {
        enum: ["linux", "darwin"],
        default: "linux",
    }),
    options: {
        type: "object",
        description: "Gloo's raw ListenerOptions, copied into both Gateways (checked against the Gloo Gateway CRD).",
        "x-renders-to": "Gateway spec.options",
    },
    ...gatewayTimeoutProperties,
});

const podTemplateSchema = object<PodTemplate>("The proxy's pod template.", {
    httpPort: PORT("Container port of the http listener.", 8080, "Gateway spec.bindPort, container port http"),
    httpsPort: PORT("Container port of the https listener.", 8443, "Gateway spec.bindPort (ssl), container port https"),
    tcpKeepaliveSysctls: boolean(
        "Set the pod's net.ipv4.tcp_keepalive_* sysctls from the proxy's keepalive (safe sysctls since Kubernetes 1.29).",
        false,
        { "x-renders-to": "pod securityContext.sysctls" },
    ),
    image: imageSchema("The Envoy image, merged over global.image as Gloo merges it.", "global.image's", {
        repository: "gloo-envoy-wrapper",
        tag: "1.22.1",
    }),
    resources: resourcesSchema("Container resources, as in Kubernetes."),
    disableNetBind: boolean("Do not add NET_BIND_SERVICE (no ports below 1024).", true, { "x-renders-to": "container capabilities" }),
    runAsUser: integer("The uid Envoy runs as.", 0, 2147483647, { default: PROXY_UID }),
    fsGroup: integer("The pod's fsGroup.", 0, 2147483647, { default: PROXY_UID }),
    runUnprivileged: boolean(
        "Envoy's container runs as non-root (runAsNonRoot), unless a securityContext replaces Gloo's defaults.",
        true,
        {
            "x-renders-to": "container securityContext.runAsNonRoot",
        },
    ),
    enablePodSecurityContext: boolean("Render Gloo's pod securityContext (fsGroup, runAsUser, or podSecurityContext).", true, {
        "x-renders-to": "pod securityContext",
    }),
    gracefulShutdown: object<NonNullable<PodTemplate["gracefulShutdown"]>>("Gloo's preStop hook: fail the health check, then wait.", {
        enabled: boolean("Add the preStop hook.", false),
        sleepTimeSeconds: integer("Seconds to wait after failing the health check.", 0, 86400, { default: 25 }),
    }),
});

const kindSchema = object<ProxyKind>("Deployment or DaemonSet, as in Gloo: workloadType, else a Deployment when kind.deployment is set.", {
    workloadType: string("Deployment or DaemonSet, taking precedence over the deployment and daemonSet keys.", {
        enum: ["Deployment", "DaemonSet"],
    }),
    deployment: object<NonNullable<ProxyKind["deployment"]>>("Run as a Deployment.", {
        replicas: integer("Replicas.", 0, 1000, { default: 1 }),
    }),
    daemonSet: object<NonNullable<ProxyKind["daemonSet"]>>("Run as a DaemonSet.", {
        hostPort: boolean("Bind the listener ports on the host (with hostNetwork and ClusterFirstWithHostNet)."),
        hostNetwork: boolean("With hostPort: the pod's hostNetwork (default true)."),
    }),
});

const serviceSchema = object<ProxyService>("The proxy's Kubernetes Service.", {
    type: string("Service type.", { enum: ["LoadBalancer", "NodePort", "ClusterIP"], default: "LoadBalancer" }),
    httpPort: PORT("Service port for http.", 80),
    httpsPort: PORT("Service port for https.", 443),
    extraAnnotations: annotationsSchema("Annotations for the Service (e.g. the load balancer's)."),
    name: string("The Service's name, kebab-cased as Gloo does (default: the proxy's name).", {
        pattern: SERVICE_NAME_PATTERN,
        maxLength: 63,
    }),
});

const http2KeepaliveSchema = object<Http2Keepalive>(
    "HTTP/2 PING keepalive on the xDS cluster (TCP probes never reach gRPC; PINGs do).",
    {
        intervalSeconds: integer("Seconds between PING frames.", 1, 86400),
        timeoutSeconds: integer("Seconds to wait for a PING acknowledgement.", 1, 86400),
    },
    {
        required: ["intervalSeconds", "timeoutSeconds"],
        "x-renders-to": "xDS cluster HttpProtocolOptions http2_protocol_options.connection_keepalive",
    },
);

/** The envoy-config ConfigMap: Gloo's full-custom data would replace the bootstrap and its keepalive. */
const configMapSchema: JsonSchema = {
    type: "object",
    description: "The envoy-config ConfigMap (Gloo's kubeResourceOverride applies).",
    properties: {
        data: {
            type: "object",
            maxProperties: 0,
            description: "Refused: Gloo's full-custom ConfigMap data replaces the whole bootstrap.",
            "x-refused":
                "replaces the whole Envoy bootstrap (Gloo's full-custom form), so no keepalive would be rendered; use envoyStaticClusters, customStaticLayer or envoyBootstrapExtensions instead",
        },
    },
};

/** The schema of one `gatewayProxies.<name>` entry: Gloo's, with our keys over it. */
export const gatewayProxySchema = overGloo(glooSchema("GatewayProxy"), ownGatewayProxySchema());

function ownGatewayProxySchema(): JsonSchema {
    return object<GatewayProxyValues>("One gateway proxy.", {
        disabled: boolean("Do not render this proxy (entries inherit it from gatewayProxy).", false),
        tcpKeepaliveTimeSeconds: kernelBound(
            "timeSeconds",
            "Keepalive idle time on every static cluster (xDS, REST xDS, wasm cache and yours).",
            { default: 60, "x-renders-to": "Cluster upstream_connection_options.tcp_keepalive.keepalive_time" },
        ),
        tcpKeepaliveIntervalSeconds: kernelBound(
            "intervalSeconds",
            "Seconds between keepalive probes on every static cluster. Unset: OS default.",
            { "x-renders-to": "Cluster upstream_connection_options.tcp_keepalive.keepalive_interval" },
        ),
        tcpKeepaliveProbes: kernelBound("probes", "Unanswered probes before a static-cluster connection is dropped. Unset: OS default.", {
            "x-renders-to": "Cluster upstream_connection_options.tcp_keepalive.keepalive_probes",
        }),
        xdsHttp2Keepalive: http2KeepaliveSchema,
        envoyStaticClusters: {
            type: "array",
            description:
                "Your Envoy v3 static clusters, appended after the built-in ones; each gets the proxy's keepalive (its own tcp_keepalive fields win).",
            items: envoyClusterSchema,
            "x-renders-to": "bootstrap static_resources.clusters",
        },
        xdsServiceAddress: string(
            "Address of the Gloo control plane's xDS service. Unset: gloo.<release namespace>.svc.<k8s.clusterName>.",
            {
                maxLength: HOST_MAX_LENGTH,
                pattern: HOST_PATTERN,
                "x-renders-to": "xDS and REST xDS cluster address",
            },
        ),
        xdsServicePort: PORT(
            "Port of the xDS service for both the xDS and the REST xDS cluster (e.g. an xDS relay). Unset: gloo.deployment.xdsPort and restXdsPort.",
            undefined,
            "xDS and REST xDS cluster port",
        ),
        globalDownstreamMaxConnections: integer("Envoy's overload limit of downstream connections.", 0, 4294967295, {
            default: 250000,
            "x-renders-to": "bootstrap static_layer overload.global_downstream_max_connections",
        }),
        healthyPanicThreshold: integer("Percentage of healthy hosts below which Envoy balances over all hosts.", 0, 100, {
            default: 50,
            "x-renders-to": "bootstrap static_layer upstream.healthy_panic_threshold",
        }),
        loopBackAddress: string("Loopback address of the admin listener and admin cluster.", {
            default: "127.0.0.1",
            minLength: 1,
            pattern: "^[0-9a-fA-F.:]+$",
            "x-renders-to": "bootstrap admin.address, admin_port_cluster",
        }),
        readConfig: boolean("Add the read-config listener (port 8082) and the admin port cluster.", false),
        loadBalancerIdleTimeoutSeconds: integer(
            "Shorthand for loadBalancer {type: custom-l4, idleTimeoutSeconds: N}: keepalive time must stay below it.",
            1,
            86400,
            { "x-renders-to": "warnings and policy checks" },
        ),
        ...middleboxProperties,
        gatewaySettings: gatewaySettingsSchema,
        podTemplate: podTemplateSchema,
        kind: kindSchema,
        service: serviceSchema,
        extraEnvoyArgs: {
            type: "array",
            description: "Extra Envoy arguments, after --disable-hot-restart.",
            items: { type: "string" },
            default: [],
        },
        disableCoreDumps: boolean("Envoy writes no core dump on a crash.", false, { "x-renders-to": "env DISABLE_CORE_DUMPS" }),
        namespace: string(
            "Namespace of the proxy's objects; the node role and xDS address keep the control plane's. Unset: the release namespace.",
            {
                pattern: K8S_NAME_PATTERN,
                maxLength: 63,
            },
        ),
        configMap: configMapSchema,
    });
}

const upstreamSchema = object<UpstreamValues>(
    "A Gloo Upstream with typed keepalive.",
    {
        name: string("Upstream name.", { pattern: K8S_NAME_PATTERN, maxLength: 63 }),
        namespace: string("Namespace; the release namespace when unset.", { pattern: K8S_NAME_PATTERN, maxLength: 63 }),
        host: string("Host name or IP address of the service.", { minLength: 1, maxLength: HOST_MAX_LENGTH, pattern: HOST_PATTERN }),
        port: PORT("Port of the service."),
        tcpKeepalive: tcpKeepaliveSchema(
            "Keepalive on connections from the proxy to this upstream.",
            'Upstream spec.connectionConfig.tcpKeepalive (keepaliveTime, keepaliveInterval as "60s", keepaliveProbes)',
        ),
    },
    { required: ["name", "host", "port", "tcpKeepalive"] },
);

/**
 * The default entry after the chart's defaults: every value with a default must stay set (a
 * `null` may remove it from values.yaml, but the renderer needs it), except the keepalive time,
 * whose removal means "the OS default", a map Gloo lets a null remove (`kind.deployment:
 * null` is Gloo's DaemonSet form), a boolean (Gloo tests each with `if`: removed, it is false,
 * `gatewaySettings.enabled: null` renders no Gateway) and the image's fields (the reference is
 * checked whole: a null tag leaves the digest alone).
 */
function withRequiredDefaults(schema: JsonSchema, optional: readonly string[] = []): JsonSchema {
    if (!hasType(schema, "object") || !schema.properties) return schema;
    const properties = Object.fromEntries(
        Object.entries(schema.properties).map(([k, v]) => [
            k,
            withRequiredDefaults(v, k === "image" ? Object.keys(v.properties ?? {}) : []),
        ]),
    );
    const required = Object.keys(schema.properties).filter(
        (k) =>
            !optional.includes(k) &&
            !hasType(schema.properties![k], "boolean") &&
            schemaDefaults(schema.properties![k]) !== undefined &&
            !(hasType(schema.properties![k], "object") && hasType(schema.properties![k], "null")),
    );
    return { ...schema, properties, required: [...new Set([...(schema.required ?? []), ...required])] };
}

const proxiesSchema = (description: string, withDefaultEntry: boolean): JsonSchema => ({
    type: "object",
    description,
    propertyNames: { pattern: PROXY_NAME_PATTERN, maxLength: 31 },
    ...(withDefaultEntry
        ? {
              properties: { [DEFAULT_PROXY]: withRequiredDefaults(gatewayProxySchema, ["tcpKeepaliveTimeSeconds"]) },
              required: [DEFAULT_PROXY],
          }
        : {}),
    additionalProperties: gatewayProxySchema,
});

/** Gloo Enterprise's own top-level keys: accepted as they are, never rendered here. */
const enterpriseKeys = Object.fromEntries(
    GLOO_ENTERPRISE_KEYS.map((key): [string, JsonSchema] => [key, { description: "Gloo Enterprise value (not rendered here)." }]),
);

/** Gloo's whole values (open source at the top level, Enterprise's under `gloo.`), our keys over them. */
function withGlooValues(ours: JsonSchema): JsonSchema {
    const config = glooSchema("HelmConfig");
    const glooStruct = glooSchema("Gloo");
    const enterpriseGloo: JsonSchema = {
        ...glooStruct,
        properties: { ...glooStruct.properties, ...config.properties, ...enterpriseKeys },
    };
    const top = overGloo({ ...config, properties: { ...config.properties, ...enterpriseKeys, gloo: enterpriseGloo } }, ours);
    return { ...top, type: "object" };
}

/** The schema of the whole values file. */
export const valuesSchema: JsonSchema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "gloo-keepalive gateway-proxy values",
    ...withGlooValues(
        object<GlooKeepaliveValues>(
            "Values of the gateway-proxy chart and the gloo-keepalive library.",
            {
                gatewayProxies: proxiesSchema(
                    "The gateway proxies by name; every entry is deep-merged over gatewayProxy (lists replace).",
                    true,
                ),
                gloo: object<NonNullable<GlooKeepaliveValues["gloo"]>>(
                    "Gloo's control plane; Gloo Enterprise nesting: gloo.gatewayProxies is merged over gatewayProxies.",
                    {
                        gatewayProxies: proxiesSchema("The gateway proxies by name (Enterprise nesting).", false),
                        deployment: object<NonNullable<OwnGlooNesting["deployment"]>>(
                            "The Gloo control plane's ports, as the proxies reach them.",
                            {
                                xdsPort: PORT("The control plane's xDS port.", 9977, "xDS cluster name, ADS cluster, xDS port"),
                                restXdsPort: PORT("The control plane's REST xDS port.", 9976, "REST xDS cluster port"),
                            },
                        ),
                    },
                ),
                global: object<NonNullable<GlooKeepaliveValues["global"]>>("Gloo's global values the proxies read.", {
                    image: imageSchema("Every Gloo image's defaults (a proxy's podTemplate.image fields win where set).", undefined, {
                        registry: "quay.io/solo-io",
                        pullPolicy: "IfNotPresent",
                        disableDigest: false,
                    }),
                    glooStats: object<StatsConfig>("Prometheus stats of every proxy (a proxy's own stats win).", {
                        enabled: boolean("The Prometheus listener on 8081 and the prometheus.io pod annotations.", true),
                        routePrefixRewrite: string("Where /metrics is rewritten to.", { default: "/stats/prometheus" }),
                        enableStatsRoute: boolean("Add a /stats route to the Prometheus listener.", false),
                        statsPrefixRewrite: string("Where /stats is rewritten to.", { default: "/stats" }),
                        setDatadogAnnotations: boolean("Add Datadog's ad.datadoghq.com pod annotations.", false),
                        podMonitorEnabled: boolean(
                            "With enabled: the http-monitoring container port 8081 (9091 on the SDS sidecar).",
                            false,
                        ),
                        serviceMonitorEnabled: boolean("With enabled: the <proxy>-monitoring-service Service on port 8081.", false),
                    }),
                }),
                gateway: object<NonNullable<GlooKeepaliveValues["gateway"]>>("Gloo's gateway values the proxies read.", {
                    enabled: boolean(
                        "Render the proxies' own objects; false or null: only their Gateways (and the Upstreams), as Gloo does.",
                        true,
                    ),
                    upgrade: {
                        type: ["boolean", "null"],
                        description:
                            "Gloo's gateway.upgrade (read by its templates, not in its values types): true renders the proxy pods without the gateway-proxy: live label, so the Services select none of them until the upgrade is done.",
                    },
                    proxyServiceAccount: object<NonNullable<NonNullable<GlooKeepaliveValues["gateway"]>["proxyServiceAccount"]>>(
                        "The gateway-proxy ServiceAccount every proxy pod of a namespace runs as.",
                        {
                            create: boolean(
                                "Render it (gloo-keepalive's key). false: reuse the one a Gloo release already renders in the namespace.",
                                true,
                            ),
                            extraAnnotations: {
                                type: "object",
                                description: "Annotations of the ServiceAccount (e.g. eks.amazonaws.com/role-arn for IRSA).",
                                additionalProperties: { type: "string" },
                            },
                            kubeResourceOverride: {
                                type: ["object", "null"],
                                description:
                                    "Fields laid over each rendered ServiceAccount, as Gloo lays them: maps merge key by key, anything else replaces.",
                                additionalProperties: {},
                            },
                        },
                    ),
                }),
                settings: object<NonNullable<GlooKeepaliveValues["settings"]>>("Gloo's settings the proxies read.", {
                    writeNamespace: string(
                        "The control plane's write namespace: the node role's namespace. Unset: the release namespace.",
                        {
                            pattern: K8S_NAME_PATTERN,
                            maxLength: 63,
                            "x-renders-to": "bootstrap node.metadata.role",
                        },
                    ),
                }),
                upstreams: { type: "array", description: "Gloo Upstreams with typed keepalive.", items: upstreamSchema, default: [] },
                k8s: object<NonNullable<GlooKeepaliveValues["k8s"]>>(
                    "Kubernetes cluster settings.",
                    {
                        clusterName: string("The cluster's DNS domain.", {
                            default: "cluster.local",
                            pattern: "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$",
                        }),
                    },
                    { required: ["clusterName"] },
                ),
            },
            { required: ["gatewayProxies", "k8s"] },
        ),
    ),
};

/** Defaults of an object schema, recursively (objects without any default inside are left out). */
export function schemaDefaults(schema: JsonSchema): unknown {
    if (!hasType(schema, "object") || !schema.properties) return schema.default;
    const out: Record<string, unknown> =
        schema.default && typeof schema.default === "object" ? (structuredClone(schema.default as object) as Record<string, unknown>) : {};
    for (const [key, child] of Object.entries(schema.properties)) {
        const value = schemaDefaults(child);
        if (value !== undefined) out[key] = value;
    }
    return Object.keys(out).length > 0 ? out : undefined;
}

/** The chart's own values: what helm merges a user's values files over. */
export function chartDefaultValues(): GlooKeepaliveValues {
    return {
        gatewayProxies: { [DEFAULT_PROXY]: schemaDefaults(gatewayProxySchema) as GatewayProxyValues },
        ...(schemaDefaults(valuesSchema) as GlooKeepaliveValues),
    };
}
