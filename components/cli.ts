/**
 * The command line: `render` (the main job). Run through npm scripts:
 *   npm run render -- [--stack <env> | --values <file> ...] [--out <dir>] [--release <name>] [--namespace <ns>]
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { parseArgs } from "util";
import { renderValues, type RenderResult } from "./render";
import { keepaliveTable } from "./report";
import { parseYamlFile, readStackConfig } from "./stack-config";
import { formatIssue, ValuesError } from "./values";

/** Where the values come from, and the release inputs, as given on the command line. */
export interface RenderInput {
    layers: unknown[];
    releaseName?: string;
    namespace?: string;
    /** The stack name when the values come from a stack file. */
    stack?: string;
}

/** The options every command that renders an environment takes (render, explain, check). */
export const RENDER_INPUT_OPTIONS = {
    values: { type: "string", multiple: true },
    stack: { type: "string" },
    release: { type: "string" },
    namespace: { type: "string" },
} as const;

const RENDER_OPTIONS = { ...RENDER_INPUT_OPTIONS, out: { type: "string" } } as const;

/** Read the values named on the command line (`--stack dev` when neither --stack nor --values is given). */
export function readRenderInput(args: { values?: string[]; stack?: string; release?: string; namespace?: string }): RenderInput {
    const layers: unknown[] = [];
    let { namespace, release: releaseName } = args;
    const stack = args.stack ?? (args.values?.length ? undefined : "dev");
    if (stack !== undefined) {
        const config = readStackConfig(stack);
        layers.push(config.values);
        namespace ??= config.namespace;
        releaseName ??= config.releaseName;
    }
    for (const file of args.values ?? []) layers.push(parseYamlFile(file));
    return { layers, releaseName, namespace, stack };
}

const dump = (value: unknown) => yaml.dump(value, { noRefs: true, lineWidth: -1, sortKeys: false });

/** The entries `render` writes in --out. */
const RENDER_OUTPUTS = ["values.yaml", "envoy", "manifests.yaml"];

/** Write every output into a fresh directory, then swap it in place of `out`: all or nothing. */
export function writeRenderOutput(result: RenderResult, out: string): void {
    const parent = path.dirname(path.resolve(out));
    mkdirSync(parent, { recursive: true });
    const staging = mkdtempSync(path.join(parent, `.${path.basename(out)}.staging-`));
    try {
        writeFileSync(path.join(staging, "values.yaml"), dump(result.values));
        mkdirSync(path.join(staging, "envoy"));
        for (const proxy of result.proxies) writeFileSync(path.join(staging, "envoy", `${proxy.name}.yaml`), dump(proxy.bootstrap));
        writeFileSync(path.join(staging, "manifests.yaml"), result.objects.map((o) => `---\n${dump(o)}`).join(""));
        if (existsSync(out)) {
            // Keep what other commands wrote there (e.g. explain/); render's own outputs are replaced whole.
            const kept = readdirSync(out).filter((entry) => !RENDER_OUTPUTS.includes(entry));
            const old = `${staging}.old`;
            renameSync(out, old);
            try {
                for (const entry of kept) renameSync(path.join(old, entry), path.join(staging, entry));
                renameSync(staging, out);
            } catch (e) {
                for (const entry of kept) if (existsSync(path.join(staging, entry))) renameSync(path.join(staging, entry), path.join(old, entry));
                renameSync(old, out);
                throw e;
            }
            rmSync(old, { recursive: true, force: true });
        } else {
            renameSync(staging, out);
        }
    } catch (e) {
        rmSync(staging, { recursive: true, force: true });
        throw e;
    }
}

function render(argv: string[]): number {
    const { values: args } = parseArgs({ args: argv, options: RENDER_OPTIONS, strict: true, allowPositionals: false });
    const input = readRenderInput(args);
    const out = args.out ?? path.join("out", input.stack ?? "render");
    const result = renderValues(input.layers, { releaseName: input.releaseName, namespace: input.namespace });
    writeRenderOutput(result, out);
    for (const proxy of result.proxies) console.log(`${keepaliveTable(proxy)}\n`);
    for (const warning of result.warnings) console.error(`warning: ${warning}`);
    console.log(`wrote ${out}/values.yaml, ${out}/manifests.yaml (${result.objects.length} objects) and ${result.proxies.length} bootstrap(s) in ${out}/envoy/`);
    return 0;
}

const COMMANDS: Record<string, (argv: string[]) => number> = {
    render,
    explain: (argv) => (require("./explain") as typeof import("./explain")).explainCommand(argv),
    // The policy pack's rules over the rendered objects (policy/check.ts), loaded only for this command.
    check: (argv) => (require("../policy/check") as typeof import("../policy/check")).runCheck(argv),
};

/** Run a command; every input problem is printed as `<value path>: <what is wrong>`, exit status 1. */
export function main(argv: string[]): number {
    const [command, ...rest] = argv;
    const run = COMMANDS[command ?? ""];
    if (!run) {
        console.error(`usage: cli.ts <${Object.keys(COMMANDS).join("|")}> [options]`);
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
