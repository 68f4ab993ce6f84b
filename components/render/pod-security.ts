/**
 * The proxy pod's and Envoy container's securityContext, as the Gloo chart renders them
 * (`podTemplate.enablePodSecurityContext`, `podSecurityContext`, `glooContainerSecurityContext`
 * with their `mergePolicy`, `floatingUserId`, `runUnprivileged`, `global.securitySettings`,
 * `global.podSecurityStandards`), then our additions: the keepalive sysctls and the hardening
 * (runAsNonRoot, seccompProfile RuntimeDefault) wherever the values leave them unset.
 */
import type { Sysctl } from "../keepalive";
import type { GlooPodSecurityStandards, GlooSecuritySettings } from "../generated/gloo-types";
import type { GatewayProxyValues } from "../values/types";
import type { ValueIssue } from "../values/issues";
import { isPlainObject } from "../values/paths";

type Json = Record<string, unknown>;

/** Gloo's global values the proxy's security contexts read. */
export interface PodSecurityGlobals {
    /** `global.podSecurityStandards`: restricted container defaults. */
    podSecurityStandards?: GlooPodSecurityStandards | null;
    /** `global.securitySettings`: `floatingUserId` for every pod. */
    securitySettings?: GlooSecuritySettings | null;
}

/** Go's empty value, as Helm's `merge` (mergo) and `if` read it. */
function isEmpty(value: unknown): boolean {
    if (value === undefined || value === null || value === false || value === 0 || value === "") return true;
    if (Array.isArray(value)) return value.length === 0;
    return isPlainObject(value) && Object.keys(value).length === 0;
}

/** Helm's `merge dst src`: src fills what dst leaves unset or empty (false, 0, ""), maps merged key by key. */
export function helmMerge(dst: Json, src: Json): Json {
    const out: Json = { ...dst };
    for (const [key, value] of Object.entries(src)) {
        if (value === undefined || value === null) continue;
        const current = out[key];
        if (isPlainObject(current) && isPlainObject(value) && !isEmpty(current)) out[key] = helmMerge(current, value);
        else if (!(key in out) || isEmpty(current)) out[key] = value;
    }
    return out;
}

export const MERGE_POLICIES = ["no-merge", "helm-merge"];
export const SECCOMP_PROFILE_TYPES = ["RuntimeDefault", "Localhost"];

/** Gloo's `gloo.securityContext`: the values (merged over the defaults with `helm-merge`), runAsUser dropped by a global floatingUserId. */
function glooSecurityContext(values: unknown, defaults: Json, globals: PodSecurityGlobals): Json {
    const own: Json = isPlainObject(values) ? values : {};
    let context: Json;
    if (own.mergePolicy === "helm-merge") context = helmMerge(own, defaults);
    else context = !isEmpty(own) ? { ...own } : { ...defaults };
    if (globals.securitySettings?.floatingUserId) delete context.runAsUser;
    delete context.mergePolicy;
    return context;
}

/** Our hardening where the values leave it unset; never over a pod asked to run as root (runAsUser 0). */
function hardened(context: Json, seccomp: boolean): Json {
    const out = { ...context };
    if ((out.runAsNonRoot === undefined || out.runAsNonRoot === null) && out.runAsUser !== 0) out.runAsNonRoot = true;
    if (seccomp && (out.seccompProfile === undefined || out.seccompProfile === null)) out.seccompProfile = { type: "RuntimeDefault" };
    return out;
}

/** The pod securityContext Gloo renders (empty when it renders none). */
function glooPodContext(proxy: GatewayProxyValues, globals: PodSecurityGlobals): Json {
    const pod = proxy.podTemplate ?? {};
    if (!pod.enablePodSecurityContext || globals.securitySettings?.floatingUserId) return {};
    const defaults: Json = { fsGroup: pod.fsGroup ?? null, ...(pod.floatingUserId ? {} : { runAsUser: pod.runAsUser ?? null }) };
    return glooSecurityContext(pod.podSecurityContext, defaults, globals);
}

/** The user's sysctls, then the keepalive ones the user does not set (a differing value is refused by podSecurityIssues). */
function withSysctls(context: Json, sysctls: readonly Sysctl[]): Json {
    const own = Array.isArray(context.sysctls) ? (context.sysctls as unknown[]) : [];
    const names = new Set(own.map((s) => (isPlainObject(s) ? String(s.name) : "")));
    const all = [...own, ...sysctls.filter((s) => !names.has(s.name))];
    const { sysctls: _s, ...rest } = context;
    return all.length > 0 ? { ...rest, sysctls: all } : rest;
}

/** The proxy pod's securityContext: Gloo's, the keepalive sysctls, our hardening. */
export function podSecurityContext(proxy: GatewayProxyValues, globals: PodSecurityGlobals, sysctls: readonly Sysctl[]): Json {
    return withSysctls(hardened(glooPodContext(proxy, globals), true), sysctls);
}

/** The Envoy container's securityContext: Gloo's (restricted defaults with `global.podSecurityStandards`), our runAsNonRoot. */
export function containerSecurityContext(proxy: GatewayProxyValues, globals: PodSecurityGlobals): Json {
    const pod = proxy.podTemplate ?? {};
    const capabilities: Json = { drop: ["ALL"], ...(pod.disableNetBind ? {} : { add: ["NET_BIND_SERVICE"] }) };
    let defaults: Json = {
        runAsNonRoot: pod.runUnprivileged ?? null,
        capabilities,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        ...(pod.floatingUserId ? {} : { runAsUser: pod.runAsUser ?? null }),
    };
    const container = globals.podSecurityStandards?.container;
    if (container && !isEmpty(container) && container.enableRestrictedContainerDefaults) {
        const restricted = {
            runAsNonRoot: true,
            capabilities: { drop: ["ALL"] },
            allowPrivilegeEscalation: false,
            seccompProfile: { type: container.defaultSeccompProfileType || "RuntimeDefault" },
        };
        defaults = helmMerge(defaults, restricted);
    }
    return hardened(glooSecurityContext(pod.glooContainerSecurityContext, defaults, globals), false);
}

/** Where the proxy's security values cannot render: an unknown mergePolicy or seccomp type, a keepalive sysctl set twice. */
export function podSecurityIssues(
    proxy: GatewayProxyValues,
    podPath: string,
    globals: PodSecurityGlobals,
    sysctls: readonly Sysctl[],
): ValueIssue[] {
    const pod = proxy.podTemplate ?? {};
    const issues: ValueIssue[] = [];
    const policy = (key: "podSecurityContext" | "glooContainerSecurityContext") => {
        const value = (pod[key] as Json | null | undefined)?.mergePolicy;
        if (!isEmpty(value) && !MERGE_POLICIES.includes(String(value)))
            issues.push({ path: `${podPath}.${key}.mergePolicy`, message: `${JSON.stringify(value)} is not no-merge or helm-merge` });
    };
    if (pod.enablePodSecurityContext && !globals.securitySettings?.floatingUserId) policy("podSecurityContext");
    policy("glooContainerSecurityContext");
    const seccomp = globals.podSecurityStandards?.container?.defaultSeccompProfileType;
    if (!isEmpty(seccomp) && !SECCOMP_PROFILE_TYPES.includes(String(seccomp)))
        issues.push({
            path: "global.podSecurityStandards.container.defaultSeccompProfileType",
            message: `${JSON.stringify(seccomp)} is not RuntimeDefault or Localhost`,
        });
    if (issues.length > 0) return issues;
    const own = glooPodContext(proxy, globals).sysctls;
    (Array.isArray(own) ? own : []).forEach((s: unknown, i) => {
        const ours = isPlainObject(s) ? sysctls.find((k) => k.name === String(s.name)) : undefined;
        if (ours && isPlainObject(s) && String(s.value) !== ours.value)
            issues.push({
                path: `${podPath}.podSecurityContext.sysctls[${i}]`,
                message: `sets ${ours.name} to ${JSON.stringify(String(s.value))}, but ${podPath}.tcpKeepaliveSysctls sets it to "${ours.value}" from the proxy's keepalive; a pod has one value per sysctl: drop this entry or make the keepalive match`,
            });
    });
    return issues;
}
