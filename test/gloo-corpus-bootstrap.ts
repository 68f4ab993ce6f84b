/**
 * The corpus's bootstrap and mesh keys: the custom static layer, stats_config, tracing clusters,
 * bootstrap extensions, the overload manager, the xDS API version and Envoy's log level per
 * proxy; Gloo mTLS, Istio (SDS and istio-proxy sidecars), the access logger and AWS STS for a
 * batch. Tracing also gives Gloo's Gateways an httpGateway of their own, so a proxy with
 * tracing clusters here renders no Gateways: the bootstrap and the pod are what it compares.
 */
import type { GatewayProxyValues, GlooKeepaliveValues } from "../components/values/types";
import { ENVOY_LOG_LEVELS } from "../components/render/envoy-args";
import type { Gen } from "./value-generator";

const WASM = "type.googleapis.com/envoy.extensions.wasm.v3.WasmService";
const FIXED_HEAP = "type.googleapis.com/envoy.extensions.resource_monitors.fixed_heap.v3.FixedHeapConfig";

function tracingCluster(g: Gen, name: string): Record<string, unknown> {
    const address = g.pick(["zipkin.tracing.svc", "otel-collector.observability", "jaeger"]);
    const port = g.pick([9411, 4317, 14250]);
    return {
        name,
        connect_timeout: g.pick(["1s", "5s", "0.25s"]),
        type: "STRICT_DNS",
        load_assignment: {
            cluster_name: name,
            endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: port } } } }] }],
        },
        ...(g.chance(0.3) ? { upstream_connection_options: { tcp_keepalive: { keepalive_time: g.int(1, 7200) } } } : {}),
    };
}

/** A proxy entry with bootstrap keys added (`tracing` only where asked: its provider goes on the Gateways too). */
export function withBootstrapKeys(g: Gen, p: GatewayProxyValues, sparse: boolean, tracing: boolean): GatewayProxyValues {
    const maybe = (prob: number) => g.chance(sparse ? prob / 3 : prob);
    if (maybe(0.15))
        p.customStaticLayer = {
            [`envoy.reloadable_features.${g.word()}`]: g.chance(0.5),
            "re2.max_program_size.error_level": g.int(100, 1000),
        };
    if (maybe(0.15))
        p.envoyStatsConfig = g.chance(0.5)
            ? { stats_tags: [{ tag_name: g.word(), regex: `^cluster\\.((.+?)\\.)` }] }
            : { use_all_default_tags: g.chance(0.5) };
    if (maybe(0.1)) p.envoyBootstrapExtensions = [{ name: "envoy.bootstrap.wasm", typed_config: { "@type": WASM, singleton: true } }];
    if (maybe(0.1))
        p.envoyOverloadManager = {
            enabled: g.chance(0.8),
            bufferFactoryConfig: { minimum_account_to_track_power_of_two: g.int(10, 56) },
            ...(g.chance(0.5) ? { refreshInterval: g.pick(["0.25s", "2s"]) } : {}),
            resourceMonitors: [
                {
                    name: "envoy.resource_monitors.fixed_heap",
                    typed_config: { "@type": FIXED_HEAP, max_heap_size_bytes: g.int(1 << 20, 1 << 30) },
                },
            ],
        };
    if (maybe(0.1)) p.envoyApiVersion = "V3";
    if (maybe(0.15)) p.envoyLogLevel = g.pick(ENVOY_LOG_LEVELS);
    if (maybe(0.15)) {
        if (g.chance(0.5)) p.istioMetaMeshId = `mesh-${g.word()}`;
        if (g.chance(0.5)) p.istioMetaClusterId = `cluster-${g.word()}`;
        if (g.chance(0.5)) p.istioDiscoveryAddress = `istiod-${g.word()}.istio-system.svc:15012`;
        if (g.chance(0.3)) p.istioSpiffeCertProviderAddress = `spire.${g.word()}.svc:8081`;
    }
    if (tracing && maybe(0.15)) {
        p.tracing = { cluster: [tracingCluster(g, `tracing-${g.word()}`)] };
    }
    return p;
}

/** A batch's mesh and control-plane values the bootstrap reads. */
export function withBootstrapContext(g: Gen, values: GlooKeepaliveValues): GlooKeepaliveValues {
    const global = { ...values.global };
    if (g.chance(0.35)) {
        global.glooMtls = { enabled: true };
        if (g.chance(0.4)) global.glooMtls.sdsResources = { requests: { cpu: `${g.int(5, 100)}m` } };
        if (g.chance(0.3))
            global.glooMtls.sds = { logLevel: g.pick(["debug", "warn"]), ...(g.chance(0.5) ? { readinessProbe: null } : {}) };
        if (g.chance(0.3))
            global.glooMtls.sds = {
                ...global.glooMtls.sds,
                securityContext: { runAsUser: 10101, mergePolicy: g.pick(["helm-merge", "no-merge"]) },
            };
    }
    if (g.chance(0.35)) {
        if (g.chance(0.5)) global.istioIntegration = { ...global.istioIntegration, enabled: true };
        else
            global.istioSDS = {
                enabled: true,
                ...(g.chance(0.3) ? { customSidecars: [{ name: "my-istio", image: "example.com/istio:1" }] } : {}),
            };
        global.glooMtls = {
            ...global.glooMtls,
            ...(g.chance(0.4) ? { envoySidecarResources: { requests: { memory: `${g.int(32, 256)}Mi` } } } : {}),
            ...(g.chance(0.4) ? { istioProxy: { logLevel: g.pick(["info", "debug"]), image: { tag: "1.23.1" } } } : {}),
        };
    }
    const out: GlooKeepaliveValues = { ...values, global };
    if (g.chance(0.25)) out.accessLogger = { enabled: true, ...(g.chance(0.5) ? { port: g.int(8000, 9000) } : {}) };
    if (g.chance(0.1))
        out.settings = {
            ...out.settings,
            aws: {
                enableServiceAccountCredentials: true,
                ...(g.chance(0.5) ? { stsCredentialsRegion: g.pick(["us-east-1", "eu-west-2"]) } : {}),
            },
        };
    return out;
}
