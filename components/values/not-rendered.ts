/**
 * Which of the values a user set are rendered here. A whole Gloo values file is accepted (the
 * control plane's keys, and Gloo gateway-proxy keys we do not render yet), and every value
 * path that changes nothing here is named once, so nobody believes it took effect.
 */
import { isPlainObject } from "./values";
import { BOOTSTRAP_GLOBAL_PATHS, BOOTSTRAP_PROXY_KEYS } from "./rendered-bootstrap";

/** The Gateways' keys (components/render/gloo-gateways.ts). */
const GATEWAY_KEYS = [
    "gatewaySettings.customHttpGateway",
    "gatewaySettings.customHttpsGateway",
    "gatewaySettings.httpHybridGateway",
    "gatewaySettings.httpsHybridGateway",
    "gatewaySettings.accessLoggingService",
    "gatewaySettings.disableGeneratedGateways",
    "gatewaySettings.httpGatewayKubeOverride",
    "gatewaySettings.httpsGatewayKubeOverride",
    "gatewaySettings.httpIdleTimeoutSeconds",
    "gatewaySettings.tcpUserTimeoutSeconds",
    "failover",
    "tracing.provider",
];

/** The pod's and Service's keys components/render/pod-security.ts and pod-extras.ts render. */
const POD_KEYS = [
    "podTemplate.extraPorts",
    "podTemplate.runUnprivileged",
    "podTemplate.floatingUserId",
    "podTemplate.extraGatewayProxyLabels",
    "podTemplate.extraContainers",
    "podTemplate.extraInitContainers",
    "podTemplate.enablePodSecurityContext",
    "podTemplate.podSecurityContext",
    "podTemplate.glooContainerSecurityContext",
    "kind.deployment.customEnv",
    "kind.deployment.priorityClassName",
    "extraVolumes",
    "extraProxyVolumeMounts",
    "service.customPorts",
];

/** What is rendered: value paths (`*` for one proxy name); everything beneath one is rendered too. */
const PROXY_KEYS = [
    "disabled",
    "tcpKeepaliveTimeSeconds",
    "tcpKeepaliveIntervalSeconds",
    "tcpKeepaliveProbes",
    "xdsHttp2Keepalive",
    "envoyStaticClusters",
    "xdsServiceAddress",
    "xdsServicePort",
    "loopBackAddress",
    "readConfig",
    "loadBalancerIdleTimeoutSeconds",
    "loadBalancer",
    "egressIdleTimeoutSeconds",
    "controlPlaneIdleTimeoutSeconds",
    "tcpUserTimeoutSeconds",
    "namespace",
    "stats.enabled",
    "stats.routePrefixRewrite",
    "stats.podMonitorEnabled",
    "stats.serviceMonitorEnabled",
    "disableCoreDumps",
    "globalDownstreamMaxConnections",
    "healthyPanicThreshold",
    "extraEnvoyArgs",
    "gatewaySettings.enabled",
    "gatewaySettings.disableHttpGateway",
    "gatewaySettings.disableHttpsGateway",
    "gatewaySettings.ipv4Only",
    "gatewaySettings.useProxyProto",
    "gatewaySettings.tcpKeepalive",
    "gatewaySettings.socketOptionsPlatform",
    "gatewaySettings.options",
    ...GATEWAY_KEYS,
    "podTemplate.httpPort",
    "podTemplate.httpsPort",
    "podTemplate.tcpKeepaliveSysctls",
    "podTemplate.image",
    "podTemplate.resources",
    "podTemplate.disableNetBind",
    "podTemplate.runAsUser",
    "podTemplate.fsGroup",
    "podTemplate.extraAnnotations",
    "podTemplate.nodeName",
    "podTemplate.nodeSelector",
    "podTemplate.tolerations",
    "podTemplate.terminationGracePeriodSeconds",
    "podTemplate.probes",
    "podTemplate.customReadinessProbe",
    "podTemplate.livenessProbeEnabled",
    "podTemplate.customLivenessProbe",
    "podTemplate.gracefulShutdown",
    ...POD_KEYS,
    "antiAffinity",
    "affinity",
    "topologySpreadConstraints",
    "kind.workloadType",
    "kind.deployment.replicas",
    "kind.daemonSet.hostPort",
    "kind.daemonSet.hostNetwork",
    "service.type",
    "service.httpPort",
    "service.httpsPort",
    "service.httpNodePort",
    "service.httpsNodePort",
    "service.httpsFirst",
    "service.extraAnnotations",
    "service.externalIPs",
    "service.externalTrafficPolicy",
    "service.clusterIP",
    "service.loadBalancerIP",
    "service.loadBalancerSourceRanges",
    "service.name",
    "service.kubeResourceOverride",
    "service.configDumpService",
    "readConfigMulticluster",
    "kubeResourceOverride",
    "configMap",
    "podDisruptionBudget",
    "horizontalPodAutoscaler",
    ...BOOTSTRAP_PROXY_KEYS,
];

export const RENDERED_PATHS: readonly string[] = [
    ...PROXY_KEYS.flatMap((k) => [`gatewayProxies.*.${k}`, `gloo.gatewayProxies.*.${k}`]),
    "global.image",
    "global.glooStats",
    "global.istioIntegration.disableAutoinjection",
    "global.istioIntegration.enableIstioSidecarOnGateway",
    "global.istioIntegration.istioSidecarRevTag",
    "global.podSecurityStandards",
    "global.securitySettings",
    "settings.writeNamespace",
    "gateway.proxyServiceAccount",
    "gateway.enabled",
    "gateway.upgrade",
    "global.additionalLabels",
    "gloo.deployment.xdsPort",
    "gloo.deployment.restXdsPort",
    "k8s.clusterName",
    "upstreams",
    ...BOOTSTRAP_GLOBAL_PATHS,
];

const PATTERNS = RENDERED_PATHS.map((p) => p.split("."));

function matches(pattern: readonly string[], path: readonly string[]): boolean {
    return pattern.every((segment, i) => segment === "*" || segment === path[i]);
}

/**
 * The value paths set in `values` that render nothing here, each once and as short as it
 * can be (`discovery`, `gatewayProxies.edge.podTemplate.probes`).
 */
export function notRenderedPaths(values: unknown): string[] {
    const out: string[] = [];
    const walk = (node: unknown, path: string[]) => {
        if (PATTERNS.some((p) => p.length <= path.length && matches(p, path))) return; // rendered
        const beneath = PATTERNS.some((p) => p.length > path.length && matches(p.slice(0, path.length), path));
        if (beneath && isPlainObject(node)) {
            for (const [key, child] of Object.entries(node)) if (child !== null) walk(child, [...path, key]);
        } else if (path.length > 0) {
            out.push(path.join("."));
        }
    };
    walk(values, []);
    return out;
}

/** The one line that names what was accepted but renders nothing here (empty: nothing to say). */
export function notRenderedNotice(paths: readonly string[]): string {
    return paths.length > 0 ? `accepted, not rendered here: ${paths.join(", ")}` : "";
}

const PARENT_TEMPLATE =
    "names a template of a chart that includes Gloo's; a values file cannot define one, so neither this chart nor the library can render it (write what it renders into extraContainers, extraInitContainers, extraVolumes or extraProxyVolumeMounts)";
const GLOO_IGNORES = "the Gloo chart renders nothing from it for a proxy either";

/** Why a path is not rendered, where the reason is not just "the control plane's" (by its last keys; the chart's notes read the same table). */
export const NOT_RENDERED_REASONS: Readonly<Record<string, string>> = {
    extraContainersHelper: PARENT_TEMPLATE,
    extraInitContainersHelper: PARENT_TEMPLATE,
    extraVolumeHelper: PARENT_TEMPLATE,
    extraProxyVolumeMountHelper: PARENT_TEMPLATE,
    "kind.deployment.restartPolicy": GLOO_IGNORES,
    "kind.deployment.nodeName": `${GLOO_IGNORES} (podTemplate.nodeName does)`,
    "kind.deployment.nodeSelector": `${GLOO_IGNORES} (podTemplate.nodeSelector does)`,
    "kind.deployment.tolerations": `${GLOO_IGNORES} (podTemplate.tolerations does)`,
    "kind.deployment.affinity": `${GLOO_IGNORES} (the proxy's affinity does)`,
    "kind.deployment.hostAliases": GLOO_IGNORES,
    "kind.deployment.initContainers": `${GLOO_IGNORES} (podTemplate.extraInitContainers does)`,
    "kind.deployment.kubeResourceOverride": `${GLOO_IGNORES} (the entry's own kubeResourceOverride is laid over the workload)`,
    "gatewaySettings.kubeResourceOverride": `${GLOO_IGNORES} (httpGatewayKubeOverride and httpsGatewayKubeOverride are laid over the Gateways)`,
    extraListenersHelper:
        "names a template of a chart that includes Gloo's (Gloo Enterprise's); a values file cannot define one, so neither this chart nor the library can render it",
    disableExtauthSidecar: "Gloo Enterprise's extauth sidecar; the open-source chart, and this one, render none",
    "stats.setDatadogAnnotations": `${GLOO_IGNORES} (global.glooStats.setDatadogAnnotations does)`,
    "stats.enableStatsRoute": `${GLOO_IGNORES} (global.glooStats.enableStatsRoute does)`,
    "stats.statsPrefixRewrite": `${GLOO_IGNORES} (global.glooStats.statsPrefixRewrite does)`,
};

/** `path: reason` for the not-rendered paths that have a reason of their own. */
export function notRenderedReasons(paths: readonly string[]): string[] {
    return paths.flatMap((p) => {
        const key = Object.keys(NOT_RENDERED_REASONS).find((k) => p.endsWith(`.${k}`));
        return key ? [`${p}: ${NOT_RENDERED_REASONS[key]}`] : [];
    });
}
