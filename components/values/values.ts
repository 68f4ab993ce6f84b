/**
 * Values: merging (as helm and the Gloo chart do), shape validation against the values
 * schema (as helm does with values.schema.json), and the resolved proxies.
 */
import type { ErrorObject } from "ajv";
import { validatorFor, type ValidatorSpec } from "../checks/precompiled";
import { shareRepeatedSubschemas, SUBSCHEMA_SHARING } from "../checks/shared-subschemas";
import { issuesFromAjv } from "./ajv-issues";
import { formatIssue, type ValueIssue } from "./issues";
import { formatPath, isPlainObject } from "./paths";
import type { GatewayProxyValues, GlooKeepaliveValues } from "./types";
import { chartDefaultValues, DEFAULT_PROXY, valuesSchema, type JsonSchema } from "./schema";

export { cutQuoted, formatIssue, MAX_QUOTED, ValuesError, type ValueIssue } from "./issues";
export { issuesFromAjv, type AjvWording } from "./ajv-issues";
export { describe, formatPath, isJsonObject, isPlainObject, joinPath, pointerSegments } from "./paths";

/**
 * Deep-merge `over` onto `base` as the Gloo chart merges a proxy entry over the default entry:
 * maps merge key by key, lists and scalars replace, and `null` removes a key. Neither input is
 * changed; the result shares unchanged subtrees with the inputs (treat rendered values as
 * read-only). (Unlike sprig's mergeOverwrite, `false`, `0` and `""` do override.)
 */
export function mergeValues<T>(base: T, over: unknown): T {
    return merge(base, over, false) as T;
}

/**
 * Merge values files as helm does: later files win key by key, then the result is laid over the
 * chart's defaults, where `null` removes a default. A `null` with no default under it stays, and
 * the values schema refuses it, as helm's does.
 */
export function coalesceValues(defaults: unknown, layers: readonly unknown[]): unknown {
    const user = layers.reduce<unknown>((acc, layer) => merge(acc, layer ?? {}, true), {});
    return merge(defaults, user, "coalesce");
}

function merge(base: unknown, over: unknown, nulls: boolean | "coalesce"): unknown {
    if (over === undefined) return base;
    if (!isPlainObject(base) || !isPlainObject(over)) return over;
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over)) {
        if (value === undefined) continue; // absent, as in JSON
        if (value === null && (nulls === false || (nulls === "coalesce" && key in base))) delete out[key];
        else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = merge(out[key], value, nulls);
        else out[key] = value;
    }
    return out;
}

/**
 * The validator of a values schema: its repeated subschemas (the Enterprise nesting repeats the
 * whole tree) compiled once each (checks/shared-subschemas.ts); it is identified by the schema
 * it is made from and the code that shares them, so the fingerprint needs no sharing at run time.
 */
export function valuesValidatorSpec(schema: JsonSchema): ValidatorSpec {
    return {
        name: "values",
        options: { allErrors: true, verbose: true, strict: true, strictTypes: false, inlineRefs: false },
        vocabulary: ["x-renders-to", "x-kernel-limit", "x-refused"],
        schema: () => shareRepeatedSubschemas(schema),
        identity: () => `${JSON.stringify(schema)}\0${SUBSCHEMA_SHARING}`,
    };
}

/** The values schema's validator (precompiled by `npm run build`, see checks/precompiled.ts). */
export const VALUES_VALIDATOR: ValidatorSpec = valuesValidatorSpec(valuesSchema);

/** Plain-words message for one ajv error, or undefined to drop it (ajv repeats some causes). */
function issueFromAjv(error: ErrorObject, segments: (string | number)[]): ValueIssue | undefined {
    const parent = error.parentSchema as JsonSchema | undefined;
    const kernel = parent?.["x-kernel-limit"] ? "kernel " : "";
    const value = error.data;
    if (parent?.["x-refused"]) return { path: formatPath(segments), message: parent["x-refused"] };
    switch (error.keyword) {
        case "required": {
            const key = (error.params as { missingProperty: string }).missingProperty;
            return { path: formatPath([...segments, key]), message: "is required" };
        }
        case "type": {
            // A null Gloo reads as unset is allowed, but it is not what the value should be.
            const types = String((error.params as { type: string | string[] }).type)
                .split(",")
                .filter((t) => t !== "null");
            const expected = types.join(" or ");
            if (types.includes("integer") && typeof value === "number") {
                return { path: formatPath(segments), message: `${value} is not a whole number (never rounded)` };
            }
            if (types.includes("integer") && typeof value === "string") {
                return {
                    path: formatPath(segments),
                    message: `${JSON.stringify(value)} is not a whole number${parent?.["x-kernel-limit"] ? "; write whole seconds (sub-second durations are refused, never truncated)" : ""}`,
                };
            }
            return {
                path: formatPath(segments),
                message: `must be ${expected === "integer" ? "an integer" : `a${/^[aeiou]/.test(expected) ? "n" : ""} ${expected}`}, got ${value === null ? "null" : Array.isArray(value) ? "a list" : `${typeof value} ${JSON.stringify(value)}`}`,
            };
        }
        case "maximum":
            return {
                path: formatPath(segments),
                message: `${JSON.stringify(value)} exceeds the ${kernel}maximum ${(error.params as { limit: number }).limit}`,
            };
        case "minimum":
            return {
                path: formatPath(segments),
                message: `${JSON.stringify(value)} is below the ${kernel}minimum ${(error.params as { limit: number }).limit}`,
            };
        case "enum":
            return {
                path: formatPath(segments),
                message: `${JSON.stringify(value)} is not one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`,
            };
        case "propertyNames":
            return undefined; // reported by the pattern/maxLength error on the name itself
        case "pattern":
        case "maxLength":
        case "minLength": {
            const names = (error.parentSchema as JsonSchema | undefined)?.description;
            if (error.propertyName !== undefined && names !== undefined && error.schemaPath.includes("/propertyNames/")) {
                return {
                    path: formatPath([...segments, error.propertyName]),
                    message: `${JSON.stringify(error.propertyName)} is not a valid ${names}`,
                };
            }
            if (error.propertyName !== undefined) {
                return {
                    path: formatPath([...segments, error.propertyName]),
                    message: `${JSON.stringify(error.propertyName)} is not a valid proxy name (camelCase words of letters with digits at a word's end, at most 31 characters, e.g. "gatewayProxy", "publicGw", "edgeV2")`,
                };
            }
            // A schema whose description is a lowercase noun ("resource quantity") names what the value is not.
            const named =
                error.keyword === "pattern" && names !== undefined && /^[a-z]/.test(names) ? `is not a valid ${names}` : undefined;
            const what =
                named ??
                (error.keyword === "pattern"
                    ? `does not match ${(error.params as { pattern: string }).pattern}`
                    : error.keyword === "maxLength"
                      ? `is longer than ${(error.params as { limit: number }).limit} characters`
                      : `is shorter than ${(error.params as { limit: number }).limit} character(s)`);
            return { path: formatPath(segments), message: `${JSON.stringify(value)} ${what}` };
        }
        default:
            return { path: formatPath(segments), message: error.message ?? error.keyword };
    }
}

/** Check the shape of merged values (types, bounds, unknown keys) as helm checks values.schema.json. */
export function checkValuesShape(values: unknown): ValueIssue[] {
    const validateSchema = validatorFor(VALUES_VALIDATOR);
    if (validateSchema(values)) return [];
    const seen = new Set<string>();
    const issues: ValueIssue[] = [];
    for (const issue of issuesFromAjv(validateSchema.errors, values, { other: issueFromAjv })) {
        const key = formatIssue(issue);
        if (!seen.has(key)) {
            seen.add(key);
            issues.push(issue);
        }
    }
    return issues;
}

/** A proxy after Gloo's merge over the default entry, with where each top-level key came from. */
export interface ResolvedProxy {
    /** The `gatewayProxies` key, e.g. `gatewayProxy` or `publicGw`. */
    name: string;
    /** The merged values. */
    values: GatewayProxyValues;
    /** The entry's own values, before the merge over the default entry. */
    entry: GatewayProxyValues;
    /** The value path of the entry that set a top-level key (for error messages). */
    origin(key: keyof GatewayProxyValues): string;
}

/** The effective values: the chart's defaults, then every layer in order (later wins). */
export function effectiveValues(...layers: unknown[]): GlooKeepaliveValues {
    return coalesceValues(chartDefaultValues(), layers) as GlooKeepaliveValues;
}

/** The `gatewayProxies` map after folding in the Enterprise `gloo.gatewayProxies` nesting. */
function proxyEntries(values: GlooKeepaliveValues): Map<string, { entry: GatewayProxyValues; path: (key: string) => string }> {
    const entries = new Map<string, { entry: GatewayProxyValues; path: (key: string) => string }>();
    const layers: [string, Record<string, GatewayProxyValues> | undefined][] = [
        ["gatewayProxies", values.gatewayProxies],
        ["gloo.gatewayProxies", values.gloo?.gatewayProxies],
    ];
    for (const [prefix, proxies] of layers) {
        for (const [name, entry] of Object.entries(proxies ?? {})) {
            const previous = entries.get(name);
            const here = `${prefix}.${name}`;
            entries.set(name, {
                entry: previous ? mergeValues(previous.entry, entry) : entry,
                path: (key) => ((entry && key in entry) || !previous ? `${here}.${key}` : previous.path(key)),
            });
        }
    }
    return entries;
}

/** Every enabled proxy (the disabled ones too with `withDisabled`), each merged over the default entry `gatewayProxy` (lists replace, as in Gloo). */
export function resolveProxies(values: GlooKeepaliveValues, withDisabled = false): ResolvedProxy[] {
    const entries = proxyEntries(values);
    const defaults = entries.get(DEFAULT_PROXY);
    const resolved: ResolvedProxy[] = [];
    for (const [name, { entry, path }] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const merged = name === DEFAULT_PROXY || !defaults ? entry : mergeValues(defaults.entry, entry);
        if (merged.disabled && !withDisabled) continue;
        resolved.push({
            name,
            values: merged,
            entry: entry ?? {},
            origin: (key) => ((entry && key in entry) || !defaults || name === DEFAULT_PROXY ? path(key) : defaults.path(key)),
        });
    }
    return resolved;
}

/** The namespaces Gloo renders its `gateway-proxy` ServiceAccount in: every entry's own namespace (disabled ones too), else the release's. */
export function proxyNamespaces(values: GlooKeepaliveValues, releaseNamespace: string): string[] {
    const namespaces = [...proxyEntries(values).values()].map(({ entry }) => entry?.namespace || releaseNamespace);
    return [...new Set(namespaces)];
}
