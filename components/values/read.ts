/**
 * Reading values the way `pulumi up` will: from the stack file `Pulumi.<env>.yaml`,
 * config key `gloo-keepalive:values` (plus `gloo-keepalive:namespace` and `:releaseName`).
 */
import { existsSync, readFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { formatPath, isPlainObject, ValuesError, type ValueIssue } from "./values";

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

/** A plain scalar that YAML 1.1 (helm's parser) reads differently from YAML 1.2 (ours). */
class Yaml11Scalar {
    constructor(readonly text: string) {}
}
const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const YAML11_OCTAL = /^[-+]?0[0-9_]+$/;
const yaml11Scalar = new yaml.Type("tag:gloo-keepalive,2026:yaml11", {
    kind: "scalar",
    resolve: (data: unknown) => typeof data === "string" && (YAML11_BOOL.test(data) || YAML11_OCTAL.test(data)),
    construct: (data: string) => new Yaml11Scalar(data),
});
/** js-yaml's default schema (YAML 1.2 core), with the scalars helm would read otherwise caught first. */
const DEFAULT_TYPES = yaml.DEFAULT_SCHEMA as unknown as { implicit: (yaml.Type & { tag: string })[]; explicit: yaml.Type[] };
// Timestamps stay strings, as helm (YAML through JSON) reads them: an image tag 2026-01-01 is a string.
const VALUES_SCHEMA = new yaml.Schema({
    implicit: [yaml11Scalar, ...DEFAULT_TYPES.implicit.filter((t) => t.tag !== "tag:yaml.org,2002:timestamp")],
    explicit: DEFAULT_TYPES.explicit,
});

function yaml11Issues(value: unknown, at: (string | number)[], file: string): ValueIssue[] {
    if (value instanceof Yaml11Scalar) {
        const { text } = value;
        const message = YAML11_BOOL.test(text)
            ? `the unquoted ${text} is a boolean to helm (YAML 1.1) but a string to YAML 1.2; write true/false, or quote it ("${text}")`
            : `the unquoted ${text} is octal to helm (YAML 1.1) but decimal to YAML 1.2; drop the leading zero, or quote it ("${text}")`;
        return [{ path: `${file}: ${formatPath(at)}`, message }];
    }
    if (Array.isArray(value)) return value.flatMap((v, i) => yaml11Issues(v, [...at, i], file));
    if (isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => yaml11Issues(v, [...at, k], file));
    return [];
}

/**
 * Parse one YAML document; a syntax error is a ValuesError at the file. Plain scalars that helm
 * (YAML 1.1) would read differently — `yes`/`no`/`on`/`off`, `010` — are refused, so the chart
 * and the library always see the same values.
 */
export function parseYamlFile(file: string): unknown {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (e) {
        throw new ValuesError([{ path: file, message: `cannot read: ${(e as Error).message}` }]);
    }
    let doc: unknown;
    try {
        doc = yaml.load(text, { filename: file, schema: VALUES_SCHEMA }) ?? {};
    } catch (e) {
        throw new ValuesError([{ path: file, message: `not valid YAML: ${(e as Error).message.split("\n")[0]}` }]);
    }
    const issues = yaml11Issues(doc, [], file);
    if (issues.length > 0) throw new ValuesError(issues);
    return doc;
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
