/**
 * The `gloo-keepalive` package: Pulumi components and the values-rendering library behind them.
 *
 *     import { GatewayProxy, KeepaliveUpstream } from "gloo-keepalive";
 *
 * Importing this module has no side effects: it creates no resource and reads no config (the stack
 * program is the repository's index.ts, not part of the package). Loading the Envoy descriptor set
 * and the Gloo CRDs happens on the first render.
 */

// Pulumi components.
export { GatewayProxies, type GatewayProxiesArgs } from "./pulumi/gateway-proxies";
export {
    contentHashedBootstrap,
    detectionSecondsByHop,
    GATEWAY_PROXY_INPUT_PATHS,
    GatewayProxy,
    gatewayProxyChartPath,
    gatewayProxyChartValues,
    maxDetectionSeconds,
    type GatewayProxyArgs,
    type GatewayProxyEntryInputs,
    type GatewaySettingsInputs,
    type HopKeepalive,
    type Http2KeepaliveInputs,
    type UpstreamInputs,
} from "./pulumi/gateway-proxy";
export { KEEPALIVE_UPSTREAM_INPUT_PATHS, KeepaliveUpstream, type KeepaliveUpstreamArgs } from "./pulumi/keepalive-upstream";
export { ComponentArgsError, type DeployWith, type TcpKeepaliveInputs } from "./pulumi/component-args";
export { DuplicateKubernetesObjectError } from "./pulumi/program-state";
export { GlooRelease, type GlooReleaseArgs } from "./pulumi/gloo-release";

// Teams that keep solo-io's gloo chart: typed keepalive lowered into its values, and what it cannot carry.
export {
    GLOO_CHART_REPOSITORY,
    GLOO_CHART_VERSION,
    lowerForGlooChart,
    type GlooChartShape,
    type LoweredGlooValues,
    type LoweredProxy,
    type LowerOptions,
} from "./gloo-chart/lower";
export { glooChartReport, glooChartText, type GlooChartHop, type GlooChartHopStatus, type GlooChartProxyReport } from "./gloo-chart/report";

// The values (Gloo's chart shape) and their schema.
export type {
    EnvoyCluster,
    GatewayProxyValues,
    GatewaySettings,
    GlooKeepaliveValues,
    Http2Keepalive,
    ImageVariant,
    PodTemplate,
    ProxyImage,
    ProxyKind,
    ProxyService,
    UpstreamValues,
} from "./values/types";
export {
    checkValuesShape,
    effectiveValues,
    formatIssue,
    formatPath,
    isPlainObject,
    mergeValues,
    resolveProxies,
    ValuesError,
    type ResolvedProxy,
    type ValueIssue,
} from "./values/values";
export {
    chartDefaultValues,
    DEFAULT_PROXY,
    gatewayProxySchema,
    K8S_NAME_PATTERN,
    PROXY_NAME_PATTERN,
    valuesSchema,
    type JsonSchema,
} from "./values/schema";

// Rendering.
export {
    DEFAULT_NAMESPACE,
    DEFAULT_RELEASE_NAME,
    renderValues,
    type HopKind,
    type KeepaliveHop,
    type ProxyRender,
    type RenderOptions,
    type RenderResult,
} from "./render/render";
export {
    BOOTSTRAP_KEY,
    bootstrapChecksum,
    bootstrapText,
    configMapName,
    kebabCase,
    keepaliveUpstream,
    proxyLabels,
    releaseLabels,
    type KubernetesObject,
} from "./render/manifests";
export { renderBootstrap, staticClusterKeepalive, xdsClusterName, type BootstrapContext } from "./render/bootstrap";
export { keepaliveTable } from "./render/report";
export {
    CONTROL_PLANE_IDLE_TIMEOUT_ANNOTATION,
    EGRESS_IDLE_TIMEOUT_ANNOTATION,
    ENVOY_DEFAULT_HTTP_IDLE_TIMEOUT_SECONDS,
    LB_IDLE_TIMEOUT_ANNOTATION,
    LB_TYPE_ANNOTATION,
    type ProxyMiddleboxes,
} from "./render/middlebox";

// What sits between the hops: load balancer types, middleboxes, TCP_USER_TIMEOUT.
export {
    HOP_KIND_NAMES,
    HOP_MIDDLEBOX,
    inFlightDetectionSeconds,
    LOAD_BALANCER_TYPE_NAMES,
    LOAD_BALANCER_TYPES,
    loadBalancerIdleProblem,
    middleboxPlace,
    TCP_USER_TIMEOUT,
    toUserTimeoutSocketOption,
    type Hop,
    type LoadBalancer,
    type LoadBalancerSpec,
    type LoadBalancerType,
    type Middlebox,
    type MiddleboxPlace,
} from "./keepalive";

// One TCP keepalive type and everything it renders to.
export {
    detectionSeconds,
    effectiveKeepalive,
    fromEnvoyTcpKeepalive,
    KEEPALIVE_FIELD_NAMES,
    KEEPALIVE_FIELDS,
    keepaliveFieldProblem,
    LINUX_KEEPALIVE_DEFAULTS,
    SOCKET_OPTION_NUMBERS,
    toEnvoyTcpKeepalive,
    toGlooTcpKeepalive,
    toPodSysctls,
    toSocketOptions,
    type EffectiveTcpKeepalive,
    type EnvoyTcpKeepalive,
    type GlooUpstreamTcpKeepalive,
    type SocketOption,
    type SocketOptionsPlatform,
    type Sysctl,
    type TcpKeepalive,
    type TcpKeepaliveField,
} from "./keepalive";

// Checks the renderer runs, usable on their own.
export { validateEnvoyBootstrap, validateEnvoyMessage, type EnvoyIssue } from "./checks/envoy";
export { checkGlooObject } from "./checks/gloo-crds";

// Stack files (`Pulumi.<env>.yaml`, key `gloo-keepalive:values`) as the render command reads them.
export { CONFIG_NAMESPACE, readStackConfig, type StackConfig } from "./values/read";
export { packageRoot } from "./package-root";
