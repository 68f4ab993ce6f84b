/**
 * Policy configuration: the JSON schemas (with their defaults) the policies declare as
 * `configSchema`, and one function that fills the defaults in. Pulumi hands a policy only the
 * keys a `--policy-pack-config` file sets, so every policy resolves its config through
 * `resolveConfig`; the offline check does the same with the same schemas.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { KEEPALIVE_FIELD_NAMES, KEEPALIVE_FIELDS, type EffectiveTcpKeepalive } from "../../components/keepalive";
import { isPlainObject } from "./objects";

/** What remediation writes where keepalive is missing: 60/20/3 detects a dead peer in 120 s, well below a 350 s NLB. */
export const DEFAULT_KEEPALIVE: EffectiveTcpKeepalive = { timeSeconds: 60, intervalSeconds: 20, probes: 3 };

const FIELD_DESCRIPTIONS: Record<keyof EffectiveTcpKeepalive, string> = {
    timeSeconds: "Seconds idle before the first probe (TCP_KEEPIDLE, keepalive_time, keepaliveTime).",
    intervalSeconds: "Seconds between probes (TCP_KEEPINTVL, keepalive_interval, keepaliveInterval).",
    probes: "Unanswered probes before the connection is dropped (TCP_KEEPCNT, keepalive_probes, keepaliveProbes).",
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
                description: FIELD_DESCRIPTIONS[field],
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
    marginSeconds: number;
}

export const idleTimeoutConfigSchema: PolicyConfigSchema = {
    properties: {
        loadBalancerIdleTimeoutSeconds: {
            type: "integer",
            minimum: 1,
            maximum: 86400,
            default: 350,
            description: "Idle timeout of the load balancer or NAT in front of the proxies (AWS NLB 350, Azure LB 240, GCP 600).",
        },
        marginSeconds: {
            type: "integer",
            minimum: 0,
            maximum: 86400,
            default: 30,
            description: "Keepalive time must be at least this many seconds below the idle timeout.",
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
