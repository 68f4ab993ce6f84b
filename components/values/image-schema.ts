/**
 * The schema of Gloo's `Image` value, as the proxy's `podTemplate.image` and `global.image` take
 * it: every field Gloo's `gloo.image` helper reads (registry, repository, tag, the per-variant
 * digests, variant, fips, pull policy and pull secret), each part bounded as the container
 * runtimes parse an image reference. components/render/gloo-image.ts renders the reference and
 * checks it whole.
 */
import type { JsonSchema } from "./json-schema";
import type { ImageVariant, ProxyImage } from "./types";
import { IMAGE_DIGEST_PATTERN, IMAGE_REGISTRY_PATTERN, IMAGE_REPOSITORY_PATTERN, IMAGE_TAG_PATTERN } from "./kubernetes-schema";

/** Gloo's image variants, as its helpers name them. */
export const IMAGE_VARIANTS: readonly ImageVariant[] = ["standard", "fips", "distroless", "fips-distroless"];

/** A Secret's name (DNS-1123 subdomain). */
const SECRET_NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

const text = (description: string, pattern: string, extra: Partial<JsonSchema> = {}): JsonSchema => ({
    type: "string",
    description,
    minLength: 1,
    pattern,
    ...extra,
});
const digest = (variant: string): JsonSchema =>
    text(`The image's digest (sha256:<64 hex>) with variant ${variant}, appended as @<digest>.`, IMAGE_DIGEST_PATTERN);

/** What each image field defaults to, where it has a default (the proxy's repository and tag, global's registry, ...). */
export type ImageDefaults = Partial<Record<keyof ProxyImage, string | boolean>>;

/** The schema of an image: `from` says where an unset field comes from, if anywhere. */
export function imageSchema(description: string, from: string | undefined, defaults: ImageDefaults = {}): JsonSchema {
    const unset = from ? ` Unset: ${from}.` : "";
    const properties: Record<keyof ProxyImage, JsonSchema> = {
        registry: text(`Image registry, e.g. quay.io/solo-io.${unset}`, IMAGE_REGISTRY_PATTERN),
        repository: text(`Image repository (name).${unset}`, IMAGE_REPOSITORY_PATTERN),
        tag: text(`Image tag (none: the digest alone).${unset}`, IMAGE_TAG_PATTERN),
        digest: digest("standard (or none)"),
        fipsDigest: digest("fips"),
        distrolessDigest: digest("distroless"),
        fipsDistrolessDigest: digest("fips-distroless"),
        disableDigest: { type: "boolean", description: "Leave every digest out of the image reference." },
        pullPolicy: { type: "string", description: `Image pull policy.${unset}`, enum: ["Always", "IfNotPresent", "Never"] },
        pullSecret: text("An image pull secret in the pod's namespace (the pod's imagePullSecrets).", SECRET_NAME_PATTERN, {
            maxLength: 253,
        }),
        variant: {
            type: "string",
            description: "standard, fips (-fips on a FIPS image's repository), distroless (-distroless on the tag) or fips-distroless.",
            enum: IMAGE_VARIANTS,
        },
        fips: { type: "boolean", description: "Deprecated: variant fips." },
    };
    for (const [key, value] of Object.entries(defaults)) properties[key as keyof ProxyImage].default = value;
    return { type: "object", description, additionalProperties: false, properties };
}
