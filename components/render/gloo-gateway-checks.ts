/**
 * A proxy's final Gateways (components/render/gloo-gateways.ts), checked as a Kubernetes API
 * server with the Gloo Gateway CRD would check them, each issue at the value it came from: the
 * kube override, `customHttp(s)Gateway`, a hybrid value, `accessLoggingService` or
 * `gatewaySettings.options`.
 */
import { checkGlooObject } from "../checks/gloo-crds";
import type { ResolvedProxy } from "../values/values";
import { isPlainObject, joinPath, type ValueIssue } from "../values/values";
import type { KubernetesObject } from "./manifests";
import { annotated } from "./middlebox";
import { glooGateways, goTruthy, withDownstreamKeepalive, type GatewaySources } from "./gloo-gateways";

type Segment = string | number;

/** `a.b[0]["odd key"]` back into its segments (the form formatPath writes). */
export function pathSegments(path: string): Segment[] {
    const out: Segment[] = [];
    for (const m of path.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g)) {
        if (m[1] !== undefined) out.push(Number(m[1]));
        else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
        else out.push(m[3]);
    }
    return out;
}

/** Whether the override set the value at `segments` of the spec (itself, or a list or scalar around it). */
function fromOverride(override: unknown, segments: readonly Segment[]): boolean {
    let node: unknown = isPlainObject(override) ? override.spec : undefined;
    if (node === undefined) return false;
    for (const segment of segments) {
        if (!isPlainObject(node)) return true; // a list, a scalar or null the override put there holds the rest
        if (!(segment in node)) return false;
        node = node[segment];
    }
    return true;
}

/** The value path of a spec path of a rendered Gateway: the value that put it there. */
export function gatewayValuePath(specPath: string, sources: GatewaySources, accessLogging: boolean): string {
    const s = pathSegments(specPath);
    if (sources.override && fromOverride(sources.override.value, s)) return joinPath(`${sources.override.path}.spec`, ...s);
    if (!sources.failover && s[0] === "options") {
        if (s[1] === "accessLoggingService" && accessLogging)
            return joinPath(`${sources.settingsPath}.accessLoggingService`, ...s.slice(2));
        return joinPath(`${sources.settingsPath}.options`, ...s.slice(1));
    }
    const under = sources.httpGateway?.under ?? [];
    if (s[0] === "httpGateway" && sources.httpGateway && under.every((key, i) => s[i + 1] === key))
        return joinPath(sources.httpGateway.path, ...s.slice(1 + under.length));
    if (sources.hybrid && isPlainObject(sources.hybrid.value) && typeof s[0] === "string" && s[0] in sources.hybrid.value)
        return joinPath(sources.hybrid.path, ...s);
    return `${sources.settingsPath} (Gateway ${sources.name} ${joinPath("spec", ...s)})`;
}

/** What a kube override may make of a Gateway's name and namespace (the chart's values.schema.json says the same). */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const GATEWAY_NAME_LENGTH = { name: 253, namespace: 63 } as const;

/** What an override may not make of a Gateway's identity and metadata (the API server would refuse it, or it would not be a Gateway). */
function overrideMetadataIssues(gateway: Record<string, unknown>, sources: GatewaySources): ValueIssue[] {
    const override = sources.override;
    if (!override || !isPlainObject(override.value)) return [];
    const issues: ValueIssue[] = [];
    for (const [key, want] of [
        ["apiVersion", "gateway.solo.io/v1"],
        ["kind", "Gateway"],
    ] as const) {
        if (key in override.value && gateway[key] !== want)
            issues.push({
                path: `${override.path}.${key}`,
                message: `must stay ${JSON.stringify(want)}: this override is merged over the Gateway ${sources.name}`,
            });
    }
    const metadata = gateway.metadata;
    if (!isPlainObject(metadata))
        return [...issues, { path: `${override.path}.metadata`, message: "must be a map (the Gateway's name and namespace)" }];
    for (const key of ["name", "namespace"] as const) {
        const v = metadata[key];
        if (typeof v !== "string" || !DNS_SUBDOMAIN.test(v) || v.length > GATEWAY_NAME_LENGTH[key])
            issues.push({ path: `${override.path}.metadata.${key}`, message: `${JSON.stringify(v)} is not a valid Kubernetes ${key}` });
    }
    for (const key of ["labels", "annotations"]) {
        const map = metadata[key];
        if (map === undefined || map === null) continue;
        if (!isPlainObject(map)) issues.push({ path: `${override.path}.metadata.${key}`, message: "must be a map of strings" });
        else
            for (const [k, v] of Object.entries(map))
                if (v !== null && typeof v !== "string")
                    issues.push({
                        path: joinPath(`${override.path}.metadata.${key}`, k),
                        message: `must be a string (quote it), not ${JSON.stringify(v)}`,
                    });
    }
    return issues;
}

/** Whether a Gateway holds raw values beyond `gatewaySettings.options` (then its whole spec is checked against the CRD). */
function hasRawParts(sources: GatewaySources, accessLogging: boolean): boolean {
    return Boolean(sources.override || sources.httpGateway || sources.hybrid || (accessLogging && !sources.failover));
}

/** One final Gateway against the whole Gloo Gateway CRD, each issue at its value path. */
function crdIssues(gateway: KubernetesObject, sources: GatewaySources, accessLogging: boolean): ValueIssue[] {
    return checkGlooObject(gateway as { apiVersion: string; kind: string; spec?: unknown }).map((issue) => ({
        path: gatewayValuePath(issue.path, sources, accessLogging),
        message: issue.message,
    }));
}

/** Every issue once (the http and https Gateways share their options). */
function unique(issues: readonly ValueIssue[]): ValueIssue[] {
    const seen = new Set<string>();
    return issues.filter((i) => {
        const key = `${i.path}\0${i.message}`;
        return seen.has(key) ? false : (seen.add(key), true);
    });
}

/**
 * A proxy's Gateways as Gloo renders them, with ours on each final one, checked: the issues go
 * to `issues` (the proxy renders nothing when there are any).
 */
export function proxyGlooGateways(
    proxy: ResolvedProxy,
    proxyName: string,
    where: { namespace: string; releaseNamespace: string; labels: Record<string, string>; annotations: Record<string, string> },
    issues: ValueIssue[],
): KubernetesObject[] {
    const v = proxy.values;
    const settingsPath = proxy.origin("gatewaySettings");
    const own: ValueIssue[] = [];
    const rendered = glooGateways(
        proxyName,
        v,
        { ...where, settingsPath, failoverPath: proxy.origin("failover"), tracingPath: proxy.origin("tracing") },
        own,
    );
    const accessLogging = goTruthy(v.gatewaySettings?.accessLoggingService);
    let optionsChecked = false;
    const out = rendered.map(({ gateway, sources }) => {
        const final = annotated(withDownstreamKeepalive(gateway, v, sources, own) as KubernetesObject, where.annotations);
        own.push(...overrideMetadataIssues(final, sources));
        if (hasRawParts(sources, accessLogging)) own.push(...crdIssues(final, sources, accessLogging));
        else if (!sources.failover && !optionsChecked && v.gatewaySettings?.options !== undefined) {
            // Only the raw options come from values: the rest is ours (tested against the whole CRD).
            optionsChecked = true;
            own.push(
                ...checkGlooObject(final as { apiVersion: string; kind: string; spec?: unknown }, "options").map((issue) => ({
                    path: `${settingsPath}.${issue.path}`,
                    message: issue.message,
                })),
            );
        }
        return final;
    });
    issues.push(...unique(own));
    return out;
}
