/** The performance targets, judged from the measured medians, and the growth per proxy. */
import type { HelmBinary } from "../scripts/helm";
import { fmt, row, type Samples } from "./measure";

/** Marginal CPU per proxy between two sizes: what one more proxy costs, startup excluded. */
function perProxy(s: Samples, key: (n: number) => string, from: number, to: number): number {
    return (s.median(key(to), "cpuMs") - s.median(key(from), "cpuMs")) / (to - from);
}

/** The growth table: marginal CPU ms per proxy, ours and helm's, between successive sizes. */
export function growthLines(whole: Samples, sizes: readonly number[], helms: readonly HelmBinary[]): string[] {
    const who: [string, (n: number) => string][] = [
        ["gloo-keepalive render", (n) => `render ${n}`],
        ...helms.map((h): [string, (n: number) => string] => [
            `helm template, our chart (Helm ${h.major})`,
            (n) => `helm${h.major} ours ${n}`,
        ]),
    ];
    const spans = sizes.slice(1).map((to, i) => [sizes[i], to] as const);
    const lines = [row(["CPU ms per added proxy", ...spans.map(([a, b]) => `${a} → ${b}`)]), row(["---", ...spans.map(() => "---:")])];
    for (const [label, key] of who) lines.push(row([label, ...spans.map(([a, b]) => fmt(perProxy(whole, key, a, b)))]));
    return lines;
}

/** Each target with what it came to and whether it is met. */
export function targetLines(whole: Samples, inProcess: Samples, sizes: readonly number[], helms: readonly HelmBinary[]): string[] {
    const lines = [row(["target", "measured", "met"]), row(["---", "---", "---"])];
    const at = sizes.includes(100) ? 100 : sizes[sizes.length - 1];
    const cpu = whole.median(`render ${at}`, "cpuMs");
    const rss = whole.median(`render ${at}`, "rssMB");
    for (const h of helms) {
        const hc = whole.median(`helm${h.major} ours ${at}`, "cpuMs");
        const hr = whole.median(`helm${h.major} ours ${at}`, "rssMB");
        lines.push(
            row([
                `render CPU ≥ 10× less than helm template (Helm ${h.major}), ${at} × 50`,
                `${(hc / cpu).toFixed(1)}× (${fmt(cpu)} vs ${fmt(hc)} ms)`,
                hc / cpu >= 10 ? "yes" : "no",
            ]),
        );
        const first = whole.median(`render-first ${at}`, "cpuMs");
        lines.push(
            row([
                `the same, for a first run (no code cache yet)`,
                `${(hc / first).toFixed(1)}× (${fmt(first)} vs ${fmt(hc)} ms)`,
                hc / first >= 10 ? "yes" : "no",
            ]),
        );
        lines.push(
            row([
                `render peak RSS ≤ 0.6× Helm ${h.major}'s, ${at} × 50`,
                `${(rss / hr).toFixed(2)}× (${fmt(rss)} vs ${fmt(hr)} MB)`,
                rss / hr <= 0.6 ? "yes" : "no",
            ]),
        );
    }
    const from10 = sizes.filter((n) => n >= 10);
    const spans = from10.slice(1).map((to, i) => [from10[i], to] as const);
    if (spans.length > 1) {
        const costs = spans.map(([a, b]) => perProxy(whole, (n) => `render ${n}`, a, b));
        const spread = Math.max(...costs) / Math.min(...costs);
        lines.push(
            row([
                "per-proxy CPU within 1.5× from 10 to the largest size",
                `${spread.toFixed(2)}× (${costs.map(fmt).join(", ")} ms per proxy)`,
                spread <= 1.5 ? "yes" : "no",
            ]),
        );
    }
    const check = whole.median(`check ${at}`, "cpuMs");
    lines.push(
        row([
            `check CPU ≤ 1.5× render's, ${at} × 50`,
            `${(check / cpu).toFixed(2)}× (${fmt(check)} vs ${fmt(cpu)} ms)`,
            check / cpu <= 1.5 ? "yes" : "no",
        ]),
    );
    const mocksMs = inProcess.median("mocks", "ms");
    const mocksRss = inProcess.median("mocks", "rssMB");
    lines.push(
        row([
            "stack program under mocks, 100 proxies: < 2.5 s and < 300 MB",
            `${fmt(mocksMs)} ms, ${fmt(mocksRss)} MB`,
            mocksMs < 2500 && mocksRss < 300 ? "yes" : "no",
        ]),
    );
    return lines;
}
