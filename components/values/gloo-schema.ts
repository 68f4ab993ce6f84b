/**
 * Gloo's own values schema (generated from Gloo's values.go by scripts/gloo-values.ts), and how
 * ours is laid over it: every key Gloo knows is accepted with Gloo's type; the keys we type more
 * tightly (keepalive, ports, names) keep our bounds. Keys Gloo does not know stay unknown.
 */
import definitions from "../generated/gloo-values.json";
import type { JsonSchema } from "./json-schema";

type Definitions = Record<string, JsonSchema & { $ref?: string }>;
const DEFINITIONS = definitions as unknown as Definitions;

/** True when a schema's type is (or includes) `type`. */
export function hasType(schema: JsonSchema | undefined, type: string): boolean {
    return ([] as unknown[]).concat(schema?.type ?? []).includes(type);
}

function inline(schema: JsonSchema & { $ref?: string }): JsonSchema {
    if (schema.$ref) {
        const { $ref, ...rest } = schema;
        return { ...inline(DEFINITIONS[$ref.split("/").pop() as string]), ...rest };
    }
    const out: JsonSchema = { ...schema };
    if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, inline(v)]));
    if (schema.items) out.items = inline(schema.items);
    if (schema.additionalProperties && typeof schema.additionalProperties === "object")
        out.additionalProperties = inline(schema.additionalProperties);
    return out;
}

/** The schema of one of Gloo's Go value types (e.g. `GatewayProxy`), references resolved. */
export function glooSchema(goType: string): JsonSchema {
    const def = DEFINITIONS[goType];
    if (!def) throw new Error(`no Gloo value type ${goType}`);
    return inline(def);
}

/**
 * Our schema over Gloo's: Gloo's properties, ours added or replacing Gloo's; where both are
 * objects with properties, the same one level down. Our descriptions, bounds and `required`
 * win; an object stays closed unless Gloo's is open (a Kubernetes type).
 */
export function overGloo(gloo: JsonSchema, ours: JsonSchema): JsonSchema {
    // Where Gloo reads a null as unset, so do we (a null entry value removes what it inherits).
    const nullable = hasType(gloo, "null") && typeof ours.type === "string" ? { type: [ours.type, "null" as const] } : {};
    if (!ours.properties || !gloo.properties) return { ...ours, ...nullable };
    const properties: Record<string, JsonSchema> = { ...gloo.properties };
    for (const [key, schema] of Object.entries(ours.properties)) {
        properties[key] = gloo.properties[key] ? overGloo(gloo.properties[key], schema) : schema;
    }
    return { ...ours, ...nullable, properties };
}

/** Every Gloo key path under a schema that our schema does not itself type (documentation and the not-rendered notice). */
export function glooOnlyKeys(gloo: JsonSchema, ours: JsonSchema | undefined): string[] {
    const out: string[] = [];
    for (const [key, schema] of Object.entries(gloo.properties ?? {})) {
        const own = ours?.properties?.[key];
        if (!own) out.push(key);
        else if (schema.properties && own.properties) out.push(...glooOnlyKeys(schema, own).map((k) => `${key}.${k}`));
    }
    return out;
}

/**
 * Gloo Enterprise's top-level keys, outside Gloo's open-source values.go: the Enterprise chart
 * nests the open-source values under `gloo.` and adds these (accepted as they are; never
 * rendered here).
 */
export const GLOO_ENTERPRISE_KEYS = [
    "license_key",
    "license_secret_name",
    "create_license_secret",
    "gloo-fed",
    "gloo-ee-ui",
    "observability",
    "prometheus",
    "grafana",
    "redis",
    "rateLimit",
    "extAuth",
    "caching",
] as const;
