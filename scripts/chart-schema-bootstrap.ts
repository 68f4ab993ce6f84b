/**
 * Envoy's schemas of the bootstrap parts a proxy's values write (components/render/bootstrap-gloo.ts),
 * for the chart's values.schema.json: each value against the Bootstrap field it renders to, from the
 * descriptors the library walks (scripts/envoy-json-schema.ts, the messages shared with the
 * static clusters' Cluster). `envoyOverloadManager` is written in Gloo's camelCase keys and
 * checked when it is enabled, with Gloo's defaults for the keys left out (`buffer_factory_config:
 * {}`, no resource monitors) refused where Envoy refuses them. `customStaticLayer` gets no schema
 * here: the static layer is a Struct (any map), the library renders only a map and leaves anything
 * else out, and the keys Gloo writes itself are refused by the chart's template (_bootstrap-gloo.tpl).
 */
import { GLOO_BOOTSTRAP_CONSTANTS, OVERLOAD_MANAGER_FIELDS } from "../components/render/bootstrap-gloo";
import { EnvoySchemaGenerator, type Schema } from "./envoy-json-schema";

const BOOTSTRAP = "envoy.config.bootstrap.v3.Bootstrap";
const OVERLOAD_MANAGER = "envoy.config.overload.v3.OverloadManager";

/** What Gloo renders for a key left out (a missing `bufferFactoryConfig` as `{}`). */
const OVERLOAD_MANAGER_DEFAULTS: Record<string, unknown> = { ...GLOO_BOOTSTRAP_CONSTANTS.overloadDefaults, bufferFactoryConfig: {} };

/** A value JavaScript and Go templates both read as false (what `enabled` must not be to render). */
const FALSY = [false, null, 0, ""];

/** Whether a message's definition refuses an empty object (a field it requires). */
function refusesEmpty(envoy: EnvoySchemaGenerator, ref: Schema): boolean {
    const name = typeof ref.$ref === "string" ? ref.$ref.replace("#/definitions/", "") : undefined;
    const def = name === undefined ? undefined : envoy.definitions[name];
    if (!def) return false;
    const anyOfRequired = (s: Schema) => Array.isArray(s.anyOf) && (s.anyOf as Schema[]).every((a) => Array.isArray(a.required));
    return (Array.isArray(def.required) && def.required.length > 0) || ((def.allOf as Schema[] | undefined) ?? []).some(anyOfRequired);
}

/** The type a field must have where Gloo's default for it (an empty list or map) is refused, or undefined. */
function refusedDefault(envoy: EnvoySchemaGenerator, schema: Schema, value: unknown): string | undefined {
    if (Array.isArray(value)) return value.length < Number(schema.minItems ?? 0) ? "array" : undefined;
    return typeof value === "object" && value !== null && refusesEmpty(envoy, schema) ? "object" : undefined;
}

/**
 * `envoyOverloadManager`, when enabled (the library and Gloo render it only then): each key as its
 * OverloadManager field, and the keys whose Gloo default Envoy refuses required.
 */
function overloadManagerSchema(envoy: EnvoySchemaGenerator): Schema {
    const properties = Object.fromEntries(
        Object.entries(OVERLOAD_MANAGER_FIELDS).map(([key, field]) => [key, envoy.fieldSchema(OVERLOAD_MANAGER, field)]),
    );
    const required: Record<string, Schema> = {};
    for (const [key, schema] of Object.entries(properties)) {
        const type = refusedDefault(envoy, schema, OVERLOAD_MANAGER_DEFAULTS[key]);
        if (type) required[key] = { type };
    }
    const checks: Schema[] = [{ properties }];
    if (Object.keys(required).length > 0) checks.push({ required: Object.keys(required), properties: required });
    return { if: { required: ["enabled"], properties: { enabled: { not: { enum: FALSY } } } }, then: { allOf: checks } };
}

/** The schema each bootstrap value of a proxy is checked with, by its key in the proxy's entry. */
export function bootstrapSchemas(envoy: EnvoySchemaGenerator): Record<string, Schema> {
    return {
        envoyBootstrapExtensions: envoy.fieldSchema(BOOTSTRAP, "bootstrap_extensions"),
        envoyStatsConfig: envoy.fieldSchema(BOOTSTRAP, "stats_config"),
        envoyOverloadManager: overloadManagerSchema(envoy),
    };
}
