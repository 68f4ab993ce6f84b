/**
 * The stack seen per gateway proxy: every hop of the proxy has keepalive on. A proxy is known
 * from its bootstrap ConfigMap (the `gateway-proxy-id` label, else the ConfigMap name without
 * `-envoy-config`) and from the Gateways that name it in spec.proxyNames (Gloo's default
 * `gateway-proxy` without them). Its hops: the xDS and static clusters of its bootstrap, its
 * Gateways, and the stack's Upstreams (every proxy may route to every Upstream).
 */
import { noConfigSchema } from "../lib/config";
import { HOP_KIND_NAMES, readBootstrapConfigMap, readGateway, readUpstream, type HopKind, type ObjectHop } from "../lib/hops";
import { CONFIG_MAP, GATEWAY, UPSTREAM, type Violation } from "../lib/objects";
import { stackPolicy, violation, type StackRule, type Target } from "../lib/rule";

const CLUSTER_FIX = "add upstream_connection_options.tcp_keepalive to the cluster (policy envoy-bootstrap-keepalive can remediate)";
const FIX: Record<HopKind, string> = {
    xds: CLUSTER_FIX,
    "built-in-cluster": CLUSTER_FIX,
    "static-cluster": CLUSTER_FIX,
    downstream:
        "add SO_KEEPALIVE=1 and TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT to spec.options.socketOptions (gatewaySettings.tcpKeepalive; policy gateway-socket-options-keepalive can remediate)",
    upstream: "set spec.connectionConfig.tcpKeepalive (upstreams[].tcpKeepalive; policy upstream-tcp-keepalive can remediate)",
};

export const proxyHopsRule: StackRule<Record<string, never>> = {
    name: "proxy-hops-keepalive",
    description:
        "Per gateway proxy (bootstrap ConfigMap by gateway-proxy-id, Gateways by spec.proxyNames), no hop is left without keepalive: the xDS and static clusters of its bootstrap, its Gateways, and the stack's Upstreams.",
    enforcementLevel: "mandatory",
    configSchema: noConfigSchema,
    remediationSteps: "Turn keepalive on for each hop named; the per-object policies say how and can remediate.",

    check(targets: readonly Target[]): Violation[] {
        const proxies = new Map<string, { target: Target; hop: ObjectHop }[]>();
        const hopsOf = (proxy: string) => proxies.get(proxy) ?? proxies.set(proxy, []).get(proxy)!;
        const upstreams: { target: Target; hop: ObjectHop }[] = [];
        const violations: Violation[] = [];
        for (const target of targets) {
            if (target.type === CONFIG_MAP) {
                const read = readBootstrapConfigMap(target.object);
                if (!read) continue;
                const hops = hopsOf(read.proxy);
                if (read.unreadable) {
                    violations.push(
                        violation(this, target, {
                            ...read.unreadable,
                            message: `gateway proxy "${read.proxy}": its bootstrap cannot be read, so its clusters' keepalive is unknown: ${read.unreadable.message}`,
                        }),
                    );
                }
                for (const cluster of read.clusters) hops.push({ target, hop: cluster.hop });
            } else if (target.type === GATEWAY) {
                const read = readGateway(target.object);
                for (const proxy of read.proxies) hopsOf(proxy).push({ target, hop: read.hop });
            } else if (target.type === UPSTREAM) {
                upstreams.push({ target, hop: readUpstream(target.object).hop });
            }
        }
        for (const [proxy, hops] of [...proxies].sort(([a], [b]) => a.localeCompare(b))) {
            for (const { target, hop } of [...hops, ...upstreams]) {
                if (hop.enabled) continue;
                violations.push(
                    violation(this, target, {
                        path: hop.path,
                        message: `gateway proxy "${proxy}": ${HOP_KIND_NAMES[hop.kind]} "${hop.name}" has no keepalive`,
                        fix: FIX[hop.kind],
                    }),
                );
            }
        }
        return violations;
    },
};

export const proxyHopsKeepalive = stackPolicy(proxyHopsRule);
