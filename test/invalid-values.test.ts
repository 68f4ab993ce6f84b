/**
 * The corpus of invalid values: every file under fixtures/invalid/ must fail the render with
 * exit status 1, print each `# expect:` line (the first one at the start of a line, so the value
 * path is exact), and leave --out untouched.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { runCli } from "./cli-harness";

const dir = path.join(__dirname, "fixtures", "invalid");
const fixtures = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();

function expectations(file: string): string[] {
    return readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.startsWith("# expect: "))
        .map((l) => l.slice("# expect: ".length));
}

function snapshot(out: string): Record<string, string> {
    return Object.fromEntries(
        readdirSync(out, { recursive: true, withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => [path.relative(out, path.join(e.parentPath, e.name)), readFileSync(path.join(e.parentPath, e.name), "utf8")]),
    );
}

describe("invalid values corpus", () => {
    it("has at least 40 cases, each with an expectation", () => {
        expect(fixtures.length).to.be.at.least(40);
        for (const f of fixtures) expect(expectations(path.join(dir, f)), f).to.not.be.empty;
    });

    for (const fixture of fixtures) {
        it(`refuses ${fixture}`, () => {
            const file = path.join(dir, fixture);
            const out = mkdtempSync(path.join(tmpdir(), "gk-out-"));
            mkdirSync(path.join(out, "envoy"));
            writeFileSync(path.join(out, "manifests.yaml"), "# previous render\n");
            const before = snapshot(out);
            const run = runCli(["render", "--values", file, "--out", out]);
            expect(run.status, run.stderr).to.equal(1);
            const lines = run.stderr.split("\n");
            const [first, ...rest] = expectations(file).map((e) => e.replace("<file>", file));
            const head = first.includes(": ") ? first : `${first}:`;
            expect(
                lines.some((l) => l.startsWith(head)),
                `no line starts with ${JSON.stringify(head)} in:\n${run.stderr}`,
            ).to.equal(true);
            for (const fragment of rest) expect(run.stderr).to.include(fragment);
            expect(run.stdout).to.equal("");
            expect(snapshot(out)).to.deep.equal(before);
            expect(readdirSync(path.dirname(out)).filter((f) => f.startsWith(`.${path.basename(out)}.staging-`))).to.deep.equal([]);
        });
    }
});
