/**
 * `GatewayProxies`: the whole `gatewayProxies` map in Gloo's shape (and Gloo Enterprise's
 * `gloo.gatewayProxies` nesting), one `GatewayProxy` per enabled entry after Gloo's merge of every
 * entry over the default entry `gatewayProxy`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkArgs, ComponentArgsError, inputPaths, withoutUndefined, type DeployWith } from "./component-args";
import { GatewayProxy, gatewayProxyChartValues, warnNotRendered, type ProxyRendering, type ServiceAccountSettings } from "./gateway-proxy";
import { withShortStacks } from "./short-stacks";
import { claimObjects, handedRender, handRender } from "./program-state";
import { DEFAULT_NAMESPACE, DEFAULT_RELEASE_NAME, renderValues, type RenderResult } from "../render/render";
import type { GatewayProxyValues, GlooKeepaliveValues } from "../values/types";

/** The arguments of `GatewayProxies`: the values' proxy maps as plain values (a stack's config), plus where and how to deploy. */
export interface GatewayProxiesArgs {
    /** The gateway proxies by name; every entry is deep-merged over `gatewayProxy` (lists replace), as in the Gloo chart. */
    gatewayProxies?: Record<string, GatewayProxyValues>;
    /** Gloo's `gloo` values: Gloo Enterprise's nesting `gloo.gatewayProxies` (merged over `gatewayProxies`), and the control plane's ports the proxies reach (`gloo.deployment.xdsPort`, ...). */
    gloo?: GlooKeepaliveValues["gloo"];
    /** Gloo's `global` values (image registry, stats, Istio integration, ...), as the proxies read them. */
    global?: GlooKeepaliveValues["global"];
    /** Gloo's `settings` (`writeNamespace`: the proxies' node role). */
    settings?: GlooKeepaliveValues["settings"];
    /** Gloo's `gateway` values (`proxyServiceAccount`, ...); `serviceAccount` below is merged over `gateway.proxyServiceAccount`. */
    gateway?: GlooKeepaliveValues["gateway"];
    /** Kubernetes cluster settings: `clusterName` is the cluster's DNS domain (default `cluster.local`). */
    k8s?: { clusterName?: string };
    /** The `gateway-proxy` ServiceAccount every proxy runs as (Gloo's `gateway.proxyServiceAccount`); `create: false` reuses an existing one. */
    serviceAccount?: ServiceAccountSettings;
    /** Namespace of every proxy's objects (helm's release namespace). Default `gloo-system`. */
    namespace?: string;
    /** Release name carried in the `app.kubernetes.io/instance` label. Default `gateway-proxy`. */
    releaseName?: string;
    /** `resources` (default): typed resources per object; `helm`: the bundled chart per proxy. */
    deployWith?: DeployWith;
    /** The Kubernetes provider for every proxy; default: the parent's, or the default provider. */
    provider?: k8s.Provider;
}

/**
 * The chart values of one proxy: its own (`gatewayProxyChartValues`) over what every proxy reads
 * from the whole values (`global`, `settings`, `gateway`, `gloo` but its proxies), so the chart renders
 * that proxy as the whole values render it.
 */
function oneProxyChartValues(values: GlooKeepaliveValues, proxy: GlooKeepaliveValues): GlooKeepaliveValues {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { gatewayProxies, upstreams, gloo, gateway, ...shared } = values;
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { gatewayProxies: nested, ...glooRest } = gloo ?? {};
    return withoutUndefined({
        ...shared,
        ...(Object.keys(glooRest).length > 0 ? { gloo: glooRest } : {}),
        ...proxy,
        gateway: gateway || proxy.gateway ? { ...gateway, ...proxy.gateway } : undefined,
    }) as GlooKeepaliveValues;
}

/**
 * Each proxy's part of the whole render, as handed to its `GatewayProxy`, and the ServiceAccount
 * settings it runs with: one gateway-proxy ServiceAccount per namespace, as Gloo, deployed by the
 * first proxy, the others running as it. Only the proxies: the Upstreams (and their hops) belong to
 * whoever deploys them.
 */
function proxyParts(
    values: GlooKeepaliveValues,
    rendered: RenderResult,
    account: ServiceAccountSettings | undefined,
): { rendering: ProxyRendering; serviceAccount: ServiceAccountSettings | undefined }[] {
    const accounts = rendered.objects.filter((o) => o.kind === "ServiceAccount");
    return rendered.proxies.map((proxy, i) => {
        const serviceAccount = i === 0 ? account : { ...account, create: false };
        const rendering = {
            proxy: { ...proxy, hops: proxy.hops.filter((h) => h.kind !== "upstream") },
            objects: i === 0 ? [...accounts, ...proxy.objects] : proxy.objects,
            // Built when read: only a proxy deployed with the chart reads its values.
            get chartValues() {
                return oneProxyChartValues(
                    values,
                    gatewayProxyChartValues(proxy.key, proxy.values, [], rendered.values.k8s, serviceAccount),
                );
            },
            notRendered: [], // named once, by GatewayProxies
        };
        return { rendering, serviceAccount };
    });
}

/**
 * Every enabled gateway proxy of a values file, each a `GatewayProxy` child named
 * `<namespace>/<proxy name>` (so renaming this component moves only its own URN; pass
 * `aliases: [{ name: "<old name>" }]` to keep it). The values are checked whole with the library
 * first: a bad value throws a `ComponentArgsError` naming its path (`gatewayProxies.edge.tcpKeepaliveProbes`,
 * `gloo.gatewayProxies.edge...`) before any resource is registered. That one render serves every
 * child proxy. A proxy another component of the program already deploys is refused
 * (`DuplicateKubernetesObjectError`) before this component registers. Values that come from other
 * resources: use `GatewayProxy`, whose keepalive args accept Outputs.
 */
export class GatewayProxies extends pulumi.ComponentResource {
    /** The proxies, by `gatewayProxies` key. */
    public readonly proxies: Readonly<Record<string, GatewayProxy>>;
    /** Each proxy's bootstrap checksum (the `checksum/<proxy>-envoy-config` pod annotation), by key. */
    public readonly bootstrapChecksums: pulumi.Output<Record<string, string>>;
    /** Each proxy's worst-case detection seconds per hop (`<hop kind>/<hop name>`; null: no keepalive), by key. */
    public readonly detectionSeconds: pulumi.Output<Record<string, Record<string, number | null>>>;
    /** Each proxy's worst case over its hops (null when a hop has no keepalive), by key. */
    public readonly maxDetectionSeconds: pulumi.Output<Record<string, number | null>>;
    /** Each proxy's Service name, by key. */
    public readonly serviceNames: pulumi.Output<Record<string, string>>;

    /**
     * @param name The unique name of this component (no child name depends on it).
     * @param args The values' proxy maps and the release settings.
     * @param opts Resource options, passed through (e.g. `aliases`, `providers`, `protect`).
     */
    constructor(name: string, args: GatewayProxiesArgs, opts?: pulumi.ComponentResourceOptions) {
        const type = "gloo-keepalive:index:GatewayProxies";
        const component = `${type} "${name}"`;
        const { namespace = DEFAULT_NAMESPACE, releaseName = DEFAULT_RELEASE_NAME, deployWith, provider } = args;
        const gateway = args.serviceAccount
            ? { ...args.gateway, proxyServiceAccount: { ...args.gateway?.proxyServiceAccount, ...args.serviceAccount } }
            : args.gateway;
        const values: GlooKeepaliveValues = withoutUndefined({
            gatewayProxies: args.gatewayProxies,
            gloo: args.gloo,
            global: args.global,
            settings: args.settings,
            gateway,
            k8s: args.k8s,
        }) as GlooKeepaliveValues;
        const outputs = inputPaths(values);
        if (outputs.length > 0) {
            throw new ComponentArgsError(
                component,
                outputs.map((p) => ({
                    path: p,
                    message:
                        "may not be an Output or a promise here (the map is merged as Gloo merges it); use GatewayProxy for values from other resources",
                })),
            );
        }
        // The whole values, checked as the chart and the library check them; paths are the args' own.
        // The program's own render of the same values when it hands one (the stack program does).
        const rendered =
            handedRender<RenderResult>(args) ?? checkArgs(component, [], () => renderValues([values], { namespace, releaseName }));
        const parts = proxyParts(values, rendered, gateway?.proxyServiceAccount);
        for (const { rendering: r } of parts)
            claimObjects(`gloo-keepalive:index:GatewayProxy "${namespace}/${r.proxy.name}" of ${component}`, r.objects);

        super(type, name, {}, opts);
        warnNotRendered(this, rendered.notRendered);

        // Handed a checked render, the proxies only register their objects: with short stack traces (see short-stacks.ts).
        const shared = { glooNamespace: namespace, releaseName, k8s: rendered.values.k8s, deployWith, provider };
        this.proxies = withShortStacks(() =>
            Object.fromEntries(
                parts.map(({ rendering: r, serviceAccount }) => {
                    const namespaced = { name: r.proxy.key, namespace: r.proxy.values.namespace || namespace, serviceAccount };
                    const childArgs = handRender({ ...r.proxy.values, ...shared, ...namespaced }, r);
                    const child = new GatewayProxy(`${namespace}/${r.proxy.name}`, childArgs, { parent: this });
                    return [r.proxy.key, child];
                }),
            ),
        );
        const proxies = this.proxies;
        const byKey = <T>(pick: (p: GatewayProxy) => pulumi.Output<T>) =>
            pulumi.all(Object.fromEntries(Object.entries(proxies).map(([k, p]) => [k, pick(p)]))) as pulumi.Output<Record<string, T>>;
        this.bootstrapChecksums = byKey((p) => p.bootstrapChecksum);
        this.detectionSeconds = byKey((p) => p.detectionSeconds);
        this.maxDetectionSeconds = byKey((p) => p.maxDetectionSeconds);
        this.serviceNames = byKey((p) => p.serviceName);

        this.registerOutputs({
            bootstrapChecksums: this.bootstrapChecksums,
            detectionSeconds: this.detectionSeconds,
            maxDetectionSeconds: this.maxDetectionSeconds,
            serviceNames: this.serviceNames,
        });
    }
}
