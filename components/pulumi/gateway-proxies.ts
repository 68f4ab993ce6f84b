/**
 * `GatewayProxies`: the whole `gatewayProxies` map in Gloo's shape (and Gloo Enterprise's
 * `gloo.gatewayProxies` nesting), one `GatewayProxy` per enabled entry after Gloo's merge of every
 * entry over the default entry `gatewayProxy`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkArgs, ComponentArgsError, inputPaths, type DeployWith } from "./component-args";
import { GatewayProxy, type ServiceAccountSettings } from "./gateway-proxy";
import { kebabCase } from "../render/manifests";
import { DEFAULT_NAMESPACE, DEFAULT_RELEASE_NAME, renderValues } from "../render/render";
import type { GatewayProxyValues } from "../values/types";
import { effectiveValues, resolveProxies } from "../values/values";

/** The arguments of `GatewayProxies`: the values' proxy maps as plain values (a stack's config), plus where and how to deploy. */
export interface GatewayProxiesArgs {
    /** The gateway proxies by name; every entry is deep-merged over `gatewayProxy` (lists replace), as in the Gloo chart. */
    gatewayProxies?: Record<string, GatewayProxyValues>;
    /** Gloo Enterprise's nesting: `gloo.gatewayProxies` is merged over `gatewayProxies`. */
    gloo?: { gatewayProxies?: Record<string, GatewayProxyValues> };
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
 * Every enabled gateway proxy of a values file, each a `GatewayProxy` child named
 * `<namespace>/<proxy name>` (so renaming this component moves only its own URN; pass
 * `aliases: [{ name: "<old name>" }]` to keep it). The values are checked whole with the library
 * first: a bad value throws a `ComponentArgsError` naming its path (`gatewayProxies.edge.tcpKeepaliveProbes`,
 * `gloo.gatewayProxies.edge...`) before any resource is registered. Values that come from other
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
        const values = { gatewayProxies: args.gatewayProxies, gloo: args.gloo, k8s: args.k8s };
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
        checkArgs(component, [], () => renderValues([values], { namespace, releaseName }));

        super(type, name, {}, opts);

        const effective = effectiveValues(values);
        const proxies: Record<string, GatewayProxy> = {};
        // One gateway-proxy ServiceAccount for the namespace, as Gloo: the first proxy renders it, the others run as it.
        let serviceAccount: ServiceAccountSettings | undefined = args.serviceAccount;
        for (const proxy of resolveProxies(effective)) {
            proxies[proxy.name] = new GatewayProxy(
                `${namespace}/${kebabCase(proxy.name)}`,
                {
                    ...proxy.values,
                    name: proxy.name,
                    namespace,
                    releaseName,
                    k8s: effective.k8s,
                    serviceAccount,
                    deployWith,
                    provider,
                },
                { parent: this },
            );
            serviceAccount = { ...serviceAccount, create: false };
        }
        this.proxies = proxies;
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
