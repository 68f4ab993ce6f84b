/** `explain`'s text: per proxy and hop, every effective number with its source, and the worst-case detection. */
import {
    KEEPALIVE_FIELD_NAMES,
    MIDDLEBOX_NAMES,
    middleboxPlace,
    type EffectiveTcpKeepalive,
    type MiddleboxPlace,
    type TcpKeepaliveField,
} from "../keepalive";
import { tableLines } from "../render/table";
import type { FieldExplanation, HopExplanation, ProxyExplanation } from "./model";

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

/** The value that gives the box at each place. */
const PLACE_VALUE: Record<MiddleboxPlace, string> = {
    "load-balancer": "loadBalancer",
    egress: "egressIdleTimeoutSeconds",
    "control-plane": "controlPlaneIdleTimeoutSeconds",
};

function lbLine(p: ProxyExplanation): string {
    const lb = p.loadBalancer;
    if (!lb) return "  load balancer idle timeout: not set (loadBalancer, loadBalancerIdleTimeoutSeconds)";
    const from = `${p.loadBalancerSource?.source}: ${p.loadBalancerSource?.path}${p.loadBalancerSource?.file ? `, ${p.loadBalancerSource.file}` : ""}`;
    const l7 = lb.layer === 7 ? `, L7 ${lb.type}: it ends the client's connection` : lb.type === "custom-l4" ? "" : `, L4 ${lb.type}`;
    return `  load balancer idle timeout: ${lb.idleTimeoutSeconds} s (${from}${l7})`;
}

/** The lines of a hop against the box it crosses: survives it, is dropped by it, or (L7 in front) the HTTP idle order. */
function middleboxLines(p: ProxyExplanation, h: HopExplanation): string[] {
    const box = h.middlebox;
    const e = h.hop.effective;
    if (!box) {
        const place = middleboxPlace(h.hop.kind, h.hop.name);
        return [`    crosses no middlebox with an idle timeout (${place ? `${PLACE_VALUE[place]} unset` : "a loopback cluster"})`];
    }
    const name = MIDDLEBOX_NAMES[box.place];
    if (box.layer === 7) {
        const http = p.httpIdleTimeout;
        return [
            `    L7 ${box.type} in front: TCP keepalive covers the balancer-to-proxy connection only, never the balancer's own idle timer`,
            http.seconds > box.idleTimeoutSeconds
                ? `    HTTP idle timeout ${http.seconds} s (${http.path}) is longer than the balancer's ${box.idleTimeoutSeconds} s: the balancer closes idle connections first`
                : `    WARNING: HTTP idle timeout ${http.seconds} s (${http.path}) is not longer than the balancer's ${box.idleTimeoutSeconds} s (${box.path}): the proxy closes connections the balancer still reuses (502s)`,
        ];
    }
    if (!e) return [`    WARNING: the ${name} drops the idle connection after ${box.idleTimeoutSeconds} s without either side knowing`];
    return [
        h.exceedsLoadBalancer
            ? `    WARNING: idle ${e.timeSeconds} s is not below the ${name} idle timeout ${box.idleTimeoutSeconds} s: the ${box.place === "load-balancer" ? "balancer" : "middlebox"} drops the connection silently before the first probe`
            : `    survives the ${name}: first probe at ${e.timeSeconds} s, before its ${box.idleTimeoutSeconds} s idle timeout`,
    ];
}

function detectionLine(h: HopExplanation): string {
    const e = h.hop.effective as EffectiveTcpKeepalive;
    const ut = h.hop.tcpUserTimeoutSeconds;
    const formula =
        ut === undefined
            ? `${e.timeSeconds} + ${e.intervalSeconds} × ${e.probes}`
            : `TCP_USER_TIMEOUT ${ut} s: first probe timer at or after it, ${e.timeSeconds} + k × ${e.intervalSeconds}`;
    const times = h.probeTimes.length > 12 ? `${h.probeTimes.slice(0, 12).join(", ")}, …` : h.probeTimes.join(", ");
    return `    worst-case detection: ${h.detectionSeconds} s (${formula}); probes at ${times} s, dropped at ${h.detectionSeconds} s`;
}

function inFlightLine(h: HopExplanation): string {
    const ut = h.hop.tcpUserTimeoutSeconds;
    if (ut !== undefined) return `    data in flight: given up after ${ut} s (TCP_USER_TIMEOUT)`;
    const note = h.hop.kind === "upstream" ? "; Gloo Upstreams have no socket options, so TCP_USER_TIMEOUT cannot be set on this hop" : "";
    return `    data in flight: keepalive never fires; Linux retransmits for about ${Math.round(h.hop.inFlightDetectionSeconds)} s (no TCP_USER_TIMEOUT${note})`;
}

/** The explanation as plain text, one block per proxy and hop. */
export function explainText(explanations: readonly ProxyExplanation[]): string {
    const blocks: string[] = [];
    for (const p of explanations) {
        const lines = [`gatewayProxies.${p.proxy.key} (${p.proxy.name})`, lbLine(p)];
        const os = p.proxy.osDefaults;
        lines.push(
            `  OS defaults in the pod: time ${os.timeSeconds} s, interval ${os.intervalSeconds} s, probes ${os.probes}` +
                (p.proxy.values.podTemplate?.tcpKeepaliveSysctls ? " (pod sysctls, podTemplate.tcpKeepaliveSysctls)" : " (Linux defaults)"),
        );
        for (const h of p.hops) {
            lines.push("", `  ${h.hop.kind} ${h.hop.name}`);
            if (!h.fields || h.detectionSeconds === undefined) {
                lines.push(`    no keepalive (${h.hop.source} is unset): a dead peer is never detected`, ...middleboxLines(p, h));
                continue;
            }
            const rows = KEEPALIVE_FIELD_NAMES.map((f) => {
                const x = h.fields?.[f] as FieldExplanation;
                return [`    ${FIELD_LABEL[f]}`, f === "probes" ? `${x.value}  ` : `${x.value} s`, x.source, describeSource(x)];
            });
            lines.push(...tableLines(rows, ["left", "right"]), detectionLine(h), inFlightLine(h), ...middleboxLines(p, h));
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
