import { expect } from "chai";
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { packageRoot } from "../components/package-root";

describe("components/generated/envoy-api.binpb", () => {
    it("is what scripts/build-envoy-descriptors.ts builds from the vendored Envoy protos (npm run build:protos)", function () {
        this.timeout(60_000);
        const out = mkdtempSync(path.join(tmpdir(), "gk-protos-"));
        const run = spawnSync(
            process.execPath,
            [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(packageRoot(), "scripts", "build-envoy-descriptors.ts")],
            {
                env: { ...process.env, ENVOY_DESCRIPTORS_OUT_DIR: out },
                encoding: "utf8",
            },
        );
        expect(run.status, run.stderr).to.equal(0);
        const committed = readFileSync(path.join(packageRoot(), "components", "generated", "envoy-api.binpb"));
        expect(readFileSync(path.join(out, "envoy-api.binpb")).equals(committed), "stale: run npm run build:protos").to.equal(true);
    });
});
