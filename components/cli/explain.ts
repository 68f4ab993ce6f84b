/**
 * `explain`: the text of every proxy's keepalive on stdout, and an SVG timeline per proxy in <out>/explain/.
 *   gloo-keepalive explain [--stack <env> | --values <file> ...] [--out <dir>] [--release <name>] [--namespace <ns>]
 */
import * as path from "path";
import { parseArgs } from "util";
import { explainRender, explainText, timelineSvg } from "../explain";
import { renderValues } from "../render/render";
import { explainGlooChart, forGlooChart, GLOO_CHART_OPTIONS } from "./gloo-chart-input";
import { readRenderInput, RENDER_INPUT_OPTIONS } from "./input";
import { writeOutFolder } from "./out-dir";

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
    const svgs = new Map(explanations.map((p) => [`explain/${p.proxy.name}.svg`, timelineSvg(p)]));
    console.log(explainText(explanations));
    writeOutFolder(out, svgs);
    console.log(`\nwrote ${[...svgs.keys()].map((file) => path.join(out, file)).join(", ")}`);
    return 0;
}
