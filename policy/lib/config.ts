/**
 * Policy configuration: the JSON schemas (with their defaults) the policies declare as
 * `configSchema`, and one function that fills the defaults in. Pulumi hands a policy only the
 * keys a `--policy-pack-config` file sets, so every policy resolves its config through
 * `resolveConfig`; the offline check does the same with the same schemas.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { KEEPALIVE_FIELD_NAMES, KEEPALIVE_FIELDS, MAX_IDLE_TIMEOUT_SECONDS, type EffectiveTcpKeepalive } from "../../components/keepalive";
import { isPlainObject } from "./objects";

/** What remediation writes where keepalive is missing: 60/20/3 detects a dead peer in 120 s, well below a 350 s NLB. */
export const DEFAULT_KEEPALIVE: EffectiveTcpKeepalive = { timeSeconds: 60, intervalSeconds: 20, probes: 3 };

const FIELD_MEANINGS: Record<keyof EffectiveTcpKeepalive, string> = {
    timeSeconds: "Seconds idle before the first probe",
    intervalSeconds: "Seconds between probes",
    probes: "Unanswered probes before the connection is dropped",
};

/** Each field's meaning and its names (socket option, Envoy, Gloo), from KEEPALIVE_FIELDS. */
const fieldDescription = (field: keyof EffectiveTcpKeepalive) => {
    const f = KEEPALIVE_FIELDS[field];
    return `${FIELD_MEANINGS[field]} (${f.socketOption}, ${f.envoy}, ${f.gloo}).`;
};

/** `defaultKeepalive`: each field within the kernel's bounds (KEEPALIVE_FIELDS). */
export const defaultKeepaliveSchema: PolicyConfigJSONSchema = {
    type: "object",
    description: 'The keepalive remediation fills in where a hop has none (enforcementLevel "remediate").',
    properties: Object.fromEntries(
        KEEPALIVE_FIELD_NAMES.map((field) => [
            field,
            {
                type: "integer",
                minimum: KEEPALIVE_FIELDS[field].min,
                maximum: KEEPALIVE_FIELDS[field].max,
                default: DEFAULT_KEEPALIVE[field],
                description: fieldDescription(field),
            },
        ]),
    ),
    additionalProperties: false,
    default: { ...DEFAULT_KEEPALIVE },
};

export interface RemediationConfig {
    defaultKeepalive: EffectiveTcpKeepalive;
}

export const remediationConfigSchema: PolicyConfigSchema = { properties: { defaultKeepalive: defaultKeepaliveSchema } };

export interface IdleTimeoutConfig {
    loadBalancerIdleTimeoutSeconds: number;
    /** Unset: hops to upstreams and static clusters are checked only against their proxy's own egress box (its annotation). */
    egressIdleTimeoutSeconds?: number;
    /** Unset: the xDS and built-in clusters are checked only against their proxy's own control-plane box (its annotation). */
    controlPlaneIdleTimeoutSeconds?: number;
    marginSeconds: number;
}

const idleSeconds = (description: string, defaultValue?: number): PolicyConfigJSONSchema => ({
    type: "integer",
    minimum: 1,
    maximum: MAX_IDLE_TIMEOUT_SECONDS,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    description,
});

export const idleTimeoutConfigSchema: PolicyConfigSchema = {
    properties: {
        loadBalancerIdleTimeoutSeconds: idleSeconds(
            "Idle timeout of the L4 load balancer in front of proxies whose Gateways carry no load balancer of their own (AWS NLB 350, Azure LB 240, GCP 600).",
            350,
        ),
        egressIdleTimeoutSeconds: idleSeconds(
            "Idle timeout of the middlebox between the proxies and their upstreams and static clusters (AWS NAT gateway 350), for objects that carry none of their own. Unset: not checked.",
        ),
        controlPlaneIdleTimeoutSeconds: idleSeconds(
            "Idle timeout of the middlebox between the proxies and the xDS server (kube-proxy IPVS 900), for bootstraps that carry none of their own. Unset: not checked.",
        ),
        marginSeconds: {
            type: "integer",
            minimum: 0,
            maximum: 86400,
            default: 30,
            description: "Keepalive time must be at least this many seconds below the idle timeout.",
        },
    },
};

export interface HttpIdleTimeoutConfig {
    /** For Gateways that carry no load balancer of their own but sit behind an L7 one; unset: those are not checked. */
    loadBalancerIdleTimeoutSeconds?: number;
    marginSeconds: number;
}

export const httpIdleTimeoutConfigSchema: PolicyConfigSchema = {
    properties: {
        loadBalancerIdleTimeoutSeconds: idleSeconds(
            "Idle timeout of the L7 load balancer (AWS ALB 60, GCP 600, Cloudflare 900) in front of proxies whose Gateways carry no load balancer of their own. Unset: those Gateways are not checked.",
        ),
        marginSeconds: {
            type: "integer",
            minimum: 1,
            maximum: 86400,
            default: 1,
            description: "The Gateway's HTTP idle timeout must be at least this many seconds longer than the balancer's.",
        },
    },
};

export interface DetectionConfig {
    maxDetectionSeconds: number;
}

export const detectionConfigSchema: PolicyConfigSchema = {
    properties: {
        maxDetectionSeconds: {
            type: "integer",
            minimum: 1,
            default: 900,
            description: "Most seconds a dead peer may go undetected: time + interval × probes (OS defaults 7200/75/9 for unset fields).",
        },
    },
};

export const noConfigSchema: PolicyConfigSchema = { properties: {} };

function withDefaults(schema: PolicyConfigJSONSchema | boolean, value: unknown): unknown {
    if (typeof schema === "boolean") return value;
    const filled = value === undefined ? schema.default : value;
    if (!schema.properties || !(isPlainObject(filled) || filled === undefined)) return filled;
    const out: Record<string, unknown> = { ...(isPlainObject(filled) ? filled : {}) };
    for (const [key, sub] of Object.entries(schema.properties)) {
        const v = withDefaults(sub, out[key]);
        if (v !== undefined) out[key] = v;
    }
    return out;
}

/**
 * A policy's config with every default from its schema filled in, at every depth (a partial
 * `defaultKeepalive: { timeSeconds: 45 }` keeps the defaults for interval and probes).
 * `enforcementLevel` is not config and is dropped.
 */
export function resolveConfig<C>(schema: PolicyConfigSchema, raw: object | undefined): C {
    const { enforcementLevel: _level, ...given } = (isPlainObject(raw) ? { ...raw } : {}) as Record<string, unknown>;
    return withDefaults({ type: "object", properties: schema.properties }, given) as C;
}
