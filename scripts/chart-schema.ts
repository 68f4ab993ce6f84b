/**
 * The chart's values.schema.json: the library's values schema (components/values/schema.ts)
 * with what the library checks beyond it, so that helm refuses the same values at the same
 * path: every static and tracing cluster against Envoy's Cluster and the bootstrap values against
 * their Bootstrap fields (scripts/envoy-json-schema.ts, scripts/chart-schema-bootstrap.ts, from
 * the descriptors the library walks), the raw Gateway values (`gatewaySettings.options`, the
 * custom, hybrid and access-logging values, the tracing provider and the Gateway kube
 * overrides) against the Gloo Gateway CRD (scripts/chart-schema-gateway.ts, as
 * components/checks/gloo-crds.ts reads it), and proxy names that are not plain data refused.
 * Shared parts (a proxy entry, Envoy messages, CRD subschemas) are written once under
 * `definitions` and referred to by `$ref`. The library does not read this file.
 */
import { NOT_DATA_KEYS } from "../components/values/yaml-reader";
import { gatewayProxySchema, valuesSchema } from "../components/values/schema";
import { bootstrapSchemas } from "./chart-schema-bootstrap";
import { gatewaySchemas } from "./chart-schema-gateway";
import { EnvoySchemaGenerator, type Schema } from "./envoy-json-schema";

const CLUSTER = "envoy.config.cluster.v3.Cluster";
const GATEWAY_PROXY = "gatewayProxy";

const isObject = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

/** `node` (a proxy entry's schema) with `schema` required of the value at `keys` too (of each item, with `items`). */
function layAt(node: Schema, keys: readonly string[], schema: Schema): void {
    let at = node;
    for (const key of keys) {
        const next = key === "items" ? at.items : (at.properties as Record<string, Schema> | undefined)?.[key];
        if (!isObject(next)) throw new Error(`the values schema has no ${keys.join(".")} in a proxy entry`);
        at = next;
    }
    at.allOf = [...((at.allOf as Schema[] | undefined) ?? []), schema];
}

/** What the library checks of a proxy entry's values beyond the values schema, by where it is written. */
function proxyParts(envoy: EnvoySchemaGenerator, gateway: ReturnType<typeof gatewaySchemas>["ref"]): [string[], Schema][] {
    const cluster = envoy.ref(CLUSTER);
    return [
        [["envoyStaticClusters", "items"], cluster],
        [["tracing", "cluster", "items"], cluster],
        [["tracing", "provider"], gateway("tracing")],
        ...Object.entries(bootstrapSchemas(envoy)).map(([key, schema]): [string[], Schema] => [[key], schema]),
        [["gatewaySettings", "options"], gateway("options")],
        [["gatewaySettings", "accessLoggingService"], gateway("accessLoggingService")],
        [["gatewaySettings", "customHttpGateway"], gateway("httpGateway")],
        [["gatewaySettings", "customHttpsGateway"], gateway("httpGateway")],
        [["gatewaySettings", "httpHybridGateway"], gateway("spec")],
        [["gatewaySettings", "httpsHybridGateway"], gateway("spec")],
        [["gatewaySettings", "httpGatewayKubeOverride"], gateway("override")],
        [["gatewaySettings", "httpsGatewayKubeOverride"], gateway("override")],
        [["failover", "kubeResourceOverride"], gateway("override")],
    ];
}

/** The library's values schema, with the checks above laid into it. */
export function chartValuesSchema(): Schema {
    const envoy = new EnvoySchemaGenerator();
    const gateway = gatewaySchemas();
    const definitions: Record<string, Schema> = {};

    const lay = (node: unknown, key?: string): unknown => {
        if (Array.isArray(node)) return node.map((n) => lay(n));
        if (!isObject(node)) return node;
        if (node === gatewayProxySchema && key === "additionalProperties") {
            if (!definitions[GATEWAY_PROXY]) {
                const proxy = lay(node) as Schema;
                for (const [keys, schema] of proxyParts(envoy, gateway.ref)) layAt(proxy, keys, schema);
                definitions[GATEWAY_PROXY] = proxy;
            }
            return { $ref: `#/definitions/${GATEWAY_PROXY}` };
        }
        const out: Schema = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, lay(v, k)]));
        if (key === "propertyNames" && out.pattern !== undefined) out.not = { enum: [...NOT_DATA_KEYS] };
        return out;
    };

    const schema = lay(valuesSchema) as Schema;
    return { ...schema, definitions: { ...definitions, ...gateway.definitions, ...envoy.definitions } };
}
