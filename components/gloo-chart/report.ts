/**
 * What solo-io's chart carries per hop once our keepalive is lowered into its values, and what it
 * cannot: the report `render --for gloo-chart` prints and `explain --for gloo-chart` explains.
 * Built from the lowered values and the chart's own switches (which of its clusters and Gateways
 * it renders), as its templates at GLOO_CHART_VERSION decide.
 */
import {
    detectionSeconds,
    effectiveKeepalive,
    fromEnvoyTcpKeepalive,
    KEEPALIVE_FIELD_NAMES,
    KEEPALIVE_FIELDS,
    LINUX_KEEPALIVE_DEFAULTS,
    type EffectiveTcpKeepalive,
    type EnvoyTcpKeepalive,
    type TcpKeepalive,
} from "../keepalive";
import { kebabCase } from "../render/manifests";
import { tableLines } from "../render/table";
import { isPlainObject } from "../values/values";
import { GLOO_CHART_VERSION, type LoweredGlooValues, type LoweredProxy } from "./lower";

/** How a hop of the official chart stands. */
export type GlooChartHopStatus = "full" | "partial" | "none" | "loopback" | "not-in-chart";

/** One hop of a proxy as solo-io's chart renders it with the lowered values. */
export interface GlooChartHop {
    /** `xds`, `built-in-cluster`, `static-cluster`, `tracing-cluster`, `downstream`, `upstream`. */
    kind: string;
    name: string;
    status: GlooChartHopStatus;
    /** The keepalive set on the hop itself (unset fields: the pod's sysctls, else the OS defaults). */
    keepalive?: TcpKeepalive;
    effective?: EffectiveTcpKeepalive;
    /** TCP_USER_TIMEOUT the chart renders on the hop, in seconds. */
    tcpUserTimeoutSeconds?: number;
    /** Worst-case seconds to detect a dead peer; undefined when the hop has no keepalive. */
    detectionSeconds?: number;
    /** What the chart gets for the hop, in its values' words. */
    gets: string;
    /** What the chart cannot carry for the hop, and what to do about it. */
    cannot?: string;
}

export interface GlooChartProxyReport {
    key: string;
    name: string;
    /** The pod's keepalive sysctls (the OS defaults of every socket that turns keepalive on without its own values). */
    osDefaults: EffectiveTcpKeepalive;
    hops: GlooChartHop[];
    /** Worst case over the hops that leave the pod; undefined ("never") when one of them has no keepalive. */
    worstDetectionSeconds?: number;
    /** What the chart cannot carry for the proxy as a whole. */
    notes: string[];
}

const get = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (isPlainObject(o) ? o[k] : undefined), v);
const REMEDIATE =
    'no value of the chart adds one; set the policy envoy-bootstrap-keepalive to "remediate" to fill it at deploy time, or disable the feature';

function keepaliveHop(
    kind: string,
    name: string,
    keepalive: TcpKeepalive | undefined,
    os: EffectiveTcpKeepalive,
    gets: string,
    status: GlooChartHopStatus = "full",
    userTimeout?: number,
): GlooChartHop {
    const ut = userTimeout === undefined ? {} : { tcpUserTimeoutSeconds: userTimeout };
    if (!keepalive) return { kind, name, status: "none", gets, ...ut };
    const effective = effectiveKeepalive(keepalive, os);
    return { kind, name, status, keepalive, effective, detectionSeconds: detectionSeconds(keepalive, os, userTimeout), gets, ...ut };
}

/** The chart's clusters that take `tcpKeepaliveTimeSeconds` (and nothing else): xDS, REST xDS, wasm cache. */
function timeOnlyHops(p: LoweredProxy, chart: Record<string, unknown>, namespace: string, os: EffectiveTcpKeepalive): GlooChartHop[] {
    const v = p.render.values;
    const sysctls = p.sysctls.length > 0;
    const time = v.tcpKeepaliveTimeSeconds;
    const builtIn: TcpKeepalive | undefined = time === undefined ? undefined : { timeSeconds: time };
    const asked = v.tcpKeepaliveIntervalSeconds !== undefined || v.tcpKeepaliveProbes !== undefined;
    const rest = sysctls ? "interval and probes from the pod's sysctls (kubeResourceOverride)" : "interval and probes: OS defaults";
    const cannotBuiltIn = asked
        ? "per-cluster interval and probes (the chart renders keepalive_time only): pod-wide sysctls instead"
        : undefined;
    const userTimeout =
        v.tcpUserTimeoutSeconds === undefined
            ? undefined
            : `TCP_USER_TIMEOUT (tcpUserTimeoutSeconds ${v.tcpUserTimeoutSeconds}): the chart renders no upstream_bind_config on its built-in clusters`;
    const http2 = v.xdsHttp2Keepalive
        ? "xdsHttp2Keepalive: the chart renders http2_protocol_options: {} on the xDS cluster, so no HTTP/2 PING keepalive"
        : undefined;
    const domain = String(get(chart, "k8s", "clusterName") ?? "cluster.local");
    const xdsPort = String(get(chart, "gloo", "deployment", "xdsPort") ?? 9977);
    const gets = `keepalive_time ${time} (tcpKeepaliveTimeSeconds), ${rest}`;
    const status = sysctls || !asked ? "full" : "partial";
    return [
        keepaliveHop("xds", `gloo.${namespace}.svc.${domain}:${xdsPort}`, builtIn, os, gets, status),
        keepaliveHop("built-in-cluster", "rest_xds_cluster", builtIn, os, gets, status),
        keepaliveHop("built-in-cluster", "wasm-cache", builtIn, os, gets, status),
    ].map((h) => ({
        ...h,
        cannot: [cannotBuiltIn, userTimeout, h.kind === "xds" ? http2 : undefined].filter(Boolean).join("; ") || undefined,
    }));
}

/** Every cluster the chart renders for a proxy. */
function clusterHops(p: LoweredProxy, chart: Record<string, unknown>, namespace: string, os: EffectiveTcpKeepalive): GlooChartHop[] {
    const v = p.render.values;
    const entry = p.chartEntry;
    const hops = timeOnlyHops(p, chart, namespace, os);
    const loopback = (name: string, on: boolean) =>
        on
            ? [
                  {
                      kind: "built-in-cluster",
                      name,
                      status: "loopback" as const,
                      gets: "no keepalive, none needed: the loopback address never leaves the pod",
                  },
              ]
            : [];
    // The chart's default global.glooStats.enabled is true (values.yaml of GLOO_CHART_VERSION).
    const stats = get(entry, "stats", "enabled") ?? get(chart, "global", "glooStats", "enabled") ?? true;
    const mtls = [
        ["global", "glooMtls", "enabled"],
        ["global", "istioSDS", "enabled"],
        ["global", "istioIntegration", "enabled"],
    ].some((k) => get(chart, ...k) === true);
    const without = (name: string, on: boolean, what: string): GlooChartHop[] =>
        on
            ? [
                  {
                      kind: "built-in-cluster",
                      name,
                      status: "none",
                      gets: `no keepalive (${what})`,
                      cannot: `tcp_keepalive on ${name}: ${REMEDIATE}`,
                  },
              ]
            : [];
    hops.push(...loopback("gateway_proxy_sds", mtls));
    hops.push(...without("access_log_cluster", get(chart, "accessLogger", "enabled") === true, "accessLogger.enabled"));
    hops.push(
        ...without(
            "aws_sts_cluster",
            get(chart, "settings", "aws", "enableServiceAccountCredentials") === true,
            "settings.aws.enableServiceAccountCredentials",
        ),
    );
    hops.push(...loopback("admin_port_cluster", stats === true || v.readConfig === true || entry.readConfig === true));
    const own = (kind: string, list: unknown, from: string) =>
        (Array.isArray(list) ? list : []).filter(isPlainObject).map((c) => {
            const tcp = get(c, "upstream_connection_options", "tcp_keepalive") as EnvoyTcpKeepalive | undefined;
            const ut = v.tcpUserTimeoutSeconds;
            const bind = ut === undefined ? "" : ", TCP_USER_TIMEOUT in its upstream_bind_config.socket_options";
            return keepaliveHop(
                kind,
                String(c.name),
                tcp ? fromEnvoyTcpKeepalive(tcp) : undefined,
                os,
                `tcp_keepalive in ${from} (its own fields win)${bind}`,
                "full",
                ut,
            );
        });
    hops.push(...own("tracing-cluster", get(entry, "tracing", "cluster"), "tracing.cluster"));
    hops.push(...own("static-cluster", entry.envoyStaticClusters, "envoyStaticClusters"));
    return hops;
}

function gatewayHops(p: LoweredProxy, os: EffectiveTcpKeepalive): GlooChartHop[] {
    const settings = p.render.values.gatewaySettings ?? {};
    const entry = p.chartEntry;
    const enabled = get(entry, "gatewaySettings", "enabled"); // null is false in Gloo's `if`; unset inherits the default true
    if (enabled === false || enabled === null || get(entry, "gatewaySettings", "disableGeneratedGateways") === true) return [];
    const name = kebabCase(p.render.key);
    const keepalive = settings.tcpKeepalive;
    const ut = settings.tcpUserTimeoutSeconds;
    const options = [keepalive ? "SO_KEEPALIVE, TCP_KEEPIDLE/INTVL/CNT" : undefined, ut === undefined ? undefined : "TCP_USER_TIMEOUT"]
        .filter(Boolean)
        .join(", ");
    const socket = (where: string) => (options ? `${options} in ${where}` : "no keepalive: set gatewaySettings.tcpKeepalive");
    const idle = settings.httpIdleTimeoutSeconds;
    const http = (custom: string) =>
        idle === undefined
            ? ""
            : `; HTTP idle timeout ${idle}s in gatewaySettings.${custom}.options.httpConnectionManagerSettings.idleTimeout`;
    const hop = (gateway: string, gets: string): GlooChartHop => keepaliveHop("downstream", gateway, keepalive, os, gets, "full", ut);
    const hops: GlooChartHop[] = [];
    const listener = socket("gatewaySettings.options.socketOptions");
    if (settings.disableHttpGateway !== true) hops.push(hop(name, listener + http("customHttpGateway")));
    if (settings.disableHttpsGateway !== true) hops.push(hop(`${name}-ssl`, listener + http("customHttpsGateway")));
    if (get(entry, "failover", "enabled") === true)
        hops.push(hop(`${name}-failover`, socket("failover.kubeResourceOverride.spec.options")));
    return hops;
}

/** The keepalive the pod's sysctls set. */
function sysctlKeepalive(p: LoweredProxy): TcpKeepalive {
    const out: TcpKeepalive = {};
    for (const f of KEEPALIVE_FIELD_NAMES) {
        const s = p.sysctls.find((x) => x.name === KEEPALIVE_FIELDS[f].sysctl);
        if (s && /^\d+$/.test(String(s.value))) out[f] = Number(s.value);
    }
    return out;
}

/** Per proxy, every hop solo-io's chart renders with the lowered values, what it gets and what it cannot. */
export function glooChartReport(lowered: LoweredGlooValues): GlooChartProxyReport[] {
    const { namespace } = lowered.render;
    return lowered.proxies.map((p) => {
        const os = p.sysctls.length > 0 ? effectiveKeepalive(sysctlKeepalive(p)) : LINUX_KEEPALIVE_DEFAULTS;
        const hops = [...clusterHops(p, lowered.chartValues, namespace, os), ...gatewayHops(p, os)];
        const upstreams = lowered.render.values.upstreams ?? [];
        for (const u of upstreams) {
            hops.push({
                ...keepaliveHop("upstream", u.name, u.tcpKeepalive, os, "connectionConfig.tcpKeepalive on the Upstream"),
                status: "not-in-chart",
                cannot: "the chart renders no Upstream: GlooRelease deploys it (render writes upstreams.yaml)",
            });
        }
        const leaving = hops.filter((h) => h.status !== "loopback");
        const worst = leaving.some((h) => h.detectionSeconds === undefined)
            ? undefined
            : Math.max(0, ...leaving.map((h) => h.detectionSeconds ?? 0));
        const lb = p.render.values.loadBalancerIdleTimeoutSeconds;
        const notes =
            lb === undefined
                ? []
                : [
                      `loadBalancerIdleTimeoutSeconds ${lb}: the chart renders no idle-timeout annotation, so give the policy keepalive-below-idle-timeout loadBalancerIdleTimeoutSeconds: ${lb} in the policy config`,
                  ];
        return { key: p.render.key, name: kebabCase(p.render.key), osDefaults: os, hops, worstDetectionSeconds: worst, notes };
    });
}

/** The report as text: one table per proxy, then what the chart cannot carry. */
export function glooChartText(reports: readonly GlooChartProxyReport[]): string {
    return reports
        .map((r) => {
            const rows = [["hop", "name", "time", "interval", "probes", "detect (s)", "solo-io chart gets"]];
            for (const h of r.hops) {
                const field = (f: keyof TcpKeepalive) =>
                    h.effective ? `${h.effective[f]}${h.keepalive?.[f] === undefined ? " (pod)" : ""}` : "-";
                rows.push([
                    h.kind,
                    h.name,
                    field("timeSeconds"),
                    field("intervalSeconds"),
                    field("probes"),
                    h.status === "loopback" ? "n/a" : String(h.detectionSeconds ?? "never"),
                    h.gets,
                ]);
            }
            const cannot = [...r.hops.filter((h) => h.cannot).map((h) => `${h.kind} ${h.name}: ${h.cannot}`), ...r.notes].map(
                (line) => `  - ${line}`,
            );
            const worst = r.worstDetectionSeconds === undefined ? "never (a hop has no keepalive)" : `${r.worstDetectionSeconds}s`;
            return [
                `gatewayProxies.${r.key} (${r.name}) on solo-io's gloo chart ${GLOO_CHART_VERSION}; pod defaults ${r.osDefaults.timeSeconds}/${r.osDefaults.intervalSeconds}/${r.osDefaults.probes}; worst-case detection ${worst}`,
                tableLines(rows).join("\n"),
                ...(cannot.length > 0 ? ["what the chart cannot carry:", ...cannot] : ["the chart carries every hop's keepalive"]),
            ].join("\n");
        })
        .join("\n\n");
}
