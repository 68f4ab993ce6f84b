/**
 * The Gloo values the bootstrap's Gloo keys and the mesh sidecars render
 * (components/render/bootstrap-gloo.ts, mesh.ts), for the not-rendered notice. Not here, so
 * still named as not rendered (with their reasons in not-rendered.ts): `extraListenersHelper` and
 * `disableExtauthSidecar`.
 */

/** Keys of a `gatewayProxies.<name>` entry. */
export const BOOTSTRAP_PROXY_KEYS = [
    "customStaticLayer",
    "envoyStatsConfig",
    "envoyBootstrapExtensions",
    "envoyOverloadManager",
    "envoyApiVersion",
    "envoyLogLevel",
    "tracing.cluster",
    "istioMetaMeshId",
    "istioMetaClusterId",
    "istioDiscoveryAddress",
    "istioSpiffeCertProviderAddress",
];

/** Paths outside the proxies' entries. */
export const BOOTSTRAP_GLOBAL_PATHS = [
    "global.glooMtls.enabled",
    "global.glooMtls.sdsResources",
    "global.glooMtls.envoySidecarResources",
    ...["image", "securityContext", "logLevel", "readinessProbe"].map((k) => `global.glooMtls.sds.${k}`),
    ...["image", "securityContext", "logLevel"].map((k) => `global.glooMtls.istioProxy.${k}`),
    "global.istioSDS.enabled",
    "global.istioSDS.customSidecars",
    "global.istioIntegration.enabled",
    "accessLogger.enabled",
    "accessLogger.port",
    "settings.aws.enableServiceAccountCredentials",
    "settings.aws.stsCredentialsRegion",
];
