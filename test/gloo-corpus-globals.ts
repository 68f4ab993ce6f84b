/**
 * The corpus's keys Gloo's gateway-proxy templates read from its global values (gateway.enabled,
 * global.additionalLabels), drawn from a generator of their own so the rest of the corpus stays as it was.
 */
import type { GlooKeepaliveValues } from "../components/values/types";
import type { Gen } from "./value-generator";

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
}
