/**
 * The command line: dispatch to one file per command (render, explain, check). Installed as the
 * `gloo-keepalive` command (bin/gloo-keepalive.js); in a checkout, through npm scripts:
 *   npm run render -- [--stack <env> | --values <file> ...] [--out <dir>] [--release <name>] [--namespace <ns>]
 */
import { enableCompileCache } from "./compile-cache";
import { helpOrVersion } from "./help";

/** Loaded when first used, so that a command's modules are compiled with the code cache (cli/compile-cache.ts). */
const values = () => require("../values/values") as typeof import("../values/values");

const COMMANDS: Record<string, (argv: string[]) => number> = {
    render: (argv) => (require("./render") as typeof import("./render")).renderCommand(argv),
    explain: (argv) => (require("./explain") as typeof import("./explain")).explainCommand(argv),
    // The policy pack's rules over the rendered objects (cli/check.ts), loaded only for this command.
    check: (argv) => (require("./check") as typeof import("./check")).runCheck(argv),
};

/** One line for a failure that is not a values problem: the file it concerns when there is one, never a stack. */
export function failureLine(e: unknown): string {
    const { cutQuoted } = values();
    const err = e instanceof Error ? (e as NodeJS.ErrnoException) : undefined;
    const first = (err?.message ?? String(e)).split("\n")[0];
    if (err?.code && err.path)
        return cutQuoted(`${err.path}: ${err.code === "EACCES" || err.code === "EPERM" ? "permission denied" : first}`);
    if (err instanceof RangeError) return cutQuoted(`error: the input is too large or too deeply nested (${first})`);
    return cutQuoted(`error: ${first}`);
}

/** Run a command; every problem is printed as `<value path>: <what is wrong>` or `<file>: <what is wrong>`, exit status 1. */
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
        const { cutQuoted, formatIssue, ValuesError } = values();
        if (e instanceof ValuesError) {
            for (const issue of e.issues) console.error(formatIssue(issue));
            console.error(`${e.issues.length} error(s); nothing was written.`);
            return 1;
        }
        if (e instanceof TypeError && (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
            console.error(cutQuoted(e.message));
            return 2;
        }
        console.error(failureLine(e));
        console.error("nothing was written.");
        return 1;
    }
}

if (require.main === module) {
    process.on("uncaughtException", (e) => {
        console.error(failureLine(e));
        process.exit(1);
    });
    enableCompileCache();
    process.exitCode = main(process.argv.slice(2));
}
