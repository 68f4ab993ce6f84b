/** The benchmark's input: n proxies, each with `clusters` distinct static clusters and keepalive on every hop. */
import type { GlooKeepaliveValues } from "../components/values/types";

/** `variant` changes every address, so no cache can serve one run's work to the next. */
export function benchValues(proxies: number, clusters = 50, variant = 0): GlooKeepaliveValues {
    // The chart's default entry renders too: give it downstream keepalive, so `check` passes on these values.
    const gatewayProxies: NonNullable<GlooKeepaliveValues["gatewayProxies"]> = {
        gatewayProxy: { gatewaySettings: { tcpKeepalive: { timeSeconds: 60, intervalSeconds: 20, probes: 2 } } },
    };
    for (let i = 0; i < proxies; i++) {
        gatewayProxies[`proxy${i}`] = {
            tcpKeepaliveTimeSeconds: 60,
            tcpKeepaliveIntervalSeconds: 20,
            tcpKeepaliveProbes: 3,
            loadBalancerIdleTimeoutSeconds: 350,
            xdsHttp2Keepalive: { intervalSeconds: 30, timeoutSeconds: 10 },
            gatewaySettings: { tcpKeepalive: { timeSeconds: 60, intervalSeconds: 20, probes: 2 } },
            podTemplate: { tcpKeepaliveSysctls: i % 2 === 0 },
            envoyStaticClusters: Array.from({ length: clusters }, (_, j) => ({
                name: `svc_${j}`,
                connect_timeout: "1s",
                type: "STRICT_DNS",
                load_assignment: {
                    cluster_name: `svc_${j}`,
                    endpoints: [
                        {
                            lb_endpoints: [
                                {
                                    endpoint: {
                                        address: {
                                            socket_address: {
                                                address: `svc-${j}.team-${i}-v${variant}.svc.cluster.local`,
                                                port_value: 8000 + j,
                                            },
                                        },
                                    },
                                },
                            ],
                        },
                    ],
                },
                ...(j % 3 === 0 ? { upstream_connection_options: { tcp_keepalive: { keepalive_time: 30 } } } : {}),
            })),
        };
    }
    return {
        gatewayProxies,
        upstreams: Array.from({ length: 10 }, (_, k) => ({
            name: `svc-${k}`,
            host: `svc-${k}.apps.svc.cluster.local`,
            port: 8080,
            tcpKeepalive: { timeSeconds: 60, intervalSeconds: 20, probes: 3 },
        })),
    };
}
