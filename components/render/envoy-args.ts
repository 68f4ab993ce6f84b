/**
 * Envoy's command-line arguments that the Gloo values set besides `extraEnvoyArgs`.
 */
import type { GatewayProxyValues } from "../values/types";

/** Envoy's `--log-level` values. */
export const ENVOY_LOG_LEVELS = ["trace", "debug", "info", "warning", "warn", "error", "critical", "off"] as const;

/** Envoy's `--log-level` argument as Gloo writes it (one argument, `--log-level <level>`), when `envoyLogLevel` is set. */
export function envoyLogLevelArgs(proxy: GatewayProxyValues): string[] {
    return proxy.envoyLogLevel ? [`--log-level ${proxy.envoyLogLevel}`] : [];
}
