/** The options every command that renders an environment takes (render, explain, check), and reading them. */
import { parseYamlFile, readStackConfig } from "../values/read";

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
