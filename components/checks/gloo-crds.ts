/**
 * Validation of rendered Gloo objects against the real Gloo CRDs (crds/, as published by
 * solo-io/gloo), the way a Kubernetes API server with strict field validation would: the
 * CRD's openAPIV3Schema, `x-kubernetes-int-or-string`, `nullable`, and unknown fields refused
 * except under `x-kubernetes-preserve-unknown-fields`.
 */
import type { ValidateFunction } from "ajv";
import { readFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { packageRoot } from "../package-root";
import { validatorFor as compiledValidator, type ValidatorSpec } from "./precompiled";
import { shareRepeatedSubschemas, SUBSCHEMA_SHARING } from "./shared-subschemas";
import { formatPath, isPlainObject, issuesFromAjv, type ValueIssue } from "../values/values";

type Schema = Record<string, unknown>;

const CRD_FILES: Record<string, string> = {
    "gateway.solo.io/v1/Gateway": "gateway.solo.io_v1_Gateway.yaml",
    "gloo.solo.io/v1/Upstream": "gloo.solo.io_v1_Upstream.yaml",
};

/** A Kubernetes structural schema turned into a JSON Schema that ajv checks the same way. */
function toJsonSchema(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(toJsonSchema);
    if (!isPlainObject(node)) return node;
    const out: Schema = {};
    for (const [key, value] of Object.entries(node)) {
        if (key === "format" || key === "nullable" || key.startsWith("x-kubernetes-")) continue;
        out[key] =
            key === "properties"
                ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, toJsonSchema(v)]))
                : toJsonSchema(value);
    }
    if (node["x-kubernetes-int-or-string"]) out.type = ["integer", "string"];
    else if (node.nullable && typeof out.type === "string") out.type = [out.type, "null"];
    if (out.properties && !node["x-kubernetes-preserve-unknown-fields"] && out.additionalProperties === undefined) {
        out.additionalProperties = false;
    }
    return out;
}

const crdFile = (file: string) => path.join(packageRoot(), "components", "crds", file);

/** The validator of one CRD's spec (or of one field of it), as a precompilable spec. */
export function crdValidatorSpec(apiVersion: string, kind: string, onlyField?: string): ValidatorSpec | undefined {
    const key = `${apiVersion}/${kind}`;
    const file = CRD_FILES[key];
    if (!file) return undefined;
    return {
        name: `crd-${kind.toLowerCase()}${onlyField ? `-${onlyField}` : ""}`,
        options: { allErrors: true, verbose: true, strict: false, inlineRefs: false },
        // The CRD file and the code that turns it into a JSON Schema: reading them is cheaper than the YAML parse.
        identity: () =>
            [readFileSync(crdFile(file), "utf8"), toJsonSchema.toString(), apiVersion, onlyField ?? "", SUBSCHEMA_SHARING].join("\0"),
        schema: () => {
            const crd = yaml.load(readFileSync(crdFile(file), "utf8")) as {
                spec: { versions: { name: string; schema: { openAPIV3Schema: { properties: { spec: unknown } } } }[] };
            };
            const version = crd.spec.versions.find((v) => `${key.split("/")[0]}/${v.name}` === apiVersion);
            if (!version) throw new Error(`${file} has no version for ${apiVersion}`);
            const spec = version.schema.openAPIV3Schema.properties.spec as { properties: Record<string, unknown> };
            const checked = onlyField ? { type: "object", properties: { [onlyField]: spec.properties[onlyField] } } : spec;
            return shareRepeatedSubschemas({ type: "object", properties: { spec: toJsonSchema(checked) } });
        },
    };
}

/** The CRD validators the renderer uses, precompiled by `npm run build`. */
export const GLOO_CRD_VALIDATORS: readonly ValidatorSpec[] = [
    crdValidatorSpec("gateway.solo.io/v1", "Gateway", "options"),
    crdValidatorSpec("gateway.solo.io/v1", "Gateway"), // a Gateway with raw parts beyond options (custom, hybrid, overrides)
    crdValidatorSpec("gloo.solo.io/v1", "Upstream"),
].filter((spec): spec is ValidatorSpec => spec !== undefined);

function validatorFor(apiVersion: string, kind: string, onlyField?: string): ValidateFunction | undefined {
    const spec = crdValidatorSpec(apiVersion, kind, onlyField);
    return spec && compiledValidator(spec);
}

/**
 * Check one object's `spec` against its Gloo CRD. Issue paths are relative to `spec`
 * (e.g. `options.socketOptions[0].level`) so callers can map them back to the value they came from.
 * Objects of kinds without a CRD here are not checked. With `onlyField`, only that field of the
 * spec is checked (e.g. a Gateway's `options`, the one part of it that comes from raw values):
 * the whole Gateway schema is large and slow to compile.
 */
export function checkGlooObject(object: { apiVersion: string; kind: string; spec?: unknown }, onlyField?: string): ValueIssue[] {
    const validate = validatorFor(object.apiVersion, object.kind, onlyField);
    const spec = onlyField ? { [onlyField]: (object.spec as Record<string, unknown> | undefined)?.[onlyField] } : object.spec;
    if (!validate || validate({ spec })) return [];
    return issuesFromAjv(
        validate.errors,
        { spec },
        {
            path: (segments) => formatPath(segments.slice(1)), // drop "spec"
            against: " (Gloo CRD)",
            unknownKey: (hint) => `unknown field${hint} (not in the Gloo CRD)`,
        },
    );
}
