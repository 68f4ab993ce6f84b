/**
 * The gloo-keepalive policy pack: `pulumi preview --policy-pack policy [--policy-pack-config <file>]`.
 * This file only builds the pack (constructing a PolicyPack starts the policy server); the
 * policies live in policies/, the rules behind them in lib/.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("gloo-keepalive", {
    description:
        "TCP keepalive on every hop of Gloo gateway proxies (Envoy): bootstrap clusters, Gateways, Upstreams, load balancer idle timeouts and dead-peer detection.",
    policies,
});
