/**
 * The corpus's keys Gloo's gateway-proxy templates read from its global values (gateway.enabled,
 * ...), drawn from a generator of their own so the rest of the corpus stays as it was.
 */
import type { GlooKeepaliveValues } from "../components/values/types";
import type { Gen } from "./value-generator";

/** Adds the global keys a batch shares. */
export function addGlobalKeys(g: Gen, values: GlooKeepaliveValues): void {
    if (g.chance(0.1)) values.gateway = { ...values.gateway, enabled: false };
}
