/**
 * Strict validation of Envoy v3 configuration (as plain JS values parsed from Envoy YAML)
 * against Envoy's own API protos, the way Envoy itself loads YAML:
 *
 *  - proto3 JSON mapping (snake_case or lowerCamelCase keys, Durations as strings, wrapper
 *    types as plain values, enums by name, 64-bit integers as numbers or strings, null = unset);
 *  - unknown fields are errors (with a "did you mean" suggestion);
 *  - `google.protobuf.Any` payloads (`typed_config`) are resolved by their `@type` through the
 *    descriptor registry and checked recursively (including xds/udpa TypedStruct payloads);
 *  - the protoc-gen-validate (legacy `validate` package) annotations Envoy carries:
 *    `(validate.rules)`, `(validate.required)` on oneofs, `(validate.disabled)`/`(validate.ignored)`.
 *
 * Parsing of every leaf value (scalars, enums-by-number aside, Durations, Timestamps, wrappers,
 * Struct/Value) is delegated to @bufbuild/protobuf's conformance-tested proto3 JSON parser
 * (`fromJson`). On top of that this module walks the value alongside the descriptors to report
 * every issue with a precise path, and to evaluate the PGV rules. As a final cross-check the
 * whole value is parsed with `fromJson(schema, value, { registry })` (which rejects unknown
 * fields); should that reject something the walker accepted, the failure is narrowed down to the
 * deepest sub-message that still fails to parse.
 *
 * The descriptors come from components/generated/envoy-api.binpb, produced by
 * scripts/build-envoy-descriptors.ts (`npm run build:protos`). The jobs, one file each:
 * registry.ts (descriptors and PGV options), proto-json.ts (leaf values), walker.ts,
 * rules.ts and string-rules.ts (the `validate.rules` evaluator), cross-check.ts.
 */
import type { ValueIssue } from "../../values/values";
import { closest } from "../../values/suggest";
import { crossCheck } from "./cross-check";
import { errorMessage } from "./proto-json";
import { allMessageNames, load } from "./registry";
import { Walker } from "./walker";

export { envoyRegistry } from "./registry";

/** One problem with an Envoy config value, at its path. */
export type EnvoyIssue = ValueIssue;

const BOOTSTRAP_TYPE = "envoy.config.bootstrap.v3.Bootstrap";

/**
 * Strictly validate `value` (a plain JS object as parsed from Envoy YAML, snake_case field names)
 * as the Envoy message `typeName` (e.g. "envoy.config.cluster.v3.Cluster"). Returns every issue
 * found (empty array = valid). `basePath` prefixes every issue path. Never throws for invalid
 * input (it throws only if the descriptor set has not been built).
 *
 * `crossCheck: false` skips the whole-message `fromJson` after the walker: the walker parses every
 * leaf with the same parser and refuses every unknown field, so on an accepted value the
 * cross-check proves nothing more (test/envoy-validation.test.ts holds the two verdicts equal over
 * thousands of mutated bootstraps); the renderer skips it, the exported API keeps it on.
 */
export function validateEnvoyMessage(
    typeName: string,
    value: unknown,
    basePath: string,
    options: { crossCheck?: boolean } = {},
): EnvoyIssue[] {
    const l = load();
    const issues: EnvoyIssue[] = [];
    const name = typeName.slice(typeName.lastIndexOf("/") + 1);
    const desc = l.registry.getMessage(name);
    if (!desc) {
        const hint = closest(name, allMessageNames(l.registry), 6);
        return [
            {
                path: basePath,
                message: `unknown Envoy message type "${typeName}"${hint ? ` (did you mean "${hint}"?)` : ""}`,
            },
        ];
    }
    const w = new Walker(l, issues);
    try {
        w.walkMessage(desc, value, basePath, true, 0);
        const rejected = issues.length === 0 && options.crossCheck !== false ? crossCheck(l.registry, desc, value, basePath) : undefined;
        if (rejected) issues.push(rejected);
    } catch (e) {
        issues.push({ path: basePath, message: `internal validator error: ${errorMessage(e)}` });
    }
    return issues;
}

/** Same for a whole bootstrap, typeName envoy.config.bootstrap.v3.Bootstrap. */
export function validateEnvoyBootstrap(bootstrap: unknown, basePath: string, options: { crossCheck?: boolean } = {}): EnvoyIssue[] {
    return validateEnvoyMessage(BOOTSTRAP_TYPE, bootstrap, basePath, options);
}
