/**
 * The corpus's keys for a proxy's separate objects and Gloo's kubeResourceOverride: the
 * PodDisruptionBudget, the HorizontalPodAutoscaler, the config-dump Service, service.name and
 * an override on every object Gloo lets one override (none touching what keepalive covers, which
 * is refused and tested on its own). Drawn from a generator of their own, so the rest of the
 * corpus stays as it was.
 */
import type { GatewayProxyValues, GlooKeepaliveValues } from "../components/values/types";
import type { Gen } from "./value-generator";

const WORKLOAD_OVERRIDES = (g: Gen): Record<string, unknown>[] => [
    { metadata: { annotations: { "example.com/owner": g.word() } } },
    { spec: { template: { spec: { priorityClassName: "high" } } } },
    { spec: { minReadySeconds: g.int(1, 30) } },
    { spec: { template: { metadata: { labels: { "example.com/team": g.word() } } } } },
    { spec: { template: { spec: { tolerations: [] } } } },
];

const AUTOSCALERS = (g: Gen): Record<string, unknown>[] => [
    {
        apiVersion: "autoscaling/v2",
        minReplicas: 1,
        maxReplicas: g.int(2, 10),
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: g.int(50, 90) } } }],
    },
    { apiVersion: "autoscaling/v1", minReplicas: g.int(1, 2), maxReplicas: g.int(3, 6), targetCPUUtilizationPercentage: 80 },
    { apiVersion: "autoscaling/v2", maxReplicas: 4, behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } },
    { apiVersion: "autoscaling/v2beta2", minReplicas: 2, maxReplicas: 5 },
];

/** Adds the object keys to one entry (`name`: its key, for a Service name no other proxy has). */
export function addObjectKeys(g: Gen, p: GatewayProxyValues, name?: string): void {
    const o = p as GatewayProxyValues & Record<string, unknown>;
    if (g.chance(0.25))
        o.podDisruptionBudget = {
            ...g.pick([{ minAvailable: 1 }, { minAvailable: "50%" }, { maxUnavailable: "1" }, { maxUnavailable: 0, minAvailable: 2 }]),
            ...(g.chance(0.3) ? { kubeResourceOverride: { metadata: { annotations: { "example.com/pdb": g.word() } } } } : {}),
        };
    if (g.chance(0.25)) {
        const hpa = g.pick(AUTOSCALERS(g));
        o.horizontalPodAutoscaler = g.chance(0.3) ? { ...hpa, kubeResourceOverride: { spec: { maxReplicas: 20 } } } : hpa;
    }
    if (g.chance(0.2)) o.kubeResourceOverride = g.pick(WORKLOAD_OVERRIDES(g));
    if (g.chance(0.15))
        o.configMap = {
            kubeResourceOverride: g.pick([{ metadata: { labels: { "example.com/cm": g.word() } } }, { data: { "extra.txt": "x" } }]),
        };
    if (g.chance(0.3)) {
        const service = { ...(p.service ?? {}) } as Record<string, unknown>;
        if (name && g.chance(0.4)) service.name = `${name}-svc`;
        if (g.chance(0.5))
            service.kubeResourceOverride = g.pick([
                { metadata: { labels: { "example.com/tier": "edge" } } },
                { spec: { sessionAffinity: "ClientIP" } },
            ]);
        if (p.readConfig && g.chance(0.6)) {
            o.readConfigMulticluster = true;
            if (g.chance(0.5))
                service.configDumpService = { kubeResourceOverride: { metadata: { labels: { "example.com/dump": "yes" } } } };
        }
        p.service = service;
    }
}

/** Adds the object keys a batch shares: the default entry's and the ServiceAccount's override. */
export function addSharedObjectKeys(g: Gen, values: GlooKeepaliveValues): void {
    const defaults = values.gatewayProxies?.gatewayProxy;
    if (defaults) addObjectKeys(g, defaults);
    if (g.chance(0.2)) {
        const account = values.gateway?.proxyServiceAccount ?? {};
        values.gateway = {
            ...values.gateway,
            proxyServiceAccount: { ...account, kubeResourceOverride: { metadata: { labels: { "example.com/sa": g.word() } } } },
        };
    }
}
