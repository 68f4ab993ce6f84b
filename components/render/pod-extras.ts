/**
 * What a Gloo user adds to the proxy's pod and Service as it is, placed where the Gloo chart
 * places it: extra pod labels, containers, init containers, ports, volumes and mounts, the
 * Deployment's customEnv and priorityClassName, and the Service's customPorts.
 */
import type { GlooGatewayProxyDeployment } from "../generated/gloo-types";
import type { GatewayProxyValues } from "../values/types";
import type { ValueIssue } from "../values/issues";
import { isPlainObject } from "../values/paths";

type Json = Record<string, unknown>;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** What the values add to the pod spec and the Envoy container, each list in Gloo's place. */
export interface PodExtras {
    /** `podTemplate.extraContainers`, before the Envoy container. */
    containers: unknown[];
    /** `podTemplate.extraInitContainers`. */
    initContainers: unknown[];
    /** `kind.deployment.customEnv` (a Deployment only), before Gloo's own variables. */
    env: unknown[];
    /** `podTemplate.extraPorts`, after http and https. */
    ports: unknown[];
    /** `extraProxyVolumeMounts`, after the envoy-config mount. */
    volumeMounts: unknown[];
    /** `extraVolumes`, after the envoy-config volume. */
    volumes: unknown[];
    /** The pod spec's own fields: `kind.deployment.priorityClassName` (a Deployment only). */
    spec: Json;
}

export function podExtras(proxy: GatewayProxyValues, deployment: boolean): PodExtras {
    const pod = proxy.podTemplate ?? {};
    // Gloo's GatewayProxyDeployment: our schema types its replicas only, Gloo's the rest.
    const kind: GlooGatewayProxyDeployment = deployment && isPlainObject(proxy.kind?.deployment) ? proxy.kind.deployment : {};
    return {
        containers: list(pod.extraContainers),
        initContainers: list(pod.extraInitContainers),
        env: list(kind.customEnv),
        ports: list(pod.extraPorts),
        volumeMounts: list(proxy.extraProxyVolumeMounts),
        volumes: list(proxy.extraVolumes),
        spec: kind.priorityClassName ? { priorityClassName: kind.priorityClassName } : {},
    };
}

/** `podTemplate.extraGatewayProxyLabels`, every value a string as Gloo quotes it (a number as Go prints it). */
export function extraPodLabels(proxy: GatewayProxyValues): Record<string, string> {
    const labels = proxy.podTemplate?.extraGatewayProxyLabels ?? {};
    return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, v === null || v === undefined ? "" : goValue(v)]));
}

/** Gloo's own labels of the proxy pod (its selectors). */
export const POD_LABELS = ["gloo", "gateway-proxy-id", "gateway-proxy"];

/** Labels the pod's selectors need (and the Istio ones in force): an extra label must not write them twice. */
export function extraPodLabelIssues(proxy: GatewayProxyValues, podPath: string, reserved: readonly string[]): ValueIssue[] {
    return Object.keys(proxy.podTemplate?.extraGatewayProxyLabels ?? {})
        .filter((k) => reserved.includes(k))
        .map((k) => ({
            path: `${podPath}.extraGatewayProxyLabels.${k}`,
            message: `${k} is a label the proxy's pod already carries (its selector, Service or Istio injection need it); the Gloo chart would write it twice`,
        }));
}

/** The Service's `customPorts`, after http and https. */
export function customServicePorts(proxy: GatewayProxyValues): unknown[] {
    return list(proxy.service?.customPorts);
}

/** A value as Go's `%v` prints it (sprig's `quote`, and `join` of a list holding extraPorts). */
export function goValue(value: unknown): string {
    if (value === null || value === undefined) return "<nil>";
    if (Array.isArray(value)) return `[${value.map(goValue).join(" ")}]`;
    if (isPlainObject(value))
        return `map[${Object.keys(value)
            .sort()
            .map((k) => `${k}:${goValue(value[k])}`)
            .join(" ")}]`;
    if (typeof value === "number") return goFloat(value);
    return String(value);
}

/** A float64 as Go's `%v`: shortest digits, exponent form below 1e-4 or from 1e6 (%g with the shortest precision). */
function goFloat(n: number): string {
    if (n === 0 || !Number.isFinite(n)) return String(n);
    const exp = Math.floor(Math.log10(Math.abs(n)));
    if (exp < -4 || exp >= 6) {
        const [mantissa, e] = n.toExponential().split("e");
        const sign = e.startsWith("-") ? "-" : "+";
        return `${mantissa}e${sign}${e.replace(/^[-+]/, "").padStart(2, "0")}`;
    }
    return String(n);
}

/** Gloo's `traffic.sidecar.istio.io/excludeInboundPorts`: httpPort, httpsPort and extraPorts joined as sprig joins them. */
export function excludeInboundPorts(proxy: GatewayProxyValues): string {
    const pod = proxy.podTemplate;
    if (!pod || Object.keys(pod).length === 0) return "";
    return [pod.httpPort, pod.httpsPort, pod.extraPorts]
        .filter((v) => v !== null && v !== undefined)
        .map(goValue)
        .join(",");
}
