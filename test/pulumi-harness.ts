/** Test helpers over the Pulumi mock engine runner (scripts/pulumi-mocks.ts), shared by the Pulumi tests. */
import { readFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { contentHashedBootstrap } from "../components/pulumi/gateway-proxy";
import type { KubernetesObject } from "../components/render/manifests";
import type { RenderResult } from "../components/render/render";
import { runProgram, type ProgramRun, type RunOptions } from "../scripts/pulumi-mocks";

export { diffPaths } from "./object-diff";
export { loadProgram, runProgram, type AliasSpec, type ProgramRun, type Registration, type RunOptions } from "../scripts/pulumi-mocks";

export const REPO_ROOT = path.resolve(__dirname, "..");

/** The config of `Pulumi.<stack>.yaml` as the CLI passes it to a program (objects as JSON text). */
export function stackConfig(stack: string): Record<string, string> {
    const doc = yaml.load(readFileSync(path.join(REPO_ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    return Object.fromEntries(Object.entries(doc.config ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** Kubernetes objects among the registrations: typed resources and CustomResources, as their inputs. */
export function registeredObjects(run: ProgramRun): KubernetesObject[] {
    return run.registrations
        .filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:"))
        .map((r) => r.inputs as unknown as KubernetesObject);
}

/** The library's objects as the typed resources deploy them: each bootstrap ConfigMap named after its content. */
export function deployedObjects(render: RenderResult): KubernetesObject[] {
    const ofProxies = new Set(render.proxies.flatMap((p) => p.objects));
    return [...render.proxies.flatMap((p) => contentHashedBootstrap(p.objects, p)), ...render.objects.filter((o) => !ofProxies.has(o))];
}

/** `apiVersion kind namespace/name`: how objects are compared across renders. */
export function objectKey(o: KubernetesObject): string {
    return `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}

/** Objects keyed by objectKey, sorted: order-independent comparison. */
export function byKey(objects: readonly KubernetesObject[]): Record<string, KubernetesObject> {
    return Object.fromEntries([...objects].map((o) => [objectKey(o), o] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Run `program`, capturing what the SDK logs as warnings without an engine (console.warn). */
export async function withWarnings(
    program: () => unknown,
    config: Record<string, string> = {},
    options: RunOptions = {},
): Promise<{ run: ProgramRun; warnings: string[] }> {
    const warnings: string[] = [];
    const { warn } = console;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
    try {
        return { run: await runProgram(program, { ...options, config }), warnings };
    } finally {
        console.warn = warn;
    }
}
