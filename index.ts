/**
 * The stack program (`pulumi up --stack <env>`): the gateway proxies and upstreams of
 * `Pulumi.<env>.yaml`, checked with the library before anything is registered.
 *
 * Config (namespace `gloo-keepalive`):
 *   values       the chart's values (`gatewayProxies.<name>`, `gloo.gatewayProxies`, `upstreams`, `k8s`), required
 *   namespace    release namespace, default gloo-system
 *   releaseName  release name (labels), default gateway-proxy
 *   deployWith   `resources` (typed resources, default) or `helm` (the bundled chart)
 *   kubeconfig   kubeconfig contents or path (kept secret); with `context`, selects an explicit provider.
 *                Neither set (or ""): the default provider (ambient kubeconfig, `kubernetes:*` config).
 *   context      kubeconfig context
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GatewayProxies } from "./components/pulumi/gateway-proxies";
import { KeepaliveUpstream } from "./components/pulumi/keepalive-upstream";
import { handRender } from "./components/pulumi/program-state";
import { DEFAULT_NAMESPACE, DEFAULT_RELEASE_NAME, renderValues, type RenderResult } from "./components/render/render";
import type { GlooKeepaliveValues } from "./components/values/types";
import { formatIssue, isPlainObject, ValuesError, type ValueIssue } from "./components/values/values";
import { K8S_NAME_PATTERN } from "./components/values/schema";

const config = new pulumi.Config("gloo-keepalive");
const key = (name: string) => `gloo-keepalive:${name}`;

/** Every config problem at once, as `<config key or value path>: <what is wrong>`; thrown before any resource exists. */
function fail(issues: ValueIssue[]): never {
    throw new pulumi.RunError(
        `invalid config of stack ${pulumi.getStack()} (Pulumi.${pulumi.getStack()}.yaml), nothing was deployed:\n${issues.map(formatIssue).join("\n")}`,
    );
}

function readConfig() {
    const issues: ValueIssue[] = [];
    const values = config.requireObject<unknown>("values");
    if (!isPlainObject(values))
        fail([{ path: key("values"), message: "must be an object (the chart's values: gatewayProxies.<name>, upstreams, k8s)" }]);
    const name = (k: string, fallback: string) => {
        const value = config.get(k) ?? fallback;
        if (!new RegExp(K8S_NAME_PATTERN).test(value) || value.length > 63) {
            issues.push({
                path: key(k),
                message: `${JSON.stringify(value)} is not a Kubernetes name (lowercase letters, digits and "-", at most 63 characters)`,
            });
        }
        return value;
    };
    const namespace = name("namespace", DEFAULT_NAMESPACE);
    const releaseName = name("releaseName", DEFAULT_RELEASE_NAME);
    const deployWith = config.get("deployWith") ?? "resources";
    if (deployWith !== "resources" && deployWith !== "helm")
        issues.push({ path: key("deployWith"), message: `${JSON.stringify(deployWith)} is not one of resources, helm` });
    let rendered: RenderResult | undefined;
    try {
        rendered = renderValues([values], { namespace, releaseName });
    } catch (e) {
        if (!(e instanceof ValuesError)) throw e;
        issues.push(...e.issues.map((i) => ({ path: `${key("values")}.${i.path}`, message: i.message })));
    }
    if (issues.length > 0 || rendered === undefined) fail(issues);
    return { values: values as GlooKeepaliveValues, rendered, namespace, releaseName, deployWith: deployWith as "resources" | "helm" };
}

// The program's one render of its values: the components below are handed their part of it.
const { values, rendered, namespace, releaseName, deployWith } = readConfig();

// "" counts as unset, so Pulumi.yaml can declare both keys with an empty default.
const kubeconfig = config.get("kubeconfig") || undefined;
const context = config.get("context") || undefined;
// An explicit provider when the stack names a cluster. The typed resources need no provider setting
// (the bootstrap ConfigMap is named after its content, replaced create-before-delete); the chart
// path keeps Gloo's fixed name, which a provider updates in place only with enableConfigMapMutable
// (else delete, then create), hence the flag here and `kubernetes:enableConfigMapMutable` in the stacks.
const provider =
    kubeconfig !== undefined || context !== undefined
        ? new k8s.Provider("kubernetes", {
              kubeconfig: kubeconfig === undefined ? undefined : pulumi.secret(kubeconfig),
              context,
              enableConfigMapMutable: true,
          })
        : undefined;

const proxies = new GatewayProxies(
    "gateway-proxies",
    handRender(
        {
            gatewayProxies: values.gatewayProxies,
            gloo: values.gloo,
            global: values.global,
            settings: values.settings,
            gateway: values.gateway,
            k8s: values.k8s,
            namespace,
            releaseName,
            deployWith,
            provider,
        },
        rendered,
    ),
);

const upstreams = (values.upstreams ?? []).map((u) => {
    const ns = u.namespace ?? namespace;
    const object = rendered.objects.find(
        (o) => o.apiVersion === "gloo.solo.io/v1" && o.kind === "Upstream" && o.metadata.name === u.name && o.metadata.namespace === ns,
    );
    return new KeepaliveUpstream(`${ns}/${u.name}`, handRender({ ...u, namespace: ns, releaseName, provider }, object));
});

/** Per proxy (gatewayProxies key): worst-case seconds to detect a dead peer, per hop (`<kind>/<name>`; null: no keepalive). */
export const detectionSeconds = proxies.detectionSeconds;
/** Per proxy: the worst case over its hops (null when a hop has no keepalive). */
export const maxDetectionSeconds = proxies.maxDetectionSeconds;
/** Per proxy: sha256 of the bootstrap (the `checksum/<proxy>-envoy-config` pod annotation). */
export const bootstrapChecksums = proxies.bootstrapChecksums;
/** Per proxy: its Service name. */
export const serviceNames = proxies.serviceNames;
/** Per upstream (`<namespace>/<name>`): worst-case seconds to detect a dead upstream. */
export const upstreamDetectionSeconds = pulumi.all(
    Object.fromEntries(upstreams.map((u) => [`${u.upstreamNamespace}/${u.upstreamName}`, u.detectionSeconds])),
);
