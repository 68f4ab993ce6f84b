/**
 * A proxy's objects besides its workload, Service and bootstrap, as Gloo renders them: the
 * PodDisruptionBudget, the HorizontalPodAutoscaler and the config-dump Service; and which
 * `kubeResourceOverride` Gloo lays over each of a proxy's objects.
 */
import * as yaml from "js-yaml";
import { additionallyLabelled } from "./additional-labels";
import { isDeployment, kebabCase, proxyLabels, releaseLabels, type KubernetesObject } from "./manifests";
import { overriddenObject } from "./kube-override";
import type { GatewayProxyValues } from "../values/types";
import type { GlooKeepaliveValues } from "../values/types";
import { isPlainObject, resolveProxies, type ResolvedProxy, type ValueIssue } from "../values/values";

/** Go templates' truth: false, 0, "", nil and empty maps and lists are false. */
export function goTruthy(value: unknown): boolean {
    if (value === null || value === undefined || value === false || value === 0 || value === "") return false;
    if (Array.isArray(value)) return value.length > 0;
    if (isPlainObject(value)) return Object.keys(value).length > 0;
    return true;
}

/** A value as Gloo's `{{ value }}` prints it into YAML, read back (`"1"` is 1, `"50%"` stays; unset is null). */
export function printedValue(value: unknown): unknown {
    if (value === null || value === undefined) return null;
    try {
        return (yaml.load(`v: ${String(value)}`) as { v?: unknown } | null)?.v ?? null;
    } catch {
        return null;
    }
}

/** `<proxy>-pdb`, as Gloo: for a Deployment whose merged values set podDisruptionBudget (a disabled proxy's too). */
export function proxyDisruptionBudget(
    name: string,
    proxy: GatewayProxyValues,
    namespace: string,
    releaseName: string,
): KubernetesObject | undefined {
    const pdb = proxy.podDisruptionBudget;
    if (!isDeployment(proxy) || !goTruthy(pdb) || !pdb) return undefined;
    return {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: `${name}-pdb`, namespace, labels: releaseLabels(releaseName) },
        spec: {
            ...(goTruthy(pdb.minAvailable) ? { minAvailable: printedValue(pdb.minAvailable) } : {}),
            ...(goTruthy(pdb.maxUnavailable) ? { maxUnavailable: printedValue(pdb.maxUnavailable) } : {}),
            selector: { matchLabels: { "gateway-proxy-id": name } },
        },
    };
}

/** `<proxy>-hpa`, as Gloo: for an enabled Deployment whose merged values set horizontalPodAutoscaler. */
export function proxyAutoscaler(
    name: string,
    proxy: GatewayProxyValues,
    namespace: string,
    releaseName: string,
): KubernetesObject | undefined {
    const hpa = proxy.horizontalPodAutoscaler;
    if (proxy.disabled || !isDeployment(proxy) || !goTruthy(hpa) || !hpa) return undefined;
    const v2 = hpa.apiVersion === "autoscaling/v2beta2" || hpa.apiVersion === "autoscaling/v2";
    return {
        apiVersion: printedValue(hpa.apiVersion) as string,
        kind: "HorizontalPodAutoscaler",
        metadata: { labels: proxyLabels(name, releaseName), name: `${name}-hpa`, namespace },
        spec: {
            minReplicas: printedValue(hpa.minReplicas),
            maxReplicas: printedValue(hpa.maxReplicas),
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
            ...(hpa.apiVersion === "autoscaling/v1"
                ? { targetCPUUtilizationPercentage: printedValue(hpa.targetCPUUtilizationPercentage) }
                : {}),
            ...(v2 ? { metrics: structuredClone(hpa.metrics ?? null), behavior: structuredClone(hpa.behavior ?? null) } : {}),
        },
    };
}

/** `<proxy>-config-dump-service`, as Gloo: with readConfig and readConfigMulticluster, port 8082. */
export function configDumpService(
    name: string,
    proxy: GatewayProxyValues,
    namespace: string,
    releaseName: string,
): KubernetesObject | undefined {
    if (!proxy.readConfig || !proxy.readConfigMulticluster) return undefined;
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: `${name}-config-dump-service`, namespace, labels: proxyLabels(name, releaseName) },
        spec: {
            type: "ClusterIP",
            selector: { gloo: "gateway-proxy", "gateway-proxy-id": name },
            ports: [{ protocol: "TCP", port: 8082 }],
        },
    };
}

/** What an object is to its proxy: where Gloo takes its override from. */
export type ProxyObjectRole =
    "configMap" | "service" | "configDumpService" | "monitoringService" | "workload" | "disruptionBudget" | "autoscaler" | "gateway";

/** An override and its value path. */
interface OverrideSource {
    override: unknown;
    path: string;
}

/**
 * Which override Gloo lays over a proxy's object: the entry's own for the workload, ConfigMap,
 * PDB and HPA; for the Services the merged values' (inherited from the default entry) when the
 * entry sets a service. (The Gateways' are gatewaySettings', not here.)
 */
export function overrideOf(proxy: Pick<ResolvedProxy, "values" | "entry" | "origin">, role: ProxyObjectRole): OverrideSource | undefined {
    const { entry, values } = proxy;
    const at = (key: keyof GatewayProxyValues, sub = "") => `${proxy.origin(key)}${sub}.kubeResourceOverride`;
    switch (role) {
        case "configMap":
            return { override: entry.configMap?.kubeResourceOverride, path: at("configMap") };
        case "workload":
            return { override: entry.kubeResourceOverride, path: proxy.origin("kubeResourceOverride") };
        case "disruptionBudget":
            return goTruthy(entry.podDisruptionBudget)
                ? { override: entry.podDisruptionBudget?.kubeResourceOverride, path: at("podDisruptionBudget") }
                : undefined;
        case "autoscaler":
            return goTruthy(entry.horizontalPodAutoscaler)
                ? { override: entry.horizontalPodAutoscaler?.kubeResourceOverride, path: at("horizontalPodAutoscaler") }
                : undefined;
        case "service":
            return goTruthy(entry.service) ? { override: values.service?.kubeResourceOverride, path: at("service") } : undefined;
        case "configDumpService":
            return goTruthy(entry.service) && goTruthy(entry.service?.configDumpService)
                ? { override: values.service?.configDumpService?.kubeResourceOverride, path: at("service", ".configDumpService") }
                : undefined;
        default:
            return undefined;
    }
}

/** A proxy's objects with Gloo's overrides laid over them, and the issues of any that changes what keepalive covers. */
export function withProxyOverrides(
    proxy: Pick<ResolvedProxy, "values" | "entry" | "origin">,
    objects: readonly [ProxyObjectRole, KubernetesObject | undefined][],
): { objects: KubernetesObject[]; issues: ValueIssue[] } {
    const issues: ValueIssue[] = [];
    const out: KubernetesObject[] = [];
    for (const [role, object] of objects) {
        if (!object) continue;
        const source = overrideOf(proxy, role);
        const result = source ? overriddenObject(object, source.override, source.path) : { object, issues: [] };
        issues.push(...result.issues);
        out.push(result.object);
    }
    return { objects: out, issues };
}

/** What Gloo renders for a disabled proxy: its PodDisruptionBudget (nothing keepalive covers, so no issue). */
export function disabledProxyObjects(values: GlooKeepaliveValues, releaseNamespace: string, releaseName: string): KubernetesObject[] {
    return resolveProxies(values, true)
        .filter((p) => p.values.disabled)
        .flatMap((p) => {
            const name = kebabCase(p.name);
            const pdb = proxyDisruptionBudget(name, p.values, p.values.namespace || releaseNamespace, releaseName);
            return withProxyOverrides(p, [["disruptionBudget", pdb && additionallyLabelled(values, pdb)]]).objects;
        });
}
