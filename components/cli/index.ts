/**
 * The command line: dispatch to one file per command (render, explain, check). Installed as the
 * `gloo-keepalive` command (bin/gloo-keepalive.js); in a checkout, through npm scripts:
 *   npm run render -- [--stack <env> | --values <file> ...] [--out <dir>] [--release <name>] [--namespace <ns>]
 */
import { formatIssue, ValuesError } from "../values/values";
import { helpOrVersion } from "./help";
import { renderCommand } from "./render";

const COMMANDS: Record<string, (argv: string[]) => number> = {
    render: renderCommand,
    explain: (argv) => (require("./explain") as typeof import("./explain")).explainCommand(argv),
    // The policy pack's rules over the rendered objects (cli/check.ts), loaded only for this command.
    check: (argv) => (require("./check") as typeof import("./check")).runCheck(argv),
};

/** Run a command; every input problem is printed as `<value path>: <what is wrong>`, exit status 1. */
export function main(argv: string[]): number {
    const answered = helpOrVersion(argv);
    if (answered !== undefined) return answered;
    const [command, ...rest] = argv;
    const run = COMMANDS[command ?? ""];
    if (!run) {
        console.error(`usage: gloo-keepalive <${Object.keys(COMMANDS).join("|")}> [options] (gloo-keepalive --help: every option)`);
        return 2;
    }
    try {
        return run(rest);
    } catch (e) {
        if (e instanceof ValuesError) {
            for (const issue of e.issues) console.error(formatIssue(issue));
            console.error(`${e.issues.length} error(s); nothing was written.`);
            return 1;
        }
        if (e instanceof TypeError && (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
            console.error(e.message);
            return 2;
        }
        throw e;
    }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
