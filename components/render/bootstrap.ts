/**
 * The Envoy v3 bootstrap a Gloo gateway proxy runs: node, admin on the loopback address, ADS
 * over gRPC to the xDS cluster, and static clusters, every one of them with TCP keepalive.
 */
import { KEEPALIVE_FIELD_NAMES, KEEPALIVE_FIELDS, toEnvoyTcpKeepalive, type EnvoyTcpKeepalive, type TcpKeepalive } from "../keepalive";
import type { EnvoyCluster, GatewayProxyValues } from "../values/types";
import { isPlainObject, mergeValues, type ValueIssue } from "../values/values";

/** Ports of the Gloo control plane that the bootstrap talks to besides xDS. */
export const REST_XDS_PORT = 9976;
export const WASM_CACHE_PORT = 9979;
export const ADMIN_PORT = 19000;
export const READ_CONFIG_PORT = 8082;

/** Where a proxy's bootstrap lives: the names the xDS cluster and node role are built from. */
export interface BootstrapContext {
    /** The proxy's Kubernetes name (its `gatewayProxies` key, kebab-cased). */
    proxyName: string;
    /** The release namespace. */
    namespace: string;
    /** The cluster's DNS domain (`k8s.clusterName`). */
    clusterDomain: string;
}

/** Gloo's name of the xDS cluster: `gloo.<namespace>.svc.<clusterDomain>:<port>`. */
export function xdsClusterName(ctx: BootstrapContext, port: number): string {
    return `gloo.${ctx.namespace}.svc.${ctx.clusterDomain}:${port}`;
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
export function builtInClusterNames(ctx: BootstrapContext, xdsPort: number): Record<string, string> {
    return { [xdsClusterName(ctx, xdsPort)]: XDS_CLUSTER_DESCRIPTION, ...BUILT_IN_CLUSTERS };
}

/** The keepalive a proxy puts on its static clusters, from its tcpKeepalive* values. */
export function staticClusterKeepalive(proxy: GatewayProxyValues): TcpKeepalive {
    const keepalive: TcpKeepalive = {};
    for (const field of KEEPALIVE_FIELD_NAMES) {
        const value = proxy[KEEPALIVE_FIELDS[field].proxyValue];
        if (value !== undefined) keepalive[field] = value;
    }
    return keepalive;
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

function readConfigListener(): Record<string, unknown> {
    const get = [{ name: ":method", string_match: { exact: "GET" } }];
    const route = (match: Record<string, unknown>) => ({ match: { ...match, headers: get }, route: { cluster: "admin_port_cluster" } });
    return {
        address: { socket_address: { address: "0.0.0.0", port_value: READ_CONFIG_PORT } },
        filter_chains: [
            {
                filters: [
                    {
                        name: "envoy.filters.network.http_connection_manager",
                        typed_config: {
                            "@type":
                                "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                            codec_type: "AUTO",
                            http_filters: [
                                {
                                    name: "envoy.filters.http.router",
                                    typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" },
                                },
                            ],
                            route_config: {
                                name: "read_config_route",
                                virtual_hosts: [
                                    {
                                        domains: ["*"],
                                        name: "read_config_host",
                                        routes: [
                                            route({ path: "/ready" }),
                                            route({ prefix: "/stats" }),
                                            route({ prefix: "/config_dump" }),
                                            route({ prefix: "/clusters" }),
                                        ],
                                    },
                                ],
                            },
                            stat_prefix: "read_config",
                        },
                    },
                ],
            },
        ],
        name: "read_config_listener",
    };
}

/** Render one proxy's bootstrap. The values must already have passed the shape check. */
export function renderBootstrap(proxy: GatewayProxyValues, ctx: BootstrapContext): Record<string, unknown> {
    const xdsPort = proxy.xdsServicePort as number;
    const xdsName = xdsClusterName(ctx, xdsPort);
    const xdsAddress = proxy.xdsServiceAddress as string;
    const loopback = proxy.loopBackAddress as string;
    const keepalive = toEnvoyTcpKeepalive(staticClusterKeepalive(proxy));
    const glooHost = `gloo.${ctx.namespace}.svc.${ctx.clusterDomain}`;

    const http2 = proxy.xdsHttp2Keepalive
        ? {
              connection_keepalive: {
                  interval: `${proxy.xdsHttp2Keepalive.intervalSeconds}s`,
                  timeout: `${proxy.xdsHttp2Keepalive.timeoutSeconds}s`,
              },
          }
        : {};
    const xds = {
        ...strictDnsCluster(xdsName, xdsAddress, xdsPort, keepalive),
        alt_stat_name: "xds_cluster",
        typed_extension_protocol_options: {
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                explicit_http_config: { http2_protocol_options: http2 },
            },
        },
    };
    const clusters: Record<string, unknown>[] = [
        xds,
        { ...strictDnsCluster("rest_xds_cluster", xdsAddress, REST_XDS_PORT, keepalive), alt_stat_name: "rest_xds_cluster" },
        strictDnsCluster("wasm-cache", glooHost, WASM_CACHE_PORT, keepalive),
    ];
    if (proxy.readConfig) {
        clusters.push({
            connect_timeout: "5s",
            lb_policy: "ROUND_ROBIN",
            load_assignment: endpoint("admin_port_cluster", loopback, ADMIN_PORT),
            name: "admin_port_cluster",
            type: "STATIC",
            upstream_connection_options: { tcp_keepalive: keepalive },
        });
    }
    for (const cluster of proxy.envoyStaticClusters ?? []) clusters.push(withProxyKeepalive(cluster, keepalive));

    const staticResources: Record<string, unknown> = { clusters };
    if (proxy.readConfig) staticResources.listeners = [readConfigListener()];
    return {
        admin: { address: { socket_address: { address: loopback, port_value: ADMIN_PORT } } },
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
                        overload: { global_downstream_max_connections: 250000 },
                        upstream: { healthy_panic_threshold: { value: 50 } },
                    },
                },
                { admin_layer: {}, name: "admin_layer" },
            ],
        },
        node: { cluster: "gateway", id: "{{.PodName}}.{{.PodNamespace}}", metadata: { role: `${ctx.namespace}~${ctx.proxyName}` } },
        static_resources: staticResources,
    };
}

/** Static clusters whose name is empty, repeated, or a built-in cluster name; each issue names both places. */
export function checkStaticClusterNames(
    clusters: readonly EnvoyCluster[],
    clustersPath: string,
    ctx: BootstrapContext,
    xdsPort: number,
): ValueIssue[] {
    const issues: ValueIssue[] = [];
    const builtIn = builtInClusterNames(ctx, xdsPort);
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
