import { expect } from "chai";
import { checkGlooObject } from "../components/checks/gloo-crds";
import { renderValues } from "../components/render/render";
import { gatewaySocketOptionsKeepalive } from "../policy/policies";
import { gatewayKeepaliveRule } from "../policy/policies/gateway-socket-options-keepalive";
import {
    gateway,
    HELM_CHART_URN,
    remediate,
    resourceArgs,
    stackObjects,
    validate,
    type GatewayObject,
    type SocketOptionValue,
} from "./policy-harness";

const run = (object: Record<string, unknown>, options = {}) => validate(gatewaySocketOptionsKeepalive, resourceArgs(object, options));
const options = (g: GatewayObject) => g.spec.options!.socketOptions!;
const withOption = (index: number, change: Partial<SocketOptionValue>) => gateway((g) => Object.assign(options(g)[index], change));
const crd = (o: Record<string, unknown>) => checkGlooObject(o as { apiVersion: string; kind: string; spec: unknown });

describe("policy gateway-socket-options-keepalive", () => {
    it("is mandatory by default and applies to kubernetes:gateway.solo.io/v1:Gateway", () => {
        expect(gatewaySocketOptionsKeepalive.enforcementLevel).to.equal("mandatory");
        expect(gatewayKeepaliveRule.types).to.deep.equal(["kubernetes:gateway.solo.io/v1:Gateway"]);
    });

    it("passes every Gateway of dev and prod as the library renders them", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const gateways = stackObjects(stack).filter((o) => o.kind === "Gateway");
            expect(
                gateways.map((g) => (g.metadata as { name: string }).name),
                stack,
            ).to.deep.equal(["gateway-proxy", "gateway-proxy-ssl"]);
            for (const g of gateways) expect(await run(g), stack).to.deep.equal([]);
        }
    });

    it("reports a Gateway without socket options: keepalive is off, and says what to append", async () => {
        const messages = await run(gateway((g) => void delete g.spec.options));
        expect(messages).to.deep.equal([
            "spec.options.socketOptions: missing SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT: without SO_KEEPALIVE=1 downstream connections have no keepalive at all. " +
                "Fix: append {level: 1, name: 9, intValue: 1, state: STATE_PREBIND}, {level: 6, name: 4, intValue: 60, state: STATE_PREBIND}, {level: 6, name: 5, intValue: 20, state: STATE_PREBIND}, {level: 6, name: 6, intValue: 3, state: STATE_PREBIND} " +
                '(gatewaySettings.tcpKeepalive in the gloo-keepalive values renders all four; or set this policy to "remediate")',
        ]);
    });

    it("reports a partial set: the missing options fall back to the OS defaults", async () => {
        const [message, ...rest] = await run(gateway((g) => void options(g).splice(3, 1)));
        expect(rest).to.deep.equal([]);
        expect(message).to.match(/^spec\.options\.socketOptions: missing TCP_KEEPCNT: the missing ones fall back to the OS defaults/);
        expect(message).to.include("Fix: append {level: 6, name: 6, intValue: 3, state: STATE_PREBIND}");
    });

    it("reports level 6 name 9 (SO_KEEPALIVE at the TCP level) as mistyped, and SO_KEEPALIVE as missing", async () => {
        const messages = await run(withOption(0, { level: 6 }));
        expect(messages).to.have.length(2);
        expect(messages[0]).to.match(/^spec\.options\.socketOptions: missing SO_KEEPALIVE/);
        expect(messages[1]).to.match(/^spec\.options\.socketOptions\[0\]: level 6 name 9 is not SO_KEEPALIVE \(that is level 1 name 9\)/);
    });

    it("reports Darwin numbers on a Linux cluster (the library's socketOptionsPlatform: darwin)", async () => {
        const darwin = renderValues([
            {
                gatewayProxies: {
                    gatewayProxy: {
                        gatewaySettings: {
                            socketOptionsPlatform: "darwin",
                            tcpKeepalive: { timeSeconds: 60, intervalSeconds: 20, probes: 3 },
                        },
                    },
                },
            },
        ]).objects.find((o) => o.kind === "Gateway")!;
        const messages = await run(darwin);
        expect(messages[0]).to.match(/missing SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT/);
        expect(messages.slice(1)).to.deep.equal(
            [
                "spec.options.socketOptions[0]: level 65535 name 8 is the Darwin (macOS) number of SO_KEEPALIVE; Kubernetes nodes run Linux, where it is SO_KEEPALIVE (level 1 name 9)",
                "spec.options.socketOptions[1]: level 6 name 16 is the Darwin (macOS) number of TCP_KEEPIDLE; Kubernetes nodes run Linux, where it is TCP_KEEPIDLE (level 6 name 4)",
                "spec.options.socketOptions[2]: level 6 name 257 is the Darwin (macOS) number of TCP_KEEPINTVL; Kubernetes nodes run Linux, where it is TCP_KEEPINTVL (level 6 name 5)",
                "spec.options.socketOptions[3]: level 6 name 258 is the Darwin (macOS) number of TCP_KEEPCNT; Kubernetes nodes run Linux, where it is TCP_KEEPCNT (level 6 name 6)",
            ].map(
                (m) =>
                    `${m}. Fix: use the Linux numbers: SO_KEEPALIVE level 1 name 9, TCP_KEEPIDLE/TCP_KEEPINTVL/TCP_KEEPCNT level 6 names 4/5/6 (or gatewaySettings.tcpKeepalive in the gloo-keepalive values, which renders them)`,
            ),
        );
    });

    it("reports a keepalive option at STATE_BOUND (by name or number), and accepts an absent state (proto3's default, STATE_PREBIND)", async () => {
        expect(await run(withOption(1, { state: "STATE_BOUND" }))).to.deep.equal([
            "spec.options.socketOptions[1].state: TCP_KEEPIDLE (level 6 name 4) at STATE_BOUND: keepalive options belong on the listening socket before bind, so accepted connections inherit them. Fix: set state: STATE_PREBIND",
        ]);
        expect(await run(withOption(0, { state: 2 }))).to.have.length(1);
        expect((await run(withOption(0, { state: "STATE_LISTENING" })))[0]).to.include("at STATE_LISTENING");
        expect(await run(gateway((g) => options(g).forEach((o) => delete o.state)))).to.deep.equal([]);
        expect(await run(withOption(2, { state: 0 }))).to.deep.equal([]);
    });

    it("reports SO_KEEPALIVE intValue 0 and keepalive values out of the kernel's bounds", async () => {
        expect(await run(withOption(0, { intValue: 0 }))).to.deep.equal([
            "spec.options.socketOptions[0].intValue: SO_KEEPALIVE intValue 0 turns keepalive off. Fix: set intValue: 1",
        ]);
        expect(await run(withOption(1, { intValue: 0 }))).to.deep.equal([
            "spec.options.socketOptions[1].intValue: TCP_KEEPIDLE 0 is below the kernel minimum 1. Fix: set intValue to a whole number 1..32767",
        ]);
        expect(await run(withOption(3, { intValue: 128 }))).to.deep.equal([
            "spec.options.socketOptions[3].intValue: TCP_KEEPCNT 128 exceeds the kernel maximum 127. Fix: set intValue to a whole number 1..127",
        ]);
        expect(await run(withOption(2, { intValue: 40000 }))).to.have.length(1);
        expect((await run(withOption(2, { intValue: "20s" })))[0]).to.include('TCP_KEEPINTVL "20s" is not a whole number of seconds');
        const noValue = await run(
            gateway((g) => {
                delete options(g)[1].intValue;
                options(g)[1].bufValue = "PAAAAA==";
            }),
        );
        expect(noValue).to.deep.equal([
            "spec.options.socketOptions[1].intValue: TCP_KEEPIDLE (level 6 name 4) has no intValue (bufValue is not read for it). Fix: set intValue to a whole number 1..32767",
        ]);
    });

    it("accepts int64 numbers written as strings, as proto3 JSON and the CRD (int-or-string) allow", async () => {
        expect(
            await run(
                gateway((g) =>
                    options(g).forEach((o) =>
                        Object.assign(o, { level: String(o.level), name: String(o.name), intValue: String(o.intValue) }),
                    ),
                ),
            ),
        ).to.deep.equal([]);
    });

    it("reports an option set twice (the last one wins in Envoy)", async () => {
        const messages = await run(gateway((g) => void options(g).push({ ...options(g)[1], intValue: 7200 })));
        expect(messages).to.deep.equal([
            "spec.options.socketOptions[4]: TCP_KEEPIDLE is set 2 times (socketOptions [1], [4]); Envoy applies them in order, so the last one wins. Fix: keep one TCP_KEEPIDLE",
        ]);
    });

    it("ignores unrelated socket options (SO_REUSEPORT, TCP_NODELAY)", async () => {
        expect(
            await run(
                gateway(
                    (g) =>
                        void options(g).push(
                            { description: "reuse port", level: 1, name: 15, intValue: 1, state: "STATE_PREBIND" },
                            { description: "nodelay", level: 6, name: 1, intValue: 1, state: "STATE_PREBIND" },
                        ),
                ),
            ),
        ).to.deep.equal([]);
    });

    it("reports socketOptions that is not a list", async () => {
        expect(await run(gateway((g) => void ((g.spec.options as Record<string, unknown>).socketOptions = { level: 1 })))).to.deep.equal([
            "spec.options.socketOptions: is not a list. Fix: make spec.options.socketOptions a list of socket options",
        ]);
    });

    it("checks a helm chart's child exactly like a direct Gateway", async () => {
        const broken = withOption(1, { state: "STATE_BOUND" });
        expect(await run(broken, { parent: HELM_CHART_URN }))
            .to.deep.equal(await run(broken))
            .and.to.have.length(1);
    });

    it("leaves other kinds alone", async () => {
        const notGateway = gateway((g) => {
            delete g.spec.options;
            g.kind = "VirtualService";
        });
        expect(await run(notGateway)).to.deep.equal([]);
    });

    describe("remediation", () => {
        it("appends all four options to a Gateway without any; the result passes the rule and the Gloo CRD", async () => {
            const bare = gateway((g) => void delete g.spec.options);
            const fixed = (await remediate(gatewaySocketOptionsKeepalive, bare, {
                config: { defaultKeepalive: { timeSeconds: 45, intervalSeconds: 10, probes: 4 } },
            }))!;
            expect(options(fixed as GatewayObject).map((o) => [o.level, o.name, o.intValue, o.state])).to.deep.equal([
                [1, 9, 1, "STATE_PREBIND"],
                [6, 4, 45, "STATE_PREBIND"],
                [6, 5, 10, "STATE_PREBIND"],
                [6, 6, 4, "STATE_PREBIND"],
            ]);
            expect(await run(fixed)).to.deep.equal([]);
            expect(crd(fixed)).to.deep.equal([]);
        });

        it("appends only the missing options after the user's own, and keeps the options object's other fields", async () => {
            const partial = gateway((g) => {
                options(g).splice(2, 2);
                options(g).unshift({ description: "reuse port", level: 1, name: 15, intValue: 1, state: "STATE_PREBIND" });
                (g.spec.options as Record<string, unknown>).perConnectionBufferLimitBytes = 1024;
            });
            const fixed = (await remediate(gatewaySocketOptionsKeepalive, partial)) as GatewayObject;
            expect(options(fixed).map((o) => [o.level, o.name, o.intValue])).to.deep.equal([
                [1, 15, 1],
                [1, 9, 1],
                [6, 4, 60],
                [6, 5, 20],
                [6, 6, 3],
            ]);
            expect((fixed.spec.options as Record<string, unknown>).perConnectionBufferLimitBytes).to.equal(1024);
            expect(await run(fixed)).to.deep.equal([]);
            expect(crd(fixed)).to.deep.equal([]);
        });

        it("never rewrites an option that is set: a mistyped or wrong one is still reported after remediation", async () => {
            const mistyped = withOption(0, { level: 6 });
            const fixed = (await remediate(gatewaySocketOptionsKeepalive, mistyped))!;
            const messages = await run(fixed);
            expect(messages).to.have.length(1);
            expect(messages[0]).to.include("level 6 name 9 is not SO_KEEPALIVE");
            expect(await remediate(gatewaySocketOptionsKeepalive, withOption(0, { intValue: 0 }))).to.equal(undefined);
            expect(await remediate(gatewaySocketOptionsKeepalive, gateway())).to.equal(undefined);
        });
    });
});
