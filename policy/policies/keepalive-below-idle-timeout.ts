/**
 * On every hop the keepalive time in force (the OS default 7200 s where it is unset) stays at
 * least `marginSeconds` below the idle timeout of the load balancer or NAT in front
 * (`loadBalancerIdleTimeoutSeconds`, 350 s for an AWS NLB): otherwise the balancer forgets an
 * idle connection before the first probe, and the next packet gets a RST.
 */
import { LINUX_KEEPALIVE_DEFAULTS } from "../../components/keepalive";
import { LB_IDLE_TIMEOUT_ANNOTATION } from "../../components/render/middlebox";
import { idleTimeoutConfigSchema, type IdleTimeoutConfig } from "../lib/config";
import { fieldSetting, HOP_KIND_NAMES, hopsWithKeepalive, valuesHint } from "../lib/hops";
import { CONFIG_MAP, GATEWAY, UPSTREAM, type Violation } from "../lib/objects";
import { resourcePolicy, violation, type ResourceRule } from "../lib/rule";

/** The proxy's own balancer, from the annotation the renderer puts on its ConfigMap and Gateways. */
function proxyIdleTimeout(object: unknown): number | undefined {
    const annotations = (object as { metadata?: { annotations?: Record<string, unknown> } }).metadata?.annotations;
    const value = Number(annotations?.[LB_IDLE_TIMEOUT_ANNOTATION]);
    return Number.isInteger(value) && value > 0 ? value : undefined;
}

export const idleTimeoutRule: ResourceRule<IdleTimeoutConfig> = {
    name: "keepalive-below-idle-timeout",
    description:
        "On every hop (static clusters, Gateway TCP_KEEPIDLE, Upstream keepaliveTime) the keepalive time in force, the OS default 7200 s when unset, is at least marginSeconds below the load balancer idle timeout: the proxy's own (the gloo-keepalive.io/load-balancer-idle-timeout-seconds annotation, from its loadBalancerIdleTimeoutSeconds value), else loadBalancerIdleTimeoutSeconds.",
    enforcementLevel: "mandatory",
    configSchema: idleTimeoutConfigSchema,
    remediationSteps: "Lower the hop's keepalive time to at most loadBalancerIdleTimeoutSeconds - marginSeconds.",
    types: [CONFIG_MAP, GATEWAY, UPSTREAM],

    check(target, config): Violation[] {
        const idle = proxyIdleTimeout(target.object) ?? config.loadBalancerIdleTimeoutSeconds;
        const limit = idle - config.marginSeconds;
        return hopsWithKeepalive(target.object, target.type).flatMap((hop) => {
            const set = hop.keepalive.timeSeconds !== undefined;
            const time = hop.keepalive.timeSeconds ?? LINUX_KEEPALIVE_DEFAULTS.timeSeconds;
            if (time <= limit) return [];
            return [
                violation(this, target, {
                    path: set ? hop.fieldPaths.timeSeconds : hop.path,
                    message: `${HOP_KIND_NAMES[hop.kind]} "${hop.name}": keepalive time ${time}s${set ? "" : " (unset: the OS default)"} is not at least ${config.marginSeconds}s below the load balancer idle timeout ${idle}s, so an idle connection can be dropped before its first probe`,
                    fix:
                        limit >= 1
                            ? `set ${fieldSetting(hop.kind, "timeSeconds", limit)} or lower (${valuesHint(hop.kind, "timeSeconds")})`
                            : `marginSeconds ${config.marginSeconds} leaves no room below ${idle}s: lower marginSeconds in the policy config`,
                }),
            ];
        });
    },
};

export const keepaliveBelowIdleTimeout = resourcePolicy(idleTimeoutRule);
