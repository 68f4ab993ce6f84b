/** ajv's errors as issues at value paths: one mapper for the values schema, the Gloo CRDs and the policy config. */
import type { ErrorObject } from "ajv";
import type { ValueIssue } from "./issues";
import { formatPath, pointerSegments } from "./paths";
import { didYouMean } from "./suggest";

/** How the ajv errors of one schema read as issues. */
export interface AjvWording {
    /** The value path of an error's segments (default: formatPath). */
    path?: (segments: (string | number)[]) => string;
    /** What is checked against, after the message (e.g. ` (Gloo CRD)`). */
    against?: string;
    /** The message for an unknown key, given the did-you-mean hint (default: `unknown key<hint>`). */
    unknownKey?: (hint: string) => string;
    /** The keys an unknown key is matched against (default: the properties of the schema that refused it). */
    knownKeys?: (error: ErrorObject) => string[];
    /**
     * The issue for any other error, `undefined` to drop it (default: `<ajv message><against>, got <value as JSON>`
     * at the error's path).
     */
    other?: (error: ErrorObject, segments: (string | number)[]) => ValueIssue | undefined;
}

/** ajv's errors (compiled with `verbose: true`) for `data` as issues, one per error unless `other` drops it. */
export function issuesFromAjv(errors: readonly ErrorObject[] | null | undefined, data: unknown, wording: AjvWording = {}): ValueIssue[] {
    const pathOf = wording.path ?? formatPath;
    const issues: ValueIssue[] = [];
    for (const error of errors ?? []) {
        const segments = pointerSegments(error.instancePath, data);
        if (error.keyword === "additionalProperties") {
            const key = (error.params as { additionalProperty: string }).additionalProperty;
            const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
            const known = wording.knownKeys?.(error) ?? Object.keys(parent?.properties ?? {});
            const hint = didYouMean(key, known);
            issues.push({ path: pathOf([...segments, key]), message: wording.unknownKey?.(hint) ?? `unknown key${hint}` });
            continue;
        }
        const issue = wording.other
            ? wording.other(error, segments)
            : {
                  path: pathOf(segments),
                  message: `${error.message ?? error.keyword}${wording.against ?? ""}, got ${JSON.stringify(error.data)}`,
              };
        if (issue) issues.push(issue);
    }
    return issues;
}
