/**
 * What the lowering writes for a proxy's Gateways in solo-io's chart: the downstream socket options
 * (keepalive and TCP_USER_TIMEOUT) in `gatewaySettings.options` and in the Gateway overrides that
 * would replace them, and the HTTP idle timeout in `gatewaySettings.customHttpGateway` /
 * `customHttpsGateway` (the chart renders each as the Gateway's `httpGateway`, whole).
 *
 * An idle timeout the user already sets there (or in `httpGatewayKubeOverride` /
 * `httpsGatewayKubeOverride`, merged over the Gateway) to another value than
 * `gatewaySettings.httpIdleTimeoutSeconds` is refused: nothing is silently kept or replaced.
 */
import { toSocketOptions, type SocketOption } from "../keepalive";
import { gatewaySocketOptions } from "../render/manifests";
import { gatewayUserTimeoutOptions, httpIdleTimeoutGateway } from "../render/middlebox";
import { durationSeconds } from "../render/gloo-gateways";
import type { GatewayProxyValues } from "../values/types";
import { isPlainObject, mergeValues, type ValueIssue } from "../values/values";

const record = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});
const get = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (isPlainObject(o) ? o[k] : undefined), v);

/** Socket options: the ones given, then each of ours whose level and name none of them has. */
function withOptions(given: unknown, ours: readonly SocketOption[]): unknown[] {
    const list = Array.isArray(given) ? given : [];
    const has = (o: SocketOption) => list.some((g) => isPlainObject(g) && Number(g.level) === o.level && Number(g.name) === o.name);
    return [...list, ...ours.filter((o) => !has(o))];
}

/** A Gateway override (merged over the rendered Gateway, lists replaced) with our socket options in its spec.options. */
export function overrideWithOptions(override: unknown, ours: readonly SocketOption[]): Record<string, unknown> {
    const o = record(override);
    const options = record(record(o.spec).options);
    return mergeValues(o, { spec: { options: { socketOptions: withOptions(options.socketOptions, ours) } } });
}

/** The downstream socket options the typed values add: the four keepalive options, then TCP_USER_TIMEOUT. */
export function oursSocketOptions(proxy: GatewayProxyValues): SocketOption[] {
    const settings = proxy.gatewaySettings ?? {};
    const keepalive = settings.tcpKeepalive ? toSocketOptions(settings.tcpKeepalive, settings.socketOptionsPlatform ?? "linux") : [];
    return [...keepalive, ...gatewayUserTimeoutOptions(proxy)];
}

/** The http/https Gateway overrides that replace spec.options.socketOptions: ours are appended there too, or they would be lost. */
function gatewayOverrides(chartEntry: Record<string, unknown>, ours: readonly SocketOption[]): Record<string, unknown> {
    const settings = record(chartEntry.gatewaySettings);
    const out: Record<string, unknown> = {};
    for (const key of ["httpGatewayKubeOverride", "httpsGatewayKubeOverride"]) {
        if (get(settings[key], "spec", "options", "socketOptions") !== undefined) out[key] = overrideWithOptions(settings[key], ours);
    }
    return out;
}

/** The two generated Gateways: their custom httpGateway value, their override and their hybrid value. */
const GATEWAYS = [
    { custom: "customHttpGateway", override: "httpGatewayKubeOverride", hybrid: "httpHybridGateway", disabled: "disableHttpGateway" },
    { custom: "customHttpsGateway", override: "httpsGatewayKubeOverride", hybrid: "httpsHybridGateway", disabled: "disableHttpsGateway" },
] as const;

/**
 * `customHttpGateway` / `customHttpsGateway` with the HTTP idle timeout. Without a custom value the
 * chart renders the tracing provider there, so ours carries it as the chart would; the user's own
 * idle timeout is accepted only when it is the same duration.
 */
function idleTimeoutGateways(proxy: GatewayProxyValues, chartEntry: Record<string, unknown>, settingsPath: string) {
    const seconds = proxy.gatewaySettings?.httpIdleTimeoutSeconds;
    const out: Record<string, unknown> = {};
    const issues: ValueIssue[] = [];
    if (seconds === undefined) return { out, issues };
    const settings = record(chartEntry.gatewaySettings);
    const provider = get(chartEntry, "tracing", "provider");
    for (const gw of GATEWAYS) {
        if (settings[gw.disabled] === true) continue;
        if (settings[gw.hybrid] !== undefined) {
            issues.push({
                path: `${settingsPath}.${gw.hybrid}`,
                message: `is a hybrid Gateway, which httpIdleTimeoutSeconds cannot reach; set idleTimeout in its matched gateways' httpGateway options instead of ${settingsPath}.httpIdleTimeoutSeconds`,
            });
            continue;
        }
        const own = [
            [
                `${settingsPath}.${gw.custom}.options.httpConnectionManagerSettings.idleTimeout`,
                get(settings[gw.custom], "options", "httpConnectionManagerSettings", "idleTimeout"),
            ],
            [
                `${settingsPath}.${gw.override}.spec.httpGateway.options.httpConnectionManagerSettings.idleTimeout`,
                get(settings[gw.override], "spec", "httpGateway", "options", "httpConnectionManagerSettings", "idleTimeout"),
            ],
        ] as const;
        for (const [path, value] of own)
            if (value !== undefined && durationSeconds(value) !== seconds)
                issues.push({
                    path,
                    message: `is ${JSON.stringify(value)}, but ${settingsPath}.httpIdleTimeoutSeconds asks for ${seconds}s; keep one of them`,
                });
        const base =
            settings[gw.custom] !== undefined
                ? record(settings[gw.custom])
                : provider !== undefined
                  ? { options: { httpConnectionManagerSettings: { tracing: provider } } }
                  : {};
        out[gw.custom] = mergeValues(base, httpIdleTimeoutGateway(seconds));
    }
    return { out, issues };
}

/** The `gatewaySettings` (and `failover`) keys written for a proxy's Gateways, and the values refused. */
export function loweredGateways(proxy: GatewayProxyValues, chartEntry: Record<string, unknown>, settingsPath: string) {
    const out: Record<string, unknown> = {};
    const ours = oursSocketOptions(proxy);
    const idle = idleTimeoutGateways(proxy, chartEntry, settingsPath);
    const settings: Record<string, unknown> = { ...idle.out };
    if (ours.length > 0) {
        const socketOptions = [...(gatewaySocketOptions(proxy) ?? []), ...gatewayUserTimeoutOptions(proxy)];
        Object.assign(
            settings,
            { options: { ...record(proxy.gatewaySettings?.options), socketOptions } },
            gatewayOverrides(chartEntry, ours),
        );
        // The failover Gateway takes no gatewaySettings.options: only its own override reaches its spec.
        const failover = record(chartEntry.failover);
        if (failover.enabled === true) out.failover = { kubeResourceOverride: overrideWithOptions(failover.kubeResourceOverride, ours) };
    }
    if (Object.keys(settings).length > 0) out.gatewaySettings = settings;
    return { out, issues: idle.issues };
}
