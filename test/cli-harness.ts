/** Runs the command line in-process (same code path as `npm run render`), capturing what it prints. */
import { main } from "../components/cli";

export interface CliRun {
    status: number;
    stdout: string;
    stderr: string;
}

export function runCli(argv: string[]): CliRun {
    const out: string[] = [];
    const err: string[] = [];
    const { log, error } = console;
    console.log = (...args: unknown[]) => void out.push(args.join(" "));
    console.error = (...args: unknown[]) => void err.push(args.join(" "));
    try {
        const status = main(argv);
        return { status, stdout: out.join("\n"), stderr: err.join("\n") };
    } finally {
        console.log = log;
        console.error = error;
    }
}
