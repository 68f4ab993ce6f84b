/**
 * A whole Gloo values file through the Pulumi path: the stack program and `GatewayProxies` carry
 * what every proxy reads from outside its entry (`global`, `settings`, `gateway`, `gloo.deployment`)
 * to the typed resources and to the chart alike; a proxy in a namespace of its own keeps the
 * control plane's; what renders nothing is named once, as a warning.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import { tmpdir } from "os";
import * as path from "path";
import { GatewayProxy } from "../components/pulumi/gateway-proxy";
import type { KubernetesObject } from "../components/render/manifests";
import { renderValues } from "../components/render/render";
import { helmBinaries, runHelm } from "../scripts/helm";
import {
    byKey,
    deployedObjects,
    loadProgram,
    registeredObjects,
    REPO_ROOT,
    runProgram,
    withWarnings,
    type ProgramRun,
} from "./pulumi-harness";

const program = loadProgram(path.join(REPO_ROOT, "index.ts"));

/** A Gloo user's values: two proxies (one in a namespace of its own), the control plane's values they read, and one they do not. */
const VALUES = {
    gatewayProxies: {
        gatewayProxy: { tcpKeepaliveTimeSeconds: 45 },
        edgeGw: { namespace: "edge", tcpKeepaliveProbes: 4 },
    },
    global: { image: { registry: "registry.example.com/solo-io" }, glooStats: { enabled: true } },
    settings: { writeNamespace: "gloo-control" },
    gloo: { deployment: { xdsPort: 19977 } },
    gateway: { proxyServiceAccount: { extraAnnotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/proxy" } } },
    discovery: { enabled: false },
};

const stack = (extra: Record<string, string> = {}) => ({ "gloo-keepalive:values": JSON.stringify(VALUES), ...extra });
const expected = () => renderValues([VALUES], {});
const charts = (run: ProgramRun) => run.registrations.filter((r) => r.type === "kubernetes:helm.sh/v4:Chart");

describe("a whole Gloo values file through the stack program", () => {
    it("typed resources: exactly the library's objects, the control plane's values applied", async () => {
        const run = await runProgram(program, { config: stack() });
        expect(run.errors).to.deep.equal([]);
        const objects = registeredObjects(run);
        expect(byKey(objects)).to.deep.equal(byKey(deployedObjects(expected())));
        const workloads = objects.filter((o) => o.kind === "Deployment");
        const images = workloads.map((o) => JSON.stringify(o.spec)).filter((s) => s.includes("registry.example.com/solo-io/"));
        expect(images).to.have.length(2);
    });

    it("names what renders nothing once, as a warning", async () => {
        const { run, warnings } = await withWarnings(program, stack());
        expect(run.errors).to.deep.equal([]);
        const notices = warnings.filter((w) => w.includes("accepted, not rendered here"));
        expect(notices).to.have.length(1);
        expect(notices[0]).to.include("discovery");
        expect(notices[0]).to.equal("warning: [runtime] accepted, not rendered here: discovery");
    });

    for (const helm of helmBinaries()) {
        it(`deployWith helm (Helm ${helm.version}): every chart renders its proxy as the whole values render it`, async function () {
            this.timeout(120_000);
            const run = await runProgram(program, { config: stack({ "gloo-keepalive:deployWith": "helm" }) });
            expect(run.errors).to.deep.equal([]);
            const scratch = mkdtempSync(path.join(tmpdir(), "gk-pulumi-gloo-"));
            try {
                const rendered = charts(run).flatMap((chart, i) => {
                    const inputs = chart.inputs as { chart: string; name: string; namespace: string; values: unknown };
                    const file = path.join(scratch, `${i}.json`);
                    writeFileSync(file, JSON.stringify(inputs.values));
                    const r = runHelm(helm, ["template", inputs.name, inputs.chart, "--namespace", inputs.namespace, "-f", file]);
                    expect(r.status, r.stderr).to.equal(0);
                    return yaml.loadAll(r.stdout).filter((d) => d !== null && d !== undefined) as KubernetesObject[];
                });
                expect(charts(run)).to.have.length(2);
                expect(byKey([...rendered, ...registeredObjects(run)])).to.deep.equal(byKey(expected().objects));
            } finally {
                rmSync(scratch, { recursive: true, force: true });
            }
        });
    }
});

describe("GatewayProxy in a namespace of its own", () => {
    it("namespace places its objects, glooNamespace is the control plane's (xDS address, node role), as Gloo's per-proxy namespace", async () => {
        const run = await runProgram(
            () => void new GatewayProxy("edge", { name: "edgeGw", namespace: "edge", glooNamespace: "gloo-system" }),
        );
        expect(run.errors).to.deep.equal([]);
        const library = renderValues(
            [{ gatewayProxies: { gatewayProxy: { disabled: true }, edgeGw: { disabled: false, namespace: "edge" } } }],
            {
                namespace: "gloo-system",
            },
        );
        const objects = registeredObjects(run);
        expect(byKey(objects)).to.deep.equal(byKey(deployedObjects(library)));
        // Gloo renders the gateway-proxy ServiceAccount in the release namespace too, proxies there or not.
        const placed = objects.filter((o) => o.kind !== "ServiceAccount").map((o) => o.metadata.namespace);
        expect(new Set(placed)).to.deep.equal(new Set(["edge"]));
        const bootstrap = library.proxies[0].bootstrap as { node: { metadata: { role: string } } };
        expect(JSON.stringify(library.proxies[0].bootstrap)).to.include("gloo.gloo-system.svc.cluster.local");
        expect(bootstrap.node.metadata.role).to.equal("gloo-system~edge-gw");
    });

    it("without glooNamespace, namespace is the release namespace as before (control plane alongside)", async () => {
        const run = await runProgram(() => void new GatewayProxy("edge", { name: "edgeGw", namespace: "edge" }));
        expect(run.errors).to.deep.equal([]);
        const library = renderValues([{ gatewayProxies: { gatewayProxy: { disabled: true }, edgeGw: { disabled: false } } }], {
            namespace: "edge",
        });
        expect(byKey(registeredObjects(run))).to.deep.equal(byKey(deployedObjects(library)));
    });

    it("warns once, on the component, about a value it accepts but does not render", async () => {
        const { run, warnings } = await withWarnings(
            () => void new GatewayProxy("edge", { name: "edgeGw", extraContainersHelper: "mine.containers" }),
        );
        expect(run.errors).to.deep.equal([]);
        expect(warnings.filter((w) => w.includes("not rendered"))).to.deep.equal([
            "warning: [runtime] accepted, not rendered here: gatewayProxies.edgeGw.extraContainersHelper",
        ]);
    });
});
