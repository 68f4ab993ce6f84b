import { expect } from "chai";
import { execFileSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import { tmpdir } from "os";
import * as path from "path";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { readStackConfig } from "../components/values/read";
import { formatIssue, ValuesError } from "../components/values/values";
import { checkObjects, resolvePackSettings } from "../policy/check";
import { DEFAULT_KEEPALIVE, resolveConfig } from "../policy/lib/config";
import { violationMessage } from "../policy/lib/objects";
import { policies, proxyHopsKeepalive, RESOURCE_RULES } from "../policy/policies";
import { runCli } from "./cli-harness";
import { resourceArgs, stackArgs, stackObjects, validate, validateStack } from "./policy-harness";

const tmp = mkdtempSync(path.join(tmpdir(), "policy-check-"));
let files = 0;
function writeTemp(name: string, content: string): string {
    const file = path.join(tmp, `${files++}-${name}`);
    writeFileSync(file, content);
    return file;
}

type ProdValues = {
    gatewayProxies: { gatewayProxy: Record<string, unknown> & { gatewaySettings: { tcpKeepalive: Record<string, number> } } };
};
/** A copy of the prod stack's values, changed, written as a values file. */
function brokenProd(change: (values: ProdValues) => void): string {
    const values = structuredClone(readStackConfig("prod").values) as ProdValues;
    change(values);
    return writeTemp("values.yaml", yaml.dump(values));
}

describe("policy config", () => {
    it("fills every default from the schema, at every depth, and drops enforcementLevel", () => {
        const [bootstrap, , , idle, detection] = RESOURCE_RULES;
        expect(resolveConfig(bootstrap.configSchema, undefined)).to.deep.equal({ defaultKeepalive: DEFAULT_KEEPALIVE });
        expect(resolveConfig(bootstrap.configSchema, { enforcementLevel: "remediate", defaultKeepalive: { probes: 5 } })).to.deep.equal({
            defaultKeepalive: { timeSeconds: 60, intervalSeconds: 20, probes: 5 },
        });
        expect(resolveConfig(idle.configSchema, { marginSeconds: 0 })).to.deep.equal({
            loadBalancerIdleTimeoutSeconds: 350,
            marginSeconds: 0,
        });
        expect(resolveConfig(detection.configSchema, {})).to.deep.equal({ maxDetectionSeconds: 900 });
    });

    it("resolves levels as Pulumi does: the policy's own, else \"all\", else the policy's default", () => {
        const settings = resolvePackSettings({
            all: "advisory",
            "keepalive-below-idle-timeout": { enforcementLevel: "disabled" },
            "upstream-tcp-keepalive": "remediate",
        });
        expect(Object.fromEntries([...settings].map(([name, s]) => [name, s.level]))).to.deep.equal({
            "envoy-bootstrap-keepalive": "advisory",
            "gateway-socket-options-keepalive": "advisory",
            "upstream-tcp-keepalive": "remediate",
            "keepalive-below-idle-timeout": "disabled",
            "http-idle-timeout-above-load-balancer": "advisory",
            "keepalive-detection-time": "advisory",
            "proxy-hops-keepalive": "advisory",
        });
        expect(resolvePackSettings({}).get("keepalive-detection-time")?.level).to.equal("advisory");
        expect(resolvePackSettings({}).get("proxy-hops-keepalive")?.level).to.equal("mandatory");
    });

    it("refuses unknown policies and keys, wrong types, bounds and levels, naming each", () => {
        const issues = (raw: unknown) => {
            try {
                resolvePackSettings(raw, "pack.json");
            } catch (e) {
                return (e as ValuesError).issues.map(formatIssue);
            }
            return [];
        };
        expect(issues({ "keepalive-below-idle-timout": "mandatory" })).to.deep.equal([
            'pack.json keepalive-below-idle-timout: no such policy (did you mean "keepalive-below-idle-timeout"?)',
        ]);
        expect(issues({ "keepalive-below-idle-timeout": { marginSecond: 10 } })).to.deep.equal([
            'pack.json keepalive-below-idle-timeout.marginSecond: unknown key (did you mean "marginSeconds"?)',
        ]);
        expect(issues({ "envoy-bootstrap-keepalive": { defaultKeepalive: { probes: 200 } } })).to.deep.equal([
            "pack.json envoy-bootstrap-keepalive.defaultKeepalive.probes: must be <= 127, got 200",
        ]);
        expect(issues({ "keepalive-detection-time": { maxDetectionSeconds: "900" } })).to.deep.equal([
            'pack.json keepalive-detection-time.maxDetectionSeconds: must be integer, got "900"',
        ]);
        expect(issues({ all: "strict" })).to.deep.equal(['pack.json all: "strict" is not one of advisory, mandatory, remediate, disabled']);
        expect(issues([])).to.deep.equal(["pack.json: must be a JSON object of policy names to levels or config"]);
    });
});

describe("the offline check and the Pulumi policies are the same rules", () => {
    it("reports, for every object of dev, prod and a broken prod, exactly what each policy's validateResource reports", async () => {
        const broken = stackObjects("prod").map((o) => {
            if (o.kind === "Gateway")
                (o.spec as { options: { socketOptions: { intValue: number }[] } }).options.socketOptions[1].intValue = 400;
            if (o.kind === "Upstream") (o.spec as Record<string, unknown>).connectionConfig = { tcpKeepalive: { keepaliveTime: "1.5s" } };
            return o;
        });
        let compared = 0;
        for (const objects of [stackObjects("dev"), stackObjects("prod"), broken]) {
            const settings = resolvePackSettings({ "keepalive-detection-time": { maxDetectionSeconds: 150 } });
            const { findings } = checkObjects(objects, settings);
            for (const object of objects) {
                for (const policy of policies.filter((p): p is ResourceValidationPolicy => "validateResource" in p)) {
                    const config = policy.name === "keepalive-detection-time" ? { maxDetectionSeconds: 150 } : {};
                    const fromPulumi = await validate(policy, resourceArgs(object, { config }));
                    const fromCheck = findings.filter(
                        (f) =>
                            f.policy === policy.name &&
                            f.object ===
                                `${object.kind}/${(object.metadata as { namespace: string }).namespace}/${(object.metadata as { name: string }).name}`,
                    );
                    expect(fromCheck.map(violationMessage), `${policy.name} ${object.kind}`).to.deep.equal(fromPulumi);
                    compared += fromPulumi.length;
                }
            }
            const stack = await validateStack(proxyHopsKeepalive, stackArgs(objects));
            expect(
                findings.filter((f) => f.policy === "proxy-hops-keepalive").map((f) => `${f.object} ${violationMessage(f)}`),
            ).to.deep.equal(stack.map((r) => r.message));
        }
        expect(compared).to.be.greaterThan(4); // the broken copy did produce violations on both sides
    });
});

describe("check command (npm run check)", () => {
    it("passes the dev stack: exit 0", () => {
        const run = runCli(["check", "--stack", "dev"]);
        expect(run.stderr).to.equal("");
        expect(run.stdout).to.match(
            /^policy check of stack dev: 7 objects, 1 proxy\(ies\); policies: envoy-bootstrap-keepalive \(mandatory\),/,
        );
        expect(run.stdout).to.match(/no mandatory violations, 0 advisory: the check passes/);
        expect(run.status).to.equal(0);
    });

    it("passes the prod stack as it is", () => {
        expect(runCli(["check", "--stack", "prod"]).status).to.equal(0);
    });

    it("fails a copy of prod whose downstream keepalive time is 400 s behind its 350 s NLB, naming the hop and the fix", () => {
        const values = brokenProd((v) => void (v.gatewayProxies.gatewayProxy.gatewaySettings.tcpKeepalive.timeSeconds = 400));
        const run = runCli(["check", "--values", values, "--namespace", "gloo-system"]);
        expect(run.status).to.equal(1);
        const errors = run.stderr.split("\n").filter((l) => l.startsWith("error"));
        expect(errors).to.deep.equal([
            'error [keepalive-below-idle-timeout] Gateway/gloo-system/gateway-proxy spec.options.socketOptions[1].intValue: downstream listener (Gateway) "gateway-proxy": keepalive time 400s is not at least 30s below the load balancer idle timeout 350s, so an idle connection can be dropped before its first probe',
            'error [keepalive-below-idle-timeout] Gateway/gloo-system/gateway-proxy-ssl spec.options.socketOptions[1].intValue: downstream listener (Gateway) "gateway-proxy-ssl": keepalive time 400s is not at least 30s below the load balancer idle timeout 350s, so an idle connection can be dropped before its first probe',
        ]);
        expect(run.stderr).to.include(
            "    fix: set TCP_KEEPIDLE (level 6 name 4) intValue: 320 or lower (gloo-keepalive values: gatewayProxies.<proxy>.gatewaySettings.tcpKeepalive.timeSeconds)",
        );
        expect(run.stdout).to.match(/2 mandatory violation\(s\), 0 advisory: the check fails/);
    });

    it("fails a copy of prod whose cluster keepalive time is 400 s, naming every cluster", () => {
        // Gloo's clusters cross the control-plane box (here kube-proxy IPVS at 350 s), not the load balancer in front.
        const values = brokenProd((v) => {
            v.gatewayProxies.gatewayProxy.tcpKeepaliveTimeSeconds = 400;
            (v.gatewayProxies.gatewayProxy as { controlPlaneIdleTimeoutSeconds?: number }).controlPlaneIdleTimeoutSeconds = 350;
        });
        const run = runCli(["check", "--stack", "prod", "--values", values]);
        expect(run.status).to.equal(1);
        const errors = run.stderr.split("\n").filter((l) => l.startsWith("error"));
        // otel_collector keeps its own keepalive_time 90; admin_port_cluster is loopback and crosses no box
        expect(errors.map((l) => l.replace(/: keepalive time .*/, ""))).to.deep.equal(
            [0, 1, 2].map(
                (i) =>
                    `error [keepalive-below-idle-timeout] ConfigMap/gloo-system/gateway-proxy-envoy-config data["envoy.yaml"].static_resources.clusters[${i}].upstream_connection_options.tcp_keepalive.keepalive_time: ${i === 0 ? 'xDS cluster "gloo.gloo-system.svc.cluster.local:9977"' : `static cluster "${["", "rest_xds_cluster", "wasm-cache", "admin_port_cluster"][i]}"`}`,
            ),
        );
    });

    it("takes --policy-config in pulumi's --policy-pack-config shape: a larger idle timeout passes the same copy", () => {
        // Without the proxy's own loadBalancerIdleTimeoutSeconds the pack's config decides.
        const values = brokenProd((v) => {
            v.gatewayProxies.gatewayProxy.gatewaySettings.tcpKeepalive.timeSeconds = 400;
            delete (v.gatewayProxies.gatewayProxy as { loadBalancerIdleTimeoutSeconds?: number }).loadBalancerIdleTimeoutSeconds;
        });
        const config = writeTemp("pack.json", JSON.stringify({ "keepalive-below-idle-timeout": { loadBalancerIdleTimeoutSeconds: 600 } }));
        expect(runCli(["check", "--values", values, "--policy-config", config]).status).to.equal(0);
        const disabled = writeTemp("pack.json", JSON.stringify({ "keepalive-below-idle-timeout": "disabled" }));
        expect(runCli(["check", "--values", values, "--policy-config", disabled]).status).to.equal(0);
    });

    it("prints advisory violations as warnings and exits 0; the same made mandatory exits 1", () => {
        const strict = writeTemp("pack.json", JSON.stringify({ "keepalive-detection-time": { maxDetectionSeconds: 100 } }));
        const run = runCli(["check", "--stack", "dev", "--policy-config", strict]);
        expect(run.status).to.equal(0);
        expect(run.stderr.split("\n").filter((l) => l.startsWith("warning [keepalive-detection-time]"))).to.have.length(4); // the four clusters at 120 s; the Gateways and the Upstream detect in 100 s
        expect(run.stdout).to.match(/no mandatory violations, 4 advisory: the check passes/);
        const mandatory = writeTemp(
            "pack.json",
            JSON.stringify({ "keepalive-detection-time": { enforcementLevel: "mandatory", maxDetectionSeconds: 100 } }),
        );
        const failed = runCli(["check", "--stack", "dev", "--policy-config", mandatory]);
        expect(failed.status).to.equal(1);
        expect(failed.stderr).to.match(/^error \[keepalive-detection-time\] ConfigMap\/gloo-system\/gateway-proxy-envoy-config/);
    });

    it('remediates first when a policy is at "remediate": Gateways without keepalive get it and the check passes', () => {
        const values = brokenProd(
            (v) => void delete (v.gatewayProxies.gatewayProxy.gatewaySettings as Record<string, unknown>).tcpKeepalive,
        );
        const plain = runCli(["check", "--values", values]);
        expect(plain.status).to.equal(1);
        expect(plain.stderr).to.include(
            "error [gateway-socket-options-keepalive] Gateway/gloo-system/gateway-proxy spec.options.socketOptions: missing SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT",
        );
        expect(plain.stderr).to.include(
            'error [proxy-hops-keepalive] Gateway/gloo-system/gateway-proxy spec.options.socketOptions: gateway proxy "gateway-proxy": downstream listener (Gateway) "gateway-proxy" has no keepalive',
        );
        const config = writeTemp(
            "pack.json",
            JSON.stringify({
                "gateway-socket-options-keepalive": { enforcementLevel: "remediate", defaultKeepalive: { timeSeconds: 300 } },
            }),
        );
        const remediated = runCli(["check", "--values", values, "--policy-config", config]);
        expect(remediated.stdout).to.include(
            "remediated [gateway-socket-options-keepalive] Gateway/gloo-system/gateway-proxy: filled spec.options.socketOptions[0], spec.options.socketOptions[1], spec.options.socketOptions[2], spec.options.socketOptions[3]",
        );
        expect(remediated.stderr).to.equal("");
        expect(remediated.status).to.equal(0);
        // remediated with a time the idle-timeout policy refuses: still caught after remediation
        const tooLong = writeTemp(
            "pack.json",
            JSON.stringify({
                "gateway-socket-options-keepalive": { enforcementLevel: "remediate", defaultKeepalive: { timeSeconds: 340 } },
            }),
        );
        expect(runCli(["check", "--values", values, "--policy-config", tooLong]).stderr).to.include(
            "error [keepalive-below-idle-timeout] Gateway/gloo-system/gateway-proxy spec.options.socketOptions[1].intValue",
        );
    });

    it("exits 1 naming the problem for a bad policy config, and for values the library refuses", () => {
        const bad = writeTemp("pack.json", JSON.stringify({ "keepalive-below-idle-timeout": { marginSecond: 10 } }));
        const run = runCli(["check", "--stack", "dev", "--policy-config", bad]);
        expect(run.status).to.equal(1);
        expect(run.stderr).to.include(`${bad} keepalive-below-idle-timeout.marginSecond: unknown key (did you mean "marginSeconds"?)`);
        const notJson = writeTemp("pack.json", "{");
        expect(runCli(["check", "--policy-config", notJson]).stderr).to.include("not valid YAML");
        const values = brokenProd((v) => void (v.gatewayProxies.gatewayProxy.gatewaySettings.tcpKeepalive.probes = 300));
        const refused = runCli(["check", "--values", values]);
        expect(refused.status).to.equal(1);
        expect(refused.stderr).to.include(
            "gatewayProxies.gatewayProxy.gatewaySettings.tcpKeepalive.probes: 300 exceeds the kernel maximum 127",
        );
        expect(runCli(["check", "--stak", "dev"]).status).to.equal(2);
    });

    it("loads neither @pulumi/policy nor the policy pack at runtime: render never loads policy/, check only its rules", () => {
        const loaded = (command: string) =>
            JSON.parse(
                execFileSync(
                    process.execPath,
                    [
                        "-r",
                        "ts-node/register/transpile-only",
                        "-e",
                        `
            const log = console.log; console.log = () => {}; console.error = () => {};
            require("./components/cli").main(${JSON.stringify([command, "--stack", "dev", ...(command === "render" ? ["--out", path.join(tmp, "render-out")] : [])])});
            log(JSON.stringify(Object.keys(require.cache).map((f) => require("path").relative(process.cwd(), f))));
        `,
                    ],
                    { cwd: path.join(__dirname, ".."), encoding: "utf8" },
                ),
            ) as string[];
        const render = loaded("render");
        expect(render.filter((f) => f.startsWith("policy/") || f.includes("@pulumi/policy"))).to.deep.equal([]);
        const check = loaded("check");
        expect(check).to.include("policy/check.ts");
        expect(check.filter((f) => f.includes("@pulumi/policy") || f === "policy/index.ts")).to.deep.equal([]);
    });
});
