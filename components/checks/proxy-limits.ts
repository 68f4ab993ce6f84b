/**
 * What the kernel or Envoy would refuse in values the schema leaves open: raw keepalive socket
 * options outside the kernel's bounds (wherever a user can write one), Envoy arguments that
 * replace the checked bootstrap, and two proxies rendering one object name. The chart refuses
 * the same in templates/_validate.tpl, with the same words.
 */
import { KEEPALIVE_FIELDS, SOCKET_OPTION_NUMBERS, type SocketOptionsPlatform } from "../keepalive";
import type { KubernetesObject } from "../render/manifests";
import { isPlainObject, type ValueIssue } from "../values/values";

/** The spellings of a socket option's fields: Gloo's (camelCase) or Envoy's (snake_case). */
export type SocketOptionSpelling = "gloo" | "envoy";

/**
 * Raw socket options setting TCP_KEEPIDLE, TCP_KEEPINTVL or TCP_KEEPCNT to a value the kernel
 * refuses (setsockopt fails with EINVAL, so the listener or the connection never comes up).
 */
export function rawKeepaliveOptionIssues(
    options: unknown,
    path: string,
    platform: SocketOptionsPlatform,
    spelling: SocketOptionSpelling,
): ValueIssue[] {
    if (!Array.isArray(options)) return [];
    const n = SOCKET_OPTION_NUMBERS[platform];
    const valueKey = spelling === "gloo" ? "intValue" : "int_value";
    const issues: ValueIssue[] = [];
    options.forEach((option: unknown, i) => {
        if (!isPlainObject(option) || Number(option.level) !== n.IPPROTO_TCP || !(valueKey in option)) return;
        const field = Object.values(KEEPALIVE_FIELDS).find((f) => n[f.socketOption] === Number(option.name));
        if (!field) return;
        const value = Number(option[valueKey]);
        const problem = !Number.isInteger(value)
            ? `${JSON.stringify(option[valueKey])} is not a whole number`
            : value > field.max
              ? `${value} exceeds the kernel maximum ${field.max}`
              : value < field.min
                ? `${value} is below the kernel minimum ${field.min}`
                : undefined;
        if (problem) issues.push({ path: `${path}[${i}].${valueKey}`, message: `${problem} (${field.socketOption})` });
    });
    return issues;
}

/**
 * Envoy flags that replace or loosen the bootstrap the library renders and checks (RE2 and
 * JavaScript alike, for the chart too): the flag alone, `--flag=value`, or `-cvalue`.
 */
export const BOOTSTRAP_REPLACING_ARG_PATTERN = `^(-c.*|(--config-path|--config-yaml|--mode|--allow-unknown-static-fields|--bootstrap-version)(=.*)?)$`;

export function extraEnvoyArgIssues(args: unknown, path: string): ValueIssue[] {
    if (!Array.isArray(args)) return [];
    const pattern = new RegExp(BOOTSTRAP_REPLACING_ARG_PATTERN, "s");
    return args.flatMap((arg, i) =>
        typeof arg === "string" && pattern.test(arg)
            ? [
                  {
                      path: `${path}[${i}]`,
                      message: `${JSON.stringify(arg)} would replace or loosen the checked bootstrap (/etc/envoy/envoy.yaml); remove it`,
                  },
              ]
            : [],
    );
}

/** Two proxies rendering an object of the same kind and name (e.g. `gw`'s Gateway `gw-ssl` and proxy `gwSsl`'s). */
export function duplicateObjectIssues(rendered: readonly { key: string; objects: readonly KubernetesObject[] }[]): ValueIssue[] {
    const owners = new Map<string, string>();
    const issues: ValueIssue[] = [];
    // In the order helm ranges over proxies (sorted keys), so both name the same proxy.
    for (const { key, objects } of [...rendered].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
        for (const o of objects) {
            const id = `${o.kind}/${o.metadata.name}`;
            const owner = owners.get(id);
            if (owner === undefined) owners.set(id, key);
            else if (owner !== key)
                issues.push({
                    path: `gatewayProxies.${key}`,
                    message: `renders ${id}, which gatewayProxies.${owner} renders too; rename one of the proxies`,
                });
        }
    }
    return issues;
}
