import { expect } from "chai";
import { checkGlooObject } from "../components/checks/gloo-crds";
import { upstreamTcpKeepalive } from "../policy/policies";
import { upstreamKeepaliveRule } from "../policy/policies/upstream-tcp-keepalive";
import { durationSeconds } from "../policy/lib/hops";
import { HELM_CHART_URN, remediate, resourceArgs, stackObjects, upstream, validate, type UpstreamObject } from "./policy-harness";

const run = (object: Record<string, unknown>, options = {}) => validate(upstreamTcpKeepalive, resourceArgs(object, options));
const withKeepalive = (change: Record<string, unknown>) => upstream((u) => Object.assign(u.spec.connectionConfig!.tcpKeepalive!, change));
const PATH = "spec.connectionConfig.tcpKeepalive";
const crd = (o: Record<string, unknown>) => checkGlooObject(o as { apiVersion: string; kind: string; spec: unknown });

describe("policy upstream-tcp-keepalive", () => {
    it("is mandatory by default and applies to kubernetes:gloo.solo.io/v1:Upstream", () => {
        expect(upstreamTcpKeepalive.enforcementLevel).to.equal("mandatory");
        expect(upstreamKeepaliveRule.types).to.deep.equal(["kubernetes:gloo.solo.io/v1:Upstream"]);
    });

    it("passes the Upstreams of dev and prod as the library renders them", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const upstreams = stackObjects(stack).filter((o) => o.kind === "Upstream");
            expect(upstreams, stack).to.have.length(1);
            expect(await run(upstreams[0]), stack).to.deep.equal([]);
        }
    });

    it("reports an Upstream without connectionConfig.tcpKeepalive, with or without other connectionConfig", async () => {
        const expected =
            `${PATH}: no tcpKeepalive: connections from the proxy to this upstream are never probed, and a dead or silently dropped peer is never detected. ` +
            `Fix: set spec.connectionConfig.tcpKeepalive, e.g. {"keepaliveInterval":"20s","keepaliveProbes":3,"keepaliveTime":"60s"} (gloo-keepalive values: upstreams[].tcpKeepalive; or set this policy to "remediate")`;
        expect(await run(upstream((u) => void delete u.spec.connectionConfig))).to.deep.equal([expected]);
        expect(await run(upstream((u) => void (u.spec.connectionConfig = { maxRequestsPerConnection: 10 })))).to.deep.equal([expected]);
    });

    const bad: [string, unknown, string][] = [
        ["keepaliveTime", 60, '60 is a number; Gloo\'s Duration is a string such as "60s" (the CRD refuses a number)'],
        ["keepaliveTime", "500ms", '"500ms" is not a Duration in whole seconds such as "60s"'],
        ["keepaliveInterval", "1.5s", '"1.5s" is not a whole number of seconds (Gloo would round it up; never rounded here)'],
        ["keepaliveTime", "0s", '"0s": 0 is below the kernel minimum 1'],
        ["keepaliveInterval", "32768s", '"32768s": 32768 exceeds the kernel maximum 32767'],
        ["keepaliveTime", "1m", '"1m" is not a Duration in whole seconds such as "60s"'],
        ["keepaliveTime", "-5s", '"-5s" is not a Duration in whole seconds such as "60s"'],
        ["keepaliveProbes", 0, "0 is below the kernel minimum 1"],
        ["keepaliveProbes", 128, "128 exceeds the kernel maximum 127"],
        ["keepaliveProbes", 2.5, "2.5 is not a whole number (never rounded)"],
        ["keepaliveProbes", "3", '"3" is not a whole number'],
    ];
    for (const [field, value, problem] of bad) {
        it(`reports ${field} ${JSON.stringify(value)}`, async () => {
            const messages = await run(withKeepalive({ [field]: value }));
            expect(messages).to.have.length(1);
            expect(messages[0]).to.equal(
                `${PATH}.${field}: ${problem}. Fix: ${field === "keepaliveProbes" ? "set keepaliveProbes to a whole number 1..127" : `set ${field} to whole seconds "1s".."32767s", e.g. "60s"`}`,
            );
        });
    }

    it("accepts whole seconds with a zero fraction, the kernel's bounds, and unset fields (OS defaults)", async () => {
        expect(await run(withKeepalive({ keepaliveTime: "60.000s", keepaliveInterval: "32767s", keepaliveProbes: 127 }))).to.deep.equal([]);
        expect(await run(withKeepalive({ keepaliveTime: "1s", keepaliveProbes: 1 }))).to.deep.equal([]);
        expect(await run(upstream((u) => void (u.spec.connectionConfig!.tcpKeepalive = { keepaliveTime: "60s" })))).to.deep.equal([]);
        expect(durationSeconds("120s")).to.deep.equal({ seconds: 120 });
        expect(durationSeconds("2.000000000s")).to.deep.equal({ seconds: 2 });
    });

    it("checks a helm chart's child exactly like a direct Upstream", async () => {
        const broken = withKeepalive({ keepaliveTime: 60 });
        expect(await run(broken, { parent: HELM_CHART_URN }))
            .to.deep.equal(await run(broken))
            .and.to.have.length(1);
    });

    describe("remediation", () => {
        it("fills a missing tcpKeepalive from defaultKeepalive as Duration strings; the result passes the rule and the Gloo CRD", async () => {
            const bare = upstream((u) => void delete u.spec.connectionConfig);
            const fixed = (await remediate(upstreamTcpKeepalive, bare, {
                config: { defaultKeepalive: { timeSeconds: 45 } },
            })) as UpstreamObject;
            expect(fixed.spec.connectionConfig).to.deep.equal({
                tcpKeepalive: { keepaliveTime: "45s", keepaliveInterval: "20s", keepaliveProbes: 3 },
            });
            expect((fixed.spec as Record<string, unknown>).static).to.deep.equal((bare.spec as Record<string, unknown>).static);
            expect(await run(fixed)).to.deep.equal([]);
            expect(crd(fixed)).to.deep.equal([]);
        });

        it("keeps the rest of connectionConfig", async () => {
            const other = upstream((u) => void (u.spec.connectionConfig = { maxRequestsPerConnection: 10 }));
            const fixed = (await remediate(upstreamTcpKeepalive, other)) as UpstreamObject;
            expect(fixed.spec.connectionConfig).to.deep.equal({
                maxRequestsPerConnection: 10,
                tcpKeepalive: { keepaliveTime: "60s", keepaliveInterval: "20s", keepaliveProbes: 3 },
            });
        });

        it("never rewrites a tcpKeepalive that is there, even a wrong one", async () => {
            expect(await remediate(upstreamTcpKeepalive, withKeepalive({ keepaliveTime: 60 }))).to.equal(undefined);
            expect(await remediate(upstreamTcpKeepalive, upstream())).to.equal(undefined);
        });
    });
});
