/**
 * Load balancers in front of a gateway proxy, with the idle timeouts their vendors document
 * (see README, "Load balancers").
 */
/** Load balancer types, by the names their vendors use. */
export type LoadBalancerType =
    | "aws-nlb"
    | "aws-alb"
    | "aws-clb-tcp"
    | "aws-clb-http"
    | "gcp-passthrough"
    | "gcp-application"
    | "azure-lb"
    | "cloudflare"
    | "custom-l4"
    | "custom-l7";

/** What a type of load balancer does with idle connections, from its vendor's documentation. */
export interface LoadBalancerSpec {
    /** 4: passes TCP through (keepalive probes refresh its idle timer); 7: ends the client's connection (they never do). */
    layer: 4 | 7;
    /** Its idle timeout when not configured; undefined: the type has none (custom), so it must be given. */
    defaultIdleTimeoutSeconds?: number;
    /** The range its idle timeout can be configured to (min = max: fixed). */
    minIdleTimeoutSeconds: number;
    maxIdleTimeoutSeconds: number;
    /** The product and the documented numbers. */
    description: string;
}

/** The largest idle timeout a custom balancer or a middlebox may be given (one day). */
export const MAX_IDLE_TIMEOUT_SECONDS = 86400;

export const LOAD_BALANCER_TYPES: Readonly<Record<LoadBalancerType, LoadBalancerSpec>> = {
    "aws-nlb": {
        layer: 4,
        defaultIdleTimeoutSeconds: 350,
        minIdleTimeoutSeconds: 60,
        maxIdleTimeoutSeconds: 6000,
        description: "AWS Network Load Balancer (TCP): 350 s by default, 60-6000 s (TLS listeners fixed at 350 s)",
    },
    "aws-alb": {
        layer: 7,
        defaultIdleTimeoutSeconds: 60,
        minIdleTimeoutSeconds: 1,
        maxIdleTimeoutSeconds: 4000,
        description: "AWS Application Load Balancer: 60 s by default, 1-4000 s",
    },
    "aws-clb-tcp": {
        layer: 4,
        defaultIdleTimeoutSeconds: 60,
        minIdleTimeoutSeconds: 1,
        maxIdleTimeoutSeconds: 4000,
        description: "AWS Classic Load Balancer, TCP/SSL listeners: 60 s by default, 1-4000 s",
    },
    "aws-clb-http": {
        layer: 7,
        defaultIdleTimeoutSeconds: 60,
        minIdleTimeoutSeconds: 1,
        maxIdleTimeoutSeconds: 4000,
        description: "AWS Classic Load Balancer, HTTP/HTTPS listeners: 60 s by default, 1-4000 s",
    },
    "gcp-passthrough": {
        layer: 4,
        defaultIdleTimeoutSeconds: 600,
        minIdleTimeoutSeconds: 600,
        maxIdleTimeoutSeconds: 57600,
        description: "GCP passthrough Network Load Balancer: connection tracking 600 s by default, up to 16 h",
    },
    "gcp-application": {
        layer: 7,
        defaultIdleTimeoutSeconds: 600,
        minIdleTimeoutSeconds: 600,
        maxIdleTimeoutSeconds: 600,
        description: "GCP Application Load Balancer (GFE): backend keepalive fixed at 600 s",
    },
    "azure-lb": {
        layer: 4,
        defaultIdleTimeoutSeconds: 240,
        minIdleTimeoutSeconds: 240,
        maxIdleTimeoutSeconds: 1800,
        description: "Azure Load Balancer: 4 min by default, 4-30 min on inbound rules",
    },
    cloudflare: {
        layer: 7,
        defaultIdleTimeoutSeconds: 900,
        minIdleTimeoutSeconds: 900,
        maxIdleTimeoutSeconds: 900,
        description: "Cloudflare proxy to origin: idle 900 s (TCP keepalive every 30 s on its own side)",
    },
    "custom-l4": {
        layer: 4,
        minIdleTimeoutSeconds: 1,
        maxIdleTimeoutSeconds: MAX_IDLE_TIMEOUT_SECONDS,
        description: "Any L4 (passthrough) balancer: give its idle timeout",
    },
    "custom-l7": {
        layer: 7,
        minIdleTimeoutSeconds: 1,
        maxIdleTimeoutSeconds: MAX_IDLE_TIMEOUT_SECONDS,
        description: "Any L7 (HTTP) balancer or proxy: give its idle timeout",
    },
};

export const LOAD_BALANCER_TYPE_NAMES = Object.keys(LOAD_BALANCER_TYPES) as LoadBalancerType[];

/** The `loadBalancer` value of a proxy. */
export interface LoadBalancer {
    /** What kind of balancer sits in front of the proxy. */
    type: LoadBalancerType;
    /** Its idle timeout; default: the type's documented default (required for custom types). */
    idleTimeoutSeconds?: number;
}

/** Why a load balancer's idle timeout is not acceptable for its type, or undefined. */
export function loadBalancerIdleProblem(type: LoadBalancerType, idle: number | undefined): string | undefined {
    const spec = LOAD_BALANCER_TYPES[type];
    if (idle === undefined) {
        return spec.defaultIdleTimeoutSeconds === undefined
            ? `a ${type} load balancer has no documented idle timeout: set idleTimeoutSeconds`
            : undefined;
    }
    if (idle < spec.minIdleTimeoutSeconds || idle > spec.maxIdleTimeoutSeconds) {
        const range =
            spec.minIdleTimeoutSeconds === spec.maxIdleTimeoutSeconds
                ? `fixed at ${spec.minIdleTimeoutSeconds} s`
                : `${spec.minIdleTimeoutSeconds}..${spec.maxIdleTimeoutSeconds} s`;
        return `${idle} is outside the idle timeout of a ${type} load balancer (${range}: ${spec.description})`;
    }
    return undefined;
}
