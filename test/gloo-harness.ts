/**
 * The Gloo chart as the oracle: render values with the real Gloo 1.22 chart, pick its
 * gateway-proxy objects (the Gateways out of its gloo-custom-resource-config ConfigMap), and
 * compare them field by field with ours, after the allowed differences below and nothing else.
 */
import * as yaml from "js-yaml";
import type { KubernetesObject } from "../components/render/manifests";
import { runHelm, type HelmBinary, type HelmRunResult } from "../scripts/helm";
import { runHelmPooled } from "./helm-pool";
import { objectKey, writeValues } from "./chart-harness";
import { referencePath } from "../scripts/reference";
import { isPlainObject } from "../components/values/paths";

/** The real Gloo chart (solo-io/gloo v1.22.1), never copied: rendered as it is. */
export const GLOO_CHART = referencePath("gloo-chart");

/**
 * The differences from the Gloo chart we allow, each a rewrite applied to both sides before
 * the comparison (the README's table "Differences from the Gloo chart" lists the same).
 */
export const ALLOWED_DIFFERENCES: readonly { name: string; why: string }[] = [
    {
        name: "keepalive",
        why: "tcp_keepalive on any cluster, xDS HTTP/2 connection_keepalive, Gateway keepalive socket options, keepalive sysctls, TCP_USER_TIMEOUT (Gateway socket option, cluster upstream_bind_config)",
    },
    { name: "checksum", why: "the value of the pod template's checksum/<proxy>-envoy-config annotation" },
    { name: "own labels", why: "added app.kubernetes.io/* labels and annotations in gloo-keepalive.io/" },
    { name: "hardening", why: "automountServiceAccountToken: false, runAsNonRoot, seccompProfile RuntimeDefault" },
    {
        name: "newer Envoy form",
        why: 'Durations as values ("5s" = "5.000s"), typed HttpProtocolOptions for http2_protocol_options, string_match for exact_match',
    },
];

/** How Helm reads a rendered document: a duplicated key (Gloo's `app: gloo` and additionalLabels.app), the later one wins. */
const HELM_YAML = { json: true };

/** The gateway-proxy objects of a Gloo render: proxies' workloads, Services, ServiceAccount, ConfigMaps, PDBs, HPAs, Gateways. */
export function glooProxyObjects(objects: readonly KubernetesObject[]): KubernetesObject[] {
    const out: KubernetesObject[] = [];
    for (const o of objects) {
        const labels = o.metadata.labels ?? {};
        if (o.kind === "ConfigMap" && o.metadata.name === "gloo-custom-resource-config") {
            const text = (o.data as Record<string, string>)["custom-resources"] ?? "";
            for (const doc of yaml.loadAll(text, undefined, HELM_YAML) as (KubernetesObject | null)[])
                if (doc?.kind === "Gateway") out.push(doc);
        } else if (o.kind === "ServiceAccount" && o.metadata.name === "gateway-proxy") out.push(o);
        else if (labels.gloo === "gateway-proxy" && ["ConfigMap", "Service", "Deployment", "DaemonSet"].includes(o.kind)) out.push(o);
        else if (["PodDisruptionBudget", "HorizontalPodAutoscaler"].includes(o.kind)) out.push(o);
    }
    return out;
}

function glooArgs(values: unknown, namespace: string): string[] {
    const files = (Array.isArray(values) ? values : [values]).map(writeValues);
    return ["template", "gloo", GLOO_CHART, "-n", namespace, ...files.flatMap((f) => ["-f", f])];
}

function glooObjects(run: HelmRunResult): KubernetesObject[] {
    if (run.status !== 0) throw new Error(`the Gloo chart refuses the values: ${run.stderr}`);
    const objects = (yaml.loadAll(run.stdout, undefined, HELM_YAML) as (KubernetesObject | null)[]).filter(
        (o): o is KubernetesObject => o !== null,
    );
    return glooProxyObjects(objects);
}

/** Render values with the Gloo chart; its gateway-proxy objects. */
export function glooTemplate(bin: HelmBinary, values: unknown, namespace = "gloo-system"): KubernetesObject[] {
    return glooObjects(runHelm(bin, glooArgs(values, namespace)));
}

/** glooTemplate, run in the background with at most HELM_JOBS helm processes at once (test/helm-pool.ts). */
export async function glooTemplateAsync(bin: HelmBinary, values: unknown, namespace = "gloo-system"): Promise<KubernetesObject[]> {
    return glooObjects(await runHelmPooled(bin, glooArgs(values, namespace)));
}

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => isPlainObject(v);

/** "5.000s" -> "5s": the same protobuf Duration. */
function duration(value: unknown): unknown {
    const m = typeof value === "string" ? /^(\d+)(?:\.(\d+))?s$/.exec(value) : null;
    if (!m) return value;
    const fraction = (m[2] ?? "").replace(/0+$/, "");
    return `${m[1]}${fraction ? `.${fraction}` : ""}s`;
}

const HTTP_OPTIONS = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

/** TCP_USER_TIMEOUT (level 6, name 18), the socket option the keepalive difference covers besides keepalive's own. */
const isUserTimeout = (s: unknown): boolean => isMap(s) && Number(s.level) === 6 && Number(s.name) === 18;

/** One Envoy cluster in the form we compare: keepalive left out, typed protocol options. */
function cluster(c: Json): Json {
    const out: Json = { ...c };
    if (isMap(out.upstream_bind_config) && Array.isArray(out.upstream_bind_config.socket_options)) {
        const { socket_options: options, ...bind } = out.upstream_bind_config;
        const kept = (options as unknown[]).filter((o) => !isUserTimeout(o));
        const rest = kept.length > 0 ? { ...bind, socket_options: kept } : bind;
        if (Object.keys(rest).length === 0) delete out.upstream_bind_config;
        else out.upstream_bind_config = rest;
    }
    if (isMap(out.upstream_connection_options)) {
        const { tcp_keepalive: _k, ...rest } = out.upstream_connection_options;
        if (Object.keys(rest).length === 0) delete out.upstream_connection_options;
        else out.upstream_connection_options = rest;
    }
    if (isMap(out.http2_protocol_options)) {
        out.typed_extension_protocol_options = {
            [HTTP_OPTIONS]: {
                "@type": `type.googleapis.com/${HTTP_OPTIONS}`,
                explicit_http_config: { http2_protocol_options: out.http2_protocol_options },
            },
        };
        delete out.http2_protocol_options;
    }
    const typed = (out.typed_extension_protocol_options as Json | undefined)?.[HTTP_OPTIONS] as Json | undefined;
    const h2 = (typed?.explicit_http_config as Json | undefined)?.http2_protocol_options as Json | undefined;
    if (h2) delete h2.connection_keepalive;
    return out;
}

/** Envoy YAML in the form we compare (newer Envoy forms, keepalive left out). */
export function normalizeEnvoy(value: unknown, key = ""): unknown {
    if (Array.isArray(value)) return value.map((v) => normalizeEnvoy(v, key));
    if (!isMap(value)) return duration(value);
    let out: Json = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeEnvoy(v, k)]));
    if (key === "clusters") out = cluster(out);
    if ("exact_match" in out && "name" in out) {
        const { exact_match: exact, ...rest } = out;
        out = { ...rest, string_match: { exact } };
    }
    return out;
}

function withoutOwnMeta(map: unknown): Json | undefined {
    if (!isMap(map)) return undefined;
    const out = Object.fromEntries(
        Object.entries(map).filter(([k]) => !k.startsWith("app.kubernetes.io/") && !k.startsWith("gloo-keepalive.io/")),
    );
    return Object.keys(out).length > 0 ? out : undefined;
}

const KEEPALIVE_SYSCTL = /^net\.ipv4\.tcp_keepalive_/;
const KEEPALIVE_SOCKET_OPTION = /keepalive/i;

/** A Kubernetes object in the form we compare, every allowed difference applied. */
export function normalizeObject(object: KubernetesObject): Json {
    const o = JSON.parse(JSON.stringify(object)) as Json;
    const walk = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(walk);
        if (!isMap(node)) return;
        Object.values(node).forEach(walk); // children first: an emptied child is dropped below
        for (const k of ["labels", "annotations"]) {
            if (k in node) {
                const kept = withoutOwnMeta(node[k]);
                if (kept) node[k] = kept;
                else delete node[k];
            }
        }
        if (isMap(node.annotations)) {
            for (const a of Object.keys(node.annotations)) if (a.startsWith("checksum/")) node.annotations[a] = "<checksum>";
        }
        if (node.automountServiceAccountToken === false) delete node.automountServiceAccountToken;
        if (node.runAsNonRoot === true || node.runAsNonRoot === null) delete node.runAsNonRoot; // Gloo's null: unset, hardened
        if (isMap(node.seccompProfile) && node.seccompProfile.type === "RuntimeDefault") delete node.seccompProfile;
        if (Array.isArray(node.sysctls)) {
            node.sysctls = node.sysctls.filter((s: Json) => !KEEPALIVE_SYSCTL.test(String(s.name)));
            if ((node.sysctls as unknown[]).length === 0) delete node.sysctls;
        }
        if (Array.isArray(node.socketOptions)) {
            node.socketOptions = node.socketOptions.filter(
                (s: Json) => !KEEPALIVE_SOCKET_OPTION.test(String(s.description)) && !isUserTimeout(s),
            );
            if ((node.socketOptions as unknown[]).length === 0) delete node.socketOptions;
        }
        if (isMap(node.options) && Object.keys(node.options).length === 0) delete node.options;
        if (isMap(node.securityContext) && Object.keys(node.securityContext).length === 0) delete node.securityContext;
    };
    walk(o);
    const data = o.data as Record<string, unknown> | undefined;
    if (o.kind === "ConfigMap" && typeof data?.["envoy.yaml"] === "string")
        data["envoy.yaml"] = normalizeEnvoy(yaml.load(data["envoy.yaml"]));
    return o;
}

/** Every difference between our objects and Gloo's, as `<kind/ns/name>.<path>: ours X != gloo Y`. */
export function glooDiffs(ours: readonly KubernetesObject[], gloo: readonly KubernetesObject[]): string[] {
    const a = new Map(ours.map((o) => [objectKey(o), normalizeObject(o)]));
    const b = new Map(gloo.map((o) => [objectKey(o), normalizeObject(o)]));
    const diffs: string[] = [];
    const walk = (x: unknown, y: unknown, p: string) => {
        if (x && y && typeof x === "object" && typeof y === "object" && Array.isArray(x) === Array.isArray(y)) {
            for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) walk((x as Json)[k], (y as Json)[k], `${p}.${k}`);
        } else if (JSON.stringify(x) !== JSON.stringify(y)) {
            diffs.push(`${p}: ours ${JSON.stringify(x)?.slice(0, 160)} != gloo ${JSON.stringify(y)?.slice(0, 160)}`);
        }
    };
    for (const key of new Set([...a.keys(), ...b.keys()])) {
        if (!a.has(key)) diffs.push(`${key}: only the Gloo chart renders it`);
        else if (!b.has(key)) diffs.push(`${key}: only we render it`);
        else walk(a.get(key), b.get(key), key);
    }
    return diffs;
}
