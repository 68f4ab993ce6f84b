/**
 * Lowering for teams that keep solo-io's `gloo` chart (or `gloo-ee`, the same values under
 * `gloo.`): our typed keepalive, checked with the library, written into the values that chart
 * renders (version GLOO_CHART_VERSION), with the user's own Gloo values file passing through as
 * it is wherever keepalive is not concerned.
 *
 * What lands where, per `gatewayProxies.<name>` entry (the chart reads `kubeResourceOverride` from
 * the entry itself, not merged over `gatewayProxy`, so every enabled proxy gets its own keys):
 *  - `envoyStaticClusters` and `tracing.cluster`: each cluster with the proxy's keepalive under
 *    its own `upstream_connection_options.tcp_keepalive` fields (the user's own fields win);
 *  - `tcpKeepaliveTimeSeconds`: the chart's `keepalive_time` on its built-in clusters;
 *  - `gatewaySettings.options.socketOptions`: the user's options, then the four keepalive options
 *    and TCP_USER_TIMEOUT (a raw option that sets one of them is refused, as in the library); the
 *    HTTP idle timeout in `gatewaySettings.customHttpGateway` / `customHttpsGateway` (./gateways.ts);
 *  - `tcpUserTimeoutSeconds` (per proxy): TCP_USER_TIMEOUT in each static and tracing cluster's
 *    `upstream_bind_config.socket_options`, after the user's own bind options;
 *  - `kubeResourceOverride.spec.template.spec.securityContext.sysctls`: the pod's
 *    `net.ipv4.tcp_keepalive_*`, the only way to give the built-in clusters (which the chart
 *    renders with `keepalive_time` only) their interval and probes. The list replaces the
 *    rendered one, so the sysctls the user already sets (pod security context or override) are kept;
 *    a keepalive sysctl the user sets to another value than the typed keepalive is refused.
 */
import { KEEPALIVE_FIELDS, toEnvoyTcpKeepalive, toPodSysctls, type Sysctl, type TcpKeepalive } from "../keepalive";
import { staticClusterKeepalive, withProxyKeepalive } from "../render/bootstrap";
import { withClusterUserTimeoutOption } from "../render/middlebox";
import { renderValues, type ProxyRender, type RenderOptions, type RenderResult } from "../render/render";
import type { EnvoyCluster, GatewayProxyValues } from "../values/types";
import { isPlainObject, mergeValues, ValuesError, type ValueIssue } from "../values/values";
import { loweredGateways } from "./gateways";

/** The solo-io chart version the lowering targets (its templates decide where each value lands). */
export const GLOO_CHART_VERSION = "1.22.1";
/** solo-io's public Helm repository for the `gloo` chart. */
export const GLOO_CHART_REPOSITORY = "https://storage.googleapis.com/solo-public-helm";

/** `gloo`: values at the top level; `gloo-ee`: Gloo Gateway Enterprise, the gloo chart's values under `gloo.`. */
export type GlooChartShape = "gloo" | "gloo-ee";

export interface LowerOptions extends RenderOptions {
    /** Default: `gloo-ee` when the Gloo values or the typed values use `gloo.gatewayProxies`, else `gloo`. */
    shape?: GlooChartShape;
}

/** The keys of a proxy entry that are ours only (the gloo chart has no such value): lowered, never written as they are. */
const OURS_ONLY: readonly (keyof GatewayProxyValues)[] = [
    "tcpKeepaliveIntervalSeconds",
    "tcpKeepaliveProbes",
    "xdsHttp2Keepalive",
    "loadBalancerIdleTimeoutSeconds",
    "loadBalancer",
    "egressIdleTimeoutSeconds",
    "controlPlaneIdleTimeoutSeconds",
    "tcpUserTimeoutSeconds",
];
const OURS_ONLY_NESTED: Readonly<Record<string, readonly string[]>> = {
    gatewaySettings: ["tcpKeepalive", "socketOptionsPlatform", "tcpUserTimeoutSeconds", "httpIdleTimeoutSeconds"],
    podTemplate: ["tcpKeepaliveSysctls"],
};
/** The keys of a Gloo entry the library reads and checks (the rest of the Gloo file is not ours to judge). */
const READ_FROM_GLOO: readonly string[] = ["disabled", "tcpKeepaliveTimeSeconds", "envoyStaticClusters"];
const READ_FROM_GLOO_SETTINGS: readonly string[] = ["enabled", "disableHttpGateway", "disableHttpsGateway", "options"];

/** One lowered proxy: the library's render of its keepalive, and what was written for it. */
export interface LoweredProxy {
    /** The library's render of the proxy (its resolved values, hops and warnings). */
    render: ProxyRender;
    /** The gloo chart's values for the proxy after our merge over `gatewayProxy`, as that chart merges them. */
    chartEntry: Record<string, unknown>;
    /** The pod sysctls written through `kubeResourceOverride` (empty when none). */
    sysctls: Sysctl[];
}

export interface LoweredGlooValues {
    shape: GlooChartShape;
    /** The whole values file for solo-io's chart (`gloo-values.yaml`). */
    values: Record<string, unknown>;
    /** The gloo chart's own values inside it (`values`, or `values.gloo` for gloo-ee). */
    chartValues: Record<string, unknown>;
    proxies: LoweredProxy[];
    /** The library's render of the typed values (Upstreams are not the chart's to render: see `render.objects`). */
    render: RenderResult;
}

const record = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
    return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}

/** Typed layers with Gloo Enterprise's `gloo.gatewayProxies` folded into `gatewayProxies`. */
function foldEnterprise(layer: unknown): Record<string, unknown> {
    const l = record(layer);
    const nested = record(record(l.gloo).gatewayProxies);
    const { gloo: _gloo, ...rest } = l;
    return Object.keys(nested).length > 0 || l.gloo === undefined
        ? { ...rest, gatewayProxies: mergeValues(record(l.gatewayProxies), nested) }
        : l;
}

/** What of a Gloo values file the library checks: the keepalive-bearing keys of each entry, and the cluster domain. */
function keepaliveLayer(chartValues: Record<string, unknown>): Record<string, unknown> {
    const proxies = record(chartValues.gatewayProxies);
    const entries = Object.fromEntries(
        Object.entries(proxies).map(([name, raw]) => {
            const entry = record(raw);
            const settings = pick(record(entry.gatewaySettings), READ_FROM_GLOO_SETTINGS);
            return [name, { ...pick(entry, READ_FROM_GLOO), ...(Object.keys(settings).length > 0 ? { gatewaySettings: settings } : {}) }];
        }),
    );
    const clusterName = record(chartValues.k8s).clusterName;
    return { gatewayProxies: entries, ...(clusterName !== undefined ? { k8s: { clusterName } } : {}) };
}

/** A typed layer without our-only keys and without `upstreams`: what the gloo chart reads as it is. */
function glooKeysOf(layer: Record<string, unknown>): Record<string, unknown> {
    const { upstreams: _upstreams, ...rest } = layer;
    const proxies = Object.fromEntries(
        Object.entries(record(layer.gatewayProxies)).map(([name, raw]) => {
            const entry: Record<string, unknown> = { ...record(raw) };
            for (const key of OURS_ONLY) delete entry[key];
            for (const [key, nested] of Object.entries(OURS_ONLY_NESTED)) {
                if (!isPlainObject(entry[key])) continue;
                const inner = { ...entry[key] };
                for (const k of nested) delete inner[k];
                if (Object.keys(inner).length > 0) entry[key] = inner;
                else delete entry[key];
            }
            return [name, entry];
        }),
    );
    return layer.gatewayProxies === undefined ? rest : { ...rest, gatewayProxies: proxies };
}

/** Entries whose bootstrap the user replaces whole (`configMap.data`): no keepalive can be lowered into it. */
function replacedBootstraps(chartValues: Record<string, unknown>, prefix: string): ValueIssue[] {
    return Object.entries(record(chartValues.gatewayProxies)).flatMap(([name, entry]) => {
        const data = record(record(record(entry).configMap).data);
        return Object.keys(data).length > 0
            ? [
                  {
                      path: `${prefix}gatewayProxies.${name}.configMap.data`,
                      message:
                          "replaces the chart's Envoy bootstrap whole, so no keepalive can be lowered into it; remove it (or render the bootstrap with gloo-keepalive's own chart)",
                  },
              ]
            : [];
    });
}

/**
 * The pod sysctls: what the chart renders of the user's first (the override's list, which replaces
 * the pod security context's, else the pod security context's), then ours for the names they do not set.
 */
function mergedSysctls(podTemplate: unknown, kubeResourceOverride: unknown, ours: readonly Sysctl[]): Sysctl[] {
    // The pod security context is rendered only with podTemplate.enablePodSecurityContext (the chart's default: true).
    const rendered = record(podTemplate).enablePodSecurityContext !== false;
    const podContext = rendered ? record(record(podTemplate).podSecurityContext).sysctls : undefined;
    const override = record(record(record(record(record(kubeResourceOverride).spec).template).spec).securityContext).sysctls;
    const user = (Array.isArray(override) ? override : Array.isArray(podContext) ? podContext : []) as Sysctl[];
    const byName = new Map<string, Sysctl>();
    for (const s of [...user, ...ours]) if (isPlainObject(s) && !byName.has(String(s.name))) byName.set(String(s.name), { ...s });
    return [...byName.values()];
}

/** A keepalive sysctl the user already sets to another value than the typed keepalive asks: refused, never silently kept or replaced. */
function sysctlConflicts(entryPath: string, ours: readonly Sysctl[], merged: readonly Sysctl[]): ValueIssue[] {
    return ours.flatMap((o) => {
        const theirs = merged.find((m) => m.name === o.name);
        return theirs && String(theirs.value) !== o.value
            ? [
                  {
                      path: `${entryPath} pod sysctl ${o.name}`,
                      message: `is set to ${JSON.stringify(theirs.value)} (kubeResourceOverride or podTemplate.podSecurityContext), but the typed keepalive asks for ${o.value}; keep one of them`,
                  },
              ]
            : [];
    });
}

/** The sysctls a proxy needs: whenever interval or probes are asked for (the chart's built-in clusters cannot carry them), or when opted in. */
export function loweredSysctls(proxy: GatewayProxyValues): Sysctl[] {
    const keepalive: TcpKeepalive = staticClusterKeepalive(proxy);
    const needed =
        proxy.podTemplate?.tcpKeepaliveSysctls === true || keepalive.intervalSeconds !== undefined || keepalive.probes !== undefined;
    return needed ? toPodSysctls(keepalive) : [];
}

/** The keys written into one proxy entry. */
function loweredEntry(
    proxy: GatewayProxyValues,
    chartEntry: Record<string, unknown>,
    ownEntry: Record<string, unknown>,
    entryPath: string,
) {
    const keepalive = toEnvoyTcpKeepalive(staticClusterKeepalive(proxy));
    const ut = proxy.tcpUserTimeoutSeconds;
    const cluster = (c: EnvoyCluster) => {
        const withKeepalive = withProxyKeepalive(c, keepalive);
        return ut === undefined ? withKeepalive : withClusterUserTimeoutOption(withKeepalive, ut);
    };
    const out: Record<string, unknown> = {};
    if (proxy.tcpKeepaliveTimeSeconds !== undefined) out.tcpKeepaliveTimeSeconds = proxy.tcpKeepaliveTimeSeconds;
    if (proxy.envoyStaticClusters?.length) out.envoyStaticClusters = proxy.envoyStaticClusters.map(cluster);
    const tracing = record(chartEntry.tracing);
    if (Array.isArray(tracing.cluster)) {
        out.tracing = { cluster: tracing.cluster.map((c) => (isPlainObject(c) ? cluster(c as EnvoyCluster) : c)) };
    }
    const gateways = loweredGateways(proxy, chartEntry, `${entryPath}.gatewaySettings`);
    Object.assign(out, gateways.out);
    const ours = loweredSysctls(proxy);
    const sysctls = ours.length > 0 ? mergedSysctls(chartEntry.podTemplate, ownEntry.kubeResourceOverride, ours) : [];
    if (sysctls.length > 0) out.kubeResourceOverride = { spec: { template: { spec: { securityContext: { sysctls } } } } };
    return { out, sysctls, issues: gateways.issues };
}

function detectShape(glooValues: Record<string, unknown>, layers: readonly unknown[]): GlooChartShape {
    const nested = (v: unknown) => isPlainObject(record(v).gloo) && record(record(v).gloo).gatewayProxies !== undefined;
    return nested(glooValues) || layers.some(nested) ? "gloo-ee" : "gloo";
}

/**
 * Lower typed values (one or more layers, later wins) into the values of solo-io's chart, over the
 * user's Gloo values file. Throws a ValuesError naming every bad value's path; nothing partial.
 */
export function lowerForGlooChart(layers: readonly unknown[], glooValues: unknown = {}, options: LowerOptions = {}): LoweredGlooValues {
    const file = record(glooValues);
    const shape = options.shape ?? detectShape(file, layers);
    const prefix = shape === "gloo-ee" ? "gloo." : "";
    const chartValues = shape === "gloo-ee" ? record(file.gloo) : file;
    const replaced = replacedBootstraps(chartValues, prefix);
    if (replaced.length > 0) throw new ValuesError(replaced);
    const typed = layers.map(foldEnterprise);
    // The library checks the keepalive of the Gloo file and the typed values together, as one render.
    const render = renderValues([keepaliveLayer(chartValues), ...typed], options);
    const combined = typed.reduce<Record<string, unknown>>((acc, layer) => mergeValues(acc, glooKeysOf(layer)), chartValues);
    const entries = record(combined.gatewayProxies);
    const defaults = record(entries.gatewayProxy);
    const written: Record<string, unknown> = { ...entries };
    const issues: ValueIssue[] = [];
    const proxies: LoweredProxy[] = render.proxies.map((p) => {
        const own = record(entries[p.key]);
        const chartEntry = p.key === "gatewayProxy" ? own : mergeValues(defaults, own);
        const entryPath = `${prefix}gatewayProxies.${p.key}`;
        const { out, sysctls, issues: gatewayIssues } = loweredEntry(p.values, chartEntry, own, entryPath);
        issues.push(...gatewayIssues, ...sysctlConflicts(entryPath, loweredSysctls(p.values), sysctls));
        written[p.key] = mergeValues(own, out);
        return { render: p, chartEntry: mergeValues(chartEntry, out), sysctls };
    });
    if (issues.length > 0) throw new ValuesError(issues);
    const lowered = { ...combined, gatewayProxies: written };
    const values = shape === "gloo-ee" ? { ...file, gloo: lowered } : lowered;
    return { shape, values, chartValues: lowered, proxies, render };
}

/** The names of the keepalive sysctls (for readers of a rendered pod). */
export const KEEPALIVE_SYSCTLS: readonly string[] = Object.values(KEEPALIVE_FIELDS).map((f) => f.sysctl);
