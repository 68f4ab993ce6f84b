/**
 * Reading values the way `pulumi up` will: from the stack file `Pulumi.<env>.yaml`,
 * config key `gloo-keepalive:values` (plus `gloo-keepalive:namespace` and `:releaseName`).
 */
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { isPlainObject, ValuesError } from "./values";
import { decodeValuesText, parseValuesText } from "./yaml-reader";

/** The Pulumi project name, and so the config namespace of every key. */
export const CONFIG_NAMESPACE = "gloo-keepalive";

export interface StackConfig {
    /** `gloo-keepalive:values`: the values, in the chart's shape. */
    values: unknown;
    /** `gloo-keepalive:namespace`. */
    namespace?: string;
    /** `gloo-keepalive:releaseName`. */
    releaseName?: string;
}

/**
 * Parse one values file (components/values/yaml-reader.ts): a problem is a ValuesError at
 * `file:line:col`. Plain scalars that helm (YAML 1.1) would read differently — `yes`/`no`/`on`/`off`,
 * `010`, `6_0` — are refused, so the chart and the library always see the same values.
 */
export function parseYamlFile(file: string): unknown {
    let bytes: Buffer;
    try {
        bytes = readFileSync(file);
    } catch (e) {
        throw new ValuesError([{ path: file, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
    }
    return parseValuesText(decodeValuesText(bytes, file), file);
}

export function stackFile(stack: string, dir: string = process.cwd()): string {
    return path.join(dir, `Pulumi.${stack}.yaml`);
}

/** The config of a stack as the stack program reads it. */
export function readStackConfig(stack: string, dir: string = process.cwd()): StackConfig {
    const file = stackFile(stack, dir);
    if (!existsSync(file))
        throw new ValuesError([{ path: file, message: `no such stack file (stacks are Pulumi.<stack>.yaml in ${dir})` }]);
    const doc = parseYamlFile(file);
    const config = isPlainObject(doc) && isPlainObject(doc.config) ? doc.config : {};
    const key = (name: string) => `${CONFIG_NAMESPACE}:${name}`;
    const str = (name: string): string | undefined => {
        const value = config[key(name)];
        if (value === undefined) return undefined;
        if (typeof value !== "string") throw new ValuesError([{ path: `${file} config.${key(name)}`, message: "must be a string" }]);
        return value;
    };
    return { values: config[key("values")] ?? {}, namespace: str("namespace"), releaseName: str("releaseName") };
}
