/**
 * On every hop a dead peer is detected within `maxDetectionSeconds`: time + interval × probes,
 * with the OS defaults (7200/75/9) for unset fields. Advisory by default: how long is too long
 * is a judgement.
 */
import { detectionSeconds, effectiveKeepalive, KEEPALIVE_FIELD_NAMES, type EffectiveTcpKeepalive } from "../../components/keepalive";
import { DEFAULT_KEEPALIVE, detectionConfigSchema, type DetectionConfig } from "../lib/config";
import { fieldSetting, HOP_KIND_NAMES, hopsWithKeepalive, valuesHint } from "../lib/hops";
import { CONFIG_MAP, GATEWAY, UPSTREAM, type Violation } from "../lib/objects";
import { resourcePolicy, violation, type ResourceRule } from "../lib/rule";

/** A keepalive to show as an example that detects within `max` seconds: the default one when it does. */
export function keepaliveWithin(max: number): EffectiveTcpKeepalive | undefined {
    const d = DEFAULT_KEEPALIVE;
    if (detectionSeconds(d) <= max) return d;
    if (max < 2) return undefined; // time and interval are at least 1 s each
    const probes = max < 2 + d.probes ? 1 : d.probes;
    const timeSeconds = Math.max(1, Math.min(d.timeSeconds, Math.floor(max / 2)));
    return { timeSeconds, intervalSeconds: Math.max(1, Math.floor((max - timeSeconds) / probes)), probes };
}

export const detectionRule: ResourceRule<DetectionConfig> = {
    name: "keepalive-detection-time",
    description:
        "On every hop the worst-case dead-peer detection time, time + interval × probes (OS defaults 7200/75/9 for unset fields; with TCP_USER_TIMEOUT the first probe at or after it), is at most maxDetectionSeconds.",
    enforcementLevel: "advisory",
    configSchema: detectionConfigSchema,
    remediationSteps: "Set time, interval and probes explicitly so that time + interval × probes stays within maxDetectionSeconds.",
    types: [CONFIG_MAP, GATEWAY, UPSTREAM],

    check(target, config): Violation[] {
        return hopsWithKeepalive(target.object, target.type).flatMap((hop) => {
            const seconds = detectionSeconds(hop.keepalive, undefined, hop.tcpUserTimeoutSeconds);
            if (seconds <= config.maxDetectionSeconds) return [];
            const e = effectiveKeepalive(hop.keepalive);
            const os = (f: keyof typeof e) => (hop.keepalive[f] === undefined ? " (OS default)" : "");
            const ut = hop.tcpUserTimeoutSeconds;
            const formula =
                ut === undefined
                    ? `time ${e.timeSeconds}${os("timeSeconds")} + interval ${e.intervalSeconds}${os("intervalSeconds")} × probes ${e.probes}${os("probes")}`
                    : `TCP_USER_TIMEOUT ${ut}s, at the first probe after it: time ${e.timeSeconds}${os("timeSeconds")} + k × interval ${e.intervalSeconds}${os("intervalSeconds")}`;
            const unset = KEEPALIVE_FIELD_NAMES.filter((f) => hop.keepalive[f] === undefined);
            const example = keepaliveWithin(config.maxDetectionSeconds);
            return [
                violation(this, target, {
                    path: hop.path,
                    message: `${HOP_KIND_NAMES[hop.kind]} "${hop.name}": a dead peer goes undetected for up to ${seconds}s (${formula}), more than ${config.maxDetectionSeconds}s`,
                    fix: example
                        ? `keep time + interval × probes within ${config.maxDetectionSeconds}s${unset.length > 0 ? ", setting the unset fields explicitly" : ""}, e.g. ${KEEPALIVE_FIELD_NAMES.map((f) => fieldSetting(hop.kind, f, example[f])).join(", ")} = ${detectionSeconds(example)}s (${valuesHint(hop.kind)})`
                        : `no keepalive detects within ${config.maxDetectionSeconds}s (time and interval are at least 1 s): raise maxDetectionSeconds in the policy config`,
                }),
            ];
        });
    },
};

export const keepaliveDetectionTime = resourcePolicy(detectionRule);
