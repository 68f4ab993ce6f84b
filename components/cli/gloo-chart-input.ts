/** The options and inputs of the commands for solo-io's chart (`--for gloo-chart`, `--gloo-values`), shared by render, explain and check. */
import { lowerForGlooChart, type LoweredGlooValues } from "../gloo-chart/lower";
import { glooChartReport, glooChartText } from "../gloo-chart/report";
import { parseYamlFile } from "../values/read";
import { ValuesError } from "../values/values";
import { readRenderInput, type RenderInput } from "./input";

/** The release name the gloo chart is installed under unless --release says otherwise. */
export const GLOO_RELEASE_NAME = "gloo";

/** The options these commands add to render, explain and check. */
export const GLOO_CHART_OPTIONS = {
    for: { type: "string" },
    "gloo-values": { type: "string" },
} as const;

export interface GlooChartArgs {
    values?: string[];
    stack?: string;
    release?: string;
    namespace?: string;
    for?: string;
    "gloo-values"?: string;
}

/** Whether `--for` asks for the gloo chart (and refuse any other target by name). */
export function forGlooChart(args: { for?: string }): boolean {
    if (args.for === undefined) return false;
    if (args.for !== "gloo-chart")
        throw new ValuesError([{ path: "--for", message: `${JSON.stringify(args.for)} is not a target; the one there is: gloo-chart` }]);
    return true;
}

/** Read the inputs and lower them. */
export function lowerFromArgs(args: GlooChartArgs): { input: RenderInput; lowered: LoweredGlooValues } {
    const input = readRenderInput(args);
    const glooValues = args["gloo-values"] === undefined ? {} : parseYamlFile(args["gloo-values"]);
    const lowered = lowerForGlooChart(input.layers, glooValues, {
        releaseName: input.releaseName ?? GLOO_RELEASE_NAME,
        namespace: input.namespace,
    });
    return { input, lowered };
}

/** `explain --for gloo-chart`: the per-hop report on stdout. */
export function explainGlooChart(args: GlooChartArgs): number {
    console.log(glooChartText(glooChartReport(lowerFromArgs(args).lowered)));
    return 0;
}
