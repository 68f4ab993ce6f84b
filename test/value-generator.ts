/**
 * A seeded generator of valid values, covering every feature the chart and the library render:
 * proxies (incl. the Enterprise nesting and inherited defaults), static clusters with and without
 * their own keepalive, keepalive fields set or unset, downstream and upstream keepalive, raw
 * listener options, sysctls, DaemonSets, service settings and label-worthy strings.
 */
import { LOAD_BALANCER_TYPE_NAMES, LOAD_BALANCER_TYPES, TCP_USER_TIMEOUT_MAX_SECONDS, type LoadBalancer } from "../components/keepalive";
import type { EnvoyCluster, GatewayProxyValues, GlooKeepaliveValues, UpstreamValues } from "../components/values/types";

/**
 * Choices made once per values file, so that merging an entry over the default entry never
 * makes a combination the renderer refuses: the typed loadBalancer or its shorthand, and
 * TCP_USER_TIMEOUT on the Gateways (Linux only) or Darwin socket-option numbers.
 */
export interface BatchStyle {
    typedLoadBalancer: boolean;
    gatewayUserTimeout: boolean;
}

/** mulberry32: small, fast, seeded. */
export function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export class Gen {
    private readonly next: () => number;
    constructor(seed: number) {
        this.next = random(seed);
    }
    int(min: number, max: number): number {
        return min + Math.floor(this.next() * (max - min + 1));
    }
    chance(p: number): boolean {
        return this.next() < p;
    }
    pick<T>(items: readonly T[]): T {
        return items[this.int(0, items.length - 1)];
    }
    word(min = 2, max = 7): string {
        const letters = "abcdefghijklmnopqrstuvwxyz";
        let out = "";
        for (let i = this.int(min, max); i > 0; i--) out += letters[this.int(0, 25)];
        return out;
    }
    /** A name the values schema allows: camelCase words, digits only at a word's end. */
    proxyName(): string {
        let name = this.word(2, 6) + (this.chance(0.2) ? String(this.int(0, 99)) : "");
        for (let i = this.int(0, 2); i > 0; i--) {
            const w = this.word(1, 5);
            const rest = this.chance(0.15) ? "" : w.slice(1);
            name += w[0].toUpperCase() + rest + (this.chance(0.2) || rest === "" ? String(this.int(0, 9)) : "");
        }
        return name.slice(0, 31).replace(/[A-Z]$/, (c) => `${c}1`);
    }
    k8sName(): string {
        return `${this.word(2, 6)}-${this.word(1, 6)}${this.chance(0.3) ? `-${this.int(0, 99)}` : ""}`;
    }
    keepalive(allowEmpty = true): { timeSeconds?: number; intervalSeconds?: number; probes?: number } {
        const k: { timeSeconds?: number; intervalSeconds?: number; probes?: number } = {};
        if (this.chance(0.8)) k.timeSeconds = this.pick([1, 30, 60, 120, 299, 300, 600, 7200, 32767, this.int(1, 32767)]);
        if (this.chance(0.6)) k.intervalSeconds = this.pick([1, 5, 15, 20, 75, 32767, this.int(1, 32767)]);
        if (this.chance(0.6)) k.probes = this.pick([1, 2, 3, 9, 127, this.int(1, 127)]);
        if (!allowEmpty && Object.keys(k).length === 0) k.timeSeconds = 60;
        return k;
    }
}

export function staticCluster(g: Gen, name: string): EnvoyCluster {
    const cluster: EnvoyCluster = {
        name,
        connect_timeout: g.pick(["0.25s", "1s", "5s", "2.5s"]),
        type: g.pick(["STRICT_DNS", "LOGICAL_DNS", "STATIC"]),
        load_assignment: {
            cluster_name: name,
            endpoints: [
                {
                    lb_endpoints: [
                        {
                            endpoint: {
                                address: {
                                    socket_address: {
                                        address: g.chance(0.5)
                                            ? `${g.word()}.${g.word()}.svc.cluster.local`
                                            : `10.0.${g.int(0, 255)}.${g.int(1, 254)}`,
                                        port_value: g.int(1, 65535),
                                    },
                                },
                            },
                        },
                    ],
                },
            ],
        },
    };
    if (cluster.type === "STATIC") {
        (
            cluster.load_assignment as {
                endpoints: { lb_endpoints: { endpoint: { address: { socket_address: { address: string } } } }[] }[];
            }
        ).endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address = `10.1.${g.int(0, 255)}.${g.int(1, 254)}`;
    }
    if (g.chance(0.3)) cluster.lb_policy = g.pick(["ROUND_ROBIN", "LEAST_REQUEST", "RANDOM"]);
    if (g.chance(0.3)) {
        cluster.typed_extension_protocol_options = {
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                explicit_http_config: {
                    http2_protocol_options: g.chance(0.5)
                        ? {}
                        : { connection_keepalive: { interval: `${g.int(1, 60)}s`, timeout: `${g.int(1, 30)}s` } },
                },
            },
        };
    }
    if (g.chance(0.4)) {
        const own = g.keepalive();
        const envoy: Record<string, number> = {};
        if (own.timeSeconds !== undefined) envoy.keepalive_time = own.timeSeconds;
        if (own.intervalSeconds !== undefined) envoy.keepalive_interval = own.intervalSeconds;
        if (own.probes !== undefined) envoy.keepalive_probes = own.probes;
        cluster.upstream_connection_options = { tcp_keepalive: envoy };
    }
    return cluster;
}

/** A load balancer of any type, its idle timeout unset (the type's default) or anywhere in the type's range. */
function loadBalancer(g: Gen): LoadBalancer {
    const type = g.pick(LOAD_BALANCER_TYPE_NAMES);
    const spec = LOAD_BALANCER_TYPES[type];
    if (spec.defaultIdleTimeoutSeconds !== undefined && g.chance(0.4)) return { type };
    const idle = g.pick([
        spec.minIdleTimeoutSeconds,
        spec.maxIdleTimeoutSeconds,
        g.int(spec.minIdleTimeoutSeconds, spec.maxIdleTimeoutSeconds),
    ]);
    return { type, idleTimeoutSeconds: idle };
}

const userTimeout = (g: Gen) => g.pick([1, 3, 30, 120, TCP_USER_TIMEOUT_MAX_SECONDS, g.int(1, TCP_USER_TIMEOUT_MAX_SECONDS)]);

/** The middlebox and timeout values of a proxy. */
function middleboxValues(g: Gen, p: GatewayProxyValues, maybe: (prob: number) => boolean, style: BatchStyle): void {
    if (maybe(0.4)) {
        if (style.typedLoadBalancer) p.loadBalancer = loadBalancer(g);
        else p.loadBalancerIdleTimeoutSeconds = g.pick([60, 240, 350, 600, g.int(1, 86400)]);
    }
    if (maybe(0.3)) p.egressIdleTimeoutSeconds = g.pick([240, 350, 1200, g.int(1, 86400)]);
    if (maybe(0.3)) p.controlPlaneIdleTimeoutSeconds = g.pick([350, 900, g.int(1, 86400)]);
    if (maybe(0.3)) p.tcpUserTimeoutSeconds = userTimeout(g);
    if (p.gatewaySettings) {
        if (g.chance(0.3)) p.gatewaySettings.httpIdleTimeoutSeconds = g.pick([30, 61, 601, 3600, g.int(1, 86400)]);
        if (style.gatewayUserTimeout && g.chance(0.4)) p.gatewaySettings.tcpUserTimeoutSeconds = userTimeout(g);
    }
}

/** 0 to 3 user static clusters with distinct names. */
function staticClusters(g: Gen): NonNullable<GatewayProxyValues["envoyStaticClusters"]> {
    const used = new Set<string>();
    const clusters: NonNullable<GatewayProxyValues["envoyStaticClusters"]> = [];
    for (let i = g.int(0, 3); i > 0; i--) {
        let name = g.pick([g.word(), `${g.word()}_${g.word()}`, `${g.word()}-${g.word()}`, `outbound|${g.int(1, 9999)}||${g.word()}.svc`]);
        while (used.has(name)) name += "x";
        used.add(name);
        clusters.push(staticCluster(g, name));
    }
    return clusters;
}

/** The gateway settings of one proxy entry. */
function gatewaySettingsValues(g: Gen, style: BatchStyle): NonNullable<GatewayProxyValues["gatewaySettings"]> {
    const settings: NonNullable<GatewayProxyValues["gatewaySettings"]> = {};
    if (g.chance(0.1)) settings.enabled = false;
    if (g.chance(0.15)) settings.disableHttpGateway = true;
    if (g.chance(0.15)) settings.disableHttpsGateway = true;
    if (g.chance(0.2)) settings.ipv4Only = g.chance(0.5);
    if (g.chance(0.2)) settings.useProxyProto = g.chance(0.5);
    if (g.chance(0.7)) settings.tcpKeepalive = g.keepalive();
    if (g.chance(0.2)) settings.socketOptionsPlatform = style.gatewayUserTimeout ? "linux" : g.pick(["linux", "darwin"]);
    if (g.chance(0.3)) {
        const options: Record<string, unknown> = {};
        if (g.chance(0.5)) options.perConnectionBufferLimitBytes = g.int(1024, 1 << 20);
        if (g.chance(0.5)) options.socketOptions = [{ description: "reuse port", level: 1, name: 15, intValue: 1, state: "STATE_PREBIND" }];
        settings.options = options;
    }
    return settings;
}

/** One proxy entry; `sparse` entries set few keys so most come from the default entry. */
export function proxyValues(
    g: Gen,
    sparse: boolean,
    style: BatchStyle = { typedLoadBalancer: false, gatewayUserTimeout: false },
): GatewayProxyValues {
    const p: GatewayProxyValues = {};
    const maybe = (prob: number) => g.chance(sparse ? prob / 3 : prob);
    if (maybe(0.7)) p.tcpKeepaliveTimeSeconds = g.keepalive(false).timeSeconds ?? 60;
    if (maybe(0.5)) p.tcpKeepaliveIntervalSeconds = g.int(1, 32767) % 2 ? g.int(1, 120) : 32767;
    if (maybe(0.5)) p.tcpKeepaliveProbes = g.int(1, 127);
    if (maybe(0.4)) p.xdsHttp2Keepalive = { intervalSeconds: g.int(1, 300), timeoutSeconds: g.int(1, 60) };
    if (maybe(0.5)) p.envoyStaticClusters = staticClusters(g);
    if (maybe(0.3)) p.xdsServiceAddress = g.pick(["gloo", "gloo.gloo-system.svc.cluster.local", "10.96.0.10", "fd00::10"]);
    if (maybe(0.3)) p.xdsServicePort = g.int(1024, 65535);
    if (maybe(0.2)) p.loopBackAddress = g.pick(["127.0.0.1", "::1"]);
    if (maybe(0.4)) p.readConfig = g.chance(0.5);
    if (maybe(0.7)) p.gatewaySettings = gatewaySettingsValues(g, style);
    middleboxValues(g, p, maybe, style);
    if (maybe(0.6)) {
        p.podTemplate = {};
        if (g.chance(0.3)) p.podTemplate.httpPort = g.pick([80, 8080, 18080, g.int(1, 65535)]);
        if (g.chance(0.3)) p.podTemplate.httpsPort = g.pick([443, 8443, 18443, g.int(1, 65535)]);
        if (g.chance(0.5)) p.podTemplate.tcpKeepaliveSysctls = g.chance(0.7);
        if (g.chance(0.2))
            p.podTemplate.image = {
                tag: `1.${g.int(10, 20)}.${g.int(0, 9)}`,
                ...(g.chance(0.5) ? { pullPolicy: g.pick(["Always", "IfNotPresent", "Never"] as const) } : {}),
            };
        if (g.chance(0.2)) p.podTemplate.resources = { limits: { cpu: `${g.int(1, 4)}`, memory: `${g.int(128, 1024)}Mi` } };
    }
    if (maybe(0.4))
        p.kind = g.chance(0.5)
            ? {
                  // Gloo's two DaemonSet forms (a Deployment wins when kind.deployment is a map)
                  ...(g.chance(0.5) ? { workloadType: "DaemonSet" as const } : { deployment: null }),
                  daemonSet: g.chance(0.5) ? {} : { hostPort: g.chance(0.5) },
              }
            : { deployment: { replicas: g.int(0, 10) } };
    if (maybe(0.4)) {
        p.service = {};
        if (g.chance(0.5)) p.service.type = g.pick(["LoadBalancer", "NodePort", "ClusterIP"] as const);
        if (g.chance(0.3)) p.service.httpPort = g.int(1, 65535);
        if (g.chance(0.3)) p.service.httpsPort = g.int(1, 65535);
        if (g.chance(0.4))
            p.service.extraAnnotations = {
                "service.beta.kubernetes.io/aws-load-balancer-type": g.pick(["nlb", "external"]),
                [`example.com/${g.word()}`]: g.pick(["a: b", "{{ x }}", '"quoted"', "line\nbreak", "true", "123"]),
            };
    }
    if (maybe(0.3))
        p.extraEnvoyArgs = [g.pick(["--log-level", "--component-log-level"]), g.pick(["debug", "info", "upstream:debug", "{{ .Values }}"])];
    return p;
}

function upstream(g: Gen): UpstreamValues {
    return {
        name: g.k8sName(),
        ...(g.chance(0.4) ? { namespace: g.k8sName() } : {}),
        host: g.chance(0.5) ? `${g.word()}.${g.word()}.svc.cluster.local` : `10.2.${g.int(0, 255)}.${g.int(1, 254)}`,
        port: g.int(1, 65535),
        tcpKeepalive: g.keepalive(),
    };
}

/** One values file holding `proxies` generated proxy entries (one batch for one helm run). */
export function generateValues(g: Gen, proxies: number): GlooKeepaliveValues {
    const values: GlooKeepaliveValues = { gatewayProxies: {} };
    const style: BatchStyle = { typedLoadBalancer: g.chance(0.5), gatewayUserTimeout: g.chance(0.6) };
    if (g.chance(0.7)) values.gatewayProxies!.gatewayProxy = proxyValues(g, false, style);
    if (g.chance(0.1)) values.gatewayProxies!.gatewayProxy = { ...values.gatewayProxies!.gatewayProxy, disabled: true };
    const names = new Set<string>(["gatewayProxy"]);
    for (let i = 0; i < proxies; i++) {
        let name = g.proxyName();
        while (names.has(name)) name = `${name.replace(/[0-9]+$/, "")}${g.int(0, 9)}`.slice(0, 31);
        if (names.has(name)) continue;
        names.add(name);
        const entry = proxyValues(g, g.chance(0.5), style);
        if (values.gatewayProxies!.gatewayProxy?.disabled) entry.disabled = false;
        if (g.chance(0.15)) {
            values.gloo ??= { gatewayProxies: {} };
            values.gloo.gatewayProxies![name] = entry;
        } else {
            values.gatewayProxies![name] = entry;
        }
    }
    const upstreams: UpstreamValues[] = [];
    const seen = new Set<string>();
    for (let i = g.int(0, 4); i > 0; i--) {
        const u = upstream(g);
        if (!seen.has(`${u.namespace}/${u.name}`)) upstreams.push(u);
        seen.add(`${u.namespace}/${u.name}`);
    }
    if (upstreams.length > 0) values.upstreams = upstreams;
    if (g.chance(0.2)) values.k8s = { clusterName: g.pick(["cluster.local", "example.internal", "k8s.corp"]) };
    return values;
}
