/** Plain-text tables of the keepalive in force per proxy and hop. */
import { KEEPALIVE_FIELD_NAMES, type TcpKeepaliveField } from "../keepalive";
import type { KeepaliveHop, ProxyRender } from "./render";
import { tableLines } from "./table";

function field(hop: KeepaliveHop, name: TcpKeepaliveField): string {
    if (!hop.effective) return "-";
    const set = hop.keepalive?.[name] !== undefined;
    return set ? String(hop.effective[name]) : `${hop.effective[name]} (os)`;
}

/** One table per proxy: hop, time, interval, probes, worst-case detection, warnings. */
export function keepaliveTable(proxy: ProxyRender): string {
    const lb = proxy.middleboxes["load-balancer"];
    const front =
        lb && `, load balancer idle timeout ${lb.idleTimeoutSeconds}s${lb.type === "custom-l4" ? "" : ` (${lb.type}, L${lb.layer})`}`;
    const header = `gatewayProxies.${proxy.key} (${proxy.name})${front ?? ""}`;
    const rows = [["hop", "name", "time", "interval", "probes", "detect (s)", "notes"]];
    for (const hop of proxy.hops) {
        rows.push([
            hop.kind,
            hop.name,
            ...KEEPALIVE_FIELD_NAMES.map((f) => field(hop, f)),
            hop.detectionSeconds === undefined ? "never" : String(hop.detectionSeconds),
            hop.warnings.length > 0 ? `WARNING: ${hop.warnings.join("; ")}` : "",
        ]);
    }
    return [header, ...tableLines(rows)].join("\n");
}
