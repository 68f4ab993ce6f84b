/**
 * The mesh sidecars of a proxy pod, as the Gloo chart renders them: the SDS sidecar (Gloo's
 * mTLS to the control plane, `global.glooMtls`, and Istio's certificates), the istio-proxy
 * agent that writes Istio's certificates (`global.istioIntegration.enabled`, or the deprecated
 * `global.istioSDS.enabled`; `istioSDS.customSidecars` replaces it), and their volumes.
 */
import type { GatewayProxyValues, GlooKeepaliveValues, StatsConfig } from "../values/types";
import { isPlainObject, mergeValues, type ValueIssue } from "../values/values";
import { glooImage, imageIssues } from "./gloo-image";
import { monitoringPorts, SDS_MONITORING_PORT } from "./monitoring";

/** The SDS sidecar's port, on the loopback address (Gloo's `gateway_proxy_sds` cluster). */
export const SDS_PORT = 8234;

type Json = Record<string, unknown>;

/** Gloo's defaults of `global.glooMtls` (its values.yaml), under the user's. */
export const GLOO_MTLS_DEFAULTS = {
    sds: {
        image: { repository: "sds", tag: "1.22.1" },
        logLevel: "info",
        readinessProbe: { failureThreshold: 3, initialDelaySeconds: 3, periodSeconds: 10, tcpSocket: { port: SDS_PORT } },
    },
    istioProxy: { image: { registry: "docker.io/istio", repository: "proxyv2", tag: "1.22.0" }, logLevel: "warning" },
} as const;
/** Gloo's `istioDiscoveryAddress` when unset. */
export const ISTIO_DISCOVERY_ADDRESS = "istiod.istio-system.svc:15012";

/** What the mesh adds to a proxy pod. */
export interface PodMesh {
    /** Mounts the Envoy container gains (after its own). */
    proxyMounts: Json[];
    /** Containers after the Envoy container. */
    containers: unknown[];
    /** Volumes after the envoy-config volume. */
    volumes: Json[];
}

/** Gloo's container securityContext from a sidecar's own (`mergePolicy`), the Pod Security Standards defaults and floatingUserId. */
export function sidecarSecurityContext(own: unknown, global: GlooKeepaliveValues["global"]): Json | undefined {
    const values = isPlainObject(own) ? own : {};
    const pss = global?.podSecurityStandards?.container;
    const defaults: Json = pss?.enableRestrictedContainerDefaults
        ? {
              allowPrivilegeEscalation: false,
              capabilities: { drop: ["ALL"] },
              runAsNonRoot: true,
              seccompProfile: { type: pss.defaultSeccompProfileType || "RuntimeDefault" },
          }
        : {};
    const merged: Json =
        values.mergePolicy === "helm-merge"
            ? mergeValues(defaults, values)
            : Object.keys(values).length > 0
              ? { ...values }
              : { ...defaults };
    if (global?.securitySettings?.floatingUserId) delete merged.runAsUser;
    delete merged.mergePolicy;
    return Object.keys(merged).length > 0 ? merged : undefined;
}

const fieldEnv = (name: string, fieldPath: string, apiVersion?: string) => ({
    name,
    valueFrom: { fieldRef: { ...(apiVersion ? { apiVersion } : {}), fieldPath } },
});
const POD_ENV = [fieldEnv("POD_NAME", "metadata.name"), fieldEnv("POD_NAMESPACE", "metadata.namespace")];

function sdsContainer(values: GlooKeepaliveValues, mtls: boolean, istio: boolean, stats: StatsConfig): Json {
    const g = values.global ?? {};
    const own = (g.glooMtls?.sds ?? {}) as Json;
    const sds = { ...GLOO_MTLS_DEFAULTS.sds, ...own };
    const img = glooImage({ ...GLOO_MTLS_DEFAULTS.sds.image, ...(own.image as Json) }, g.image);
    const security = sidecarSecurityContext(own.securityContext, g);
    const env: Json[] = [...POD_ENV];
    if (mtls) env.push({ name: "GLOO_MTLS_SDS_ENABLED", value: "true" });
    if (istio) env.push({ name: "ISTIO_MTLS_SDS_ENABLED", value: "true" });
    if (sds.logLevel) env.push({ name: "LOG_LEVEL", value: String(sds.logLevel) });
    if (stats.enabled) env.push({ name: "START_STATS_SERVER", value: "true" });
    const mounts: Json[] = [];
    if (mtls) mounts.push({ mountPath: "/etc/envoy/ssl", name: "gloo-mtls-certs", readOnly: true });
    if (istio) mounts.push({ mountPath: "/etc/istio-certs/", name: "istio-certs" }, { mountPath: "/etc/envoy", name: "envoy-config" });
    return {
        env,
        image: img.ref,
        imagePullPolicy: img.pullPolicy ?? null,
        name: "sds",
        ports: [{ containerPort: SDS_PORT, name: "sds", protocol: "TCP" }, ...monitoringPorts(stats, SDS_MONITORING_PORT)],
        ...(isPlainObject(sds.readinessProbe) && Object.keys(sds.readinessProbe).length > 0 ? { readinessProbe: sds.readinessProbe } : {}),
        ...(isNonEmpty(g.glooMtls?.sdsResources) ? { resources: g.glooMtls?.sdsResources } : {}),
        ...(security ? { securityContext: security } : {}),
        volumeMounts: mounts,
    };
}

const isNonEmpty = (v: unknown): boolean => isPlainObject(v) && Object.keys(v).length > 0;

const ISTIO_ARGS = (logLevel: string) => [
    "proxy",
    "sidecar",
    "--domain",
    "$(POD_NAMESPACE).svc.cluster.local",
    "--configPath",
    "/etc/istio/proxy",
    "--serviceCluster",
    "istio-proxy-prometheus",
    "--drainDuration",
    "45s",
    "--parentShutdownDuration",
    "1m0s",
    `--proxyLogLevel=${logLevel}`,
    "--proxyComponentLogLevel=misc:error",
    "--connectTimeout",
    "10s",
    "--controlPlaneAuthPolicy",
    "NONE",
    "--dnsRefreshRate",
    "300s",
    "--controlPlaneBootstrap=false",
];

const ISTIO_MOUNTS: [string, string][] = [
    ["/var/run/secrets/istio", "istiod-ca-cert"],
    ["/etc/istio/proxy", "istio-envoy"],
    ["/etc/istio-certs/", "istio-certs"],
    ["/var/run/secrets/tokens", "istio-token"],
    ["/var/run/secrets/credential-uds", "credential-socket"],
    ["/var/run/secrets/workload-spiffe-uds", "workload-socket"],
    ["/var/run/secrets/workload-spiffe-credentials", "workload-certs"],
];

/** Istio's agent, writing the workload certificates the SDS sidecar serves to Envoy (Envoy of its own disabled). */
function istioProxyContainer(proxy: GatewayProxyValues, values: GlooKeepaliveValues): Json {
    const g = values.global ?? {};
    const own = (g.glooMtls?.istioProxy ?? {}) as Json;
    const img = glooImage({ ...GLOO_MTLS_DEFAULTS.istioProxy.image, ...(own.image as Json) }, g.image);
    const security = sidecarSecurityContext(own.securityContext, g);
    const discovery = proxy.istioDiscoveryAddress ?? ISTIO_DISCOVERY_ADDRESS;
    const env = [
        { name: "OUTPUT_CERTS", value: "/etc/istio-certs" },
        { name: "JWT_POLICY", value: "third-party-jwt" },
        { name: "PILOT_CERT_PROVIDER", value: "istiod" },
        { name: "CA_ADDR", value: String(proxy.istioSpiffeCertProviderAddress || discovery) },
        { name: "ISTIO_META_MESH_ID", value: String(proxy.istioMetaMeshId || "cluster.local") },
        { name: "ISTIO_META_CLUSTER_ID", value: String(proxy.istioMetaClusterId || "Kubernetes") },
        { name: "PROXY_CONFIG", value: `{"discoveryAddress": ${discovery}}\n` },
        ...POD_ENV,
        fieldEnv("INSTANCE_IP", "status.podIP"),
        fieldEnv("SERVICE_ACCOUNT", "spec.serviceAccountName"),
        fieldEnv("HOST_IP", "status.hostIP"),
        fieldEnv("ISTIO_META_POD_NAME", "metadata.name", "v1"),
        fieldEnv("ISTIO_META_CONFIG_NAMESPACE", "metadata.namespace", "v1"),
        { name: "DISABLE_ENVOY", value: "true" },
    ];
    return {
        args: ISTIO_ARGS(String(own.logLevel ?? GLOO_MTLS_DEFAULTS.istioProxy.logLevel)),
        env,
        image: img.ref,
        imagePullPolicy: img.pullPolicy ?? null,
        name: "istio-proxy",
        ...(isNonEmpty(g.glooMtls?.envoySidecarResources) ? { resources: g.glooMtls?.envoySidecarResources } : {}),
        ...(security ? { securityContext: security } : {}),
        volumeMounts: ISTIO_MOUNTS.map(([mountPath, name]) => ({ mountPath, name })),
    };
}

const ISTIO_VOLUMES: Json[] = [
    { emptyDir: { medium: "Memory" }, name: "istio-certs" },
    { configMap: { defaultMode: 420, name: "istio-ca-root-cert" }, name: "istiod-ca-cert" },
    { emptyDir: { medium: "Memory" }, name: "istio-envoy" },
    {
        name: "istio-token",
        projected: {
            defaultMode: 420,
            sources: [{ serviceAccountToken: { audience: "istio-ca", expirationSeconds: 43200, path: "istio-token" } }],
        },
    },
    { emptyDir: {}, name: "credential-socket" },
    { emptyDir: {}, name: "workload-socket" },
    { emptyDir: {}, name: "workload-certs" },
];

/** What the mesh values add to a proxy's pod (nothing when neither Gloo mTLS nor Istio is on). */
export function proxyMesh(proxy: GatewayProxyValues, values: GlooKeepaliveValues, stats: StatsConfig | undefined): PodMesh {
    const g = values.global ?? {};
    const mtls = Boolean(g.glooMtls?.enabled);
    const istio = Boolean(g.istioSDS?.enabled) || Boolean(g.istioIntegration?.enabled);
    const out: PodMesh = { proxyMounts: [], containers: [], volumes: [] };
    if (mtls) out.proxyMounts.push({ mountPath: "/etc/envoy/ssl", name: "gloo-mtls-certs", readOnly: true });
    if (mtls || istio) out.containers.push(sdsContainer(values, mtls, istio, stats ?? {}));
    if (istio) {
        const custom = g.istioSDS?.customSidecars;
        if (Array.isArray(custom) && custom.length > 0) out.containers.push(...custom);
        else out.containers.push(istioProxyContainer(proxy, values));
        out.volumes.push(...ISTIO_VOLUMES);
    }
    if (mtls) out.volumes.push({ name: "gloo-mtls-certs", secret: { defaultMode: 420, secretName: "gloo-mtls-certs" } });
    return out;
}

/** The faults of the sidecars' final image references (components/render/gloo-image.ts), when they render. */
export function meshImageIssues(values: GlooKeepaliveValues): ValueIssue[] {
    const g = values.global ?? {};
    const istio = Boolean(g.istioSDS?.enabled) || Boolean(g.istioIntegration?.enabled);
    const custom = g.istioSDS?.customSidecars;
    const own = (key: "sds" | "istioProxy") => ({
        ...GLOO_MTLS_DEFAULTS[key].image,
        ...((g.glooMtls?.[key] as Json | undefined)?.image as Json),
    });
    return [
        ...(g.glooMtls?.enabled || istio ? imageIssues(own("sds"), "global.glooMtls.sds.image", g.image) : []),
        ...(istio && !(Array.isArray(custom) && custom.length > 0)
            ? imageIssues(own("istioProxy"), "global.glooMtls.istioProxy.image", g.image)
            : []),
    ];
}

/** A container with mounts appended after its own. */
export function withMounts<C extends Record<string, unknown>>(container: C, mounts: readonly Json[] = []): C {
    return mounts.length === 0 ? container : { ...container, volumeMounts: [...((container.volumeMounts as Json[]) ?? []), ...mounts] };
}

/** The constants the chart's _mesh.tpl reads (scripts/generate.ts writes them into _constants.tpl). */
export const MESH_CONSTANTS = {
    defaults: GLOO_MTLS_DEFAULTS,
    istioDiscoveryAddress: ISTIO_DISCOVERY_ADDRESS,
    istioArgsBefore: ISTIO_ARGS("LEVEL").slice(0, 12),
    istioArgsAfter: ISTIO_ARGS("LEVEL").slice(13),
    istioMounts: ISTIO_MOUNTS.map(([mountPath, name]) => ({ mountPath, name })),
    istioVolumes: ISTIO_VOLUMES,
    sdsPort: SDS_PORT,
};
