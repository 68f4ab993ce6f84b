/**
 * The built package as another stack uses it: `tsc -p tsconfig.build.json` (when dist/ is not
 * fresh: older than a source, or built by something else than this test), then test/consumer/index.js, which imports "gloo-keepalive" by name, runs under Pulumi's
 * mock engine in a separate Node process without ts-node, and is type-checked against dist's .d.ts.
 */
import { expect } from "chai";
import { spawn } from "child_process";
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from "fs";
import * as path from "path";
import { gatewayProxyChartValues } from "../components/pulumi/gateway-proxy";
import { keepaliveUpstream } from "../components/render/manifests";
import { renderValues } from "../components/render/render";
import { byKey, deployedObjects, REPO_ROOT } from "./pulumi-harness";
import type { KubernetesObject } from "../components/render/manifests";

const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
const DIST = path.join(REPO_ROOT, "dist", "components");
const STAMP = path.join(REPO_ROOT, "dist", ".build-stamp");

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: "" } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d));
        child.stderr.on("data", (d: Buffer) => (stderr += d));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

/** Newest modification time of the inputs of the build. */
function newestSource(): number {
    const files = [
        ...readdirSync(path.join(REPO_ROOT, "components"), { recursive: true, encoding: "utf8" })
            .filter((f) => f.endsWith(".ts"))
            .map((f) => path.join(REPO_ROOT, "components", f)),
        ...["tsconfig.json", "tsconfig.build.json", "package.json"].map((f) => path.join(REPO_ROOT, f)),
    ];
    return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

/** Build dist/ with tsconfig.build.json unless it is complete and newer than every source; the stamp records the build's start. */
async function ensureBuilt(): Promise<boolean> {
    const complete = existsSync(path.join(DIST, "index.js")) && existsSync(path.join(DIST, "index.d.ts"));
    if (complete && existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestSource()) return false;
    const started = new Date();
    const build = await run([TSC, "-p", "tsconfig.build.json"]);
    expect(build.status, `tsc -p tsconfig.build.json failed:\n${build.stdout}${build.stderr}`).to.equal(0);
    writeFileSync(STAMP, "");
    utimesSync(STAMP, started, started);
    return true;
}

interface ConsumerReport {
    resolved: string;
    onImport: { registrations: number; configRead: string[] };
    registrations: { type: string; name: string; custom: boolean; inputs: KubernetesObject }[];
    outputs: Record<string, unknown>;
    errors: string[];
    loaded: string[];
    tsNode: boolean;
}

/**
 * Build, then run the consumer and type-check it side by side: all in child processes, started when
 * mocha loads this file, so they overlap the in-process tests that run before this suite.
 */
const prepared = ensureBuilt().then(() =>
    Promise.all([
        run([path.join(REPO_ROOT, "test", "consumer", "run-with-mocks.js")]),
        run([TSC, "-p", path.join("test", "consumer", "tsconfig.json")]),
    ]),
);
prepared.catch(() => undefined); // reported by the before hook below, not as an unhandled rejection

describe("the built package, imported by another stack (test/consumer)", function () {
    this.timeout(120_000);
    let report: ConsumerReport;
    let typecheck: { status: number | null; stdout: string; stderr: string };

    before(async () => {
        const [program, check] = await prepared;
        expect(program.status, program.stderr).to.equal(0);
        report = JSON.parse(program.stdout) as ConsumerReport;
        typecheck = check;
    });

    it('resolves "gloo-keepalive" to dist/components/index.js and runs without ts-node or any components/*.ts', () => {
        expect(report.resolved).to.equal(path.join(DIST, "index.js"));
        expect(report.tsNode).to.equal(false);
        expect(
            report.loaded.filter((f) => !f.startsWith(path.join("dist", "components")) && !f.startsWith(path.join("test", "consumer"))),
        ).to.deep.equal([]);
        expect(report.loaded).to.include(path.join("dist", "components", "pulumi", "gateway-proxy.js"));
    });

    it("importing the package registers no resource and reads no config", () => {
        expect(report.onImport).to.deep.equal({ registrations: 0, configRead: [] });
    });

    it("deploys one GatewayProxy and one KeepaliveUpstream: exactly the library's objects", () => {
        expect(report.errors).to.deep.equal([]);
        expect(report.registrations.filter((r) => !r.custom).map((r) => `${r.type} ${r.name}`)).to.deep.equal([
            "gloo-keepalive:index:KeepaliveUpstream orders",
            "gloo-keepalive:index:GatewayProxy edge",
        ]);
        const entry = {
            tcpKeepaliveTimeSeconds: 120,
            tcpKeepaliveIntervalSeconds: 20,
            tcpKeepaliveProbes: 3,
            loadBalancerIdleTimeoutSeconds: 350,
            gatewaySettings: { tcpKeepalive: { timeSeconds: 300, intervalSeconds: 15, probes: 3 } },
        };
        const proxy = renderValues([gatewayProxyChartValues("edgeGw", entry)], { namespace: "edge" });
        const upstream = keepaliveUpstream(
            {
                name: "orders",
                namespace: "shop",
                host: "orders.shop.svc.cluster.local",
                port: 8080,
                tcpKeepalive: { timeSeconds: 120, intervalSeconds: 20, probes: 3 },
            },
            "shop",
            "gateway-proxy",
        );
        const registered = report.registrations.filter((r) => r.custom).map((r) => r.inputs);
        expect(byKey(registered)).to.deep.equal(byKey([...deployedObjects(proxy), upstream]));
        expect(report.outputs).to.deep.equal({
            upstream: { name: "orders", namespace: "shop" },
            upstreamDetectionSeconds: 180,
            serviceName: "edge-gw",
            bootstrapChecksum: proxy.proxies[0].checksum,
            maxDetectionSeconds: 345,
        });
    });

    it("type-checks against the package's .d.ts files", () => {
        expect(typecheck.status, typecheck.stdout + typecheck.stderr).to.equal(0);
    });
});
