/**
 * Running the policy pack's policies the way the policy server does, without a PolicyPack (whose
 * constructor starts a server that never exits): args built like server.js builds them, props
 * wrapped in the same unknown-checking proxy, and a reportViolation that collects.
 *
 * The happy-path objects are the library's own rendering of the dev stack; each builder takes
 * one change to make to a copy.
 */
import type {
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import * as yaml from "js-yaml";
import * as path from "path";
import { readRenderInput } from "../components/cli/input";
import { BOOTSTRAP_KEY, bootstrapText, type KubernetesObject } from "../components/render/manifests";
import { renderValues } from "../components/render/render";
import { plainCopy, pulumiType, type KubeObject } from "../policy/lib/objects";

/**
 * Props as server.js builds them: the resource's properties as a protobuf Struct, deserialized
 * (keeping secrets for remediation, as the server does) and wrapped in the proxy that throws on
 * unknown values during preview. Internal to @pulumi/policy (no type declarations), so required.
 */
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy: <T>(props: T) => T };
const { deserializeProperties } = require("@pulumi/policy/deserialize") as {
    deserializeProperties: (struct: unknown, keepSecrets: boolean) => Record<string, unknown>;
};
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const { Struct } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] })) as {
    Struct: { fromJavaScript(value: unknown): unknown };
};

function serverProps(object: KubeObject, keepSecrets = false): Record<string, unknown> {
    return unknownCheckingProxy(deserializeProperties(Struct.fromJavaScript(object), keepSecrets));
}

export const STACK_URN_PREFIX = "urn:pulumi:dev::gloo-keepalive::";
/** A helm v4 Chart resource: deployWith "helm" makes the objects its children. */
export const HELM_CHART_TYPE = "kubernetes:helm.sh/v4:Chart";
export const HELM_CHART_URN = `${STACK_URN_PREFIX}${HELM_CHART_TYPE}::gateway-proxy`;

const rendered = new Map<string, KubernetesObject[]>();

/** The objects the library renders for a stack file (Pulumi.<stack>.yaml), as `npm run check` renders them. */
export function stackObjects(stack: "dev" | "prod"): KubeObject[] {
    let objects = rendered.get(stack);
    if (!objects) {
        const input = readRenderInput({ stack });
        objects = renderValues(input.layers, { releaseName: input.releaseName, namespace: input.namespace }).objects;
        rendered.set(stack, objects);
    }
    return plainCopy(objects) as unknown as KubeObject[];
}

/** A copy of one rendered object of the dev stack (the first of its kind, or the one named). */
export function devObject(kind: string, name?: string): KubeObject {
    const found = stackObjects("dev").find(
        (o) => o.kind === kind && (name === undefined || (o.metadata as { name: string }).name === name),
    );
    if (!found) throw new Error(`dev renders no ${kind}${name ? ` ${name}` : ""}`);
    return found;
}

export type Bootstrap = { static_resources: { clusters: Record<string, unknown>[] }; [key: string]: unknown };

export function bootstrapOf(configMap: KubeObject): Bootstrap {
    return yaml.load((configMap.data as Record<string, string>)[BOOTSTRAP_KEY]) as Bootstrap;
}

/** A ConfigMap with its bootstrap changed by `change` and stored again as the library stores it. */
export function withBootstrap(configMap: KubeObject, change: (bootstrap: Bootstrap) => void): KubeObject {
    const copy = plainCopy(configMap);
    const bootstrap = bootstrapOf(copy);
    change(bootstrap);
    (copy.data as Record<string, string>)[BOOTSTRAP_KEY] = bootstrapText(bootstrap);
    return copy;
}

/** The dev bootstrap ConfigMap, with one change to its bootstrap. */
export function bootstrapConfigMap(change: (bootstrap: Bootstrap) => void = () => undefined): KubeObject {
    return withBootstrap(devObject("ConfigMap"), change);
}

export type SocketOptionValue = {
    description?: string;
    level: number | string;
    name: number | string;
    intValue?: unknown;
    state?: unknown;
    bufValue?: string;
};
export type GatewayObject = KubeObject & { spec: { proxyNames?: string[]; options?: { socketOptions?: SocketOptionValue[] } } };

/** The dev http Gateway, with one change. */
export function gateway(change: (gateway: GatewayObject) => void = () => undefined): KubeObject {
    const copy = devObject("Gateway") as GatewayObject;
    change(copy);
    return copy;
}

export type UpstreamObject = KubeObject & {
    spec: { connectionConfig?: { tcpKeepalive?: Record<string, unknown> } & Record<string, unknown> };
};

/** The dev Upstream, with one change. */
export function upstream(change: (upstream: UpstreamObject) => void = () => undefined): KubeObject {
    const copy = devObject("Upstream") as UpstreamObject;
    change(copy);
    return copy;
}

export interface ArgsOptions {
    /** The policy's config as Pulumi hands it over (only the keys a --policy-pack-config file sets). */
    config?: Record<string, unknown>;
    /** The parent URN: HELM_CHART_URN for a chart's child. */
    parent?: string;
    /** The Pulumi resource name (defaults to metadata.name). */
    name?: string;
    /** Props as the server builds them for remediateResource (secrets kept). */
    forRemediation?: boolean;
}

function resourceName(object: KubeObject, options: ArgsOptions): string {
    return options.name ?? String((object.metadata as { name?: string } | undefined)?.name ?? "unnamed");
}

/** A Pulumi URN for an object, a chart child's when a parent is given. */
export function urnOf(object: KubeObject, options: ArgsOptions = {}): string {
    const parentType = options.parent ? `${options.parent.split("::")[2]}$` : "";
    return `${STACK_URN_PREFIX}${parentType}${pulumiType(object)}::${resourceName(object, options)}`;
}

const OPTS = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

/** ResourceValidationArgs for an object, as server.js builds them (props behind the unknown-checking proxy). */
export function resourceArgs(object: KubeObject, options: ArgsOptions = {}): ResourceValidationArgs {
    const type = pulumiType(object);
    return {
        type,
        props: serverProps(object, options.forRemediation),
        urn: urnOf(object, options),
        name: resourceName(object, options),
        opts: { ...OPTS, ...(options.parent ? { parent: options.parent } : {}) },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => (options.config ?? {}) as T,
        notApplicable: (reason?: string): never => {
            throw new Error(`notApplicable: ${reason}`);
        },
    };
}

/** Run a resource policy's validateResource over args; the messages it reports. */
export async function validate(policy: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<string[]> {
    const messages: string[] = [];
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const v of validations) await v?.(args, (message) => void messages.push(message));
    return messages;
}

/** Run a resource policy's remediateResource over an object, as the server does; the props it returns, or undefined. */
export async function remediate(
    policy: ResourceValidationPolicy,
    object: KubeObject,
    options: ArgsOptions = {},
): Promise<KubeObject | undefined> {
    if (!policy.remediateResource) throw new Error(`${policy.name} has no remediateResource`);
    const result = await policy.remediateResource(resourceArgs(object, { ...options, forRemediation: true }));
    return result ? (result as KubeObject) : undefined;
}

export interface StackEntry {
    object: KubeObject;
    parent?: string;
}

/** StackValidationArgs over objects (each optionally a chart's child), as server.js builds them. */
export function stackArgs(entries: readonly (KubeObject | StackEntry)[], config: Record<string, unknown> = {}): StackValidationArgs {
    const chart: PolicyResource = {
        type: HELM_CHART_TYPE,
        props: unknownCheckingProxy({}),
        urn: HELM_CHART_URN,
        name: "gateway-proxy",
        opts: { ...OPTS },
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
    };
    const resources: PolicyResource[] = entries.map((entry) => {
        const { object, parent } =
            "object" in entry && !("apiVersion" in entry) ? (entry as StackEntry) : { object: entry as KubeObject, parent: undefined };
        return {
            type: pulumiType(object),
            props: serverProps(object),
            urn: urnOf(object, { parent }),
            name: resourceName(object, {}),
            opts: { ...OPTS, ...(parent ? { parent } : {}) },
            ...(parent ? { parent: chart } : {}),
            dependencies: [],
            propertyDependencies: {},
            isType: () => false,
            asType: () => undefined,
        };
    });
    return {
        resources: entries.some((e) => "parent" in e && e.parent) ? [chart, ...resources] : resources,
        stackTags: new Map(),
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
            throw new Error(`notApplicable: ${reason}`);
        },
    };
}

/** Run a stack policy; what it reports, with the URN each report names. */
export async function validateStack(
    policy: StackValidationPolicy,
    args: StackValidationArgs,
): Promise<{ message: string; urn?: string }[]> {
    const reports: { message: string; urn?: string }[] = [];
    await policy.validateStack(args, (message, urn) => void reports.push({ message, urn }));
    return reports;
}
