/**
 * The parts of a proxy's pod that Gloo takes as they are from the values: scheduling
 * (nodeName, nodeSelector, tolerations, affinity, topology spread), probes and the graceful
 * shutdown hook, rendered as the Gloo chart renders them.
 */
import { isPlainObject } from "../values/values";
import type { GatewayProxyValues } from "../values/types";
import { ADMIN_PORT } from "./bootstrap";

const ANTI_AFFINITY = {
    preferredDuringSchedulingIgnoredDuringExecution: [
        {
            weight: 100,
            podAffinityTerm: { labelSelector: { matchLabels: { gloo: "gateway-proxy" } }, topologyKey: "kubernetes.io/hostname" },
        },
    ],
};

const nonEmpty = (value: unknown): boolean =>
    Array.isArray(value) ? value.length > 0 : isPlainObject(value) ? Object.keys(value).length > 0 : Boolean(value);

/**
 * The pod spec's scheduling fields. `entry` is the proxy's own entry: its nodeSelector replaces
 * the default entry's (Gloo's rule); affinity and topology spread apply to a Deployment only.
 */
export function podScheduling(proxy: GatewayProxyValues, entry: GatewayProxyValues, deployment: boolean): Record<string, unknown> {
    const pod = proxy.podTemplate ?? {};
    const own = entry.podTemplate?.nodeSelector;
    const nodeSelector = nonEmpty(own) ? own : pod.nodeSelector;
    const out: Record<string, unknown> = {};
    if (pod.nodeName) out.nodeName = pod.nodeName;
    if (nonEmpty(nodeSelector)) out.nodeSelector = Object.fromEntries(Object.entries(nodeSelector ?? {}).map(([k, v]) => [k, String(v)]));
    if (nonEmpty(pod.tolerations)) out.tolerations = pod.tolerations;
    if (pod.terminationGracePeriodSeconds) out.terminationGracePeriodSeconds = pod.terminationGracePeriodSeconds;
    if (deployment) {
        if (proxy.antiAffinity || nonEmpty(proxy.affinity)) {
            out.affinity = { ...(proxy.antiAffinity ? { podAntiAffinity: ANTI_AFFINITY } : {}), ...(proxy.affinity ?? {}) };
        }
        if (nonEmpty(proxy.topologySpreadConstraints)) out.topologySpreadConstraints = proxy.topologySpreadConstraints;
    }
    return out;
}

const wget = (loopback: string, path: string) => ({
    exec: { command: ["wget", "-O", "/dev/null", `${loopback}:${ADMIN_PORT}${path}`] },
    initialDelaySeconds: 3,
    periodSeconds: 10,
    failureThreshold: 3,
});

/** The Envoy container's probes (`podTemplate.probes`, custom or Gloo's wget on the admin port) and graceful shutdown hook. */
export function probesAndLifecycle(proxy: GatewayProxyValues): Record<string, unknown> {
    const pod = proxy.podTemplate ?? {};
    const loopback = String(proxy.loopBackAddress);
    const out: Record<string, unknown> = {};
    if (pod.gracefulShutdown?.enabled) {
        const command = `wget --post-data "" -O /dev/null ${loopback}:${ADMIN_PORT}/healthcheck/fail; sleep ${pod.gracefulShutdown.sleepTimeSeconds}`;
        out.lifecycle = { preStop: { exec: { command: ["/bin/sh", "-c", command] } } };
    }
    if (pod.probes) {
        out.readinessProbe = nonEmpty(pod.customReadinessProbe) ? pod.customReadinessProbe : wget(loopback, "/ready");
        if (pod.livenessProbeEnabled) {
            out.livenessProbe = nonEmpty(pod.customLivenessProbe) ? pod.customLivenessProbe : wget(loopback, "/server_info");
        }
    }
    return out;
}
