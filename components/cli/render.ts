/**
 * `render` (the main job): the values files, every proxy's Envoy bootstrap and the manifests, written in --out.
 *   gloo-keepalive render [--stack <env> | --values <file> ...] [--out <dir>] [--release <name>] [--namespace <ns>]
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { parseArgs } from "util";
import { renderValues, type RenderResult } from "../render/render";
import { keepaliveTable } from "../render/report";
import { readRenderInput, RENDER_INPUT_OPTIONS } from "./input";

const RENDER_OPTIONS = { ...RENDER_INPUT_OPTIONS, out: { type: "string" } } as const;

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
                for (const entry of kept)
                    if (existsSync(path.join(staging, entry))) renameSync(path.join(staging, entry), path.join(old, entry));
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

export function renderCommand(argv: string[]): number {
    const { values: args } = parseArgs({ args: argv, options: RENDER_OPTIONS, strict: true, allowPositionals: false });
    const input = readRenderInput(args);
    const out = args.out ?? path.join("out", input.stack ?? "render");
    const result = renderValues(input.layers, { releaseName: input.releaseName, namespace: input.namespace });
    writeRenderOutput(result, out);
    for (const proxy of result.proxies) console.log(`${keepaliveTable(proxy)}\n`);
    for (const warning of result.warnings) console.error(`warning: ${warning}`);
    if (result.notRendered.length > 0) console.error(`note: accepted, not rendered here: ${result.notRendered.join(", ")}`);
    console.log(
        `wrote ${out}/values.yaml, ${out}/manifests.yaml (${result.objects.length} objects) and ${result.proxies.length} bootstrap(s) in ${out}/envoy/`,
    );
    return 0;
}
