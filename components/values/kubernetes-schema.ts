/**
 * Kubernetes' own rules for values that become Kubernetes fields, as JSON Schema (RE2 and
 * JavaScript regular expressions alike), so that helm (values.schema.json) and the library (ajv)
 * refuse what the API server or the kubelet would: annotation keys and sizes, image references,
 * resource quantities, DNS names.
 */
/** The part of JSON Schema these rules use (a subset of ./schema's JsonSchema, which imports this file). */
interface JsonSchema {
    type?: "object" | "array" | "string";
    description?: string;
    pattern?: string;
    minimum?: number;
    maxLength?: number;
    propertyNames?: JsonSchema;
    additionalProperties?: boolean | JsonSchema;
    properties?: Record<string, JsonSchema>;
}

const DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
/** A DNS-1123 subdomain (a Kubernetes annotation key's prefix). */
const DNS_SUBDOMAIN = `${DNS_LABEL}(\\.${DNS_LABEL})*`;
/** A qualified name: an optional DNS prefix and `/`, then at most 63 characters. */
const QUALIFIED_NAME = `(${DNS_SUBDOMAIN}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?`;
/** The API server's limit on the annotations of one object, and so on any one value. */
export const ANNOTATIONS_MAX_BYTES = 262144;

/** Annotations: qualified-name keys, string values within the API server's size limit. */
export function annotationsSchema(description: string): JsonSchema {
    return {
        type: "object",
        description,
        propertyNames: {
            description: "annotation key (an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_', '.')",
            pattern: `^${QUALIFIED_NAME}$`,
            maxLength: 317,
        },
        additionalProperties: { type: "string", maxLength: ANNOTATIONS_MAX_BYTES },
    };
}

/** A host name (DNS names, case-insensitive, at most 253 characters) or an IP address. */
export const HOST_PATTERN =
    "^([A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*\\.?$|^\\[?[0-9A-Fa-f:.]+\\]?$";
export const HOST_MAX_LENGTH = 253;

/** Image reference parts, as the container runtimes parse them (distribution/reference). */
export const IMAGE_REGISTRY_PATTERN = "^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]+)?(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$";
export const IMAGE_REPOSITORY_PATTERN = "^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$";
export const IMAGE_TAG_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";
/** An image digest as the runtimes verify it: the algorithm and its whole hex encoding. */
export const IMAGE_DIGEST_PATTERN = "^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$";
/** The most characters of an image name (registry and repository), as distribution/reference allows. */
export const IMAGE_NAME_MAX_LENGTH = 255;

/** A Kubernetes resource quantity that is not negative ("500m", "1.5Gi", "2"); a number is taken as is. */
const QUANTITY: JsonSchema = {
    description: "resource quantity",
    pattern: "^([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?$",
    minimum: 0,
};
const QUANTITIES: JsonSchema = {
    type: "object",
    propertyNames: { description: "resource name (e.g. cpu, memory, ephemeral-storage, example.com/gpu)", pattern: `^${QUALIFIED_NAME}$` },
    additionalProperties: QUANTITY,
};

/** Container resources as in Kubernetes: limits and requests of quantities, and claims. */
export function resourcesSchema(description: string): JsonSchema {
    return {
        type: "object",
        description,
        additionalProperties: false,
        properties: {
            limits: { ...QUANTITIES, description: "Resource limits." },
            requests: { ...QUANTITIES, description: "Resource requests." },
            claims: { type: "array", description: "Resource claims (dynamic resource allocation)." },
        },
    };
}
