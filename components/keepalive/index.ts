/**
 * One TCP keepalive type for every hop, and everything it renders to.
 *
 * The bounds are the Linux kernel's (include/net/tcp.h): TCP_KEEPIDLE and TCP_KEEPINTVL
 * at most 32767 s, TCP_KEEPCNT at most 127, every value at least 1 (setsockopt fails with
 * EINVAL otherwise). Values are whole numbers: nothing is ever truncated, rounded or clamped.
 */

import type { HopKind } from "./hops";

/** TCP keepalive for one hop. An unset field means the operating system's default. */
export interface TcpKeepalive {
    /** Seconds a connection stays idle before the first probe (TCP_KEEPIDLE, Envoy `keepalive_time`). 1..32767. */
    timeSeconds?: number;
    /** Seconds between probes (TCP_KEEPINTVL, Envoy `keepalive_interval`). 1..32767. */
    intervalSeconds?: number;
    /** Unanswered probes before the connection is dropped (TCP_KEEPCNT, Envoy `keepalive_probes`). 1..127. */
    probes?: number;
}

export type TcpKeepaliveField = keyof TcpKeepalive;

/** The kernel's bounds for each field, and the names each field has in Envoy, Gloo, sockets and sysctls. */
export const KEEPALIVE_FIELDS: Readonly<
    Record<
        TcpKeepaliveField,
        {
            min: number;
            max: number;
            envoy: "keepalive_time" | "keepalive_interval" | "keepalive_probes";
            gloo: "keepaliveTime" | "keepaliveInterval" | "keepaliveProbes";
            sysctl: string;
            socketOption: "TCP_KEEPIDLE" | "TCP_KEEPINTVL" | "TCP_KEEPCNT";
            linuxDefault: number;
            /** The `gatewayProxies.<name>` value that sets the field on the proxy's static clusters (Gloo's name for the time). */
            proxyValue: "tcpKeepaliveTimeSeconds" | "tcpKeepaliveIntervalSeconds" | "tcpKeepaliveProbes";
        }
    >
> = {
    timeSeconds: {
        min: 1,
        max: 32767,
        envoy: "keepalive_time",
        gloo: "keepaliveTime",
        sysctl: "net.ipv4.tcp_keepalive_time",
        socketOption: "TCP_KEEPIDLE",
        linuxDefault: 7200,
        proxyValue: "tcpKeepaliveTimeSeconds",
    },
    intervalSeconds: {
        min: 1,
        max: 32767,
        envoy: "keepalive_interval",
        gloo: "keepaliveInterval",
        sysctl: "net.ipv4.tcp_keepalive_intvl",
        socketOption: "TCP_KEEPINTVL",
        linuxDefault: 75,
        proxyValue: "tcpKeepaliveIntervalSeconds",
    },
    probes: {
        min: 1,
        max: 127,
        envoy: "keepalive_probes",
        gloo: "keepaliveProbes",
        sysctl: "net.ipv4.tcp_keepalive_probes",
        socketOption: "TCP_KEEPCNT",
        linuxDefault: 9,
        proxyValue: "tcpKeepaliveProbes",
    },
};

export const KEEPALIVE_FIELD_NAMES = Object.keys(KEEPALIVE_FIELDS) as TcpKeepaliveField[];

export * from "./hops";
export * from "./load-balancers";

/** The keepalive of one hop: what the renderer decided, or what a policy read from an object. */
export interface Hop {
    kind: HopKind;
    /** Cluster, Gateway or Upstream name. */
    name: string;
    /** The fields that are set (unset fields are the OS default); undefined: keepalive is off on this hop. */
    keepalive?: TcpKeepalive;
    /** TCP_USER_TIMEOUT in seconds, where set: the most sent data may stay unacknowledged. */
    tcpUserTimeoutSeconds?: number;
    /** Value path of the keepalive as a whole. */
    path: string;
    /** Value path of each field (where it is, or would be). */
    fieldPaths: Record<TcpKeepaliveField, string>;
}

/** Envoy's `envoy.config.core.v3.TcpKeepalive`, as written in Envoy YAML. */
export interface EnvoyTcpKeepalive {
    keepalive_time?: number;
    keepalive_interval?: number;
    keepalive_probes?: number;
}

/** Gloo's `connectionConfig.tcpKeepalive` on an Upstream: Durations as strings, probes as an integer. */
export interface GlooUpstreamTcpKeepalive {
    keepaliveTime?: string;
    keepaliveInterval?: string;
    keepaliveProbes?: number;
}

/** One entry of a Gloo Gateway's `spec.options.socketOptions` (Envoy's SocketOption). */
export interface SocketOption {
    description: string;
    level: number;
    name: number;
    intValue: number;
    state: "STATE_PREBIND";
}

/** A pod `securityContext.sysctls` entry. */
export interface Sysctl {
    name: string;
    value: string;
}

/** Which operating system's socket-option numbers to render. */
export type SocketOptionsPlatform = "linux" | "darwin";

/** Socket-option numbers per platform (Linux: all architectures but MIPS). */
export const SOCKET_OPTION_NUMBERS: Readonly<
    Record<
        SocketOptionsPlatform,
        {
            SOL_SOCKET: number;
            SO_KEEPALIVE: number;
            IPPROTO_TCP: number;
            TCP_KEEPIDLE: number;
            TCP_KEEPINTVL: number;
            TCP_KEEPCNT: number;
        }
    >
> = {
    linux: { SOL_SOCKET: 1, SO_KEEPALIVE: 9, IPPROTO_TCP: 6, TCP_KEEPIDLE: 4, TCP_KEEPINTVL: 5, TCP_KEEPCNT: 6 },
    darwin: { SOL_SOCKET: 0xffff, SO_KEEPALIVE: 0x8, IPPROTO_TCP: 6, TCP_KEEPIDLE: 0x10, TCP_KEEPINTVL: 0x101, TCP_KEEPCNT: 0x102 },
};

export const SOCKET_OPTION_DESCRIPTIONS: Record<"SO_KEEPALIVE" | TcpKeepaliveField, string> = {
    SO_KEEPALIVE: "enable keepalive",
    timeSeconds: "idle time before first keepalive probe is sent",
    intervalSeconds: "keepalive interval",
    probes: "keepalive probes count",
};

/** Envoy `tcp_keepalive`: only the fields that are set, so unset ones stay the OS default. */
export function toEnvoyTcpKeepalive(keepalive: TcpKeepalive): EnvoyTcpKeepalive {
    const out: EnvoyTcpKeepalive = {};
    for (const field of KEEPALIVE_FIELD_NAMES) {
        const value = keepalive[field];
        if (value !== undefined) out[KEEPALIVE_FIELDS[field].envoy] = value;
    }
    return out;
}

/** The keepalive fields a record sets, each read under its key in one column of KEEPALIVE_FIELDS (`envoy`, `proxyValue`, ...). */
export function keepaliveFrom<C extends "envoy" | "proxyValue">(
    record: Partial<Record<(typeof KEEPALIVE_FIELDS)[TcpKeepaliveField][C], number>>,
    column: C,
): TcpKeepalive {
    const out: TcpKeepalive = {};
    for (const field of KEEPALIVE_FIELD_NAMES) {
        const value = record[KEEPALIVE_FIELDS[field][column]];
        if (value !== undefined) out[field] = value;
    }
    return out;
}

/** Back from Envoy `tcp_keepalive` to our type. */
export function fromEnvoyTcpKeepalive(envoy: EnvoyTcpKeepalive): TcpKeepalive {
    return keepaliveFrom(envoy, "envoy");
}

/** Gloo Upstream `connectionConfig.tcpKeepalive`: `"60s"` Duration strings, probes as an integer. */
export function toGlooTcpKeepalive(keepalive: TcpKeepalive): GlooUpstreamTcpKeepalive {
    const out: GlooUpstreamTcpKeepalive = {};
    if (keepalive.intervalSeconds !== undefined) out.keepaliveInterval = `${keepalive.intervalSeconds}s`;
    if (keepalive.probes !== undefined) out.keepaliveProbes = keepalive.probes;
    if (keepalive.timeSeconds !== undefined) out.keepaliveTime = `${keepalive.timeSeconds}s`;
    return out;
}

/**
 * The listener socket options that turn keepalive on for every downstream connection:
 * SO_KEEPALIVE=1, then TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT for the fields that are
 * set, all at STATE_PREBIND (options on a listening socket are inherited by accepted sockets).
 */
export function toSocketOptions(keepalive: TcpKeepalive, platform: SocketOptionsPlatform = "linux"): SocketOption[] {
    const n = SOCKET_OPTION_NUMBERS[platform];
    const options: SocketOption[] = [
        {
            description: SOCKET_OPTION_DESCRIPTIONS.SO_KEEPALIVE,
            level: n.SOL_SOCKET,
            name: n.SO_KEEPALIVE,
            intValue: 1,
            state: "STATE_PREBIND",
        },
    ];
    for (const field of KEEPALIVE_FIELD_NAMES) {
        const value = keepalive[field];
        if (value === undefined) continue;
        options.push({
            description: SOCKET_OPTION_DESCRIPTIONS[field],
            level: n.IPPROTO_TCP,
            name: n[KEEPALIVE_FIELDS[field].socketOption],
            intValue: value,
            state: "STATE_PREBIND",
        });
    }
    return options;
}

/** Pod sysctls `net.ipv4.tcp_keepalive_{time,intvl,probes}` for the fields that are set. */
export function toPodSysctls(keepalive: TcpKeepalive): Sysctl[] {
    return KEEPALIVE_FIELD_NAMES.filter((field) => keepalive[field] !== undefined).map((field) => ({
        name: KEEPALIVE_FIELDS[field].sysctl,
        value: String(keepalive[field]),
    }));
}

/** Every field resolved: the value in force, using the Linux defaults (7200/75/9) for unset fields. */
export type EffectiveTcpKeepalive = Required<TcpKeepalive>;

export function effectiveKeepalive(
    keepalive: TcpKeepalive,
    osDefaults: EffectiveTcpKeepalive = LINUX_KEEPALIVE_DEFAULTS,
): EffectiveTcpKeepalive {
    return {
        timeSeconds: keepalive.timeSeconds ?? osDefaults.timeSeconds,
        intervalSeconds: keepalive.intervalSeconds ?? osDefaults.intervalSeconds,
        probes: keepalive.probes ?? osDefaults.probes,
    };
}

export const LINUX_KEEPALIVE_DEFAULTS: EffectiveTcpKeepalive = {
    timeSeconds: KEEPALIVE_FIELDS.timeSeconds.linuxDefault,
    intervalSeconds: KEEPALIVE_FIELDS.intervalSeconds.linuxDefault,
    probes: KEEPALIVE_FIELDS.probes.linuxDefault,
};

/**
 * Worst-case seconds until an idle dead peer is detected: time + interval × probes (OS defaults
 * for unset fields). With TCP_USER_TIMEOUT the kernel ignores the probe count: it drops the
 * connection at the first probe timer at or after the user timeout (at least one probe sent),
 * i.e. at time + k × interval, k ≥ 1 (net/ipv4/tcp_timer.c, tcp_keepalive_timer).
 */
export function detectionSeconds(
    keepalive: TcpKeepalive,
    osDefaults: EffectiveTcpKeepalive = LINUX_KEEPALIVE_DEFAULTS,
    tcpUserTimeoutSeconds?: number,
): number {
    const e = effectiveKeepalive(keepalive, osDefaults);
    if (tcpUserTimeoutSeconds === undefined) return e.timeSeconds + e.intervalSeconds * e.probes;
    const k = Math.max(1, Math.ceil((tcpUserTimeoutSeconds - e.timeSeconds) / e.intervalSeconds));
    return e.timeSeconds + k * e.intervalSeconds;
}

/**
 * Linux's give-up time for unacknowledged data without TCP_USER_TIMEOUT: net.ipv4.tcp_retries2 = 15
 * retransmissions with exponential backoff from a 200 ms RTO, "a hypothetical timeout of 924.6
 * seconds" (Documentation/networking/ip-sysctl.rst). Keepalive never fires while data is in flight.
 */
export const LINUX_RETRANSMISSION_TIMEOUT_SECONDS = 924.6;

/** Seconds until a peer that vanished with data in flight is given up: TCP_USER_TIMEOUT where set, else the kernel's retransmissions. */
export function inFlightDetectionSeconds(tcpUserTimeoutSeconds?: number): number {
    return tcpUserTimeoutSeconds ?? LINUX_RETRANSMISSION_TIMEOUT_SECONDS;
}

/** TCP_USER_TIMEOUT (Linux: level IPPROTO_TCP 6, name 18, milliseconds; no Darwin equivalent). */
export const TCP_USER_TIMEOUT = { level: 6, name: 18, description: "most time sent data may stay unacknowledged" } as const;

/** The largest TCP_USER_TIMEOUT in whole seconds (the kernel takes an int of milliseconds). */
export const TCP_USER_TIMEOUT_MAX_SECONDS = 2147483;

/** TCP_USER_TIMEOUT as an Envoy/Gloo socket option at STATE_PREBIND: typed in seconds, rendered in milliseconds. */
export function toUserTimeoutSocketOption(seconds: number): SocketOption {
    return {
        description: TCP_USER_TIMEOUT.description,
        level: TCP_USER_TIMEOUT.level,
        name: TCP_USER_TIMEOUT.name,
        intValue: seconds * 1000,
        state: "STATE_PREBIND",
    };
}

/**
 * Why a single keepalive field value is not acceptable, or undefined when it is.
 * Refuses zero, fractions, strings such as "500ms" and anything outside the kernel's bounds.
 */
export function keepaliveFieldProblem(field: TcpKeepaliveField, value: unknown): string | undefined {
    const { min, max } = KEEPALIVE_FIELDS[field];
    if (typeof value !== "number") {
        return `${JSON.stringify(value)} is not a whole number${field === "probes" ? "" : " of seconds"}`;
    }
    if (!Number.isInteger(value)) return `${value} is not a whole number (never rounded)`;
    if (value > max) return `${value} exceeds the kernel maximum ${max}`;
    if (value < min) return `${value} is below the kernel minimum ${min}`;
    return undefined;
}
