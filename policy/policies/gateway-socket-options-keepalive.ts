/**
 * Every Gloo Gateway turns keepalive on for its downstream connections with the whole set of
 * Linux socket options: SO_KEEPALIVE=1, TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT, at
 * STATE_PREBIND, each value within the kernel's bounds, none mistyped (a wrong level, a Darwin
 * number) and none twice.
 */
import { toSocketOptions } from "../../components/keepalive";
import { remediationConfigSchema, type RemediationConfig } from "../lib/config";
import { KEEPALIVE_OPTION_NUMBERS, readGateway } from "../lib/hops";
import { formatPath, GATEWAY, isPlainObject, plainCopy, type Violation } from "../lib/objects";
import { resourcePolicy, violation, type ResourceRule } from "../lib/rule";

export const gatewayKeepaliveRule: ResourceRule<RemediationConfig> = {
    name: "gateway-socket-options-keepalive",
    description:
        "Every Gloo Gateway sets SO_KEEPALIVE=1, TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT in spec.options.socketOptions with Linux numbers at STATE_PREBIND, each value within the kernel's bounds.",
    enforcementLevel: "mandatory",
    configSchema: remediationConfigSchema,
    remediationSteps:
        'Set gatewaySettings.tcpKeepalive in the gloo-keepalive values (it renders all four options), or set this policy to "remediate" to append the missing options from defaultKeepalive.',
    types: [GATEWAY],

    check(target, config): Violation[] {
        const read = readGateway(target.object);
        const violations: Violation[] = [];
        if (read.notAList) {
            violations.push(
                violation(this, target, {
                    path: read.hop.path,
                    message: "is not a list",
                    fix: "make spec.options.socketOptions a list of socket options",
                }),
            );
        } else if (read.missing.length > 0) {
            const append = toSocketOptions(config.defaultKeepalive).filter((o) =>
                read.missing.some((m) => KEEPALIVE_OPTION_NUMBERS[m].level === o.level && KEEPALIVE_OPTION_NUMBERS[m].name === o.name),
            );
            violations.push(
                violation(this, target, {
                    path: read.hop.path,
                    message: `missing ${read.missing.join(", ")}: ${
                        read.missing.includes("SO_KEEPALIVE")
                            ? "without SO_KEEPALIVE=1 downstream connections have no keepalive at all"
                            : "the missing ones fall back to the OS defaults (7200 s idle, 75 s interval, 9 probes)"
                    }`,
                    fix: `append ${append.map((o) => `{level: ${o.level}, name: ${o.name}, intValue: ${o.intValue}, state: ${o.state}}`).join(", ")} (gatewaySettings.tcpKeepalive in the gloo-keepalive values renders all four; or set this policy to "remediate")`,
                }),
            );
        }
        return [...violations, ...read.problems.map((p) => violation(this, target, p))];
    },

    remediate(target, config) {
        const read = readGateway(target.object);
        if (read.notAList || read.missing.length === 0) return undefined;
        const object = plainCopy(target.object);
        const spec = isPlainObject(object.spec) ? object.spec : (object.spec = {});
        const options = isPlainObject(spec.options) ? spec.options : (spec.options = {});
        const list = Array.isArray(options.socketOptions) ? options.socketOptions : (options.socketOptions = []);
        const changes: string[] = [];
        for (const option of toSocketOptions(config.defaultKeepalive)) {
            if (
                read.missing.some(
                    (m) => KEEPALIVE_OPTION_NUMBERS[m].level === option.level && KEEPALIVE_OPTION_NUMBERS[m].name === option.name,
                )
            ) {
                changes.push(formatPath(["spec", "options", "socketOptions", list.length]));
                list.push(option);
            }
        }
        return { object, changes };
    },
};

export const gatewaySocketOptionsKeepalive = resourcePolicy(gatewayKeepaliveRule);
