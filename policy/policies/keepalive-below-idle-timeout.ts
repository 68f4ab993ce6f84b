/**
 * On every hop the keepalive time in force (the OS default 7200 s where it is unset) stays at
 * least `marginSeconds` below the idle timeout of the middlebox that hop crosses, and only that
 * one: the L4 load balancer in front for a Gateway, the egress box (e.g. a NAT gateway) for
 * static clusters and Upstreams, the control-plane box (e.g. kube-proxy IPVS) for the xDS and
 * Gloo's own clusters. Otherwise the box forgets an idle connection before the first probe, and
 * the next packet gets a RST. An L7 balancer in front is not refreshed by TCP probes at all:
 * policy http-idle-timeout-above-load-balancer checks that hop.
 */
import {
    LINUX_KEEPALIVE_DEFAULTS,
    LOAD_BALANCER_TYPES,
    middleboxPlace,
    MIDDLEBOX_NAMES,
    type LoadBalancerType,
    type MiddleboxPlace,
} from "../../components/keepalive";
import {
    CONTROL_PLANE_IDLE_TIMEOUT_ANNOTATION,
    EGRESS_IDLE_TIMEOUT_ANNOTATION,
    LB_IDLE_TIMEOUT_ANNOTATION,
    LB_TYPE_ANNOTATION,
} from "../../components/render/middlebox";
import { idleTimeoutConfigSchema, type IdleTimeoutConfig } from "../lib/config";
import { fieldSetting, HOP_KIND_NAMES, hopsWithKeepalive, valuesHint, type ObjectHop } from "../lib/hops";
import { CONFIG_MAP, GATEWAY, UPSTREAM, type Violation } from "../lib/objects";
import { resourcePolicy, violation, type ResourceRule } from "../lib/rule";

/** An annotation the renderer puts on a proxy's objects, as a positive whole number. */
export function annotationNumber(object: unknown, key: string): number | undefined {
    const value = Number(annotationOf(object, key));
    return Number.isInteger(value) && value > 0 ? value : undefined;
}

export function annotationOf(object: unknown, key: string): string | undefined {
    const annotations = (object as { metadata?: { annotations?: Record<string, unknown> } }).metadata?.annotations;
    const value = annotations?.[key];
    return typeof value === "string" ? value : undefined;
}

/** The proxy's front balancer type from its annotation (undefined when absent or unknown). */
export function loadBalancerTypeOf(object: unknown): LoadBalancerType | undefined {
    const type = annotationOf(object, LB_TYPE_ANNOTATION);
    return type !== undefined && type in LOAD_BALANCER_TYPES ? (type as LoadBalancerType) : undefined;
}

const ANNOTATION: Record<MiddleboxPlace, string> = {
    "load-balancer": LB_IDLE_TIMEOUT_ANNOTATION,
    egress: EGRESS_IDLE_TIMEOUT_ANNOTATION,
    "control-plane": CONTROL_PLANE_IDLE_TIMEOUT_ANNOTATION,
};

const CONFIG_KEY = {
    "load-balancer": "loadBalancerIdleTimeoutSeconds",
    egress: "egressIdleTimeoutSeconds",
    "control-plane": "controlPlaneIdleTimeoutSeconds",
} as const satisfies Record<MiddleboxPlace, keyof IdleTimeoutConfig>;

/** The idle timeout of the L4 box a hop crosses: the object's own (annotation), else the config's; undefined: none to check. */
function boxOf(object: unknown, hop: ObjectHop, config: IdleTimeoutConfig): { place: MiddleboxPlace; idle: number } | undefined {
    const place = middleboxPlace(hop.kind, hop.name);
    if (!place) return undefined;
    const own = annotationNumber(object, ANNOTATION[place]);
    if (place === "load-balancer" && own !== undefined) {
        const type = loadBalancerTypeOf(object);
        if (type !== undefined && LOAD_BALANCER_TYPES[type].layer === 7) return undefined;
    }
    const idle = own ?? config[CONFIG_KEY[place]];
    return idle === undefined ? undefined : { place, idle };
}

export const idleTimeoutRule: ResourceRule<IdleTimeoutConfig> = {
    name: "keepalive-below-idle-timeout",
    description:
        "On every hop the keepalive time in force, the OS default 7200 s when unset, is at least marginSeconds below the idle timeout of the box that hop crosses, and only that one: a Gateway's TCP_KEEPIDLE against the L4 load balancer in front (the gloo-keepalive.io/load-balancer-idle-timeout-seconds annotation, else loadBalancerIdleTimeoutSeconds), static clusters and Upstreams against the egress box (gloo-keepalive.io/egress-idle-timeout-seconds, else egressIdleTimeoutSeconds), the xDS and Gloo's clusters against the control-plane box (gloo-keepalive.io/control-plane-idle-timeout-seconds, else controlPlaneIdleTimeoutSeconds).",
    enforcementLevel: "mandatory",
    configSchema: idleTimeoutConfigSchema,
    remediationSteps: "Lower the hop's keepalive time to at most the idle timeout of the box it crosses - marginSeconds.",
    types: [CONFIG_MAP, GATEWAY, UPSTREAM],

    check(target, config): Violation[] {
        return hopsWithKeepalive(target.object, target.type).flatMap((hop) => {
            const box = boxOf(target.object, hop, config);
            if (!box) return [];
            const limit = box.idle - config.marginSeconds;
            const set = hop.keepalive.timeSeconds !== undefined;
            const time = hop.keepalive.timeSeconds ?? LINUX_KEEPALIVE_DEFAULTS.timeSeconds;
            if (time <= limit) return [];
            const name = MIDDLEBOX_NAMES[box.place];
            return [
                violation(this, target, {
                    path: set ? hop.fieldPaths.timeSeconds : hop.path,
                    message: `${HOP_KIND_NAMES[hop.kind]} "${hop.name}": keepalive time ${time}s${set ? "" : " (unset: the OS default)"} is not at least ${config.marginSeconds}s below the ${name} idle timeout ${box.idle}s, so an idle connection can be dropped before its first probe`,
                    fix:
                        limit >= 1
                            ? `set ${fieldSetting(hop.kind, "timeSeconds", limit)} or lower (${valuesHint(hop.kind, "timeSeconds")})`
                            : `marginSeconds ${config.marginSeconds} leaves no room below ${box.idle}s: lower marginSeconds in the policy config`,
                }),
            ];
        });
    },
};

export const keepaliveBelowIdleTimeout = resourcePolicy(idleTimeoutRule);
