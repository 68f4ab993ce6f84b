/**
 * What Envoy enforces when it loads a cluster but its protos do not say: a STATIC cluster's
 * endpoints are IP addresses (a host name needs STRICT_DNS or LOGICAL_DNS), an Any's `@type` is
 * the kind of message its field expects, and raw keepalive socket options in
 * `upstream_bind_config` stay within the kernel's bounds. The chart refuses the same in
 * templates/_validate.tpl.
 */
import type { SocketOptionsPlatform } from "../../keepalive";
import { formatPath, isPlainObject, type ValueIssue } from "../../values/values";
import { rawKeepaliveOptionIssues } from "../proxy-limits";

const TYPE_URL = "type.googleapis.com/";
/** Where a transport socket's config must come from. */
export const TRANSPORT_SOCKET_PACKAGE = "envoy.extensions.transport_sockets.";

type Segments = (string | number)[];

const IPV4 = "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
/** An IPv4 or IPv6 address (RE2 and JavaScript alike: the chart uses it too). */
export const IP_PATTERN = `^${IPV4}$|^([0-9A-Fa-f]{0,4}:){2,7}([0-9A-Fa-f]{0,4}|${IPV4})$`;
/** The keys of typed_extension_protocol_options that name a message (its `@type` must be that message). */
export const TYPED_OPTIONS_KEY_PATTERN = "\\.v[0-9]+(alpha)?\\.[A-Z]";

function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

function staticAddressIssues(cluster: Record<string, unknown>, at: Segments, prefix: string): ValueIssue[] {
    const type = cluster.type ?? (cluster.cluster_type === undefined ? "STATIC" : undefined);
    if (type !== "STATIC" || !isPlainObject(cluster.load_assignment)) return [];
    const issues: ValueIssue[] = [];
    list(cluster.load_assignment.endpoints).forEach((locality, e) => {
        if (!isPlainObject(locality)) return;
        list(locality.lb_endpoints).forEach((lb, l) => {
            const endpoint = isPlainObject(lb) && isPlainObject(lb.endpoint) ? lb.endpoint : undefined;
            const socket = isPlainObject(endpoint?.address) ? endpoint.address.socket_address : undefined;
            if (!isPlainObject(socket) || typeof socket.address !== "string" || new RegExp(IP_PATTERN).test(socket.address)) return;
            issues.push({
                path:
                    prefix +
                    formatPath([
                        ...at,
                        "load_assignment",
                        "endpoints",
                        e,
                        "lb_endpoints",
                        l,
                        "endpoint",
                        "address",
                        "socket_address",
                        "address",
                    ]),
                message: `${JSON.stringify(socket.address)} is not an IP address: a STATIC cluster needs IP addresses (use type STRICT_DNS or LOGICAL_DNS for a host name)`,
            });
        });
    });
    return issues;
}

function anyTypeIssue(any: unknown, at: string, expected: (type: string) => boolean, what: string): ValueIssue[] {
    if (!isPlainObject(any) || typeof any["@type"] !== "string") return [];
    const type = any["@type"];
    if (type.startsWith(TYPE_URL) && expected(type.slice(TYPE_URL.length))) return [];
    return [{ path: `${at}["@type"]`, message: `${JSON.stringify(type)} is not ${what}` }];
}

function typedConfigIssues(cluster: Record<string, unknown>, at: Segments, prefix: string): ValueIssue[] {
    const issues: ValueIssue[] = [];
    if (isPlainObject(cluster.transport_socket))
        issues.push(
            ...anyTypeIssue(
                cluster.transport_socket.typed_config,
                prefix + formatPath([...at, "transport_socket", "typed_config"]),
                (t) => t.startsWith(TRANSPORT_SOCKET_PACKAGE),
                `a transport socket config (a message of ${TRANSPORT_SOCKET_PACKAGE}*, e.g. ${TYPE_URL}${TRANSPORT_SOCKET_PACKAGE}tls.v3.UpstreamTlsContext)`,
            ),
        );
    if (isPlainObject(cluster.typed_extension_protocol_options))
        for (const [key, value] of Object.entries(cluster.typed_extension_protocol_options))
            if (new RegExp(TYPED_OPTIONS_KEY_PATTERN).test(key))
                issues.push(
                    ...anyTypeIssue(
                        value,
                        prefix + formatPath([...at, "typed_extension_protocol_options", key]),
                        (t) => t === key,
                        `the message its key names (${TYPE_URL}${key})`,
                    ),
                );
    return issues;
}

/** Envoy's load-time rules for the user's static clusters, each at its value path. */
export function staticClusterSemanticIssues(
    clusters: readonly unknown[],
    clustersPath: string,
    platform: SocketOptionsPlatform,
): ValueIssue[] {
    return clusters.flatMap((cluster, i) => {
        if (!isPlainObject(cluster)) return [];
        const at = [i];
        const bind = isPlainObject(cluster.upstream_bind_config) ? cluster.upstream_bind_config.socket_options : undefined;
        const options = cluster.upstream_connection_options;
        // The proxy's keepalive is merged under tcp_keepalive; Envoy's camelCase spelling would escape it.
        const camel: ValueIssue[] =
            isPlainObject(options) && "tcpKeepalive" in options
                ? [
                      {
                          path: clustersPath + formatPath([...at, "upstream_connection_options", "tcpKeepalive"]),
                          message:
                              "write tcp_keepalive (snake_case, as in Envoy YAML): the proxy's keepalive and the kernel bounds apply there",
                      },
                  ]
                : [];
        return [
            ...camel,
            ...staticAddressIssues(cluster, at, clustersPath),
            ...typedConfigIssues(cluster, at, clustersPath),
            ...rawKeepaliveOptionIssues(
                bind,
                clustersPath + formatPath([...at, "upstream_bind_config", "socket_options"]),
                platform,
                "envoy",
            ),
        ];
    });
}
