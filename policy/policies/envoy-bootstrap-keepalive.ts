/**
 * Every static cluster of a gateway-proxy bootstrap (the xDS cluster too) has
 * `upstream_connection_options.tcp_keepalive`, each field within the kernel's bounds.
 */
import { toEnvoyTcpKeepalive } from "../../components/keepalive";
import { BOOTSTRAP_KEY, bootstrapText } from "../../components/render/manifests";
import { remediationConfigSchema, type RemediationConfig } from "../lib/config";
import { HOP_KIND_NAMES, readBootstrapConfigMap } from "../lib/hops";
import { CONFIG_MAP, isPlainObject, plainCopy, type Violation } from "../lib/objects";
import { resourcePolicy, violation, type ResourceRule } from "../lib/rule";

export const bootstrapKeepaliveRule: ResourceRule<RemediationConfig> = {
    name: "envoy-bootstrap-keepalive",
    description:
        'Every static cluster of a gateway-proxy Envoy bootstrap (ConfigMap data["envoy.yaml"]) has upstream_connection_options.tcp_keepalive, each field a whole number within the kernel\'s bounds.',
    enforcementLevel: "mandatory",
    configSchema: remediationConfigSchema,
    remediationSteps:
        'Render the bootstrap with gloo-keepalive (it puts the proxy\'s keepalive on every static cluster), or set this policy to "remediate" to add defaultKeepalive to clusters that have none.',
    types: [CONFIG_MAP],

    check(target, config): Violation[] {
        const read = readBootstrapConfigMap(target.object);
        if (!read) return [];
        if (read.unreadable) return [violation(this, target, read.unreadable)];
        const example = JSON.stringify(toEnvoyTcpKeepalive(config.defaultKeepalive));
        return read.clusters.flatMap((cluster) => [
            ...(cluster.missing
                ? [
                      violation(this, target, {
                          path: cluster.hop.path,
                          message: `${HOP_KIND_NAMES[cluster.hop.kind]} "${cluster.name}" has no tcp_keepalive: its idle connections are never probed, and a dead or silently dropped peer is never detected`,
                          fix: `add upstream_connection_options.tcp_keepalive, e.g. ${example} (gloo-keepalive renders the proxy's keepalive on every static cluster; or set this policy to "remediate")`,
                      }),
                  ]
                : []),
            ...cluster.problems.map((p) => violation(this, target, p)),
        ]);
    },

    remediate(target, config) {
        const read = readBootstrapConfigMap(target.object);
        const missing = read?.clusters.filter((c) => c.missing) ?? [];
        if (!read?.bootstrap || missing.length === 0) return undefined;
        const bootstrap = plainCopy(read.bootstrap);
        const clusters = (bootstrap.static_resources as { clusters: Record<string, unknown>[] }).clusters;
        for (const { index } of missing) {
            const options = clusters[index].upstream_connection_options;
            clusters[index].upstream_connection_options = {
                ...(isPlainObject(options) ? options : {}),
                tcp_keepalive: toEnvoyTcpKeepalive(config.defaultKeepalive),
            };
        }
        const object = plainCopy(target.object);
        object.data = { ...(object.data as Record<string, unknown>), [BOOTSTRAP_KEY]: bootstrapText(bootstrap) };
        return { object, changes: missing.map((c) => c.hop.path) };
    },
};

export const envoyBootstrapKeepalive = resourcePolicy(bootstrapKeepaliveRule);
