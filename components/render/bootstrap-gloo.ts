/**
 * What the Gloo chart adds to a proxy's bootstrap from its values beyond the clusters
 * bootstrap.ts renders: the runtime's custom static layer, stats_config, the SDS cluster and
 * TLS to the control plane (`global.glooMtls`), the access-log, tracing and AWS STS clusters,
 * bootstrap extensions, the overload manager and the xDS API version; and Envoy's log level.
 * Every cluster added carries the proxy's keepalive, as the built-in ones do.
 */
import { toEnvoyTcpKeepalive, KEEPALIVE_FIELD_NAMES, KEEPALIVE_FIELDS, keepaliveFieldProblem } from "../keepalive";
import type { EnvoyCluster, GatewayProxyValues, GlooKeepaliveValues } from "../values/types";
import { isPlainObject, formatPath, joinPath, type ResolvedProxy, type ValueIssue } from "../values/values";
import { staticClusterSemanticIssues } from "../checks/envoy/semantics";
import { ENVOY_LOG_LEVELS } from "./envoy-args";
import { pathSegments } from "./gloo-gateway-checks";
import { SDS_PORT } from "./mesh";
import { builtInClusterNames, staticClusterKeepalive, withProxyKeepalive, xdsClusterName, type BootstrapContext } from "./bootstrap";

/** Gloo's access logger port (`accessLogger.port`) when unset. */
export const ACCESS_LOGGER_PORT = 8083;
/** Gloo's `envoyApiVersion`: the only one Envoy accepts (V2 and AUTO are disallowed by default). */
export const ENVOY_API_VERSION = "V3";
/** Gloo's `envoyOverloadManager` keys and the OverloadManager fields they render to, in Gloo's order. */
export const OVERLOAD_MANAGER_FIELDS = {
    actions: "actions",
    bufferFactoryConfig: "buffer_factory_config",
    refreshInterval: "refresh_interval",
    resourceMonitors: "resource_monitors",
} as const;
/** Gloo's `envoyOverloadManager` defaults, under the user's keys. */
const OVERLOAD_DEFAULTS: Record<string, unknown> = { actions: [], refreshInterval: "1s", resourceMonitors: [] };

/** The constants the chart's _bootstrap-gloo.tpl reads (scripts/generate.ts writes them into _constants.tpl). */
export const GLOO_BOOTSTRAP_CONSTANTS = {
    sdsPort: SDS_PORT,
    accessLoggerPort: ACCESS_LOGGER_PORT,
    envoyApiVersion: ENVOY_API_VERSION,
    envoyLogLevels: ENVOY_LOG_LEVELS,
    overloadDefaults: OVERLOAD_DEFAULTS,
};

/** What the bootstrap takes from Gloo's values outside the proxy's entry. */
export interface GlooBootstrapContext {
    /** `global.glooMtls.enabled`: TLS (certificates over SDS) on the xDS and REST xDS clusters. */
    glooMtls: boolean;
    /** `global.glooMtls.enabled`, `global.istioSDS.enabled` or `global.istioIntegration.enabled`: the `gateway_proxy_sds` cluster. */
    sds: boolean;
    /** `accessLogger.port` when `accessLogger.enabled`: the `access_log_cluster`. */
    accessLoggerPort?: number;
    /** The STS host when `settings.aws.enableServiceAccountCredentials`: the `aws_sts_cluster`. */
    awsStsHost?: string;
}

/** The Gloo values the bootstrap reads outside the proxy. */
export function glooBootstrapContext(values: GlooKeepaliveValues): GlooBootstrapContext {
    const global = values.global ?? {};
    const glooMtls = Boolean(global.glooMtls?.enabled);
    const out: GlooBootstrapContext = {
        glooMtls,
        sds: glooMtls || Boolean(global.istioSDS?.enabled) || Boolean(global.istioIntegration?.enabled),
    };
    if (values.accessLogger?.enabled) out.accessLoggerPort = Number(values.accessLogger.port ?? ACCESS_LOGGER_PORT);
    const aws = values.settings?.aws;
    if (aws?.enableServiceAccountCredentials) {
        out.awsStsHost = aws.stsCredentialsRegion ? `sts.${aws.stsCredentialsRegion}.amazonaws.com` : "sts.amazonaws.com";
    }
    return out;
}

const loadAssignment = (name: string, address: string, port: number) => ({
    cluster_name: name,
    endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: port } } } }] }],
});

const http2 = (options: Record<string, unknown> = {}) => ({
    "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
        "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
        explicit_http_config: { http2_protocol_options: options },
    },
});

const sdsConfig = {
    api_config_source: {
        api_type: "GRPC",
        grpc_services: [{ envoy_grpc: { cluster_name: "gateway_proxy_sds" } }],
        transport_api_version: "V3",
    },
    resource_api_version: "V3",
};

/** TLS to the control plane with certificates from the SDS sidecar (Gloo's `global.glooMtls`). */
export const GLOO_MTLS_TRANSPORT_SOCKET = {
    name: "envoy.transport_sockets.tls",
    typed_config: {
        "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
        common_tls_context: {
            tls_certificate_sds_secret_configs: [{ name: "server_cert", sds_config: sdsConfig }],
            validation_context_sds_secret_config: { name: "validation_context", sds_config: sdsConfig },
        },
    },
};

type Cluster = Record<string, unknown>;

/** The clusters Gloo renders from its values after wasm-cache: access log, tracing, AWS STS. */
function glooClusters(proxy: GatewayProxyValues, ctx: BootstrapContext, gloo: GlooBootstrapContext, keepalive: Cluster): Cluster[] {
    const ka = { upstream_connection_options: { tcp_keepalive: keepalive } };
    const out: Cluster[] = [];
    if (gloo.accessLoggerPort !== undefined) {
        const host = `gateway-proxy-access-logger.${ctx.namespace}.svc.${ctx.clusterDomain}`;
        out.push({
            connect_timeout: "5s",
            load_assignment: loadAssignment("access_log_cluster", host, gloo.accessLoggerPort),
            name: "access_log_cluster",
            type: "STRICT_DNS",
            typed_extension_protocol_options: http2(),
            ...ka,
        });
    }
    for (const cluster of tracingClusters(proxy)) out.push(withProxyKeepalive(cluster, keepalive));
    if (gloo.awsStsHost !== undefined) {
        out.push({
            connect_timeout: "5s",
            lb_policy: "ROUND_ROBIN",
            load_assignment: loadAssignment("aws_sts_cluster", gloo.awsStsHost, 443),
            name: "aws_sts_cluster",
            transport_socket: {
                name: "envoy.transport_sockets.tls",
                typed_config: {
                    "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
                    sni: gloo.awsStsHost,
                },
            },
            type: "LOGICAL_DNS",
            ...ka,
        });
    }
    return out;
}

/** The proxy's `tracing.cluster` entries (Envoy clusters, as the user wrote them). */
export function tracingClusters(proxy: GatewayProxyValues): EnvoyCluster[] {
    const clusters = proxy.tracing?.cluster;
    return Array.isArray(clusters) ? (clusters.filter(isPlainObject) as EnvoyCluster[]) : [];
}

/** Gloo's overload manager block (`envoyOverloadManager`, when enabled), its defaults under the user's keys. */
function overloadManager(proxy: GatewayProxyValues): Record<string, unknown> | undefined {
    const own = proxy.envoyOverloadManager;
    if (!isPlainObject(own) || !own.enabled) return undefined;
    const om: Record<string, unknown> = { ...OVERLOAD_DEFAULTS, ...own };
    om.bufferFactoryConfig ??= {};
    return Object.fromEntries(Object.entries(OVERLOAD_MANAGER_FIELDS).map(([key, field]) => [field, om[key]]));
}

/**
 * The bootstrap bootstrap.ts rendered, with what the Gloo chart adds from the values, in the
 * Gloo chart's cluster order: xDS, gateway_proxy_sds, REST xDS, wasm-cache, access log,
 * tracing, AWS STS, admin port, then the static clusters.
 */
export function withGlooBootstrap(
    bootstrap: Record<string, unknown>,
    proxy: GatewayProxyValues,
    ctx: BootstrapContext,
    gloo: GlooBootstrapContext,
): Record<string, unknown> {
    const keepalive = toEnvoyTcpKeepalive(staticClusterKeepalive(proxy)) as Cluster;
    const staticResources = bootstrap.static_resources as { clusters: Cluster[] };
    const xdsName = xdsClusterName(ctx);
    const clusters = staticResources.clusters.map((c) =>
        gloo.glooMtls && (c.name === xdsName || c.name === "rest_xds_cluster") ? { ...c, transport_socket: GLOO_MTLS_TRANSPORT_SOCKET } : c,
    );
    if (gloo.sds) {
        clusters.splice(1, 0, {
            connect_timeout: "0.25s",
            load_assignment: loadAssignment("gateway_proxy_sds", "127.0.0.1", SDS_PORT),
            name: "gateway_proxy_sds",
            typed_extension_protocol_options: http2(),
            upstream_connection_options: { tcp_keepalive: keepalive },
        });
    }
    clusters.splice(clusters.findIndex((c) => c.name === "wasm-cache") + 1, 0, ...glooClusters(proxy, ctx, gloo, keepalive));
    const out: Record<string, unknown> = { ...bootstrap, static_resources: { ...staticResources, clusters } };
    const layers = (out.layered_runtime as { layers: { static_layer?: Record<string, unknown> }[] }).layers;
    const custom = proxy.customStaticLayer;
    if (isPlainObject(custom)) {
        out.layered_runtime = {
            layers: layers.map((l) => (l.static_layer ? { ...l, static_layer: { ...custom, ...l.static_layer } } : l)),
        };
    }
    if (isPlainObject(proxy.envoyStatsConfig) && Object.keys(proxy.envoyStatsConfig).length > 0) out.stats_config = proxy.envoyStatsConfig;
    const version = String(proxy.envoyApiVersion ?? ENVOY_API_VERSION);
    const dynamic = out.dynamic_resources as Record<string, Record<string, unknown>>;
    out.dynamic_resources = {
        ads_config: { ...dynamic.ads_config, transport_api_version: version },
        cds_config: { ...dynamic.cds_config, resource_api_version: version },
        lds_config: { ...dynamic.lds_config, resource_api_version: version },
    };
    if (Array.isArray(proxy.envoyBootstrapExtensions) && proxy.envoyBootstrapExtensions.length > 0)
        out.bootstrap_extensions = proxy.envoyBootstrapExtensions;
    const om = overloadManager(proxy);
    if (om) out.overload_manager = om;
    return out;
}

/** Where each user-written part of the bootstrap came from, for the strict Envoy check's issues. */
export function glooBootstrapIssuePath(proxy: ResolvedProxy, bootstrap: Record<string, unknown>, path: string): string | undefined {
    const m = /^static_resources\.clusters\[(\d+)\](.*)$/.exec(path);
    if (m) {
        const clusters = (bootstrap.static_resources as { clusters: Cluster[] }).clusters;
        const tracing = tracingClusters(proxy.values);
        const statics = proxy.values.envoyStaticClusters ?? [];
        const i = Number(m[1]);
        const staticStart = clusters.length - statics.length;
        if (i >= staticStart) return `${proxy.origin("envoyStaticClusters")}[${i - staticStart}]${m[2]}`;
        const tracingStart = clusters.findIndex((c) => c.name === tracing[0]?.name);
        if (tracing.length > 0 && i >= tracingStart && i < tracingStart + tracing.length)
            return `${proxy.origin("tracing")}.cluster[${i - tracingStart}]${m[2]}`;
        return undefined;
    }
    const own: [RegExp, keyof GatewayProxyValues][] = [
        [/^bootstrap_extensions(.*)$/, "envoyBootstrapExtensions"],
        [/^stats_config(.*)$/, "envoyStatsConfig"],
        [/^overload_manager(.*)$/, "envoyOverloadManager"],
        [/^layered_runtime\.layers\[0\]\.static_layer(.*)$/, "customStaticLayer"],
        [/^dynamic_resources\.\w+\.(?:transport|resource)_api_version()$/, "envoyApiVersion"],
    ];
    for (const [pattern, key] of own) {
        const hit = pattern.exec(path);
        if (!hit) continue;
        // The overload manager's fields are written in Gloo's camelCase (bufferFactoryConfig), the rest as in Envoy.
        const rest = key === "envoyOverloadManager" ? hit[1].replace(/^\.(\w+)/, (_, f: string) => `.${camelCase(f)}`) : hit[1];
        return `${proxy.origin(key)}${writtenPart(proxy.values[key], rest)} (bootstrap ${path})`;
    }
    return undefined;
}

/**
 * Keepalive stays ours in the final bootstrap: every built-in cluster carries exactly the
 * proxy's tcp_keepalive (the user's clusters at least its fields), and the xDS cluster its
 * HTTP/2 keepalive, whatever the Gloo keys added (TLS, extensions, the static layer).
 */
export function keepaliveKeptIssues(proxy: ResolvedProxy, bootstrap: Record<string, unknown>, ctx: BootstrapContext): ValueIssue[] {
    const keepalive = toEnvoyTcpKeepalive(staticClusterKeepalive(proxy.values)) as Cluster;
    const builtIn = builtInClusterNames(ctx);
    const clusters = (bootstrap.static_resources as { clusters: Cluster[] }).clusters;
    const issues: ValueIssue[] = [];
    clusters.forEach((c, i) => {
        const own = (c.upstream_connection_options as { tcp_keepalive?: Cluster } | undefined)?.tcp_keepalive ?? {};
        const kept =
            String(c.name) in builtIn ? JSON.stringify(own) === JSON.stringify(keepalive) : Object.keys(keepalive).every((k) => k in own);
        if (!kept)
            issues.push({
                path: `bootstrap of gatewayProxies.${proxy.name}: static_resources.clusters[${i}]`,
                message: `cluster ${JSON.stringify(c.name)} lost the proxy's tcp_keepalive`,
            });
    });
    const xds = clusters.find((c) => c.name === xdsClusterName(ctx)) as Record<
        string,
        Record<string, Record<string, Record<string, Cluster>>>
    >;
    const h2 =
        xds?.typed_extension_protocol_options?.["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"]?.explicit_http_config
            ?.http2_protocol_options;
    if (proxy.values.xdsHttp2Keepalive && !h2?.connection_keepalive)
        issues.push({
            path: `bootstrap of gatewayProxies.${proxy.name}: the xDS cluster`,
            message: "lost the xDS HTTP/2 connection_keepalive",
        });
    return issues;
}

/**
 * A path under a value, cut after its first key the value does not hold: where Gloo fills in a
 * key left out (the overload manager's `bufferFactoryConfig: {}`), the missing key is named, as a
 * JSON Schema `required` names it, not a field beneath it the user never wrote.
 */
function writtenPart(value: unknown, rest: string): string {
    const segments = pathSegments(rest);
    let node = value;
    for (let i = 0; i < segments.length; i++) {
        const segment = segments[i];
        const held = Array.isArray(node) ? typeof segment === "number" && segment < node.length : isPlainObject(node) && segment in node;
        if (!held) return joinPath("", ...segments.slice(0, i + 1)).replace(/^(?=\w)/, ".");
        node = (node as Record<string | number, unknown>)[segment];
    }
    return rest;
}

const camelCase = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** What Envoy or the keepalive rules refuse in the Gloo keys this module renders, each at its value path. */
export function glooBootstrapIssues(proxy: ResolvedProxy, ctx: BootstrapContext): ValueIssue[] {
    const v = proxy.values;
    const issues: ValueIssue[] = [];
    const layer = v.customStaticLayer;
    for (const key of ["overload", "upstream"]) {
        if (isPlainObject(layer) && key in layer)
            issues.push({
                path: `${proxy.origin("customStaticLayer")}.${key}`,
                message: `Gloo renders the static layer's ${key} itself (${key === "overload" ? "globalDownstreamMaxConnections" : "healthyPanicThreshold"}); set that value instead`,
            });
    }
    if (v.envoyApiVersion !== undefined && v.envoyApiVersion !== null && String(v.envoyApiVersion) !== ENVOY_API_VERSION)
        issues.push({
            path: proxy.origin("envoyApiVersion"),
            message: `${JSON.stringify(v.envoyApiVersion)}: Envoy accepts only V3 (V2 and AUTO are disallowed by default)`,
        });
    if (v.envoyLogLevel && !(ENVOY_LOG_LEVELS as readonly string[]).includes(String(v.envoyLogLevel)))
        issues.push({
            path: proxy.origin("envoyLogLevel"),
            message: `${JSON.stringify(v.envoyLogLevel)} is not an Envoy log level (${ENVOY_LOG_LEVELS.join(", ")})`,
        });
    issues.push(...tracingClusterIssues(proxy, ctx));
    return issues;
}

/** The tracing clusters: names (not built-in, not a static cluster's, unique), keepalive within the kernel's bounds, the static clusters' rules. */
function tracingClusterIssues(proxy: ResolvedProxy, ctx: BootstrapContext): ValueIssue[] {
    const v = proxy.values;
    const at = `${proxy.origin("tracing")}.cluster`;
    const clusters = tracingClusters(v);
    const builtIn = builtInClusterNames(ctx);
    const statics = new Map((v.envoyStaticClusters ?? []).map((c, i) => [c.name, i]));
    const seen = new Map<unknown, number>();
    const issues: ValueIssue[] = staticClusterSemanticIssues(clusters, at, v.gatewaySettings?.socketOptionsPlatform ?? "linux");
    clusters.forEach((cluster, i) => {
        const name = cluster.name;
        const path = `${at}[${i}].name`;
        if (typeof name !== "string" || name.trim() === "") issues.push({ path, message: "a tracing cluster needs a name" });
        else if (name in builtIn)
            issues.push({
                path,
                message: `"${name}" is the name of ${builtIn[name]}, a built-in cluster of the bootstrap; choose another name`,
            });
        else if (statics.has(name))
            issues.push({ path, message: `"${name}" is already the name of ${proxy.origin("envoyStaticClusters")}[${statics.get(name)}]` });
        else if (seen.has(name)) issues.push({ path, message: `"${name}" is already the name of ${at}[${seen.get(name)}]` });
        else seen.set(name, i);
        const own = isPlainObject(cluster.upstream_connection_options) ? cluster.upstream_connection_options.tcp_keepalive : undefined;
        for (const field of KEEPALIVE_FIELD_NAMES) {
            const value = isPlainObject(own) ? own[KEEPALIVE_FIELDS[field].envoy] : undefined;
            const problem = value === undefined ? undefined : keepaliveFieldProblem(field, value);
            if (problem)
                issues.push({
                    path: `${at}${formatPath([i, "upstream_connection_options", "tcp_keepalive", KEEPALIVE_FIELDS[field].envoy])}`,
                    message: problem,
                });
        }
    });
    return issues;
}
