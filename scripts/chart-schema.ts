/**
 * The chart's values.schema.json: the library's values schema (components/values/schema.ts)
 * with what the library checks beyond it, so that helm refuses the same values at the same
 * path: every `envoyStaticClusters` item against Envoy's Cluster (scripts/envoy-json-schema.ts,
 * from the descriptors the library walks), raw `gatewaySettings.options` against the Gloo
 * Gateway CRD's ListenerOptions (as components/checks/gloo-crds.ts reads it), and proxy names
 * that are not plain data refused. Shared parts (a proxy entry, Envoy messages) are written once
 * under `definitions` and referred to by `$ref`. The library does not read this file.
 */
import { crdValidatorSpec } from "../components/checks/gloo-crds";
import { NOT_DATA_KEYS } from "../components/values/yaml-reader";
import { gatewayProxySchema, valuesSchema } from "../components/values/schema";
import { EnvoySchemaGenerator, type Schema } from "./envoy-json-schema";

const CLUSTER = "envoy.config.cluster.v3.Cluster";
const LISTENER_OPTIONS = "gateway.solo.io.v1.Gateway.spec.options";
const GATEWAY_PROXY = "gatewayProxy";

/**
 * The Gloo Gateway CRD's schema of `spec.options`, as the library checks raw options, and the
 * subschemas it shares (`#/definitions/shared-N`), renamed under LISTENER_OPTIONS for the chart's
 * definitions.
 */
function listenerOptionsSchema(): { options: Schema; shared: Record<string, Schema> } {
    const spec = crdValidatorSpec("gateway.solo.io/v1", "Gateway", "options");
    if (!spec) throw new Error("the Gloo Gateway CRD is missing from components/crds/");
    const schema = spec.schema() as { properties: { spec: { properties: { options: Schema } } }; definitions?: Record<string, Schema> };
    const rename = (node: unknown): unknown => {
        if (Array.isArray(node)) return node.map(rename);
        if (!isObject(node)) return node;
        return Object.fromEntries(
            Object.entries(node).map(([k, v]) => [
                k,
                k === "$ref" && typeof v === "string" ? v.replace("#/definitions/", `#/definitions/${LISTENER_OPTIONS}.`) : rename(v),
            ]),
        );
    };
    const shared = Object.fromEntries(
        Object.entries(schema.definitions ?? {}).map(([k, v]) => [`${LISTENER_OPTIONS}.${k}`, rename(v) as Schema]),
    );
    return { options: rename(schema.properties.spec.properties.options) as Schema, shared };
}

const isObject = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

/** The library's values schema, with the checks above laid into it. */
export function chartValuesSchema(): Schema {
    const envoy = new EnvoySchemaGenerator();
    const cluster = envoy.ref(CLUSTER);
    const definitions: Record<string, Schema> = {};

    const lay = (node: unknown, key?: string): unknown => {
        if (Array.isArray(node)) return node.map((n) => lay(n));
        if (!isObject(node)) return node;
        if (node === gatewayProxySchema && key === "additionalProperties") {
            definitions[GATEWAY_PROXY] ??= lay(node) as Schema;
            return { $ref: `#/definitions/${GATEWAY_PROXY}` };
        }
        const out: Schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, lay(v, k)]));
        const properties = out.properties as Record<string, Schema> | undefined;
        const clusters = properties?.envoyStaticClusters;
        if (clusters && isObject(clusters.items)) {
            properties!.envoyStaticClusters = { ...clusters, items: { allOf: [clusters.items, cluster] } };
        }
        const options = properties?.gatewaySettings && (properties.gatewaySettings.properties as Record<string, Schema>)?.options;
        if (options && !options.allOf) {
            (properties!.gatewaySettings.properties as Record<string, Schema>).options = {
                ...options,
                allOf: [{ $ref: `#/definitions/${LISTENER_OPTIONS}` }],
            };
        }
        if (key === "propertyNames" && out.pattern !== undefined) out.not = { enum: [...NOT_DATA_KEYS] };
        return out;
    };

    const schema = lay(valuesSchema) as Schema;
    const { options, shared } = listenerOptionsSchema();
    definitions[LISTENER_OPTIONS] = options;
    Object.assign(definitions, shared);
    return { ...schema, definitions: { ...definitions, ...envoy.definitions } };
}
