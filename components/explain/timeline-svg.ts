/**
 * An SVG timeline of one proxy's keepalive: per hop, after the last packet, the idle phase,
 * the probes and the moment the peer is declared dead, on an axis in seconds, each against a
 * mark at the idle timeout of the middlebox that hop crosses (the load balancer in front for
 * downstream, the egress box for upstreams and static clusters, the control-plane box for xDS),
 * or "no middlebox". A hop the box drops (idle reaches its timeout) is marked red; an L7 balancer
 * in front is drawn dotted, its row red when the HTTP idle timeout is not longer than its own.
 *
 * When one hop is far out (e.g. the Linux default 7200 s next to hops of a few minutes), the
 * axis breaks once over an empty stretch, so the near hops stay readable; each side of the
 * break is linear. Elements carry data-* attributes (seconds, kind) so tests can check positions.
 */
import { MIDDLEBOX_NAMES, type Middlebox } from "../keepalive";
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
    const spans: [number, number][] = p.hops
        .filter((h) => h.hop.effective && h.detectionSeconds !== undefined)
        .map((h) => [h.hop.effective?.timeSeconds as number, h.detectionSeconds as number]);
    for (const h of p.hops) if (h.middlebox) spans.push([h.middlebox.idleTimeoutSeconds, h.middlebox.idleTimeoutSeconds]);
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

/** Where the hop's box is drawn, its label and its colour. */
function boxLabel(h: HopExplanation): string {
    const box = h.middlebox as Middlebox;
    if (box.place === "load-balancer") {
        return box.layer === 7
            ? `L7 ${box.type} ${box.idleTimeoutSeconds} s: HTTP idle order decides`
            : `load balancer idle timeout ${box.idleTimeoutSeconds} s`;
    }
    return `${MIDDLEBOX_NAMES[box.place]} ${box.idleTimeoutSeconds} s`;
}

/** The vertical mark of the box a hop crosses, within the hop's row (an L7 front dotted), and a cross where it drops the hop. */
function boxMark(h: HopExplanation, y0: number, cy: number, scale: TimeScale): { mark: string; label: string } {
    const box = h.middlebox;
    if (!box) return { mark: "", label: "" };
    const x = scale.x(box.idleTimeoutSeconds);
    const cls = box.place === "load-balancer" ? "lb-line" : "box-line";
    const dash = box.layer === 7 ? "2 4" : "8 5";
    const mark =
        `<line class="${cls}" data-place="${box.place}" data-layer="${box.layer}" data-seconds="${box.idleTimeoutSeconds}" x1="${num(x)}" y1="${y0 + 2}" x2="${num(x)}" y2="${y0 + ROW - 2}" stroke="${COLOR.lb}" stroke-width="2.5" stroke-dasharray="${dash}"/>` +
        (h.exceedsLoadBalancer ? cross(x, cy, 7, COLOR.drop, "lb-drop") : "");
    const anchorEnd = x > PLOT_X1 - 220;
    const label = text(
        anchorEnd ? x - 6 : x + 6,
        y0 + 12,
        boxLabel(h),
        `class="box-label" font-size="11" font-weight="bold" fill="${COLOR.lb}" ${HALO}${anchorEnd ? ' text-anchor="end"' : ""}`,
    );
    return { mark, label };
}

/** The hop's name column: kind, name, and the formula or why there is none. */
function hopTitle(h: HopExplanation, y0: number, warn: boolean): string {
    const e = h.hop.effective;
    const box = h.middlebox;
    const l7 = box?.place === "load-balancer" && box.layer === 7;
    const parts = [
        text(
            LABEL_X,
            y0 + 18,
            `${warn ? "⚠ " : ""}${KIND_LABEL[h.hop.kind] ?? h.hop.kind}`,
            `font-weight="bold" font-size="13" fill="${warn ? COLOR.drop : COLOR.text}"`,
        ),
        text(LABEL_X, y0 + 34, truncate(`${h.hop.name}${box ? "" : " · no middlebox"}`, 44), `font-size="12" fill="${COLOR.muted}"`),
    ];
    if (!e || h.detectionSeconds === undefined) {
        parts.push(text(LABEL_X, y0 + 50, "no keepalive: never detected", `font-size="11" fill="${COLOR.drop}"`));
        return parts.join("");
    }
    const ut = h.hop.tcpUserTimeoutSeconds;
    const formula =
        ut === undefined
            ? `${e.timeSeconds} + ${e.intervalSeconds} × ${e.probes} = ${h.detectionSeconds} s`
            : `user timeout ${ut} s: dead at ${h.detectionSeconds} s`;
    const note = h.httpIdleViolation
        ? `; HTTP idle ≤ LB ${box?.idleTimeoutSeconds} s`
        : h.exceedsLoadBalancer
          ? `; idle ≥ ${box?.idleTimeoutSeconds} s`
          : l7
            ? "; covers LB → proxy only"
            : "";
    parts.push(text(LABEL_X, y0 + 50, `${formula}${note}`, `font-size="11" fill="${warn ? COLOR.drop : COLOR.muted}"`));
    return parts.join("");
}

/** The row of a hop without keepalive: a dashed line to the end of the axis. */
function noKeepaliveRow(cy: number, scale: TimeScale): { parts: string; labels: string } {
    const x1 = scale.x(scale.segments[scale.segments.length - 1].to);
    return {
        parts: `<line class="no-keepalive" x1="${PLOT_X0}" y1="${cy}" x2="${num(x1)}" y2="${cy}" stroke="${COLOR.none}" stroke-width="3" stroke-dasharray="6 5"/>`,
        labels: text(PLOT_X0 + 8, cy - 8, "no keepalive: a dead peer is never found", `font-size="11" fill="${COLOR.muted}" ${HALO}`),
    };
}

/** The idle bar, the probing bar, the probes and the drop of a hop with keepalive. */
function keepaliveBars(h: HopExplanation, cy: number, scale: TimeScale): { parts: string[]; labels: string[] } {
    const e = h.hop.effective as NonNullable<HopExplanation["hop"]["effective"]>;
    const d = h.detectionSeconds as number;
    const parts: string[] = [];
    const labels: string[] = [];
    const xs = scale.x(0);
    const xt = scale.x(e.timeSeconds);
    const xd = scale.x(d);
    parts.push(
        `<rect class="idle" data-from="0" data-to="${e.timeSeconds}" x="${num(xs)}" y="${num(cy - BAR / 2)}" width="${num(xt - xs)}" height="${BAR}" fill="${COLOR.idle}" stroke="${COLOR.idleStroke}"/>`,
        `<rect class="probing" data-from="${e.timeSeconds}" data-to="${d}" x="${num(xt)}" y="${num(cy - BAR / 2)}" width="${num(Math.max(1, xd - xt))}" height="${BAR}" fill="${COLOR.probing}" stroke="${COLOR.probingStroke}"/>`,
    );
    // The idle label sits in the visible part of the idle bar (left of an axis break), clear of the box's mark.
    const idleEnd = scale.segments.length > 1 && e.timeSeconds > scale.segments[0].to ? scale.segments[0].x1 : xt;
    const idleLabel = `idle ${e.timeSeconds} s`;
    const half = idleLabel.length * 3.5 + 8;
    let idleX: number | undefined = idleEnd - xs > 2 * half ? (xs + idleEnd) / 2 : undefined;
    const boxX = h.middlebox ? scale.x(h.middlebox.idleTimeoutSeconds) : undefined;
    if (idleX !== undefined && boxX !== undefined && Math.abs(idleX - boxX) < half + 8) {
        const [a, b] = boxX - xs > idleEnd - boxX ? [xs, boxX] : [boxX, idleEnd];
        idleX = b - a > 2 * half + 16 ? (a + b) / 2 : undefined;
    }
    if (idleX !== undefined) labels.push(text(idleX, cy + 4, idleLabel, `font-size="11" text-anchor="middle" fill="${COLOR.text}"`));
    const spacing = h.probeTimes.length > 1 ? scale.x(h.probeTimes[1]) - scale.x(h.probeTimes[0]) : Infinity;
    if (spacing >= 5) {
        for (const t of h.probeTimes)
            parts.push(`<circle class="probe" data-seconds="${t}" cx="${num(scale.x(t))}" cy="${cy}" r="3.5" fill="${COLOR.probe}"/>`);
    }
    const probes = h.hop.tcpUserTimeoutSeconds === undefined ? `${e.probes} probe${e.probes === 1 ? "" : "s"}` : "probes";
    labels.push(
        text(
            xt,
            cy - BAR / 2 - 4,
            `${probes} every ${e.intervalSeconds} s`,
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
    return { parts, labels };
}

/** One hop: its row (background, bars, its own box) and its labels, drawn later on top of the axis break. */
function hopRow(h: HopExplanation, index: number, scale: TimeScale): { row: string; labels: string } {
    const y0 = TOP + index * ROW;
    const cy = y0 + ROW / 2 + 4;
    const e = h.hop.effective;
    const warn = h.exceedsLoadBalancer || h.httpIdleViolation;
    const box = h.middlebox;
    const attrs = e
        ? ` data-time="${e.timeSeconds}" data-interval="${e.intervalSeconds}" data-probes="${e.probes}" data-detection="${h.detectionSeconds}"`
        : "";
    const boxAttrs = box
        ? ` data-box="${box.place}" data-box-seconds="${box.idleTimeoutSeconds}" data-box-layer="${box.layer}"`
        : ' data-box="none"';
    const fill = warn ? COLOR.warnRow : index % 2 === 0 ? COLOR.row : "#ffffff";
    const body = !e || h.detectionSeconds === undefined ? noKeepaliveRow(cy, scale) : undefined;
    const bars = body ? { parts: [body.parts], labels: [body.labels] } : keepaliveBars(h, cy, scale);
    const mark = boxMark(h, y0, cy, scale);
    const row = [
        `<g class="hop" data-kind="${esc(h.hop.kind)}" data-name="${esc(h.hop.name)}"${attrs}${boxAttrs} data-exceeds-lb="${h.exceedsLoadBalancer}" data-http-idle-violation="${h.httpIdleViolation}">`,
        `<rect class="row-background" x="0" y="${y0}" width="${WIDTH}" height="${ROW}" fill="${fill}"/>`,
        hopTitle(h, y0, warn),
        ...bars.parts,
        mark.mark,
        "</g>",
    ];
    return { row: row.join(""), labels: [...bars.labels, mark.label].join("") };
}

/** The title and the one-line summary. */
function header(p: ProxyExplanation): string[] {
    const lb = p.loadBalancer;
    const dropped = p.hops.filter((h) => h.exceedsLoadBalancer || h.httpIdleViolation).length;
    const front =
        lb === undefined
            ? "No load balancer set (loadBalancer)."
            : lb.layer === 7
              ? `L7 ${lb.type} in front (${lb.idleTimeoutSeconds} s).`
              : `L4 ${lb.type} in front (${lb.idleTimeoutSeconds} s).`;
    const summary =
        dropped === 0
            ? `${front} Every hop outlives the box it crosses (purple: that box's idle timeout).`
            : `${front} ${dropped} hop${dropped === 1 ? "" : "s"} dropped by the box ${dropped === 1 ? "it crosses" : "they cross"} (red).`;
    return [
        `<title>${esc(`TCP keepalive of ${p.proxy.name}: idle, probes and drop per hop, each against the middlebox it crosses${p.loadBalancerIdleTimeoutSeconds !== undefined ? `, load balancer idle timeout ${p.loadBalancerIdleTimeoutSeconds} s` : ""}`)}</title>`,
        text(
            LABEL_X,
            28,
            `${p.proxy.name} (gatewayProxies.${p.proxy.key}): TCP keepalive per hop`,
            `font-size="18" font-weight="bold" fill="${COLOR.text}"`,
        ),
        text(
            LABEL_X,
            50,
            `Seconds after the last packet: idle, then probes, then the peer is declared dead. ${summary}`,
            `font-size="12" fill="${dropped > 0 ? COLOR.drop : COLOR.muted}"`,
        ),
    ];
}

/** Grid lines (behind the rows). */
function grid(scale: TimeScale, rowsBottom: number): string[] {
    return [
        `<g class="grid">`,
        ...scale
            .ticks()
            .map(
                (t) =>
                    `<line x1="${num(scale.x(t.seconds))}" y1="${TOP - 6}" x2="${num(scale.x(t.seconds))}" y2="${rowsBottom}" stroke="${COLOR.grid}" stroke-width="1"/>`,
            ),
        `</g>`,
    ];
}

/** The axis, its ticks and, when it breaks, the break. */
function axis(scale: TimeScale, rowsBottom: number, axisY: number): string[] {
    const out: string[] = [];
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
    out.push(`<g class="axis">`);
    for (const s of scale.segments)
        out.push(`<line x1="${num(s.x0)}" y1="${axisY}" x2="${num(s.x1)}" y2="${axisY}" stroke="${COLOR.axis}" stroke-width="1.5"/>`);
    for (const t of scale.ticks()) {
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
    return out;
}

function legend(legendY: number): string {
    const items: string[] = [];
    let x = LABEL_X;
    const item = (w: number, swatch: string, label: string) => {
        items.push(swatch + text(x + 26, legendY + 4, label, `font-size="12" fill="${COLOR.text}"`));
        x += w;
    };
    item(90, `<rect x="${x}" y="${legendY - 7}" width="20" height="12" fill="${COLOR.idle}" stroke="${COLOR.idleStroke}"/>`, "idle");
    item(
        110,
        `<rect x="${x}" y="${legendY - 7}" width="20" height="12" fill="${COLOR.probing}" stroke="${COLOR.probingStroke}"/>`,
        "probing",
    );
    item(120, `<circle cx="${x + 10}" cy="${legendY - 1}" r="3.5" fill="${COLOR.probe}"/>`, "probe sent");
    item(180, `<rect x="${x + 8}" y="${legendY - 10}" width="3" height="18" fill="${COLOR.drop}"/>`, "peer declared dead");
    item(
        250,
        `<line x1="${x}" y1="${legendY - 1}" x2="${x + 20}" y2="${legendY - 1}" stroke="${COLOR.lb}" stroke-width="2.5" stroke-dasharray="6 3"/>`,
        "idle timeout of the box crossed",
    );
    item(
        250,
        `<rect x="${x}" y="${legendY - 7}" width="20" height="12" fill="${COLOR.warnRow}" stroke="${COLOR.drop}"/>${cross(x + 10, legendY - 1, 4, COLOR.drop, "legend")}`,
        "dropped by the box it crosses",
    );
    return `<g class="legend">${items.join("")}</g>`;
}

/** The SVG document for one proxy. */
export function timelineSvg(p: ProxyExplanation): string {
    const scale = timeScale(p);
    const rowsBottom = TOP + p.hops.length * ROW;
    const axisY = rowsBottom + 8;
    const legendY = axisY + 62;
    const height = legendY + 24;
    const rows = p.hops.map((h, i) => hopRow(h, i, scale));
    const out = [
        `<?xml version="1.0" encoding="UTF-8"?>`,
        `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT}" data-proxy="${esc(p.proxy.name)}">`,
        ...header(p).slice(0, 1),
        `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
        ...header(p).slice(1),
        ...grid(scale, rowsBottom),
        `<g class="rows">`,
        ...rows.map((r) => r.row),
        `</g>`,
        ...axis(scale, rowsBottom, axisY),
        // hop labels last, with a white halo, so lines never hide them
        `<g class="labels">${rows.map((r) => r.labels).join("")}</g>`,
        legend(legendY),
        `</svg>`,
    ];
    return `${out.join("\n")}\n`;
}
