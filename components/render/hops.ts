/**
 * The hops of a proxy as the renderer decided them: the keepalive of each cluster, Gateway and
 * Upstream, where each number comes from, the middlebox each hop crosses, and what to warn about.
 * Built from the values (the same decisions the bootstrap and objects are rendered from), never
 * read back out of the rendered objects.
 *
 * Sources of a number:
 *   value       set in the user's values layers, with its value path and the layer's file;
 *   default     the chart's default the user did not set (e.g. tcpKeepaliveTimeSeconds 60);
 *   pod sysctl  unset on the hop, taken from the pod's net.ipv4.tcp_keepalive_* sysctls;
 *   OS default  unset on the hop and in the pod: the Linux default (7200 s / 75 s / 9).
 */
import {
    detectionSeconds,
    effectiveKeepalive,
    fromEnvoyTcpKeepalive,
    inFlightDetectionSeconds,
    KEEPALIVE_FIELD_NAMES,
    KEEPALIVE_FIELDS,
    middleboxPlace,
    type EffectiveTcpKeepalive,
    type EnvoyTcpKeepalive,
    type Hop,
    type HopKind,
    type Middlebox,
    type TcpKeepalive,
    type TcpKeepaliveField,
} from "../keepalive";
import type { GatewayProxyValues, UpstreamValues } from "../values/types";
import { isPlainObject, type ResolvedProxy } from "../values/values";
import { hasAdminPortCluster, staticClusterKeepalive, xdsClusterName, type BootstrapContext } from "./bootstrap";
import { kebabCase } from "./manifests";
import { hopWarnings, type ProxyMiddleboxes } from "./middlebox";
import { sourceOf, type ValueLayers } from "./provenance";

/** Where an effective keepalive number came from. */
export type FieldSource = "value" | "default" | "pod sysctl" | "OS default";

export interface FieldExplanation {
    field: TcpKeepaliveField;
    /** The number in force (seconds, or a probe count). */
    value: number;
    source: FieldSource;
    /** The value path it comes from (a sysctl name for "pod sysctl", the kernel default's sysctl for "OS default"). */
    path: string;
    /** For "value": the input file that set it, when known. */
    file?: string;
}

/** The keepalive in force on one hop of a proxy, as rendered. */
export interface KeepaliveHop extends Hop {
    /** The value path the setting comes from (as `path`). */
    source: string;
    /** Every field resolved (OS defaults, or the pod's keepalive sysctls, for unset fields). */
    effective?: EffectiveTcpKeepalive;
    /** Each effective field with its source. */
    fields?: Record<TcpKeepaliveField, FieldExplanation>;
    /** Worst-case seconds to detect an idle dead peer (TCP_USER_TIMEOUT, where set, instead of the probe count). */
    detectionSeconds?: number;
    /** Seconds until a peer that vanished with data in flight is given up (TCP_USER_TIMEOUT, else the kernel's ~924.6 s). */
    inFlightDetectionSeconds: number;
    /** The middlebox this hop crosses; undefined: none configured (or a loopback cluster). */
    middlebox?: Middlebox;
    /** Things a person should look at (e.g. keepalive time at or above the idle timeout of the box it crosses). */
    warnings: string[];
}

interface HopInput {
    kind: HopKind;
    name: string;
    source: string;
    keepalive?: TcpKeepalive;
    tcpUserTimeoutSeconds?: number;
    /** Value path of each field that is set (the rest are OS defaults or pod sysctls). */
    fieldPaths: Record<TcpKeepaliveField, string>;
}

function fieldExplanations(
    input: HopInput,
    effective: EffectiveTcpKeepalive,
    proxy: ResolvedProxy,
    layers: ValueLayers,
): Record<TcpKeepaliveField, FieldExplanation> {
    const sysctls = proxy.values.podTemplate?.tcpKeepaliveSysctls ? staticClusterKeepalive(proxy.values) : {};
    const out = {} as Record<TcpKeepaliveField, FieldExplanation>;
    for (const field of KEEPALIVE_FIELD_NAMES) {
        const value = effective[field];
        const { sysctl, proxyValue } = KEEPALIVE_FIELDS[field];
        if (input.keepalive?.[field] === undefined) {
            out[field] =
                sysctls[field] !== undefined
                    ? {
                          field,
                          value,
                          source: "pod sysctl",
                          path: `${sysctl} (${proxy.origin("podTemplate")}.tcpKeepaliveSysctls, from ${proxy.origin(proxyValue)})`,
                      }
                    : { field, value, source: "OS default", path: `${sysctl} (Linux default)` };
            continue;
        }
        const { source, path, file } = sourceOf(layers, input.fieldPaths[field]);
        out[field] = file === undefined ? { field, value, source, path } : { field, value, source, path, file };
    }
    return out;
}

/**
 * A property made on first read, then an ordinary one: where each number comes from is read by
 * `explain`, not by a render, and a render has thousands of hops. Enumerable like any other, so
 * JSON, spreads and deep comparisons see it.
 */
function lazyProperty<T extends object, K extends keyof T>(target: T, key: K, make: () => T[K]): void {
    const settle = (value: T[K]) => Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(target, key, {
        enumerable: true,
        configurable: true,
        get: () => {
            const value = make();
            settle(value);
            return value;
        },
        set: settle,
    });
}

function buildHop(input: HopInput, proxy: ResolvedProxy, boxes: ProxyMiddleboxes, layers: ValueLayers, os: EffectiveTcpKeepalive) {
    const place = middleboxPlace(input.kind, input.name);
    const middlebox = place ? boxes[place] : undefined;
    const ut = input.tcpUserTimeoutSeconds;
    // Built field by field (in the order a reader sees them), not spread together: a render builds thousands.
    const hop: Omit<KeepaliveHop, "warnings"> & { warnings?: string[] } = {
        kind: input.kind,
        name: input.name,
        source: input.source,
        path: input.source,
        fieldPaths: input.fieldPaths,
        inFlightDetectionSeconds: inFlightDetectionSeconds(ut),
    };
    if (ut !== undefined) hop.tcpUserTimeoutSeconds = ut;
    if (middlebox) hop.middlebox = middlebox;
    if (input.keepalive) {
        const effective = effectiveKeepalive(input.keepalive, os);
        hop.keepalive = input.keepalive;
        hop.effective = effective;
        lazyProperty(hop, "fields", () => fieldExplanations(input, effective, proxy, layers));
        hop.detectionSeconds = detectionSeconds(input.keepalive, os, ut);
    }
    hop.warnings = hopWarnings(hop, proxy);
    return hop as KeepaliveHop;
}

/** One value per keepalive field, in the fields' order. */
function perField<T>(value: (f: TcpKeepaliveField) => T): Record<TcpKeepaliveField, T> {
    const out = {} as Record<TcpKeepaliveField, T>;
    for (const f of KEEPALIVE_FIELD_NAMES) out[f] = value(f);
    return out;
}

const fieldPathsUnder = (base: string, key: (f: TcpKeepaliveField) => string) => perField((f) => `${base}.${key(f)}`);

function ownTcpKeepalive(cluster: Record<string, unknown>): EnvoyTcpKeepalive | undefined {
    const options = cluster.upstream_connection_options;
    const own = isPlainObject(options) ? options.tcp_keepalive : undefined;
    return isPlainObject(own) ? (own as EnvoyTcpKeepalive) : undefined;
}

/** The clusters the bootstrap renders, in its order, each with the keepalive the proxy decided for it. */
function clusterInputs(proxy: ResolvedProxy, ctx: BootstrapContext): HopInput[] {
    const v: GatewayProxyValues = proxy.values;
    const keepalive = staticClusterKeepalive(v);
    const ut = v.tcpUserTimeoutSeconds;
    const proxyPaths = perField((f) => proxy.origin(KEEPALIVE_FIELDS[f].proxyValue));
    const source = proxy.origin("tcpKeepaliveTimeSeconds");
    const builtIn = (kind: HopKind, name: string): HopInput => ({
        kind,
        name,
        source,
        keepalive,
        fieldPaths: proxyPaths,
        tcpUserTimeoutSeconds: ut,
    });
    const names = ["rest_xds_cluster", "wasm-cache", ...(hasAdminPortCluster(v, ctx) ? ["admin_port_cluster"] : [])];
    const inputs = [builtIn("xds", xdsClusterName(ctx)), ...names.map((n) => builtIn("built-in-cluster", n))];
    const clustersPath = proxy.origin("envoyStaticClusters");
    (v.envoyStaticClusters ?? []).forEach((cluster, i) => {
        const own = ownTcpKeepalive(cluster) ?? {};
        const ownPaths = fieldPathsUnder(
            `${clustersPath}[${i}].upstream_connection_options.tcp_keepalive`,
            (f) => KEEPALIVE_FIELDS[f].envoy,
        );
        const fieldPaths = perField((f) => (own[KEEPALIVE_FIELDS[f].envoy] !== undefined ? ownPaths[f] : proxyPaths[f]));
        inputs.push({
            kind: "static-cluster",
            name: cluster.name,
            source: `${clustersPath}[${i}]`,
            keepalive: { ...keepalive, ...fromEnvoyTcpKeepalive(own) },
            fieldPaths,
            tcpUserTimeoutSeconds: ut,
        });
    });
    return inputs;
}

/** Every hop of a proxy: its clusters, its downstream (when it has Gateways), and the release's upstreams. */
export function proxyHops(
    proxy: ResolvedProxy,
    upstreams: readonly UpstreamValues[],
    os: EffectiveTcpKeepalive,
    ctx: BootstrapContext,
    boxes: ProxyMiddleboxes,
    layers: ValueLayers,
): KeepaliveHop[] {
    const v = proxy.values;
    const inputs = clusterInputs(proxy, ctx);
    if (v.gatewaySettings?.enabled) {
        const settings = `${proxy.origin("gatewaySettings")}`;
        inputs.push({
            kind: "downstream",
            name: kebabCase(proxy.name),
            source: `${settings}.tcpKeepalive`,
            keepalive: v.gatewaySettings?.tcpKeepalive,
            fieldPaths: fieldPathsUnder(`${settings}.tcpKeepalive`, (f) => f),
            tcpUserTimeoutSeconds: v.gatewaySettings?.tcpUserTimeoutSeconds,
        });
    }
    upstreams.forEach((u, i) =>
        inputs.push({
            kind: "upstream",
            name: u.name,
            source: `upstreams[${i}].tcpKeepalive`,
            keepalive: u.tcpKeepalive,
            fieldPaths: fieldPathsUnder(`upstreams[${i}].tcpKeepalive`, (f) => f),
        }),
    );
    return inputs.map((input) => buildHop(input, proxy, boxes, layers, os));
}
