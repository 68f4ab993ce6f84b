/**
 * The Gloo Gateway CRD's schema in the chart's values.schema.json, so that helm refuses the raw
 * Gateway values the library checks against the CRD (components/render/gloo-gateway-checks.ts):
 * the whole Gateway spec once, as components/checks/gloo-crds.ts reads it, under
 * `gateway.solo.io.v1.Gateway.spec` (its repeated subschemas as `...spec.shared-N`), with the parts
 * a value renders to named beside it (`...spec.options`, `...spec.httpGateway`, ...), and the
 * Gateway a kube override is merged over (`gateway.solo.io.v1.Gateway`). The CRD has no
 * `required`: a value merged over the rendered Gateway, or laid into it, is refused by the CRD
 * exactly where it holds something the CRD refuses, so each value is checked where it is written.
 */
import { crdValidatorSpec } from "../components/checks/gloo-crds";
import { DNS_SUBDOMAIN, GATEWAY_NAME_LENGTH } from "../components/render/gloo-gateway-checks";
import type { Schema } from "./envoy-json-schema";

const GATEWAY = "gateway.solo.io.v1.Gateway";
const SPEC = `${GATEWAY}.spec`;
const DEFS = "#/definitions/";

/** The spec parts a Gateway value renders to, by their path in the spec. */
export const GATEWAY_SPEC_PARTS = {
    spec: [],
    options: ["options"],
    accessLoggingService: ["options", "accessLoggingService"],
    httpGateway: ["httpGateway"],
    tracing: ["httpGateway", "options", "httpConnectionManagerSettings", "tracing"],
} as const;

type Part = keyof typeof GATEWAY_SPEC_PARTS;

const isObject = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

/** `node` with every `#/definitions/x` renamed `#/definitions/<prefix>.x`. */
function renamed(node: unknown, prefix: string): unknown {
    if (Array.isArray(node)) return node.map((n) => renamed(n, prefix));
    if (!isObject(node)) return node;
    return Object.fromEntries(
        Object.entries(node).map(([k, v]) => [
            k,
            k === "$ref" && typeof v === "string" ? v.replace(DEFS, `${DEFS}${prefix}.`) : renamed(v, prefix),
        ]),
    );
}

/** The definitions of the Gateway CRD parts, and a `$ref` to each part. */
export function gatewaySchemas(): { definitions: Record<string, Schema>; ref: (part: Part | "override") => Schema } {
    const validator = crdValidatorSpec("gateway.solo.io/v1", "Gateway");
    if (!validator) throw new Error("the Gloo Gateway CRD is missing from components/crds/");
    const crd = validator.schema() as { properties: { spec: Schema }; definitions?: Record<string, Schema> };
    const definitions: Record<string, Schema> = Object.fromEntries(
        Object.entries(crd.definitions ?? {}).map(([k, v]) => [`${SPEC}.${k}`, renamed(v, SPEC) as Schema]),
    );
    definitions[SPEC] = renamed(crd.properties.spec, SPEC) as Schema;
    const resolve = (node: Schema): Schema => {
        const ref = node.$ref;
        return typeof ref === "string" && ref.startsWith(DEFS) ? resolve(definitions[ref.slice(DEFS.length)]) : node;
    };
    // Each part once, named after its path; where it stood, a $ref to the name.
    for (const [part, keys] of Object.entries(GATEWAY_SPEC_PARTS)) {
        if (keys.length === 0) continue;
        const parent = keys.slice(0, -1).reduce<Schema>((node, key) => resolve(propertyOf(node, key, part)), definitions[SPEC]);
        const leaf = keys[keys.length - 1];
        const name = `${SPEC}.${keys.join(".")}`;
        definitions[name] = propertyOf(resolve(parent), leaf, part);
        (resolve(parent).properties as Record<string, Schema>)[leaf] = { $ref: `${DEFS}${name}` };
    }
    definitions[GATEWAY] = overrideSchema();
    const ref = (part: Part | "override"): Schema => ({
        $ref: `${DEFS}${part === "override" ? GATEWAY : part === "spec" ? SPEC : `${SPEC}.${GATEWAY_SPEC_PARTS[part].join(".")}`}`,
    });
    return { definitions, ref };
}

function propertyOf(node: Schema, key: string, part: string): Schema {
    const child = (node.properties as Record<string, Schema> | undefined)?.[key];
    if (!isObject(child)) throw new Error(`the Gloo Gateway CRD has no ${key} on the way to ${part}`);
    return child;
}

/** What a map of metadata strings may hold (labels, annotations): strings, or null. */
const STRINGS: Schema = { type: ["object", "null"], additionalProperties: { type: ["string", "null"] } };

/**
 * A Gateway kube override, as the Gateway it is merged over must stay: a gateway.solo.io/v1
 * Gateway with a valid name and namespace, string labels and annotations, and a spec the CRD takes.
 */
function overrideSchema(): Schema {
    const name = (maxLength: number): Schema => ({ type: "string", pattern: DNS_SUBDOMAIN.source, maxLength });
    return {
        type: ["object", "null"],
        properties: {
            apiVersion: { const: "gateway.solo.io/v1" },
            kind: { const: "Gateway" },
            metadata: {
                type: "object",
                properties: {
                    name: name(GATEWAY_NAME_LENGTH.name),
                    namespace: name(GATEWAY_NAME_LENGTH.namespace),
                    labels: STRINGS,
                    annotations: STRINGS,
                },
            },
            spec: { $ref: `${DEFS}${SPEC}` },
        },
    };
}
