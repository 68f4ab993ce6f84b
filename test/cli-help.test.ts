/** `--help` and `--version`: answered before any command runs, naming every option the commands parse. */
import { expect } from "chai";
import { readFileSync } from "fs";
import * as path from "path";
import { HELP } from "../components/cli/help";
import { RENDER_INPUT_OPTIONS } from "../components/cli/input";
import { runCli } from "./cli-harness";

const VERSION = (JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { version: string }).version;

describe("gloo-keepalive --help and --version", () => {
    it("names every command and every option the commands take", () => {
        for (const option of [...Object.keys(RENDER_INPUT_OPTIONS), "out", "policy-config"]) expect(HELP).to.contain(`--${option} <`);
        for (const command of ["render", "explain", "check"]) expect(HELP).to.match(new RegExp(`^  gloo-keepalive ${command} `, "m"));
    });

    for (const argv of [["--help"], ["-h"], ["help"], ["render", "--help"], ["check", "--values", "x.yaml", "-h"]]) {
        it(`${argv.join(" ")}: prints the help, exit 0, runs nothing`, () => {
            const run = runCli(argv);
            expect(run).to.deep.equal({ status: 0, stdout: HELP, stderr: "" });
        });
    }

    it("--version and -v: the package's version", () => {
        expect(runCli(["--version"])).to.deep.equal({ status: 0, stdout: VERSION, stderr: "" });
        expect(runCli(["-v"]).stdout).to.equal(VERSION);
    });

    it("no command, or an unknown one: usage on stderr, exit 2", () => {
        for (const argv of [[], ["deploy"]]) {
            const run = runCli(argv);
            expect(run.status).to.equal(2);
            expect(run.stderr).to.contain("gloo-keepalive --help");
        }
    });
});
