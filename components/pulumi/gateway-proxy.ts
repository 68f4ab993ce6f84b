/**
 * `GatewayProxy`: one Gloo gateway proxy (one `gatewayProxies.<name>` entry) with TCP keepalive on
 * every hop, deployed as the typed Kubernetes objects the library renders, or with the bundled
 * Helm chart from the same values.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { withShortStacks } from "./short-stacks";
import { existsSync } from "fs";
import * as path from "path";
import {
    checkArgs,
    checkInputPaths,
    ComponentArgsError,
    inputPaths,
    mapValuePath,
    objectIdentities,
    objectResourceName,
    withoutUndefined,
    withPlaceholders,
    type DeployWith,
    type PathMapping,
    type TcpKeepaliveInputs,
} from "./component-args";
import type { EffectiveTcpKeepalive } from "../keepalive";
import { configMapName, type KubernetesObject } from "../render/manifests";
import { packageRoot } from "../package-root";
import { DEFAULT_NAMESPACE, DEFAULT_RELEASE_NAME, renderValues, type KeepaliveHop, type ProxyRender } from "../render/render";
import type {
    GatewayProxyValues,
    GatewaySettings,
    GlooKeepaliveValues,
    PodTemplate,
    ProxyKind,
    ProxyService,
    UpstreamValues,
} from "../values/types";
import { formatPath } from "../values/values";
import { notRenderedNotice } from "../values/not-rendered";
import { DEFAULT_PROXY } from "../values/schema";
import { claimObjects, handedRender } from "./program-state";

/** `gatewaySettings` whose typed downstream keepalive may come from other resources. */
export interface GatewaySettingsInputs extends Omit<GatewaySettings, "tcpKeepalive"> {
    /** Typed downstream keepalive (client or load balancer to proxy), rendered as the Gateways' four listener socket options. */
    tcpKeepalive?: TcpKeepaliveInputs;
}

/** HTTP/2 PING keepalive on the xDS connection, its numbers possibly from other resources. */
export interface Http2KeepaliveInputs {
    /** Seconds between PING frames. 1..86400. */
    intervalSeconds: pulumi.Input<number>;
    /** Seconds to wait for a PING acknowledgement. 1..86400. */
    timeoutSeconds: pulumi.Input<number>;
}

/** A Gloo Upstream (the library's `UpstreamValues`) whose address and keepalive may come from other resources. */
export interface UpstreamInputs extends Omit<UpstreamValues, "host" | "port" | "tcpKeepalive"> {
    /** Host name or IP address of the service (e.g. another stack's Service DNS name). */
    host: pulumi.Input<string>;
    /** Port of the service. 1..65535. */
    port: pulumi.Input<number>;
    /** Keepalive on connections from the proxy to this upstream. */
    tcpKeepalive: TcpKeepaliveInputs;
}

type InputKeys =
    | "tcpKeepaliveTimeSeconds"
    | "tcpKeepaliveIntervalSeconds"
    | "tcpKeepaliveProbes"
    | "loadBalancerIdleTimeoutSeconds"
    | "xdsServiceAddress"
    | "xdsHttp2Keepalive"
    | "gatewaySettings"
    | "podTemplate"
    | "kind"
    | "service";

/**
 * One `gatewayProxies.<name>` entry (the library's `GatewayProxyValues`), with `pulumi.Input` where a
 * value may come from another resource: the keepalive numbers, the load balancer's idle timeout and
 * the xDS address. Everything that decides which objects exist and their names stays plain.
 */
export interface GatewayProxyEntryInputs extends Omit<GatewayProxyValues, InputKeys | "namespace"> {
    /** Keepalive idle time on every static cluster (xDS, REST xDS, wasm cache, yours). 1..32767; default 60. */
    tcpKeepaliveTimeSeconds?: pulumi.Input<number>;
    /** Seconds between keepalive probes on every static cluster. 1..32767; unset: OS default. */
    tcpKeepaliveIntervalSeconds?: pulumi.Input<number>;
    /** Unanswered probes before a static-cluster connection is dropped. 1..127; unset: OS default. */
    tcpKeepaliveProbes?: pulumi.Input<number>;
    /** Idle timeout of the load balancer in front of the proxy (e.g. 350 for an AWS NLB): keepalive times must stay below it (a warning otherwise). */
    loadBalancerIdleTimeoutSeconds?: pulumi.Input<number>;
    /** Address of the Gloo control plane's xDS service. Default `gloo`. */
    xdsServiceAddress?: pulumi.Input<string>;
    /** HTTP/2 PING keepalive on the xDS cluster. */
    xdsHttp2Keepalive?: Http2KeepaliveInputs;
    /** The proxy's http and https Gloo Gateways, with the typed downstream keepalive. */
    gatewaySettings?: GatewaySettingsInputs;
    /** The proxy's pod template (ports, image, resources, keepalive sysctls). */
    podTemplate?: PodTemplate;
    /** Deployment (default) or DaemonSet. */
    kind?: ProxyKind;
    /** The proxy's Kubernetes Service. */
    service?: ProxyService;
}

/** The arguments of a `GatewayProxy`. */
export interface GatewayProxyArgs extends GatewayProxyEntryInputs {
    /** The `gatewayProxies` key (camelCase, e.g. `gatewayProxy`, `publicGw`); the Kubernetes name is its kebab-case (`public-gw`). */
    name: string;
    /** Namespace of the proxy's objects (Gloo's `gatewayProxies.<name>.namespace`). Default: `glooNamespace`. */
    namespace?: string;
    /**
     * Namespace of the Gloo control plane (helm's release namespace): the xDS address
     * (`gloo.<glooNamespace>.svc.<clusterName>`) and the node role derive from it. Default: `namespace`, else `gloo-system`.
     */
    glooNamespace?: string;
    /** Release name carried in the `app.kubernetes.io/instance` label (helm's release name). Default `gateway-proxy`. */
    releaseName?: string;
    /** Gloo Upstreams deployed with the proxy (and reported as its upstream hops). To declare upstreams on their own, use `KeepaliveUpstream`. */
    upstreams?: UpstreamInputs[];
    /** Kubernetes cluster settings: `clusterName` is the cluster's DNS domain (default `cluster.local`). */
    k8s?: { clusterName?: string };
    /** The `gateway-proxy` ServiceAccount the pods run as (Gloo's `gateway.proxyServiceAccount`); `create: false` reuses an existing one. */
    serviceAccount?: ServiceAccountSettings;
    /**
     * `resources` (default): one typed `@pulumi/kubernetes` resource per object, so previews and policies see each.
     * `helm`: the bundled chart `charts/gateway-proxy` with `k8s.helm.v4.Chart`, given `gatewayProxyChartValues(...)`.
     */
    deployWith?: DeployWith;
    /** The Kubernetes provider for every child; default: the parent's, or the default provider. */
    provider?: k8s.Provider;
}

/**
 * The keepalive in force on one hop of the proxy: the renderer's hop (`KeepaliveHop`) as a
 * plain output, `null` where the hop has no keepalive.
 */
export type HopKeepalive = Pick<KeepaliveHop, "kind" | "name" | "source" | "warnings"> & {
    /** Time, interval and probes in force (OS defaults, or the pod's keepalive sysctls, for unset fields); null: no keepalive on this hop. */
    effective: EffectiveTcpKeepalive | null;
    /** Worst-case seconds to detect a dead peer; null: never detected by TCP keepalive. */
    detectionSeconds: number | null;
};

/** The bundled chart, from the package root (so it resolves from `components/` and `dist/components/` alike). */
export function gatewayProxyChartPath(): string {
    return path.join(packageRoot(), "charts", "gateway-proxy");
}

/**
 * The chart values that render exactly one proxy: `{ gatewayProxies: { <name>: <entry> }, upstreams, k8s }`.
 * For a name other than the chart's default entry `gatewayProxy`, that default entry is disabled
 * and the proxy enabled explicitly (it would inherit `disabled` from the default entry otherwise),
 * so neither helm nor the library renders a second proxy.
 */
export function gatewayProxyChartValues(
    name: string,
    entry: GatewayProxyValues,
    upstreams: readonly UpstreamValues[] = [],
    k8sSettings?: { clusterName?: string },
    serviceAccount?: ServiceAccountSettings,
): GlooKeepaliveValues {
    const gatewayProxies: Record<string, GatewayProxyValues> =
        name === DEFAULT_PROXY
            ? { [name]: entry }
            : { [DEFAULT_PROXY]: { disabled: true }, [name]: { ...entry, disabled: entry.disabled ?? false } };
    return {
        gatewayProxies,
        upstreams: [...upstreams],
        ...(k8sSettings ? { k8s: k8sSettings } : {}),
        ...(serviceAccount ? { gateway: { proxyServiceAccount: serviceAccount } } : {}),
    };
}

/** The `gateway-proxy` ServiceAccount's settings (Gloo's `gateway.proxyServiceAccount`). */
export interface ServiceAccountSettings {
    /** Render it (default true). false: the pods run as the `gateway-proxy` ServiceAccount a Gloo release (or another proxy) renders. */
    create?: boolean;
    /** Annotations of the ServiceAccount (e.g. `eks.amazonaws.com/role-arn`). */
    extraAnnotations?: Record<string, string>;
}

/** Where an arg may be an Output or a promise (`[]`: any list index). */
export const GATEWAY_PROXY_INPUT_PATHS: readonly string[] = [
    "tcpKeepaliveTimeSeconds",
    "tcpKeepaliveIntervalSeconds",
    "tcpKeepaliveProbes",
    "loadBalancerIdleTimeoutSeconds",
    "xdsServiceAddress",
    "xdsHttp2Keepalive.intervalSeconds",
    "xdsHttp2Keepalive.timeoutSeconds",
    "gatewaySettings.tcpKeepalive.timeSeconds",
    "gatewaySettings.tcpKeepalive.intervalSeconds",
    "gatewaySettings.tcpKeepalive.probes",
    "upstreams[].host",
    "upstreams[].port",
    "upstreams[].tcpKeepalive.timeSeconds",
    "upstreams[].tcpKeepalive.intervalSeconds",
    "upstreams[].tcpKeepalive.probes",
];

/** A valid stand-in for a value not known yet: enough to know which objects exist (never deployed). */
function placeholder(valuePath: string): unknown {
    if (valuePath.endsWith("xdsServiceAddress")) return "gloo";
    if (valuePath.endsWith(".host")) return "placeholder.invalid";
    return 1; // every Input number is valid at 1 (kernel minimum, port, timeout)
}

/** What one render of the proxy gives the component. */
export interface ProxyRendering {
    objects: KubernetesObject[];
    proxy: ProxyRender;
    chartValues: GlooKeepaliveValues;
    /** Value paths accepted but rendered nothing here (warned once, by whoever rendered the values). */
    notRendered: string[];
}

/** Value paths of the one-proxy chart values as GatewayProxy arg paths. */
function argPaths(key: string): PathMapping {
    return [
        [formatPath(["gatewayProxies", key]), "name"],
        [formatPath(["gatewayProxies", DEFAULT_PROXY]), "name"],
    ];
}

/** Render one proxy with the library, issue paths mapped to the args; exactly one proxy comes out. */
function renderProxy(
    component: string,
    key: string,
    entry: GatewayProxyValues,
    upstreams: UpstreamValues[],
    release: { k8s?: { clusterName?: string }; serviceAccount?: ServiceAccountSettings; namespace: string; releaseName: string },
): ProxyRendering {
    const { namespace, releaseName } = release;
    const chartValues = gatewayProxyChartValues(key, entry, upstreams, release.k8s, release.serviceAccount);
    const mapping = argPaths(key);
    const result = checkArgs(component, mapping, () => renderValues([chartValues], { namespace, releaseName }));
    if (result.proxies.length !== 1 || result.proxies[0].key !== key) {
        throw new Error(`${component}: internal error: rendering ${key} gave proxies [${result.proxies.map((p) => p.key).join(", ")}]`);
    }
    return { objects: result.objects, proxy: result.proxies[0], chartValues, notRendered: result.notRendered };
}

function hopKeepalive(proxy: ProxyRender): HopKeepalive[] {
    const mapping = argPaths(proxy.key);
    return proxy.hops.map((h) => ({
        kind: h.kind,
        name: h.name,
        source: mapValuePath(h.source, mapping),
        effective: h.effective ?? null,
        detectionSeconds: h.detectionSeconds ?? null,
        warnings: h.warnings,
    }));
}

/** Per-hop worst-case detection seconds, keyed `<hop kind>/<hop name>`; null where a hop has no keepalive. */
export function detectionSecondsByHop(hops: readonly HopKeepalive[]): Record<string, number | null> {
    return Object.fromEntries(hops.map((h) => [`${h.kind}/${h.name}`, h.detectionSeconds]));
}

/** The worst case over every hop; null when some hop has no keepalive (a dead peer there is never detected). */
export function maxDetectionSeconds(hops: readonly HopKeepalive[]): number | null {
    if (hops.some((h) => h.detectionSeconds === null)) return null;
    return Math.max(...hops.map((h) => h.detectionSeconds as number));
}

/** The one-proxy render from args: `shape` for plain args (stand-ins for Outputs), the render once Outputs resolve. */
interface ProxyRenders {
    shape: ProxyRendering;
    /** The render itself when no arg is an Output (the shape is then the render), else the render once the Outputs resolve. */
    rendering: Rendering;
}

/** Which objects exist and their names from the plain args (stand-ins where a value is an Output), and the real render. */
function proxyRenders(component: string, args: GatewayProxyArgs): ProxyRenders {
    const { name: key, releaseName = DEFAULT_RELEASE_NAME, upstreams = [], k8s, serviceAccount } = args;
    const namespace = releaseNamespace(args);
    const entry = proxyEntry(args);
    const render = (e: unknown, u: unknown) =>
        renderProxy(component, key, withoutUndefined(e) as GatewayProxyValues, withoutUndefined(u) as UpstreamValues[], {
            k8s,
            serviceAccount,
            namespace,
            releaseName,
        });
    const shape = render(
        withPlaceholders(entry, placeholder),
        withPlaceholders(upstreams, (p) => placeholder(`upstreams${p}`)),
    );
    // Plain args: the render above is the render. Outputs: render again, checked, once they resolve.
    if (inputPaths({ entry, upstreams }).length === 0) return { shape, rendering: shape };
    // Annotations may carry an Output's value (the load balancer idle timeout); names and labels may not.
    const identity = (objects: readonly KubernetesObject[]) =>
        JSON.stringify(objects.map((o) => [o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace, o.metadata.labels]));
    const rendering = pulumi.output({ entry, upstreams }).apply((resolved) => {
        const real = render(resolved.entry, resolved.upstreams);
        // Outputs never decide which objects exist or their metadata (checkInputPaths): make sure.
        if (identity(real.objects) !== identity(shape.objects)) {
            throw new Error(
                `${component}: internal error: resolved args render [${objectIdentities(real.objects).join(", ")}], expected [${objectIdentities(shape.objects).join(", ")}]`,
            );
        }
        return real;
    });
    return { shape, rendering };
}

/** The release namespace: the control plane's, where the proxy's objects go unless `namespace` says otherwise. */
function releaseNamespace(args: Pick<GatewayProxyArgs, "namespace" | "glooNamespace">): string {
    return args.glooNamespace ?? args.namespace ?? DEFAULT_NAMESPACE;
}

/** The args that say where and how to deploy, not what the `gatewayProxies.<name>` entry holds. */
const DEPLOY_ARGS: ReadonlySet<string> = new Set<keyof GatewayProxyArgs>([
    "name",
    "namespace",
    "glooNamespace",
    "releaseName",
    "upstreams",
    "k8s",
    "serviceAccount",
    "deployWith",
    "provider",
]);

/** The `gatewayProxies.<name>` entry among the args (everything but where and how to deploy; `namespace` when it is not the release's). */
function proxyEntry(args: GatewayProxyArgs): GatewayProxyEntryInputs & { namespace?: string } {
    const entry = Object.fromEntries(Object.entries(args).filter(([k]) => !DEPLOY_ARGS.has(k))) as GatewayProxyEntryInputs;
    const { namespace } = args;
    return namespace !== undefined && namespace !== releaseNamespace(args) ? { ...entry, namespace } : entry;
}

/** Refuse what would deploy nothing or cannot be deployed, before anything is rendered. */
function checkDeployArgs(component: string, args: GatewayProxyArgs): void {
    const deployWith = args.deployWith ?? "resources";
    if (deployWith !== "resources" && deployWith !== "helm") {
        throw new ComponentArgsError(component, [
            { path: "deployWith", message: `${JSON.stringify(deployWith)} is not one of resources, helm` },
        ]);
    }
    if (args.disabled === true) {
        throw new ComponentArgsError(component, [{ path: "disabled", message: "true would deploy nothing; leave the proxy out instead" }]);
    }
    checkInputPaths(component, { ...proxyEntry(args), upstreams: args.upstreams ?? [] }, GATEWAY_PROXY_INPUT_PATHS);
    const chart = gatewayProxyChartPath();
    if (deployWith === "helm" && !existsSync(path.join(chart, "Chart.yaml"))) {
        throw new Error(`${component}: deployWith "helm" needs the bundled chart, not found at ${chart}`);
    }
}

/**
 * The objects as the typed resources deploy them: the bootstrap ConfigMap named after its
 * content (`<proxy>-envoy-config-<first 10 hex digits of its sha256>`), and the workload's volume
 * pointing at that name. A keepalive change thus renames the ConfigMap: pulumi-kubernetes
 * replaces it create-before-delete (it deletes first only when the name stays the same), the
 * workload's update rolls the pods onto the new one, and the old one goes last — on any provider,
 * with or without `enableConfigMapMutable`. The chart keeps Gloo's fixed name.
 */
export function contentHashedBootstrap(
    objects: readonly KubernetesObject[],
    proxy: Pick<ProxyRender, "name" | "checksum">,
): KubernetesObject[] {
    const fixed = configMapName(proxy.name);
    const hashed = `${fixed}-${proxy.checksum.slice(0, 10)}`;
    return objects.map((o) => {
        if (o.apiVersion === "v1" && o.kind === "ConfigMap" && o.metadata.name === fixed)
            return { ...o, metadata: { ...o.metadata, name: hashed } };
        if (o.apiVersion !== "apps/v1" || (o.kind !== "Deployment" && o.kind !== "DaemonSet")) return o;
        const spec = o.spec as { template: { spec: { volumes?: { configMap?: { name: string } }[] } } };
        const volumes = spec.template.spec.volumes?.map((v) =>
            v.configMap?.name === fixed ? { ...v, configMap: { ...v.configMap, name: hashed } } : v,
        );
        return { ...o, spec: { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, volumes } } } };
    });
}

/** Name once, on the component, the values it accepted that render nothing (the CLI's note, as a Pulumi warning). */
export function warnNotRendered(resource: pulumi.Resource, paths: readonly string[]): void {
    if (paths.length > 0) void pulumi.log.warn(notRenderedNotice(paths), resource);
}

/**
 * `deployWith: "helm"` keeps Gloo's fixed ConfigMap name, which pulumi-kubernetes replaces
 * delete-first on a data change unless the provider has `enableConfigMapMutable`. Warn when that
 * is known to be unset: the default provider without `kubernetes:enableConfigMapMutable`. (An
 * explicit provider's settings cannot be read here; the README says what it needs.)
 */
function warnIfReplacedDeleteFirst(resource: pulumi.Resource, provider: k8s.Provider | undefined): void {
    if (provider !== undefined || new pulumi.Config("kubernetes").getBoolean("enableConfigMapMutable") === true) return;
    void pulumi.log.warn(
        `deployWith "helm" keeps Gloo's fixed bootstrap ConfigMap name, and kubernetes:enableConfigMapMutable is not set: a keepalive change would delete the live ConfigMap before its replacement exists. Set kubernetes:enableConfigMapMutable: "true" (or a provider with enableConfigMapMutable: true), or deploy with "resources" (a content-named ConfigMap, replaced create-before-delete).`,
        resource,
    );
}

/**
 * A Gloo gateway proxy (Envoy) with TCP keepalive on every hop: its ServiceAccount, the
 * bootstrap ConfigMap, its Service, its Deployment or DaemonSet (whose pod template carries the
 * bootstrap checksum, so a keepalive change rolls the pods), its http/https Gloo Gateways and any
 * Upstreams given, exactly as `renderValues` renders them (with `deployWith: "resources"`, the
 * ConfigMap is named after its content: see `contentHashedBootstrap`).
 *
 * Args are checked with the library before anything is registered: plain args synchronously (the
 * constructor throws a `ComponentArgsError` whose lines read `<arg path>: <what is wrong>`); args
 * that are Outputs when they resolve (the apply fails with the same message and no child is
 * registered). A Kubernetes object another component of the program already deploys is refused
 * (`DuplicateKubernetesObjectError`, naming both) before anything is registered. Child resources
 * are named `<namespace>/<object name>`: no name depends on a keepalive value or on this component's name.
 */
export class GatewayProxy extends pulumi.ComponentResource {
    /** The Envoy bootstrap, as stored in the ConfigMap (key `envoy.yaml`). */
    public readonly bootstrap: pulumi.Output<Record<string, unknown>>;
    /** sha256 of the bootstrap text: the pod template's `checksum/<proxy>-envoy-config` annotation. */
    public readonly bootstrapChecksum: pulumi.Output<string>;
    /** The keepalive in force on every hop (xDS, built-in and static clusters, downstream Gateways, upstreams); not kept in the stack's state. */
    public readonly keepalive: pulumi.Output<HopKeepalive[]>;
    /** Worst-case seconds to detect a dead peer per hop, keyed `<hop kind>/<hop name>`; null where a hop has no keepalive. */
    public readonly detectionSeconds: pulumi.Output<Record<string, number | null>>;
    /** The worst case over every hop; null when some hop has no keepalive. */
    public readonly maxDetectionSeconds: pulumi.Output<number | null>;
    /** Every warning of every hop (e.g. a keepalive time not below the load balancer idle timeout). */
    public readonly warnings: pulumi.Output<string[]>;
    /** Name of the proxy's Kubernetes Service. */
    public readonly serviceName: pulumi.Output<string>;
    /** The Kubernetes name of the proxy (the kebab-case of `name`). */
    public readonly proxyName: string;
    /** The typed resources, keyed `<kind> <namespace>/<name>` (empty with `deployWith: "helm"`). */
    public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;
    /** The chart (only with `deployWith: "helm"`). */
    public readonly chart?: k8s.helm.v4.Chart;

    /**
     * @param name The unique name of this component. Child names do not include it, so renaming the
     *   component moves only its own URN: pass `aliases: [{ name: "<old name>" }]` in `opts` to keep it.
     * @param args The proxy's values (a `gatewayProxies.<name>` entry) plus where and how to deploy it.
     * @param opts Resource options, passed through (e.g. `aliases`, `providers`, `protect`).
     */
    constructor(name: string, args: GatewayProxyArgs, opts?: pulumi.ComponentResourceOptions) {
        const type = "gloo-keepalive:index:GatewayProxy";
        const component = `${type} "${name}"`;
        checkDeployArgs(component, args);
        // From GatewayProxies: its render of the whole values, whose objects it has claimed already.
        const handed = handedRender<ProxyRendering>(args);
        const { shape, rendering }: ProxyRenders = handed ? { shape: handed, rendering: handed } : proxyRenders(component, args);
        if (!handed) claimObjects(component, shape.objects);

        super(type, name, {}, opts);

        warnNotRendered(this, shape.notRendered);
        const { releaseName = DEFAULT_RELEASE_NAME, provider } = args;
        const namespace = releaseNamespace(args);
        const childOpts: pulumi.CustomResourceOptions = { parent: this, ...(provider ? { provider } : {}) };
        this.proxyName = shape.proxy.name;
        const resources: Record<string, pulumi.CustomResource> = {};
        if (args.deployWith === "helm") {
            const values = fromRendering(rendering, (r) => r.chartValues as Record<string, unknown>);
            warnIfReplacedDeleteFirst(this, args.provider);
            this.chart = new k8s.helm.v4.Chart(
                `${namespace}/${shape.proxy.name}`,
                { chart: gatewayProxyChartPath(), name: releaseName, namespace, values },
                childOpts,
            );
            const service = fromRendering(rendering, (r) => serviceOf(r.objects));
            this.serviceName = pulumi.all([this.chart.urn, service]).apply(([, s]) => s);
        } else {
            // A render known now (plain args, or handed by GatewayProxies) is deployed as plain inputs: no Output per field.
            const deployed = pulumi.Output.isInstance(rendering)
                ? rendering.apply((r) => contentHashedBootstrap(r.objects, r.proxy))
                : contentHashedBootstrap(rendering.objects, rendering.proxy);
            withShortStacks(() =>
                shape.objects.forEach((object, i) => {
                    resources[`${object.kind} ${objectResourceName(object)}`] = deployObject(
                        object,
                        Array.isArray(deployed) ? deployed[i] : deployed.apply((d) => d[i]),
                        childOpts,
                        resources,
                    );
                }),
            );
            const service = Object.values(resources).find((r) => k8s.core.v1.Service.isInstance(r)) as k8s.core.v1.Service;
            this.serviceName = service.metadata.name;
        }
        this.resources = resources;

        this.keepalive = fromRendering(rendering, (r) => hopKeepalive(r.proxy));
        this.bootstrap = fromRendering(rendering, (r) => r.proxy.bootstrap);
        this.bootstrapChecksum = fromRendering(rendering, (r) => r.proxy.checksum);
        this.detectionSeconds = this.keepalive.apply(detectionSecondsByHop);
        this.maxDetectionSeconds = this.keepalive.apply(maxDetectionSeconds);
        this.warnings = this.keepalive.apply((hops) => hops.flatMap((h) => h.warnings.map((w) => `${h.kind} ${h.name}: ${w}`)));

        // The state keeps the summary per hop; `keepalive` (every hop's source and effective numbers) stays
        // a property: registered, it was most of the state (and of a mocked run's memory) at 100 proxies.
        this.registerOutputs({
            bootstrapChecksum: this.bootstrapChecksum,
            detectionSeconds: this.detectionSeconds,
            maxDetectionSeconds: this.maxDetectionSeconds,
            warnings: this.warnings,
            serviceName: this.serviceName,
        });
    }
}

/** The render known at construction, or the render once Output args resolve. */
type Rendering = ProxyRendering | pulumi.Output<ProxyRendering>;

/**
 * An Output of a part of the render. From a render known now, the part is shared, not copied:
 * `pulumi.output` of a plain value copies it whole, and an Output of the whole render would walk
 * every object and the bootstrap again for each part read from it.
 */
function fromRendering<T>(rendering: Rendering, pick: (r: ProxyRendering) => T): pulumi.Output<T> {
    if (pulumi.Output.isInstance(rendering)) return rendering.apply(pick);
    const part = pick(rendering);
    return pulumi.output(true).apply(() => part);
}

function serviceOf(objects: readonly KubernetesObject[]): string {
    const service = objects.find((o) => o.apiVersion === "v1" && o.kind === "Service");
    if (!service) throw new Error("internal error: the proxy renders no Service");
    return service.metadata.name;
}

/** The rendered object's fields as a typed resource's args (the library's objects are what the chart renders, not the SDK's types). */
function argsOf<T>(fields: Record<string, pulumi.Input<unknown>>): T {
    return fields as unknown as T;
}

/**
 * One typed resource for a rendered object. `shape` gives the type and the metadata (known before
 * any Output resolves, so previews show every object's name and labels); every other top-level
 * field comes from the resolved render.
 */
function deployObject(
    shape: KubernetesObject,
    rendered: pulumi.Output<KubernetesObject> | KubernetesObject,
    opts: pulumi.CustomResourceOptions,
    siblings: Readonly<Record<string, pulumi.CustomResource>>,
): pulumi.CustomResource {
    const name = objectResourceName(shape);
    const of = (pick: (o: KubernetesObject) => unknown): pulumi.Input<unknown> =>
        pulumi.Output.isInstance(rendered) ? rendered.apply(pick) : pick(rendered);
    // Plain metadata (previews show every name), but for what the render decides: the annotations, the bootstrap's content-hashed name.
    const metadata: Record<string, pulumi.Input<unknown>> = { ...shape.metadata };
    if (shape.metadata.annotations) metadata.annotations = of((o) => o.metadata.annotations);
    if (shape.kind === "ConfigMap") metadata.name = of((o) => o.metadata.name);
    const fields: Record<string, pulumi.Input<unknown>> = { metadata };
    for (const field of Object.keys(shape)) {
        if (field !== "apiVersion" && field !== "kind" && field !== "metadata") fields[field] = of((o) => o[field]);
    }
    switch (`${shape.apiVersion}/${shape.kind}`) {
        case "v1/ServiceAccount":
            return new k8s.core.v1.ServiceAccount(name, argsOf<k8s.core.v1.ServiceAccountArgs>(fields), opts);
        case "v1/ConfigMap":
            return new k8s.core.v1.ConfigMap(name, argsOf<k8s.core.v1.ConfigMapArgs>(fields), opts);
        case "v1/Service":
            return new k8s.core.v1.Service(name, argsOf<k8s.core.v1.ServiceArgs>(fields), opts);
        case "apps/v1/Deployment":
        case "apps/v1/DaemonSet": {
            // The pods mount the ConfigMap and run as the ServiceAccount: roll them only once both exist.
            const dependsOn = Object.values(siblings).filter(
                (r) => k8s.core.v1.ConfigMap.isInstance(r) || k8s.core.v1.ServiceAccount.isInstance(r),
            );
            const workloadOpts = { ...opts, dependsOn };
            return shape.kind === "Deployment"
                ? new k8s.apps.v1.Deployment(name, argsOf<k8s.apps.v1.DeploymentArgs>(fields), workloadOpts)
                : new k8s.apps.v1.DaemonSet(name, argsOf<k8s.apps.v1.DaemonSetArgs>(fields), workloadOpts);
        }
        case "policy/v1/PodDisruptionBudget":
            return new k8s.policy.v1.PodDisruptionBudget(name, argsOf<k8s.policy.v1.PodDisruptionBudgetArgs>(fields), opts);
        case "autoscaling/v1/HorizontalPodAutoscaler":
            return new k8s.autoscaling.v1.HorizontalPodAutoscaler(
                name,
                argsOf<k8s.autoscaling.v1.HorizontalPodAutoscalerArgs>(fields),
                opts,
            );
        case "autoscaling/v2/HorizontalPodAutoscaler":
            return new k8s.autoscaling.v2.HorizontalPodAutoscaler(
                name,
                argsOf<k8s.autoscaling.v2.HorizontalPodAutoscalerArgs>(fields),
                opts,
            );
        case "autoscaling/v2beta2/HorizontalPodAutoscaler":
            return new k8s.autoscaling.v2beta2.HorizontalPodAutoscaler(
                name,
                argsOf<k8s.autoscaling.v2beta2.HorizontalPodAutoscalerArgs>(fields),
                opts,
            );
        case "gateway.solo.io/v1/Gateway":
        case "gloo.solo.io/v1/Upstream":
            return new k8s.apiextensions.CustomResource(name, { apiVersion: shape.apiVersion, kind: shape.kind, ...fields }, opts);
        default:
            throw new Error(`internal error: the library rendered a ${shape.apiVersion} ${shape.kind}, which GatewayProxy cannot deploy`);
    }
}
