/**
 * The Envoy v3 bootstrap a Gloo gateway proxy runs: node, admin on the loopback address, ADS
 * over gRPC to the xDS cluster, and static clusters, every one of them with TCP keepalive.
 */
import { keepaliveFrom, toEnvoyTcpKeepalive, type EnvoyTcpKeepalive, type TcpKeepalive } from "../keepalive";
import type { EnvoyCluster, GatewayProxyValues, StatsConfig } from "../values/types";
import { isPlainObject, mergeValues, type ValueIssue } from "../values/values";

/** Ports of the Gloo control plane that the bootstrap talks to besides xDS. */
export const REST_XDS_PORT = 9976;
export const WASM_CACHE_PORT = 9979;
export const ADMIN_PORT = 19000;
export const READ_CONFIG_PORT = 8082;
export const PROMETHEUS_PORT = 8081;

/** Gloo's xDS port of its control plane (`gloo.deployment.xdsPort`). */
export const XDS_PORT = 9977;

/** Where a proxy's bootstrap lives: the names the xDS cluster and node role are built from. */
export interface BootstrapContext {
    /** The proxy's Kubernetes name (its `gatewayProxies` key, kebab-cased). */
    proxyName: string;
    /** The release namespace (where Gloo's control plane runs). */
    namespace: string;
    /** The cluster's DNS domain (`k8s.clusterName`). */
    clusterDomain: string;
    /** The control plane's write namespace (`settings.writeNamespace`, else the release namespace): the node role's. */
    writeNamespace?: string;
    /** The control plane's xDS port (`gloo.deployment.xdsPort`). Default 9977. */
    xdsPort?: number;
    /** The control plane's REST xDS port (`gloo.deployment.restXdsPort`). Default 9976. */
    restXdsPort?: number;
    /** The Prometheus stats in force (`stats`, else `global.glooStats`). */
    stats?: StatsConfig;
    /** `global.glooStats.enableStatsRoute` and `statsPrefixRewrite`: the /stats route on the Prometheus listener. */
    statsRoute?: string | null;
}

/** Gloo's name of the xDS cluster: `gloo.<namespace>.svc.<clusterDomain>:<gloo.deployment.xdsPort>`. */
export function xdsClusterName(ctx: BootstrapContext): string {
    return `gloo.${ctx.namespace}.svc.${ctx.clusterDomain}:${ctx.xdsPort ?? XDS_PORT}`;
}

/** Whether the bootstrap has Gloo's admin_port_cluster: for the stats listener or the read-config listener. */
export function hasAdminPortCluster(proxy: GatewayProxyValues, ctx: BootstrapContext): boolean {
    return Boolean(ctx.stats?.enabled || proxy.readConfig);
}

/** Fixed cluster names the Gloo proxy uses itself (some only with features we do not render); a user cluster may not take them. */
export const BUILT_IN_CLUSTERS: Readonly<Record<string, string>> = {
    rest_xds_cluster: "the REST xDS cluster",
    "wasm-cache": "the wasm cache cluster",
    admin_port_cluster: "the admin port cluster",
    gateway_proxy_sds: "Gloo's SDS cluster",
    access_log_cluster: "Gloo's access log cluster",
    aws_sts_cluster: "Gloo's AWS STS cluster",
};
export const XDS_CLUSTER_DESCRIPTION = "the xDS cluster";

/** Every built-in cluster name of a proxy, the xDS cluster's included, with what it is. */
export function builtInClusterNames(ctx: BootstrapContext): Record<string, string> {
    return { [xdsClusterName(ctx)]: XDS_CLUSTER_DESCRIPTION, ...BUILT_IN_CLUSTERS };
}

/** The keepalive a proxy puts on its static clusters, from its tcpKeepalive* values. */
export function staticClusterKeepalive(proxy: GatewayProxyValues): TcpKeepalive {
    return keepaliveFrom(proxy, "proxyValue");
}

function endpoint(clusterName: string, address: string, port: number): Record<string, unknown> {
    return {
        cluster_name: clusterName,
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: port } } } }] }],
    };
}

function strictDnsCluster(name: string, address: string, port: number, keepalive: EnvoyTcpKeepalive): Record<string, unknown> {
    return {
        connect_timeout: "5s",
        load_assignment: endpoint(name, address, port),
        name,
        respect_dns_ttl: true,
        type: "STRICT_DNS",
        upstream_connection_options: { tcp_keepalive: keepalive },
    };
}

/** A user static cluster with the proxy's keepalive underneath its own tcp_keepalive fields (its own win, field by field). */
export function withProxyKeepalive(cluster: EnvoyCluster, keepalive: EnvoyTcpKeepalive): EnvoyCluster {
    return mergeValues(cluster, { upstream_connection_options: { tcp_keepalive: mergeValues(keepalive, ownTcpKeepalive(cluster)) } });
}

function ownTcpKeepalive(cluster: EnvoyCluster): EnvoyTcpKeepalive {
    const options = cluster.upstream_connection_options;
    const own = isPlainObject(options) ? options.tcp_keepalive : undefined;
    return isPlainObject(own) ? (own as EnvoyTcpKeepalive) : {};
}

/** A route; a null prefixRewrite is Gloo's unset rewrite, written as it renders it (`prefix_rewrite: null`, Envoy's default). */
type Route = { match: Record<string, unknown>; prefixRewrite?: string | null };

/** A listener of GET routes to the admin port cluster (Gloo's Prometheus and read-config listeners). */
function adminRoutesListener(name: string, port: number, prefix: string, routes: Route[]): Record<string, unknown> {
    const get = [{ name: ":method", string_match: { exact: "GET" } }];
    const route = (r: Route) => ({
        match: { ...r.match, headers: get },
        route: { cluster: "admin_port_cluster", ...(r.prefixRewrite === undefined ? {} : { prefix_rewrite: r.prefixRewrite }) },
    });
    const router = {
        name: "envoy.filters.http.router",
        typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" },
    };
    const hcm = {
        "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
        codec_type: "AUTO",
        http_filters: [router],
        route_config: { name: `${prefix}_route`, virtual_hosts: [{ domains: ["*"], name: `${prefix}_host`, routes: routes.map(route) }] },
        stat_prefix: prefix,
    };
    return {
        address: { socket_address: { address: "0.0.0.0", port_value: port } },
        filter_chains: [{ filters: [{ name: "envoy.filters.network.http_connection_manager", typed_config: hcm }] }],
        name,
    };
}

/** A value as Gloo's template prints it, null when unset. */
export const printedOrNull = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

/** Gloo's Prometheus listener on 8081: /ready, /metrics (and /stats when `global.glooStats.enableStatsRoute`). */
function prometheusListener(stats: StatsConfig, statsRoute: string | null | undefined): Record<string, unknown> {
    const routes: Route[] = [
        { match: { path: "/ready" } },
        { match: { prefix: "/metrics" }, prefixRewrite: printedOrNull(stats.routePrefixRewrite) },
    ];
    if (statsRoute !== undefined) routes.push({ match: { prefix: "/stats" }, prefixRewrite: statsRoute });
    return adminRoutesListener("prometheus_listener", PROMETHEUS_PORT, "prometheus", routes);
}

function readConfigListener(): Record<string, unknown> {
    const routes = [{ path: "/ready" }, { prefix: "/stats" }, { prefix: "/config_dump" }, { prefix: "/clusters" }];
    return adminRoutesListener(
        "read_config_listener",
        READ_CONFIG_PORT,
        "read_config",
        routes.map((match) => ({ match })),
    );
}

/** The xDS, REST xDS, wasm cache and admin port clusters, as Gloo renders them, with the proxy's keepalive. */
function builtInClusters(proxy: GatewayProxyValues, ctx: BootstrapContext, keepalive: EnvoyTcpKeepalive): Record<string, unknown>[] {
    const xdsName = xdsClusterName(ctx);
    const glooHost = `gloo.${ctx.namespace}.svc.${ctx.clusterDomain}`;
    const xdsAddress = proxy.xdsServiceAddress || glooHost;
    const http2 = proxy.xdsHttp2Keepalive
        ? {
              connection_keepalive: {
                  interval: `${proxy.xdsHttp2Keepalive.intervalSeconds}s`,
                  timeout: `${proxy.xdsHttp2Keepalive.timeoutSeconds}s`,
              },
          }
        : {};
    const xds = {
        ...strictDnsCluster(xdsName, xdsAddress, proxy.xdsServicePort || (ctx.xdsPort ?? XDS_PORT), keepalive),
        alt_stat_name: "xds_cluster",
        typed_extension_protocol_options: {
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                explicit_http_config: { http2_protocol_options: http2 },
            },
        },
    };
    const restPort = proxy.xdsServicePort || (ctx.restXdsPort ?? REST_XDS_PORT);
    const clusters: Record<string, unknown>[] = [
        xds,
        { ...strictDnsCluster("rest_xds_cluster", xdsAddress, restPort, keepalive), alt_stat_name: "rest_xds_cluster" },
        strictDnsCluster("wasm-cache", glooHost, WASM_CACHE_PORT, keepalive),
    ];
    if (hasAdminPortCluster(proxy, ctx)) {
        clusters.push({
            connect_timeout: "5s",
            lb_policy: "ROUND_ROBIN",
            load_assignment: endpoint("admin_port_cluster", proxy.loopBackAddress as string, ADMIN_PORT),
            name: "admin_port_cluster",
            type: "STATIC",
            upstream_connection_options: { tcp_keepalive: keepalive },
        });
    }
    return clusters;
}

/** Render one proxy's bootstrap. The values must already have passed the shape check. */
export function renderBootstrap(proxy: GatewayProxyValues, ctx: BootstrapContext): Record<string, unknown> {
    const keepalive = toEnvoyTcpKeepalive(staticClusterKeepalive(proxy));
    const clusters = builtInClusters(proxy, ctx, keepalive);
    for (const cluster of proxy.envoyStaticClusters ?? []) clusters.push(withProxyKeepalive(cluster, keepalive));
    const listeners: Record<string, unknown>[] = [];
    if (ctx.stats?.enabled) listeners.push(prometheusListener(ctx.stats, ctx.statsRoute));
    if (proxy.readConfig) listeners.push(readConfigListener());
    const staticResources: Record<string, unknown> = { clusters, ...(listeners.length > 0 ? { listeners } : {}) };
    const xdsName = xdsClusterName(ctx);
    return {
        admin: { access_log_path: "/dev/null", address: { socket_address: { address: proxy.loopBackAddress, port_value: ADMIN_PORT } } },
        dynamic_resources: {
            ads_config: {
                api_type: "GRPC",
                grpc_services: [{ envoy_grpc: { cluster_name: xdsName } }],
                rate_limit_settings: {},
                transport_api_version: "V3",
            },
            cds_config: { ads: {}, resource_api_version: "V3" },
            lds_config: { ads: {}, resource_api_version: "V3" },
        },
        layered_runtime: {
            layers: [
                {
                    name: "static_layer",
                    static_layer: {
                        overload: { global_downstream_max_connections: proxy.globalDownstreamMaxConnections },
                        upstream: { healthy_panic_threshold: { value: proxy.healthyPanicThreshold } },
                    },
                },
                { admin_layer: {}, name: "admin_layer" },
            ],
        },
        node: {
            cluster: "gateway",
            id: "{{.PodName}}.{{.PodNamespace}}",
            metadata: { role: `${ctx.writeNamespace || ctx.namespace}~${ctx.proxyName}` },
        },
        static_resources: staticResources,
    };
}

/** Static clusters whose name is empty, repeated, or a built-in cluster name; each issue names both places. */
export function checkStaticClusterNames(clusters: readonly EnvoyCluster[], clustersPath: string, ctx: BootstrapContext): ValueIssue[] {
    const issues: ValueIssue[] = [];
    const builtIn = builtInClusterNames(ctx);
    const seen = new Map<string, number>();
    clusters.forEach((cluster, i) => {
        const path = `${clustersPath}[${i}].name`;
        const name = cluster.name;
        if (typeof name !== "string") return; // the shape check reports it
        if (name.trim() === "") {
            issues.push({ path, message: "a static cluster needs a name (empty)" });
        } else if (name in builtIn) {
            issues.push({
                path,
                message: `"${name}" is the name of ${builtIn[name]}, a built-in cluster of the bootstrap (static_resources.clusters); choose another name`,
            });
        } else if (seen.has(name)) {
            issues.push({ path, message: `"${name}" is already the name of ${clustersPath}[${seen.get(name)}]` });
        } else {
            seen.set(name, i);
        }
    });
    return issues;
}
