/**
 * The Envoy walker walks each distinct message shape once (components/checks/envoy/walk-memo.ts),
 * yet every value is still checked: a bad value in the 5000th of otherwise repeated clusters is
 * refused at its exact path, and a bad value repeated in every cluster is refused in every one.
 */
import { expect } from "chai";
import { validateEnvoyBootstrap } from "../components/checks/envoy/validate";
import { Shapes } from "../components/checks/envoy/walk-memo";

const COUNT = 5000;

function cluster(i: number, port = 8000 + (i % 1000), maxConnections: unknown = 1024): Record<string, unknown> {
    return {
        name: `cluster-${i}`,
        type: "STRICT_DNS",
        connect_timeout: "5s",
        circuit_breakers: { thresholds: [{ priority: "DEFAULT", max_connections: maxConnections, max_requests: 2048 }] },
        typed_extension_protocol_options: {
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
                "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                explicit_http_config: { http2_protocol_options: {} },
                common_http_protocol_options: { idle_timeout: "60s" },
            },
        },
        load_assignment: {
            cluster_name: `cluster-${i}`,
            endpoints: [
                {
                    lb_endpoints: [
                        { endpoint: { address: { socket_address: { address: `backend-${i}.example.com`, port_value: port } } } },
                    ],
                },
            ],
        },
    };
}

const bootstrap = (clusters: unknown[]) => ({ static_resources: { clusters } });
const last = `static_resources.clusters[${COUNT - 1}]`;

describe("Envoy check: each distinct value walked once, every value still checked", () => {
    it("accepts 5000 clusters of one shape", () => {
        const clusters = Array.from({ length: COUNT }, (_, i) => cluster(i));
        expect(validateEnvoyBootstrap(bootstrap(clusters), "")).to.deep.equal([]);
    });

    it("refuses a bad port in the 5000th cluster at its exact path", () => {
        const clusters = Array.from({ length: COUNT }, (_, i) => cluster(i, i === COUNT - 1 ? 70000 : undefined));
        const issues = validateEnvoyBootstrap(bootstrap(clusters), "", { crossCheck: false });
        expect(issues.map((i) => i.path)).to.deep.equal([
            `${last}.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value`,
        ]);
        expect(issues[0].message).to.match(/65535/);
    });

    it("refuses a bad value in a sub-message every other cluster shares, in the 5000th cluster only", () => {
        const clusters = Array.from({ length: COUNT }, (_, i) => cluster(i, undefined, i === COUNT - 1 ? -1 : 1024));
        const issues = validateEnvoyBootstrap(bootstrap(clusters), "", { crossCheck: false });
        expect(issues.map((i) => i.path)).to.deep.equal([`${last}.circuit_breakers.thresholds[0].max_connections`]);
    });

    it("refuses a bad value repeated in every cluster in each of them, at each one's path", () => {
        const clusters = Array.from({ length: COUNT }, (_, i) => cluster(i, undefined, "many"));
        const issues = validateEnvoyBootstrap(bootstrap(clusters), "", { crossCheck: false });
        expect(issues).to.have.length(COUNT);
        expect(issues[COUNT - 1].path).to.equal(`${last}.circuit_breakers.thresholds[0].max_connections`);
        expect(issues[COUNT - 1].message).to.equal(issues[0].message);
    });

    it("gives no shape to a value a shape could not stand for (undefined, functions, non-plain objects, cycles)", () => {
        for (const v of [undefined, new Date(0), [undefined], { a: undefined }, () => 1, { a: new Map() }]) {
            expect(new Shapes().of(v), String(v)).to.equal(undefined);
        }
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        expect(new Shapes().of(cyclic)).to.equal(undefined);
    });

    it("gives one shape to values that differ only in their scalars, and another to any other difference", () => {
        const shape = (v: unknown) => new Shapes().of(v);
        const a = shape({ name: "a", port: 1, on: true, list: [1, "x", null] });
        expect(shape({ name: "b", port: 2, on: false, list: [7, "y", null] })).to.equal(a);
        for (const other of [
            { port: 1, name: "a", on: true, list: [1, "x", null] }, // key order
            { name: "a", port: "1", on: true, list: [1, "x", null] }, // a string for a number
            { name: "a", port: 1, on: true, list: [1, "x"] }, // list length
            { name: "a", port: 1, on: true, list: [1, "x", "z"] }, // null for a string
            { name: "a", port: 1, on: true, list: [1, "x", null], more: {} },
        ]) {
            expect(shape(other), JSON.stringify(other)).to.not.equal(a);
        }
        const any = (type: string) => shape({ typed_config: { "@type": type, x: 1 } });
        expect(any("type.googleapis.com/a.B")).to.not.equal(any("type.googleapis.com/a.C"));
        expect(shape({ type_url: "x/a.B", value: {} })).to.not.equal(shape({ type_url: "x/a.C", value: {} }));
    });

    it("checks every scalar of a value whose shape it has walked before, at that value's own paths", () => {
        const good = validateEnvoyBootstrap(bootstrap([cluster(1), cluster(2)]), "static", { crossCheck: false });
        expect(good).to.deep.equal([]);
        const bad = cluster(3, 70000);
        (bad as { connect_timeout: string }).connect_timeout = "soon";
        const issues = validateEnvoyBootstrap(bootstrap([cluster(4), bad]), "static", { crossCheck: false });
        expect(issues.map((i) => i.path)).to.deep.equal([
            "static.static_resources.clusters[1].connect_timeout",
            "static.static_resources.clusters[1].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value",
        ]);
    });
});
