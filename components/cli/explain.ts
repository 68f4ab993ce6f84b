/**
 * `explain`: the text of every proxy's keepalive on stdout, and an SVG timeline per proxy in <out>/explain/.
 *   gloo-keepalive explain [--stack <env> | --values <file> ...] [--out <dir>] [--release <name>] [--namespace <ns>]
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { explainRender, explainText, timelineSvg } from "../explain";
import { renderValues } from "../render/render";
import { explainGlooChart, forGlooChart, GLOO_CHART_OPTIONS } from "./gloo-chart-input";
import { readRenderInput, RENDER_INPUT_OPTIONS } from "./input";

/** Write a file atomically: a temporary name in the same directory, then rename. */
export function writeAtomically(file: string, text: string): void {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    try {
        writeFileSync(tmp, text);
        renameSync(tmp, file);
    } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
    }
}

const EXPLAIN_OPTIONS = { ...RENDER_INPUT_OPTIONS, ...GLOO_CHART_OPTIONS, out: { type: "string" } } as const;

/** The `explain` command: the text on stdout, `<out>/explain/<proxy>.svg` per proxy. */
export function explainCommand(argv: string[]): number {
    const { values: args } = parseArgs({ args: argv, options: EXPLAIN_OPTIONS, strict: true, allowPositionals: false });
    if (forGlooChart(args)) return explainGlooChart(args);
    const input = readRenderInput(args);
    const out = args.out ?? path.join("out", input.stack ?? "render");
    const layerFiles = [...(input.stack !== undefined ? [`Pulumi.${input.stack}.yaml`] : []), ...(args.values ?? [])];
    const result = renderValues(input.layers, { releaseName: input.releaseName, namespace: input.namespace, layerFiles });
    const explanations = explainRender(result);
    const svgs = explanations.map((p) => [path.join(out, "explain", `${p.proxy.name}.svg`), timelineSvg(p)] as const);
    console.log(explainText(explanations));
    mkdirSync(path.join(out, "explain"), { recursive: true });
    for (const [file, svg] of svgs) writeAtomically(file, svg);
    console.log(`\nwrote ${svgs.map(([file]) => file).join(", ")}`);
    return 0;
}
