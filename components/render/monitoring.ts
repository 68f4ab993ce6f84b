/**
 * Gloo's Prometheus Operator hooks of a proxy, from the stats in force (`stats`, else
 * `global.glooStats`), each only with `enabled`: `podMonitorEnabled` names the Prometheus
 * listener's port `http-monitoring` on the Envoy container (8081) and on the SDS sidecar (9091);
 * `serviceMonitorEnabled` renders the `<proxy>-monitoring-service` Service on 8081.
 */
import type { StatsConfig } from "../values/types";
import { PROMETHEUS_PORT } from "./bootstrap";

/** The Service, in the shape of components/render/manifests.ts's KubernetesObject. */
export type MonitoringService = {
    apiVersion: "v1";
    kind: "Service";
    metadata: { name: string; namespace: string; labels: Record<string, string> };
    spec: Record<string, unknown>;
};

/** The SDS sidecar's stats port (its START_STATS_SERVER). */
export const SDS_MONITORING_PORT = 9091;

/** The `http-monitoring` container port a PodMonitor scrapes, when the stats ask for it. */
export function monitoringPorts(stats: StatsConfig | undefined, containerPort: number): { name: string; containerPort: number }[] {
    return stats?.enabled && stats.podMonitorEnabled ? [{ name: "http-monitoring", containerPort }] : [];
}

/** The Envoy container's `http-monitoring` port. */
export const proxyMonitoringPorts = (stats: StatsConfig | undefined) => monitoringPorts(stats, PROMETHEUS_PORT);

/** The Service a ServiceMonitor scrapes, when the stats ask for it. */
export function monitoringService(
    name: string,
    stats: StatsConfig | undefined,
    namespace: string,
    labels: Record<string, string>,
): MonitoringService | undefined {
    if (!stats?.enabled || !stats.serviceMonitorEnabled) return undefined;
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: `${name}-monitoring-service`, namespace, labels },
        spec: {
            type: "ClusterIP",
            selector: { gloo: "gateway-proxy", "gateway-proxy-id": name },
            ports: [{ name: "http-monitoring", port: PROMETHEUS_PORT }],
        },
    };
}
