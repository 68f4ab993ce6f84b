import { expect } from "chai";
import {
    detectionSeconds,
    keepaliveFieldProblem,
    toEnvoyTcpKeepalive,
    toGlooTcpKeepalive,
    toPodSysctls,
    toSocketOptions,
} from "../components/keepalive";

describe("TcpKeepalive", () => {
    it("computes worst-case detection with the Linux defaults for unset fields", () => {
        expect(detectionSeconds({})).to.equal(7200 + 75 * 9);
        expect(detectionSeconds({ timeSeconds: 60 })).to.equal(60 + 75 * 9);
        expect(detectionSeconds({ timeSeconds: 60, intervalSeconds: 20, probes: 2 })).to.equal(100);
        expect(detectionSeconds({ probes: 1 }, { timeSeconds: 10, intervalSeconds: 2, probes: 5 })).to.equal(12);
    });

    it("renders only the set fields to Envoy, Gloo, socket options and sysctls", () => {
        const k = { timeSeconds: 60, probes: 2 };
        expect(toEnvoyTcpKeepalive(k)).to.deep.equal({ keepalive_time: 60, keepalive_probes: 2 });
        expect(toGlooTcpKeepalive(k)).to.deep.equal({ keepaliveTime: "60s", keepaliveProbes: 2 });
        expect(toSocketOptions(k).map((o) => [o.level, o.name, o.intValue])).to.deep.equal([
            [1, 9, 1],
            [6, 4, 60],
            [6, 6, 2],
        ]);
        expect(toPodSysctls(k)).to.deep.equal([
            { name: "net.ipv4.tcp_keepalive_time", value: "60" },
            { name: "net.ipv4.tcp_keepalive_probes", value: "2" },
        ]);
        expect(toSocketOptions({})).to.have.length(1);
    });

    it("refuses zero, fractions, strings and values beyond the kernel's bounds", () => {
        expect(keepaliveFieldProblem("timeSeconds", 60)).to.equal(undefined);
        expect(keepaliveFieldProblem("probes", 127)).to.equal(undefined);
        expect(keepaliveFieldProblem("probes", 128)).to.equal("128 exceeds the kernel maximum 127");
        expect(keepaliveFieldProblem("intervalSeconds", 32768)).to.equal("32768 exceeds the kernel maximum 32767");
        expect(keepaliveFieldProblem("timeSeconds", 0)).to.equal("0 is below the kernel minimum 1");
        expect(keepaliveFieldProblem("timeSeconds", 1.5)).to.match(/not a whole number/);
        expect(keepaliveFieldProblem("timeSeconds", "500ms")).to.match(/"500ms" is not a whole number/);
    });
});
