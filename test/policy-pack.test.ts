/**
 * The pack as the Pulumi CLI runs it, without the CLI: policy/index.ts in its own process (a
 * PolicyPack serves gRPC and never exits, so it is never constructed in this process), spoken to
 * over the analyzer protocol the CLI uses. Proves the pack loads, its metadata and config
 * schemas are accepted, and Analyze/Remediate/AnalyzeStack return what the policy objects return.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import { gatewaySocketOptionsKeepalive, keepaliveBelowIdleTimeout, policies } from "../policy/policies";
import type { KubeObject } from "../policy/lib/objects";
import { gateway, HELM_CHART_URN, resourceArgs, stackObjects, urnOf, validate, type GatewayObject } from "./policy-harness";

// The modules the policy server itself uses (untyped generated protobuf code).
type Message = { [method: string]: (...args: unknown[]) => unknown };
type Ctor = new () => Message;
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as { credentials: { createInsecure(): unknown } };
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb") as {
    AnalyzerClient: new (
        address: string,
        credentials: unknown,
    ) => Record<string, (req: unknown, cb: (err: Error | null, res: Message) => void) => void> & { close(): void };
};
const analyzer = require("@pulumi/pulumi/proto/analyzer_pb") as Record<string, Ctor> & { EnforcementLevel: Record<string, number> };
const protobufDir = path.dirname(require.resolve("google-protobuf/package.json", { paths: [pulumiDir] }));
const { Struct } = require(path.join(protobufDir, "google/protobuf/struct_pb")) as { Struct: { fromJavaScript(value: unknown): unknown } };
const { Empty } = require(path.join(protobufDir, "google/protobuf/empty_pb")) as { Empty: Ctor };

const LEVEL_NAMES = Object.fromEntries(Object.entries(analyzer.EnforcementLevel).map(([k, v]) => [v, k.toLowerCase()]));

function options(parent?: string): Message {
    const o = new analyzer.AnalyzerResourceOptions();
    if (parent) o.setParent(parent);
    return o;
}

describe("policy pack over the analyzer protocol (policy/index.ts in its own process)", function () {
    this.timeout(60000);
    let pack: ChildProcess | undefined;
    let client: InstanceType<typeof analyzerRpc.AnalyzerClient>;
    const call = (method: string, request: unknown) =>
        new Promise<Message>((resolve, reject) => client[method](request, (err, res) => (err ? reject(err) : resolve(res))));

    before(async () => {
        const policyDir = path.join(__dirname, "..", "policy");
        pack = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], {
            cwd: policyDir,
            stdio: ["ignore", "pipe", "pipe"],
        });
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            let err = "";
            pack!.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) resolve(Number(m[1]));
            });
            pack!.stderr!.on("data", (d: Buffer) => void (err += d.toString()));
            pack!.on("exit", (code) => reject(new Error(`policy pack exited with ${code}: ${err}`)));
        });
        client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        if (pack?.pid !== undefined && pack.exitCode === null) process.kill(pack.pid);
    });

    const analyze = async (object: KubeObject, parent?: string) => {
        const req = new analyzer.AnalyzeRequest();
        req.setType(
            `kubernetes:${String(object.apiVersion).includes("/") ? object.apiVersion : `core/${object.apiVersion}`}:${object.kind}`,
        );
        req.setProperties(Struct.fromJavaScript(object));
        req.setUrn(urnOf(object, { parent }));
        req.setName(String((object.metadata as { name: string }).name));
        req.setOptions(options(parent));
        return ((await call("analyze", req)).getDiagnosticsList() as Message[]).map((d) => ({
            policy: d.getPolicyname() as string,
            message: d.getMessage() as string,
            level: LEVEL_NAMES[d.getEnforcementlevel() as number],
        }));
    };

    const configure = async (config: Record<string, { level: string; properties?: Record<string, unknown> }>) => {
        const req = new analyzer.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap() as { set(k: string, v: unknown): void };
        for (const [name, { level, properties }] of Object.entries(config)) {
            const c = new analyzer.PolicyConfig();
            c.setEnforcementlevel(analyzer.EnforcementLevel[level.toUpperCase()]);
            c.setProperties(Struct.fromJavaScript(properties ?? {}));
            map.set(name, c);
        }
        await call("configure", req);
    };

    it("serves the seven policies with their levels and config schemas", async () => {
        const info = await call("getAnalyzerInfo", new Empty());
        expect(info.getName()).to.equal("gloo-keepalive");
        expect(info.getVersion()).to.equal("0.1.0");
        const served = (info.getPoliciesList() as Message[]).map((p) => [p.getName(), LEVEL_NAMES[p.getEnforcementlevel() as number]]);
        expect(served).to.deep.equal(policies.map((p) => [p.name, p.enforcementLevel]));
        expect(served).to.have.length(7);
        const idle = (info.getPoliciesList() as Message[]).find((p) => p.getName() === "keepalive-below-idle-timeout")!;
        const schema = (
            (idle.getConfigschema() as Message).getProperties() as { toJavaScript(): Record<string, { default: unknown }> }
        ).toJavaScript();
        expect(schema.loadBalancerIdleTimeoutSeconds.default).to.equal(350);
    });

    it("analyzes a helm chart's Gateway child as the policy objects do", async () => {
        const broken = gateway((g: GatewayObject) => void (g.spec.options!.socketOptions![1].intValue = 400));
        const diagnostics = await analyze(broken, HELM_CHART_URN);
        expect(diagnostics.map((d) => d.policy)).to.deep.equal(["keepalive-below-idle-timeout"]);
        expect(diagnostics[0].level).to.equal("mandatory");
        // the server puts the policy's description on the line before each message
        expect(diagnostics.map((d) => d.message)).to.deep.equal(
            (await validate(keepaliveBelowIdleTimeout, resourceArgs(broken))).map((m) => `${keepaliveBelowIdleTimeout.description}\n${m}`),
        );
        expect(await analyze(stackObjects("dev").find((o) => o.kind === "ConfigMap")!)).to.deep.equal([]);
    });

    it("takes the policy config the CLI sends, then remediates a Gateway without keepalive", async () => {
        const late = gateway((g: GatewayObject) => void (g.spec.options!.socketOptions![1].intValue = 400));
        await configure({ "keepalive-below-idle-timeout": { level: "mandatory", properties: { loadBalancerIdleTimeoutSeconds: 600 } } });
        expect(await analyze(late)).to.deep.equal([]);

        const bare = gateway((g: GatewayObject) => void delete g.spec.options);
        await configure({
            "gateway-socket-options-keepalive": { level: "remediate", properties: { defaultKeepalive: { timeSeconds: 45 } } },
        });
        const req = new analyzer.AnalyzeRequest();
        req.setType("kubernetes:gateway.solo.io/v1:Gateway");
        req.setProperties(Struct.fromJavaScript(bare));
        req.setUrn(urnOf(bare));
        req.setName("gateway-proxy");
        req.setOptions(options());
        const remediations = (await call("remediate", req)).getRemediationsList() as Message[];
        expect(remediations.map((r) => r.getPolicyname())).to.deep.equal(["gateway-socket-options-keepalive"]);
        const fixed = (remediations[0].getProperties() as { toJavaScript(): GatewayObject }).toJavaScript();
        expect(fixed.spec.options!.socketOptions!.map((o) => [o.level, o.name, o.intValue])).to.deep.equal([
            [1, 9, 1],
            [6, 4, 45],
            [6, 5, 20],
            [6, 6, 3],
        ]);
        expect(await validate(gatewaySocketOptionsKeepalive, resourceArgs(fixed))).to.deep.equal([]);
        await configure({});
    });

    it("analyzes the stack per proxy, reporting against each object's URN", async () => {
        const objects = stackObjects("dev");
        const upstream = objects.find((o) => o.kind === "Upstream")!;
        delete (upstream.spec as Record<string, unknown>).connectionConfig;
        const req = new analyzer.AnalyzeStackRequest();
        req.setResourcesList(
            objects.map((object) => {
                const r = new analyzer.AnalyzerResource();
                r.setType(
                    `kubernetes:${String(object.apiVersion).includes("/") ? object.apiVersion : `core/${object.apiVersion}`}:${object.kind}`,
                );
                r.setProperties(Struct.fromJavaScript(object));
                r.setUrn(urnOf(object, { parent: HELM_CHART_URN }));
                r.setName(String((object.metadata as { name: string }).name));
                r.setOptions(options(HELM_CHART_URN));
                r.setParent(HELM_CHART_URN);
                return r;
            }),
        );
        const diagnostics = (await call("analyzeStack", req)).getDiagnosticsList() as Message[];
        expect(diagnostics.map((d) => [d.getPolicyname(), d.getUrn()])).to.deep.equal([
            ["proxy-hops-keepalive", urnOf(upstream, { parent: HELM_CHART_URN })],
        ]);
        expect(diagnostics[0].getMessage()).to.include('gateway proxy "gateway-proxy": upstream "petstore" has no keepalive');
    });
});
