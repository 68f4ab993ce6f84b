/**
 * Kubernetes objects as the policies see them: the resource's props under `pulumi preview`
 * (a Pulumi kubernetes resource's inputs are the object itself: apiVersion, kind, metadata,
 * data/spec), or an object rendered by the library for the offline check. Nothing here looks
 * at a resource's parent: a chart's children (`kubernetes:helm.sh/v4:Chart`) are checked
 * exactly like objects a program creates directly.
 */
import { formatIssue, formatPath, isPlainObject } from "../../components/values/values";

export { formatPath, isPlainObject };

/** A Kubernetes object (or a resource's props, which may be a read-only proxy). */
export type KubeObject = Record<string, unknown>;

/** The Pulumi resource types the policies look at. */
export const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
export const GATEWAY = "kubernetes:gateway.solo.io/v1:Gateway";
export const UPSTREAM = "kubernetes:gloo.solo.io/v1:Upstream";

/** The Pulumi type of a Kubernetes object: `kubernetes:<group>/<version>:<Kind>` (core group as `core`). */
export function pulumiType(object: KubeObject): string {
    const apiVersion = String(object.apiVersion ?? "");
    return `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${String(object.kind ?? "")}`;
}

/** One policy violation: which rule, which object, where in it, what is wrong and how to fix it. */
export interface Violation {
    /** The policy's name, e.g. `envoy-bootstrap-keepalive`. */
    policy: string;
    /** The object as `Kind/namespace/name`. */
    object: string;
    /** The Pulumi URN of the object when known (stack policies report against it). */
    urn?: string;
    /** The value path inside the object, e.g. `spec.connectionConfig.tcpKeepalive.keepaliveTime`. */
    path: string;
    /** What is wrong. */
    message: string;
    /** What to change. */
    fix: string;
}

export interface ObjectMetadata {
    kind: string;
    name: string;
    namespace?: string;
    labels: Record<string, string>;
}

/** Kind, name, namespace and labels of an object; `fallbackName` (the Pulumi resource name) when metadata has no name. */
export function metadataOf(object: KubeObject, fallbackName = "(unnamed)"): ObjectMetadata {
    const metadata = isPlainObject(object.metadata) ? object.metadata : {};
    const labels: Record<string, string> = {};
    if (isPlainObject(metadata.labels)) {
        for (const [k, v] of Object.entries(metadata.labels)) if (typeof v === "string") labels[k] = v;
    }
    return {
        kind: typeof object.kind === "string" ? object.kind : "(no kind)",
        name: typeof metadata.name === "string" && metadata.name !== "" ? metadata.name : fallbackName,
        namespace: typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : undefined,
        labels,
    };
}

/** `Kind/namespace/name` (or `Kind/name` without a namespace). */
export function objectRef(object: KubeObject, fallbackName?: string): string {
    const m = metadataOf(object, fallbackName);
    return m.namespace ? `${m.kind}/${m.namespace}/${m.name}` : `${m.kind}/${m.name}`;
}

/** A violation as one line for `reportViolation`: the URN already names the object. */
export function violationMessage(v: Violation): string {
    return `${formatIssue(v)}. Fix: ${v.fix}`;
}

/** An int64 as proto3 JSON allows it (a number or a decimal string), or undefined. */
export function int64(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isInteger(value)) return value;
    if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
    return undefined;
}

/**
 * A deep copy into plain arrays and objects. Works through the read-only proxies the policy
 * server wraps props in: structuredClone refuses proxies, and for remediation the server's
 * proxied arrays break Array methods (map, filter: "'get' on proxy: property 'prototype'"),
 * so arrays are copied by index. Anything else (class instances such as secrets) is kept.
 */
export function plainCopy<T>(value: T): T {
    if (Array.isArray(value)) {
        const out: unknown[] = [];
        for (let i = 0; i < value.length; i++) out.push(plainCopy(value[i]));
        return out as T;
    }
    if (isPlainObject(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = plainCopy(v);
        return out as T;
    }
    return value;
}
