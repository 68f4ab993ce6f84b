/**
 * Gloo's `gloo.image` helper, as the gateway-proxy templates use it for the Envoy container and
 * the SDS and istio-proxy sidecars: the container's own image merged over `global.image` (sprig's
 * `merge`: an own field that is unset, null, "", false or 0 takes global's), then
 * `registry/repository[-fips][:tag[-distroless]][@digest]`, the digest chosen by the variant.
 * The final reference is checked as the container runtimes parse it, each fault at the value path
 * its part came from. charts/gateway-proxy/templates/_image.tpl is the chart's copy of the rule.
 */
import type { ValueIssue } from "../values/issues";
import {
    IMAGE_DIGEST_PATTERN,
    IMAGE_NAME_MAX_LENGTH,
    IMAGE_REGISTRY_PATTERN,
    IMAGE_REPOSITORY_PATTERN,
    IMAGE_TAG_PATTERN,
} from "../values/kubernetes-schema";
import type { ProxyImage } from "../values/types";

/** The images Gloo builds FIPS variants of (repository `<name>-fips`) and distroless variants of (tag `<tag>-distroless`). */
export const IMAGE_CONSTANTS = {
    fipsRepositories: ["gloo-ee", "extauth-ee", "gloo-ee-envoy-wrapper", "rate-limit-ee", "discovery-ee", "sds-ee", "certgen"],
    distrolessRepositories: [
        ...["gloo", "gloo-envoy-wrapper", "discovery", "sds", "certgen", "kubectl", "access-logger", "ingress"],
        ...["gloo-ee", "extauth-ee", "gloo-ee-envoy-wrapper", "rate-limit-ee", "discovery-ee", "sds-ee", "observability-ee", "caching-ee"],
    ],
    /** Each part of a reference: its pattern, and what it is in words. */
    parts: {
        registry: {
            pattern: IMAGE_REGISTRY_PATTERN,
            why: "a host name or IP address, an optional :port, then lowercase path components",
        },
        repository: {
            pattern: IMAGE_REPOSITORY_PATTERN,
            why: "lowercase letters and digits, separated by '.', '_', '__' or '-', in '/'-separated components",
        },
        tag: { pattern: IMAGE_TAG_PATTERN, why: "at most 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'" },
        digest: { pattern: IMAGE_DIGEST_PATTERN, why: "sha256:, sha384: or sha512: and the whole lowercase hex digest" },
    },
    nameMaxLength: IMAGE_NAME_MAX_LENGTH,
} as const;
type Part = keyof typeof IMAGE_CONSTANTS.parts;

type Image = Record<string, unknown>;
const isEmpty = (v: unknown) => v === undefined || v === null || v === "" || v === false || v === 0;

/** sprig's `merge own global`: own's fields, each empty one taking global's. */
export function mergeImage(own: unknown, global: unknown): Image {
    const out: Image = { ...((own ?? {}) as Image) };
    for (const [k, v] of Object.entries((global ?? {}) as Image)) if (isEmpty(out[k])) out[k] = v;
    return out;
}

/** The parts of an image reference, as Gloo's helpers compute them. */
export interface ImageParts {
    registry: unknown;
    repository: string;
    tag: string;
    digest: string;
    /** The field the digest is taken from (by the variant). */
    digestKey: string;
}

const has = (list: readonly string[], v: unknown) => typeof v === "string" && list.includes(v);

/** Gloo's repository, tag and digest of a merged image. */
export function imageParts(i: Image): ImageParts {
    const fips = Boolean(i.fips) || has(["fips", "fips-distroless"], i.variant);
    let repository = i.repository ? String(i.repository) : "";
    if (repository && fips && has(IMAGE_CONSTANTS.fipsRepositories, i.repository)) repository += "-fips";
    let tag = i.tag ? String(i.tag) : "";
    if (tag && has(["distroless", "fips-distroless"], i.variant) && has(IMAGE_CONSTANTS.distrolessRepositories, i.repository))
        tag += "-distroless";
    const key =
        i.fips || i.variant === "fips"
            ? "fipsDigest"
            : i.variant === "distroless"
              ? "distrolessDigest"
              : i.variant === "fips-distroless"
                ? "fipsDistrolessDigest"
                : "digest";
    const digest = !i.disableDigest && i[key] ? String(i[key]) : "";
    return { registry: i.registry, repository, tag, digest, digestKey: key };
}

/** Gloo's image string: registry/repository[:tag][@digest]. */
export function imageReference(p: ImageParts): string {
    return `${p.registry ?? "%!s(<nil>)"}/${p.repository}${p.tag ? `:${p.tag}` : ""}${p.digest ? `@${p.digest}` : ""}`;
}

/** What a container takes from its image: the reference, pull policy and pull secret. */
export interface ContainerImage {
    ref: string;
    pullPolicy: ProxyImage["pullPolicy"];
    pullSecret?: string;
}

/** A container's image, its own fields over `global.image`. */
export function glooImage(own: unknown, global: unknown): ContainerImage {
    const merged = mergeImage(own, global);
    const pullSecret = merged.pullSecret ? String(merged.pullSecret) : undefined;
    return {
        ref: imageReference(imageParts(merged)),
        pullPolicy: merged.pullPolicy as ProxyImage["pullPolicy"],
        ...(pullSecret ? { pullSecret } : {}),
    };
}

/** Gloo's `gloo.pullSecret` of the pod: the Envoy image's pull secret, if any. */
export function imagePullSecrets(image: ContainerImage): { imagePullSecrets?: { name: string }[] } {
    return image.pullSecret ? { imagePullSecrets: [{ name: image.pullSecret }] } : {};
}

/**
 * The faults of a container's final image reference, each at the value path of the part at
 * fault: the container's own field when set, else global.image's.
 */
export function imageIssues(own: unknown, ownPath: string, global: unknown): ValueIssue[] {
    const o = (own ?? {}) as Image;
    const g = (global ?? {}) as Image;
    const merged = mergeImage(o, g);
    const parts = imageParts(merged);
    const ref = imageReference(parts);
    // The container's own field when set (or set null), else global.image's when it has the key.
    const pathOf = (k: string) => (!isEmpty(o[k]) || k in o || !(k in g) ? `${ownPath}.${k}` : `global.image.${k}`);
    const checks: [string, unknown, Part][] = [
        [pathOf("registry"), parts.registry, "registry"],
        [pathOf("repository"), parts.repository, "repository"],
    ];
    if (parts.tag) checks.push([pathOf("tag"), parts.tag, "tag"]);
    if (parts.digest) checks.push([pathOf(parts.digestKey), parts.digest, "digest"]);
    const issues: ValueIssue[] = [];
    for (const [path, value, part] of checks) {
        const { pattern, why } = IMAGE_CONSTANTS.parts[part];
        if (typeof value === "string" && new RegExp(pattern).test(value)) continue;
        const shown = value === undefined || value === null || value === "" ? `no ${part}` : `the ${part} ${JSON.stringify(value)}`;
        issues.push({ path, message: `the image reference ${JSON.stringify(ref)} has ${shown}; a ${part} is ${why}` });
    }
    const name = `${String(parts.registry)}/${parts.repository}`;
    if (issues.length === 0 && name.length > IMAGE_CONSTANTS.nameMaxLength)
        issues.push({
            path: pathOf("repository"),
            message: `the image name ${JSON.stringify(name)} has ${name.length} characters; at most ${IMAGE_CONSTANTS.nameMaxLength}`,
        });
    return issues;
}
