/**
 * The explanation model: per proxy and hop, the keepalive in force, where every number came from, the
 * worst-case time to find a dead peer and how it compares with the load balancer's idle
 * timeout; *
 * Sources of a number:
 *   value       set in the user's values (stack file or --values files), with its value path;
 *   default     the chart's default the user did not set (e.g. tcpKeepaliveTimeSeconds 60);
 *   pod sysctl  unset on the hop, taken from the pod's net.ipv4.tcp_keepalive_* sysctls
 *               (podTemplate.tcpKeepaliveSysctls);
 *   OS default  unset on the hop and in the pod: the Linux default (7200 s / 75 s / 9).
 */
import { staticClusterKeepalive } from "../render/bootstrap";
import { KEEPALIVE_FIELDS, KEEPALIVE_FIELD_NAMES, type TcpKeepaliveField } from "../keepalive";
import { type KeepaliveHop, type ProxyRender, type RenderResult } from "../render/render";
import type { GatewayProxyValues, GlooKeepaliveValues } from "../values/types";
import { coalesceValues, resolveProxies, type ResolvedProxy } from "../values/values";

/** Where an effective keepalive number came from. */
export type FieldSource = "value" | "default" | "pod sysctl" | "OS default";

export interface FieldExplanation {
    field: TcpKeepaliveField;
    /** The number in force (seconds, or a probe count). */
    value: number;
    source: FieldSource;
    /** The value path it comes from (a sysctl name for "pod sysctl", the kernel default's sysctl for "OS default"). */
    path: string;
    /** For "value": the input file (stack file or --values file) that set it, when known. */
    file?: string;
}

export interface HopExplanation {
    hop: KeepaliveHop;
    /** Every field, when the hop has keepalive at all. */
    fields?: Record<TcpKeepaliveField, FieldExplanation>;
    /** Seconds after the last packet at which each probe is sent. */
    probeTimes: number[];
    /** Worst-case seconds to find a dead peer (time + interval × probes); undefined: never. */
    detectionSeconds?: number;
    /** The first probe comes at or after the load balancer's idle timeout (or there is no keepalive at all, behind one). */
    exceedsLoadBalancer: boolean;
}

export interface ProxyExplanation {
    proxy: ProxyRender;
    loadBalancerIdleTimeoutSeconds?: number;
    /** Where the idle timeout came from. */
    loadBalancerSource?: { source: "value" | "default"; path: string; file?: string };
    hops: HopExplanation[];
}

/** Which proxy-level value feeds a static cluster's keepalive field. */
const PROXY_KEY: Record<TcpKeepaliveField, keyof GatewayProxyValues> = {
    timeSeconds: "tcpKeepaliveTimeSeconds",
    intervalSeconds: "tcpKeepaliveIntervalSeconds",
    probes: "tcpKeepaliveProbes",
};

type Getter = (values: GlooKeepaliveValues) => unknown;

/** The user's own values (no chart defaults) after the first n layers. */
function userValues(layers: readonly unknown[], n: number): GlooKeepaliveValues {
    return coalesceValues({}, layers.slice(0, n)) as GlooKeepaliveValues;
}

function proxyGetter(key: string, pick: (proxy: GatewayProxyValues) => unknown): Getter {
    return (values) => {
        const proxy = resolveProxies(values).find((p) => p.name === key);
        return proxy ? pick(proxy.values) : undefined;
    };
}

/**
 * Who set a value: "value" when the user's layers set it (with the last file that changed it),
 * "default" when only the chart's defaults did.
 */
function provenance(
    layers: readonly unknown[],
    files: readonly (string | undefined)[],
    get: Getter,
): { source: "value" | "default"; file?: string } {
    const final = get(userValues(layers, layers.length));
    if (final === undefined) return { source: "default" };
    let file: string | undefined;
    for (let i = layers.length; i >= 1; i--) {
        const before = get(userValues(layers, i - 1));
        if (JSON.stringify(before) !== JSON.stringify(get(userValues(layers, i)))) {
            file = files[i - 1];
            break;
        }
    }
    return { source: "value", ...(file ? { file } : {}) };
}

function hopFields(
    proxy: ProxyRender,
    resolved: ResolvedProxy,
    hop: KeepaliveHop,
    layers: readonly unknown[],
    files: readonly (string | undefined)[],
    result: RenderResult,
): Record<TcpKeepaliveField, FieldExplanation> | undefined {
    if (!hop.effective) return undefined;
    const v = proxy.values;
    const podSysctls = v.podTemplate?.tcpKeepaliveSysctls ? staticClusterKeepalive(v) : {};
    const out = {} as Record<TcpKeepaliveField, FieldExplanation>;
    for (const field of KEEPALIVE_FIELD_NAMES) {
        const value = hop.effective[field];
        const envoy = KEEPALIVE_FIELDS[field].envoy;
        if (hop.keepalive?.[field] === undefined) {
            out[field] =
                podSysctls[field] !== undefined
                    ? {
                          field,
                          value,
                          source: "pod sysctl",
                          path: `${KEEPALIVE_FIELDS[field].sysctl} (${resolved.origin("podTemplate")}.tcpKeepaliveSysctls, from ${resolved.origin(PROXY_KEY[field])})`,
                      }
                    : { field, value, source: "OS default", path: `${KEEPALIVE_FIELDS[field].sysctl} (Linux default)` };
            continue;
        }
        let valuePath: string;
        let get: Getter;
        switch (hop.kind) {
            case "downstream":
                valuePath = `${resolved.origin("gatewaySettings")}.tcpKeepalive.${field}`;
                get = proxyGetter(proxy.key, (p) => p.gatewaySettings?.tcpKeepalive?.[field]);
                break;
            case "upstream": {
                const index = Number(
                    /^upstreams\[(\d+)\]/.exec(hop.source)?.[1] ?? (result.values.upstreams ?? []).findIndex((u) => u.name === hop.name),
                );
                valuePath = `upstreams[${index}].tcpKeepalive.${field}`;
                get = (values) => values.upstreams?.[index]?.tcpKeepalive?.[field];
                break;
            }
            default: {
                const clusters = v.envoyStaticClusters ?? [];
                const index = clusters.findIndex((c) => c.name === hop.name);
                const own = (c: GatewayProxyValues["envoyStaticClusters"]) => {
                    const options = c?.find((x) => x.name === hop.name)?.upstream_connection_options as
                        { tcp_keepalive?: Record<string, unknown> } | undefined;
                    return options?.tcp_keepalive?.[envoy];
                };
                if (hop.kind === "static-cluster" && own(clusters) !== undefined) {
                    valuePath = `${resolved.origin("envoyStaticClusters")}[${index}].upstream_connection_options.tcp_keepalive.${envoy}`;
                    get = proxyGetter(proxy.key, (p) => own(p.envoyStaticClusters));
                } else {
                    valuePath = resolved.origin(PROXY_KEY[field]);
                    get = proxyGetter(proxy.key, (p) => p[PROXY_KEY[field]]);
                }
            }
        }
        const from = provenance(layers, files, get);
        out[field] = { field, value, source: from.source, path: valuePath, ...(from.file ? { file: from.file } : {}) };
    }
    return out;
}

/**
 * Explain a render: for every proxy and hop, each effective number with its source.
 * `layers` are the user's values layers given to renderValues (without the chart defaults);
 * `files` names them (same order) for the "value" sources.
 */
export function explainRender(
    result: RenderResult,
    layers: readonly unknown[],
    files: readonly (string | undefined)[] = [],
): ProxyExplanation[] {
    const resolved = resolveProxies(result.values);
    return result.proxies.map((proxy) => {
        const r = resolved.find((p) => p.name === proxy.key) as ResolvedProxy;
        const lb = proxy.values.loadBalancerIdleTimeoutSeconds;
        const hops = proxy.hops.map((hop): HopExplanation => {
            const fields = hopFields(proxy, r, hop, layers, files, result);
            const e = hop.effective;
            const probeTimes = e ? Array.from({ length: e.probes }, (_, k) => e.timeSeconds + k * e.intervalSeconds) : [];
            const exceedsLoadBalancer = lb !== undefined && (e === undefined || e.timeSeconds >= lb);
            return { hop, fields, probeTimes, detectionSeconds: hop.detectionSeconds, exceedsLoadBalancer };
        });
        const loadBalancerSource =
            lb === undefined
                ? undefined
                : {
                      path: r.origin("loadBalancerIdleTimeoutSeconds"),
                      ...provenance(
                          layers,
                          files,
                          proxyGetter(proxy.key, (p) => p.loadBalancerIdleTimeoutSeconds),
                      ),
                  };
        return { proxy, loadBalancerIdleTimeoutSeconds: lb, ...(loadBalancerSource ? { loadBalancerSource } : {}), hops };
    });
}
