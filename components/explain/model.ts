/**
 * The explanation model: per proxy and hop, the keepalive in force, where every number came from
 * (the renderer says: value / default / pod sysctl / OS default), the worst-case time to find a
 * dead peer, and how the hop fares against the middlebox it crosses (the load balancer in front
 * for downstream, the egress box for upstreams and static clusters, the control-plane box for
 * xDS), and only that one.
 */
import type { Middlebox } from "../keepalive";
import { httpIdleTimeout } from "../render/middlebox";
import type { KeepaliveHop, ProxyRender, RenderResult } from "../render/render";
import { resolveProxies, type ResolvedProxy } from "../values/values";

export type { FieldExplanation, FieldSource } from "../render/render";

export interface HopExplanation {
    hop: KeepaliveHop;
    /** Every field with its source, when the hop has keepalive at all. */
    fields?: KeepaliveHop["fields"];
    /** Seconds after the last packet at which each probe is sent. */
    probeTimes: number[];
    /** Worst-case seconds to find an idle dead peer; undefined: never. */
    detectionSeconds?: number;
    /** The box this hop crosses, if any. */
    middlebox?: Middlebox;
    /** The first probe comes at or after the idle timeout of an L4 box it crosses (or there is no keepalive at all, behind one). */
    exceedsLoadBalancer: boolean;
    /** Downstream behind an L7 balancer whose idle timeout is not shorter than the Gateways' HTTP idle timeout. */
    httpIdleViolation: boolean;
}

export interface ProxyExplanation {
    proxy: ProxyRender;
    /** The front balancer's idle timeout (for the downstream hop). */
    loadBalancerIdleTimeoutSeconds?: number;
    loadBalancer?: Middlebox;
    /** Where the front balancer's idle timeout came from. */
    loadBalancerSource?: { source: "value" | "default"; path: string; file?: string };
    /** The Gateways' HTTP idle timeout and its source (it matters behind an L7 balancer). */
    httpIdleTimeout: { seconds: number; path: string };
    hops: HopExplanation[];
}

/** Probe times of a hop: time + k × interval, as many as the probes (with TCP_USER_TIMEOUT: until it drops). */
function probeTimes(hop: KeepaliveHop): number[] {
    const e = hop.effective;
    if (!e || hop.detectionSeconds === undefined) return [];
    const count =
        hop.tcpUserTimeoutSeconds === undefined ? e.probes : Math.round((hop.detectionSeconds - e.timeSeconds) / e.intervalSeconds);
    return Array.from({ length: Math.min(count, 1000) }, (_, k) => e.timeSeconds + k * e.intervalSeconds);
}

function explainHop(hop: KeepaliveHop, httpIdle: number): HopExplanation {
    const e = hop.effective;
    const box = hop.middlebox;
    const exceeds = box !== undefined && box.layer === 4 && (e === undefined || e.timeSeconds >= box.idleTimeoutSeconds);
    return {
        hop,
        fields: hop.fields,
        probeTimes: probeTimes(hop),
        detectionSeconds: hop.detectionSeconds,
        ...(box ? { middlebox: box } : {}),
        exceedsLoadBalancer: exceeds,
        httpIdleViolation: box !== undefined && box.layer === 7 && httpIdle <= box.idleTimeoutSeconds,
    };
}

/** Where the front balancer's idle timeout came from, as the renderer says. */
function lbSource(box: Middlebox): ProxyExplanation["loadBalancerSource"] {
    return { source: box.isDefault ? "default" : "value", path: box.path, ...(box.file ? { file: box.file } : {}) };
}

/** Explain a render: for every proxy and hop, each effective number with its source. */
export function explainRender(result: RenderResult): ProxyExplanation[] {
    const resolved = resolveProxies(result.values);
    return result.proxies.map((proxy) => {
        const lb = proxy.middleboxes["load-balancer"];
        const r = resolved.find((p) => p.name === proxy.key);
        const http = httpIdleTimeout(r as ResolvedProxy);
        return {
            proxy,
            ...(lb ? { loadBalancerIdleTimeoutSeconds: lb.idleTimeoutSeconds, loadBalancer: lb, loadBalancerSource: lbSource(lb) } : {}),
            httpIdleTimeout: http,
            hops: proxy.hops.map((h) => explainHop(h, http.seconds)),
        };
    });
}
