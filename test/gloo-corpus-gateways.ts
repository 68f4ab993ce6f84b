/**
 * The Gateway keys of the generated Gloo corpus: custom and hybrid gateways, access logging,
 * disableGeneratedGateways, the Gateway kube overrides, the tracing provider and failover, each
 * a value the Gloo CRD accepts and none setting a socket option our keepalive renders.
 */
import type { GatewayProxyValues } from "../components/values/types";
import type { Gen } from "./value-generator";

type Json = Record<string, unknown>;

function customHttpGateway(g: Gen): Json {
    return g.pick<Json>([
        { options: { httpConnectionManagerSettings: { useRemoteAddress: g.chance(0.5), xffNumTrustedHops: g.int(0, 3) } } },
        { virtualServiceSelector: { gateway: g.word() } },
        { virtualServiceNamespaces: ["*"], options: { httpConnectionManagerSettings: { serverName: g.word() } } },
        { virtualServices: [{ name: g.word(), namespace: "gloo-system" }] },
    ]);
}

function hybridGateway(g: Gen): Json {
    const matched: Json[] = [
        {
            matcher: { sourcePrefixRanges: [{ addressPrefix: `10.${g.int(0, 255)}.0.0`, prefixLen: 16 }] },
            httpGateway: customHttpGateway(g),
        },
    ];
    if (g.chance(0.5)) matched.push({ matcher: {}, httpGateway: {} });
    return { hybridGateway: { matchedGateways: matched } };
}

function accessLoggingService(g: Gen): Json {
    return {
        accessLog: [
            g.chance(0.5)
                ? { fileSink: { path: "/dev/stdout", stringFormat: "" } }
                : { fileSink: { path: `/var/log/${g.word()}.log`, jsonFormat: { protocol: "%PROTOCOL%", duration: "%DURATION%" } } },
        ],
    };
}

/** A kube override of a Gateway: metadata, spec scalars, and socket options that are none of ours. */
function gatewayOverride(g: Gen): Json {
    const spec: Json = {};
    if (g.chance(0.4)) spec.useProxyProto = g.chance(0.5);
    if (g.chance(0.4)) spec.options = { perConnectionBufferLimitBytes: g.int(1024, 1 << 20) };
    if (g.chance(0.3))
        spec.options = {
            ...((spec.options as Json | undefined) ?? {}),
            socketOptions: [{ description: "SO_REUSEADDR", level: 1, name: 2, intValue: 1, state: "STATE_PREBIND" }],
        };
    if (g.chance(0.2)) spec.httpGateway = { virtualServiceSelector: { team: g.word() } };
    const out: Json = { spec };
    if (g.chance(0.5))
        out.metadata = { labels: { team: g.word() }, ...(g.chance(0.4) ? { annotations: { "example.com/owner": g.word() } } : {}) };
    return out;
}

function failover(g: Gen): NonNullable<GatewayProxyValues["failover"]> {
    return {
        enabled: g.chance(0.7),
        ...(g.chance(0.4) ? { port: g.pick([15443, 16443]) } : {}),
        ...(g.chance(0.3) ? { nodePort: g.int(30000, 32767) } : {}),
        ...(g.chance(0.3) ? { secretName: `failover-${g.word()}` } : {}),
        ...(g.chance(0.3)
            ? {
                  kubeResourceOverride: {
                      metadata: { labels: { role: "failover" } },
                      spec: { options: { perConnectionBufferLimitBytes: 65536 } },
                  },
              }
            : {}),
    };
}

/** Gloo's Gateway keys on one entry (`maybe` is the entry's chance, thinned for sparse entries). */
export function glooGatewayValues(g: Gen, p: GatewayProxyValues, maybe: (prob: number) => boolean): void {
    const settings: Json = {};
    if (maybe(0.2)) settings.customHttpGateway = customHttpGateway(g);
    if (maybe(0.2)) settings.customHttpsGateway = customHttpGateway(g);
    if (maybe(0.15)) settings.httpHybridGateway = hybridGateway(g);
    if (maybe(0.15)) settings.httpsHybridGateway = hybridGateway(g);
    if (maybe(0.2)) settings.accessLoggingService = accessLoggingService(g);
    if (maybe(0.08)) settings.disableGeneratedGateways = g.chance(0.7);
    if (maybe(0.2)) settings.httpGatewayKubeOverride = gatewayOverride(g);
    if (maybe(0.2)) settings.httpsGatewayKubeOverride = gatewayOverride(g);
    if (Object.keys(settings).length > 0) p.gatewaySettings = { ...(p.gatewaySettings ?? {}), ...settings };
    if (maybe(0.1))
        p.tracing = {
            provider: {
                zipkinConfig: {
                    collectorEndpoint: "/api/v2/spans",
                    collectorEndpointVersion: "HTTP_JSON",
                    collectorUpstreamRef: { name: "zipkin", namespace: "gloo-system" },
                },
            },
        };
    if (maybe(0.2)) p.failover = failover(g);
}
