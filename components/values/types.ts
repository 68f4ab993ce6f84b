/**
 * The typed values, in the shape of the Gloo Helm chart (`gatewayProxies.<name>`), so a Gloo
 * user's values file keeps working. Field names are Gloo's where Gloo has them.
 */
import type { LoadBalancer, SocketOptionsPlatform, TcpKeepalive } from "../keepalive";
import type {
    GlooGatewayProxy,
    GlooGatewayProxyGatewaySettings,
    GlooGatewayProxyKind,
    GlooGatewayProxyPodTemplate,
    GlooGatewayProxyService,
    GlooGloo,
    GlooHelmConfig,
} from "../generated/gloo-types";

/** Gloo's Prometheus stats settings (`gatewayProxies.<name>.stats`, else `global.glooStats`). */
export interface StatsConfig {
    enabled?: boolean | null;
    routePrefixRewrite?: string | number | null;
    enableStatsRoute?: boolean | null;
    statsPrefixRewrite?: string | number | null;
    /** Add Datadog's ad.datadoghq.com pod annotations (global only). */
    setDatadogAnnotations?: boolean | null;
    /** The `http-monitoring` container port 8081 (9091 on the SDS sidecar), for a Prometheus PodMonitor. */
    podMonitorEnabled?: boolean | null;
    /** The `<proxy>-monitoring-service` Service on port 8081, for a Prometheus ServiceMonitor. */
    serviceMonitorEnabled?: boolean | null;
}

/** Our keys `O` over Gloo's `G`: every key Gloo knows, ours typed as we type them. */
export type OverGloo<G, O> = O & Omit<G, keyof O>;

/** An Envoy v3 Cluster as written in Envoy YAML (snake_case). Checked strictly against Envoy's protos. */
export interface EnvoyCluster {
    /** The cluster name; must not be empty, repeated, or one of the built-in cluster names. */
    name: string;
    [field: string]: unknown;
}

/** HTTP/2 PING keepalive on the xDS connection: catches a stale gRPC stream that TCP probes cannot. */
export interface Http2Keepalive {
    /** Seconds between PING frames. */
    intervalSeconds: number;
    /** Seconds to wait for a PING acknowledgement before the connection is closed. */
    timeoutSeconds: number;
}

/** The `gatewaySettings` of a proxy: its two Gloo Gateways (http and https). */
export interface OwnGatewaySettings {
    /** Render the proxy's Gateway objects. */
    enabled?: boolean;
    /** Skip the http Gateway. */
    disableHttpGateway?: boolean;
    /** Skip the https Gateway. */
    disableHttpsGateway?: boolean;
    /** Bind 0.0.0.0 instead of `::`. */
    ipv4Only?: boolean;
    /** Expect the PROXY protocol on downstream connections. */
    useProxyProto?: boolean;
    /** Typed downstream keepalive: rendered as the four listener socket options. */
    tcpKeepalive?: TcpKeepalive;
    /** Which operating system's socket-option numbers to render (Linux unless you run Envoy on macOS). */
    socketOptionsPlatform?: SocketOptionsPlatform;
    /** Gloo's raw ListenerOptions, copied as they are into both Gateways' `spec.options`. */
    options?: Record<string, unknown>;
    /** HTTP idle timeout of both Gateways (Gloo `httpConnectionManagerSettings.idleTimeout`; Envoy's default 3600 s). */
    httpIdleTimeoutSeconds?: number;
    /** TCP_USER_TIMEOUT on downstream connections, in seconds (rendered in milliseconds as a listener socket option). */
    tcpUserTimeoutSeconds?: number;
}

/** Gloo's image variants: `fips` adds `-fips` to a FIPS image's repository, `distroless` adds `-distroless` to the tag. */
export type ImageVariant = "standard" | "fips" | "distroless" | "fips-distroless";

/** A container image, as Gloo's `Image` value (the proxy's own fields merged over `global.image`'s). */
export interface ProxyImage {
    /** The image's registry, e.g. `quay.io/solo-io`. */
    registry?: string;
    /** The image's repository (name). */
    repository?: string;
    /** The image's tag. */
    tag?: string;
    /** The standard image's digest (`sha256:...`), appended as `@sha256:...`. */
    digest?: string;
    /** The digest used with variant `fips` (or `fips: true`). */
    fipsDigest?: string;
    /** The digest used with variant `distroless`. */
    distrolessDigest?: string;
    /** The digest used with variant `fips-distroless`. */
    fipsDistrolessDigest?: string;
    /** Leave every digest out of the reference. */
    disableDigest?: boolean;
    pullPolicy?: "Always" | "IfNotPresent" | "Never";
    /** The name of an image pull secret in the pod's namespace. */
    pullSecret?: string;
    /** Which build of the images: standard, fips, distroless or fips-distroless. */
    variant?: ImageVariant;
    /** Deprecated form of variant `fips`. */
    fips?: boolean;
}

/** The proxy's pod template. */
export interface OwnPodTemplate {
    /** Container port of the http listener. */
    httpPort?: number;
    /** Container port of the https listener. */
    httpsPort?: number;
    /** Set the pod's `net.ipv4.tcp_keepalive_*` sysctls from the proxy's keepalive (safe sysctls since Kubernetes 1.29). */
    tcpKeepaliveSysctls?: boolean;
    /** The Envoy image. */
    image?: ProxyImage;
    /** Container resources, as in Kubernetes. */
    resources?: Record<string, unknown>;
    /** Do not add NET_BIND_SERVICE (the proxy cannot bind ports below 1024). Gloo's default true. */
    disableNetBind?: boolean;
    /** The uid Envoy runs as. Default 10101. */
    runAsUser?: number;
    /** The pod's fsGroup. Default 10101. */
    fsGroup?: number;
    /** Envoy's container runs as non-root (`runAsNonRoot`). Gloo's default true. */
    runUnprivileged?: boolean;
    /** Render Gloo's pod securityContext (fsGroup, runAsUser, or `podSecurityContext`). Gloo's default true. */
    enablePodSecurityContext?: boolean;
    /** Fail Envoy's health check, then wait, before the container stops (Gloo's preStop hook). */
    gracefulShutdown?: { enabled?: boolean; sleepTimeSeconds?: number };
}

/** Deployment or DaemonSet, as in Gloo. A DaemonSet wins when both are set. */
export interface OwnProxyKind {
    /** `Deployment` or `DaemonSet`, before the deployment and daemonSet keys. */
    workloadType?: "Deployment" | "DaemonSet";
    deployment?: { replicas?: number } | null;
    daemonSet?: { hostPort?: boolean; hostNetwork?: boolean } | null;
}

/** The proxy's Kubernetes Service. */
export interface OwnProxyService {
    type?: "LoadBalancer" | "NodePort" | "ClusterIP";
    httpPort?: number;
    httpsPort?: number;
    extraAnnotations?: Record<string, string>;
    /** The Service's name (kebab-cased as Gloo does); default the proxy's. */
    name?: string;
}

/** The `gatewaySettings` of a proxy, every Gloo key included. */
export type GatewaySettings = OverGloo<GlooGatewayProxyGatewaySettings, OwnGatewaySettings>;
/** The proxy's pod template, every Gloo key included. */
export type PodTemplate = OverGloo<GlooGatewayProxyPodTemplate, OwnPodTemplate>;
/** Deployment or DaemonSet, every Gloo key included. */
export type ProxyKind = OverGloo<GlooGatewayProxyKind, OwnProxyKind>;
/** The proxy's Service, every Gloo key included. */
export type ProxyService = OverGloo<GlooGatewayProxyService, OwnProxyService>;
/** One `gatewayProxies.<name>` entry, every Gloo key included. */
export type GatewayProxyValues = OverGloo<GlooGatewayProxy, OwnGatewayProxyValues>;

/** The keys of one `gatewayProxies.<name>` entry that gloo-keepalive adds or types more tightly than Gloo. Every entry is deep-merged over `gatewayProxies.gatewayProxy`. */
export interface OwnGatewayProxyValues {
    /** Do not render this proxy. */
    disabled?: boolean;
    /** Keepalive idle time on every static cluster (xDS, REST xDS, wasm cache, yours). Gloo's value; default 60. */
    tcpKeepaliveTimeSeconds?: number;
    /** Seconds between keepalive probes on every static cluster. Unset: OS default. */
    tcpKeepaliveIntervalSeconds?: number;
    /** Unanswered probes before a static-cluster connection is dropped. Unset: OS default. */
    tcpKeepaliveProbes?: number;
    /** HTTP/2 PING keepalive on the xDS cluster. */
    xdsHttp2Keepalive?: Http2Keepalive;
    /** Your Envoy v3 static clusters, appended after the built-in ones, each with the proxy's keepalive. */
    envoyStaticClusters?: EnvoyCluster[];
    /** Address of the Gloo control plane's xDS service. Unset: `gloo.<release namespace>.svc.<k8s.clusterName>`. */
    xdsServiceAddress?: string;
    /** Envoy's overload limit of downstream connections. Default 250000. */
    globalDownstreamMaxConnections?: number;
    /** Percentage of healthy hosts below which Envoy balances over all hosts. Default 50. */
    healthyPanicThreshold?: number;
    /** Port of the Gloo control plane's xDS service. */
    xdsServicePort?: number;
    /** Loopback address for the admin listener and admin cluster. */
    loopBackAddress?: string;
    /** Add the read-config listener and the admin port cluster. */
    readConfig?: boolean;
    /** Idle timeout of the load balancer in front of the proxy (e.g. 350 for an AWS NLB): keepalive time must stay below it. */
    loadBalancerIdleTimeoutSeconds?: number;
    /** The load balancer in front of the proxy: its type (L4 or L7) and idle timeout (default: the type's). */
    loadBalancer?: LoadBalancer;
    /** Idle timeout of a middlebox between the proxy and its upstreams and static clusters (e.g. an AWS NAT gateway, 350). */
    egressIdleTimeoutSeconds?: number;
    /** Idle timeout of a middlebox between the proxy and the xDS server (e.g. kube-proxy IPVS, 900). */
    controlPlaneIdleTimeoutSeconds?: number;
    /** TCP_USER_TIMEOUT in seconds on every static cluster and the xDS cluster (`upstream_bind_config.socket_options`). */
    tcpUserTimeoutSeconds?: number;
    gatewaySettings?: GatewaySettings;
    podTemplate?: PodTemplate;
    kind?: ProxyKind;
    service?: ProxyService;
    /** Extra arguments for Envoy, after `--disable-hot-restart`. */
    extraEnvoyArgs?: string[];
    /** Envoy writes no core dump on a crash (`DISABLE_CORE_DUMPS`). Default false. */
    disableCoreDumps?: boolean;
    /** Namespace of the proxy's objects (the node role and xDS address keep the control plane's). Unset: the release namespace. */
    namespace?: string;
    /** The envoy-config ConfigMap: Gloo's `kubeResourceOverride`; its full-custom `data` is refused (it would drop keepalive). */
    configMap?: { data?: Record<string, never>; kubeResourceOverride?: Record<string, unknown> | null };
}

/** A Gloo Upstream with typed keepalive. */
export interface UpstreamValues {
    /** Upstream name (a Kubernetes object name). */
    name: string;
    /** Namespace; the release namespace when unset. */
    namespace?: string;
    /** Host name or IP address of the service. */
    host: string;
    /** Port of the service. */
    port: number;
    /** Keepalive on connections from the proxy to this upstream. */
    tcpKeepalive: TcpKeepalive;
}

/** The whole values file. */
export interface OwnGlooKeepaliveValues {
    /** The gateway proxies by name; `gatewayProxy` is the default entry every other one is merged over. */
    gatewayProxies?: Record<string, GatewayProxyValues>;
    /** Gloo Enterprise nests the same map under `gloo.`. */
    gloo?: OwnGlooNesting;
    /** Gloo Upstreams with typed keepalive. */
    upstreams?: UpstreamValues[];
    /** Kubernetes cluster settings. */
    k8s?: { clusterName?: string };
    /** Gloo's global values the proxies read. */
    global?: { glooStats?: StatsConfig; image?: ProxyImage };
    /** Gloo's settings the proxies read. */
    settings?: { writeNamespace?: string };
    /** Gloo's gateway values the proxies read. */
    gateway?: {
        /** Gloo's `gateway.enabled`: false or null renders none of the proxies' own objects, only their Gateways. */
        enabled?: boolean | null;
        /** Gloo's `gateway.upgrade` (its templates read it; its values types omit it): true drops the pods' `gateway-proxy: live` label. */
        upgrade?: boolean | null;
        /** The `gateway-proxy` ServiceAccount: `create: false` reuses the one a Gloo release renders (gloo-keepalive's key). */
        proxyServiceAccount?: {
            create?: boolean;
            extraAnnotations?: Record<string, string>;
            kubeResourceOverride?: Record<string, unknown> | null;
        };
    };
}

/** `gloo.`: Gloo's control-plane values, or Gloo Enterprise's nesting of the whole open-source values. */
export interface OwnGlooNesting {
    /** The gateway proxies by name (Gloo Enterprise nesting), merged over `gatewayProxies`. */
    gatewayProxies?: Record<string, GatewayProxyValues>;
    /** The control plane's ports, as the proxies reach them. */
    deployment?: { xdsPort?: number; restXdsPort?: number };
}

/** The whole values file: every Gloo key included (the control plane's are accepted, not rendered). */
export type GlooKeepaliveValues = OverGloo<GlooHelmConfig, Omit<OwnGlooKeepaliveValues, "gloo" | "global" | "settings" | "gateway">> & {
    gateway?: OwnGlooKeepaliveValues["gateway"] & Omit<GlooHelmConfig["gateway"], "proxyServiceAccount" | "enabled">;
    global?: OwnGlooKeepaliveValues["global"] & Omit<GlooHelmConfig["global"], "glooStats" | "image">;
    settings?: OwnGlooKeepaliveValues["settings"] & Omit<GlooHelmConfig["settings"], "writeNamespace">;
    gloo?: OwnGlooNesting & Omit<GlooGloo, keyof OwnGlooNesting> & Record<string, unknown>;
};
