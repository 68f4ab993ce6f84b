/**
 * Reading values the way `pulumi up` will: from the stack file `Pulumi.<env>.yaml`,
 * config key `gloo-keepalive:values` (plus `gloo-keepalive:namespace` and `:releaseName`).
 */
import { existsSync, readFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { isPlainObject, ValuesError } from "./values";

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

/** Parse one YAML document; a syntax error is a ValuesError at the file. */
export function parseYamlFile(file: string): unknown {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (e) {
        throw new ValuesError([{ path: file, message: `cannot read: ${(e as Error).message}` }]);
    }
    try {
        return yaml.load(text, { filename: file }) ?? {};
    } catch (e) {
        throw new ValuesError([{ path: file, message: `not valid YAML: ${(e as Error).message.split("\n")[0]}` }]);
    }
}

export function stackFile(stack: string, dir: string = process.cwd()): string {
    return path.join(dir, `Pulumi.${stack}.yaml`);
}

/** The config of a stack as the stack program reads it. */
export function readStackConfig(stack: string, dir: string = process.cwd()): StackConfig {
    const file = stackFile(stack, dir);
    if (!existsSync(file)) throw new ValuesError([{ path: file, message: `no such stack file (stacks are Pulumi.<stack>.yaml in ${dir})` }]);
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
