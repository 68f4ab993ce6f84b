/**
 * Reading the keepalive of each hop out of the three kinds of object that carry it, once, for
 * every policy:
 *
 *  - a gateway-proxy bootstrap ConfigMap: each static cluster's
 *    `upstream_connection_options.tcp_keepalive` (the xDS cluster is the one the bootstrap's
 *    dynamic_resources point at);
 *  - a Gloo Gateway: the listener socket options SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL and
 *    TCP_KEEPCNT (Linux numbers; Kubernetes nodes run Linux);
 *  - a Gloo Upstream: `spec.connectionConfig.tcpKeepalive` (Durations as "60s").
 *
 * Each reader reports what is malformed (a field out of the kernel's bounds, a mistyped socket
 * option, a sub-second Duration) as `problems`, and the valid values as a TcpKeepalive. The
 * policies for each kind report the problems; the cross-kind policies (idle timeout, detection,
 * the per-proxy stack view) work on `Hop`s.
 */
import { parse as parseYaml } from "yaml";
import {
    KEEPALIVE_FIELD_NAMES,
    KEEPALIVE_FIELDS,
    keepaliveFieldProblem,
    SOCKET_OPTION_NUMBERS,
    TCP_USER_TIMEOUT,
    type Hop,
    type HopKind,
    type TcpKeepalive,
    type TcpKeepaliveField,
} from "../../components/keepalive";
import { BUILT_IN_CLUSTERS } from "../../components/render/bootstrap";
import { BOOTSTRAP_KEY, configMapName } from "../../components/render/manifests";
import { withoutUnprobedLoopback } from "./gloo-chart";
import { CONFIG_MAP, formatPath, GATEWAY, int64, isPlainObject, metadataOf, pulumiType, UPSTREAM, type KubeObject } from "./objects";

/** A problem at a value path of an object. */
export interface Problem {
    path: string;
    message: string;
    fix: string;
}

export { HOP_KIND_NAMES, type HopKind } from "../../components/keepalive";

/** The keepalive of one hop, as read from an object. */
export interface ObjectHop extends Hop {
    /** Whether keepalive is on at all (tcp_keepalive present, SO_KEEPALIVE=1, tcpKeepalive present). */
    enabled: boolean;
    /** The valid fields that are set; unset fields are the OS default. */
    keepalive: TcpKeepalive;
    /** A field is set but malformed (the kind's own policy reports it): effective values are unknown. */
    malformed: boolean;
}

// ---------------------------------------------------------------------------------------------
// Bootstrap ConfigMaps
// ---------------------------------------------------------------------------------------------

const BOOTSTRAP_PATH = ["data", BOOTSTRAP_KEY] as const;

export interface BootstrapCluster {
    index: number;
    name: string;
    hop: ObjectHop;
    /** The cluster has no `upstream_connection_options.tcp_keepalive`. */
    missing: boolean;
    problems: Problem[];
}

export interface BootstrapRead {
    /** The proxy: the `gateway-proxy-id` label, else the ConfigMap name without `-envoy-config`. */
    proxy: string;
    /** The parsed bootstrap, when it parsed: shared between readers, never change it. */
    bootstrap?: Record<string, unknown>;
    /** Why the bootstrap cannot be checked (unparseable, no clusters); the clusters are then empty. */
    unreadable?: Problem;
    clusters: BootstrapCluster[];
}

function proxyOfConfigMap(object: KubeObject): string {
    const m = metadataOf(object);
    const suffix = configMapName("");
    return m.labels["gateway-proxy-id"] ?? (m.name.endsWith(suffix) ? m.name.slice(0, -suffix.length) : m.name);
}

/** Cluster names the bootstrap's dynamic_resources reach over gRPC (the xDS cluster). */
function grpcClusterNames(node: unknown, out = new Set<string>()): Set<string> {
    if (Array.isArray(node)) node.forEach((n) => grpcClusterNames(n, out));
    else if (isPlainObject(node)) {
        for (const [key, value] of Object.entries(node)) {
            if (key === "envoy_grpc" && isPlainObject(value) && typeof value.cluster_name === "string") out.add(value.cluster_name);
            else grpcClusterNames(value, out);
        }
    }
    return out;
}

function envoyFieldPaths(base: readonly (string | number)[]): Record<TcpKeepaliveField, string> {
    return Object.fromEntries(KEEPALIVE_FIELD_NAMES.map((f) => [f, formatPath([...base, KEEPALIVE_FIELDS[f].envoy])])) as Record<
        TcpKeepaliveField,
        string
    >;
}

const parsed = new Map<string, unknown>();
const PARSED_KEEP = 64;

/**
 * The bootstrap text parsed: JSON.parse first (the library and the chart store JSON, and it is
 * far faster), YAML otherwise. Every policy reads the same ConfigMap, so the last texts are
 * kept; the value is shared and must not be changed (remediation copies it).
 */
function parseBootstrapText(text: string): unknown {
    if (parsed.has(text)) return parsed.get(text);
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        value = parseYaml(text, { maxAliasCount: 100, uniqueKeys: true }); // throws on invalid YAML or an alias bomb: the caller reports it
    }
    if (parsed.size >= PARSED_KEEP) parsed.delete(parsed.keys().next().value as string);
    parsed.set(text, value);
    return value;
}

/**
 * Read a ConfigMap as a gateway-proxy bootstrap: `data["envoy.yaml"]` parses and has
 * static_resources.clusters with node.cluster "gateway", or the ConfigMap carries Gloo's
 * `gloo: gateway-proxy` label (then an unreadable bootstrap is a problem, not a pass).
 * Undefined for any other ConfigMap.
 */
export function readBootstrapConfigMap(object: KubeObject): BootstrapRead | undefined {
    const labelled = metadataOf(object).labels.gloo === "gateway-proxy";
    const data = isPlainObject(object.data) ? object.data : {};
    const text = data[BOOTSTRAP_KEY];
    const proxy = proxyOfConfigMap(object);
    const unreadable = (message: string): BootstrapRead | undefined =>
        labelled
            ? {
                  proxy,
                  clusters: [],
                  unreadable: {
                      path: formatPath(BOOTSTRAP_PATH),
                      message,
                      fix: `store the proxy's Envoy bootstrap (YAML or JSON) under data["${BOOTSTRAP_KEY}"], as the gloo-keepalive library or chart renders it`,
                  },
              }
            : undefined;
    if (typeof text !== "string") return unreadable(`a ConfigMap labelled gloo: gateway-proxy has no ${BOOTSTRAP_KEY} text`);
    let bootstrap: unknown;
    try {
        bootstrap = parseBootstrapText(text);
    } catch (e) {
        return unreadable(`does not parse as YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    const staticResources = isPlainObject(bootstrap) && isPlainObject(bootstrap.static_resources) ? bootstrap.static_resources : undefined;
    const clusters = staticResources?.clusters;
    const node = isPlainObject(bootstrap) && isPlainObject(bootstrap.node) ? bootstrap.node : undefined;
    if (!Array.isArray(clusters) || !isPlainObject(bootstrap)) {
        return unreadable("has no static_resources.clusters: a gateway proxy needs at least its xDS cluster");
    }
    if (!labelled && node?.cluster !== "gateway") return undefined;

    const xds = grpcClusterNames(bootstrap.dynamic_resources);
    return withoutUnprobedLoopback({
        proxy,
        bootstrap,
        clusters: clusters.map((cluster: unknown, index: number) => readCluster(cluster, index, xds)),
    });
}

/** TCP_USER_TIMEOUT in seconds from a list of socket options (the last one wins, as Envoy applies them in order). */
function userTimeoutSeconds(options: unknown, valueKey: "int_value" | "intValue"): number | undefined {
    let seconds: number | undefined;
    for (const o of Array.isArray(options) ? options : []) {
        if (!isPlainObject(o) || int64(o.level) !== TCP_USER_TIMEOUT.level || int64(o.name) !== TCP_USER_TIMEOUT.name) continue;
        const ms = int64(o[valueKey] ?? o.intValue ?? o.int_value);
        if (ms !== undefined && ms > 0) seconds = ms / 1000;
    }
    return seconds;
}

/** The hop kind of a bootstrap cluster: the xDS cluster, one of Gloo's built-in clusters, or a user's. */
function clusterKind(name: string, xds: ReadonlySet<string>): HopKind {
    return xds.has(name) ? "xds" : name in BUILT_IN_CLUSTERS ? "built-in-cluster" : "static-cluster";
}

function readCluster(cluster: unknown, index: number, xds: ReadonlySet<string>): BootstrapCluster {
    const c = isPlainObject(cluster) ? cluster : {};
    const name = typeof c.name === "string" ? c.name : `#${index}`;
    const clusterPath = [...BOOTSTRAP_PATH, "static_resources", "clusters", index];
    const keepalivePath = [...clusterPath, "upstream_connection_options", "tcp_keepalive"];
    const options = isPlainObject(c.upstream_connection_options) ? c.upstream_connection_options : {};
    const tcp = isPlainObject(options.tcp_keepalive) ? options.tcp_keepalive : undefined;
    const problems: Problem[] = [];
    const keepalive: TcpKeepalive = {};
    for (const field of KEEPALIVE_FIELD_NAMES) {
        const value = tcp?.[KEEPALIVE_FIELDS[field].envoy];
        if (value === undefined || value === null) continue;
        const problem = keepaliveFieldProblem(field, value);
        if (problem) {
            problems.push({
                path: formatPath([...keepalivePath, KEEPALIVE_FIELDS[field].envoy]),
                message: problem,
                fix: `set ${KEEPALIVE_FIELDS[field].envoy} to a whole number ${KEEPALIVE_FIELDS[field].min}..${KEEPALIVE_FIELDS[field].max}${field === "probes" ? "" : " (seconds)"}`,
            });
        } else {
            keepalive[field] = value as number;
        }
    }
    const bind = isPlainObject(c.upstream_bind_config) ? c.upstream_bind_config : {};
    const ut = userTimeoutSeconds(bind.socket_options, "int_value");
    return {
        index,
        name,
        missing: !tcp,
        problems,
        hop: {
            kind: clusterKind(name, xds),
            name,
            enabled: !!tcp,
            keepalive,
            malformed: problems.length > 0,
            ...(ut !== undefined ? { tcpUserTimeoutSeconds: ut } : {}),
            // value paths only when a rule reports one: a bootstrap has many clusters, read by four rules
            get path() {
                return formatPath(keepalivePath);
            },
            get fieldPaths() {
                return envoyFieldPaths(keepalivePath);
            },
        },
    };
}

// ---------------------------------------------------------------------------------------------
// Gateways: listener socket options
// ---------------------------------------------------------------------------------------------

const LINUX = SOCKET_OPTION_NUMBERS.linux;
const DARWIN = SOCKET_OPTION_NUMBERS.darwin;

/** The four options a Gateway needs, in the order toSocketOptions renders them. */
export type KeepaliveOption = "SO_KEEPALIVE" | "TCP_KEEPIDLE" | "TCP_KEEPINTVL" | "TCP_KEEPCNT";
export const KEEPALIVE_OPTIONS: readonly KeepaliveOption[] = ["SO_KEEPALIVE", "TCP_KEEPIDLE", "TCP_KEEPINTVL", "TCP_KEEPCNT"];

/** Linux level and name of each option, and the keepalive field it sets. */
export const KEEPALIVE_OPTION_NUMBERS: Readonly<Record<KeepaliveOption, { level: number; name: number; field?: TcpKeepaliveField }>> = {
    SO_KEEPALIVE: { level: LINUX.SOL_SOCKET, name: LINUX.SO_KEEPALIVE },
    TCP_KEEPIDLE: { level: LINUX.IPPROTO_TCP, name: LINUX.TCP_KEEPIDLE, field: "timeSeconds" },
    TCP_KEEPINTVL: { level: LINUX.IPPROTO_TCP, name: LINUX.TCP_KEEPINTVL, field: "intervalSeconds" },
    TCP_KEEPCNT: { level: LINUX.IPPROTO_TCP, name: LINUX.TCP_KEEPCNT, field: "probes" },
};

const describeOption = (o: KeepaliveOption) => `${o} (level ${KEEPALIVE_OPTION_NUMBERS[o].level} name ${KEEPALIVE_OPTION_NUMBERS[o].name})`;

/** Socket options that look like a keepalive option but are not one on Linux. */
function mistypedOption(level: number, name: number): string | undefined {
    const darwin: [number, number, KeepaliveOption][] = [
        [DARWIN.SOL_SOCKET, DARWIN.SO_KEEPALIVE, "SO_KEEPALIVE"],
        [DARWIN.IPPROTO_TCP, DARWIN.TCP_KEEPIDLE, "TCP_KEEPIDLE"],
        [DARWIN.IPPROTO_TCP, DARWIN.TCP_KEEPINTVL, "TCP_KEEPINTVL"],
        [DARWIN.IPPROTO_TCP, DARWIN.TCP_KEEPCNT, "TCP_KEEPCNT"],
    ];
    const mac = darwin.find(([l, n]) => l === level && n === name);
    if (mac)
        return `level ${level} name ${name} is the Darwin (macOS) number of ${mac[2]}; Kubernetes nodes run Linux, where it is ${describeOption(mac[2])}`;
    if (level === DARWIN.SOL_SOCKET) return `level ${level} is Darwin's SOL_SOCKET; on Linux SOL_SOCKET is ${LINUX.SOL_SOCKET}`;
    for (const option of KEEPALIVE_OPTIONS) {
        const n = KEEPALIVE_OPTION_NUMBERS[option];
        if (n.name === name && n.level !== level && (level === LINUX.SOL_SOCKET || level === LINUX.IPPROTO_TCP)) {
            return `level ${level} name ${name} is not ${option} (that is level ${n.level} name ${n.name}); on Linux this sets another option`;
        }
    }
    return undefined;
}

const STATES: Record<string, string> = {
    STATE_PREBIND: "STATE_PREBIND",
    STATE_BOUND: "STATE_BOUND",
    STATE_LISTENING: "STATE_LISTENING",
    0: "STATE_PREBIND",
    1: "STATE_BOUND",
    2: "STATE_LISTENING",
};

export interface GatewayRead {
    /** The proxies the Gateway serves: `spec.proxyNames`, or Gloo's default `gateway-proxy`. */
    proxies: string[];
    hop: ObjectHop;
    /** Options of the four that are absent. */
    missing: KeepaliveOption[];
    /** `spec.options.socketOptions` is not a list (then nothing can be appended). */
    notAList: boolean;
    problems: Problem[];
}

/** Gloo binds a Gateway without proxyNames to the proxy `gateway-proxy`. */
export const GLOO_DEFAULT_PROXY = "gateway-proxy";

/** What reading a Gateway's socket options collects, option by option. */
interface SocketOptionsRead {
    problems: Problem[];
    seen: Map<KeepaliveOption, number[]>;
    keepalive: TcpKeepalive;
    fieldPaths: Record<TcpKeepaliveField, string>;
    enabled: boolean;
}

const LIST_PATH = ["spec", "options", "socketOptions"];

/** One entry of spec.options.socketOptions: a keepalive option, a mistyped one, or none of ours. */
function readSocketOption(entry: unknown, i: number, read: SocketOptionsRead): void {
    const o = isPlainObject(entry) ? entry : {};
    const at = (...rest: string[]) => formatPath([...LIST_PATH, i, ...rest]);
    const level = int64(o.level);
    const name = int64(o.name);
    if (level === undefined || name === undefined) return;
    const option = KEEPALIVE_OPTIONS.find((k) => KEEPALIVE_OPTION_NUMBERS[k].level === level && KEEPALIVE_OPTION_NUMBERS[k].name === name);
    if (!option) {
        const mistyped = mistypedOption(level, name);
        if (mistyped) {
            read.problems.push({
                path: at(),
                message: mistyped,
                fix: "use the Linux numbers: SO_KEEPALIVE level 1 name 9, TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT level 6 names 4/5/6 (or gatewaySettings.tcpKeepalive in the gloo-keepalive values, which renders them)",
            });
        }
        return;
    }
    read.seen.set(option, [...(read.seen.get(option) ?? []), i]);
    const state = o.state === undefined || o.state === null ? "STATE_PREBIND" : STATES[String(o.state)];
    if (state !== "STATE_PREBIND") {
        read.problems.push({
            path: at("state"),
            message: `${describeOption(option)} at ${state ?? JSON.stringify(o.state)}: keepalive options belong on the listening socket before bind, so accepted connections inherit them`,
            fix: "set state: STATE_PREBIND",
        });
    }
    const value = o.intValue === undefined || o.intValue === null ? undefined : (int64(o.intValue) ?? o.intValue);
    const field = KEEPALIVE_OPTION_NUMBERS[option].field;
    if (value === undefined) {
        read.problems.push({
            path: at("intValue"),
            message: `${describeOption(option)} has no intValue${o.bufValue !== undefined ? " (bufValue is not read for it)" : ""}`,
            fix: field
                ? `set intValue to a whole number ${KEEPALIVE_FIELDS[field].min}..${KEEPALIVE_FIELDS[field].max}`
                : "set intValue: 1",
        });
    } else if (!field) {
        if (value !== 1)
            read.problems.push({
                path: at("intValue"),
                message: `SO_KEEPALIVE intValue ${JSON.stringify(value)} ${value === 0 ? "turns keepalive off" : "is not 1"}`,
                fix: "set intValue: 1",
            });
        else read.enabled = true;
    } else {
        read.fieldPaths[field] = at("intValue");
        const problem = keepaliveFieldProblem(field, value);
        if (problem) {
            read.problems.push({
                path: at("intValue"),
                message: `${option} ${problem}`,
                fix: `set intValue to a whole number ${KEEPALIVE_FIELDS[field].min}..${KEEPALIVE_FIELDS[field].max}`,
            });
            delete read.keepalive[field];
        } else {
            read.keepalive[field] = value as number; // Envoy applies options in order: the last one wins
        }
    }
}

export function readGateway(object: KubeObject): GatewayRead {
    const spec = isPlainObject(object.spec) ? object.spec : {};
    const proxyNames = Array.isArray(spec.proxyNames) ? spec.proxyNames.filter((p): p is string => typeof p === "string") : [];
    const options = isPlainObject(spec.options) ? spec.options : {};
    const raw = options.socketOptions;
    const list: unknown[] = Array.isArray(raw) ? raw : [];
    const read: SocketOptionsRead = {
        problems: [],
        seen: new Map(),
        keepalive: {},
        fieldPaths: {} as Record<TcpKeepaliveField, string>,
        enabled: false,
    };
    list.forEach((entry, i) => readSocketOption(entry, i, read));
    for (const [option, indices] of read.seen) {
        if (indices.length > 1) {
            read.problems.push({
                path: formatPath([...LIST_PATH, indices[indices.length - 1]]),
                message: `${option} is set ${indices.length} times (socketOptions ${indices.map((i) => `[${i}]`).join(", ")}); Envoy applies them in order, so the last one wins`,
                fix: `keep one ${option}`,
            });
        }
    }
    for (const field of KEEPALIVE_FIELD_NAMES) read.fieldPaths[field] ??= formatPath(LIST_PATH);
    const ut = userTimeoutSeconds(list, "intValue");
    return {
        proxies: proxyNames.length > 0 ? proxyNames : [GLOO_DEFAULT_PROXY],
        missing: KEEPALIVE_OPTIONS.filter((o) => !read.seen.has(o)),
        notAList: raw !== undefined && !Array.isArray(raw),
        problems: read.problems,
        hop: {
            kind: "downstream",
            name: metadataOf(object).name,
            enabled: read.enabled,
            keepalive: read.keepalive,
            malformed: read.problems.length > 0,
            ...(ut !== undefined ? { tcpUserTimeoutSeconds: ut } : {}),
            path: formatPath(LIST_PATH),
            fieldPaths: read.fieldPaths,
        },
    };
}

// ---------------------------------------------------------------------------------------------
// Upstreams: connectionConfig.tcpKeepalive
// ---------------------------------------------------------------------------------------------

/** Seconds of a Gloo Duration string of whole seconds ("60s", "60.000s"), or why it is not one. */
export function durationSeconds(value: unknown): { seconds: number } | { problem: string } {
    if (typeof value === "number")
        return { problem: `${value} is a number; Gloo's Duration is a string such as "${value}s" (the CRD refuses a number)` };
    if (typeof value !== "string") return { problem: `${JSON.stringify(value)} is not a Duration string such as "60s"` };
    const m = /^(\d+)(?:\.(\d{1,9}))?s$/.exec(value);
    if (!m) return { problem: `${JSON.stringify(value)} is not a Duration in whole seconds such as "60s"` };
    if (m[2] && /[1-9]/.test(m[2]))
        return { problem: `${JSON.stringify(value)} is not a whole number of seconds (Gloo would round it up; never rounded here)` };
    return { seconds: Number(m[1]) };
}

export interface UpstreamRead {
    hop: ObjectHop;
    /** `spec.connectionConfig.tcpKeepalive` is absent. */
    missing: boolean;
    problems: Problem[];
}

export function readUpstream(object: KubeObject): UpstreamRead {
    const spec = isPlainObject(object.spec) ? object.spec : {};
    const connectionConfig = isPlainObject(spec.connectionConfig) ? spec.connectionConfig : {};
    const tcp = isPlainObject(connectionConfig.tcpKeepalive) ? connectionConfig.tcpKeepalive : undefined;
    const base = ["spec", "connectionConfig", "tcpKeepalive"];
    const problems: Problem[] = [];
    const keepalive: TcpKeepalive = {};
    const fieldPaths = Object.fromEntries(KEEPALIVE_FIELD_NAMES.map((f) => [f, formatPath([...base, KEEPALIVE_FIELDS[f].gloo])])) as Record<
        TcpKeepaliveField,
        string
    >;
    for (const field of KEEPALIVE_FIELD_NAMES) {
        const key = KEEPALIVE_FIELDS[field].gloo;
        const raw = tcp?.[key];
        if (raw === undefined || raw === null) continue;
        const { min, max } = KEEPALIVE_FIELDS[field];
        let value: unknown = raw;
        let fix = `set ${key} to a whole number ${min}..${max}`;
        if (field !== "probes") {
            fix = `set ${key} to whole seconds "${min}s".."${max}s", e.g. "60s"`;
            const parsed = durationSeconds(raw);
            if ("problem" in parsed) {
                problems.push({ path: fieldPaths[field], message: parsed.problem, fix });
                continue;
            }
            value = parsed.seconds;
        }
        const problem = keepaliveFieldProblem(field, value);
        if (problem)
            problems.push({ path: fieldPaths[field], message: field === "probes" ? problem : `${JSON.stringify(raw)}: ${problem}`, fix });
        else keepalive[field] = value as number;
    }
    return {
        missing: !tcp,
        problems,
        hop: {
            kind: "upstream",
            name: metadataOf(object).name,
            enabled: !!tcp,
            keepalive,
            malformed: problems.length > 0,
            path: formatPath(base),
            fieldPaths,
        },
    };
}

// ---------------------------------------------------------------------------------------------
// Any object
// ---------------------------------------------------------------------------------------------

/**
 * The hops of an object that have keepalive on with well-formed values: what the cross-kind
 * policies judge. A hop without keepalive, or with a malformed value, is its kind's policy's to report.
 */
export function hopsWithKeepalive(object: KubeObject, type: string = pulumiType(object)): ObjectHop[] {
    return objectHops(object, type).filter((hop) => hop.enabled && !hop.malformed);
}

/** The keepalive hops an object carries (none for objects that carry no keepalive). */
export function objectHops(object: KubeObject, type: string = pulumiType(object)): ObjectHop[] {
    switch (type) {
        case CONFIG_MAP:
            return readBootstrapConfigMap(object)?.clusters.map((c) => c.hop) ?? [];
        case GATEWAY:
            return [readGateway(object).hop];
        case UPSTREAM:
            return [readUpstream(object).hop];
        default:
            return [];
    }
}

// ---------------------------------------------------------------------------------------------
// Wording of fixes, per hop kind
// ---------------------------------------------------------------------------------------------

const OPTION_OF_FIELD: Record<TcpKeepaliveField, KeepaliveOption> = {
    timeSeconds: "TCP_KEEPIDLE",
    intervalSeconds: "TCP_KEEPINTVL",
    probes: "TCP_KEEPCNT",
};

/** How a field is written in the object of a hop kind, with a value: `keepalive_time: 60`, `keepaliveTime: "60s"`, ... */
export function fieldSetting(kind: HopKind, field: TcpKeepaliveField, value: number): string {
    switch (kind) {
        case "xds":
        case "built-in-cluster":
        case "static-cluster":
            return `${KEEPALIVE_FIELDS[field].envoy}: ${value}`;
        case "downstream":
            return `${describeOption(OPTION_OF_FIELD[field])} intValue: ${value}`;
        case "upstream":
            return field === "probes" ? `${KEEPALIVE_FIELDS[field].gloo}: ${value}` : `${KEEPALIVE_FIELDS[field].gloo}: "${value}s"`;
    }
}

/**
 * Where a hop's field (or, without a field, its keepalive) comes from in the gloo-keepalive
 * values: a hint, as objects may come from elsewhere.
 */
export function valuesHint(kind: HopKind, field?: TcpKeepaliveField): string {
    const proxy = "gatewayProxies.<proxy>";
    switch (kind) {
        case "xds":
        case "built-in-cluster":
        case "static-cluster": {
            const own = kind === "static-cluster" ? ", or the cluster's own tcp_keepalive in envoyStaticClusters" : "";
            return `gloo-keepalive values: ${field ? `${proxy}.${KEEPALIVE_FIELDS[field].proxyValue}` : `${proxy}.${KEEPALIVE_FIELD_NAMES.map((f) => KEEPALIVE_FIELDS[f].proxyValue).join("/")}`}${own}`;
        }
        case "downstream":
            return `gloo-keepalive values: ${proxy}.gatewaySettings.tcpKeepalive${field ? `.${field}` : ""}`;
        case "upstream":
            return `gloo-keepalive values: upstreams[].tcpKeepalive${field ? `.${field}` : ""}`;
    }
}
