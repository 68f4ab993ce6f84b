/** Every policy of the pack, in the order Pulumi runs them, and the rules behind them for the offline check. */
import type { Policies } from "@pulumi/policy";
import type { ResourceRule, StackRule } from "../lib/rule";
import { bootstrapKeepaliveRule, envoyBootstrapKeepalive } from "./envoy-bootstrap-keepalive";
import { gatewayKeepaliveRule, gatewaySocketOptionsKeepalive } from "./gateway-socket-options-keepalive";
import { httpIdleTimeoutAboveLoadBalancer, httpIdleTimeoutRule } from "./http-idle-timeout-above-load-balancer";
import { idleTimeoutRule, keepaliveBelowIdleTimeout } from "./keepalive-below-idle-timeout";
import { detectionRule, keepaliveDetectionTime } from "./keepalive-detection-time";
import { proxyHopsKeepalive, proxyHopsRule } from "./proxy-hops-keepalive";
import { upstreamKeepaliveRule, upstreamTcpKeepalive } from "./upstream-tcp-keepalive";

export {
    envoyBootstrapKeepalive,
    gatewaySocketOptionsKeepalive,
    httpIdleTimeoutAboveLoadBalancer,
    keepaliveBelowIdleTimeout,
    keepaliveDetectionTime,
    proxyHopsKeepalive,
    upstreamTcpKeepalive,
};

/** The policies of the pack. */
export const policies: Policies = [
    envoyBootstrapKeepalive,
    gatewaySocketOptionsKeepalive,
    upstreamTcpKeepalive,
    keepaliveBelowIdleTimeout,
    keepaliveDetectionTime,
    proxyHopsKeepalive,
    httpIdleTimeoutAboveLoadBalancer,
];

/** The same policies as rules, for the offline check (same order). */
export const RESOURCE_RULES: readonly ResourceRule<unknown>[] = [
    bootstrapKeepaliveRule,
    gatewayKeepaliveRule,
    upstreamKeepaliveRule,
    idleTimeoutRule,
    detectionRule,
    httpIdleTimeoutRule,
];
export const STACK_RULES: readonly StackRule<unknown>[] = [proxyHopsRule];
