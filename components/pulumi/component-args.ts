/**
 * What the Pulumi components share: checking args with the library before anything is
 * registered, naming the arg paths in errors, and telling plain values from `pulumi.Input`s.
 */
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesObject } from "../render/manifests";
import { formatIssue, isPlainObject, ValuesError, type ValueIssue } from "../values/values";

/** How a component deploys its Kubernetes objects. */
export type DeployWith = "resources" | "helm";

/** A TCP keepalive whose numbers may come from other resources (see the library's `TcpKeepalive`). */
export interface TcpKeepaliveInputs {
    /** Seconds a connection stays idle before the first probe (TCP_KEEPIDLE). 1..32767. Unset: OS default. */
    timeSeconds?: pulumi.Input<number>;
    /** Seconds between probes (TCP_KEEPINTVL). 1..32767. Unset: OS default. */
    intervalSeconds?: pulumi.Input<number>;
    /** Unanswered probes before the connection is dropped (TCP_KEEPCNT). 1..127. Unset: OS default. */
    probes?: pulumi.Input<number>;
}

/**
 * Invalid component args: every issue, each as `<arg path>: <what is wrong>`, after a first line
 * naming the component. Thrown before any resource is registered (plain args), or as the
 * failure of the apply that resolves the args (args that are Outputs).
 */
export class ComponentArgsError extends Error {
    constructor(
        /** The component's type and name, e.g. `gloo-keepalive:index:GatewayProxy "edge"`. */
        public readonly component: string,
        /** Every issue, its path an arg path of the component. */
        public readonly issues: readonly ValueIssue[],
    ) {
        super(`${component}: ${issues.length} invalid arg(s):\n${issues.map(formatIssue).join("\n")}`);
        this.name = "ComponentArgsError";
    }
}

/**
 * How library value paths read as a component's arg paths: each `[prefix, whole]` drops `prefix`
 * where a longer path continues it (`gatewayProxies.edge.tcpKeepaliveProbes` reads
 * `tcpKeepaliveProbes`) and reads `whole` where it stands alone (`gatewayProxies.edge` reads `name`).
 */
export type PathMapping = readonly (readonly [prefix: string, whole: string])[];

const prefixPatterns = new Map<string, RegExp>();

/** The prefix, then a "." or "[" (a longer path) or anything but a name character (the prefix alone); built once per prefix. */
function prefixPattern(prefix: string): RegExp {
    let pattern = prefixPatterns.get(prefix);
    if (!pattern) {
        const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        pattern = new RegExp(`${escaped}(?:(\\.)|(?=(\\[))|(?![A-Za-z0-9_]))`, "g");
        prefixPatterns.set(prefix, pattern);
    }
    return pattern;
}

/** Rewrite value paths in an issue path or message by `mapping`. */
export function mapValuePath(text: string, mapping: PathMapping): string {
    let out = text;
    for (const [prefix, whole] of mapping) {
        if (!out.includes(prefix)) continue;
        out = out.replace(prefixPattern(prefix), (_m, dot?: string, bracket?: string) =>
            dot !== undefined || bracket !== undefined ? "" : whole,
        );
    }
    return out;
}

/**
 * Run `check` (a library call that may throw ValuesError) and rethrow its issues with the paths
 * mapped to the component's args.
 */
export function checkArgs<T>(component: string, mapping: PathMapping, check: () => T): T {
    try {
        return check();
    } catch (e) {
        if (e instanceof ValuesError) {
            throw new ComponentArgsError(
                component,
                e.issues.map((issue) => ({
                    path: mapValuePath(issue.path, mapping) || "args",
                    message: mapValuePath(issue.message, mapping),
                })),
            );
        }
        throw e;
    }
}

/** True for an Output or a promise: a value not known until the deployment runs. */
export function isInputValue(value: unknown): boolean {
    return (
        pulumi.Output.isInstance(value) ||
        (typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function")
    );
}

/** Value paths (`a.b[0].c`) of every Output or promise inside a plain value (a path is spelled only where one is found). */
export function inputPaths(value: unknown, path = ""): string[] {
    const found: string[] = [];
    const at: (string | number)[] = [];
    const walk = (v: unknown): void => {
        if (isInputValue(v))
            found.push(at.reduce<string>((p, s) => (typeof s === "number" ? `${p}[${s}]` : p === "" ? s : `${p}.${s}`), path));
        else if (Array.isArray(v)) {
            for (let i = 0; i < v.length; i++) {
                at.push(i);
                walk(v[i]);
                at.pop();
            }
        } else if (isPlainObject(v)) {
            for (const k of Object.keys(v)) {
                at.push(k);
                walk(v[k]);
                at.pop();
            }
        }
    };
    walk(value);
    return found;
}

/**
 * A copy of `value` with every Output or promise replaced by `placeholder(path)`: the shape of the
 * args (which objects exist, their names) without waiting for values from other resources.
 */
export function withPlaceholders(value: unknown, placeholder: (path: string) => unknown, path = ""): unknown {
    if (isInputValue(value)) return placeholder(path);
    if (Array.isArray(value)) return value.map((item, i) => withPlaceholders(item, placeholder, `${path}[${i}]`));
    if (isPlainObject(value)) {
        return Object.fromEntries(
            Object.entries(value).map(([k, v]) => [k, withPlaceholders(v, placeholder, path === "" ? k : `${path}.${k}`)]),
        );
    }
    return value;
}

/**
 * `value` without `undefined` object members (an Output resolving to undefined means "unset", as
 * in a values file). Only what holds such a member is copied; every other part is `value`'s own.
 */
export function withoutUndefined<T>(value: T): T {
    if (Array.isArray(value)) {
        let copy: unknown[] | undefined;
        value.forEach((item, i) => {
            const kept = withoutUndefined(item);
            if (kept !== item) (copy ??= [...value])[i] = kept;
        });
        return (copy ?? value) as T;
    }
    if (!isPlainObject(value)) return value;
    let copy: Record<string, unknown> | undefined;
    for (const k of Object.keys(value)) {
        const v = value[k];
        if (v === undefined) {
            delete (copy ??= { ...value })[k];
            continue;
        }
        const kept = withoutUndefined(v);
        if (kept !== v) (copy ??= { ...value })[k] = kept;
    }
    return (copy ?? value) as T;
}

/** Paths (with `[]` for any list index) where an arg may be an Output; anywhere else it decides which objects exist. */
export function checkInputPaths(component: string, value: unknown, allowed: readonly string[], prefix = ""): void {
    const wrong = inputPaths(value, prefix).filter((p) => !allowed.includes(p.replace(/\[\d+\]/g, "[]")));
    if (wrong.length > 0) {
        throw new ComponentArgsError(
            component,
            wrong.map((p) => ({
                path: p,
                message: `may not be an Output or a promise: it decides which objects are deployed and their names; pass a plain value (Outputs are accepted at ${allowed.join(", ")})`,
            })),
        );
    }
}

/** The Pulumi resource name of a rendered object: `<namespace>/<name>`, independent of every keepalive value. */
export function objectResourceName(object: KubernetesObject): string {
    return object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name;
}

/** `apiVersion kind namespace/name` of each object: what a component's resources are keyed by. */
export function objectIdentities(objects: readonly KubernetesObject[]): string[] {
    return objects.map((o) => `${o.apiVersion} ${o.kind} ${objectResourceName(o)}`);
}
