// @ts-check
/**
 * Another team's stack: it imports the built gloo-keepalive package by name (as from npm; here the
 * package's self-reference resolves "gloo-keepalive" to dist/components/index.js through package.json
 * "exports") and declares one gateway proxy and one upstream. Plain JavaScript, type-checked against
 * the package's .d.ts files (`// @ts-check`, test/consumer/tsconfig.json).
 */
"use strict";
const pulumi = require("@pulumi/pulumi");
const { GatewayProxy, KeepaliveUpstream } = require("gloo-keepalive");

// A value that comes from elsewhere (another resource or stack): the NLB idle timeout.
const lbIdleTimeout = pulumi.output(350);

const orders = new KeepaliveUpstream("orders", {
    name: "orders",
    namespace: "shop",
    host: "orders.shop.svc.cluster.local",
    port: 8080,
    tcpKeepalive: { timeSeconds: 120, intervalSeconds: 20, probes: 3 },
});

const edge = new GatewayProxy("edge", {
    name: "edgeGw",
    namespace: "edge",
    tcpKeepaliveTimeSeconds: 120,
    tcpKeepaliveIntervalSeconds: 20,
    tcpKeepaliveProbes: 3,
    loadBalancerIdleTimeoutSeconds: lbIdleTimeout,
    gatewaySettings: { tcpKeepalive: { timeSeconds: 300, intervalSeconds: 15, probes: 3 } },
});

exports.upstream = orders.ref;
exports.upstreamDetectionSeconds = orders.detectionSeconds;
exports.serviceName = edge.serviceName;
exports.bootstrapChecksum = edge.bootstrapChecksum;
exports.maxDetectionSeconds = edge.maxDetectionSeconds;
