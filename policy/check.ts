/**
 * The offline check: render an environment with the library, then run the policy pack's rules
 * over the rendered objects, as `pulumi preview --policy-pack policy` would over the deployed
 * ones — no cluster, no Pulumi CLI.
 *
 *   gloo-keepalive check [--stack <env> | --values <file> ...] [--release <name>] [--namespace <ns>] [--policy-config <file.json>]
 *
 * `--policy-config` takes the file `pulumi preview --policy-pack-config` takes:
 * `{ "all": "<level>", "<policy>": "<level>" | { "enforcementLevel": "<level>", "<key>": <value> } }`.
 * As in Pulumi: remediations (policies at "remediate") run first, then every validation on the
 * remediated objects; a violation of a "remediate" policy left after remediation counts as
 * mandatory. Exit status 1 on any mandatory violation, 0 otherwise (advisory ones are warnings).
 */
import Ajv, { type ValidateFunction } from "ajv";
import type { EnforcementLevel } from "@pulumi/policy";
import { didYouMean } from "../components/values/suggest";
import { formatIssue, formatPath, issuesFromAjv, ValuesError, type ValueIssue } from "../components/values/values";
import { resolveConfig } from "./lib/config";
import { expandTargets } from "./lib/gloo-chart";
import { objectRef, pulumiType, type KubeObject, type Violation } from "./lib/objects";
import type { ResourceRule, StackRule, Target } from "./lib/rule";
import { RESOURCE_RULES, STACK_RULES } from "./policies";

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The level and the config (defaults filled in) of each policy. */
export type PackSettings = ReadonlyMap<string, { level: EnforcementLevel; config: unknown }>;

type Rule = ResourceRule<unknown> | StackRule<unknown>;
export const RULES: readonly Rule[] = [...RESOURCE_RULES, ...STACK_RULES];

const validators = new Map<string, ValidateFunction>();
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });

function validatorFor(rule: Rule): ValidateFunction {
    let validate = validators.get(rule.name);
    if (!validate) {
        validate = ajv.compile({
            type: "object",
            properties: { enforcementLevel: { enum: LEVELS }, ...rule.configSchema.properties },
            required: rule.configSchema.required ?? [],
            additionalProperties: false,
        });
        validators.set(rule.name, validate);
    }
    return validate;
}

/**
 * Check a policy-pack config (the `--policy-pack-config` JSON) against the policies' schemas and
 * resolve each policy's level (its own, else "all", else the policy's default) and config
 * (defaults filled in). Throws a ValuesError listing every problem, each at `<source> <key path>`.
 */
export function resolvePackSettings(raw: unknown = {}, source = "policy config"): PackSettings {
    const issues: ValueIssue[] = [];
    const at = (key: string, ...segments: (string | number)[]) =>
        `${source} ${key}${segments.length > 0 ? `.${formatPath(segments)}` : ""}`;
    const given = typeof raw === "object" && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
    if (!given) throw new ValuesError([{ path: source, message: "must be a JSON object of policy names to levels or config" }]);
    const levelOf = (key: string, value: unknown): EnforcementLevel | undefined => {
        const level = typeof value === "object" && value !== null ? (value as { enforcementLevel?: unknown }).enforcementLevel : value;
        if (level === undefined) return undefined;
        if (!LEVELS.includes(level as EnforcementLevel)) {
            issues.push({
                path: at(key, ...(typeof value === "object" ? ["enforcementLevel"] : [])),
                message: `${JSON.stringify(level)} is not one of ${LEVELS.join(", ")}`,
            });
            return undefined;
        }
        return level as EnforcementLevel;
    };
    const names = RULES.map((r) => r.name);
    for (const key of Object.keys(given)) {
        if (key !== "all" && !names.includes(key))
            issues.push({ path: at(key), message: `no such policy${didYouMean(key, [...names, "all"])}` });
    }
    const all = levelOf("all", given.all);
    const settings = new Map<string, { level: EnforcementLevel; config: unknown }>();
    for (const rule of RULES) {
        const value = given[rule.name];
        if (value !== undefined && typeof value !== "string") {
            const validate = validatorFor(rule);
            if (!validate(value)) {
                const path = (segments: (string | number)[]) => at(rule.name, ...segments);
                const knownKeys = () => Object.keys(rule.configSchema.properties);
                issues.push(...issuesFromAjv(validate.errors, value, { path, knownKeys }));
                continue;
            }
        }
        const level = levelOf(rule.name, value) ?? all ?? rule.enforcementLevel;
        settings.set(rule.name, {
            level,
            config: resolveConfig(rule.configSchema, typeof value === "object" ? (value as object) : undefined),
        });
    }
    if (issues.length > 0) throw new ValuesError(issues);
    return settings;
}

/** A violation with the level it counts at. */
export interface Finding extends Violation {
    level: "mandatory" | "advisory";
}

export interface CheckResult {
    findings: Finding[];
    /** What remediation filled, per policy and object. */
    remediations: { policy: string; object: string; changes: string[] }[];
}

/** Run every enabled policy over the objects (remediations first), as the policy pack does. */
export function checkObjects(objects: readonly KubeObject[], settings: PackSettings = resolvePackSettings()): CheckResult {
    const setting = (rule: Rule) =>
        settings.get(rule.name) ?? { level: rule.enforcementLevel, config: resolveConfig(rule.configSchema, undefined) };
    const remediations: CheckResult["remediations"] = [];
    const targets = objects.map((object): Target => {
        let target: Target = { type: pulumiType(object), object, ref: objectRef(object) };
        for (const rule of RESOURCE_RULES) {
            const { level, config } = setting(rule);
            if (level !== "remediate" || !rule.remediate || !rule.types.includes(target.type)) continue;
            const remediated = rule.remediate(target, config);
            if (remediated) {
                remediations.push({ policy: rule.name, object: target.ref, changes: remediated.changes });
                target = { ...target, object: remediated.object };
            }
        }
        return target;
    });
    const findings: Finding[] = [];
    const expanded = expandTargets(targets);
    const add = (level: EnforcementLevel, violations: Violation[]) => {
        for (const v of violations) findings.push({ ...v, level: level === "advisory" ? "advisory" : "mandatory" });
    };
    for (const target of expanded) {
        for (const rule of RESOURCE_RULES) {
            const { level, config } = setting(rule);
            if (level !== "disabled" && rule.types.includes(target.type)) add(level, rule.check(target, config));
        }
    }
    for (const rule of STACK_RULES) {
        const { level, config } = setting(rule);
        if (level !== "disabled") add(level, rule.check(expanded, config));
    }
    return { findings, remediations };
}

/** One finding as printed: `error [policy] Kind/ns/name path: message` and the fix on the next line. */
export function formatFinding(f: Finding): string {
    return `${f.level === "mandatory" ? "error" : "warning"} [${f.policy}] ${f.object} ${formatIssue(f)}\n    fix: ${f.fix}`;
}
