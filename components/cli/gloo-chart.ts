/**
 * The commands for teams that keep solo-io's `gloo` chart:
 *   render  --for gloo-chart [--gloo-values <their gloo values.yaml>] [--stack <env> | --values <file> ...] [--out <dir>]
 *   explain --for gloo-chart [--gloo-values <file>] ...
 *   check   --gloo-chart <chart dir> [--gloo-values <file>] [--helm <binary>] ...
 * `render` writes `<out>/gloo-values.yaml` (for `helm upgrade --install gloo gloo/gloo -f`) and
 * `<out>/upstreams.yaml` (the Upstreams, which that chart does not render); `check` renders the
 * chart from a local directory with a real helm and the lowered values, then runs the policy rules.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import { tmpdir } from "os";
import * as path from "path";
import type { LoweredGlooValues } from "../gloo-chart/lower";
import { glooChartReport, glooChartText } from "../gloo-chart/report";
import type { KubernetesObject } from "../render/manifests";
import { yamlText } from "../render/yaml-text";
import { parseYamlFile } from "../values/read";
import { ValuesError } from "../values/values";
import { lowerFromArgs, type GlooChartArgs } from "./gloo-chart-input";
import { writeOutFolder } from "./out-dir";

/** js-yaml's text (noRefs, no line folding, keys in order): the one emitter render uses. */
const dump = yamlText;

/** The Upstreams of the typed values: the gloo chart renders none, so they are deployed next to it. */
export function upstreamObjects(lowered: LoweredGlooValues): KubernetesObject[] {
    return lowered.render.objects.filter((o) => o.kind === "Upstream");
}

/** `render --for gloo-chart`. */
export function renderGlooChart(args: GlooChartArgs & { out?: string }): number {
    const { input, lowered } = lowerFromArgs(args);
    const out = args.out ?? path.join("out", input.stack ?? "render");
    const upstreams = upstreamObjects(lowered);
    writeOutFolder(
        out,
        new Map([
            ["gloo-values.yaml", dump(lowered.values)],
            ["upstreams.yaml", upstreams.map((o) => `---\n${dump(o)}`).join("")],
        ]),
    );
    console.log(glooChartText(glooChartReport(lowered)));
    for (const warning of lowered.render.warnings) console.error(`warning: ${warning}`);
    console.log(
        `\nwrote ${out}/gloo-values.yaml (solo-io gloo chart, ${lowered.shape === "gloo-ee" ? "Enterprise gloo. shape" : "gatewayProxies shape"}) and ${out}/upstreams.yaml (${upstreams.length} Upstream(s))`,
    );
    return 0;
}

/** `helm template` of a chart directory with values; the objects it renders. */
export function helmTemplateObjects(helm: string, chart: string, release: string, namespace: string, values: unknown): KubernetesObject[] {
    const dir = mkdtempSync(path.join(tmpdir(), "gloo-keepalive-check-"));
    try {
        const file = path.join(dir, "gloo-values.yaml");
        writeFileSync(file, dump(values));
        const run = spawnSync(helm, ["template", release, chart, "--namespace", namespace, "-f", file], {
            encoding: "utf8",
            maxBuffer: 256 * 1024 * 1024,
        });
        if (run.error) throw new ValuesError([{ path: "--helm", message: `cannot run ${helm}: ${run.error.message}` }]);
        if (run.status !== 0)
            throw new ValuesError([{ path: `--gloo-chart ${chart}`, message: `helm template failed: ${run.stderr.trim()}` }]);
        return (yaml.loadAll(run.stdout) as unknown[]).filter((o): o is KubernetesObject => o !== null && typeof o === "object");
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

/** `check --gloo-chart <dir>`: 1 on any mandatory violation. */
export function checkGlooChart(args: GlooChartArgs & { "gloo-chart": string; helm?: string; "policy-config"?: string }): number {
    // The policy rules load only for check (render must not load policy/).
    const { checkObjects, formatFinding, resolvePackSettings } = require("../../policy/check") as typeof import("../../policy/check");
    const configFile = args["policy-config"];
    const settings = resolvePackSettings(configFile === undefined ? {} : parseYamlFile(configFile), configFile);
    const { lowered } = lowerFromArgs(args);
    const { releaseName, namespace } = lowered.render;
    const rendered = helmTemplateObjects(args.helm ?? "helm", args["gloo-chart"], releaseName, namespace, lowered.values);
    const objects = [...rendered, ...upstreamObjects(lowered)];
    const result = checkObjects(objects, settings);
    console.log(`policy check of solo-io's chart ${args["gloo-chart"]} with the lowered values: ${objects.length} objects`);
    for (const r of result.remediations) console.log(`remediated [${r.policy}] ${r.object}: filled ${r.changes.join(", ")}`);
    for (const f of result.findings) console.error(formatFinding(f));
    const mandatory = result.findings.filter((f) => f.level === "mandatory").length;
    console.log(
        mandatory > 0
            ? `${mandatory} mandatory violation(s), ${result.findings.length - mandatory} advisory: the check fails`
            : `no mandatory violations, ${result.findings.length} advisory: the check passes`,
    );
    return mandatory > 0 ? 1 : 0;
}
