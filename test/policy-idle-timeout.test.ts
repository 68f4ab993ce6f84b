/** Each proxy is checked against its own load balancer (loadBalancerIdleTimeoutSeconds), not only the pack's default. */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import { tmpdir } from "os";
import * as path from "path";
import { LB_IDLE_TIMEOUT_ANNOTATION } from "../components/render/middlebox";
import { renderValues } from "../components/render/render";
import { runCli } from "./cli-harness";

const proxy = (idle: number, time: number) => ({
    gatewayProxies: {
        gatewayProxy: {
            loadBalancerIdleTimeoutSeconds: idle,
            gatewaySettings: { tcpKeepalive: { timeSeconds: time, intervalSeconds: 10, probes: 3 } },
        },
    },
});
function check(values: unknown) {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "gk-idle-")), "values.yaml");
    writeFileSync(file, yaml.dump(values));
    return runCli(["check", "--values", file]);
}

describe("policy: the load balancer idle timeout of each proxy", () => {
    it("is rendered on the proxy's ConfigMap and Gateways", () => {
        const objects = renderValues([proxy(240, 200)]).objects.filter((o) => o.kind === "ConfigMap" || o.kind === "Gateway");
        expect(objects).to.have.length(3);
        for (const o of objects) expect(o.metadata.annotations?.[LB_IDLE_TIMEOUT_ANNOTATION]).to.equal("240");
        expect(renderValues([{}]).objects.some((o) => o.metadata.annotations?.[LB_IDLE_TIMEOUT_ANNOTATION] !== undefined)).to.equal(false);
    });

    it("fails a proxy behind an Azure balancer (240 s) with keepalive 300 s, though the pack's default is 350 s", () => {
        const run = check(proxy(240, 300));
        expect(run.status, run.stdout + run.stderr).to.equal(1);
        expect(run.stderr).to.include("keepalive-below-idle-timeout");
        expect(run.stderr).to.include("load balancer idle timeout 240s");
    });

    it("passes a proxy behind GCP (600 s) with keepalive 400 s, which the 350 s default would refuse", () => {
        const run = check(proxy(600, 400));
        expect(run.stderr).to.not.include("keepalive-below-idle-timeout");
        expect(run.status, run.stdout + run.stderr).to.equal(0);
    });
});
