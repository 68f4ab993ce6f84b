/**
 * Which of the values a user set are rendered here. A whole Gloo values file is accepted (the
 * control plane's keys, and Gloo gateway-proxy keys we do not render yet), and every value
 * path that changes nothing here is named once, so nobody believes it took effect.
 */
import { isPlainObject } from "./values";
import { BOOTSTRAP_GLOBAL_PATHS, BOOTSTRAP_PROXY_KEYS } from "./rendered-bootstrap";

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
    "namespace",
    "stats.enabled",
    "stats.routePrefixRewrite",
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
    "podTemplate.httpPort",
    "podTemplate.httpsPort",
    "podTemplate.tcpKeepaliveSysctls",
    "podTemplate.image.registry",
    "podTemplate.image.repository",
    "podTemplate.image.tag",
    "podTemplate.image.pullPolicy",
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
    ...BOOTSTRAP_PROXY_KEYS,
];

export const RENDERED_PATHS: readonly string[] = [
    ...PROXY_KEYS.flatMap((k) => [`gatewayProxies.*.${k}`, `gloo.gatewayProxies.*.${k}`]),
    "global.image.registry",
    "global.image.pullPolicy",
    "global.glooStats.enabled",
    "global.glooStats.routePrefixRewrite",
    "global.glooStats.enableStatsRoute",
    "global.glooStats.statsPrefixRewrite",
    "global.glooStats.setDatadogAnnotations",
    "global.istioIntegration.disableAutoinjection",
    "global.istioIntegration.enableIstioSidecarOnGateway",
    "global.istioIntegration.istioSidecarRevTag",
    "settings.writeNamespace",
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
