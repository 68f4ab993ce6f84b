/**
 * An SVG timeline of one proxy's keepalive: per hop, after the last packet, the idle phase,
 * the probes and the moment the peer is declared dead, on an axis in seconds, against a
 * vertical line at the load balancer's idle timeout. A hop whose idle time reaches the
 * timeout (the balancer drops the connection before the first probe) is marked red.
 *
 * When one hop is far out (e.g. the Linux default 7200 s next to hops of a few minutes), the
 * axis breaks once over an empty stretch, so the near hops stay readable; each side of the
 * break is linear. Elements carry data-* attributes (seconds, kind) so tests can check positions.
 */
import type { HopExplanation, ProxyExplanation } from "./model";

const WIDTH = 1100;
const LABEL_X = 16;
const PLOT_X0 = 330;
const PLOT_X1 = WIDTH - 50;
const TOP = 96;
const ROW = 58;
const BAR = 18;
const BREAK_GAP = 16;
const FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";

const COLOR = {
    idle: "#9cc3e6",
    idleStroke: "#4a86c5",
    probing: "#f5b66b",
    probingStroke: "#d9822b",
    probe: "#5a3a00",
    drop: "#c62828",
    lb: "#6a1b9a",
    warnRow: "#fde4e1",
    row: "#f6f7f9",
    grid: "#d9dce1",
    axis: "#333",
    text: "#1f2328",
    muted: "#5f6670",
    none: "#8c959f",
};

function esc(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

const num = (x: number) => String(Math.round(x * 100) / 100);

function niceStep(rough: number): number {
    if (!(rough > 0)) return 1;
    const p = 10 ** Math.floor(Math.log10(rough));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= rough) return Math.max(1, m * p);
    return 10 * p;
}
const niceCeil = (x: number, step: number) => Math.ceil(x / step) * step;
const niceFloor = (x: number, step: number) => Math.floor(x / step) * step;

/** One linear piece of the axis. */
export interface AxisSegment {
    from: number;
    to: number;
    x0: number;
    x1: number;
}

/** Seconds to x: one or two linear segments (two when the axis breaks). */
export class TimeScale {
    constructor(readonly segments: readonly AxisSegment[]) {}

    x(seconds: number): number {
        const segs = this.segments;
        for (let i = 0; i < segs.length; i++) {
            const s = segs[i];
            if (seconds <= s.to || i === segs.length - 1) {
                if (seconds < s.from && i > 0) {
                    // inside the break: squeeze linearly across the gap (nothing drawn here has its own mark)
                    const prev = segs[i - 1];
                    return prev.x1 + ((seconds - prev.to) / (s.from - prev.to)) * (s.x0 - prev.x1);
                }
                return s.x0 + ((seconds - s.from) / (s.to - s.from)) * (s.x1 - s.x0);
            }
        }
        return segs[segs.length - 1].x1;
    }

    /** Tick values per segment, nice steps at least about 70 px apart. */
    ticks(): { seconds: number; segment: number }[] {
        const out: { seconds: number; segment: number }[] = [];
        this.segments.forEach((s, i) => {
            const step = niceStep((s.to - s.from) / Math.max(1, Math.floor((s.x1 - s.x0) / 70)));
            for (let t = niceCeil(s.from, step); t <= s.to + 1e-9; t += step) {
                const x = s.x0 + ((t - s.from) / (s.to - s.from)) * (s.x1 - s.x0);
                // no labels crowding the break
                if (i < this.segments.length - 1 && x > s.x1 - 34) continue;
                if (i > 0 && x < s.x0 + 34) continue;
                out.push({ seconds: t, segment: i });
            }
        });
        return out;
    }
}

/** The axis for these hops: linear from 0, or broken once over a long empty stretch. */
export function timeScale(p: ProxyExplanation): TimeScale {
    const lb = p.loadBalancerIdleTimeoutSeconds;
    const spans: [number, number][] = p.hops
        .filter((h) => h.hop.effective && h.detectionSeconds !== undefined)
        .map((h) => [h.hop.effective?.timeSeconds as number, h.detectionSeconds as number]);
    if (lb !== undefined) spans.push([lb, lb]);
    const max = Math.max(10, ...spans.map(([, end]) => end));
    const whole = (): TimeScale => {
        const step = niceStep((max * 1.04) / 10);
        return new TimeScale([{ from: 0, to: niceCeil(max * 1.04, step), x0: PLOT_X0, x1: PLOT_X1 }]);
    };
    // Merge the probing spans (never cut) into clusters; break over the widest empty stretch between them.
    const sorted = [...spans].sort((a, b) => a[0] - b[0]);
    const clusters: [number, number][] = [];
    for (const [start, end] of sorted) {
        const last = clusters[clusters.length - 1];
        if (last && start <= last[1]) last[1] = Math.max(last[1], end);
        else clusters.push([start, end]);
    }
    let best: [number, number] | undefined;
    for (let i = 0; i + 1 < clusters.length; i++) {
        const [a, b] = [clusters[i][1], clusters[i + 1][0]];
        if (b > 3 * a && b - a > 0.6 * max && (!best || b - a > best[1] - best[0])) best = [a, b];
    }
    if (!best) return whole();
    const nearStep = niceStep((best[0] * 1.1) / 8);
    const near = { from: 0, to: niceCeil(best[0] * 1.1, nearStep) };
    const farLength = max - best[1];
    const farStep = niceStep((Math.max(farLength, max * 0.02) * 1.2) / 4);
    const far = { from: niceFloor(best[1] - farLength * 0.1 - 1, farStep), to: niceCeil(max + farLength * 0.05 + 1, farStep) };
    const plot = PLOT_X1 - PLOT_X0 - BREAK_GAP;
    const share = Math.min(0.7, Math.max(0.45, (near.to - near.from) / (near.to - near.from + far.to - far.from)));
    const split = PLOT_X0 + plot * share;
    return new TimeScale([
        { ...near, x0: PLOT_X0, x1: split },
        { ...far, x0: split + BREAK_GAP, x1: PLOT_X1 },
    ]);
}

const KIND_LABEL: Record<string, string> = {
    xds: "xDS (control plane)",
    "built-in-cluster": "built-in cluster",
    "static-cluster": "your static cluster",
    downstream: "downstream (LB/client → proxy)",
    upstream: "upstream (proxy → service)",
};

function truncate(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function text(x: number, y: number, content: string, attrs = ""): string {
    return `<text x="${num(x)}" y="${num(y)}" ${attrs}>${esc(content)}</text>`;
}

function cross(x: number, y: number, size: number, color: string, cls: string): string {
    return `<path class="${cls}" d="M${num(x - size)},${num(y - size)} L${num(x + size)},${num(y + size)} M${num(x - size)},${num(y + size)} L${num(x + size)},${num(y - size)}" stroke="${color}" stroke-width="3" stroke-linecap="round"/>`;
}

const HALO = `stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"`;

/** One hop: its row (background, bars, marks) and its labels, drawn later on top of the axis break. */
function hopRow(h: HopExplanation, index: number, scale: TimeScale, lb: number | undefined): { row: string; labels: string } {
    const y0 = TOP + index * ROW;
    const cy = y0 + ROW / 2 + 4;
    const e = h.hop.effective;
    const warn = h.exceedsLoadBalancer;
    const parts: string[] = [];
    const labels: string[] = [];
    parts.push(
        `<g class="hop" data-kind="${esc(h.hop.kind)}" data-name="${esc(h.hop.name)}"${e ? ` data-time="${e.timeSeconds}" data-interval="${e.intervalSeconds}" data-probes="${e.probes}" data-detection="${h.detectionSeconds}"` : ""} data-exceeds-lb="${warn}">`,
    );
    parts.push(
        `<rect class="row-background" x="0" y="${y0}" width="${WIDTH}" height="${ROW}" fill="${warn ? COLOR.warnRow : index % 2 === 0 ? COLOR.row : "#ffffff"}"/>`,
    );
    parts.push(
        text(
            LABEL_X,
            y0 + 18,
            `${warn ? "⚠ " : ""}${KIND_LABEL[h.hop.kind] ?? h.hop.kind}`,
            `font-weight="bold" font-size="13" fill="${warn ? COLOR.drop : COLOR.text}"`,
        ),
    );
    parts.push(text(LABEL_X, y0 + 34, truncate(h.hop.name, 44), `font-size="12" fill="${COLOR.muted}"`));
    if (!e || h.detectionSeconds === undefined) {
        parts.push(text(LABEL_X, y0 + 50, "no keepalive: never detected", `font-size="11" fill="${COLOR.drop}"`));
        const x1 = scale.x(scale.segments[scale.segments.length - 1].to);
        parts.push(
            `<line class="no-keepalive" x1="${PLOT_X0}" y1="${cy}" x2="${num(x1)}" y2="${cy}" stroke="${COLOR.none}" stroke-width="3" stroke-dasharray="6 5"/>`,
        );
        labels.push(text(PLOT_X0 + 8, cy - 8, "no keepalive: a dead peer is never found", `font-size="11" fill="${COLOR.muted}" ${HALO}`));
        if (lb !== undefined) parts.push(cross(scale.x(lb), cy, 7, COLOR.drop, "lb-drop"));
        parts.push("</g>");
        return { row: parts.join(""), labels: labels.join("") };
    }
    const d = h.detectionSeconds;
    const formula = `${e.timeSeconds} + ${e.intervalSeconds} × ${e.probes} = ${d} s`;
    parts.push(
        text(
            LABEL_X,
            y0 + 50,
            warn ? `${formula}; idle ≥ LB ${lb} s` : formula,
            `font-size="11" fill="${warn ? COLOR.drop : COLOR.muted}"`,
        ),
    );
    const xs = scale.x(0);
    const xt = scale.x(e.timeSeconds);
    const xd = scale.x(d);
    parts.push(
        `<rect class="idle" data-from="0" data-to="${e.timeSeconds}" x="${num(xs)}" y="${num(cy - BAR / 2)}" width="${num(xt - xs)}" height="${BAR}" fill="${COLOR.idle}" stroke="${COLOR.idleStroke}"/>`,
    );
    parts.push(
        `<rect class="probing" data-from="${e.timeSeconds}" data-to="${d}" x="${num(xt)}" y="${num(cy - BAR / 2)}" width="${num(Math.max(1, xd - xt))}" height="${BAR}" fill="${COLOR.probing}" stroke="${COLOR.probingStroke}"/>`,
    );
    // The idle label sits in the visible part of the idle bar (left of an axis break).
    const idleEnd = scale.segments.length > 1 && e.timeSeconds > scale.segments[0].to ? scale.segments[0].x1 : xt;
    const idleLabel = `idle ${e.timeSeconds} s`;
    const half = idleLabel.length * 3.5 + 8;
    let idleX: number | undefined = idleEnd - xs > 2 * half ? (xs + idleEnd) / 2 : undefined;
    const lbX = lb !== undefined ? scale.x(lb) : undefined;
    if (idleX !== undefined && lbX !== undefined && Math.abs(idleX - lbX) < half + 8) {
        // keep clear of the load balancer's mark: the wider side of the bar, if the label fits there
        const [a, b] = lbX - xs > idleEnd - lbX ? [xs, lbX] : [lbX, idleEnd];
        idleX = b - a > 2 * half + 16 ? (a + b) / 2 : undefined;
    }
    if (idleX !== undefined) labels.push(text(idleX, cy + 4, idleLabel, `font-size="11" text-anchor="middle" fill="${COLOR.text}"`));
    const spacing = h.probeTimes.length > 1 ? scale.x(h.probeTimes[1]) - scale.x(h.probeTimes[0]) : Infinity;
    if (spacing >= 5) {
        for (const t of h.probeTimes)
            parts.push(`<circle class="probe" data-seconds="${t}" cx="${num(scale.x(t))}" cy="${cy}" r="3.5" fill="${COLOR.probe}"/>`);
    }
    labels.push(
        text(
            xt,
            cy - BAR / 2 - 4,
            `${e.probes} probe${e.probes === 1 ? "" : "s"} every ${e.intervalSeconds} s`,
            `font-size="10" fill="${COLOR.muted}" ${HALO}${xt > PLOT_X1 - 140 ? ' text-anchor="end"' : ""}`,
        ),
    );
    parts.push(
        `<rect class="drop" data-seconds="${d}" x="${num(xd - 1.5)}" y="${num(cy - BAR / 2 - 5)}" width="3" height="${BAR + 10}" fill="${COLOR.drop}"/>`,
    );
    const right = xd + 60 < PLOT_X1 + 45;
    labels.push(
        text(
            right ? xd + 6 : xd - 6,
            cy + 4,
            `dead at ${d} s`,
            `font-size="11" font-weight="bold" fill="${COLOR.drop}" ${HALO}${right ? "" : ' text-anchor="end"'}`,
        ),
    );
    if (warn && lb !== undefined) {
        // The balancer forgets the flow at its idle timeout, before the first probe.
        parts.push(cross(scale.x(lb), cy, 7, COLOR.drop, "lb-drop"));
    }
    parts.push("</g>");
    return { row: parts.join(""), labels: labels.join("") };
}

/** The SVG document for one proxy. */
export function timelineSvg(p: ProxyExplanation): string {
    const scale = timeScale(p);
    const lb = p.loadBalancerIdleTimeoutSeconds;
    const rowsBottom = TOP + p.hops.length * ROW;
    const axisY = rowsBottom + 8;
    const legendY = axisY + 62;
    const height = legendY + 24;
    const out: string[] = [];
    out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
    out.push(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}" data-proxy="${esc(p.proxy.name)}">`,
    );
    out.push(
        `<title>${esc(`TCP keepalive of ${p.proxy.name}: idle, probes and drop per hop${lb !== undefined ? `, load balancer idle timeout ${lb} s` : ""}`)}</title>`,
    );
    out.push(`<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
    out.push(
        text(
            LABEL_X,
            28,
            `${p.proxy.name} (gatewayProxies.${p.proxy.key}): TCP keepalive per hop`,
            `font-size="18" font-weight="bold" fill="${COLOR.text}"`,
        ),
    );
    const worst = p.hops.filter((h) => h.exceedsLoadBalancer).length;
    const summary =
        lb === undefined
            ? "No load balancer idle timeout set (loadBalancerIdleTimeoutSeconds)."
            : worst === 0
              ? `Every hop probes before the load balancer's ${lb} s idle timeout: connections survive it.`
              : `${worst} hop${worst === 1 ? "" : "s"} idle${worst === 1 ? "s" : ""} up to or past the load balancer's ${lb} s idle timeout: dropped silently (red).`;
    out.push(
        text(
            LABEL_X,
            50,
            `Seconds after the last packet: idle, then probes, then the peer is declared dead. ${summary}`,
            `font-size="12" fill="${worst > 0 ? COLOR.drop : COLOR.muted}"`,
        ),
    );

    // grid and ticks
    const ticks = scale.ticks();
    out.push(`<g class="grid">`);
    for (const t of ticks)
        out.push(
            `<line x1="${num(scale.x(t.seconds))}" y1="${TOP - 6}" x2="${num(scale.x(t.seconds))}" y2="${rowsBottom}" stroke="${COLOR.grid}" stroke-width="1"/>`,
        );
    out.push(`</g>`);
    const rows = p.hops.map((h, i) => hopRow(h, i, scale, lb));
    out.push(`<g class="rows">`);
    for (const r of rows) out.push(r.row);
    out.push(`</g>`);
    // the break, if any
    if (scale.segments.length > 1) {
        const [a, b] = scale.segments;
        const x = (a.x1 + b.x0) / 2;
        out.push(`<g class="axis-break" data-from="${a.to}" data-to="${b.from}">`);
        out.push(
            `<rect x="${num(a.x1 + 2)}" y="${TOP - 8}" width="${num(b.x0 - a.x1 - 4)}" height="${rowsBottom - TOP + 30}" fill="#ffffff"/>`,
        );
        for (const dx of [-4, 4])
            out.push(
                `<line x1="${num(x + dx - 5)}" y1="${axisY + 8}" x2="${num(x + dx + 5)}" y2="${axisY - 8}" stroke="${COLOR.axis}" stroke-width="1.5"/>`,
            );
        out.push(`</g>`);
    }
    // axis
    out.push(`<g class="axis">`);
    for (const s of scale.segments)
        out.push(`<line x1="${num(s.x0)}" y1="${axisY}" x2="${num(s.x1)}" y2="${axisY}" stroke="${COLOR.axis}" stroke-width="1.5"/>`);
    for (const t of ticks) {
        const x = scale.x(t.seconds);
        out.push(
            `<g class="tick" data-seconds="${t.seconds}" data-segment="${t.segment}" data-x="${num(x)}"><line x1="${num(x)}" y1="${axisY}" x2="${num(x)}" y2="${axisY + 6}" stroke="${COLOR.axis}"/>${text(x, axisY + 20, `${t.seconds} s`, `font-size="11" text-anchor="middle" fill="${COLOR.text}"`)}</g>`,
        );
    }
    out.push(
        text(
            (PLOT_X0 + PLOT_X1) / 2,
            axisY + 42,
            "seconds after the last packet on the connection",
            `font-size="12" text-anchor="middle" fill="${COLOR.muted}"`,
        ),
    );
    out.push(`</g>`);
    // load balancer line, over the rows
    if (lb !== undefined) {
        const x = scale.x(lb);
        out.push(`<g class="lb" data-seconds="${lb}">`);
        out.push(
            `<line class="lb-line" data-seconds="${lb}" x1="${num(x)}" y1="${TOP - 22}" x2="${num(x)}" y2="${axisY}" stroke="${COLOR.lb}" stroke-width="2.5" stroke-dasharray="8 5"/>`,
        );
        const anchorEnd = x > PLOT_X1 - 190;
        out.push(
            text(
                anchorEnd ? x - 6 : x + 6,
                TOP - 12,
                `load balancer idle timeout ${lb} s`,
                `font-size="12" font-weight="bold" fill="${COLOR.lb}" ${HALO}${anchorEnd ? ' text-anchor="end"' : ""}`,
            ),
        );
        out.push(`</g>`);
    }
    // hop labels last, with a white halo, so lines never hide them
    out.push(`<g class="labels">${rows.map((r) => r.labels).join("")}</g>`);
    // legend
    const items: [string, string][] = [];
    let x = LABEL_X;
    const item = (w: number, swatch: string, label: string) => {
        items.push([swatch, text(x + 26, legendY + 4, label, `font-size="12" fill="${COLOR.text}"`)]);
        x += w;
    };
    item(110, `<rect x="${x}" y="${legendY - 7}" width="20" height="12" fill="${COLOR.idle}" stroke="${COLOR.idleStroke}"/>`, "idle");
    item(
        130,
        `<rect x="${x}" y="${legendY - 7}" width="20" height="12" fill="${COLOR.probing}" stroke="${COLOR.probingStroke}"/>`,
        "probing",
    );
    item(130, `<circle cx="${x + 10}" cy="${legendY - 1}" r="3.5" fill="${COLOR.probe}"/>`, "probe sent");
    item(190, `<rect x="${x + 8}" y="${legendY - 10}" width="3" height="18" fill="${COLOR.drop}"/>`, "peer declared dead");
    if (lb !== undefined) {
        item(
            230,
            `<line x1="${x}" y1="${legendY - 1}" x2="${x + 20}" y2="${legendY - 1}" stroke="${COLOR.lb}" stroke-width="2.5" stroke-dasharray="6 3"/>`,
            "load balancer idle timeout",
        );
        item(
            260,
            `<rect x="${x}" y="${legendY - 7}" width="20" height="12" fill="${COLOR.warnRow}" stroke="${COLOR.drop}"/>${cross(x + 10, legendY - 1, 4, COLOR.drop, "legend")}`,
            "idle ≥ LB timeout: dropped by LB",
        );
    }
    out.push(`<g class="legend">${items.map(([s, t]) => s + t).join("")}</g>`);
    out.push(`</svg>`);
    return `${out.join("\n")}\n`;
}
