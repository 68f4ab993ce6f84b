/**
 * The stack program (index.ts) under Pulumi's mock engine, per environment (Pulumi.dev.yaml,
 * Pulumi.prod.yaml): what it registers is exactly what the library renders for that stack.
 */
import { expect } from "chai";
import * as path from "path";
import { renderValues, type RenderResult } from "../components/render/render";
import { readStackConfig } from "../components/values/read";
import {
    byKey,
    deployedObjects,
    diffPaths,
    loadProgram,
    registeredObjects,
    REPO_ROOT,
    runProgram,
    stackConfig,
    type ProgramRun,
    type Registration,
} from "./pulumi-harness";

const program = loadProgram(path.join(REPO_ROOT, "index.ts"));

/** The library's render of a stack's config (with `edit` applied to its values). */
function libraryRender(env: string, edit?: (values: Record<string, any>) => void): RenderResult {
    const config = readStackConfig(env, REPO_ROOT);
    const values = structuredClone(config.values) as Record<string, any>;
    edit?.(values);
    return renderValues([values], { namespace: config.namespace, releaseName: config.releaseName });
}

/** Run index.ts with a stack's config (values edited by `edit`, extra keys merged in). */
function runStack(env: string, edit?: (values: Record<string, any>) => void, extra: Record<string, string> = {}): Promise<ProgramRun> {
    const config = stackConfig(env);
    const values = JSON.parse(config["gloo-keepalive:values"]);
    edit?.(values);
    return runProgram(program, { stack: env, config: { ...config, "gloo-keepalive:values": JSON.stringify(values), ...extra } });
}

const ofType = (run: ProgramRun, type: string) => run.registrations.filter((r) => r.type === type);
const byUrn = (run: ProgramRun) => Object.fromEntries(run.registrations.map((r) => [r.urn, r] as const));

for (const env of ["dev", "prod"]) {
    describe(`pulumi program, stack ${env}`, () => {
        let run: ProgramRun;
        let expected: RenderResult;
        before(async () => {
            expected = libraryRender(env);
            run = await runStack(env);
        });

        it("runs without errors", () => {
            expect(run.errors.map((e) => e.message)).to.deep.equal([]);
        });

        it("registers exactly the objects renderValues gives for the stack: same kinds, names and every field", () => {
            const registered = byKey(registeredObjects(run));
            const library = byKey(deployedObjects(expected));
            expect(Object.keys(registered)).to.deep.equal(Object.keys(library));
            expect(registered).to.deep.equal(library);
        });

        it("uses typed resources (not a YAML blob) and one GatewayProxy per proxy under GatewayProxies", () => {
            const types = new Set(run.registrations.filter((r) => r.custom).map((r) => r.type));
            for (const t of types) {
                expect(t).to.be.oneOf([
                    "kubernetes:core/v1:ServiceAccount",
                    "kubernetes:core/v1:ConfigMap",
                    "kubernetes:core/v1:Service",
                    "kubernetes:apps/v1:Deployment",
                    "kubernetes:apps/v1:DaemonSet",
                    "kubernetes:gateway.solo.io/v1:Gateway",
                    "kubernetes:gloo.solo.io/v1:Upstream",
                ]);
            }
            const [proxies] = ofType(run, "gloo-keepalive:index:GatewayProxies");
            const children = ofType(run, "gloo-keepalive:index:GatewayProxy");
            expect(children.map((c) => c.parent)).to.deep.equal(expected.proxies.map(() => proxies.urn));
            expect(children.map((c) => c.name)).to.deep.equal(expected.proxies.map((p) => `gloo-system/${p.name}`));
            const urns = byUrn(run);
            for (const r of run.registrations.filter((x) => x.custom && x.type !== "kubernetes:gloo.solo.io/v1:Upstream")) {
                expect(urns[r.parent]?.type, r.urn).to.equal("gloo-keepalive:index:GatewayProxy");
            }
            for (const r of ofType(run, "kubernetes:gloo.solo.io/v1:Upstream")) {
                expect(urns[r.parent]?.type, r.urn).to.equal("gloo-keepalive:index:KeepaliveUpstream");
            }
        });

        it("exports each proxy's bootstrap checksum and detection times, and each upstream's, as the library computes them", () => {
            const outputs = run.outputs as Record<string, any>;
            expect(outputs.bootstrapChecksums).to.deep.equal(Object.fromEntries(expected.proxies.map((p) => [p.key, p.checksum])));
            for (const proxy of expected.proxies) {
                const hops = proxy.hops.filter((h) => h.kind !== "upstream");
                expect(outputs.detectionSeconds[proxy.key]).to.deep.equal(
                    Object.fromEntries(hops.map((h) => [`${h.kind}/${h.name}`, h.detectionSeconds ?? null])),
                );
                const all = hops.map((h) => h.detectionSeconds);
                expect(outputs.maxDetectionSeconds[proxy.key]).to.equal(all.includes(undefined) ? null : Math.max(...(all as number[])));
                expect(outputs.serviceNames[proxy.key]).to.equal(proxy.name);
            }
            const upstreamHops = expected.proxies[0].hops.filter((h) => h.kind === "upstream");
            expect(Object.values(outputs.upstreamDetectionSeconds)).to.deep.equal(upstreamHops.map((h) => h.detectionSeconds));
        });

        it("reads its config only from the gloo-keepalive namespace and needs no provider config by default", () => {
            expect(run.configRead.every((k) => k.startsWith("gloo-keepalive:") || k.startsWith("kubernetes:"))).to.equal(true);
            expect(run.configRead).to.include("gloo-keepalive:values");
            expect(ofType(run, "pulumi:providers:kubernetes")).to.have.length(0);
        });
    });
}

describe("pulumi program: a keepalive change", () => {
    const changeStatic = (v: Record<string, any>) =>
        Object.assign(v.gatewayProxies.gatewayProxy, {
            tcpKeepaliveTimeSeconds: 45,
            tcpKeepaliveIntervalSeconds: 10,
            tcpKeepaliveProbes: 4,
        });
    const urns = (run: ProgramRun) => run.registrations.map((r) => r.urn).sort();
    const inputsByUrn = (run: ProgramRun) => Object.fromEntries(run.registrations.map((r: Registration) => [r.urn, r.inputs] as const));

    it("dev: keeps every resource name and URN; only the ConfigMap data and the checksum annotation change", async () => {
        const before = await runStack("dev");
        const after = await runStack("dev", changeStatic);
        expect(after.errors).to.deep.equal([]);
        expect(urns(after)).to.deep.equal(urns(before));
        const a = inputsByUrn(before);
        const b = inputsByUrn(after);
        const changed = Object.keys(a).flatMap((urn) => diffPaths(a[urn], b[urn]).map((p) => `${urn.split("::").pop()} ${p}`));
        expect(changed).to.deep.equal([
            "gloo-system/gateway-proxy-envoy-config .data.envoy.yaml",
            "gloo-system/gateway-proxy-envoy-config .metadata.name",
            "gloo-system/gateway-proxy .spec.template.metadata.annotations.checksum/gateway-proxy-envoy-config",
            "gloo-system/gateway-proxy .spec.template.spec.volumes[0].configMap.name",
        ]);
        // The ConfigMap is renamed after its content (replaced create-before-delete), and the pods follow it.
        const configMap = (run: ProgramRun) => run.registrations.find((r) => r.type === "kubernetes:core/v1:ConfigMap") as Registration;
        const checksum = (run: ProgramRun) => (run.outputs as any).bootstrapChecksums.gatewayProxy as string;
        for (const run of [before, after]) {
            expect((configMap(run).inputs as any).metadata.name).to.equal(`gateway-proxy-envoy-config-${checksum(run).slice(0, 10)}`);
        }
        const volumes = (after.registrations.find((r) => r.type === "kubernetes:apps/v1:Deployment")?.inputs as any).spec.template.spec
            .volumes;
        expect(volumes[0].configMap.name).to.equal((configMap(after).inputs as any).metadata.name);
        // The Deployment's identity: kind, name, namespace and its (immutable) selector.
        const deployment = after.registrations.find((r) => r.type === "kubernetes:apps/v1:Deployment") as Registration;
        expect(deployment.name).to.equal("gloo-system/gateway-proxy");
        expect((deployment.inputs as any).spec.selector).to.deep.equal({
            matchLabels: { gloo: "gateway-proxy", "gateway-proxy-id": "gateway-proxy" },
        });
        expect((after.outputs as any).bootstrapChecksums.gatewayProxy).to.not.equal(
            (before.outputs as any).bootstrapChecksums.gatewayProxy,
        );
    });

    it("prod (tcpKeepaliveSysctls on): the pod's keepalive sysctls change too, and nothing else", async () => {
        const before = await runStack("prod");
        const after = await runStack("prod", changeStatic);
        expect(urns(after)).to.deep.equal(urns(before));
        const a = inputsByUrn(before);
        const b = inputsByUrn(after);
        const changed = Object.keys(a).flatMap((urn) => diffPaths(a[urn], b[urn]).map((p) => `${urn.split("::").pop()} ${p}`));
        expect(changed).to.deep.equal([
            "gloo-system/gateway-proxy-envoy-config .data.envoy.yaml",
            "gloo-system/gateway-proxy-envoy-config .metadata.name",
            "gloo-system/gateway-proxy .spec.template.metadata.annotations.checksum/gateway-proxy-envoy-config",
            "gloo-system/gateway-proxy .spec.template.spec.securityContext.sysctls[0].value",
            "gloo-system/gateway-proxy .spec.template.spec.securityContext.sysctls[1].value",
            "gloo-system/gateway-proxy .spec.template.spec.securityContext.sysctls[2].value",
            "gloo-system/gateway-proxy .spec.template.spec.volumes[0].configMap.name",
        ]);
    });
});

describe("pulumi program: invalid config", () => {
    const cases: [string, (v: Record<string, any>) => void, Record<string, string>, string][] = [
        [
            "a probe count over the kernel maximum",
            (v) => void (v.gatewayProxies.gatewayProxy.tcpKeepaliveProbes = 300),
            {},
            "gloo-keepalive:values.gatewayProxies.gatewayProxy.tcpKeepaliveProbes: 300 exceeds the kernel maximum 127",
        ],
        [
            "a sub-second upstream keepalive",
            (v) => void (v.upstreams[0].tcpKeepalive.intervalSeconds = "500ms"),
            {},
            'gloo-keepalive:values.upstreams[0].tcpKeepalive.intervalSeconds: "500ms" is not a whole number',
        ],
        [
            "an unknown key",
            (v) => void (v.gatewayProxies.gatewayProxy.tcpKeepaliveProbe = 3),
            {},
            'gloo-keepalive:values.gatewayProxies.gatewayProxy.tcpKeepaliveProbe: unknown key (did you mean "tcpKeepaliveProbes"?)',
        ],
        [
            "a bad namespace",
            () => undefined,
            { "gloo-keepalive:namespace": "Gloo_System" },
            'gloo-keepalive:namespace: "Gloo_System" is not a Kubernetes name',
        ],
        [
            "a bad deployWith",
            () => undefined,
            { "gloo-keepalive:deployWith": "kubectl" },
            'gloo-keepalive:deployWith: "kubectl" is not one of resources, helm',
        ],
    ];
    for (const [what, edit, extra, message] of cases) {
        it(`${what}: fails before any resource is registered, naming the path`, async () => {
            const run = await runStack("dev", edit, extra);
            expect(run.registrations.map((r) => r.type)).to.deep.equal([]);
            expect(run.errors).to.have.length(1);
            expect(run.errors[0].message).to.include("invalid config of stack dev (Pulumi.dev.yaml), nothing was deployed:");
            expect(run.errors[0].message).to.include(message);
        });
    }

    it("values that are not an object: fails before any resource is registered", async () => {
        const run = await runProgram(program, { stack: "dev", config: { "gloo-keepalive:values": "[1, 2]" } });
        expect(run.registrations).to.deep.equal([]);
        expect(run.errors.map((e) => e.message).join("\n")).to.include("gloo-keepalive:values: must be an object");
    });
});

describe("pulumi program: kubernetes provider choice", () => {
    it("gloo-keepalive:context selects an explicit provider that every Kubernetes resource uses", async () => {
        const run = await runStack("dev", undefined, { "gloo-keepalive:context": "kind-dev" });
        expect(run.errors).to.deep.equal([]);
        const [provider] = run.registrations.filter((r) => r.type === "pulumi:providers:kubernetes");
        expect(provider.name).to.equal("kubernetes");
        expect(provider.inputs).to.include({ context: "kind-dev", enableConfigMapMutable: "true" });
        const k8sResources = run.registrations.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
        expect(k8sResources).to.have.length(libraryRender("dev").objects.length);
        for (const r of k8sResources) expect(r.provider, r.urn).to.equal(`${provider.urn}::kubernetes-id`);
    });

    it("gloo-keepalive:kubeconfig goes to the provider as a secret; empty kubeconfig and context mean the default provider", async () => {
        const kubeconfig = "apiVersion: v1\nkind: Config\n";
        const run = await runStack("dev", undefined, { "gloo-keepalive:kubeconfig": kubeconfig });
        const [provider] = run.registrations.filter((r) => r.type === "pulumi:providers:kubernetes");
        expect(provider.inputs.kubeconfig).to.equal(kubeconfig);
        expect(provider.secretPaths).to.include(".kubeconfig");
        const unset = await runStack("dev", undefined, { "gloo-keepalive:kubeconfig": "", "gloo-keepalive:context": "" });
        expect(unset.errors).to.deep.equal([]);
        expect(unset.registrations.filter((r) => r.type === "pulumi:providers:kubernetes")).to.deep.equal([]);
        expect(unset.registrations.filter((r) => r.custom).every((r) => r.provider === "")).to.equal(true);
    });
});
