/**
 * The Kubernetes objects of a proxy and of the upstreams, named and labelled as Gloo does.
 */
import { createHash } from "crypto";
import { goPrettyJson } from "./canonical-json";
import { SOCKET_OPTION_NUMBERS, toGlooTcpKeepalive, toSocketOptions, type SocketOption, type Sysctl } from "../keepalive";
import type { GatewayProxyValues, ProxyImage, StatsConfig, UpstreamValues } from "../values/types";
import { isPlainObject, type ValueIssue } from "../values/values";
import { podScheduling, probesAndLifecycle } from "./pod-spec";
import { containerSecurityContext, podSecurityContext, type PodSecurityGlobals } from "./pod-security";
import { customServicePorts, excludeInboundPorts, extraPodLabels, podExtras, type PodExtras } from "./pod-extras";
import { envoyLogLevelArgs } from "./envoy-args";
import { printedOrNull } from "./bootstrap";
import { withMounts, type PodMesh } from "./mesh";
import { glooImage, imagePullSecrets } from "./gloo-image";
import { proxyMonitoringPorts } from "./monitoring";

/** A Kubernetes object as rendered. */
export interface KubernetesObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
    [field: string]: unknown;
}

/** Helm's `kebabcase` for the proxy names the values schema allows (camelCase words, digits at a word's end). */
export function kebabCase(name: string): string {
    return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Release-wide labels, on every object. */
export function releaseLabels(releaseName: string): Record<string, string> {
    return { app: "gloo", "app.kubernetes.io/instance": releaseName, "app.kubernetes.io/part-of": "gloo-keepalive" };
}

/** Our own labels (no `app: gloo`): what Gloo's pod template labels gain. */
function ownLabels(releaseName: string): Record<string, string> {
    const { app: _app, ...own } = releaseLabels(releaseName);
    return own;
}

/** Labels of a proxy's objects (Gloo's `gloo: gateway-proxy` and `gateway-proxy-id`). */
export function proxyLabels(proxyName: string, releaseName: string): Record<string, string> {
    return { ...releaseLabels(releaseName), gloo: "gateway-proxy", "gateway-proxy-id": proxyName };
}

/** The ServiceAccount Gloo gives every proxy pod of a namespace. */
export const PROXY_SERVICE_ACCOUNT = "gateway-proxy";

/** The ConfigMap key the bootstrap lives under. */
export const BOOTSTRAP_KEY = "envoy.yaml";

/** The bootstrap as stored in the ConfigMap (JSON is YAML; this form is byte-identical to the chart's). */
export function bootstrapText(bootstrap: unknown): string {
    return goPrettyJson(bootstrap);
}

/** sha256 of the bootstrap text: the pod template's `checksum/<proxy>-envoy-config`, so a change rolls the pods. */
export function bootstrapChecksum(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}

export function configMapName(proxyName: string): string {
    return `${proxyName}-envoy-config`;
}

export function bootstrapConfigMap(proxyName: string, namespace: string, releaseName: string, text: string): KubernetesObject {
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: configMapName(proxyName), namespace, labels: proxyLabels(proxyName, releaseName) },
        data: { [BOOTSTRAP_KEY]: text },
    };
}

/** The listener socket options of a proxy's Gateways: the user's raw ones, then the typed keepalive. */
export function gatewaySocketOptions(proxy: GatewayProxyValues): unknown[] | undefined {
    const settings = proxy.gatewaySettings ?? {};
    const raw =
        isPlainObject(settings.options) && Array.isArray(settings.options.socketOptions) ? settings.options.socketOptions : undefined;
    const typed: SocketOption[] = settings.tcpKeepalive
        ? toSocketOptions(settings.tcpKeepalive, settings.socketOptionsPlatform ?? "linux")
        : [];
    if (!raw && typed.length === 0) return undefined;
    return [...(raw ?? []), ...typed];
}

/** Raw socket options that set a keepalive option the typed `gatewaySettings.tcpKeepalive` also sets. */
export function checkSocketOptionConflicts(proxy: GatewayProxyValues, settingsPath: string): ValueIssue[] {
    const settings = proxy.gatewaySettings ?? {};
    if (!settings.tcpKeepalive || !isPlainObject(settings.options) || !Array.isArray(settings.options.socketOptions)) return [];
    const typed = toSocketOptions(settings.tcpKeepalive, settings.socketOptionsPlatform ?? "linux");
    const n = SOCKET_OPTION_NUMBERS[settings.socketOptionsPlatform ?? "linux"];
    const names: Record<string, string> = {
        [`${n.SOL_SOCKET}/${n.SO_KEEPALIVE}`]: "SO_KEEPALIVE",
        [`${n.IPPROTO_TCP}/${n.TCP_KEEPIDLE}`]: "TCP_KEEPIDLE",
        [`${n.IPPROTO_TCP}/${n.TCP_KEEPINTVL}`]: "TCP_KEEPINTVL",
        [`${n.IPPROTO_TCP}/${n.TCP_KEEPCNT}`]: "TCP_KEEPCNT",
    };
    const issues: ValueIssue[] = [];
    settings.options.socketOptions.forEach((option: unknown, i: number) => {
        if (!isPlainObject(option)) return;
        const key = `${Number(option.level)}/${Number(option.name)}`;
        if (typed.some((t) => `${t.level}/${t.name}` === key)) {
            issues.push({
                path: `${settingsPath}.options.socketOptions[${i}]`,
                message: `sets ${names[key]}, which ${settingsPath}.tcpKeepalive already renders; keep one of them (prefer the typed tcpKeepalive)`,
            });
        }
    });
    return issues;
}

/** A Gloo Upstream with keepalive in `connectionConfig.tcpKeepalive`. */
export function keepaliveUpstream(upstream: UpstreamValues, namespace: string, releaseName: string): KubernetesObject {
    return {
        apiVersion: "gloo.solo.io/v1",
        kind: "Upstream",
        metadata: { name: upstream.name, namespace: upstream.namespace ?? namespace, labels: releaseLabels(releaseName) },
        spec: {
            connectionConfig: { tcpKeepalive: toGlooTcpKeepalive(upstream.tcpKeepalive) },
            static: { hosts: [{ addr: upstream.host, port: upstream.port }] },
        },
    };
}

export { PROXY_UID } from "../values/schema";

function proxySelector(proxyName: string): Record<string, string> {
    return { gloo: "gateway-proxy", "gateway-proxy-id": proxyName };
}

/** The ServiceAccount of a namespace's proxy pods (Gloo's one `gateway-proxy`): no API token, the proxy never talks to the Kubernetes API. */
export function proxyServiceAccount(namespace: string, releaseName: string, annotations?: Record<string, string>): KubernetesObject {
    const labels = { ...releaseLabels(releaseName), gloo: "gateway-proxy" };
    const extra = annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {};
    return {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: PROXY_SERVICE_ACCOUNT, namespace, labels, ...extra },
        automountServiceAccountToken: false,
    };
}

/**
 * The proxy's Service, as Gloo's: a port per enabled Gateway (https first with `httpsFirst`),
 * and only the entry's own `service.extraAnnotations` (the default entry's are not inherited).
 */
export function proxyService(
    proxyName: string,
    proxy: GatewayProxyValues,
    ownAnnotations: Record<string, unknown> | undefined | null,
    namespace: string,
    releaseName: string,
): KubernetesObject {
    const service = proxy.service ?? {};
    const settings = proxy.gatewaySettings ?? {};
    const annotations = Object.fromEntries(Object.entries(ownAnnotations ?? {}).map(([k, v]) => [k, String(v)]));
    const port = (name: string, servicePort?: number | null, targetPort?: number | null, nodePort?: number | null) => ({
        name,
        port: servicePort,
        protocol: "TCP",
        targetPort,
        ...(service.type === "NodePort" && nodePort ? { nodePort } : {}),
    });
    const http = port("http", service.httpPort, proxy.podTemplate?.httpPort, service.httpNodePort);
    const https = port("https", service.httpsPort, proxy.podTemplate?.httpsPort, service.httpsNodePort);
    const ordered = service.httpsFirst ? [https, http] : [http, https];
    const ports = [
        ...ordered.filter((p) => !(p === http ? settings.disableHttpGateway : settings.disableHttpsGateway)),
        ...customServicePorts(proxy),
    ];
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
            name: service.name ? kebabCase(String(service.name)) : proxyName,
            namespace,
            labels: proxyLabels(proxyName, releaseName),
            ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
        },
        spec: {
            ports: ports.length > 0 ? ports : null,
            selector: { "gateway-proxy-id": proxyName, "gateway-proxy": "live" },
            type: service.type,
            ...serviceNetworking(service),
        },
    };
}

/** The Service's addressing fields, as Gloo renders them (each only where its type uses it). */
function serviceNetworking(service: NonNullable<GatewayProxyValues["service"]>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (service.externalIPs?.length) out.externalIPs = service.externalIPs;
    if (service.externalTrafficPolicy) out.externalTrafficPolicy = service.externalTrafficPolicy;
    if (service.type === "ClusterIP" && service.clusterIP) out.clusterIP = service.clusterIP;
    if (service.type === "LoadBalancer") {
        if (service.loadBalancerIP) out.loadBalancerIP = service.loadBalancerIP;
        if (service.loadBalancerSourceRanges?.length) out.loadBalancerSourceRanges = service.loadBalancerSourceRanges;
    }
    return out;
}

/** Whether a proxy runs as a Deployment, as Gloo decides: `kind.workloadType` first, else a `kind.deployment` map. */
export function isDeployment(proxy: GatewayProxyValues): boolean {
    const kind = proxy.kind ?? {};
    if (kind.workloadType === "Deployment") return true;
    if (kind.workloadType === "DaemonSet") return false;
    return isPlainObject(kind.deployment);
}

/** Gloo's hostPort form: `kind.daemonSet.hostPort`, whatever the workload, unless `kind.workloadType` is Deployment. */
function hostPortsOf(proxy: GatewayProxyValues): boolean {
    return proxy.kind?.workloadType !== "Deployment" && Boolean(proxy.kind?.daemonSet?.hostPort);
}

/** The pod template's annotations, as Gloo's: the checksum, extraAnnotations, Datadog, Prometheus and read-config ones. */
function podAnnotations(proxyName: string, proxy: GatewayProxyValues, checksum: string, stats: PodStats): Record<string, string> {
    const out: Record<string, string> = { [`checksum/${configMapName(proxyName)}`]: checksum };
    for (const [k, v] of Object.entries(proxy.podTemplate?.extraAnnotations ?? {})) out[k] = String(v);
    if (stats.datadog) Object.assign(out, DATADOG_ANNOTATIONS);
    const istioPorts: Record<string, string> = stats.istioSidecar
        ? { "traffic.sidecar.istio.io/excludeInboundPorts": excludeInboundPorts(proxy) }
        : {};
    if (stats.enabled) Object.assign(out, PROMETHEUS_ANNOTATIONS, istioPorts);
    if (proxy.readConfig) Object.assign(out, READ_CONFIG_ANNOTATIONS, istioPorts);
    return out;
}

const PROMETHEUS_ANNOTATIONS = { "prometheus.io/path": "/metrics", "prometheus.io/port": "8081", "prometheus.io/scrape": "true" };
const READ_CONFIG_ANNOTATIONS = {
    "readconfig-stats": "/stats",
    "readconfig-ready": "/ready",
    "readconfig-config_dump": "/config_dump",
    "readconfig-port": "8082",
};

const DATADOG_ANNOTATIONS: Record<string, string> = {
    "ad.datadoghq.com/gateway-proxy.check_names": '["envoy"]',
    "ad.datadoghq.com/gateway-proxy.init_configs": "[{}]",
    "ad.datadoghq.com/gateway-proxy.instances": '[{"stats_url": "http://%%host%%:8081/stats"}]',
    "ad.datadoghq.com/gateway-proxy.logs":
        '[{"source": "envoy", "service": "gloo","log_processing_rules":[{"type": "multi_line", "name": "log_start_with_date","pattern" : "^\\\\[[0-9]{4}-[0-9]{2}-[0-9]{2}"}]}]',
};

/** What the pod's annotations take from the Prometheus stats in force. */
export interface PodStats {
    /** The stats in force are enabled (`stats`, else `global.glooStats`). */
    enabled: boolean;
    /** `global.glooStats.setDatadogAnnotations`. */
    datadog: boolean;
    /** `global.istioIntegration.enableIstioSidecarOnGateway`: the listener ports excluded from the sidecar. */
    istioSidecar: boolean;
    /** The pod's Istio injection label (`global.istioIntegration`), if any. */
    istioLabel?: Record<string, string>;
    /** Gloo's `gateway.upgrade`: the pods go without the `gateway-proxy: live` label the Services select. */
    upgrade: boolean;
    /** The stats in force (`stats`, else `global.glooStats`): their PodMonitor port. */
    config?: StatsConfig;
    /** `global.image`: what the proxy's podTemplate.image leaves unset. */
    image: ProxyImage;
    /** `global.podSecurityStandards` and `global.securitySettings`. */
    security?: PodSecurityGlobals;
    /** The mesh sidecars, their volumes and the Envoy container's mounts (components/render/mesh.ts). */
    mesh?: PodMesh;
}

/** The Envoy container, as Gloo's gateway-proxy container, with our hardening. */
function proxyContainer(proxyName: string, proxy: GatewayProxyValues, stats: PodStats, extras: PodExtras): Record<string, unknown> {
    const pod = proxy.podTemplate ?? {};
    const image = glooImage(pod.image, stats.image);
    const hostPorts = hostPortsOf(proxy);
    const port = (name: string, containerPort: number) => ({
        containerPort,
        name,
        protocol: "TCP",
        ...(hostPorts ? { hostPort: containerPort } : {}),
    });
    return {
        args: ["--disable-hot-restart", ...envoyLogLevelArgs(proxy), ...(proxy.extraEnvoyArgs ?? [])],
        env: [
            ...extras.env,
            { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
            { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            { name: "DISABLE_CORE_DUMPS", value: printedOrNull(proxy.disableCoreDumps) },
        ],
        image: image.ref,
        imagePullPolicy: image.pullPolicy ?? null,
        name: proxyName,
        ports: [
            port("http", pod.httpPort as number),
            port("https", pod.httpsPort as number),
            ...proxyMonitoringPorts(stats.config),
            ...extras.ports,
        ],
        ...(pod.resources ? { resources: pod.resources } : {}),
        securityContext: containerSecurityContext(proxy, stats.security ?? {}),
        volumeMounts: [{ mountPath: "/etc/envoy", name: "envoy-config" }, ...extras.volumeMounts],
        ...probesAndLifecycle(proxy),
    };
}

/**
 * The proxy's Deployment or DaemonSet (as Gloo decides it), running Envoy as Gloo's
 * gateway-proxy does, least privileged. The pod template carries the bootstrap checksum, so a
 * keepalive change rolls the pods and nothing else in the object changes.
 */
export function proxyWorkload(
    proxyName: string,
    proxy: GatewayProxyValues,
    namespace: string,
    releaseName: string,
    checksum: string,
    sysctls: Sysctl[],
    stats: PodStats,
    entry: GatewayProxyValues = proxy,
): KubernetesObject {
    const deployment = isDeployment(proxy);
    const hostNetwork = hostPortsOf(proxy);
    const extras = podExtras(proxy, deployment);
    const template = {
        metadata: {
            annotations: podAnnotations(proxyName, proxy, checksum, stats),
            labels: {
                ...ownLabels(releaseName),
                ...extraPodLabels(proxy),
                ...proxySelector(proxyName),
                ...(stats.upgrade ? {} : { "gateway-proxy": "live" }),
                ...stats.istioLabel,
            },
        },
        spec: {
            automountServiceAccountToken: false,
            containers: [
                ...extras.containers,
                withMounts(proxyContainer(proxyName, proxy, stats, extras), stats.mesh?.proxyMounts),
                ...(stats.mesh?.containers ?? []),
            ],
            ...(extras.initContainers.length > 0 ? { initContainers: extras.initContainers } : {}),
            ...(hostNetwork ? { dnsPolicy: "ClusterFirstWithHostNet", hostNetwork: proxy.kind?.daemonSet?.hostNetwork !== false } : {}),
            securityContext: podSecurityContext(proxy, stats.security ?? {}, sysctls),
            serviceAccountName: PROXY_SERVICE_ACCOUNT,
            ...imagePullSecrets(glooImage(proxy.podTemplate?.image, stats.image)),
            ...podScheduling(proxy, entry, deployment),
            ...extras.spec,
            volumes: [
                { configMap: { name: configMapName(proxyName) }, name: "envoy-config" },
                ...(stats.mesh?.volumes ?? []),
                ...extras.volumes,
            ],
        },
    };
    const metadata = { name: proxyName, namespace, labels: proxyLabels(proxyName, releaseName) };
    const selector = { matchLabels: proxySelector(proxyName) };
    const replicas = proxy.kind?.deployment?.replicas;
    return deployment
        ? { apiVersion: "apps/v1", kind: "Deployment", metadata, spec: { ...(replicas ? { replicas } : {}), selector, template } }
        : { apiVersion: "apps/v1", kind: "DaemonSet", metadata, spec: { selector, template } };
}
