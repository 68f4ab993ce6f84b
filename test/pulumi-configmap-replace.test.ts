/**
 * A keepalive change on any provider: the typed resources name the bootstrap ConfigMap after its
 * content, so pulumi-kubernetes replaces it create-before-delete and the pods move to the new one;
 * the chart path keeps Gloo's fixed name and warns when the default provider would replace it
 * delete-first (no `kubernetes:enableConfigMapMutable`).
 */
import { expect } from "chai";
import { GatewayProxy } from "../components/pulumi/gateway-proxy";
import { configMapName } from "../components/render/manifests";
import { runProgram, withWarnings, type ProgramRun } from "./pulumi-harness";

const configMapOf = (run: ProgramRun) => run.registrations.find((r) => r.type === "kubernetes:core/v1:ConfigMap");

describe("the bootstrap ConfigMap on a keepalive change", () => {
    it("typed resources: the name follows the content, the resource name (URN) does not, the workload mounts the new name", async () => {
        const names = [];
        for (const time of [60, 45]) {
            const run = await runProgram(() => void new GatewayProxy("edge", { name: "gatewayProxy", tcpKeepaliveTimeSeconds: time }));
            expect(run.errors).to.deep.equal([]);
            const configMap = configMapOf(run)!;
            expect(configMap.name).to.equal(`gloo-system/${configMapName("gateway-proxy")}`);
            const name = (configMap.inputs as { metadata: { name: string } }).metadata.name;
            expect(name).to.match(new RegExp(`^${configMapName("gateway-proxy")}-[0-9a-f]{10}$`));
            const deployment = run.registrations.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
            const volumes = (deployment.inputs as any).spec.template.spec.volumes as { configMap?: { name: string } }[];
            expect(volumes.map((v) => v.configMap?.name)).to.include(name);
            expect(deployment.dependencies).to.include(configMap.urn);
            names.push(name);
        }
        expect(names[0]).to.not.equal(names[1]);
    });

    it("deployWith helm without enableConfigMapMutable on the default provider: a warning saying what to set", async () => {
        const { run, warnings } = await withWarnings(() => void new GatewayProxy("edge", { name: "gatewayProxy", deployWith: "helm" }));
        expect(run.errors).to.deep.equal([]);
        expect(warnings.filter((w) => w.includes("enableConfigMapMutable"))).to.have.length(1);
        expect(warnings[0]).to.contain("would delete the live ConfigMap before its replacement exists");
    });

    it("deployWith helm with kubernetes:enableConfigMapMutable set, or typed resources: no warning", async () => {
        const flagged = await withWarnings(() => void new GatewayProxy("edge", { name: "gatewayProxy", deployWith: "helm" }), {
            "kubernetes:enableConfigMapMutable": "true",
        });
        const resources = await withWarnings(() => void new GatewayProxy("edge", { name: "gatewayProxy" }));
        expect([...flagged.warnings, ...resources.warnings].filter((w) => w.includes("enableConfigMapMutable"))).to.deep.equal([]);
    });
});
