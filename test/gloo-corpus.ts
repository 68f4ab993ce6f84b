/**
 * A seeded corpus of whole values files mixing Gloo's gateway-proxy keys (namespace, workload
 * forms, stats, security, runtime limits, the control plane's values the proxies read) with
 * our keepalive keys and static clusters. Files come in batches that share everything but
 * their named proxies, so a batch renders in one helm run as the union of its files.
 */
import type { GatewayProxyValues, GlooKeepaliveValues } from "../components/values/types";
import { Gen, proxyValues } from "./value-generator";
import { addObjectKeys, addSharedObjectKeys } from "./gloo-corpus-objects";
import { glooGatewayValues } from "./gloo-corpus-gateways";
import { podValues, securityGlobals } from "./gloo-corpus-pod";
import { withBootstrapContext, withBootstrapKeys } from "./gloo-corpus-bootstrap";
import { addGlobalKeys, addProxyKeys } from "./gloo-corpus-globals";

/** Gloo's own keys of one entry, on top of the keepalive ones. */
export function glooProxyValues(g: Gen, sparse: boolean): GatewayProxyValues {
    const p = proxyValues(g, sparse) as GatewayProxyValues;
    // Our HTTP idle timeout renders where Gloo renders its own httpConnectionManagerSettings keys: not a keepalive difference.
    if (p.gatewaySettings) delete p.gatewaySettings.httpIdleTimeoutSeconds;
    const maybe = (prob: number) => g.chance(sparse ? prob / 3 : prob);
    if (maybe(0.2)) p.namespace = g.pick(["edge", "gloo-system", `ns-${g.word(2, 5)}`]);
    if (maybe(0.2))
        p.kind = g.pick<GatewayProxyValues["kind"]>([
            { workloadType: "DaemonSet" },
            { workloadType: "Deployment", daemonSet: { hostPort: true } },
            { deployment: null, daemonSet: { hostPort: true, ...(g.chance(0.5) ? { hostNetwork: g.chance(0.5) } : {}) } },
            { deployment: { replicas: g.int(1, 5) } },
        ]);
    if (maybe(0.2)) p.stats = g.pick([{ enabled: false }, { enabled: true, routePrefixRewrite: "/stats/prometheus?usedonly" }, {}]);
    if (maybe(0.2)) p.disableCoreDumps = g.chance(0.5);
    if (maybe(0.2)) p.globalDownstreamMaxConnections = g.pick([1000, 250000, g.int(1, 1 << 30)]);
    if (maybe(0.2)) p.healthyPanicThreshold = g.int(0, 100);
    if (maybe(0.3)) {
        p.podTemplate = { ...(p.podTemplate ?? {}) };
        if (g.chance(0.4)) p.podTemplate.disableNetBind = g.chance(0.5);
        if (g.chance(0.3)) p.podTemplate.runAsUser = g.pick([0, 1000, 10101]);
        if (g.chance(0.3)) p.podTemplate.fsGroup = g.pick([1000, 10101]);
        if (g.chance(0.4)) p.podTemplate.extraAnnotations = { [`example.com/${g.word()}`]: g.pick(["x", "true", "1"]) };
        if (g.chance(0.3)) p.podTemplate.nodeSelector = { [g.pick(["pool", "zone"])]: g.word() };
        if (g.chance(0.2)) p.podTemplate.tolerations = [{ key: "dedicated", operator: "Equal", value: g.word(), effect: "NoSchedule" }];
        if (g.chance(0.2)) p.podTemplate.terminationGracePeriodSeconds = g.int(1, 120);
        if (g.chance(0.3)) p.podTemplate.probes = g.chance(0.7);
        if (g.chance(0.3)) p.podTemplate.livenessProbeEnabled = true;
        if (g.chance(0.2)) p.podTemplate.customReadinessProbe = { httpGet: { path: "/ready", port: 8081 }, periodSeconds: g.int(1, 30) };
        if (g.chance(0.3))
            p.podTemplate.gracefulShutdown = { enabled: g.chance(0.7), ...(g.chance(0.5) ? { sleepTimeSeconds: g.int(1, 60) } : {}) };
    }
    if (maybe(0.3)) {
        p.service = { ...(p.service ?? {}) };
        if (g.chance(0.4)) p.service.externalTrafficPolicy = g.pick(["Local", "Cluster"]);
        if (g.chance(0.3)) p.service.loadBalancerSourceRanges = [`10.${g.int(0, 255)}.0.0/16`, "192.168.0.0/24"];
        if (g.chance(0.3)) p.service.loadBalancerIP = `34.1.${g.int(0, 255)}.${g.int(1, 254)}`;
        if (g.chance(0.2)) p.service.externalIPs = [`203.0.113.${g.int(1, 254)}`];
        if (g.chance(0.2)) p.service.clusterIP = g.pick(["None", `10.96.${g.int(0, 255)}.${g.int(1, 254)}`]);
    }
    if (maybe(0.2)) p.antiAffinity = g.chance(0.7);
    if (maybe(0.1))
        p.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" }];
    glooGatewayValues(g, p, maybe);
    podValues(g, p, maybe);
    return p;
}

/** What a batch's files share: the default entry and the control plane's values. */
function batchContext(g: Gen): GlooKeepaliveValues {
    const values: GlooKeepaliveValues = { gatewayProxies: {} };
    if (g.chance(0.8)) values.gatewayProxies!.gatewayProxy = withBootstrapKeys(g, glooProxyValues(g, false), false, false);
    if (g.chance(0.3)) values.settings = { writeNamespace: g.pick(["gloo-system", "gloo-control", `w-${g.word(2, 5)}`]) };
    if (g.chance(0.4)) {
        values.global = {
            glooStats: {
                ...(g.chance(0.5) ? { enabled: g.chance(0.6) } : {}),
                ...(g.chance(0.4) ? { enableStatsRoute: true, statsPrefixRewrite: "/stats" } : {}),
                ...(g.chance(0.3) ? { setDatadogAnnotations: true } : {}),
            },
        };
    }
    if (g.chance(0.3)) {
        values.global = { ...values.global, image: { registry: g.pick(["registry.example.com/solo-io", "quay.io/solo-io"]) } };
        if (g.chance(0.5)) values.global.image!.pullPolicy = g.pick(["Always", "IfNotPresent"] as const);
    }
    if (g.chance(0.2))
        values.gateway = { proxyServiceAccount: { extraAnnotations: { "eks.amazonaws.com/role-arn": `arn:aws:iam::1:role/${g.word()}` } } };
    if (g.chance(0.3)) values.gloo = { deployment: { xdsPort: g.pick([9977, 19977]), restXdsPort: g.pick([9976, 19976]) } };
    if (g.chance(0.2)) values.k8s = { clusterName: g.pick(["cluster.local", "example.internal"]) };
    securityGlobals(g, values);
    return withBootstrapContext(g, values);
}

/** A batch: its values files (each a whole file) and their union (one helm run). */
export interface CorpusBatch {
    files: GlooKeepaliveValues[];
    union: GlooKeepaliveValues;
}

/** `batches` batches of `filesPerBatch` values files each; every file has 1..3 named proxies of its own. */
export function glooCorpus(seed: number, batches: number, filesPerBatch: number): CorpusBatch[] {
    const g = new Gen(seed);
    const objects = new Gen(seed + 1); // the separate objects' keys, drawn apart so the rest stays as it was
    const globals = new Gen(seed + 2); // the global keys, the same way
    const out: CorpusBatch[] = [];
    for (let b = 0; b < batches; b++) {
        const context = batchContext(g);
        addSharedObjectKeys(objects, context);
        addGlobalKeys(globals, context);
        const names = new Set(["gatewayProxy"]);
        const files: GlooKeepaliveValues[] = [];
        for (let f = 0; f < filesPerBatch; f++) {
            const proxies: Record<string, GatewayProxyValues> = {};
            for (let i = g.int(1, 3); i > 0; i--) {
                let name = g.proxyName();
                while (names.has(name)) name = `${name.replace(/[0-9]+$/, "")}${g.int(10, 99)}`.slice(0, 31);
                names.add(name);
                const sparse = g.chance(0.5);
                proxies[name] = withBootstrapKeys(g, glooProxyValues(g, sparse), sparse, true);
                addObjectKeys(objects, proxies[name], name);
                addProxyKeys(globals, proxies[name]);
            }
            files.push({ ...context, gatewayProxies: { ...context.gatewayProxies, ...proxies } });
        }
        const union = { ...context, gatewayProxies: Object.assign({}, ...files.map((f) => f.gatewayProxies)) };
        out.push({ files, union });
    }
    return out;
}
