/**
 * The renderer: values in, every object out, or a ValuesError with every issue found.
 * Nothing is rendered from input that fails any check.
 */
import { annotationSizeIssues } from "../checks/annotation-size";
import {
    BOOTSTRAP_KEY,
    bootstrapChecksum,
    bootstrapConfigMap,
    bootstrapText,
    checkSocketOptionConflicts,
    kebabCase,
    keepaliveUpstream,
    proxyService,
    proxyLabels,
    proxyServiceAccount,
    proxyWorkload,
    releaseLabels,
    type KubernetesObject,
} from "./manifests";
import { proxyGlooGateways } from "./gloo-gateway-checks";
import { withFailoverServicePort } from "./gloo-gateways";
import {
    checkStaticClusterNames,
    printedOrNull,
    READ_CONFIG_PORT,
    renderBootstrap,
    staticClusterKeepalive,
    type BootstrapContext,
} from "./bootstrap";
import { proxyHops, type KeepaliveHop } from "./hops";
import { configDumpService, disabledProxyObjects, proxyAutoscaler, proxyDisruptionBudget, withProxyOverrides } from "./proxy-extras";
import { withOverride } from "./kube-override";
import {
    glooBootstrapContext,
    glooBootstrapIssuePath,
    glooBootstrapIssues,
    keepaliveKeptIssues,
    withGlooBootstrap,
} from "./bootstrap-gloo";
import { meshImageIssues, proxyMesh } from "./mesh";
import { imageIssues } from "./gloo-image";
import { monitoringService } from "./monitoring";
import {
    annotated,
    EGRESS_IDLE_TIMEOUT_ANNOTATION,
    middleboxAnnotations,
    proxyMiddleboxes,
    type ProxyMiddleboxes,
    withClusterUserTimeout,
} from "./middlebox";
import type { ValueLayers } from "./provenance";
import { validateEnvoyBootstrap } from "../checks/envoy/validate";
import { checkGlooObject } from "../checks/gloo-crds";
import { duplicateObjectIssues, extraEnvoyArgIssues, rawKeepaliveOptionIssues } from "../checks/proxy-limits";
import { staticClusterSemanticIssues } from "../checks/envoy/semantics";
import { effectiveKeepalive, LINUX_KEEPALIVE_DEFAULTS, toPodSysctls, type EffectiveTcpKeepalive } from "../keepalive";
import type { GatewayProxyValues, GlooKeepaliveValues, ProxyImage, StatsConfig, UpstreamValues } from "../values/types";
import { K8S_NAME_PATTERN } from "../values/schema";
import { notRenderedPaths } from "../values/not-rendered";
import { podSecurityIssues } from "./pod-security";
import { extraPodLabelIssues, POD_LABELS } from "./pod-extras";
import { whenGatewayEnabled } from "./gateway-enabled";
import { additionallyLabelled, withAdditionalLabels } from "./additional-labels";
import {
    checkValuesShape,
    isPlainObject,
    coalesceValues,
    effectiveValues,
    formatPath,
    proxyNamespaces,
    resolveProxies,
    ValuesError,
    type ResolvedProxy,
    type ValueIssue,
} from "../values/values";

/** Inputs of the renderer that helm takes from the command line. */
export interface RenderOptions {
    /** The release name (helm's; labels carry it). Default `gateway-proxy`. */
    releaseName?: string;
    /** The release namespace. Default `gloo-system`. */
    namespace?: string;
    /** The file each values layer came from (same order), so every number's source names it. */
    layerFiles?: readonly (string | undefined)[];
}

export const DEFAULT_RELEASE_NAME = "gateway-proxy";
export const DEFAULT_NAMESPACE = "gloo-system";

/** One rendered proxy. */
export interface ProxyRender {
    /** The `gatewayProxies` key, e.g. `publicGw`. */
    key: string;
    /** The Kubernetes name, e.g. `public-gw`. */
    name: string;
    /** The merged values of the proxy. */
    values: GatewayProxyValues;
    bootstrap: Record<string, unknown>;
    /** The bootstrap as stored in the ConfigMap. */
    bootstrapText: string;
    /** sha256 of bootstrapText. */
    checksum: string;
    /** The OS defaults in the proxy's pod (the keepalive sysctls when the pod sets them). */
    osDefaults: EffectiveTcpKeepalive;
    /** The load balancer in front and the middleboxes on the other hops. */
    middleboxes: ProxyMiddleboxes;
    hops: KeepaliveHop[];
    /** The proxy's own Kubernetes objects (also in `RenderResult.objects`), in the same order. */
    objects: KubernetesObject[];
}

export interface RenderResult {
    /** The effective values after the chart's defaults. */
    values: GlooKeepaliveValues;
    releaseName: string;
    namespace: string;
    proxies: ProxyRender[];
    /** Every Kubernetes object, in a stable order. */
    objects: KubernetesObject[];
    /** Every warning of every hop, prefixed with the proxy and hop. */
    warnings: string[];
    /** Value paths set in the input that render nothing here (Gloo's control plane, Gloo proxy keys not rendered), each once. */
    notRendered: string[];
}

/** Check what the values schema cannot: cluster names and socket-option conflicts (Envoy checks the rendered bootstrap). */
function checkProxy(proxy: ResolvedProxy, ctx: BootstrapContext): ValueIssue[] {
    const v = proxy.values;
    const clustersPath = proxy.origin("envoyStaticClusters");
    const clusters = v.envoyStaticClusters ?? [];
    const issues = checkStaticClusterNames(clusters, clustersPath, ctx);
    clusters.forEach((cluster, i) => {
        // The proxy's keepalive is merged under upstream_connection_options; Envoy's camelCase spelling would escape it.
        if ("upstreamConnectionOptions" in cluster) {
            issues.push({
                path: `${clustersPath}[${i}].upstreamConnectionOptions`,
                message:
                    "write upstream_connection_options (snake_case, as in Envoy YAML): the proxy's keepalive and the kernel bounds apply there",
            });
        }
    });
    issues.push(...checkSocketOptionConflicts(v, proxy.origin("gatewaySettings")));
    issues.push(...checkPorts(proxy));
    issues.push(...proxyLimitIssues(proxy));
    return issues;
}

/** What the kernel or Envoy would refuse where the schema is open (components/checks/proxy-limits.ts, envoy/semantics.ts). */
function proxyLimitIssues(proxy: ResolvedProxy): ValueIssue[] {
    const v = proxy.values;
    const platform = v.gatewaySettings?.socketOptionsPlatform ?? "linux";
    const options = v.gatewaySettings?.options;
    return [
        ...staticClusterSemanticIssues(v.envoyStaticClusters ?? [], proxy.origin("envoyStaticClusters"), platform),
        ...extraEnvoyArgIssues(v.extraEnvoyArgs, proxy.origin("extraEnvoyArgs")),
        ...(isPlainObject(options)
            ? rawKeepaliveOptionIssues(options.socketOptions, `${proxy.origin("gatewaySettings")}.options.socketOptions`, platform, "gloo")
            : []),
    ];
}

/** Two listeners or two Service ports on one port: the API server or Envoy would refuse them. */
function checkPorts(proxy: ResolvedProxy): ValueIssue[] {
    const v = proxy.values;
    const issues: ValueIssue[] = [];
    const pod = proxy.origin("podTemplate");
    const listeners: [string, number | undefined][] = [
        [`${pod}.httpPort`, v.podTemplate?.httpPort],
        [`${pod}.httpsPort`, v.podTemplate?.httpsPort],
    ];
    if (v.readConfig) listeners.push([`${proxy.origin("readConfig")} (the read-config listener)`, READ_CONFIG_PORT]);
    const service = proxy.origin("service");
    for (const ports of [
        listeners,
        [
            [`${service}.httpPort`, v.service?.httpPort],
            [`${service}.httpsPort`, v.service?.httpsPort],
        ] as [string, number | undefined][],
    ]) {
        ports.forEach(([path, port], i) => {
            const first = ports.findIndex(([, other]) => other === port);
            if (first < i) issues.push({ path: path.split(" ")[0], message: `port ${port} is already taken by ${ports[first][0]}` });
        });
    }
    return issues;
}

/** Helm's rules for a release name and the Kubernetes rule for a namespace. */
function checkReleaseInputs(releaseName: string, namespace: string): ValueIssue[] {
    const issues: ValueIssue[] = [];
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(releaseName) || releaseName.length > 53) {
        issues.push({
            path: "release name",
            message: `${JSON.stringify(releaseName)} is not a valid release name (lowercase letters, digits, '-' and '.', at most 53 characters)`,
        });
    }
    if (!new RegExp(K8S_NAME_PATTERN).test(namespace) || namespace.length > 63) {
        issues.push({
            path: "namespace",
            message: `${JSON.stringify(namespace)} is not a valid namespace (lowercase letters, digits and '-', at most 63 characters)`,
        });
    }
    return issues;
}

function checkUpstreams(upstreams: readonly UpstreamValues[], namespace: string): ValueIssue[] {
    const issues: ValueIssue[] = [];
    const seen = new Map<string, number>();
    upstreams.forEach((u, i) => {
        const key = `${u.namespace ?? namespace}/${u.name}`;
        if (seen.has(key))
            issues.push({ path: `upstreams[${i}].name`, message: `Upstream ${key} is already declared at upstreams[${seen.get(key)}]` });
        else seen.set(key, i);
    });
    return issues;
}

/** Map an issue in a rendered Gloo object's spec back to the value it came from. */
function crdIssues(object: KubernetesObject, specToValuePath: (specPath: string) => string, onlyField?: string): ValueIssue[] {
    return checkGlooObject(object as { apiVersion: string; kind: string; spec?: unknown }, onlyField).map((issue) => ({
        path: specToValuePath(issue.path),
        message: issue.message,
    }));
}

/**
 * The strict Envoy check of a bootstrap, remembered by its text's sha256: the same bootstrap is checked
 * once per process however often it is rendered (a Pulumi program renders each proxy for the
 * stack, the map and the proxy component; proxies often share their static clusters).
 */
const checkedBootstraps = new Map<string, ReturnType<typeof validateEnvoyBootstrap>>();
const CHECKED_BOOTSTRAPS_MAX = 512;
function checkedBootstrap(bootstrap: Record<string, unknown>, checksum: string): ReturnType<typeof validateEnvoyBootstrap> {
    let issues = checkedBootstraps.get(checksum);
    if (!issues) {
        issues = validateEnvoyBootstrap(bootstrap, "", { crossCheck: false });
        if (checkedBootstraps.size >= CHECKED_BOOTSTRAPS_MAX) checkedBootstraps.delete(checkedBootstraps.keys().next().value as string);
        checkedBootstraps.set(checksum, issues);
    }
    return issues;
}

/**
 * The strict Envoy check of a rendered bootstrap, each issue at the value it came from: the
 * user's static clusters at `…envoyStaticClusters[i]…`, anything else at the bootstrap.
 */
function bootstrapIssues(proxy: ResolvedProxy, bootstrap: Record<string, unknown>, checksum: string): ValueIssue[] {
    return checkedBootstrap(bootstrap, checksum).map((issue) => ({
        path: glooBootstrapIssuePath(proxy, bootstrap, issue.path) ?? `bootstrap of gatewayProxies.${proxy.name}: ${issue.path}`,
        message: issue.message,
    }));
}

/** Every proxy may route to every Upstream: an Upstream crosses the tightest egress middlebox of the proxies. */
function egressAnnotation(proxies: readonly ProxyRender[]): Record<string, string> {
    const idle = proxies.map((p) => p.middleboxes.egress?.idleTimeoutSeconds).filter((x): x is number => x !== undefined);
    return idle.length > 0 ? { [EGRESS_IDLE_TIMEOUT_ANNOTATION]: String(Math.min(...idle)) } : {};
}

/** What the proxy pod's annotations and labels take from Gloo's global values: stats, Datadog, Istio, the image. */
function podStatsOf(values: GlooKeepaliveValues, ctx: BootstrapContext): Parameters<typeof proxyWorkload>[6] {
    const istio = values.global?.istioIntegration ?? {};
    const istioLabel: Record<string, string> | undefined = istio.disableAutoinjection
        ? { "sidecar.istio.io/inject": "false" }
        : istio.enableIstioSidecarOnGateway
          ? istio.istioSidecarRevTag
              ? { "istio.io/rev": String(istio.istioSidecarRevTag) }
              : { "sidecar.istio.io/inject": "true" }
          : undefined;
    return {
        enabled: Boolean(ctx.stats?.enabled),
        config: ctx.stats,
        datadog: Boolean(values.global?.glooStats?.setDatadogAnnotations),
        istioSidecar: Boolean(istio.enableIstioSidecarOnGateway),
        istioLabel,
        upgrade: Boolean(values.gateway?.upgrade),
        image: (values.global?.image ?? {}) as ProxyImage,
        security: { podSecurityStandards: values.global?.podSecurityStandards, securitySettings: values.global?.securitySettings },
    };
}

/** The bootstrap context of a proxy: where it is, and what Gloo's control plane values say. */
function bootstrapContext(name: string, values: GlooKeepaliveValues, namespace: string, v: GatewayProxyValues): BootstrapContext {
    const glooStats = values.global?.glooStats ?? {};
    const own = v.stats;
    return {
        proxyName: name,
        namespace,
        clusterDomain: values.k8s?.clusterName as string,
        writeNamespace: values.settings?.writeNamespace,
        xdsPort: values.gloo?.deployment?.xdsPort,
        restXdsPort: values.gloo?.deployment?.restXdsPort,
        // Helm's coalesce: the proxy's own stats unless empty.
        stats: own && Object.keys(own).length > 0 ? (own as StatsConfig) : glooStats,
        statsRoute: glooStats.enableStatsRoute ? printedOrNull(glooStats.statsPrefixRewrite) : undefined,
    };
}

/** One proxy's render and objects, or undefined (its issues pushed) when its values fail a check. */
function renderProxy(
    proxy: ResolvedProxy,
    values: GlooKeepaliveValues,
    release: { releaseName: string; namespace: string; upstreams: readonly UpstreamValues[]; layerSources: ValueLayers },
    issues: ValueIssue[],
): ProxyRender | undefined {
    const { releaseName, upstreams, layerSources } = release;
    const name = kebabCase(proxy.name);
    const v = proxy.values;
    const ctx = bootstrapContext(name, values, release.namespace, v);
    const namespace = v.namespace || release.namespace;
    const { boxes, issues: boxIssues } = proxyMiddleboxes(proxy, layerSources);
    const sysctls = v.podTemplate?.tcpKeepaliveSysctls ? toPodSysctls(staticClusterKeepalive(v)) : [];
    const podStats = { ...podStatsOf(values, ctx), mesh: proxyMesh(v, values, ctx.stats) };
    const podPath = proxy.origin("podTemplate");
    const proxyIssues = [
        ...checkProxy(proxy, ctx),
        ...boxIssues,
        ...glooBootstrapIssues(proxy, ctx),
        ...podSecurityIssues(v, podPath, podStats.security ?? {}, sysctls),
        ...extraPodLabelIssues(v, podPath, [...POD_LABELS, ...Object.keys(podStats.istioLabel ?? {})]),
        ...imageIssues(v.podTemplate?.image, `${podPath}.image`, values.global?.image),
        ...meshImageIssues(values),
    ];
    issues.push(...proxyIssues);
    if (proxyIssues.length > 0) return undefined;
    const bootstrap = withClusterUserTimeout(withGlooBootstrap(renderBootstrap(v, ctx), v, ctx, glooBootstrapContext(values)), v);
    const text = bootstrapText(bootstrap);
    const checksum = bootstrapChecksum(text);
    const envoyIssues = [...bootstrapIssues(proxy, bootstrap, checksum), ...keepaliveKeptIssues(proxy, bootstrap, ctx)];
    issues.push(...envoyIssues);
    if (envoyIssues.length > 0) return undefined;
    const osDefaults = v.podTemplate?.tcpKeepaliveSysctls ? effectiveKeepalive(staticClusterKeepalive(v)) : LINUX_KEEPALIVE_DEFAULTS;
    const annotations = middleboxAnnotations(boxes);
    const gatewayIssues: ValueIssue[] = [];
    const where = {
        namespace,
        releaseNamespace: release.namespace,
        labels: withAdditionalLabels(values, releaseLabels(releaseName)),
        annotations,
    };
    const gateways = proxyGlooGateways(proxy, name, where, gatewayIssues);
    issues.push(...gatewayIssues);
    if (gatewayIssues.length > 0) return undefined;
    const labelled = (o: KubernetesObject | undefined) => o && additionallyLabelled(values, o);
    const own = withProxyOverrides(proxy, [
        ["configMap", labelled(annotated(bootstrapConfigMap(name, namespace, releaseName, text), annotations))],
        [
            "service",
            labelled(withFailoverServicePort(proxyService(name, v, proxy.entry.service?.extraAnnotations, namespace, releaseName), v)),
        ],
        ["configDumpService", labelled(configDumpService(name, v, namespace, releaseName))],
        ["monitoringService", labelled(monitoringService(name, ctx.stats, namespace, proxyLabels(name, releaseName)))],
        ["workload", labelled(proxyWorkload(name, v, namespace, releaseName, checksum, sysctls, podStats, proxy.entry))],
        ["disruptionBudget", labelled(proxyDisruptionBudget(name, v, namespace, releaseName))],
        ["autoscaler", labelled(proxyAutoscaler(name, v, namespace, releaseName))],
        ...gateways.map((g): ["gateway", KubernetesObject] => ["gateway", g]),
    ]);
    issues.push(...own.issues);
    if (own.issues.length > 0) return undefined;
    return {
        key: proxy.name,
        name,
        values: v,
        bootstrap,
        bootstrapText: text,
        checksum,
        osDefaults,
        middleboxes: boxes,
        hops: proxyHops(proxy, upstreams, osDefaults, ctx, boxes, layerSources),
        objects: own.objects,
    };
}

/**
 * Render values (one or more layers, later ones win, over the chart's defaults) into every
 * bootstrap and Kubernetes object. Throws a ValuesError listing every issue; nothing partial.
 */
export function renderValues(layers: readonly unknown[], options: RenderOptions = {}): RenderResult {
    const releaseName = options.releaseName ?? DEFAULT_RELEASE_NAME;
    const namespace = options.namespace ?? DEFAULT_NAMESPACE;
    const values = effectiveValues(...layers);
    const layerSources = { layers, files: options.layerFiles ?? [] };
    const shapeIssues = [...checkReleaseInputs(releaseName, namespace), ...checkValuesShape(values)];
    if (shapeIssues.length > 0) throw new ValuesError(shapeIssues);

    const issues: ValueIssue[] = [];
    const upstreams = values.upstreams ?? [];
    issues.push(...checkUpstreams(upstreams, namespace));

    const proxies: ProxyRender[] = [];
    const account = values.gateway?.proxyServiceAccount;
    const objects: KubernetesObject[] =
        account?.create === false
            ? []
            : proxyNamespaces(values, namespace).map((ns) =>
                  withOverride(
                      additionallyLabelled(values, proxyServiceAccount(ns, releaseName, account?.extraAnnotations)),
                      account?.kubeResourceOverride,
                  ),
              );
    issues.push(...annotationSizeIssues(objects.slice(0, 1), { ServiceAccount: "gateway.proxyServiceAccount.extraAnnotations" }));
    const byProxy: { key: string; objects: KubernetesObject[] }[] = [];
    for (const proxy of resolveProxies(values)) {
        const rendered = renderProxy(proxy, values, { releaseName, namespace, upstreams, layerSources }, issues);
        if (!rendered) continue;
        proxies.push(rendered);
        objects.push(...rendered.objects);
        byProxy.push({ key: proxy.name, objects: rendered.objects });
        const annotationPaths = {
            Service: `${proxy.origin("service")}.extraAnnotations`,
            pod: `${proxy.origin("podTemplate")}.extraAnnotations`,
        };
        issues.push(...annotationSizeIssues(rendered.objects, annotationPaths));
    }
    objects.push(...disabledProxyObjects(values, namespace, releaseName));
    issues.push(...duplicateObjectIssues(byProxy));
    const egress = egressAnnotation(proxies);
    upstreams.forEach((u, i) => {
        const object = additionallyLabelled(values, annotated(keepaliveUpstream(u, namespace, releaseName), egress));
        issues.push(...crdIssues(object, (p) => `upstreams[${i}] (Upstream spec.${p})`));
        objects.push(object);
    });
    if (issues.length > 0) throw new ValuesError(issues);
    for (const p of proxies) p.objects = whenGatewayEnabled(values, p.objects);

    const warnings = proxies.flatMap((p) =>
        p.hops.flatMap((h) => h.warnings.map((w) => `gatewayProxies.${p.key} ${h.kind} ${h.name}: ${w}`)),
    );
    const notRendered = notRenderedPaths(coalesceValues({}, layers));
    return { values, releaseName, namespace, proxies, objects: whenGatewayEnabled(values, objects), warnings, notRendered };
}

export { BOOTSTRAP_KEY, formatPath };
export type { FieldExplanation, FieldSource, KeepaliveHop } from "./hops";
export type { HopKind } from "../keepalive";
