/**
 * `GlooRelease`: solo-io's own `gloo` chart (control plane and proxies, as most Gloo users install
 * it), deployed with `k8s.helm.v4.Chart` from the same typed values as `GatewayProxies`, their
 * keepalive lowered into that chart's values (components/gloo-chart/lower.ts) over the team's own
 * Gloo values, which pass through as they are. The Upstreams, which that chart does not render,
 * are deployed next to it as `KeepaliveUpstream`s.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { checkArgs, ComponentArgsError, inputPaths } from "./component-args";
import { KeepaliveUpstream } from "./keepalive-upstream";
import { GLOO_CHART_REPOSITORY, GLOO_CHART_VERSION, lowerForGlooChart, type GlooChartShape } from "../gloo-chart/lower";
import { glooChartReport } from "../gloo-chart/report";
import { DEFAULT_NAMESPACE } from "../render/render";
import type { GlooKeepaliveValues } from "../values/types";

/** The arguments of a `GlooRelease`. */
export interface GlooReleaseArgs {
    /** The typed values (the stack's `gloo-keepalive:values`): `gatewayProxies`, `gloo.gatewayProxies`, `upstreams`, `k8s`. */
    values: GlooKeepaliveValues;
    /** The team's own values for solo-io's chart, passed through untouched where keepalive is not concerned. */
    glooValues?: Record<string, unknown>;
    /** The chart: `gloo` (from `repository`), `gloo-ee`, or a local chart directory. Default `gloo`. */
    chart?: string;
    /** The Helm repository. Default solo-io's public one; ignored for a local path. */
    repository?: string;
    /** The chart version. Default GLOO_CHART_VERSION (1.22.1), the one the lowering targets; ignored for a local path. */
    version?: string;
    /** `gloo` or `gloo-ee` (values under `gloo.`); default: from the values, `gloo-ee` for chart `gloo-ee`. */
    shape?: GlooChartShape;
    /** The release name. Default `gloo`. */
    releaseName?: string;
    /** The release namespace. Default `gloo-system`. */
    namespace?: string;
    /** The Kubernetes provider for every child; default: the parent's, or the default provider. */
    provider?: k8s.Provider;
}

const isLocalPath = (chart: string) => chart.startsWith(".") || chart.startsWith("/");

/**
 * solo-io's chart with every hop's keepalive lowered into its values. The values are checked
 * whole with the library first: a bad value throws a `ComponentArgsError` naming its path before
 * any resource is registered.
 */
export class GlooRelease extends pulumi.ComponentResource {
    /** The chart. */
    public readonly chart: k8s.helm.v4.Chart;
    /** The values given to the chart (the lowered `gloo-values.yaml`). */
    public readonly chartValues: Record<string, unknown>;
    /** The Upstreams of the values, by name. */
    public readonly upstreams: Readonly<Record<string, KeepaliveUpstream>>;
    /** Each proxy's worst-case dead-peer detection over the hops that leave the pod (null: a hop has no keepalive), by key. */
    public readonly maxDetectionSeconds: pulumi.Output<Record<string, number | null>>;

    /**
     * @param name The unique name of this component (also the chart resource's name).
     * @param args The typed values, the team's Gloo values and where the chart comes from.
     * @param opts Resource options, passed through (e.g. `aliases`, `providers`, `protect`).
     */
    constructor(name: string, args: GlooReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
        const type = "gloo-keepalive:index:GlooRelease";
        const component = `${type} "${name}"`;
        const { chart = "gloo", releaseName = "gloo", namespace = DEFAULT_NAMESPACE, provider } = args;
        const outputs = inputPaths({ values: args.values, glooValues: args.glooValues });
        if (outputs.length > 0) {
            throw new ComponentArgsError(
                component,
                outputs.map((p) => ({ path: p, message: "may not be an Output or a promise (the values are lowered before deployment)" })),
            );
        }
        const shape = args.shape ?? (chart === "gloo-ee" ? "gloo-ee" : undefined);
        const lowered = checkArgs(component, [], () =>
            lowerForGlooChart([args.values], args.glooValues ?? {}, { releaseName, namespace, shape }),
        );
        super(type, name, {}, opts);

        const childOpts: pulumi.CustomResourceOptions = { parent: this, ...(provider ? { provider } : {}) };
        const local = isLocalPath(chart);
        this.chartValues = lowered.values;
        this.chart = new k8s.helm.v4.Chart(
            name,
            {
                chart,
                name: releaseName,
                namespace,
                values: lowered.values,
                ...(local
                    ? {}
                    : { version: args.version ?? GLOO_CHART_VERSION, repositoryOpts: { repo: args.repository ?? GLOO_CHART_REPOSITORY } }),
            },
            childOpts,
        );
        const upstreams: Record<string, KeepaliveUpstream> = {};
        for (const u of lowered.render.values.upstreams ?? []) {
            upstreams[u.name] = new KeepaliveUpstream(
                `${u.namespace ?? namespace}/${u.name}`,
                { ...u, namespace: u.namespace ?? namespace, releaseName, ...(provider ? { provider } : {}) },
                { parent: this },
            );
        }
        this.upstreams = upstreams;
        this.maxDetectionSeconds = pulumi.output(
            Object.fromEntries(glooChartReport(lowered).map((r) => [r.key, r.worstDetectionSeconds ?? null])),
        );
        this.registerOutputs({ chartValues: this.chartValues, maxDetectionSeconds: this.maxDetectionSeconds });
    }
}
