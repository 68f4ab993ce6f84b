/**
 * Every Gloo Upstream has `spec.connectionConfig.tcpKeepalive`: keepaliveTime and
 * keepaliveInterval as Duration strings of whole seconds ("60s"; not 60, "500ms" or "1.5s"),
 * keepaliveProbes an integer, each within the kernel's bounds.
 */
import { toGlooTcpKeepalive } from "../../components/keepalive";
import { remediationConfigSchema, type RemediationConfig } from "../lib/config";
import { readUpstream } from "../lib/hops";
import { isPlainObject, plainCopy, UPSTREAM, type Violation } from "../lib/objects";
import { resourcePolicy, violation, type ResourceRule } from "../lib/rule";

export const upstreamKeepaliveRule: ResourceRule<RemediationConfig> = {
    name: "upstream-tcp-keepalive",
    description:
        'Every Gloo Upstream has spec.connectionConfig.tcpKeepalive with keepaliveTime/keepaliveInterval as whole-second Duration strings ("60s") and an integer keepaliveProbes, within the kernel\'s bounds.',
    enforcementLevel: "mandatory",
    configSchema: remediationConfigSchema,
    remediationSteps:
        'Set upstreams[].tcpKeepalive in the gloo-keepalive values (rendered as "60s" Durations), or set this policy to "remediate" to fill a missing tcpKeepalive from defaultKeepalive.',
    types: [UPSTREAM],

    check(target, config): Violation[] {
        const read = readUpstream(target.object);
        return [
            ...(read.missing
                ? [
                      violation(this, target, {
                          path: read.hop.path,
                          message:
                              "no tcpKeepalive: connections from the proxy to this upstream are never probed, and a dead or silently dropped peer is never detected",
                          fix: `set spec.connectionConfig.tcpKeepalive, e.g. ${JSON.stringify(toGlooTcpKeepalive(config.defaultKeepalive))} (gloo-keepalive values: upstreams[].tcpKeepalive; or set this policy to "remediate")`,
                      }),
                  ]
                : []),
            ...read.problems.map((p) => violation(this, target, p)),
        ];
    },

    remediate(target, config) {
        const read = readUpstream(target.object);
        if (!read.missing) return undefined;
        const object = plainCopy(target.object);
        const spec = isPlainObject(object.spec) ? object.spec : (object.spec = {});
        const connectionConfig = isPlainObject(spec.connectionConfig) ? spec.connectionConfig : (spec.connectionConfig = {});
        connectionConfig.tcpKeepalive = toGlooTcpKeepalive(config.defaultKeepalive);
        return { object, changes: [read.hop.path] };
    },
};

export const upstreamTcpKeepalive = resourcePolicy(upstreamKeepaliveRule);
