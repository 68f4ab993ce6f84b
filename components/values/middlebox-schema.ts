/**
 * The values for what sits between the hops (the load balancer in front, egress and
 * control-plane middleboxes) and the timeouts checked against them: composed into the proxy's
 * schema and its gatewaySettings in ./schema.
 */
import {
    LOAD_BALANCER_TYPE_NAMES,
    LOAD_BALANCER_TYPES,
    MAX_IDLE_TIMEOUT_SECONDS,
    TCP_USER_TIMEOUT_MAX_SECONDS,
    type LoadBalancer,
} from "../keepalive";
import type { JsonSchema } from "./schema";
import type { GatewayProxyValues, GatewaySettings } from "./types";

const idle = (description: string): JsonSchema => ({
    type: "integer",
    description,
    minimum: 1,
    maximum: MAX_IDLE_TIMEOUT_SECONDS,
    "x-renders-to": "warnings and policy checks",
});

const userTimeout = (description: string, rendersTo: string): JsonSchema => ({
    type: "integer",
    description,
    minimum: 1,
    maximum: TCP_USER_TIMEOUT_MAX_SECONDS,
    "x-renders-to": rendersTo,
});

const loadBalancerSchema: JsonSchema = {
    type: "object",
    description:
        "The load balancer in front of the proxy. L4 types: downstream keepalive time must stay below its idle timeout. L7 types: gatewaySettings.httpIdleTimeoutSeconds must be longer than it.",
    additionalProperties: false,
    required: ["type"],
    properties: {
        type: {
            type: "string",
            description: `Its type: ${LOAD_BALANCER_TYPE_NAMES.map((t) => `${t} (L${LOAD_BALANCER_TYPES[t].layer})`).join(", ")}.`,
            enum: LOAD_BALANCER_TYPE_NAMES,
        },
        idleTimeoutSeconds: idle("Its idle timeout; default the type's (see the load balancer table), within the type's range."),
    } satisfies Record<keyof LoadBalancer, JsonSchema>,
    "x-renders-to": "warnings and policy checks (annotations on the ConfigMap and Gateways)",
};

/** Proxy-level values: the balancer, the middleboxes, TCP_USER_TIMEOUT on the clusters. */
export const middleboxProperties = {
    loadBalancer: loadBalancerSchema,
    egressIdleTimeoutSeconds: idle(
        "Idle timeout of a middlebox between the proxy and its upstreams and static clusters (AWS NAT gateway 350, Azure SNAT 240, GCP Cloud NAT 1200).",
    ),
    controlPlaneIdleTimeoutSeconds: idle(
        "Idle timeout of a middlebox between the proxy and the xDS server (kube-proxy IPVS 900, EC2 connection tracking 350).",
    ),
    tcpUserTimeoutSeconds: userTimeout(
        "TCP_USER_TIMEOUT on every static cluster and the xDS cluster: the most seconds sent data may stay unacknowledged.",
        "Cluster upstream_bind_config.socket_options: level 6 name 18, milliseconds",
    ),
} satisfies Partial<Record<keyof GatewayProxyValues, JsonSchema>>;

/** gatewaySettings values: the HTTP idle timeout and TCP_USER_TIMEOUT of the Gateways. */
export const gatewayTimeoutProperties = {
    httpIdleTimeoutSeconds: {
        type: "integer",
        description:
            "HTTP idle timeout of both Gateways (Envoy's default 3600 s); behind an L7 balancer it must be longer than the balancer's idle timeout.",
        minimum: 1,
        maximum: MAX_IDLE_TIMEOUT_SECONDS,
        "x-renders-to": "Gateway spec.httpGateway.options.httpConnectionManagerSettings.idleTimeout",
    },
    tcpUserTimeoutSeconds: userTimeout(
        "TCP_USER_TIMEOUT on downstream connections: the most seconds sent data may stay unacknowledged (Linux only).",
        "Gateway spec.options.socketOptions: level 6 name 18 (milliseconds) at STATE_PREBIND",
    ),
} satisfies Partial<Record<keyof GatewaySettings, JsonSchema>>;
