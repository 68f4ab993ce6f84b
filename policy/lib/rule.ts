/**
 * A rule is a plain function (object in, violations out) plus the policy metadata. The Pulumi
 * policy objects are made from rules here, and the offline check runs the same rules, so each
 * rule has exactly one implementation. Only types come from @pulumi/policy: nothing here needs
 * the policy runtime.
 */
import type {
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { resolveConfig } from "./config";
import { expandTargets } from "./gloo-chart";
import { objectRef, plainCopy, violationMessage, type KubeObject, type Violation } from "./objects";

/** The object a rule looks at, with how to name it. */
export interface Target {
    /** The Pulumi type, e.g. `kubernetes:core/v1:ConfigMap`. */
    type: string;
    object: KubeObject;
    /** `Kind/namespace/name`. */
    ref: string;
    urn?: string;
    /** The object is text inside another object (`ref` of that one), e.g. a Gateway in the gloo chart's custom-resources ConfigMap. */
    embeddedIn?: string;
}

/** A remediated object and the value paths remediation filled. */
export interface Remediation {
    object: KubeObject;
    changes: string[];
}

interface RuleMetadata {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    configSchema: PolicyConfigSchema;
    remediationSteps?: string;
}

/** A rule over one object. */
export interface ResourceRule<C> extends RuleMetadata {
    /** Pulumi types the rule applies to; nothing else (the parent, a chart or not) matters. */
    types: readonly string[];
    check(target: Target, config: C): Violation[];
    /** Fill what is missing (never change a value that is set); undefined when nothing is missing. */
    remediate?(target: Target, config: C): Remediation | undefined;
}

/** A rule over every object of a stack. */
export interface StackRule<C> extends RuleMetadata {
    check(targets: readonly Target[], config: C): Violation[];
}

function metadata(rule: RuleMetadata) {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        configSchema: rule.configSchema,
        ...(rule.remediationSteps ? { remediationSteps: rule.remediationSteps } : {}),
    };
}

function resourceTarget(args: ResourceValidationArgs, object: KubeObject = args.props): Target {
    return { type: args.type, object, ref: objectRef(object, args.name), urn: args.urn };
}

/** The Pulumi ResourceValidationPolicy of a rule: a typed check of `args.type`, then the rule over `args.props`. */
export function resourcePolicy<C>(rule: ResourceRule<C>): ResourceValidationPolicy {
    return {
        ...metadata(rule),
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            const targets = expandTargets([resourceTarget(args)]).filter((t) => rule.types.includes(t.type));
            if (targets.length === 0) return;
            const config = resolveConfig<C>(rule.configSchema, args.getConfig());
            for (const target of targets) {
                const prefix = target.embeddedIn ? `${target.ref} ` : "";
                for (const v of rule.check(target, config)) reportViolation(`${prefix}${violationMessage(v)}`);
            }
        },
        ...(rule.remediate
            ? {
                  remediateResource: (args: ResourceValidationArgs) => {
                      if (!rule.types.includes(args.type)) return undefined;
                      // A plain copy first: the server's remediation props break Array methods (see plainCopy).
                      return rule.remediate?.(
                          resourceTarget(args, plainCopy(args.props)),
                          resolveConfig<C>(rule.configSchema, args.getConfig()),
                      )?.object;
                  },
              }
            : {}),
    };
}

/** The Pulumi StackValidationPolicy of a rule; each violation is reported against its object's URN. */
export function stackPolicy<C>(rule: StackRule<C>): StackValidationPolicy {
    return {
        ...metadata(rule),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const targets = expandTargets(
                args.resources.map((r): Target => ({
                    type: r.type,
                    object: r.props,
                    ref: objectRef(r.props, r.name),
                    urn: r.urn,
                })),
            );
            const config = resolveConfig<C>(rule.configSchema, args.getConfig());
            for (const v of rule.check(targets, config)) reportViolation(`${v.object} ${violationMessage(v)}`, v.urn);
        },
    };
}

/** A violation of `rule` at `target`. */
export function violation(rule: { name: string }, target: Target, at: { path: string; message: string; fix: string }): Violation {
    return {
        policy: rule.name,
        object: target.ref,
        ...(target.urn ? { urn: target.urn } : {}),
        path: at.path,
        message: at.message,
        fix: at.fix,
    };
}
