/**
 * The corpus's keys Gloo's gateway-proxy templates read from its global values (gateway.enabled,
 * global.additionalLabels, global.image's variants, digests and pull secret, the stats' Prometheus
 * Operator hooks) and the proxies' own image, stats and null booleans, drawn from a generator of
 * their own so the rest of the corpus stays as it was.
 */
import type { GatewayProxyValues, GlooKeepaliveValues, ProxyImage } from "../components/values/types";
import { IMAGE_VARIANTS } from "../components/values/image-schema";
import type { Gen } from "./value-generator";

const digest = (hex: string) => `sha256:${hex.repeat(64)}`;

/** Image fields as Gloo's gloo.image reads them: variant, fips, the digests, disableDigest, the pull secret. */
function imageKeys(g: Gen, own: boolean): ProxyImage {
    const image: ProxyImage = {};
    if (g.chance(0.5)) image.variant = g.pick(IMAGE_VARIANTS);
    if (g.chance(0.25)) image.fips = g.chance(0.5);
    if (g.chance(0.4)) image.digest = digest("a");
    if (g.chance(0.3)) image.fipsDigest = digest("b");
    if (g.chance(0.3)) image.distrolessDigest = digest("c");
    if (g.chance(0.3)) image.fipsDistrolessDigest = digest("d");
    if (g.chance(0.2)) image.disableDigest = g.chance(0.5);
    if (g.chance(0.3)) image.pullSecret = `pull-${g.word(2, 5)}`;
    if (own && g.chance(0.3)) image.repository = g.pick(["gloo-envoy-wrapper", "gloo-ee-envoy-wrapper"]);
    if (own && g.chance(0.1)) (image as Record<string, unknown>).tag = null; // the digest alone
    return image;
}

/** Adds the global keys a batch shares. */
export function addGlobalKeys(g: Gen, values: GlooKeepaliveValues): void {
    if (g.chance(0.1)) values.gateway = { ...values.gateway, enabled: false };
    if (g.chance(0.25))
        values.global = {
            ...values.global,
            additionalLabels: g.pick<Record<string, string>>([
                { "example.com/team": g.word() },
                { app: "edge", "example.com/env": "prod" },
                { gloo: "other", "gateway-proxy-id": "other" },
            ]),
        };
    if (g.chance(0.05)) values.gateway = { ...values.gateway, enabled: null };
    if (g.chance(0.05)) values.gateway = { ...values.gateway, upgrade: g.chance(0.8) };
    if (g.chance(0.3)) values.global = { ...values.global, image: { ...values.global?.image, ...imageKeys(g, false) } };
    if (g.chance(0.25)) {
        const glooStats = { ...values.global?.glooStats, podMonitorEnabled: g.chance(0.7), serviceMonitorEnabled: g.chance(0.5) };
        values.global = { ...values.global, glooStats };
    }
}

/** Null booleans Gloo tests with `if` (a null removes what the entry inherits: false). */
const NULLABLE: readonly (readonly string[])[] = [
    ["gatewaySettings", "enabled"],
    ["gatewaySettings", "useProxyProto"],
    ["gatewaySettings", "ipv4Only"],
    ["disableCoreDumps"],
    ["podTemplate", "runUnprivileged"],
    ["podTemplate", "enablePodSecurityContext"],
    ["podTemplate", "disableNetBind"],
];

/** Adds one entry's image, stats and null-boolean keys. */
export function addProxyKeys(g: Gen, p: GatewayProxyValues): void {
    if (g.chance(0.2)) p.podTemplate = { ...p.podTemplate, image: { ...p.podTemplate?.image, ...imageKeys(g, true) } };
    if (g.chance(0.15)) {
        const stats = {
            ...(p.stats ?? { enabled: g.chance(0.8) }),
            podMonitorEnabled: g.chance(0.7),
            serviceMonitorEnabled: g.chance(0.5),
        };
        p.stats = stats;
    }
    if (g.chance(0.1)) {
        const [first, second] = g.pick(NULLABLE);
        const entry = p as Record<string, unknown>;
        if (second === undefined) entry[first] = null;
        else entry[first] = { ...(entry[first] as Record<string, unknown> | undefined), [second]: null };
    }
}
