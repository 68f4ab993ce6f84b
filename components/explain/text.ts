/** `explain`'s text: per proxy and hop, every effective number with its source, and the worst-case detection. */
import { KEEPALIVE_FIELD_NAMES, type TcpKeepaliveField } from "../keepalive";
import type { KeepaliveHop } from "../render/render";
import { tableLines } from "../render/table";
import type { FieldExplanation, ProxyExplanation } from "./model";

const FIELD_LABEL: Record<TcpKeepaliveField, string> = { timeSeconds: "time", intervalSeconds: "interval", probes: "probes" };

function describeSource(f: FieldExplanation): string {
    switch (f.source) {
        case "value":
            return `${f.path}${f.file ? ` (${f.file})` : ""}`;
        case "default":
            return `${f.path} (chart default)`;
        default:
            return f.path;
    }
}

/** The explanation as plain text, one block per proxy and hop. */
export function explainText(explanations: readonly ProxyExplanation[]): string {
    const blocks: string[] = [];
    for (const p of explanations) {
        const lb = p.loadBalancerIdleTimeoutSeconds;
        const lines = [`gatewayProxies.${p.proxy.key} (${p.proxy.name})`];
        lines.push(
            lb === undefined
                ? "  load balancer idle timeout: not set (loadBalancerIdleTimeoutSeconds)"
                : `  load balancer idle timeout: ${lb} s (${p.loadBalancerSource?.source}: ${p.loadBalancerSource?.path}${p.loadBalancerSource?.file ? `, ${p.loadBalancerSource.file}` : ""})`,
        );
        const os = p.proxy.osDefaults;
        lines.push(
            `  OS defaults in the pod: time ${os.timeSeconds} s, interval ${os.intervalSeconds} s, probes ${os.probes}` +
                (p.proxy.values.podTemplate?.tcpKeepaliveSysctls ? " (pod sysctls, podTemplate.tcpKeepaliveSysctls)" : " (Linux defaults)"),
        );
        for (const h of p.hops) {
            lines.push("", `  ${h.hop.kind} ${h.hop.name}`);
            if (!h.fields || h.detectionSeconds === undefined) {
                lines.push(`    no keepalive (${h.hop.source} is unset): a dead peer is never detected`);
                if (lb !== undefined)
                    lines.push(`    WARNING: the load balancer drops the idle connection after ${lb} s without either side knowing`);
                continue;
            }
            const rows = KEEPALIVE_FIELD_NAMES.map((f) => {
                const x = h.fields?.[f] as FieldExplanation;
                return [`    ${FIELD_LABEL[f]}`, f === "probes" ? `${x.value}  ` : `${x.value} s`, x.source, describeSource(x)];
            });
            lines.push(...tableLines(rows, ["left", "right"]));
            const e = h.hop.effective as NonNullable<KeepaliveHop["effective"]>;
            lines.push(
                `    worst-case detection: ${h.detectionSeconds} s (${e.timeSeconds} + ${e.intervalSeconds} × ${e.probes}); probes at ${h.probeTimes.map((t) => `${t}`).join(", ")} s, dropped at ${h.detectionSeconds} s`,
            );
            if (lb !== undefined) {
                lines.push(
                    h.exceedsLoadBalancer
                        ? `    WARNING: idle ${e.timeSeconds} s is not below the load balancer idle timeout ${lb} s: the balancer drops the connection silently before the first probe`
                        : `    survives the load balancer: first probe at ${e.timeSeconds} s, before its ${lb} s idle timeout`,
                );
            }
            if (h.hop.kind === "xds" && p.proxy.values.xdsHttp2Keepalive) {
                const ping = p.proxy.values.xdsHttp2Keepalive;
                lines.push(
                    `    also HTTP/2 PING every ${ping.intervalSeconds} s, ${ping.timeoutSeconds} s timeout (xdsHttp2Keepalive): catches a stale gRPC stream TCP probes cannot`,
                );
            }
        }
        blocks.push(lines.join("\n"));
    }
    return blocks.join("\n\n");
}
