/**
 * The Kubernetes objects of a proxy and of the upstreams, named and labelled as Gloo does.
 */
import { createHash } from "crypto";
import { goPrettyJson } from "./canonical-json";
import { SOCKET_OPTION_NUMBERS, toGlooTcpKeepalive, toSocketOptions, type SocketOption, type Sysctl } from "../keepalive";
import type { GatewayProxyValues, UpstreamValues } from "../values/types";
import { isPlainObject, type ValueIssue } from "../values/values";

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

/** Labels of a proxy's objects (Gloo's `gloo: gateway-proxy` and `gateway-proxy-id`). */
export function proxyLabels(proxyName: string, releaseName: string): Record<string, string> {
    return { ...releaseLabels(releaseName), gloo: "gateway-proxy", "gateway-proxy-id": proxyName };
}

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

/** The http and https Gateways of a proxy, as Gloo renders them, with the downstream keepalive. */
export function proxyGateways(proxyName: string, proxy: GatewayProxyValues, namespace: string, releaseName: string): KubernetesObject[] {
    const settings = proxy.gatewaySettings ?? {};
    if (settings.enabled === false) return [];
    const socketOptions = gatewaySocketOptions(proxy);
    const options =
        isPlainObject(settings.options) || socketOptions
            ? { ...(settings.options ?? {}), ...(socketOptions ? { socketOptions } : {}) }
            : undefined;
    const gateway = (name: string, port: number, ssl: boolean): KubernetesObject => ({
        apiVersion: "gateway.solo.io/v1",
        kind: "Gateway",
        metadata: { name, namespace, labels: proxyLabels(proxyName, releaseName) },
        spec: {
            bindAddress: settings.ipv4Only ? "0.0.0.0" : "::",
            bindPort: port,
            httpGateway: {},
            proxyNames: [proxyName],
            ssl,
            useProxyProto: settings.useProxyProto ?? false,
            ...(options ? { options } : {}),
        },
    });
    const out: KubernetesObject[] = [];
    if (!settings.disableHttpGateway) out.push(gateway(proxyName, proxy.podTemplate?.httpPort as number, false));
    if (!settings.disableHttpsGateway) out.push(gateway(`${proxyName}-ssl`, proxy.podTemplate?.httpsPort as number, true));
    return out;
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

/** The uid the gloo-envoy-wrapper image runs as. */
export const PROXY_UID = 10101;

function proxySelector(proxyName: string): Record<string, string> {
    return { gloo: "gateway-proxy", "gateway-proxy-id": proxyName };
}

/** The proxy's ServiceAccount: no API token, the proxy never talks to the Kubernetes API. */
export function proxyServiceAccount(proxyName: string, namespace: string, releaseName: string): KubernetesObject {
    return {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: proxyName, namespace, labels: proxyLabels(proxyName, releaseName) },
        automountServiceAccountToken: false,
    };
}

/** The proxy's Service: http and https to the listener ports, LoadBalancer unless set otherwise. */
export function proxyService(proxyName: string, proxy: GatewayProxyValues, namespace: string, releaseName: string): KubernetesObject {
    const service = proxy.service ?? {};
    const annotations = service.extraAnnotations ?? {};
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
            name: proxyName,
            namespace,
            labels: proxyLabels(proxyName, releaseName),
            ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
        },
        spec: {
            ports: [
                { name: "http", port: service.httpPort, protocol: "TCP", targetPort: proxy.podTemplate?.httpPort },
                { name: "https", port: service.httpsPort, protocol: "TCP", targetPort: proxy.podTemplate?.httpsPort },
            ],
            selector: proxySelector(proxyName),
            type: service.type,
        },
    };
}

/**
 * The proxy's Deployment (or DaemonSet when `kind.daemonSet` is set), running Envoy as Gloo's
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
): KubernetesObject {
    const pod = proxy.podTemplate ?? {};
    const image = pod.image ?? {};
    const daemonSet = proxy.kind?.daemonSet;
    const httpPort = pod.httpPort as number;
    const httpsPort = pod.httpsPort as number;
    const hostPort = (port: number) => (daemonSet?.hostPort ? { hostPort: port } : {});
    const needsBind = httpPort < 1024 || httpsPort < 1024;
    const container = {
        args: ["--disable-hot-restart", ...(proxy.extraEnvoyArgs ?? [])],
        env: [
            { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
            { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        ],
        image: `${image.registry}/${image.repository}:${image.tag}`,
        imagePullPolicy: image.pullPolicy,
        name: "gateway-proxy",
        ports: [
            { containerPort: httpPort, name: "http", protocol: "TCP", ...hostPort(httpPort) },
            { containerPort: httpsPort, name: "https", protocol: "TCP", ...hostPort(httpsPort) },
        ],
        ...(pod.resources ? { resources: pod.resources } : {}),
        securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"], ...(needsBind ? { add: ["NET_BIND_SERVICE"] } : {}) },
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            runAsUser: PROXY_UID,
        },
        volumeMounts: [{ mountPath: "/etc/envoy", name: "envoy-config" }],
    };
    const template = {
        metadata: {
            annotations: { [`checksum/${configMapName(proxyName)}`]: checksum },
            labels: proxyLabels(proxyName, releaseName),
        },
        spec: {
            automountServiceAccountToken: false,
            containers: [container],
            securityContext: {
                fsGroup: PROXY_UID,
                runAsNonRoot: true,
                runAsUser: PROXY_UID,
                seccompProfile: { type: "RuntimeDefault" },
                ...(sysctls.length > 0 ? { sysctls } : {}),
            },
            serviceAccountName: proxyName,
            volumes: [{ configMap: { name: configMapName(proxyName) }, name: "envoy-config" }],
        },
    };
    const metadata = { name: proxyName, namespace, labels: proxyLabels(proxyName, releaseName) };
    const selector = { matchLabels: proxySelector(proxyName) };
    return daemonSet
        ? { apiVersion: "apps/v1", kind: "DaemonSet", metadata, spec: { selector, template } }
        : { apiVersion: "apps/v1", kind: "Deployment", metadata, spec: { replicas: proxy.kind?.deployment?.replicas, selector, template } };
}
