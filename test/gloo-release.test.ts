/**
 * GlooRelease under Pulumi's mock engine: it registers solo-io's chart with exactly the lowered
 * values (helm.v4.Chart registers no children under mocks, so its inputs are what is checked),
 * from a repository at a version or from a local path, the Upstreams next to it, and refuses bad
 * values before registering anything.
 */
import { expect } from "chai";
import { GLOO_CHART_REPOSITORY, GLOO_CHART_VERSION, lowerForGlooChart } from "../components/gloo-chart/lower";
import { ComponentArgsError } from "../components/pulumi/component-args";
import { GlooRelease } from "../components/pulumi/gloo-release";
import { readStackConfig } from "../components/values/read";
import type { GlooKeepaliveValues } from "../components/values/types";
import { REPO_ROOT, runProgram, type ProgramRun } from "./pulumi-harness";
import { referencePath } from "../scripts/reference";

const CHART = "kubernetes:helm.sh/v4:Chart";
const LOCAL_CHART = referencePath("gloo-chart");
const GLOO_VALUES = {
    gatewayProxies: { gatewayProxy: { gatewaySettings: { options: { perConnectionBufferLimitBytes: 32768 } } } },
    settings: { writeNamespace: "gloo-system" },
};

const charts = (run: ProgramRun) => run.registrations.filter((r) => r.type === CHART);

describe("GlooRelease", () => {
    for (const stack of ["dev", "prod"]) {
        it(`registers solo-io's chart ${GLOO_CHART_VERSION} from its repository with exactly the lowered values of stack ${stack}`, async () => {
            const { values, namespace } = readStackConfig(stack, REPO_ROOT);
            let release!: GlooRelease;
            const run = await runProgram(() => {
                release = new GlooRelease("gloo", { values: values as GlooKeepaliveValues, glooValues: GLOO_VALUES, namespace });
            });
            expect(run.errors).to.deep.equal([]);
            const expected = lowerForGlooChart([values], GLOO_VALUES, { releaseName: "gloo", namespace }).values;
            expect(charts(run)).to.have.length(1);
            const inputs = charts(run)[0].inputs as Record<string, unknown>;
            expect(inputs.values).to.deep.equal(expected);
            expect(inputs).to.include({ chart: "gloo", name: "gloo", namespace, version: GLOO_CHART_VERSION });
            expect(inputs.repositoryOpts).to.deep.equal({ repo: GLOO_CHART_REPOSITORY });
            expect(charts(run)[0].parent).to.include("gloo-keepalive:index:GlooRelease::gloo");
            expect(release.chartValues).to.deep.equal(expected);
            const upstreams = run.registrations.filter((r) => r.type === "kubernetes:gloo.solo.io/v1:Upstream");
            expect(upstreams.map((u) => (u.inputs.metadata as { name: string }).name)).to.deep.equal(
                (values as GlooKeepaliveValues).upstreams!.map((u) => u.name),
            );
        });
    }

    it("takes a local chart path (no repository, no version) and the Enterprise shape under gloo.", async () => {
        const values: GlooKeepaliveValues = {
            gloo: { gatewayProxies: { gatewayProxy: { tcpKeepaliveTimeSeconds: 45, tcpKeepaliveProbes: 4 } } },
        };
        const run = await runProgram(() => void new GlooRelease("ee", { values, chart: LOCAL_CHART, releaseName: "gloo-ee" }));
        expect(run.errors).to.deep.equal([]);
        const inputs = charts(run)[0].inputs as Record<string, unknown>;
        expect(inputs).to.include({ chart: LOCAL_CHART, name: "gloo-ee" });
        expect(inputs).to.not.have.property("version");
        expect(inputs).to.not.have.property("repositoryOpts");
        expect(inputs.values).to.deep.equal(lowerForGlooChart([values], {}, { releaseName: "gloo-ee" }).values);
        expect((inputs.values as { gloo: { gatewayProxies: unknown } }).gloo.gatewayProxies).to.have.property("gatewayProxy");
    });

    it("refuses a bad keepalive with its path before registering anything", async () => {
        let error: Error | undefined;
        const run = await runProgram(() => {
            try {
                new GlooRelease("gloo", { values: { gatewayProxies: { gatewayProxy: { tcpKeepaliveProbes: 300 } } } });
            } catch (e) {
                error = e as Error;
            }
        });
        expect(error).to.be.instanceOf(ComponentArgsError);
        expect(error?.message).to.include("gatewayProxies.gatewayProxy.tcpKeepaliveProbes: 300 exceeds the kernel maximum 127");
        expect(run.registrations).to.deep.equal([]);
    });
});
