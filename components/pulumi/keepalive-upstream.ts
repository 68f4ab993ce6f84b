/**
 * `KeepaliveUpstream`: a Gloo Upstream with typed TCP keepalive, for any stack to declare the
 * services its gateway proxies route to.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    checkArgs,
    checkInputPaths,
    inputPaths,
    objectResourceName,
    withoutUndefined,
    withPlaceholders,
    type PathMapping,
    type TcpKeepaliveInputs,
} from "./component-args";
import { detectionSeconds, effectiveKeepalive, type EffectiveTcpKeepalive, type TcpKeepalive } from "../keepalive";
import { keepaliveUpstream, type KubernetesObject } from "../render/manifests";
import { DEFAULT_NAMESPACE, DEFAULT_RELEASE_NAME, renderValues } from "../render/render";
import type { UpstreamValues } from "../values/types";
import { DEFAULT_PROXY } from "../values/schema";
import { claimObjects, handedRender } from "./program-state";

/** The arguments of a `KeepaliveUpstream`: the library's `UpstreamValues`, address and keepalive possibly from other resources. */
export interface KeepaliveUpstreamArgs {
    /** Upstream name (a Kubernetes object name). */
    name: string;
    /** Namespace of the Upstream (one Gloo watches). Default `gloo-system`. */
    namespace?: string;
    /** Host name or IP address of the service (e.g. a Service's DNS name from another resource). */
    host: pulumi.Input<string>;
    /** Port of the service. 1..65535. */
    port: pulumi.Input<number>;
    /** Keepalive on connections from the proxy to this upstream (rendered as `"60s"` Durations and an integer probe count). */
    tcpKeepalive: TcpKeepaliveInputs;
    /** Release name carried in the `app.kubernetes.io/instance` label. Default `gateway-proxy`. */
    releaseName?: string;
    /** The Kubernetes provider; default: the parent's, or the default provider. */
    provider?: k8s.Provider;
}

/** Where an arg may be an Output or a promise. */
export const KEEPALIVE_UPSTREAM_INPUT_PATHS: readonly string[] = [
    "host",
    "port",
    "tcpKeepalive.timeSeconds",
    "tcpKeepalive.intervalSeconds",
    "tcpKeepalive.probes",
];

const ARG_PATHS: PathMapping = [["upstreams[0]", "upstream"]];

/** Check one upstream with the library (schema, kernel bounds, the Gloo Upstream CRD) and render it with `keepaliveUpstream()`. */
function renderUpstream(component: string, upstream: UpstreamValues, namespace: string, releaseName: string): KubernetesObject {
    const values = { gatewayProxies: { [DEFAULT_PROXY]: { disabled: true } }, upstreams: [upstream] };
    checkArgs(component, ARG_PATHS, () => renderValues([values], { namespace, releaseName }));
    return keepaliveUpstream(upstream, namespace, releaseName);
}

/**
 * A `gloo.solo.io/v1 Upstream` with `spec.connectionConfig.tcpKeepalive`, checked before anything is
 * registered (plain args: the constructor throws a `ComponentArgsError` with `<arg path>: <what is
 * wrong>` lines; Outputs: the apply fails with the same message and the Upstream is not registered).
 * An Upstream another component of the program already deploys (e.g. in `GatewayProxy.upstreams`)
 * is refused with a `DuplicateKubernetesObjectError` naming both, before anything is registered.
 * The child is named `<namespace>/<name>`, independent of the keepalive values and of this
 * component's name (pass `aliases: [{ name: "<old name>" }]` in `opts` when you rename it).
 */
export class KeepaliveUpstream extends pulumi.ComponentResource {
    /** The Upstream's name. */
    public readonly upstreamName: string;
    /** The Upstream's namespace. */
    public readonly upstreamNamespace: string;
    /** A Gloo resource reference to the Upstream, for VirtualService routes (`routeAction.single.upstream`). */
    public readonly ref: { name: string; namespace: string };
    /** Time, interval and probes in force (Linux defaults 7200/75/9 for unset fields). */
    public readonly effectiveKeepalive: pulumi.Output<EffectiveTcpKeepalive>;
    /** Worst-case seconds to detect a dead upstream (time + interval × probes). */
    public readonly detectionSeconds: pulumi.Output<number>;
    /** The Upstream resource. */
    public readonly upstream: k8s.apiextensions.CustomResource;

    /**
     * @param name The unique name of this component (the child's name does not depend on it).
     * @param args The upstream, in the library's `UpstreamValues` shape.
     * @param opts Resource options, passed through (e.g. `aliases`, `providers`, `protect`).
     */
    constructor(name: string, args: KeepaliveUpstreamArgs, opts?: pulumi.ComponentResourceOptions) {
        const type = "gloo-keepalive:index:KeepaliveUpstream";
        const component = `${type} "${name}"`;
        const { releaseName = DEFAULT_RELEASE_NAME, provider, ...upstream } = args;
        const namespace = upstream.namespace ?? DEFAULT_NAMESPACE;
        checkInputPaths(component, upstream, KEEPALIVE_UPSTREAM_INPUT_PATHS);
        const placeholder = (p: string) => (p === "host" ? "placeholder.invalid" : 1);
        // The program's own render of this upstream when it hands one (the stack program does).
        const shape =
            handedRender<KubernetesObject>(args) ??
            renderUpstream(component, withoutUndefined(withPlaceholders(upstream, placeholder)) as UpstreamValues, namespace, releaseName);
        claimObjects(component, [shape]);

        super(type, name, {}, opts);

        const resolved: pulumi.Output<{ object: KubernetesObject; keepalive: TcpKeepalive }> =
            inputPaths(upstream).length === 0
                ? (pulumi.output({ object: shape, keepalive: upstream.tcpKeepalive as TcpKeepalive }) as unknown as pulumi.Output<{
                      object: KubernetesObject;
                      keepalive: TcpKeepalive;
                  }>)
                : pulumi.output(upstream).apply((u) => {
                      const plain = withoutUndefined(u) as UpstreamValues;
                      return { object: renderUpstream(component, plain, namespace, releaseName), keepalive: plain.tcpKeepalive };
                  });
        const object = resolved.apply((r) => r.object);
        this.upstream = new k8s.apiextensions.CustomResource(
            objectResourceName(shape),
            {
                apiVersion: shape.apiVersion,
                kind: shape.kind,
                metadata: shape.metadata, // plain: previews show the Upstream's name even when its address is not known yet
                spec: object.apply((o) => o.spec),
            },
            { parent: this, ...(provider ? { provider } : {}) },
        );
        this.upstreamName = shape.metadata.name;
        this.upstreamNamespace = namespace;
        this.ref = { name: this.upstreamName, namespace };
        this.effectiveKeepalive = resolved.apply((r) => effectiveKeepalive(r.keepalive));
        this.detectionSeconds = resolved.apply((r) => detectionSeconds(r.keepalive));

        this.registerOutputs({
            upstreamName: this.upstreamName,
            upstreamNamespace: this.upstreamNamespace,
            effectiveKeepalive: this.effectiveKeepalive,
            detectionSeconds: this.detectionSeconds,
        });
    }
}
