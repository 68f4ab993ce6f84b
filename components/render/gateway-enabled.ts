/**
 * Gloo's `gateway.enabled: false` (or null, which removes Gloo's default true): the Gloo chart renders none of a proxy's own objects (the
 * ServiceAccount, envoy-config ConfigMap, Service, Deployment or DaemonSet, PDB, HPA,
 * config-dump Service), only its Gateways, which ship in the control plane's ConfigMap. The
 * keepalive Upstreams are ours and stay.
 */
import type { GlooKeepaliveValues } from "../values/types";
import type { KubernetesObject } from "./manifests";

/** Whether the proxies' own objects render: Gloo's `gateway.enabled` (default true), tested as Gloo tests it: false or null is off. */
export function gatewayEnabled(values: GlooKeepaliveValues): boolean {
    return Boolean(values.gateway?.enabled);
}

/** The objects that render when `gateway.enabled` is false: the Gateways and the Upstreams. */
export function whenGatewayEnabled(values: GlooKeepaliveValues, objects: KubernetesObject[]): KubernetesObject[] {
    return gatewayEnabled(values) ? objects : objects.filter((o) => o.kind === "Gateway" || o.kind === "Upstream");
}
