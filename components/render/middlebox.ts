/**
 * The load balancer in front of a proxy and the middleboxes on its other hops, as decided from
 * the values; the rules each hop is held to against the box it crosses (and only that one); and
 * what they render: TCP_USER_TIMEOUT on the clusters and the Gateways, the Gateways' HTTP idle
 * timeout, and annotations that carry the boxes to the policy pack.
 */
import {
    LOAD_BALANCER_TYPES,
    loadBalancerIdleProblem,
    MIDDLEBOX_NAMES,
    TCP_USER_TIMEOUT,
    toUserTimeoutSocketOption,
    type EffectiveTcpKeepalive,
    type Middlebox,
    type MiddleboxPlace,
    type SocketOption,
} from "../keepalive";
import type { GatewayProxyValues } from "../values/types";
import { isPlainObject, type ResolvedProxy, type ValueIssue } from "../values/values";
import type { KubernetesObject } from "./manifests";
import { sourceOf, type ValueLayers } from "./provenance";

/** The middleboxes of a proxy, by where they sit (from loadBalancer / loadBalancerIdleTimeoutSeconds and the *IdleTimeoutSeconds values). */
export type ProxyMiddleboxes = Partial<Record<MiddleboxPlace, Middlebox>>;

/** Envoy's HTTP connection manager idle timeout when none is set. */
export const ENVOY_DEFAULT_HTTP_IDLE_TIMEOUT_SECONDS = 3600;

/** Annotations that carry a proxy's boxes to the policy pack (on its ConfigMap and Gateways; egress also on Upstreams). */
export const LB_IDLE_TIMEOUT_ANNOTATION = "gloo-keepalive.io/load-balancer-idle-timeout-seconds";
export const LB_TYPE_ANNOTATION = "gloo-keepalive.io/load-balancer-type";
export const EGRESS_IDLE_TIMEOUT_ANNOTATION = "gloo-keepalive.io/egress-idle-timeout-seconds";
export const CONTROL_PLANE_IDLE_TIMEOUT_ANNOTATION = "gloo-keepalive.io/control-plane-idle-timeout-seconds";

const IDLE_VALUE: Readonly<
    Record<Exclude<MiddleboxPlace, "load-balancer">, "egressIdleTimeoutSeconds" | "controlPlaneIdleTimeoutSeconds">
> = {
    egress: "egressIdleTimeoutSeconds",
    "control-plane": "controlPlaneIdleTimeoutSeconds",
};

/** The proxy's load balancer and middleboxes, and what is wrong with the values that give them. */
export function proxyMiddleboxes(proxy: ResolvedProxy, layers: ValueLayers): { boxes: ProxyMiddleboxes; issues: ValueIssue[] } {
    const v = proxy.values;
    const boxes: ProxyMiddleboxes = {};
    const issues: ValueIssue[] = [];
    const lbPath = proxy.origin("loadBalancer");
    if (v.loadBalancer && v.loadBalancerIdleTimeoutSeconds !== undefined) {
        issues.push({
            path: proxy.origin("loadBalancerIdleTimeoutSeconds"),
            message: `is the shorthand for ${lbPath} {type: custom-l4}; set one of them, not both`,
        });
    } else if (v.loadBalancer) {
        const { type, idleTimeoutSeconds } = v.loadBalancer;
        const problem = loadBalancerIdleProblem(type, idleTimeoutSeconds);
        if (problem) issues.push({ path: `${lbPath}${idleTimeoutSeconds === undefined ? "" : ".idleTimeoutSeconds"}`, message: problem });
        else {
            const idle = idleTimeoutSeconds ?? (LOAD_BALANCER_TYPES[type].defaultIdleTimeoutSeconds as number);
            const path = idleTimeoutSeconds === undefined ? `${lbPath}.type` : `${lbPath}.idleTimeoutSeconds`;
            boxes["load-balancer"] = {
                place: "load-balancer",
                type,
                layer: LOAD_BALANCER_TYPES[type].layer,
                idleTimeoutSeconds: idle,
                path,
                isDefault: idleTimeoutSeconds === undefined,
            };
        }
    } else if (v.loadBalancerIdleTimeoutSeconds !== undefined) {
        boxes["load-balancer"] = {
            place: "load-balancer",
            type: "custom-l4",
            layer: 4,
            idleTimeoutSeconds: v.loadBalancerIdleTimeoutSeconds,
            path: proxy.origin("loadBalancerIdleTimeoutSeconds"),
            isDefault: false,
        };
    }
    for (const [place, key] of Object.entries(IDLE_VALUE) as [Exclude<MiddleboxPlace, "load-balancer">, keyof GatewayProxyValues][]) {
        const idle = v[key] as number | undefined;
        if (idle !== undefined) boxes[place] = { place, layer: 4, idleTimeoutSeconds: idle, path: proxy.origin(key), isDefault: false };
    }
    for (const box of Object.values(boxes)) {
        if (box.isDefault) continue;
        const from = sourceOf(layers, box.path);
        if (from.file) box.file = from.file;
    }
    return { boxes, issues: [...issues, ...userTimeoutIssues(proxy)] };
}

const isUserTimeout = (o: unknown) =>
    isPlainObject(o) && Number(o.level) === TCP_USER_TIMEOUT.level && Number(o.name) === TCP_USER_TIMEOUT.name;

/** TCP_USER_TIMEOUT set twice (typed and raw), or where it does not exist (Darwin). */
function userTimeoutIssues(proxy: ResolvedProxy): ValueIssue[] {
    const v = proxy.values;
    const settings = v.gatewaySettings ?? {};
    const settingsPath = proxy.origin("gatewaySettings");
    const issues: ValueIssue[] = [];
    if (settings.tcpUserTimeoutSeconds !== undefined) {
        if (settings.socketOptionsPlatform === "darwin")
            issues.push({
                path: `${settingsPath}.tcpUserTimeoutSeconds`,
                message: "TCP_USER_TIMEOUT is a Linux socket option; Darwin has none (socketOptionsPlatform: darwin)",
            });
        const raw = isPlainObject(settings.options) && Array.isArray(settings.options.socketOptions) ? settings.options.socketOptions : [];
        raw.forEach((o: unknown, i: number) => {
            if (isUserTimeout(o))
                issues.push({
                    path: `${settingsPath}.options.socketOptions[${i}]`,
                    message: `sets TCP_USER_TIMEOUT, which ${settingsPath}.tcpUserTimeoutSeconds already renders; keep one of them`,
                });
        });
    }
    if (v.tcpUserTimeoutSeconds !== undefined) {
        (v.envoyStaticClusters ?? []).forEach((cluster, i) => {
            const bind = cluster.upstream_bind_config;
            const options = isPlainObject(bind) && Array.isArray(bind.socket_options) ? bind.socket_options : [];
            options.forEach((o: unknown, j: number) => {
                if (isUserTimeout(o))
                    issues.push({
                        path: `${proxy.origin("envoyStaticClusters")}[${i}].upstream_bind_config.socket_options[${j}]`,
                        message: `sets TCP_USER_TIMEOUT, which ${proxy.origin("tcpUserTimeoutSeconds")} already renders on every cluster; keep one of them`,
                    });
            });
        });
    }
    return issues;
}

/** What a hop should be looked at for, against the box it crosses (and no other). */
export function hopWarnings(hop: { middlebox?: Middlebox; effective?: EffectiveTcpKeepalive }, proxy: ResolvedProxy): string[] {
    const box = hop.middlebox;
    if (!box) return [];
    const name = MIDDLEBOX_NAMES[box.place];
    if (box.layer === 7) return httpIdleWarnings(proxy, box);
    if (!hop.effective)
        return [`no keepalive: an idle connection is dropped by the ${name} after ${box.idleTimeoutSeconds}s without either side knowing`];
    if (hop.effective.timeSeconds >= box.idleTimeoutSeconds)
        return [
            `keepalive time ${hop.effective.timeSeconds}s is not below the ${name} idle timeout ${box.idleTimeoutSeconds}s (${box.path})`,
        ];
    return [];
}

/** The HTTP idle timeout of the proxy's Gateways, with where it comes from. */
export function httpIdleTimeout(proxy: ResolvedProxy): { seconds: number; path: string } {
    const set = proxy.values.gatewaySettings?.httpIdleTimeoutSeconds;
    return set !== undefined
        ? { seconds: set, path: `${proxy.origin("gatewaySettings")}.httpIdleTimeoutSeconds` }
        : { seconds: ENVOY_DEFAULT_HTTP_IDLE_TIMEOUT_SECONDS, path: "Envoy's default (gatewaySettings.httpIdleTimeoutSeconds unset)" };
}

/** Behind an L7 balancer: the proxy's HTTP idle timeout must be longer than the balancer's. */
function httpIdleWarnings(proxy: ResolvedProxy, box: Middlebox): string[] {
    const http = httpIdleTimeout(proxy);
    if (http.seconds > box.idleTimeoutSeconds) return [];
    return [
        `HTTP idle timeout ${http.seconds}s (${http.path}) is not longer than the ${box.type} load balancer's idle timeout ${box.idleTimeoutSeconds}s (${box.path}): the proxy closes connections the balancer still reuses (502s)`,
    ];
}

/** A cluster with TCP_USER_TIMEOUT appended to its `upstream_bind_config.socket_options` (its own bind options kept). */
export function withClusterUserTimeoutOption<C extends Record<string, unknown>>(cluster: C, seconds: number): C {
    const { intValue, ...rest } = toUserTimeoutSocketOption(seconds);
    const envoyOption = { ...rest, int_value: intValue }; // Envoy YAML is snake_case
    const bind = isPlainObject(cluster.upstream_bind_config) ? cluster.upstream_bind_config : {};
    const options = Array.isArray(bind.socket_options) ? bind.socket_options : [];
    return { ...cluster, upstream_bind_config: { ...bind, socket_options: [...options, envoyOption] } };
}

/** TCP_USER_TIMEOUT on every cluster of a bootstrap: `upstream_bind_config.socket_options`, no source address needed. */
export function withClusterUserTimeout(bootstrap: Record<string, unknown>, proxy: GatewayProxyValues): Record<string, unknown> {
    const seconds = proxy.tcpUserTimeoutSeconds;
    if (seconds === undefined) return bootstrap;
    const staticResources = bootstrap.static_resources as { clusters: Record<string, unknown>[] };
    const clusters = staticResources.clusters.map((cluster) => withClusterUserTimeoutOption(cluster, seconds));
    return { ...bootstrap, static_resources: { ...staticResources, clusters } };
}

/** A Gateway's `httpGateway` with the HTTP idle timeout (Gloo's `httpConnectionManagerSettings.idleTimeout`, a duration). */
export function httpIdleTimeoutGateway(seconds: number): { options: { httpConnectionManagerSettings: { idleTimeout: string } } } {
    return { options: { httpConnectionManagerSettings: { idleTimeout: `${seconds}s` } } };
}

/** The socket options the typed TCP_USER_TIMEOUT of the Gateways adds (none when unset). */
export function gatewayUserTimeoutOptions(proxy: GatewayProxyValues): SocketOption[] {
    const seconds = proxy.gatewaySettings?.tcpUserTimeoutSeconds;
    return seconds === undefined ? [] : [toUserTimeoutSocketOption(seconds)];
}

/** The annotations that carry a proxy's boxes to the policy pack. */
export function middleboxAnnotations(boxes: ProxyMiddleboxes): Record<string, string> {
    const out: Record<string, string> = {};
    const lb = boxes["load-balancer"];
    if (lb) {
        out[LB_IDLE_TIMEOUT_ANNOTATION] = String(lb.idleTimeoutSeconds);
        out[LB_TYPE_ANNOTATION] = lb.type as string;
    }
    if (boxes["control-plane"]) out[CONTROL_PLANE_IDLE_TIMEOUT_ANNOTATION] = String(boxes["control-plane"].idleTimeoutSeconds);
    if (boxes.egress) out[EGRESS_IDLE_TIMEOUT_ANNOTATION] = String(boxes.egress.idleTimeoutSeconds);
    return out;
}

/** An object with annotations added (none added: the object as it is). */
export function annotated(object: KubernetesObject, annotations: Record<string, string>): KubernetesObject {
    if (Object.keys(annotations).length === 0) return object;
    return { ...object, metadata: { ...object.metadata, annotations: { ...(object.metadata.annotations ?? {}), ...annotations } } };
}
