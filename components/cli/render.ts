/**
 * `render` (the main job): the values files, every proxy's Envoy bootstrap and the manifests, written in --out.
 *   gloo-keepalive render [--stack <env> | --values <file> ...] [--out <dir>] [--release <name>] [--namespace <ns>]
 *   gloo-keepalive render --for gloo-chart [--gloo-values <file>] ...   (values for solo-io's chart: cli/gloo-chart.ts)
 */
import * as path from "path";
import { parseArgs } from "util";
import { renderValues, type RenderResult } from "../render/render";
import { keepaliveTable } from "../render/report";
import { yamlText } from "../render/yaml-text";
import { renderGlooChart } from "./gloo-chart";
import { forGlooChart, GLOO_CHART_OPTIONS } from "./gloo-chart-input";
import { readRenderInput, RENDER_INPUT_OPTIONS } from "./input";
import { writeOutFolder, type OutFileContent } from "./out-dir";
import { notRenderedNotice, notRenderedReasons } from "../values/not-rendered";

const RENDER_OPTIONS = { ...RENDER_INPUT_OPTIONS, ...GLOO_CHART_OPTIONS, out: { type: "string" } } as const;

/** js-yaml's text (noRefs, no line folding, keys in order), written faster: render/yaml-text.ts. */
const dump = yamlText;

/**
 * Every file `render` writes, relative to --out: values.yaml, envoy/<proxy>.yaml, manifests.yaml.
 * Each text is made as its file is written (manifests.yaml an object at a time), not all at once.
 */
export function renderFiles(result: RenderResult): Map<string, OutFileContent> {
    const files = new Map<string, OutFileContent>([["values.yaml", () => [dump(result.values)]]]);
    for (const proxy of result.proxies) files.set(`envoy/${proxy.name}.yaml`, () => [dump(proxy.bootstrap)]);
    files.set("manifests.yaml", function* () {
        for (const o of result.objects) yield `---\n${dump(o)}`;
    });
    return files;
}

/** Write the render into --out (components/cli/out-dir.ts): whole or not at all; other entries of --out are kept. */
export function writeRenderOutput(result: RenderResult, out: string): void {
    writeOutFolder(out, renderFiles(result));
}

export function renderCommand(argv: string[]): number {
    const { values: args } = parseArgs({ args: argv, options: RENDER_OPTIONS, strict: true, allowPositionals: false });
    if (forGlooChart(args)) return renderGlooChart(args);
    const input = readRenderInput(args);
    const out = args.out ?? path.join("out", input.stack ?? "render");
    const result = renderValues(input.layers, { releaseName: input.releaseName, namespace: input.namespace });
    writeRenderOutput(result, out);
    for (const proxy of result.proxies) console.log(`${keepaliveTable(proxy)}\n`);
    for (const warning of result.warnings) console.error(`warning: ${warning}`);
    if (result.notRendered.length > 0) console.error(`note: ${notRenderedNotice(result.notRendered)}`);
    for (const reason of notRenderedReasons(result.notRendered)) console.error(`note: ${reason}`);
    console.log(
        `wrote ${out}/values.yaml, ${out}/manifests.yaml (${result.objects.length} objects) and ${result.proxies.length} bootstrap(s) in ${out}/envoy/`,
    );
    return 0;
}
