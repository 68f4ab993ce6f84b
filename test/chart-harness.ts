/** Render values with the real chart (helm template) and with the library, and compare the objects. */
import { expect } from "chai";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import { tmpdir } from "os";
import * as path from "path";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import type { KubernetesObject } from "../components/render/manifests";
import { renderValues } from "../components/render/render";
import { packageRoot } from "../components/package-root";
import { runHelm, type HelmBinary, type HelmRunResult } from "../scripts/helm";
import { runHelmPooled } from "./helm-pool";
import { leafDiffs } from "./object-diff";

export const CHART = path.join(packageRoot(), "charts", "gateway-proxy");
const scratch = mkdtempSync(path.join(tmpdir(), "gk-chart-"));
let counter = 0;

/** A scratch copy of our chart with each `[template, from, to]` edit made (each `from` must be in its template): to show a test fails when a template changes. */
export function brokenChart(edits: readonly (readonly [template: string, from: string, to: string])[]): string {
    const broken = path.join(mkdtempSync(path.join(tmpdir(), "gk-broken-")), "gateway-proxy");
    cpSync(CHART, broken, { recursive: true });
    for (const [template, from, to] of edits) {
        const file = path.join(broken, "templates", template);
        const text = readFileSync(file, "utf8");
        expect(text, template).to.include(from);
        writeFileSync(file, text.replace(from, to));
    }
    return broken;
}

export function writeValues(values: unknown): string {
    const file = path.join(scratch, `values-${process.pid}-${counter++}.yaml`);
    writeFileSync(file, yaml.dump(values, { noRefs: true, lineWidth: -1 }));
    return file;
}

export interface HelmRun {
    status: number;
    stdout: string;
    stderr: string;
    objects: KubernetesObject[];
}

type TemplateOptions = { release?: string; namespace?: string; chart?: string };

function templateArgs(values: unknown, opts: TemplateOptions): string[] {
    const files = (Array.isArray(values) ? values : [values]).map(writeValues);
    return [
        "template",
        opts.release ?? "gateway-proxy",
        opts.chart ?? CHART,
        "-n",
        opts.namespace ?? "gloo-system",
        ...files.flatMap((f) => ["-f", f]),
    ];
}

function withObjects(run: HelmRunResult): HelmRun {
    const objects =
        run.status === 0 ? (yaml.loadAll(run.stdout) as (KubernetesObject | null)[]).filter((o): o is KubernetesObject => o !== null) : [];
    return { ...run, objects };
}

export function helmTemplate(bin: HelmBinary, values: unknown, opts: TemplateOptions = {}): HelmRun {
    return withObjects(runHelm(bin, templateArgs(values, opts)));
}

/** helmTemplate, run in the background with at most HELM_JOBS helm processes at once (test/helm-pool.ts). */
export async function helmTemplateAsync(bin: HelmBinary, values: unknown, opts: TemplateOptions = {}): Promise<HelmRun> {
    return withObjects(await runHelmPooled(bin, templateArgs(values, opts)));
}

export const objectKey = (o: KubernetesObject) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** Every difference between two object sets, as `<kind/ns/name>.<field path>: a != b`. */
export function objectDiffs(expected: readonly KubernetesObject[], actual: readonly KubernetesObject[]): string[] {
    const a = new Map(expected.map((o) => [objectKey(o), o]));
    const b = new Map(actual.map((o) => [objectKey(o), o]));
    const diffs: string[] = [];
    if (a.size !== expected.length) diffs.push(`library renders duplicate objects`);
    if (b.size !== actual.length) diffs.push(`chart renders duplicate objects`);
    const show = (v: unknown) => JSON.stringify(v)?.slice(0, 200);
    for (const key of new Set([...a.keys(), ...b.keys()])) {
        if (!a.has(key)) diffs.push(`${key}: only the chart renders it`);
        else if (!b.has(key)) diffs.push(`${key}: only the library renders it`);
        else for (const d of leafDiffs(a.get(key), b.get(key), key)) diffs.push(`${d.path}: library ${show(d.a)} != chart ${show(d.b)}`);
    }
    return diffs;
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
    ConfigMap: ConfigMap as never,
    Service: Service as never,
    ServiceAccount: ServiceAccount as never,
    Deployment: Deployment as never,
    DaemonSet: DaemonSet as never,
};

/** Validate core Kubernetes objects against the Kubernetes OpenAPI schemas; returns the problems. */
export function kubernetesSchemaProblems(objects: readonly KubernetesObject[]): string[] {
    const problems: string[] = [];
    for (const o of objects) {
        const Model = MODELS[o.kind];
        if (!Model) continue;
        try {
            new Model(o as never).validate();
        } catch (e) {
            problems.push(`${objectKey(o)}: ${(e as Error).message.slice(0, 400)}`);
        }
    }
    return problems;
}

/** The library's objects for the same input as helmTemplate. */
export function libraryObjects(values: unknown, opts: { release?: string; namespace?: string } = {}): KubernetesObject[] {
    return renderValues(Array.isArray(values) ? values : [values], { releaseName: opts.release, namespace: opts.namespace }).objects;
}
