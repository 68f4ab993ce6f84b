/**
 * Hostile and invalid values files (test/fixtures/hostile/, written by scripts/hostile-fixtures.ts,
 * and test/fixtures/invalid/): each is refused with exit status 1, the exact value path (or
 * file:line:col) at the start of a line, no stack trace, nothing on stdout and --out untouched; and
 * `helm template` on Helm 3 and Helm 4 refuses it too, naming the same value path, except the
 * few marked `# library-only:` (the reason is in the file; the README lists them).
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { parse } from "yaml";
import { helmBinaries } from "../scripts/helm";
import { CHART } from "./chart-harness";
import { chartValuePaths, helmTemplateAll, samePath, VALUE_PATH, type AsyncHelmRun } from "./chart-errors";
import { runCli } from "./cli-harness";

const DIRS = ["hostile", "invalid"].map((d) => path.join(__dirname, "fixtures", d));

interface Case {
    file: string;
    expect: string;
    more: string[];
    libraryOnly: boolean;
    data: unknown;
}

function loadCase(file: string): Case {
    const text = readFileSync(file, "latin1");
    const lines = text
        .split("\n")
        .filter((l) => l.startsWith("# expect: "))
        .map((l) => l.slice("# expect: ".length));
    let data: unknown;
    try {
        data = parse(text, { uniqueKeys: false, maxAliasCount: -1 });
    } catch {
        data = undefined;
    }
    return { file, expect: lines[0] ?? "", more: lines.slice(1), libraryOnly: /^# library-only:/m.test(text), data };
}

const cases = DIRS.flatMap((dir) =>
    readdirSync(dir)
        .filter((f) => f.endsWith(".yaml"))
        .sort()
        .map((f) => loadCase(path.join(dir, f))),
);
const hostile = cases.filter((c) => c.file.includes(`${path.sep}hostile${path.sep}`));
/** The value path of an expectation (`<file>:l:c: a.b: ...` → `a.b`), or undefined when it names only the file. */
function valuePath(c: Case): string | undefined {
    const rest = c.expect.replace(/^<file>(:\d+:\d+)?(: )?/, "");
    return VALUE_PATH.exec(rest)?.[0];
}

/** Whether helm's refusal names the path (or, for a file-level expectation, the file) the library names. */
function refusedAtSamePath(c: Case, run: AsyncHelmRun): boolean {
    const want = valuePath(c);
    const fileNamed = (want === undefined || c.expect.startsWith("<file>:")) && run.stderr.includes(c.file);
    return fileNamed || (want !== undefined && chartValuePaths(run.stderr, c.data).some((got) => samePath(want, got)));
}

function snapshot(out: string): string {
    const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    return JSON.stringify(
        files
            .map((e) => path.join(e.parentPath, e.name))
            .sort()
            .map((f) => [f, readFileSync(f, "latin1")]),
    );
}

describe("hostile values", function () {
    this.timeout(1_200_000); // about 400 helm runs per Helm version (500 s for Helm 4 on a loaded machine)

    it("has at least 300 hostile files, each with an expectation", () => {
        expect(hostile.length).to.be.at.least(300);
        for (const c of hostile) expect(c.expect, c.file).to.not.equal("");
    });

    it("refuses every one: exit 1, the exact path or file first on a line, no stack trace, --out untouched", () => {
        const out = mkdtempSync(path.join(tmpdir(), "gk-hostile-"));
        mkdirSync(path.join(out, "envoy"));
        writeFileSync(path.join(out, "manifests.yaml"), "# previous render\n");
        writeFileSync(path.join(out, "notes.txt"), "mine");
        const before = snapshot(out);
        const failures: string[] = [];
        for (const c of cases) {
            const run = runCli(["render", "--values", c.file, "--out", out]);
            const head = c.expect.replace("<file>", c.file);
            const lines = run.stderr.split("\n");
            const problems = [
                run.status !== 1 && `exit status ${run.status}`,
                !lines.some((l) => l.startsWith(head) || l.replace(/^\S+:\d+:\d+: /, "").startsWith(head)) && `no line starts with ${head}`,
                /\n\s+at |Error: .*\n\s+at /.test(run.stderr) && "a stack trace",
                lines.some((l) => l.length > 1200) && "a line longer than 1200 characters",
                run.stdout !== "" && "output on stdout",
                ...c.more
                    .map((m) => m.replace("<file>", c.file))
                    .filter((m) => !run.stderr.includes(m))
                    .map((m) => `no ${m}`),
            ].filter(Boolean);
            if (problems.length > 0) failures.push(`${path.basename(c.file)}: ${problems.join(", ")}\n${run.stderr.slice(0, 600)}`);
        }
        expect(failures, failures.join("\n")).to.deep.equal([]);
        expect(snapshot(out)).to.equal(before);
    });

    for (const bin of helmBinaries()) {
        it(`is refused by the chart on Helm ${bin.version}, at the same value path, except the library-only few`, async () => {
            const chartCases = cases.filter((c) => !c.libraryOnly);
            const runs: AsyncHelmRun[] = await helmTemplateAll(
                bin,
                CHART,
                chartCases.map((c) => c.file),
            );
            const failures: string[] = [];
            const scratchOut = path.join(mkdtempSync(path.join(tmpdir(), "gk-hostile-")), "out");
            let worded = 0;
            chartCases.forEach((c, i) => {
                const run = runs[i];
                // A refusal of the chart's own templates is worded as the library words it.
                const fail = /execution error at \([^)]*\): ([^]*?)\n\nUse --debug/.exec(run.stderr)?.[1];
                const library = runCli(["render", "--values", c.file, "--out", scratchOut])
                    .stderr.split("\n")
                    .map((l) => l.replace(/^\S+:\d+:\d+: /, ""));
                if (fail !== undefined) worded++;
                if (fail !== undefined && !library.includes(fail))
                    failures.push(`${path.basename(c.file)}: the chart says ${fail}\nthe library:\n${library.join("\n")}`);
                if (run.status === 0) failures.push(`${path.basename(c.file)}: helm accepted it`);
                else if (!refusedAtSamePath(c, run))
                    failures.push(`${path.basename(c.file)}: helm does not name ${valuePath(c) ?? c.file}:\n${run.stderr.slice(0, 500)}`);
            });
            expect(failures, failures.join("\n")).to.deep.equal([]);
            expect(worded, "refusals by the chart's templates, compared word for word").to.be.at.least(40);
            expect(cases.filter((c) => c.libraryOnly && c.file.includes("hostile")).length).to.be.at.most(12);
        });

        it(`marks library-only only what the chart on Helm ${bin.version} does not refuse at the same path`, async () => {
            const libraryOnly = cases.filter((c) => c.libraryOnly);
            const runs = await helmTemplateAll(
                bin,
                CHART,
                libraryOnly.map((c) => c.file),
            );
            const stale = libraryOnly
                .filter((c, i) => runs[i].status !== 0 && refusedAtSamePath(c, runs[i]))
                .map((c) => path.basename(c.file));
            expect(stale, "refused by the chart at the same path: drop their # library-only: line").to.deep.equal([]);
            // The 12 differences in how Helm reads YAML (README); the chart's schema says everything else.
            expect(libraryOnly.length, "library-only fixtures (hostile and invalid)").to.be.at.most(12);
        });
    }
});
