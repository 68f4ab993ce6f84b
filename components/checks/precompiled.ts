/**
 * JSON Schema validators compiled ahead of time. Compiling the values schema and the Gloo CRD
 * schemas with ajv costs a whole `render` process more CPU than the render itself, so
 * `npm run build` writes each validator as standalone code (ajv's own code generator) beside the
 * compiled library, stamped with a fingerprint of the schema and options it was made from. At run
 * time a validator is taken from there only when its fingerprint matches the schema in force (a
 * checkout run through ts-node looks in the build's dist/); otherwise (no build, or a stale one)
 * it is compiled as before. Either way the function is the same ajv code and reports the same errors.
 */
import type Ajv from "ajv";
import type { Options, ValidateFunction } from "ajv";
import { createHash } from "crypto";
import { existsSync } from "fs";
import * as path from "path";
import { packageRoot } from "../package-root";

/** One validator: a name (its file), the ajv options and vocabulary, and the schema it checks. */
export interface ValidatorSpec {
    name: string;
    options: Options;
    /** Keywords the schema carries for other readers (generators, docs), not for validation. */
    vocabulary?: readonly string[];
    schema: () => object;
    /**
     * What the schema is made from, when that is cheaper to read than the schema itself (e.g. a CRD
     * file's bytes and the code that turns it into the schema); the schema's JSON otherwise.
     */
    identity?: () => string;
}

/** Where `npm run build` puts the standalone validators: beside this module, compiled. */
export const PRECOMPILED_DIR = path.join(__dirname, "precompiled");

const memo = new Map<string, ValidateFunction>();

/** ajv itself is loaded only to compile: a built process takes every validator precompiled and never loads it. */
function newAjv(spec: ValidatorSpec, source: boolean): Ajv {
    const { default: AjvClass } = require("ajv") as typeof import("ajv");
    const ajv = new AjvClass({ ...spec.options, code: { ...spec.options.code, source } });
    if (spec.vocabulary) ajv.addVocabulary([...spec.vocabulary]);
    return ajv;
}

/** What a precompiled file must have been made from to stand in for a fresh compile. */
export function fingerprint(spec: ValidatorSpec): string {
    const { code: _code, ...options } = spec.options;
    const made = spec.identity ? spec.identity() : JSON.stringify(spec.schema());
    return createHash("sha256")
        .update(JSON.stringify({ options, vocabulary: spec.vocabulary ?? [] }))
        .update(made)
        .digest("hex");
}

/** The precompiled validator of a spec in `dir`, if there is one made from the schema in force. */
export function precompiled(spec: ValidatorSpec, dir = PRECOMPILED_DIR): ValidateFunction | undefined {
    const file = path.join(dir, `${spec.name}.js`);
    if (!existsSync(file)) return undefined;
    const loaded = require(file) as ValidateFunction & { fingerprint?: string };
    return loaded.fingerprint === fingerprint(spec) ? loaded : undefined;
}

/**
 * Run from source (ts-node: a Pulumi program, the tests), the build's validators in dist/ when
 * one was built: still only one whose fingerprint matches the schema in force.
 */
function builtFromSource(spec: ValidatorSpec): ValidateFunction | undefined {
    const built = path.join(packageRoot(), "dist", "components", "checks", "precompiled");
    return built === PRECOMPILED_DIR ? undefined : precompiled(spec, built);
}

/** The validator for a spec: the precompiled one when it matches the schema, else compiled now; once per process. */
export function validatorFor(spec: ValidatorSpec): ValidateFunction {
    let validate = memo.get(spec.name);
    if (!validate) {
        validate = precompiled(spec) ?? builtFromSource(spec) ?? newAjv(spec, false).compile(spec.schema());
        memo.set(spec.name, validate);
    }
    return validate;
}

/** The standalone module text of a spec's validator, stamped with its fingerprint. */
export function standaloneValidator(spec: ValidatorSpec): string {
    const ajv = newAjv(spec, true);
    const { default: standaloneCode } = require("ajv/dist/standalone") as typeof import("ajv/dist/standalone");
    const code = standaloneCode(ajv, ajv.compile(spec.schema()));
    return `${code}\nmodule.exports.fingerprint = ${JSON.stringify(fingerprint(spec))};\n`;
}
