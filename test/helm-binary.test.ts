import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { extractionTimes, HelmBinary, helmBinaries, helmBinary, HelmMajor, packageRoot, runHelm } from "../scripts/helm";

/** Versions the pinned dev dependencies ship; a helm taken from PATH only has to match the major. */
const PACKAGED_MINOR: Record<HelmMajor, RegExp> = { 3: /^3\.17\.\d+$/, 4: /^4\.1\.\d+$/ };

function fromPackage(bin: HelmBinary): boolean {
    return bin.path.startsWith(path.join(packageRoot(), ".cache", "helm") + path.sep);
}

function writeChart(dir: string, files: Record<string, string>): string {
    for (const [rel, text] of Object.entries(files)) {
        const file = path.join(dir, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
    }
    return dir;
}

const CHART_YAML = [
    "apiVersion: v2",
    "name: tiny",
    "description: A tiny chart for helm binary tests",
    "type: application",
    "version: 0.1.0",
    'appVersion: "1.0.0"',
    "",
].join("\n");
const VALUES_YAML = ["greeting: hello-from-values-yaml", "replicas: 2", ""].join("\n");
const CONFIGMAP = [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: {{ .Release.Name }}-tiny",
    "data:",
    "  greeting: {{ .Values.greeting | quote }}",
    "  replicas: {{ .Values.replicas | quote }}",
    "",
].join("\n");
const SCHEMA = JSON.stringify({
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    properties: { greeting: { type: "string" }, replicas: { type: "integer" } },
});

function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", path.join(packageRoot(), "scripts", "helm.ts"), ...args],
        {
            cwd: packageRoot(),
            env,
            encoding: "utf8",
        },
    );
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("helm binaries (scripts/helm.ts)", function () {
    this.timeout(180_000); // a first extraction on a slow machine; normally well under 5 s
    let tmp: string;
    let chart: string;
    let schemaChart: string;

    before(function () {
        const started = Date.now();
        const bins = helmBinaries();
        const ms = Date.now() - started;
        for (const bin of bins) {
            const t = extractionTimes[bin.major];
            const how = t !== undefined ? `extracted in ${t.toFixed(2)} s` : fromPackage(bin) ? "cached" : "from PATH";
            console.log(`      helm ${bin.version} (${how}): ${bin.path}`);
        }
        console.log(`      resolving both helm binaries took ${ms} ms`);

        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gloo-keepalive-helm-"));
        chart = writeChart(path.join(tmp, "tiny"), {
            "Chart.yaml": CHART_YAML,
            "values.yaml": VALUES_YAML,
            "templates/configmap.yaml": CONFIGMAP,
        });
        schemaChart = writeChart(path.join(tmp, "tiny-schema"), {
            "Chart.yaml": CHART_YAML,
            "values.yaml": VALUES_YAML,
            "values.schema.json": SCHEMA,
            "templates/configmap.yaml": CONFIGMAP,
        });
    });

    after(function () {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("resolves one binary per major, 3 then 4", function () {
        const bins = helmBinaries();
        expect(bins.map((b) => b.major)).to.deep.equal([3, 4]);
        for (const bin of bins) {
            expect(fs.statSync(bin.path).isFile(), bin.path).to.equal(true);
            expect(fs.statSync(bin.path).mode & 0o111, `${bin.path} executable`).to.not.equal(0);
            expect(helmBinary(bin.major)).to.deep.equal(bin);
        }
    });

    it("caches extracted binaries under .cache/helm/<version>/helm", function () {
        for (const bin of helmBinaries().filter(fromPackage)) {
            expect(bin.path).to.equal(path.join(packageRoot(), ".cache", "helm", bin.version, "helm"));
            expect(fs.statSync(bin.path).mode & 0o777).to.equal(0o755);
        }
    });

    it("rejects an unknown major", function () {
        expect(() => helmBinary(5 as HelmMajor)).to.throw(/unsupported Helm major 5/);
    });

    for (const major of [3, 4] as const) {
        describe(`Helm ${major}`, function () {
            let bin: HelmBinary;
            before(function () {
                bin = helmBinary(major);
            });

            it(`helm version --short reports ${major}.x (${PACKAGED_MINOR[major].source} when packaged)`, function () {
                const r = runHelm(bin, ["version", "--short"]);
                expect(r.status, r.stderr).to.equal(0);
                const m = /^v(\d+\.\d+\.\d+)(\+g[0-9a-f]+)?$/.exec(r.stdout.trim());
                expect(m, r.stdout).to.not.equal(null);
                expect(m![1]).to.equal(bin.version);
                expect(bin.major).to.equal(major);
                expect(bin.version.split(".")[0]).to.equal(String(major));
                if (fromPackage(bin)) expect(bin.version).to.match(PACKAGED_MINOR[major]);
            });

            it("keeps helm's cache/config/data homes under .cache/helm-home", function () {
                const r = runHelm(bin, ["env"]);
                expect(r.status, r.stderr).to.equal(0);
                const home = path.join(packageRoot(), ".cache", "helm-home");
                for (const key of ["HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"]) {
                    const line = r.stdout.split("\n").find((l) => l.startsWith(`${key}=`));
                    expect(line, key).to.be.a("string");
                    const value = line!.slice(key.length + 1).replace(/^"|"$/g, "");
                    expect(value.startsWith(home + path.sep), `${key}=${value}`).to.equal(true);
                }
            });

            it("renders the tiny chart with values.yaml and --set values", function () {
                const plain = runHelm(bin, ["template", "rel", chart]);
                expect(plain.status, plain.stderr).to.equal(0);
                expect(plain.stdout).to.contain("kind: ConfigMap");
                expect(plain.stdout).to.contain("name: rel-tiny");
                expect(plain.stdout).to.contain('greeting: "hello-from-values-yaml"');

                const set = runHelm(bin, ["template", "rel", ".", "--set", "greeting=set-on-the-command-line"], { cwd: chart });
                expect(set.status, set.stderr).to.equal(0);
                expect(set.stdout).to.contain('greeting: "set-on-the-command-line"');
                expect(set.stdout).to.not.contain("hello-from-values-yaml");
            });

            it("reads values from stdin (-f -)", function () {
                const r = runHelm(bin, ["template", "rel", chart, "-f", "-"], { input: "greeting: from-stdin\n" });
                expect(r.status, r.stderr).to.equal(0);
                expect(r.stdout).to.contain('greeting: "from-stdin"');
            });

            it("passes helm lint --strict", function () {
                for (const dir of [chart, schemaChart]) {
                    const r = runHelm(bin, ["lint", "--strict", dir]);
                    expect(r.status, r.stdout + r.stderr).to.equal(0);
                    expect(r.stdout).to.match(/1 chart\(s\) linted, 0 chart\(s\) failed/);
                }
            });

            it("accepts values matching values.schema.json", function () {
                const r = runHelm(bin, ["template", "rel", schemaChart, "--set", "replicas=3"]);
                expect(r.status, r.stderr).to.equal(0);
                expect(r.stdout).to.contain('replicas: "3"');
            });

            it("fails helm template (non-zero, no throw) on a value of the wrong type", function () {
                const r = runHelm(bin, ["template", "rel", schemaChart, "--set", "replicas=not-a-number"]);
                expect(r.status).to.not.equal(0);
                expect(r.stderr).to.contain("values don't meet the specifications of the schema");
                expect(r.stderr).to.contain("replicas");
                expect(r.stdout).to.not.contain("kind: ConfigMap");

                const lint = runHelm(bin, ["lint", "--strict", schemaChart, "--set", "replicas=not-a-number"]);
                expect(lint.status).to.not.equal(0);
            });

            it("returns outputs far above spawnSync's default 1 MiB maxBuffer", function () {
                const big = writeChart(path.join(tmp, `big-${major}`), {
                    "Chart.yaml": CHART_YAML,
                    "templates/big.yaml": [
                        "{{- range $i := until 1200 }}",
                        "---",
                        "apiVersion: v1",
                        "kind: ConfigMap",
                        "metadata:",
                        "  name: big-{{ $i }}",
                        "data:",
                        '  filler: {{ repeat 2000 "x" | quote }}',
                        "{{- end }}",
                        "",
                    ].join("\n"),
                });
                const r = runHelm(bin, ["template", "rel", big]);
                expect(r.status, r.stderr.slice(0, 2000)).to.equal(0);
                expect(r.stdout.length).to.be.greaterThan(2 * 1024 * 1024);
                expect(r.stdout).to.contain("name: big-1199");
            });
        });
    }

    describe("CLI", function () {
        it("--print lists both majors with version and path", function () {
            const r = runCli(["--print"]);
            expect(r.status, r.stderr).to.equal(0);
            const lines = r.stdout
                .trim()
                .split("\n")
                .map((l) => l.split("\t"));
            expect(lines.map((l) => l[0])).to.deep.equal(["3", "4"]);
            for (const [major, version, file] of lines) {
                expect(helmBinary(Number(major) as HelmMajor)).to.deep.equal({ major: Number(major), version, path: file });
            }
        });

        it("runs helm 3 with the args after -- and passes its exit status through", function () {
            const ok = runCli(["3", "--", "version", "--short"]);
            expect(ok.status, ok.stderr).to.equal(0);
            expect(ok.stdout.trim()).to.match(new RegExp(`^v${helmBinary(3).version.replace(/\./g, "\\.")}\\b`));

            const bad = runCli(["--", "no-such-helm-command"]);
            expect(bad.status).to.equal(1);
            expect(bad.stderr).to.contain('unknown command "no-such-helm-command"');
        });

        it("prefers a helm on PATH whose major matches", function () {
            const bin = path.join(tmp, "fake-bin");
            fs.mkdirSync(bin, { recursive: true });
            fs.writeFileSync(path.join(bin, "helm"), "#!/bin/sh\necho 'v4.0.99+g0123abc'\n", { mode: 0o755 });
            const r = runCli(["--print"], { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` });
            expect(r.status, r.stderr).to.equal(0);
            const lines = r.stdout
                .trim()
                .split("\n")
                .map((l) => l.split("\t"));
            expect(lines[1]).to.deep.equal(["4", "4.0.99", path.join(bin, "helm")]);
            // Helm 3 is not on that PATH, so it still comes from the dev dependency (or the real PATH).
            expect(lines[0].slice(0, 2)).to.deep.equal(["3", helmBinary(3).version]);
        });
    });
});
