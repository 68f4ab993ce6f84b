import { expect } from "chai";
import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import { tmpdir } from "os";
import * as path from "path";
import { explainRender } from "../components/explain";
import { renderValues } from "../components/render/render";
import { readStackConfig } from "../components/values/read";
import { timelineSvg } from "../components/explain/timeline-svg";
import { runCli } from "./cli-harness";
import { allElements, byClass, parseXml, type XmlElement } from "./xml-lite";

/** One hop block of the explain text: its field lines and the rest. */
interface TextHop {
    kind: string;
    name: string;
    fields: Record<string, { value: number; source: string; from: string }>;
    lines: string[];
}

function parseExplainText(text: string): { header: string[]; hops: TextHop[] }[] {
    const proxies: { header: string[]; hops: TextHop[] }[] = [];
    for (const line of text.split("\n")) {
        if (/^gatewayProxies\./.test(line)) {
            proxies.push({ header: [line], hops: [] });
            continue;
        }
        const proxy = proxies[proxies.length - 1];
        if (!proxy || line.trim() === "" || line.startsWith("wrote ")) continue;
        const hopHeader = /^ {2}(xds|built-in-cluster|static-cluster|downstream|upstream) (.+)$/.exec(line);
        if (hopHeader) {
            proxy.hops.push({ kind: hopHeader[1], name: hopHeader[2], fields: {}, lines: [] });
            continue;
        }
        const hop = proxy.hops[proxy.hops.length - 1];
        const field = /^ {4}(time|interval|probes)\s+(\d+)(?: s)?\s+(value|default|pod sysctl|OS default)\s+(.+)$/.exec(line);
        if (hop && field) hop.fields[field[1]] = { value: Number(field[2]), source: field[3], from: field[4] };
        else if (hop) hop.lines.push(line.trim());
        else proxy.header.push(line.trim());
    }
    return proxies;
}

/** x of a number of seconds, from the axis ticks of its segment (each segment is linear). */
function xFromTicks(svg: XmlElement, seconds: number): number {
    const ticks = byClass(svg, "tick").map((t) => ({
        s: Number(t.attrs["data-seconds"]),
        seg: Number(t.attrs["data-segment"]),
        x: Number(t.attrs["data-x"]),
    }));
    const line = (t: XmlElement) => t.children.find((c) => c.name === "line") as XmlElement;
    for (const t of byClass(svg, "tick"))
        expect(Number(line(t).attrs.x1), "tick line at its data-x").to.be.closeTo(Number(t.attrs["data-x"]), 0.01);
    const segments = [...new Set(ticks.map((t) => t.seg))].map((seg) => ticks.filter((t) => t.seg === seg));
    const segment =
        segments.find((s) => seconds >= s[0].s && seconds <= s[s.length - 1].s) ??
        segments.reduce((best, s) => (Math.abs(seconds - s[s.length - 1].s) < Math.abs(seconds - best[best.length - 1].s) ? s : best));
    expect(segment.length, "at least two ticks per axis segment").to.be.at.least(2);
    const [a, b] = [segment[0], segment[segment.length - 1]];
    return a.x + ((seconds - a.s) / (b.s - a.s)) * (b.x - a.x);
}

function pngSize(file: string): { width: number; height: number; bytes: number } {
    const png = readFileSync(file);
    expect(png.subarray(0, 8).toString("hex"), "PNG signature").to.equal("89504e470d0a1a0a");
    expect(png.subarray(12, 16).toString("ascii"), "IHDR first").to.equal("IHDR");
    return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), bytes: png.length };
}

/** rsvg-convert from Debian's librsvg2-bin; the test fails (never skips) without it. */
function rsvgConvert(svgFile: string, pngFile: string): void {
    const version = spawnSync("rsvg-convert", ["--version"], { encoding: "utf8", timeout: 10000 });
    if (version.error || version.status !== 0) {
        throw new Error(
            `rsvg-convert is missing: install the Debian package librsvg2-bin (apt-get install librsvg2-bin) to turn the explain SVG into a PNG (${version.error?.message ?? version.stderr})`,
        );
    }
    const run = spawnSync("rsvg-convert", ["--format", "png", "--output", pngFile, svgFile], { encoding: "utf8", timeout: 30000 });
    if (run.status !== 0) throw new Error(`rsvg-convert failed on ${svgFile}: ${run.stderr || run.error?.message}`);
}

describe("explain: where each keepalive number comes from, and a timeline", () => {
    const scratch = mkdtempSync(path.join(tmpdir(), "gka-explain-"));
    after(() => rmSync(scratch, { recursive: true, force: true }));

    describe("the prod stack", () => {
        const out = path.join(scratch, "prod");
        let stdout = "";
        before(() => {
            mkdirSync(out, { recursive: true });
            writeFileSync(path.join(out, "keep.txt"), "someone else's file\n");
            const run = runCli(["explain", "--stack", "prod", "--out", out]);
            expect(run.status, run.stderr).to.equal(0);
            stdout = run.stdout;
        });

        it("prints the load balancer, the pod's OS defaults and every hop with the right numbers and sources", () => {
            const [proxy, ...others] = parseExplainText(stdout);
            expect(others).to.have.length(0);
            expect(proxy.header).to.deep.equal([
                "gatewayProxies.gatewayProxy (gateway-proxy)",
                "load balancer idle timeout: 350 s (value: gatewayProxies.gatewayProxy.loadBalancerIdleTimeoutSeconds, Pulumi.prod.yaml)",
                "OS defaults in the pod: time 120 s, interval 20 s, probes 3 (pod sysctls, podTemplate.tcpKeepaliveSysctls)",
            ]);
            const p = "gatewayProxies.gatewayProxy";
            const proxyLevel = (time: number) => ({
                time: { value: time, source: "value", from: `${p}.tcpKeepaliveTimeSeconds (Pulumi.prod.yaml)` },
                interval: { value: 20, source: "value", from: `${p}.tcpKeepaliveIntervalSeconds (Pulumi.prod.yaml)` },
                probes: { value: 3, source: "value", from: `${p}.tcpKeepaliveProbes (Pulumi.prod.yaml)` },
            });
            const expected: [string, string, TextHop["fields"], number][] = [
                ["xds", "gloo.gloo-system.svc.cluster.local:9977", proxyLevel(120), 180],
                ["built-in-cluster", "rest_xds_cluster", proxyLevel(120), 180],
                ["built-in-cluster", "wasm-cache", proxyLevel(120), 180],
                ["built-in-cluster", "admin_port_cluster", proxyLevel(120), 180],
                [
                    "static-cluster",
                    "otel_collector",
                    {
                        ...proxyLevel(90),
                        time: {
                            value: 90,
                            source: "value",
                            from: `${p}.envoyStaticClusters[0].upstream_connection_options.tcp_keepalive.keepalive_time (Pulumi.prod.yaml)`,
                        },
                    },
                    150,
                ],
                [
                    "downstream",
                    "gateway-proxy",
                    {
                        time: { value: 300, source: "value", from: `${p}.gatewaySettings.tcpKeepalive.timeSeconds (Pulumi.prod.yaml)` },
                        interval: {
                            value: 15,
                            source: "value",
                            from: `${p}.gatewaySettings.tcpKeepalive.intervalSeconds (Pulumi.prod.yaml)`,
                        },
                        probes: { value: 3, source: "value", from: `${p}.gatewaySettings.tcpKeepalive.probes (Pulumi.prod.yaml)` },
                    },
                    345,
                ],
                [
                    "upstream",
                    "orders",
                    {
                        time: { value: 120, source: "value", from: "upstreams[0].tcpKeepalive.timeSeconds (Pulumi.prod.yaml)" },
                        interval: { value: 20, source: "value", from: "upstreams[0].tcpKeepalive.intervalSeconds (Pulumi.prod.yaml)" },
                        probes: { value: 3, source: "value", from: "upstreams[0].tcpKeepalive.probes (Pulumi.prod.yaml)" },
                    },
                    180,
                ],
            ];
            expect(proxy.hops.map((h) => [h.kind, h.name])).to.deep.equal(expected.map(([k, n]) => [k, n]));
            proxy.hops.forEach((hop, i) => {
                const [, name, fields, detection] = expected[i];
                expect(hop.fields, name).to.deep.equal(fields);
                const e = fields;
                expect(hop.lines, name).to.include(
                    `worst-case detection: ${detection} s (${e.time.value} + ${e.interval.value} × ${e.probes.value}); probes at ${Array.from(
                        { length: e.probes.value },
                        (_, k) => e.time.value + k * e.interval.value,
                    ).join(", ")} s, dropped at ${detection} s`,
                );
                // Each hop against its own box: only downstream crosses the load balancer; prod sets no egress or control-plane box.
                const place =
                    hop.kind === "downstream"
                        ? undefined
                        : hop.kind === "xds" || hop.kind === "built-in-cluster"
                          ? "controlPlaneIdleTimeoutSeconds"
                          : "egressIdleTimeoutSeconds";
                expect(hop.lines, name).to.include(
                    place === undefined
                        ? `survives the load balancer: first probe at ${e.time.value} s, before its 350 s idle timeout`
                        : `crosses no middlebox with an idle timeout (${name === "admin_port_cluster" ? "a loopback cluster" : `${place} unset`})`,
                );
            });
            expect(proxy.hops[0].lines).to.include(
                "also HTTP/2 PING every 30 s, 10 s timeout (xdsHttp2Keepalive): catches a stale gRPC stream TCP probes cannot",
            );
        });

        it("agrees with the renderer's hops", () => {
            const r = renderValues([readStackConfig("prod").values], { namespace: "gloo-system" });
            const [proxy] = parseExplainText(stdout);
            r.proxies[0].hops.forEach((hop, i) => {
                expect(proxy.hops[i].name).to.equal(hop.name);
                expect([
                    proxy.hops[i].fields.time.value,
                    proxy.hops[i].fields.interval.value,
                    proxy.hops[i].fields.probes.value,
                ]).to.deep.equal([hop.effective?.timeSeconds, hop.effective?.intervalSeconds, hop.effective?.probes]);
            });
        });

        it("writes <out>/explain/<proxy>.svg atomically, leaving other files in <out> alone", () => {
            expect(readdirSync(path.join(out, "explain"))).to.deep.equal(["gateway-proxy.svg"]);
            expect(readFileSync(path.join(out, "keep.txt"), "utf8")).to.equal("someone else's file\n");
            expect(stdout).to.include(`wrote ${path.join(out, "explain", "gateway-proxy.svg")}`);
        });

        it("draws a well-formed SVG: one row per hop, bars at the right seconds, the LB line at 350 s", () => {
            const svg = parseXml(readFileSync(path.join(out, "explain", "gateway-proxy.svg"), "utf8"));
            expect(svg.name).to.equal("svg");
            expect(svg.attrs.xmlns).to.equal("http://www.w3.org/2000/svg");
            const rows = byClass(svg, "hop");
            expect(rows.map((g) => [g.attrs["data-kind"], g.attrs["data-name"], g.attrs["data-detection"]])).to.deep.equal([
                ["xds", "gloo.gloo-system.svc.cluster.local:9977", "180"],
                ["built-in-cluster", "rest_xds_cluster", "180"],
                ["built-in-cluster", "wasm-cache", "180"],
                ["built-in-cluster", "admin_port_cluster", "180"],
                ["static-cluster", "otel_collector", "150"],
                ["downstream", "gateway-proxy", "345"],
                ["upstream", "orders", "180"],
            ]);
            expect(rows.map((g) => g.attrs["data-exceeds-lb"])).to.deep.equal(Array(7).fill("false"));
            expect(byClass(svg, "axis-break"), "prod fits one linear axis").to.have.length(0);
            const [lb] = byClass(svg, "lb-line");
            expect(Number(lb.attrs.x1)).to.equal(Number(lb.attrs.x2));
            expect(Number(lb.attrs.x1), "LB line at 350 s on the axis").to.be.closeTo(xFromTicks(svg, 350), 0.05);
            const ticks = byClass(svg, "tick").map((t) => t.attrs["data-seconds"]);
            expect(ticks[0]).to.equal("0");
            expect(Number(ticks[ticks.length - 1])).to.be.at.least(350);
            expect(allElements(svg).some((e) => e.name === "text" && e.text === "load balancer idle timeout 350 s")).to.equal(true);
            expect(allElements(svg).filter((e) => e.name === "text" && /^\d+ s$/.test(e.text)).length, "seconds on the axis").to.equal(
                ticks.length,
            );
            for (const row of rows) {
                const [idle] = byClass(row, "idle");
                const [probing] = byClass(row, "probing");
                const [drop] = byClass(row, "drop");
                const time = Number(row.attrs["data-time"]);
                expect(Number(idle.attrs.x) + Number(idle.attrs.width), `${row.attrs["data-name"]} idle ends at ${time} s`).to.be.closeTo(
                    xFromTicks(svg, time),
                    0.05,
                );
                expect(Number(probing.attrs.x)).to.be.closeTo(xFromTicks(svg, time), 0.05);
                expect(Number(drop.attrs.x) + 1.5, "drop mark").to.be.closeTo(xFromTicks(svg, Number(row.attrs["data-detection"])), 0.05);
                expect(byClass(row, "probe").map((c) => Number(c.attrs["data-seconds"]))).to.deep.equal(
                    Array.from({ length: Number(row.attrs["data-probes"]) }, (_, k) => time + k * Number(row.attrs["data-interval"])),
                );
            }
        });

        it("converts to a PNG of the SVG's size with rsvg-convert", () => {
            const svgFile = path.join(out, "explain", "gateway-proxy.svg");
            const svg = parseXml(readFileSync(svgFile, "utf8"));
            const png = path.join(scratch, "prod.png");
            rsvgConvert(svgFile, png);
            const size = pngSize(png);
            expect([size.width, size.height]).to.deep.equal([Number(svg.attrs.width), Number(svg.attrs.height)]);
            expect(size.width).to.equal(1100);
            expect(size.height).to.be.within(400, 800);
            expect(size.bytes, "not a blank image").to.be.greaterThan(20000);
        });
    });

    describe("sources other than values, and a hop behind the balancer's timeout", () => {
        const base = {
            gatewayProxies: {
                gatewayProxy: {
                    loadBalancerIdleTimeoutSeconds: 240,
                    tcpKeepaliveIntervalSeconds: 10,
                    podTemplate: { tcpKeepaliveSysctls: true },
                    gatewaySettings: { tcpKeepalive: { timeSeconds: 30 } },
                },
            },
            upstreams: [{ name: "legacy", host: "legacy.example", port: 5432, tcpKeepalive: { probes: 2 } }],
        };
        const override = { gatewayProxies: { gatewayProxy: { gatewaySettings: { tcpKeepalive: { timeSeconds: 600 } } } } };
        let stdout = "";
        let out = "";
        before(() => {
            const a = path.join(scratch, "base.yaml");
            const b = path.join(scratch, "override.yaml");
            writeFileSync(a, yaml.dump(base));
            writeFileSync(b, yaml.dump(override));
            out = path.join(scratch, "layers");
            const run = runCli(["explain", "--values", a, "--values", b, "--out", out]);
            expect(run.status, run.stderr).to.equal(0);
            stdout = run.stdout;
        });

        it("says default, pod sysctl and OS default where the user set nothing, and which file set a value", () => {
            const [proxy] = parseExplainText(stdout);
            const p = "gatewayProxies.gatewayProxy";
            const xds = proxy.hops.find((h) => h.kind === "xds") as TextHop;
            expect(xds.fields).to.deep.equal({
                time: { value: 60, source: "default", from: `${p}.tcpKeepaliveTimeSeconds (chart default)` },
                interval: { value: 10, source: "value", from: `${p}.tcpKeepaliveIntervalSeconds (${path.join(scratch, "base.yaml")})` },
                probes: { value: 9, source: "OS default", from: "net.ipv4.tcp_keepalive_probes (Linux default)" },
            });
            const downstream = proxy.hops.find((h) => h.kind === "downstream") as TextHop;
            expect(downstream.fields).to.deep.equal({
                time: {
                    value: 600,
                    source: "value",
                    from: `${p}.gatewaySettings.tcpKeepalive.timeSeconds (${path.join(scratch, "override.yaml")})`,
                },
                interval: {
                    value: 10,
                    source: "pod sysctl",
                    from: `net.ipv4.tcp_keepalive_intvl (${p}.podTemplate.tcpKeepaliveSysctls, from ${p}.tcpKeepaliveIntervalSeconds)`,
                },
                probes: { value: 9, source: "OS default", from: "net.ipv4.tcp_keepalive_probes (Linux default)" },
            });
            expect(downstream.lines).to.include(
                "worst-case detection: 690 s (600 + 10 × 9); probes at 600, 610, 620, 630, 640, 650, 660, 670, 680 s, dropped at 690 s",
            );
            expect(downstream.lines).to.include(
                "WARNING: idle 600 s is not below the load balancer idle timeout 240 s: the balancer drops the connection silently before the first probe",
            );
            const upstream = proxy.hops.find((h) => h.kind === "upstream") as TextHop;
            expect(upstream.fields.time).to.deep.equal({
                value: 60,
                source: "pod sysctl",
                from: `net.ipv4.tcp_keepalive_time (${p}.podTemplate.tcpKeepaliveSysctls, from ${p}.tcpKeepaliveTimeSeconds)`,
            });
            expect(upstream.fields.probes.source).to.equal("value");
        });

        it("marks the hop whose idle time reaches the LB timeout, with the LB line and the drop at the right x", () => {
            const svg = parseXml(readFileSync(path.join(out, "explain", "gateway-proxy.svg"), "utf8"));
            const rows = byClass(svg, "hop");
            const exceeding = rows.filter((r) => r.attrs["data-exceeds-lb"] === "true").map((r) => r.attrs["data-kind"]);
            expect(exceeding).to.deep.equal(["downstream"]);
            const downstream = rows.find((r) => r.attrs["data-kind"] === "downstream") as XmlElement;
            expect(byClass(downstream, "row-background")[0].attrs.fill).to.not.equal(byClass(rows[0], "row-background")[0].attrs.fill);
            expect(byClass(downstream, "lb-drop"), "a cross where the balancer drops it").to.have.length(1);
            expect(allElements(downstream).some((e) => e.name === "text" && e.text.startsWith("⚠"))).to.equal(true);
            const [lb] = byClass(svg, "lb-line");
            expect(Number(lb.attrs.x1)).to.be.closeTo(xFromTicks(svg, 240), 0.05);
            expect(Number(byClass(downstream, "drop")[0].attrs.x) + 1.5).to.be.closeTo(xFromTicks(svg, 690), 0.05);
        });

        it("breaks the axis over a long empty stretch (Linux's 7200 s next to minutes), each side linear", () => {
            const r = renderValues([
                {
                    upstreams: [{ name: "slow", host: "slow.example", port: 80, tcpKeepalive: { probes: 3 } }],
                    gatewayProxies: { gatewayProxy: { loadBalancerIdleTimeoutSeconds: 350 } },
                },
            ]);
            const svg = parseXml(timelineSvg(explainRender(r)[0]));
            expect(byClass(svg, "axis-break")).to.have.length(1);
            const slow = byClass(svg, "hop").find((h) => h.attrs["data-name"] === "slow") as XmlElement;
            expect(slow.attrs["data-detection"]).to.equal(String(7200 + 75 * 3));
            expect(Number(byClass(slow, "drop")[0].attrs.x) + 1.5).to.be.closeTo(xFromTicks(svg, 7425), 0.05);
            expect(Number(byClass(svg, "lb-line")[0].attrs.x1)).to.be.closeTo(xFromTicks(svg, 350), 0.05);
            for (const c of byClass(slow, "probe"))
                expect(Number(c.attrs.cx)).to.be.closeTo(xFromTicks(svg, Number(c.attrs["data-seconds"])), 0.05);
        });
    });

    it("refuses invalid values as render does: exit 1, the value path, nothing written", () => {
        const bad = path.join(scratch, "bad.yaml");
        writeFileSync(bad, yaml.dump({ gatewayProxies: { gatewayProxy: { gatewaySettings: { tcpKeepalive: { probes: 300 } } } } }));
        const out = path.join(scratch, "bad-out");
        const run = runCli(["explain", "--values", bad, "--out", out]);
        expect(run.status).to.equal(1);
        expect(run.stderr).to.include(
            "gatewayProxies.gatewayProxy.gatewaySettings.tcpKeepalive.probes: 300 exceeds the kernel maximum 127",
        );
        expect(existsSync(out)).to.equal(false);
        expect(runCli(["explain", "--bogus"]).status, "unknown option").to.equal(2);
    });

    it("the xml checker refuses what is not well-formed (so the SVG check can fail)", () => {
        for (const bad of [
            "<svg><g></svg>",
            "<svg a=1/>",
            '<svg a="1" a="2"/>',
            "<svg>&nbsp;</svg>",
            "<svg/><svg/>",
            "<svg>a & b</svg>",
            '<svg a="<"/>',
        ]) {
            expect(() => parseXml(bad), bad).to.throw(/not well-formed|stray|unknown entity/);
        }
        expect(parseXml("<?xml version=\"1.0\"?><svg a='&lt;&#65;'><!-- c --><t>x</t></svg>").attrs.a).to.equal("<A");
    });
});
