/**
 * Gloo's `kubeResourceOverride`: a map laid over a rendered object as Gloo's `gloo.util.merge`
 * lays it (sprig's `mergeOverwrite`: maps merge key by key; any other value, a list, a scalar
 * or null, replaces what was there; an empty override changes nothing). Keepalive stays ours:
 * the final object is checked, and an override that changes what carries the checked bootstrap,
 * the keepalive sysctls or our annotations is refused, naming the value and why.
 */
import { goPrettyJson } from "./canonical-json";
import type { KubernetesObject } from "./manifests";
import { isPlainObject, type ValueIssue } from "../values/values";

type Json = Record<string, unknown>;

/** `override` laid over `base` as sprig's mergeOverwrite does; neither is changed. */
export function mergeOverwrite(base: Json, override: Json): Json {
    const out: Json = { ...base };
    for (const [key, value] of Object.entries(override)) {
        const current = Object.hasOwn(out, key) ? out[key] : undefined;
        const merged = isPlainObject(value) && isPlainObject(current) ? mergeOverwrite(current, value) : structuredClone(value);
        // A key named __proto__ stays a key, as in helm.
        Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
    }
    return out;
}

/** An override Gloo applies: a non-empty map (Gloo renders the object as it is otherwise). */
export function activeOverride(override: unknown): Json | undefined {
    return isPlainObject(override) && Object.keys(override).length > 0 ? override : undefined;
}

/** The object with `override` laid over it (the object itself when the override is empty). */
export function withOverride(object: KubernetesObject, override: unknown): KubernetesObject {
    const active = activeOverride(override);
    return active ? (mergeOverwrite(object, active) as KubernetesObject) : object;
}

/** One part of an object that keepalive covers: where it is, what it carries. */
interface Guarded {
    /** Where it is in the object (the override's path names the deepest part of it the override sets). */
    at: readonly string[];
    /** The part as compared (default: what is `at`), given the object and its rendered name: the same before and after, or the override is refused. */
    pick?: (o: Json, name: string) => unknown;
    why: string;
}

const dig = (o: unknown, keys: readonly string[]): unknown =>
    keys.reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), o);

/** Our own annotations: they carry the proxy's hops to the policy pack. */
const OWN_ANNOTATIONS: Guarded = {
    at: ["metadata", "annotations"],
    pick: (o) =>
        Object.entries((dig(o, ["metadata", "annotations"]) as Json | undefined) ?? {}).filter(([k]) => k.startsWith("gloo-keepalive.io/")),
    why: "changes the gloo-keepalive.io/ annotations, which carry the proxy's keepalive hops to the policy pack",
};

const CONFIG_MAP: readonly Guarded[] = [
    { at: ["metadata", "name"], why: "renames the envoy-config ConfigMap the proxy pods mount" },
    { at: ["metadata", "namespace"], why: "moves the envoy-config ConfigMap away from the proxy pods" },
    {
        at: ["data", "envoy.yaml"],
        why: "replaces the Envoy bootstrap, whose keepalive is rendered and checked here; set it through the proxy's values (envoyStaticClusters, tcpKeepalive*, xdsHttp2Keepalive)",
    },
];

const POD = ["spec", "template", "spec"];

/** The Envoy container (named as the workload): what loads the checked bootstrap. */
const envoyContainer = (o: Json, name: string): Json | undefined => {
    const containers = dig(o, [...POD, "containers"]);
    return Array.isArray(containers) ? (containers.find((c) => isPlainObject(c) && c.name === name) as Json | undefined) : undefined;
};

const WORKLOAD: readonly Guarded[] = [
    { at: ["metadata", "namespace"], why: "moves the proxy pods away from their envoy-config ConfigMap" },
    {
        at: [...POD, "securityContext", "sysctls"],
        pick: (o) => {
            const sysctls = dig(o, [...POD, "securityContext", "sysctls"]);
            return Array.isArray(sysctls)
                ? sysctls.filter((s) => isPlainObject(s) && /^net\.ipv4\.tcp_keepalive_/.test(String(s.name)))
                : [];
        },
        why: "changes the pod's keepalive sysctls (net.ipv4.tcp_keepalive_*), which podTemplate.tcpKeepaliveSysctls renders and the keepalive hops are computed from",
    },
    {
        at: [...POD, "containers"],
        pick: (o, name) => {
            const c = envoyContainer(o, name);
            const mounts = Array.isArray(c?.volumeMounts) ? c.volumeMounts : [];
            return c ? [c.command, c.args, mounts.filter((m) => isPlainObject(m) && m.name === "envoy-config")] : null;
        },
        why: "changes how the Envoy container loads the checked bootstrap (its command, args or envoy-config mount); add Envoy arguments with extraEnvoyArgs",
    },
    {
        at: [...POD, "volumes"],
        pick: (o) => {
            const volumes = dig(o, [...POD, "volumes"]);
            return Array.isArray(volumes) ? volumes.filter((v) => isPlainObject(v) && v.name === "envoy-config") : [];
        },
        why: "changes the envoy-config volume that mounts the checked bootstrap",
    },
];

function guardsOf(kind: string): readonly Guarded[] {
    if (kind === "ConfigMap") return [...CONFIG_MAP, OWN_ANNOTATIONS];
    if (kind === "Deployment" || kind === "DaemonSet") return [...WORKLOAD, OWN_ANNOTATIONS];
    return [OWN_ANNOTATIONS];
}

/** The deepest key of `at` the override sets, as a value path under `path`. */
function overridePath(path: string, override: Json, at: readonly string[]): string {
    let node: unknown = override;
    const taken: string[] = [];
    for (const key of at) {
        if (!isPlainObject(node) || !(key in node)) break;
        taken.push(key);
        node = node[key];
    }
    return [path, ...taken].join(".");
}

const same = (a: unknown, b: unknown): boolean => goPrettyJson(a ?? null) === goPrettyJson(b ?? null);

/**
 * The object with its override, or the issues (at `path`, the override's value path) of an
 * override that changes what keepalive covers on the final object.
 */
export function overriddenObject(
    object: KubernetesObject,
    override: unknown,
    path: string,
): { object: KubernetesObject; issues: ValueIssue[] } {
    const active = activeOverride(override);
    if (!active) return { object, issues: [] };
    const final = withOverride(object, active);
    const issues = guardsOf(object.kind)
        .filter((g) => {
            const pick = g.pick ?? ((o: Json) => dig(o, g.at));
            return !same(pick(object, object.metadata.name), pick(final, object.metadata.name));
        })
        .map((g) => ({ path: overridePath(path, active, g.at), message: g.why }));
    return { object: final, issues };
}
