/**
 * Behind an L7 load balancer (AWS ALB, Classic LB in HTTP mode, GCP Application LB, Cloudflare)
 * TCP keepalive on the Gateway's sockets covers the balancer-to-proxy connection only: the
 * balancer ends the client's connection and TCP probes never refresh its idle timer. What
 * decides whether users see 502s is the order of HTTP idle timeouts: the Gateway's must be
 * longer than the balancer's, or the proxy closes a connection the balancer still reuses.
 */
import { LOAD_BALANCER_TYPES } from "../../components/keepalive";
import { ENVOY_DEFAULT_HTTP_IDLE_TIMEOUT_SECONDS, LB_IDLE_TIMEOUT_ANNOTATION } from "../../components/render/middlebox";
import { httpIdleTimeoutConfigSchema, type HttpIdleTimeoutConfig } from "../lib/config";
import { durationSeconds } from "../lib/hops";
import { formatPath, GATEWAY, isPlainObject, metadataOf, type KubeObject, type Violation } from "../lib/objects";
import { resourcePolicy, violation, type ResourceRule } from "../lib/rule";
import { annotationNumber, loadBalancerTypeOf } from "./keepalive-below-idle-timeout";

const IDLE_PATH = ["spec", "httpGateway", "options", "httpConnectionManagerSettings", "idleTimeout"];

/** The Gateway's HTTP idle timeout: its Duration, or Envoy's default when unset. */
function httpIdle(object: KubeObject): { seconds: number; set: boolean } | { problem: string } {
    let node: unknown = object;
    for (const key of IDLE_PATH) node = isPlainObject(node) ? node[key] : undefined;
    if (node === undefined || node === null) return { seconds: ENVOY_DEFAULT_HTTP_IDLE_TIMEOUT_SECONDS, set: false };
    const parsed = durationSeconds(node);
    return "problem" in parsed ? parsed : { seconds: parsed.seconds, set: true };
}

/** The L7 balancer in front of a Gateway: its own (annotations), else the config's; undefined: none to check. */
function l7Front(object: KubeObject, config: HttpIdleTimeoutConfig): { idle: number; what: string } | undefined {
    const type = loadBalancerTypeOf(object);
    const own = annotationNumber(object, LB_IDLE_TIMEOUT_ANNOTATION);
    if (type !== undefined && own !== undefined) {
        return LOAD_BALANCER_TYPES[type].layer === 7
            ? { idle: own, what: `the ${type} load balancer's idle timeout ${own}s (annotation ${LB_IDLE_TIMEOUT_ANNOTATION})` }
            : undefined;
    }
    const configured = config.loadBalancerIdleTimeoutSeconds;
    return configured === undefined
        ? undefined
        : { idle: configured, what: `the L7 load balancer's idle timeout ${configured}s (policy config loadBalancerIdleTimeoutSeconds)` };
}

export const httpIdleTimeoutRule: ResourceRule<HttpIdleTimeoutConfig> = {
    name: "http-idle-timeout-above-load-balancer",
    description:
        "Behind an L7 load balancer (the Gateway's gloo-keepalive.io/load-balancer-type annotation, else loadBalancerIdleTimeoutSeconds in the config), the Gateway's HTTP idle timeout (spec.httpGateway.options.httpConnectionManagerSettings.idleTimeout, Envoy's default 3600 s when unset) is at least marginSeconds longer than the balancer's idle timeout.",
    enforcementLevel: "mandatory",
    configSchema: httpIdleTimeoutConfigSchema,
    remediationSteps: "Set gatewaySettings.httpIdleTimeoutSeconds in the gloo-keepalive values above the balancer's idle timeout.",
    types: [GATEWAY],

    check(target, config): Violation[] {
        const front = l7Front(target.object, config);
        if (!front) return [];
        const http = httpIdle(target.object);
        const path = formatPath(IDLE_PATH);
        const want = front.idle + config.marginSeconds;
        const fix = `set idleTimeout: "${want}s" or longer (gloo-keepalive values: gatewayProxies.<proxy>.gatewaySettings.httpIdleTimeoutSeconds)`;
        if ("problem" in http) return [violation(this, target, { path, message: http.problem, fix })];
        if (http.seconds >= want) return [];
        return [
            violation(this, target, {
                path: http.set ? path : formatPath(IDLE_PATH.slice(0, 2)),
                message: `Gateway "${metadataOf(target.object).name}": HTTP idle timeout ${http.seconds}s${http.set ? "" : " (unset: Envoy's default)"} is not at least ${config.marginSeconds}s longer than ${front.what}: the proxy closes connections the balancer still reuses, and clients see 502s`,
                fix,
            }),
        ];
    },
};

export const httpIdleTimeoutAboveLoadBalancer = resourcePolicy(httpIdleTimeoutRule);
