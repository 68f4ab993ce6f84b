/**
 * `check`: render an environment with the library, then run the policy pack's rules over the
 * rendered objects (policy/check.ts), as `pulumi preview --policy-pack` would: no cluster, no Pulumi CLI.
 *   gloo-keepalive check [--stack <env> | --values <file> ...] [--release <name>] [--namespace <ns>] [--policy-config <file.json>]
 *   gloo-keepalive check --gloo-chart <dir> [--gloo-values <file>] [--helm <binary>] ...   (solo-io's chart: cli/gloo-chart.ts)
 */
import { parseArgs } from "util";
import { checkObjects, formatFinding, resolvePackSettings, RULES } from "../../policy/check";
import { renderValues } from "../render/render";
import { parseYamlFile } from "../values/read";
import { checkGlooChart } from "./gloo-chart";
import { readRenderInput, RENDER_INPUT_OPTIONS } from "./input";

const CHECK_OPTIONS = {
    ...RENDER_INPUT_OPTIONS,
    "policy-config": { type: "string" },
    "gloo-chart": { type: "string" },
    "gloo-values": { type: "string" },
    helm: { type: "string" },
} as const;

/** `gloo-keepalive check`: render, run the policies, print every violation; 1 on any mandatory one. */
export function runCheck(argv: string[]): number {
    const { values: args } = parseArgs({ args: argv, options: CHECK_OPTIONS, strict: true, allowPositionals: false });
    const glooChart = args["gloo-chart"];
    if (glooChart !== undefined) return checkGlooChart({ ...args, "gloo-chart": glooChart });
    const configFile = args["policy-config"];
    const settings = resolvePackSettings(configFile === undefined ? {} : parseYamlFile(configFile) /* JSON is YAML */, configFile);
    const input = readRenderInput(args);
    const rendered = renderValues(input.layers, { releaseName: input.releaseName, namespace: input.namespace });
    const started = process.hrtime.bigint();
    const result = checkObjects(rendered.objects, settings);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;

    const what = input.stack !== undefined ? `stack ${input.stack}` : (args.values ?? []).join(", ");
    console.log(
        `policy check of ${what}: ${rendered.objects.length} objects, ${rendered.proxies.length} proxy(ies); policies: ${RULES.map((r) => `${r.name} (${settings.get(r.name)?.level})`).join(", ")}`,
    );
    for (const r of result.remediations) console.log(`remediated [${r.policy}] ${r.object}: filled ${r.changes.join(", ")}`);
    for (const f of result.findings) console.error(formatFinding(f));
    const mandatory = result.findings.filter((f) => f.level === "mandatory").length;
    const advisory = result.findings.length - mandatory;
    console.log(
        mandatory > 0
            ? `${mandatory} mandatory violation(s), ${advisory} advisory: the check fails (${ms.toFixed(1)} ms)`
            : `no mandatory violations, ${advisory} advisory: the check passes (${ms.toFixed(1)} ms)`,
    );
    return mandatory > 0 ? 1 : 0;
}
