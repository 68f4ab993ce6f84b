/**
 * The objects of solo-io's `gloo` chart that the policies must see through:
 *
 *  - its default Gateways are not objects of the release but YAML text in the ConfigMap
 *    `gloo-custom-resource-config` (`data["custom-resources"]`), applied by the chart's rollout
 *    job. Each object in that text becomes a target of its own, named after the ConfigMap and
 *    reported against the ConfigMap's URN, so every Gateway rule judges it like any other Gateway;
 *  - its bootstrap always has `admin_port_cluster` (and with mTLS `gateway_proxy_sds`) on the
 *    loopback address: a connection that never leaves the pod, where no middlebox can drop it and
 *    a dead peer's sockets are closed by the same kernel. Keepalive has nothing to do there.
 */
import { parseAllDocuments } from "yaml";
import { isPlainObject, metadataOf, objectRef, pulumiType, CONFIG_MAP, type KubeObject } from "./objects";

/** A target as rule.ts defines it (declared here too: rule.ts imports this file). */
interface TargetLike {
    type: string;
    object: KubeObject;
    ref: string;
    urn?: string;
    embeddedIn?: string;
}

/** The ConfigMap the gloo chart stores its custom resources (the default Gateways) in, and its key. */
export const CUSTOM_RESOURCES_CONFIG_MAP = "gloo-custom-resource-config";
export const CUSTOM_RESOURCES_KEY = "custom-resources";

/** Whether a ConfigMap is the gloo chart's custom-resources ConfigMap (by name or by its `gloo: custom-resources` label). */
export function isCustomResourcesConfigMap(object: KubeObject): boolean {
    const m = metadataOf(object);
    return m.name === CUSTOM_RESOURCES_CONFIG_MAP || m.labels.gloo === "custom-resources";
}

const parsed = new Map<string, KubeObject[]>();
const PARSED_KEEP = 16;

/**
 * The objects in a custom-resources text, read as the bootstrap is (bounded aliases, unique keys:
 * a ConfigMap's alias bomb must not hang the pack); every policy reads the same ConfigMap, so the
 * last texts are kept. Text that does not parse holds nothing to judge (the rollout job fails on it too).
 */
function objectsInText(text: string): KubeObject[] {
    let objects = parsed.get(text);
    if (objects) return objects;
    try {
        const docs = parseAllDocuments(text, { uniqueKeys: true }).map((doc) => {
            if (doc.errors.length > 0) throw doc.errors[0];
            return doc.toJS({ maxAliasCount: 100 }) as unknown;
        });
        objects = docs.filter((d): d is KubeObject => isPlainObject(d) && typeof d.kind === "string" && typeof d.apiVersion === "string");
    } catch {
        objects = [];
    }
    if (parsed.size >= PARSED_KEEP) parsed.delete(parsed.keys().next().value as string);
    parsed.set(text, objects);
    return objects;
}

/** The objects written as YAML in the custom-resources ConfigMap (none for any other object, or text that does not parse). */
export function embeddedObjects(object: KubeObject): KubeObject[] {
    if (pulumiType(object) !== CONFIG_MAP || !isCustomResourcesConfigMap(object)) return [];
    const text = isPlainObject(object.data) ? object.data[CUSTOM_RESOURCES_KEY] : undefined;
    return typeof text === "string" ? objectsInText(text) : [];
}

/** A target and, for the custom-resources ConfigMap, one target per object inside it (never remediated: they are text). */
export function expandTargets(targets: readonly TargetLike[]): TargetLike[] {
    return targets.flatMap((target) => [
        target,
        ...embeddedObjects(target.object).map((object): TargetLike => ({
            type: pulumiType(object),
            object,
            ref: `${objectRef(object)} (in ${target.ref} data["${CUSTOM_RESOURCES_KEY}"])`,
            embeddedIn: target.ref,
            ...(target.urn ? { urn: target.urn } : {}),
        })),
    ]);
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/** Every endpoint of an Envoy cluster's load_assignment is a loopback address (and it has at least one). */
export function isLoopbackCluster(cluster: unknown): boolean {
    const c = isPlainObject(cluster) ? cluster : {};
    const assignment = isPlainObject(c.load_assignment) ? c.load_assignment : {};
    const addresses: unknown[] = [];
    for (const locality of Array.isArray(assignment.endpoints) ? assignment.endpoints : []) {
        const lbEndpoints = isPlainObject(locality) && Array.isArray(locality.lb_endpoints) ? locality.lb_endpoints : [];
        for (const lb of lbEndpoints) {
            const endpoint = isPlainObject(lb) && isPlainObject(lb.endpoint) ? lb.endpoint : {};
            const address = isPlainObject(endpoint.address) ? endpoint.address : {};
            addresses.push(isPlainObject(address.socket_address) ? address.socket_address.address : undefined);
        }
    }
    return addresses.length > 0 && addresses.every((a) => typeof a === "string" && LOOPBACK.test(a));
}

/** A bootstrap read without its loopback clusters that have no keepalive: nothing there to probe. */
export function withoutUnprobedLoopback<R extends { bootstrap?: Record<string, unknown>; clusters: { index: number; missing: boolean }[] }>(
    read: R,
): R {
    const clusters = isPlainObject(read.bootstrap?.static_resources) ? read.bootstrap.static_resources.clusters : undefined;
    if (!Array.isArray(clusters)) return read;
    return { ...read, clusters: read.clusters.filter((c) => !(c.missing && isLoopbackCluster(clusters[c.index]))) };
}
