/**
 * The npm package as users install it: `npm pack`, the tarball installed into an empty project
 * next to a newer 3.x `@pulumi/pulumi` (from the npm cache when it is there), then
 *  - the `gloo-keepalive` command, against the same commands run in this checkout;
 *  - the components imported by a strict TypeScript program;
 *  - one copy of the Pulumi SDK, the project's, for the package, @pulumi/kubernetes and @pulumi/policy;
 *  - the packaged policy pack started as the Pulumi CLI starts a Node.js pack (the SDK's
 *    run-policy-pack, in node_modules/gloo-keepalive/policy), asked over the analyzer protocol for its policies.
 * Packed and installed once per test run.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { policies } from "../policy/policies";
import { ensureBuilt, REPO_ROOT, run, runNode, TSC, type ProcessRun } from "./build-harness";
import { runCli } from "./cli-harness";

/** A newer 3.x SDK than the one this repository develops against. */
const NEWER_SDK = "3.276.0";
const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
const VALUES = path.join(REPO_ROOT, "test", "fixtures", "seed", "static-cluster.yaml");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

interface Installed {
    dir: string;
    project: string;
    pack: ProcessRun;
    install: ProcessRun;
}

/** `npm pack` of the package and of policy/ (built first), then both tarballs and @pulumi/pulumi@NEWER_SDK installed into an empty project. */
async function packAndInstall(): Promise<Installed> {
    await ensureBuilt();
    const dir = mkdtempSync(path.join(tmpdir(), "gloo-keepalive-package-"));
    // dist/ is built above (once for every test of the run): pack it as it is.
    const pack = await run(NPM, ["pack", "--ignore-scripts", "--pack-destination", dir, "--json"]);
    if (pack.status !== 0) return { dir, project: "", pack, install: pack };
    // The pack as its own package too (policy/dist/ built above).
    const policyPack = await run(NPM, ["pack", "--ignore-scripts", "--pack-destination", dir, "--json"], {
        cwd: path.join(REPO_ROOT, "policy"),
    });
    if (policyPack.status !== 0) return { dir, project: "", pack: policyPack, install: policyPack };
    const tarballs = [pack, policyPack].map((p) => path.join(dir, (JSON.parse(p.stdout) as { filename: string }[])[0].filename));
    const project = path.join(dir, "project");
    mkdirSync(project);
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "another-stack", private: true }));
    // --ignore-scripts: @pulumi/kubernetes's install script would download its provider plugin.
    const install = await run(
        NPM,
        ["install", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", ...tarballs, `@pulumi/pulumi@${NEWER_SDK}`],
        { cwd: project },
    );
    return { dir, project, pack, install };
}

const installed = packAndInstall();
installed.catch(() => undefined); // reported by the before hook below

/** The analyzer protocol's client, from the installed SDK (the proto files it ships) and its gRPC. */
function analyzerClient(project: string, port: number) {
    const sdk = path.join(project, "node_modules", "@pulumi", "pulumi");
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdk] })) as { credentials: { createInsecure(): unknown } };
    const rpc = require(path.join(sdk, "proto", "analyzer_grpc_pb")) as {
        AnalyzerClient: new (
            address: string,
            credentials: unknown,
        ) => {
            getAnalyzerInfo(req: unknown, cb: (err: Error | null, res: AnalyzerInfo) => void): void;
            close(): void;
        };
    };
    const protobuf = path.dirname(require.resolve("google-protobuf/package.json", { paths: [sdk] }));
    const { Empty } = require(path.join(protobuf, "google", "protobuf", "empty_pb")) as { Empty: new () => unknown };
    const client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const info = () =>
        new Promise<AnalyzerInfo>((resolve, reject) =>
            client.getAnalyzerInfo(new Empty(), (err, res) => (err ? reject(err) : resolve(res))),
        );
    return { info, close: () => client.close() };
}

interface AnalyzerInfo {
    getName(): string;
    getPoliciesList(): { getName(): string; getConfigschema(): unknown }[];
}

/** Start the packaged pack as `pulumi preview --policy-pack <dir>` does; resolves the port it serves on. */
function startPolicyPack(packDir: string, child: { process?: ChildProcess }): Promise<number> {
    // The CLI's pulumi-analyzer-policy script: in the pack's directory, resolve the SDK's
    // run-policy-pack as Node resolves it from there (up through the project's node_modules), then run
    // it with <engine address> <program> = "."; the pack only logs to the engine, and never here.
    const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    const pack = spawn(process.execPath, [runPolicyPack, "127.0.0.1:1", "."], {
        cwd: packDir,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, NODE_OPTIONS: "" },
    });
    child.process = pack;
    return new Promise<number>((resolve, reject) => {
        let out = "";
        let err = "";
        pack.stdout.on("data", (d: Buffer) => {
            out += d.toString();
            const m = /^(\d+)\s*$/m.exec(out);
            if (m) resolve(Number(m[1]));
        });
        pack.stderr.on("data", (d: Buffer) => void (err += d.toString()));
        pack.on("exit", (code) => reject(new Error(`the packaged policy pack exited with ${code}:\n${out}${err}`)));
    });
}

/** A strict TypeScript program of another stack, importing the components by the package's name. */
const CONSUMER_TS = `import * as pulumi from "@pulumi/pulumi";
import { GatewayProxies, GatewayProxy, KeepaliveUpstream, type GatewayProxyArgs } from "gloo-keepalive";
import { policies } from "gloo-keepalive/policies";

const idle: pulumi.Output<number> = pulumi.output(350);
const args: GatewayProxyArgs = { name: "edgeGw", tcpKeepaliveTimeSeconds: 120, loadBalancerIdleTimeoutSeconds: idle };
const edge = new GatewayProxy("edge", args);
const upstream = new KeepaliveUpstream("orders", { name: "orders", host: "orders.shop.svc", port: 8080, tcpKeepalive: { timeSeconds: 60 } });
const all = new GatewayProxies("all", { gatewayProxies: { publicGw: { tcpKeepaliveProbes: 3 } } });
export const checksum: pulumi.Output<string> = edge.bootstrapChecksum;
export const detection: pulumi.Output<number> = upstream.detectionSeconds;
export const services: pulumi.Output<Record<string, string>> = all.serviceNames;
export const policyNames: string[] = policies.map((p) => p.name);
// @ts-expect-error a probe count is a number, not a string: the args are typed, not any.
new GatewayProxy("wrong", { name: "x", tcpKeepaliveProbes: "three" });
`;

describe("the npm package, installed from its tarball into an empty project", function () {
    this.timeout(240_000);
    let project: string;
    let dir: string;

    before(async () => {
        const result = await installed;
        dir = result.dir;
        expect(result.pack.status, `npm pack failed:\n${result.pack.stderr}`).to.equal(0);
        expect(result.install.status, `npm install failed:\n${result.install.stderr}`).to.equal(0);
        project = result.project;
    });

    after(() => {
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const bin = () => path.join(project, "node_modules", ".bin", "gloo-keepalive");
    const command = (args: string[]) => run(bin(), args, { cwd: project });

    it("installs a gloo-keepalive command whose --help names every command and option, and --version the package's", async () => {
        const help = await command(["--help"]);
        expect(help.status).to.equal(0);
        for (const word of ["render", "explain", "check", "--stack", "--values", "--release", "--namespace", "--out", "--policy-config"]) {
            expect(help.stdout).to.contain(word);
        }
        const version = await command(["--version"]);
        expect(version.stdout.trim()).to.equal(VERSION);
        const usage = await command(["nonsense"]);
        expect(usage.status).to.equal(2);
    });

    it("runs render, explain and check with the output of the commands in this checkout, from compiled JavaScript", async () => {
        for (const name of ["render", "explain"]) {
            const out = path.join(project, `out-${name}`);
            const installedRun = await command([name, "--values", VALUES, "--out", out]);
            const local = runCli([name, "--values", VALUES, "--out", path.join(dir, `local-${name}`)]);
            expect(installedRun.status, installedRun.stderr).to.equal(local.status);
            expect(installedRun.stdout.trim().replaceAll(out, "<out>")).to.equal(
                local.stdout.trim().replaceAll(path.join(dir, `local-${name}`), "<out>"),
            );
            const written = readdirSync(out, { recursive: true, encoding: "utf8" }).sort();
            expect(written).to.deep.equal(readdirSync(path.join(dir, `local-${name}`), { recursive: true, encoding: "utf8" }).sort());
            for (const file of written.filter((f) => f.includes("."))) {
                expect(readFileSync(path.join(out, file), "utf8"), file).to.equal(
                    readFileSync(path.join(dir, `local-${name}`, file), "utf8"),
                );
            }
        }
        const check = await command(["check", "--values", VALUES]);
        const local = runCli(["check", "--values", VALUES]);
        expect(check.status).to.equal(local.status);
        const untimed = (s: string) => s.replace(/\(\d+(\.\d+)? ms\)/g, "(ms)");
        expect(untimed(check.stdout.trim())).to.equal(untimed(local.stdout.trim()));
        // Nothing to compile TypeScript with: the command ran compiled JavaScript.
        expect(existsSync(path.join(project, "node_modules", "ts-node"))).to.equal(false);
    });

    it("loads one Pulumi SDK, the project's newer one, for the package, @pulumi/kubernetes and @pulumi/policy", async () => {
        const script = `
            require("gloo-keepalive");
            require("@pulumi/kubernetes");
            require("@pulumi/policy");
            const roots = new Set(Object.keys(require.cache).map((f) => /^(.*[\\\\/]node_modules[\\\\/]@pulumi[\\\\/]pulumi)[\\\\/]/.exec(f)?.[1]).filter(Boolean));
            console.log(JSON.stringify({ roots: [...roots], version: require("@pulumi/pulumi/package.json").version }));`;
        const result = await runNode(["-e", script], { cwd: project });
        expect(result.status, result.stderr).to.equal(0);
        const { roots, version } = JSON.parse(result.stdout) as { roots: string[]; version: string };
        expect(roots).to.deep.equal([path.join(project, "node_modules", "@pulumi", "pulumi")]);
        expect(version).to.equal(NEWER_SDK);
        // On disk too: no copy nested under gloo-keepalive (or anything else), of either SDK.
        const files = readdirSync(path.join(project, "node_modules"), { recursive: true, encoding: "utf8" });
        for (const sdk of [path.join("@pulumi", "pulumi"), path.join("@pulumi", "kubernetes")]) {
            const manifest = path.join(sdk, "package.json");
            expect(files.filter((f) => f.endsWith(`${path.sep}${manifest}`) || f === manifest)).to.deep.equal([manifest]);
        }
    });

    it("exports the policies for packs of one's own (gloo-keepalive/policies), at run time as typed", async () => {
        const script = "console.log(JSON.stringify(require('gloo-keepalive/policies').policies.map((p) => p.name)))";
        const result = await runNode(["-e", script], { cwd: project });
        expect(result.status, result.stderr).to.equal(0);
        expect(JSON.parse(result.stdout)).to.deep.equal(policies.map((p) => p.name));
    });

    it("types the components (and the policies) for a strict TypeScript program", async () => {
        const program = path.join(project, "program");
        mkdirSync(program, { recursive: true });
        writeFileSync(path.join(program, "index.ts"), CONSUMER_TS);
        const compilerOptions = {
            strict: true,
            noEmit: true,
            // The SDKs' own declarations are not ours to check (and take most of the time); the program's use of ours is.
            skipLibCheck: true,
            target: "ES2022",
            module: "commonjs",
            moduleResolution: "node",
            types: ["node"],
            typeRoots: [path.join(REPO_ROOT, "node_modules", "@types")],
        };
        writeFileSync(path.join(program, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["index.ts"] }));
        const result = await runNode([TSC, "-p", program], { cwd: project });
        expect(result.status, result.stdout).to.equal(0);
    });

    for (const [what, where] of [
        [
            "in the package, as a runnable directory (pulumi preview --policy-pack node_modules/gloo-keepalive/policy)",
            "gloo-keepalive/policy",
        ],
        ["as its own package, gloo-keepalive-policy", "gloo-keepalive-policy"],
    ]) {
        it(`ships the policy pack ${what}: it answers the analyzer protocol with all its policies`, async () => {
            const packDir = path.join(project, "node_modules", ...where.split("/"));
            expect(existsSync(path.join(packDir, "PulumiPolicy.yaml"))).to.equal(true);
            const child: { process?: ChildProcess } = {};
            try {
                const port = await startPolicyPack(packDir, child);
                const client = analyzerClient(project, port);
                try {
                    const info = await client.info();
                    expect(info.getName()).to.equal("gloo-keepalive");
                    expect(info.getPoliciesList().map((p) => p.getName())).to.deep.equal(policies.map((p) => p.name));
                    expect(info.getPoliciesList().every((p) => p.getConfigschema() !== undefined)).to.equal(true);
                } finally {
                    client.close();
                }
            } finally {
                child.process?.kill();
            }
        });
    }
});
