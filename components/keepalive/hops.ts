import type { LoadBalancerType } from "./load-balancers";

/**
 * What sits on each hop of a gateway proxy, and what keepalive does against it.
 *
 *  - In front (downstream): a load balancer. An L4 balancer tracks the TCP flow itself, so
 *    keepalive probes refresh its idle timer: keepalive time must stay below its idle timeout.
 *    An L7 balancer ends the client's connection and opens its own to the proxy: TCP probes
 *    carry no data and never refresh its timer; what matters is that the proxy's HTTP idle
 *    timeout is longer than the balancer's (else the proxy closes a connection the balancer
 *    still reuses: 502s).
 *  - Egress (upstreams and static clusters): e.g. a NAT gateway (AWS 350 s) or connection tracking.
 *  - Control plane (the xDS connection and the other clusters to Gloo): e.g. kube-proxy IPVS (900 s).
 *
 * A hop is checked only against the box it crosses.
 */

/** Which connection a hop is. */
export type HopKind = "xds" | "built-in-cluster" | "static-cluster" | "downstream" | "upstream";

/** How each hop kind is named in messages. */
export const HOP_KIND_NAMES: Readonly<Record<HopKind, string>> = {
    xds: "xDS cluster",
    "built-in-cluster": "static cluster", // Envoy's word: Gloo's own clusters are static clusters of the bootstrap too
    "static-cluster": "static cluster",
    downstream: "downstream listener (Gateway)",
    upstream: "upstream",
};

/** Where a middlebox sits. */
export type MiddleboxPlace = "load-balancer" | "egress" | "control-plane";

/** The box a hop crosses: the front balancer downstream, egress to upstreams and static clusters, the control plane for xDS. */
export const HOP_MIDDLEBOX: Readonly<Record<HopKind, MiddleboxPlace>> = {
    xds: "control-plane",
    "built-in-cluster": "control-plane",
    "static-cluster": "egress",
    downstream: "load-balancer",
    upstream: "egress",
};

/** Built-in clusters that never leave the pod (the admin port on the loopback address). */
export const LOOPBACK_CLUSTERS: readonly string[] = ["admin_port_cluster"];

/** The middlebox a hop crosses; undefined for a loopback cluster, which crosses none. */
export function middleboxPlace(kind: HopKind, name: string): MiddleboxPlace | undefined {
    if (kind === "built-in-cluster" && LOOPBACK_CLUSTERS.includes(name)) return undefined;
    return HOP_MIDDLEBOX[kind];
}

/** How each place is named in messages. */
export const MIDDLEBOX_NAMES: Readonly<Record<MiddleboxPlace, string>> = {
    "load-balancer": "load balancer",
    egress: "egress middlebox",
    "control-plane": "control-plane middlebox",
};

/** A middlebox with its idle timeout, as decided for a proxy. */
export interface Middlebox {
    place: MiddleboxPlace;
    /** Load balancers only. */
    type?: LoadBalancerType;
    /** 7 for an L7 balancer in front; 4 otherwise (every egress and control-plane box tracks TCP). */
    layer: 4 | 7;
    idleTimeoutSeconds: number;
    /** The value path it comes from. */
    path: string;
    /** True when the idle timeout is the type's default (not set in the values). */
    isDefault: boolean;
    /** The values file that set it, when known. */
    file?: string;
}
