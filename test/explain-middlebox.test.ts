/** explain draws and tells each hop against its own middlebox (or none), and marks an L7 balancer in front. */
import { expect } from "chai";
import { explainRender, explainText, timelineSvg } from "../components/explain";
import { renderValues } from "../components/render/render";
import { allElements, byClass, parseXml } from "./xml-lite";

const values = {
    gatewayProxies: {
        gatewayProxy: {
            loadBalancer: { type: "aws-alb" },
            egressIdleTimeoutSeconds: 350,
            controlPlaneIdleTimeoutSeconds: 900,
            tcpKeepaliveTimeSeconds: 120,
            readConfig: true,
            gatewaySettings: { httpIdleTimeoutSeconds: 30, tcpKeepalive: { timeSeconds: 60 } },
            envoyStaticClusters: [{ name: "otel", type: "STATIC", connect_timeout: "1s" }],
        },
    },
    upstreams: [{ name: "orders", host: "orders.example", port: 80, tcpKeepalive: { timeSeconds: 400 } }],
};

describe("explain: each hop against its own middlebox", () => {
    const [explanation] = explainRender(renderValues([values]));
    const text = explainText([explanation]);
    const svg = parseXml(timelineSvg(explanation));
    const rows = byClass(svg, "hop");

    it("draws each hop's own box in its row, none where it crosses none (the loopback admin cluster)", () => {
        expect(rows.map((r) => [r.attrs["data-name"], r.attrs["data-box"], r.attrs["data-box-seconds"]])).to.deep.equal([
            ["gloo.gloo-system.svc.cluster.local:9977", "control-plane", "900"],
            ["rest_xds_cluster", "control-plane", "900"],
            ["wasm-cache", "control-plane", "900"],
            ["admin_port_cluster", "none", undefined],
            ["otel", "egress", "350"],
            ["gateway-proxy", "load-balancer", "60"],
            ["orders", "egress", "350"],
        ]);
        for (const row of rows) {
            const marks = [...byClass(row, "lb-line"), ...byClass(row, "box-line")];
            expect(
                marks.map((m) => m.attrs["data-seconds"]),
                row.attrs["data-name"],
            ).to.deep.equal(row.attrs["data-box"] === "none" ? [] : [row.attrs["data-box-seconds"]]);
        }
    });

    it("marks the L7 front dotted, never as dropping the keepalive, and the HTTP idle order as the violation", () => {
        const downstream = rows.find((r) => r.attrs["data-kind"] === "downstream")!;
        expect(downstream.attrs["data-box-layer"]).to.equal("7");
        expect(downstream.attrs["data-exceeds-lb"], "keepalive 60 s is not held against an L7 balancer").to.equal("false");
        expect(downstream.attrs["data-http-idle-violation"]).to.equal("true");
        expect(byClass(downstream, "lb-line")[0].attrs["stroke-dasharray"]).to.equal("2 4");
        expect(byClass(downstream, "lb-drop")).to.have.length(0);
        expect(allElements(svg).some((e) => e.name === "text" && e.text === "L7 aws-alb 60 s: HTTP idle order decides")).to.equal(true);
        expect(text).to.include(
            "L7 aws-alb in front: TCP keepalive covers the balancer-to-proxy connection only, never the balancer's own idle timer",
        );
        expect(text).to.include(
            "WARNING: HTTP idle timeout 30 s (gatewayProxies.gatewayProxy.gatewaySettings.httpIdleTimeoutSeconds) is not longer than the balancer's 60 s (gatewayProxies.gatewayProxy.loadBalancer.type)",
        );
    });

    it("drops the upstream at the egress box only, and says Upstreams cannot carry TCP_USER_TIMEOUT", () => {
        const dropped = rows.filter((r) => r.attrs["data-exceeds-lb"] === "true").map((r) => r.attrs["data-name"]);
        expect(dropped).to.deep.equal(["orders"]);
        expect(
            byClass(
                rows.find((r) => r.attrs["data-name"] === "orders")!,
                "lb-drop",
            ),
        ).to.have.length(1);
        expect(text).to.include("WARNING: idle 400 s is not below the egress middlebox idle timeout 350 s");
        expect(text).to.include("survives the control-plane middlebox: first probe at 120 s, before its 900 s idle timeout");
        expect(text).to.include("crosses no middlebox with an idle timeout (a loopback cluster)");
        expect(text).to.include("Gloo Upstreams have no socket options, so TCP_USER_TIMEOUT cannot be set on this hop");
    });

    it("shows TCP_USER_TIMEOUT in the detection of the hops that set it", () => {
        const [e] = explainRender(
            renderValues([
                {
                    gatewayProxies: {
                        gatewayProxy: { tcpKeepaliveTimeSeconds: 60, tcpKeepaliveIntervalSeconds: 20, tcpUserTimeoutSeconds: 90 },
                    },
                },
            ]),
        );
        const out = explainText([e]);
        expect(out).to.include(
            "worst-case detection: 100 s (TCP_USER_TIMEOUT 90 s: first probe timer at or after it, 60 + k × 20); probes at 60, 80 s, dropped at 100 s",
        );
        expect(out).to.include("data in flight: given up after 90 s (TCP_USER_TIMEOUT)");
    });
});

describe("explain: the source of a value a proxy inherits from the default entry", () => {
    it("names the default entry's path and file, not the proxy's own, and says value, not default", () => {
        const base = { gatewayProxies: { gatewayProxy: { gatewaySettings: { tcpKeepalive: { timeSeconds: 45 } } } } };
        const edge = { gloo: { gatewayProxies: { edgeGw: { gatewaySettings: { ipv4Only: true, tcpKeepalive: { probes: 4 } } } } } };
        const result = renderValues([base, edge], { layerFiles: ["base.yaml", "edge.yaml"] });
        const hop = result.proxies.find((p) => p.key === "edgeGw")!.hops.find((h) => h.kind === "downstream")!;
        expect(hop.fields?.timeSeconds).to.deep.include({
            value: 45,
            source: "value",
            path: "gatewayProxies.gatewayProxy.gatewaySettings.tcpKeepalive.timeSeconds",
            file: "base.yaml",
        });
        expect(hop.fields?.probes).to.deep.include({
            value: 4,
            source: "value",
            path: "gloo.gatewayProxies.edgeGw.gatewaySettings.tcpKeepalive.probes",
            file: "edge.yaml",
        });
    });
});
