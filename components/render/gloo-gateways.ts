/**
 * A proxy's Gateways as the Gloo 1.22 chart renders them: the http and https Gateways (with
 * `customHttpGateway` / `customHttpsGateway`, the tracing provider, `httpHybridGateway` /
 * `httpsHybridGateway`, `accessLoggingService`, `disableGeneratedGateways`) and the failover
 * Gateway (`failover`), each with its kube override merged over it as Gloo merges it
 * (`httpGatewayKubeOverride`, `httpsGatewayKubeOverride`, `failover.kubeResourceOverride`).
 *
 * Then ours, on the final Gateway: the downstream keepalive and TCP_USER_TIMEOUT socket options
 * and the HTTP idle timeout. A value that would remove them (an override that replaces
 * `spec.options` with something that is not a map, a socket option that sets one of ours, an idle
 * timeout of its own that differs) is refused with its value path, never dropped.
 */
import { SOCKET_OPTION_NUMBERS, toSocketOptions, type SocketOption } from "../keepalive";
import { rawKeepaliveOptionIssues } from "../checks/proxy-limits";
import type { GatewayProxyValues } from "../values/types";
import { isPlainObject, joinPath, type ValueIssue } from "../values/values";
import type { KubernetesObject } from "./manifests";
import { withOverride } from "./kube-override";
import { gatewayUserTimeoutOptions, httpIdleTimeoutGateway } from "./middlebox";
import { customServicePorts } from "./pod-extras";

type Json = Record<string, unknown>;

/** Gloo's default failover port and downstream TLS Secret (its values.yaml). */
export const FAILOVER_DEFAULTS = { port: 15443, secretName: "failover-downstream" } as const;

/** Go template truth, as Gloo's `{{ if }}` reads a value: nil, false, 0, "" and empty lists or maps are false. */
export function goTruthy(v: unknown): boolean {
    if (v === undefined || v === null || v === false || v === 0 || v === "") return false;
    if (Array.isArray(v)) return v.length > 0;
    if (isPlainObject(v)) return Object.keys(v).length > 0;
    return true;
}

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/**
 * A Gateway kube override merged over the rendered Gateway as Gloo's `gloo.util.merge` does
 * (sprig's mergeOverwrite): maps merge key by key; anything else the override sets (a list, a
 * scalar, `false`, `0`, `null`) replaces what is there. An empty override changes nothing.
 */
export function mergeGatewayKubeOverride(object: Json, override: unknown): Json {
    return withOverride(object as KubernetesObject, override) as Json;
}

/** Seconds of a protobuf Duration as Gloo values write it ("3600s", "1.5s"); undefined when it is not one. */
export function durationSeconds(v: unknown): number | undefined {
    const m = typeof v === "string" ? /^(\d+(?:\.\d+)?)s$/.exec(v.trim()) : null;
    return m ? Number(m[1]) : undefined;
}

/** Where one Gateway's raw parts come from, for the value paths of what is refused. */
export interface GatewaySources {
    /** The Gateway's name, e.g. `gateway-proxy-ssl`. */
    name: string;
    /** The value path of `gatewaySettings`. */
    settingsPath: string;
    /** The kube override merged over it, and its value path. */
    override?: { value: unknown; path: string };
    /** `customHttp(s)Gateway` (or the tracing provider) rendered as `spec.httpGateway`, its value path, and where in httpGateway it sits. */
    httpGateway?: { value: unknown; path: string; under?: readonly string[] };
    /** `http(s)HybridGateway`: its keys are spec keys. */
    hybrid?: { value: unknown; path: string };
    /** The Gateway is the failover one (no `gatewaySettings.options`, no HTTP). */
    failover?: boolean;
}

/** The spec keys Gloo's Gateway template writes itself: a hybrid value may not set them too (Gloo would write the key twice). */
const TEMPLATE_SPEC_KEYS = ["bindAddress", "bindPort", "httpGateway", "options", "useProxyProto", "ssl", "proxyNames"];

/** The http or https Gateway as Gloo's chart renders it, before its override. */
function generatedGateway(
    which: "http" | "https",
    proxyName: string,
    proxy: GatewayProxyValues,
    meta: { namespace: string; labels: Record<string, string> },
    issues: ValueIssue[],
    settingsPath: string,
): Json {
    const settings = proxy.gatewaySettings ?? {};
    const [custom, hybrid] =
        which === "http"
            ? [settings.customHttpGateway, settings.httpHybridGateway]
            : [settings.customHttpsGateway, settings.httpsHybridGateway];
    const tracing = (proxy as { tracing?: unknown }).tracing;
    const provider = isPlainObject(tracing) ? tracing.provider : undefined;
    const httpGateway = goTruthy(custom)
        ? { httpGateway: custom }
        : goTruthy(tracing)
          ? goTruthy(provider)
              ? { httpGateway: { options: { httpConnectionManagerSettings: { tracing: provider } } } }
              : {}
          : { httpGateway: {} };
    const als = settings.accessLoggingService;
    const raw = settings.options;
    if (goTruthy(als) && isPlainObject(raw) && "accessLoggingService" in raw)
        issues.push({
            path: `${settingsPath}.options.accessLoggingService`,
            message: `is set twice: ${settingsPath}.accessLoggingService renders the same key (the Gloo chart would write it twice); keep one of them`,
        });
    const options =
        goTruthy(raw) || goTruthy(als)
            ? { ...(goTruthy(raw) ? raw : {}), ...(goTruthy(als) ? { accessLoggingService: als } : {}) }
            : undefined;
    const hybridKeys = goTruthy(hybrid) && isPlainObject(hybrid) ? hybrid : {};
    const hybridPath = `${settingsPath}.${which === "http" ? "httpHybridGateway" : "httpsHybridGateway"}`;
    for (const key of Object.keys(hybridKeys).filter((k) => TEMPLATE_SPEC_KEYS.includes(k)))
        issues.push({
            path: joinPath(hybridPath, key),
            message: `the Gateway's ${key} is written by the Gateway itself (a hybrid value holds hybridGateway); the Gloo chart would write ${key} twice`,
        });
    return {
        apiVersion: "gateway.solo.io/v1",
        kind: "Gateway",
        metadata: { name: which === "http" ? proxyName : `${proxyName}-ssl`, namespace: meta.namespace, labels: meta.labels },
        spec: {
            bindAddress: settings.ipv4Only ? "0.0.0.0" : "::",
            bindPort: which === "http" ? proxy.podTemplate?.httpPort : proxy.podTemplate?.httpsPort,
            ...clone(hybridKeys),
            ...clone(httpGateway),
            ...(options ? { options: clone(options) } : {}),
            useProxyProto: settings.useProxyProto ?? null, // as Gloo prints it: null when unset
            ssl: which === "https",
            proxyNames: [proxyName],
        },
    };
}

/** The failover Gateway as Gloo's chart renders it (a TLS passthrough TCP Gateway), before its override. */
function failoverGateway(
    proxyName: string,
    proxy: GatewayProxyValues,
    meta: { namespace: string; labels: Record<string, string> },
    releaseNamespace: string,
): Json {
    const failover = proxy.failover ?? {};
    return {
        apiVersion: "gateway.solo.io/v1",
        kind: "Gateway",
        metadata: { name: `${proxyName}-failover`, namespace: meta.namespace, labels: meta.labels },
        spec: {
            bindAddress: proxy.gatewaySettings?.ipv4Only ? "0.0.0.0" : "::",
            bindPort: failover.port ?? FAILOVER_DEFAULTS.port,
            tcpGateway: {
                tcpHosts: [
                    {
                        name: "failover",
                        sslConfig: {
                            secretRef: { name: failover.secretName ?? FAILOVER_DEFAULTS.secretName, namespace: releaseNamespace },
                        },
                        destination: { forwardSniClusterName: {} },
                    },
                ],
            },
            proxyNames: [proxyName],
        },
    };
}

/** Whether a proxy renders Gloo's failover Gateway (and Service port). */
export function failoverEnabled(proxy: GatewayProxyValues): boolean {
    return goTruthy(proxy.failover) && goTruthy(proxy.failover?.enabled);
}

/** The failover Service port, as Gloo's Service renders it (after the http and https ports; `nodePort` even when unset). */
export function withFailoverServicePort(service: KubernetesObject, proxy: GatewayProxyValues): KubernetesObject {
    if (!failoverEnabled(proxy)) return service;
    const failover = proxy.failover ?? {};
    const port = failover.port ?? FAILOVER_DEFAULTS.port;
    const spec = service.spec as Json;
    // After http and https, before the custom ports, as Gloo lists them.
    const ports = [...((spec.ports as unknown[] | null) ?? [])];
    const custom = customServicePorts(proxy).length;
    ports.splice(ports.length - custom, 0, {
        port,
        targetPort: port,
        protocol: "TCP",
        name: "failover",
        nodePort: failover.nodePort ?? null,
    });
    return { ...service, spec: { ...spec, ports } };
}

/** Every Gateway of a proxy as Gloo renders it, override merged, each with where its raw parts come from. */
export function glooGateways(
    proxyName: string,
    proxy: GatewayProxyValues,
    where: {
        namespace: string;
        releaseNamespace: string;
        labels: Record<string, string>;
        settingsPath: string;
        failoverPath: string;
        tracingPath: string;
    },
    issues: ValueIssue[],
): { gateway: Json; sources: GatewaySources }[] {
    const settings = proxy.gatewaySettings ?? {};
    if (!settings.enabled) return []; // Gloo tests it with `if`: unset or null, no Gateway
    const { settingsPath } = where;
    const out: { gateway: Json; sources: GatewaySources }[] = [];
    const generated = [
        {
            which: "http",
            off: settings.disableHttpGateway,
            override: "httpGatewayKubeOverride",
            custom: "customHttpGateway",
            hybrid: "httpHybridGateway",
        },
        {
            which: "https",
            off: settings.disableHttpsGateway,
            override: "httpsGatewayKubeOverride",
            custom: "customHttpsGateway",
            hybrid: "httpsHybridGateway",
        },
    ] as const;
    for (const g of goTruthy(settings.disableGeneratedGateways) ? [] : generated) {
        if (g.off) continue;
        const base = generatedGateway(g.which, proxyName, proxy, where, issues, settingsPath);
        const override = settings[g.override];
        const custom = settings[g.custom];
        const tracing = (proxy as { tracing?: { provider?: unknown } }).tracing;
        out.push({
            gateway: mergeGatewayKubeOverride(base, override),
            sources: {
                name: (base.metadata as Json).name as string,
                settingsPath,
                override: goTruthy(override) ? { value: override, path: `${settingsPath}.${g.override}` } : undefined,
                httpGateway: goTruthy(custom)
                    ? { value: custom, path: `${settingsPath}.${g.custom}` }
                    : goTruthy(tracing?.provider)
                      ? { value: tracing?.provider, path: `${where.tracingPath}.provider`, under: TRACING_UNDER }
                      : undefined,
                hybrid: goTruthy(settings[g.hybrid]) ? { value: settings[g.hybrid], path: `${settingsPath}.${g.hybrid}` } : undefined,
            },
        });
    }
    if (failoverEnabled(proxy)) {
        const base = failoverGateway(proxyName, proxy, where, where.releaseNamespace);
        const override = proxy.failover?.kubeResourceOverride;
        out.push({
            gateway: mergeGatewayKubeOverride(base, override),
            sources: {
                name: `${proxyName}-failover`,
                settingsPath: where.failoverPath,
                override: goTruthy(override) ? { value: override, path: `${where.failoverPath}.kubeResourceOverride` } : undefined,
                failover: true,
            },
        });
    }
    return out;
}

/** Where Gloo puts the tracing provider in a Gateway's httpGateway. */
const TRACING_UNDER = ["options", "httpConnectionManagerSettings", "tracing"] as const;

const get = (v: unknown, keys: readonly string[]): unknown => keys.reduce<unknown>((o, k) => (isPlainObject(o) ? o[k] : undefined), v);

/** The typed downstream socket options of a proxy: the four keepalive ones, then TCP_USER_TIMEOUT. */
export function typedGatewaySocketOptions(proxy: GatewayProxyValues): SocketOption[] {
    const settings = proxy.gatewaySettings ?? {};
    const keepalive = settings.tcpKeepalive ? toSocketOptions(settings.tcpKeepalive, settings.socketOptionsPlatform ?? "linux") : [];
    return [...keepalive, ...gatewayUserTimeoutOptions(proxy)];
}

/** The override's own `spec.options.socketOptions` that set one of ours, or hold raw keepalive out of the kernel's bounds. */
function overrideSocketOptionIssues(
    proxy: GatewayProxyValues,
    typed: readonly SocketOption[],
    override: { value: unknown; path: string },
): ValueIssue[] {
    const list = get(override.value, ["spec", "options", "socketOptions"]);
    if (!Array.isArray(list)) return [];
    const path = `${override.path}.spec.options.socketOptions`;
    const platform = proxy.gatewaySettings?.socketOptionsPlatform ?? "linux";
    const n = SOCKET_OPTION_NUMBERS[platform];
    const names: Record<string, string> = {
        [`${n.SOL_SOCKET}/${n.SO_KEEPALIVE}`]: "SO_KEEPALIVE",
        [`${n.IPPROTO_TCP}/${n.TCP_KEEPIDLE}`]: "TCP_KEEPIDLE",
        [`${n.IPPROTO_TCP}/${n.TCP_KEEPINTVL}`]: "TCP_KEEPINTVL",
        [`${n.IPPROTO_TCP}/${n.TCP_KEEPCNT}`]: "TCP_KEEPCNT",
        "6/18": "TCP_USER_TIMEOUT",
    };
    const issues: ValueIssue[] = [];
    list.forEach((option: unknown, i) => {
        if (!isPlainObject(option)) return;
        const key = `${Number(option.level)}/${Number(option.name)}`;
        if (typed.some((t) => `${t.level}/${t.name}` === key))
            issues.push({
                path: `${path}[${i}]`,
                message: `sets ${names[key] ?? key}, which the typed gatewaySettings (tcpKeepalive, tcpUserTimeoutSeconds) already renders on this Gateway; keep one of them (prefer the typed value)`,
            });
    });
    return [...issues, ...rawKeepaliveOptionIssues(list, path, platform, "gloo")];
}

/** The final Gateway's spec.options with our socket options appended, or an issue when the override made that impossible. */
function withSocketOptions(spec: Json, typed: readonly SocketOption[], sources: GatewaySources, issues: ValueIssue[]): void {
    const at = sources.override?.path ? `${sources.override.path}.spec.options` : `${sources.settingsPath}.options`;
    const options = spec.options;
    if (options !== undefined && !isPlainObject(options)) {
        issues.push({
            path: at,
            message: `makes the Gateway ${sources.name}'s spec.options ${options === null ? "null" : "not a map"}: the downstream keepalive socket options (gatewaySettings.tcpKeepalive, tcpUserTimeoutSeconds) go there; remove it or give a map`,
        });
        return;
    }
    const socketOptions = isPlainObject(options) ? options.socketOptions : undefined;
    if (socketOptions !== undefined && socketOptions !== null && !Array.isArray(socketOptions)) {
        issues.push({
            path: `${at}.socketOptions`,
            message: `must be a list of socket options: the downstream keepalive socket options of the Gateway ${sources.name} are appended to it`,
        });
        return;
    }
    spec.options = { ...(options ?? {}), socketOptions: [...((socketOptions as unknown[] | null) ?? []), ...typed] };
}

/** The HTTP idle timeout merged into the final Gateway's httpGateway; an idle timeout of its own must be the same. */
function withIdleTimeout(spec: Json, seconds: number, sources: GatewaySources, issues: ValueIssue[]): void {
    if (sources.hybrid) {
        issues.push({
            path: sources.hybrid.path,
            message: `is a hybrid Gateway, which httpIdleTimeoutSeconds cannot reach; set idleTimeout in its matched gateways' httpGateway options instead of ${sources.settingsPath}.httpIdleTimeoutSeconds`,
        });
        return;
    }
    const idlePath = ["options", "httpConnectionManagerSettings", "idleTimeout"];
    const fromOverride = get(sources.override?.value, ["spec", "httpGateway", ...idlePath]) !== undefined;
    const own = get(spec.httpGateway, idlePath);
    const custom = sources.httpGateway && !sources.httpGateway.under ? sources.httpGateway.path : undefined;
    const ownPath = fromOverride
        ? `${sources.override?.path}.spec.httpGateway`
        : (custom ?? `${sources.settingsPath} (Gateway ${sources.name} spec.httpGateway)`);
    if (own !== undefined && durationSeconds(own) !== seconds) {
        issues.push({
            path: `${ownPath}.${idlePath.join(".")}`,
            message: `is ${JSON.stringify(own)}, but ${sources.settingsPath}.httpIdleTimeoutSeconds asks for ${seconds}s; keep one of them`,
        });
        return;
    }
    const httpGateway = spec.httpGateway;
    if (httpGateway !== undefined && !isPlainObject(httpGateway)) {
        issues.push({
            path: ownPath,
            message: `is not a map: ${sources.settingsPath}.httpIdleTimeoutSeconds renders the idle timeout there`,
        });
        return;
    }
    const ours = httpIdleTimeoutGateway(seconds);
    const hcm = get(httpGateway, ["options", "httpConnectionManagerSettings"]);
    const opts = get(httpGateway, ["options"]);
    spec.httpGateway = {
        ...(httpGateway ?? {}),
        options: {
            ...(isPlainObject(opts) ? opts : {}),
            httpConnectionManagerSettings: { ...(isPlainObject(hcm) ? hcm : {}), ...ours.options.httpConnectionManagerSettings },
        },
    };
}

/**
 * Ours on the final Gateway (after its override): our socket options after every socket option
 * it already has, and on the http and https Gateways the HTTP idle timeout. What would remove or
 * contradict them is pushed as an issue.
 */
export function withDownstreamKeepalive(gateway: Json, proxy: GatewayProxyValues, sources: GatewaySources, issues: ValueIssue[]): Json {
    const out = clone(gateway);
    const typed = typedGatewaySocketOptions(proxy);
    const spec = out.spec;
    const seconds = sources.failover ? undefined : proxy.gatewaySettings?.httpIdleTimeoutSeconds;
    if (typed.length === 0 && seconds === undefined) return out;
    if (!isPlainObject(spec)) {
        issues.push({
            path: `${sources.override?.path ?? sources.settingsPath}.spec`,
            message: `makes the Gateway ${sources.name}'s spec not a map: the downstream keepalive (gatewaySettings) renders there`,
        });
        return out;
    }
    if (typed.length > 0) {
        if (sources.override) issues.push(...overrideSocketOptionIssues(proxy, typed, sources.override));
        withSocketOptions(spec, typed, sources, issues);
    }
    if (seconds !== undefined) withIdleTimeout(spec, seconds, sources, issues);
    return out;
}
