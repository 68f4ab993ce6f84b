/**
 * The chart as users install it: `helm package` of charts/gateway-proxy, with each helm major.
 * The package lints clean (strict, not even an INFO), carries the metadata a chart repository
 * shows (appVersion: the Gloo release it follows, kubeVersion, home, sources), refuses a
 * Kubernetes older than its kubeVersion, and renders exactly what the chart directory renders.
 */
import { expect } from "chai";
import { mkdtempSync, readdirSync, rmSync } from "fs";
import * as yaml from "js-yaml";
import { tmpdir } from "os";
import * as path from "path";
import { helmBinaries, runHelm } from "../scripts/helm";
import { CHART } from "./chart-harness";

describe("the packaged chart (helm package)", function () {
    this.timeout(120_000);
    for (const bin of helmBinaries()) {
        describe(`helm ${bin.major}`, () => {
            let dir: string;
            let tarball: string;
            before(() => {
                dir = mkdtempSync(path.join(tmpdir(), "gloo-keepalive-chart-"));
                const packaged = runHelm(bin, ["package", CHART, "-d", dir]);
                expect(packaged.status, packaged.stderr).to.equal(0);
                const files = readdirSync(dir);
                expect(files).to.deep.equal(["gateway-proxy-0.1.0.tgz"]);
                tarball = path.join(dir, files[0]);
            });
            after(() => rmSync(dir, { recursive: true, force: true }));

            it("lints clean in strict mode: no error, warning or info", () => {
                const lint = runHelm(bin, ["lint", "--strict", tarball]);
                expect(lint.status, lint.stdout + lint.stderr).to.equal(0);
                expect(lint.stdout.split("\n").filter((l) => /^\[(INFO|WARNING|ERROR)\]/.test(l))).to.deep.equal([]);
            });

            it("carries appVersion (the Gloo release), kubeVersion, home and sources", () => {
                const chart = yaml.load(runHelm(bin, ["show", "chart", tarball]).stdout) as Record<string, unknown>;
                expect(chart.appVersion).to.equal("1.22.1");
                expect(chart.kubeVersion).to.equal(">=1.29.0-0");
                expect(chart.home).to.match(/^https:\/\//);
                expect(chart.sources).to.be.an("array").that.is.not.empty;
            });

            it("renders what the chart directory renders, and refuses a Kubernetes older than its kubeVersion", () => {
                const args = ["template", "gateway-proxy", "-n", "gloo-system", "--kube-version", "1.31.0"];
                const fromPackage = runHelm(bin, [...args.slice(0, 2), tarball, ...args.slice(2)]);
                const fromDirectory = runHelm(bin, [...args.slice(0, 2), CHART, ...args.slice(2)]);
                expect(fromPackage.status, fromPackage.stderr).to.equal(0);
                expect(fromPackage.stdout).to.contain("kind: ConfigMap");
                expect(fromPackage.stdout).to.equal(fromDirectory.stdout);
                const old = runHelm(bin, ["template", "gateway-proxy", tarball, "--kube-version", "1.28.0"]);
                expect(old.status).to.not.equal(0);
                expect(old.stderr).to.contain("kubeVersion");
            });
        });
    }
});
