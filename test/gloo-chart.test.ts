/**
 * Teams that keep solo-io's gloo chart: the dev and prod stacks and a generated corpus of typed
 * values over Gloo values files, lowered and rendered by the real chart
 * (../shared/reference/gloo-chart, 1.22.1) with real helm 3 and 4. Every static cluster, both
 * Gateways and the pod carry the keepalive the typed values ask for; with the keepalive taken out,
 * the render is exactly the render of the same values without the lowering; the policy rules pass
 * it, and fail the bad variants naming the hop.
 */
import { expect } from "chai";
import * as yaml from "js-yaml";
import * as path from "path";
import { helmTemplateObjects } from "../components/cli/gloo-chart";
import { lowerForGlooChart, type LoweredGlooValues } from "../components/gloo-chart/lower";
import { glooChartReport } from "../components/gloo-chart/report";
import { toEnvoyTcpKeepalive, toPodSysctls, toSocketOptions, toUserTimeoutSocketOption, type TcpKeepalive } from "../components/keepalive";
import type { KubernetesObject } from "../components/render/manifests";
import { readStackConfig } from "../components/values/read";
import type { EnvoyCluster } from "../components/values/types";
import { ValuesError } from "../components/values/values";
import { checkObjects, type Finding } from "../policy/check";
import { helmBinary, type HelmBinary } from "../scripts/helm";
import { runCli } from "./cli-harness";
import { REPO_ROOT } from "./pulumi-harness";
import { Gen, staticCluster } from "./value-generator";
import { referencePath } from "../scripts/reference";

const GLOO_CHART = referencePath("gloo-chart");
const NAMESPACE = "gloo-system";
const KEEPALIVE_OPTIONS = new Set(["1/9", "6/4", "6/5", "6/6", "6/18"]);
const isUserTimeout = (o: Obj) => `${o.level}/${o.name}` === "6/18";
const KEEPALIVE_SYSCTLS = /^net\.ipv4\.tcp_keepalive_(time|intvl|probes)$/;

type Obj = Record<string, any>;

/** One case: typed values over a Gloo values file; `baseline` is what the chart gets without the lowering. */
interface Case {
    name: string;
    typed: Obj;
    gloo: Obj;
    baseline: Obj;
    ee: boolean;
}

const bootstrapOf = (objects: KubernetesObject[], proxy: string) => {
    const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === `${proxy}-envoy-config`) as Obj;
    return yaml.load(cm.data["envoy.yaml"]) as { static_resources: { clusters: Obj[] } };
};
const gatewaysOf = (objects: KubernetesObject[]): Obj[] => {
    const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "gloo-custom-resource-config") as Obj | undefined;
    return cm ? (yaml.loadAll(cm.data["custom-resources"]) as Obj[]).filter((d) => d?.kind === "Gateway") : [];
};
const podOf = (objects: KubernetesObject[], proxy: string) =>
    (objects.find((o) => ["Deployment", "DaemonSet"].includes(o.kind) && o.metadata.name === proxy) as Obj).spec.template;
const isLoopback = (c: Obj) =>
    c.load_assignment?.endpoints?.[0]?.lb_endpoints?.[0]?.endpoint?.address?.socket_address?.address === "127.0.0.1";

/** The objects with every keepalive setting taken out: what must be the same with and without the lowering. */
function withoutKeepalive(objects: KubernetesObject[]): Obj[] {
    return objects.map((o) => {
        const copy = structuredClone(o) as Obj;
        if (copy.kind === "ConfigMap" && copy.data?.["envoy.yaml"]) {
            const b = yaml.load(copy.data["envoy.yaml"]) as Obj;
            for (const c of b.static_resources.clusters) {
                delete c.upstream_connection_options?.tcp_keepalive;
                if (c.upstream_connection_options && Object.keys(c.upstream_connection_options).length === 0)
                    delete c.upstream_connection_options;
                const bind = c.upstream_bind_config;
                if (bind?.socket_options) {
                    bind.socket_options = bind.socket_options.filter((o: Obj) => !isUserTimeout(o));
                    if (bind.socket_options.length === 0) delete bind.socket_options;
                    if (Object.keys(bind).length === 0) delete c.upstream_bind_config;
                }
            }
            copy.data["envoy.yaml"] = b;
        }
        if (copy.kind === "ConfigMap" && copy.data?.["custom-resources"]) {
            const docs = (yaml.loadAll(copy.data["custom-resources"]) as Obj[]).filter(Boolean);
            for (const d of docs) {
                const hcm = d.spec?.httpGateway?.options?.httpConnectionManagerSettings;
                if (hcm) delete hcm.idleTimeout;
                if (hcm && Object.keys(hcm).length === 0) delete d.spec.httpGateway.options.httpConnectionManagerSettings;
                if (d.spec?.httpGateway?.options && Object.keys(d.spec.httpGateway.options).length === 0) delete d.spec.httpGateway.options;
                if (d.spec?.httpGateway && Object.keys(d.spec.httpGateway).length === 0) delete d.spec.httpGateway;
                const options = d.spec?.options;
                if (!options?.socketOptions) continue;
                options.socketOptions = options.socketOptions.filter((s: Obj) => !KEEPALIVE_OPTIONS.has(`${s.level}/${s.name}`));
                if (options.socketOptions.length === 0) delete options.socketOptions;
                if (Object.keys(options).length === 0) delete d.spec.options;
            }
            copy.data["custom-resources"] = docs;
        }
        if (["Deployment", "DaemonSet"].includes(copy.kind)) {
            const t = copy.spec.template;
            for (const k of Object.keys(t.metadata.annotations ?? {})) if (k.startsWith("checksum/")) delete t.metadata.annotations[k];
            const sc = t.spec.securityContext;
            if (sc?.sysctls) {
                sc.sysctls = sc.sysctls.filter((s: Obj) => !KEEPALIVE_SYSCTLS.test(s.name));
                if (sc.sysctls.length === 0) delete sc.sysctls;
            }
        }
        return copy;
    });
}

/** A Gloo values file (what a team has) and typed keepalive over it, from a seed. */
function generatedCase(seed: number): Case {
    const g = new Gen(seed);
    const ee = g.chance(0.25);
    const names = ["gatewayProxy", ...(g.chance(0.5) ? ["publicGw"] : [])];
    const glooProxies: Obj = {};
    const typedProxies: Obj = {};
    for (const name of names) {
        const entry: Obj = {};
        if (g.chance(0.6)) {
            entry.envoyStaticClusters = Array.from({ length: g.int(1, 2) }, (_, i) => {
                const c = staticCluster(g, `${name.toLowerCase()}_${g.word()}_${i}`) as Obj;
                const own = c.upstream_connection_options?.tcp_keepalive;
                if (own?.keepalive_time > 300) own.keepalive_time = g.int(1, 300); // below the default idle timeout 350 - 30
                return c;
            });
        }
        if (g.chance(0.5))
            entry.gatewaySettings = {
                options: {
                    perConnectionBufferLimitBytes: g.int(1024, 65536),
                    ...(g.chance(0.5)
                        ? { socketOptions: [{ description: "reuse port", level: 1, name: 15, intValue: 1, state: "STATE_PREBIND" }] }
                        : {}),
                },
            };
        if (g.chance(0.4))
            entry.kubeResourceOverride = {
                spec: {
                    template: {
                        metadata: { labels: { team: g.word() } },
                        ...(g.chance(0.5)
                            ? { spec: { securityContext: { sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }] } } }
                            : {}),
                    },
                },
            };
        if (g.chance(0.3)) entry.failover = { enabled: true };
        if (g.chance(0.25)) entry.tracing = { cluster: [staticCluster(g, `${name.toLowerCase()}_tracing`)] };
        if (g.chance(0.2)) {
            const override = {
                spec: {
                    options: { socketOptions: [{ description: "reuse port", level: 1, name: 15, intValue: 1, state: "STATE_PREBIND" }] },
                },
            };
            entry.gatewaySettings = { ...entry.gatewaySettings, httpGatewayKubeOverride: override };
        }
        if (g.chance(0.25))
            entry.gatewaySettings = {
                ...entry.gatewaySettings,
                customHttpsGateway: { options: { httpConnectionManagerSettings: { useRemoteAddress: true, serverName: g.word() } } },
            };
        if (g.chance(0.2)) entry.tracing = { ...entry.tracing, provider: { name: "envoy.tracers.zipkin" } };
        if (g.chance(0.3)) entry.podTemplate = { image: { tag: `1.22.${g.int(0, 9)}` } };
        if (g.chance(0.3))
            entry.podTemplate = {
                ...entry.podTemplate,
                podSecurityContext: { fsGroup: 10101, runAsUser: 10101, sysctls: [{ name: "net.core.somaxconn", value: "1024" }] },
            };
        if (name !== "gatewayProxy" || g.chance(0.3)) entry.service = { type: g.pick(["ClusterIP", "LoadBalancer"]) };
        glooProxies[name] = entry;
        const typed: Obj = { tcpKeepaliveTimeSeconds: g.int(1, 300) };
        if (g.chance(0.7)) typed.tcpKeepaliveIntervalSeconds = g.int(1, 75);
        if (g.chance(0.7)) typed.tcpKeepaliveProbes = g.int(1, 9);
        const downstream = g.pick(["full", "full", "full", "full", "partial", "none"]);
        if (downstream === "full")
            typed.gatewaySettings = { tcpKeepalive: { timeSeconds: g.int(1, 300), intervalSeconds: g.int(1, 75), probes: g.int(1, 9) } };
        if (downstream === "partial") typed.gatewaySettings = { tcpKeepalive: { timeSeconds: g.int(1, 300) } };
        if (g.chance(0.5)) typed.tcpUserTimeoutSeconds = g.int(30, 900);
        if (g.chance(0.5)) typed.gatewaySettings = { ...typed.gatewaySettings, tcpUserTimeoutSeconds: g.int(30, 900) };
        if (g.chance(0.5)) typed.gatewaySettings = { ...typed.gatewaySettings, httpIdleTimeoutSeconds: g.int(60, 7200) };
        typedProxies[name] = typed;
    }
    const chartValues: Obj = { gatewayProxies: glooProxies, ...(g.chance(0.3) ? { global: { glooStats: { enabled: false } } } : {}) };
    const gloo = ee ? { gloo: chartValues, license_key: "not-a-key" } : chartValues;
    const typed = ee ? { gloo: { gatewayProxies: typedProxies } } : { gatewayProxies: typedProxies };
    return { name: `generated #${seed}${ee ? " (gloo-ee shape)" : ""}`, typed, gloo, baseline: chartValues, ee };
}

/** A stack's values as the gloo chart reads them without us: the typed-only keys dropped. */
function stackCase(stack: string): Case {
    const typed = readStackConfig(stack, REPO_ROOT).values as Obj;
    const baseline = structuredClone(typed);
    delete baseline.upstreams;
    for (const entry of Object.values(baseline.gatewayProxies) as Obj[]) {
        for (const k of ["tcpKeepaliveIntervalSeconds", "tcpKeepaliveProbes", "xdsHttp2Keepalive", "loadBalancerIdleTimeoutSeconds"])
            delete entry[k];
        delete entry.gatewaySettings?.tcpKeepalive;
        if (entry.gatewaySettings && Object.keys(entry.gatewaySettings).length === 0) delete entry.gatewaySettings;
        delete entry.podTemplate?.tcpKeepaliveSysctls;
        if (entry.podTemplate && Object.keys(entry.podTemplate).length === 0) delete entry.podTemplate;
    }
    return { name: `stack ${stack}`, typed, gloo: {}, baseline, ee: false };
}

const CORPUS_SIZE = 24;
const cases: Case[] = [stackCase("dev"), stackCase("prod"), ...Array.from({ length: CORPUS_SIZE }, (_, i) => generatedCase(1500 + i))];

interface Rendered {
    lowered: LoweredGlooValues;
    byHelm: Map<number, { with: KubernetesObject[]; without: KubernetesObject[] }>;
}

/** The keepalive a proxy asks for on its static clusters. */
function askedKeepalive(entry: Obj): TcpKeepalive {
    return {
        timeSeconds: entry.tcpKeepaliveTimeSeconds,
        intervalSeconds: entry.tcpKeepaliveIntervalSeconds,
        probes: entry.tcpKeepaliveProbes,
    };
}
const userTimeoutEnvoy = (seconds: number) => {
    const { intValue, ...rest } = toUserTimeoutSocketOption(seconds);
    return { ...rest, int_value: intValue };
};
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function expectKeepaliveCarried(c: Case, lowered: LoweredGlooValues, objects: KubernetesObject[]): void {
    for (const p of lowered.proxies) {
        const proxy = p.render.name;
        const v = p.render.values;
        const asked = defined(askedKeepalive(v));
        const envoy = toEnvoyTcpKeepalive(asked);
        const bootstrap = bootstrapOf(objects, proxy);
        const tracing = ((p.chartEntry.tracing as Obj | undefined)?.cluster ?? []) as EnvoyCluster[];
        const userClusters = new Map([...((v.envoyStaticClusters ?? []) as EnvoyCluster[]), ...tracing].map((u) => [u.name, u]));
        for (const cluster of bootstrap.static_resources.clusters) {
            const tcp = cluster.upstream_connection_options?.tcp_keepalive;
            const at = `${c.name}: ${proxy} cluster ${cluster.name}`;
            if (isLoopback(cluster)) continue;
            const user = userClusters.get(cluster.name) as Obj | undefined;
            const bind = (cluster.upstream_bind_config?.socket_options ?? []) as Obj[];
            // tracing clusters come from the lowered entry: their own bind options are those other than TCP_USER_TIMEOUT
            const ownBind = ((user?.upstream_bind_config?.socket_options ?? []) as Obj[]).filter((o) => !isUserTimeout(o));
            const ut = v.tcpUserTimeoutSeconds;
            const wantBind = user && ut !== undefined ? [...ownBind, { ...userTimeoutEnvoy(ut) }] : ownBind;
            expect(bind, `${at} upstream_bind_config.socket_options`).to.deep.equal(wantBind);
            if (user) expect(tcp, at).to.deep.equal({ ...envoy, ...(user.upstream_connection_options?.tcp_keepalive ?? {}) });
            else expect(tcp, at).to.deep.equal({ keepalive_time: v.tcpKeepaliveTimeSeconds });
        }
        expect(
            bootstrap.static_resources.clusters.filter((x) => userClusters.has(x.name)),
            c.name,
        ).to.have.length(userClusters.size);
        const downstream = v.gatewaySettings?.tcpKeepalive;
        const gateways = gatewaysOf(objects).filter((gw) => gw.spec.proxyNames.includes(proxy));
        expect(gateways.length, `${c.name}: ${proxy} Gateways`).to.be.at.least(2);
        for (const gw of gateways) {
            const options = (gw.spec.options?.socketOptions ?? []) as Obj[];
            const keepalive = options.filter((o) => KEEPALIVE_OPTIONS.has(`${o.level}/${o.name}`));
            const ut = v.gatewaySettings?.tcpUserTimeoutSeconds;
            const wantOptions = [
                ...(downstream ? toSocketOptions(downstream) : []),
                ...(ut === undefined ? [] : [toUserTimeoutSocketOption(ut)]),
            ];
            expect(keepalive, `${c.name}: Gateway ${gw.metadata.name}`).to.deep.equal(wantOptions);
            if (gw.metadata.name.endsWith("-failover")) continue;
            const idle = v.gatewaySettings?.httpIdleTimeoutSeconds;
            expect(
                gw.spec.httpGateway?.options?.httpConnectionManagerSettings?.idleTimeout,
                `${c.name}: Gateway ${gw.metadata.name} idleTimeout`,
            ).to.equal(idle === undefined ? undefined : `${idle}s`);
        }
        const sysctls = ((podOf(objects, proxy).spec.securityContext?.sysctls ?? []) as Obj[]).filter((s) =>
            KEEPALIVE_SYSCTLS.test(s.name),
        );
        const wantSysctls = asked.intervalSeconds !== undefined || asked.probes !== undefined || v.podTemplate?.tcpKeepaliveSysctls;
        expect(sysctls, `${c.name}: ${proxy} pod sysctls`).to.deep.equal(wantSysctls ? toPodSysctls(asked) : []);
    }
}

const mandatory = (findings: Finding[]) =>
    findings.filter((f) => f.level === "mandatory").map((f) => `${f.object} ${f.path}: ${f.message}`);

const HELMS: HelmBinary[] = [];
const rendered = new Map<string, Rendered>();

/** Lower and render every case with helm 3 and 4, with and without the lowering, once for the whole file. */
function renderCases(): void {
    if (rendered.size > 0) return;
    HELMS.push(helmBinary(3), helmBinary(4));
    for (const c of cases) {
        const lowered = lowerForGlooChart([c.typed], c.gloo, { releaseName: "gloo", namespace: NAMESPACE });
        const chartValues = c.ee ? (lowered.values.gloo as Obj) : lowered.values;
        const byHelm = new Map<number, { with: KubernetesObject[]; without: KubernetesObject[] }>();
        for (const helm of HELMS) {
            byHelm.set(helm.major, {
                with: helmTemplateObjects(helm.path, GLOO_CHART, "gloo", NAMESPACE, chartValues),
                without: helmTemplateObjects(helm.path, GLOO_CHART, "gloo", NAMESPACE, c.baseline),
            });
        }
        rendered.set(c.name, { lowered, byHelm });
    }
}

describe("solo-io's gloo chart with the lowered values (real helm 3 and 4)", function () {
    this.timeout(180_000);
    const helms = HELMS;
    before(renderCases);

    it(`covers the dev and prod stacks and ${CORPUS_SIZE} generated cases, both shapes, with and without failover, user sysctls and options`, () => {
        expect(cases.filter((c) => c.ee).length).to.be.at.least(2);
        expect(cases.filter((c) => !c.ee).length).to.be.at.least(2);
        expect(cases.some((c) => JSON.stringify(c.gloo).includes("ip_unprivileged_port_start"))).to.equal(true);
        expect(cases.some((c) => JSON.stringify(c.gloo).includes("net.core.somaxconn"))).to.equal(true);
        expect(cases.some((c) => JSON.stringify(c.gloo).includes("httpGatewayKubeOverride"))).to.equal(true);
        expect(cases.some((c) => JSON.stringify(c.gloo).includes('"tracing":{"cluster"'))).to.equal(true);
        expect(cases.some((c) => JSON.stringify(c.gloo).includes('"failover":{"enabled":true}'))).to.equal(true);
        expect(cases.some((c) => JSON.stringify(c.gloo).includes("customHttpsGateway"))).to.equal(true);
        expect(cases.some((c) => JSON.stringify(c.gloo).includes('"provider"'))).to.equal(true);
        for (const key of ['"tcpUserTimeoutSeconds"', '"httpIdleTimeoutSeconds"'])
            expect(cases.filter((c) => JSON.stringify(c.typed).includes(key)).length, key).to.be.at.least(3);
    });

    it("every static cluster, both Gateways and the pod carry the keepalive the typed values ask for", () => {
        for (const c of cases) {
            const r = rendered.get(c.name)!;
            for (const helm of helms) expectKeepaliveCarried(c, r.lowered, r.byHelm.get(helm.major)!.with);
        }
    });

    it("with the keepalive taken out, the chart renders exactly what it renders for the same values without the lowering", () => {
        for (const c of cases) {
            const r = rendered.get(c.name)!;
            for (const helm of helms) {
                const { with: lowered, without } = r.byHelm.get(helm.major)!;
                expect(withoutKeepalive(lowered), `${c.name}, helm ${helm.major}`).to.deep.equal(withoutKeepalive(without));
            }
        }
    });

    it("the failover Gateway gets the downstream keepalive through its own override", () => {
        const c = cases.find(
            (x) => JSON.stringify(x.gloo).includes('"failover":{"enabled":true}') && JSON.stringify(x.typed).includes('tcpKeepalive":'),
        )!;
        const objects = rendered.get(c.name)!.byHelm.get(4)!.with;
        const failover = gatewaysOf(objects).filter((gw) => gw.metadata.name.endsWith("-failover"));
        expect(failover.length, c.name).to.be.at.least(1);
        for (const gw of failover) expect(gw.spec.options?.socketOptions?.length ?? 0, gw.metadata.name).to.be.at.least(1);
    });
});

describe("the policy rules and the report over solo-io's chart with the lowered values", function () {
    this.timeout(180_000);
    const helms = HELMS;
    before(renderCases);

    // After Gloo's merge over gatewayProxy: an entry inherits the default entry's downstream keepalive field by field.
    const downstreamEverywhere = (c: Case) =>
        rendered.get(c.name)!.lowered.proxies.every((p) => Object.keys(p.render.values.gatewaySettings?.tcpKeepalive ?? {}).length === 3);

    it("the policy rules pass every lowered render with downstream keepalive, Gateways inside gloo-custom-resource-config included", () => {
        const passing = cases.filter(downstreamEverywhere);
        expect(passing.length).to.be.at.least(10);
        for (const c of passing) {
            const r = rendered.get(c.name)!;
            const upstreams = r.lowered.render.objects.filter((o) => o.kind === "Upstream");
            for (const helm of helms)
                expect(
                    mandatory(checkObjects([...r.byHelm.get(helm.major)!.with, ...upstreams]).findings),
                    `${c.name}, helm ${helm.major}`,
                ).to.deep.equal([]);
        }
    });

    it("the policy rules fail the bad variants (a proxy without, or with partial, downstream keepalive), naming each of its Gateways", () => {
        const failing = cases.filter((c) => !downstreamEverywhere(c));
        expect(failing.length).to.be.at.least(1);
        for (const c of failing) {
            const r = rendered.get(c.name)!;
            const messages = mandatory(checkObjects(r.byHelm.get(3)!.with).findings);
            const incomplete = r.lowered.proxies.filter((p) => Object.keys(p.render.values.gatewaySettings?.tcpKeepalive ?? {}).length < 3);
            expect(incomplete.length, c.name).to.be.at.least(1);
            for (const p of incomplete)
                for (const gw of gatewaysOf(r.byHelm.get(3)!.with).filter((g) => g.spec.proxyNames.includes(p.render.name))) {
                    const at = `Gateway/gloo-system/${gw.metadata.name} (in ConfigMap/gloo-system/gloo-custom-resource-config data["custom-resources"]) spec.options.socketOptions: missing `;
                    expect(
                        messages.filter((m) => m.startsWith(at)),
                        `${c.name}: ${gw.metadata.name}`,
                    ).to.have.length(1);
                }
        }
    });

    it("the policy rules fail the chart rendered without the lowering, naming each hop left without keepalive", () => {
        const c = cases.find((x) => x.name === "stack prod")!;
        const messages = mandatory(checkObjects(rendered.get(c.name)!.byHelm.get(3)!.without).findings);
        expect(
            messages.some((m) =>
                /Gateway\/gloo-system\/gateway-proxy \(in ConfigMap\/gloo-system\/gloo-custom-resource-config .*missing SO_KEEPALIVE/.test(
                    m,
                ),
            ),
        ).to.equal(true);
        expect(messages.some((m) => m.includes('static cluster "otel_collector"') || m.includes("otel_collector"))).to.equal(false); // its own keepalive_time 90
        expect(messages.some((m) => m.includes('downstream listener (Gateway) "gateway-proxy-ssl" has no keepalive'))).to.equal(true);
    });

    it("the report says per hop what the chart gets and what it cannot, with the worst-case detection", () => {
        const prod = glooChartReport(rendered.get("stack prod")!.lowered)[0];
        const xds = prod.hops.find((h) => h.kind === "xds")!;
        expect(xds.effective).to.deep.equal({ timeSeconds: 120, intervalSeconds: 20, probes: 3 });
        expect(xds.cannot).to.match(/http2_protocol_options: \{\}/);
        expect(prod.hops.find((h) => h.name === "admin_port_cluster")?.status).to.equal("loopback");
        expect(prod.worstDetectionSeconds).to.equal(
            Math.max(...prod.hops.filter((h) => h.status !== "loopback").map((h) => h.detectionSeconds!)),
        );
        expect(prod.worstDetectionSeconds).to.equal(300 + 15 * 3);
    });
});

describe("check --gloo-chart (real helm)", function () {
    this.timeout(120_000);
    const helm = () => helmBinary(4).path;
    const write = (name: string, value: unknown) => {
        const file = path.join(require("os").tmpdir(), `gk-gloo-${process.pid}-${name}.yaml`);
        require("fs").writeFileSync(file, yaml.dump(value));
        return file;
    };

    it("passes the prod stack, and fails an access-logger chart naming the cluster the chart renders without keepalive", () => {
        const ok = runCli(["check", "--gloo-chart", GLOO_CHART, "--stack", "prod", "--helm", helm()]);
        expect(ok.status, ok.stderr).to.equal(0);
        expect(ok.stdout).to.include("the check passes");
        const bad = runCli([
            "check",
            "--gloo-chart",
            GLOO_CHART,
            "--stack",
            "prod",
            "--helm",
            helm(),
            "--gloo-values",
            write("al", { accessLogger: { enabled: true } }),
        ]);
        expect(bad.status).to.equal(1);
        expect(bad.stderr).to.include('static cluster "access_log_cluster" has no tcp_keepalive');
    });

    it("fails typed values without downstream keepalive, naming both Gateways inside the custom-resources ConfigMap", () => {
        const run = runCli([
            "check",
            "--gloo-chart",
            GLOO_CHART,
            "--values",
            write("nodown", { gatewayProxies: { gatewayProxy: { tcpKeepaliveTimeSeconds: 60 } } }),
            "--helm",
            helm(),
        ]);
        expect(run.status).to.equal(1);
        for (const gw of ["gateway-proxy", "gateway-proxy-ssl"])
            expect(run.stderr).to.include(
                `[gateway-socket-options-keepalive] Gateway/gloo-system/${gw} (in ConfigMap/gloo-system/gloo-custom-resource-config data["custom-resources"]) spec.options.socketOptions: missing SO_KEEPALIVE`,
            );
    });
});

describe("lowering errors and render --for gloo-chart", () => {
    it("refuses bad keepalive in the Gloo values file, a clashing keepalive sysctl and a replaced bootstrap, naming the value path, before running helm", () => {
        const bad = {
            gatewayProxies: {
                gatewayProxy: {
                    envoyStaticClusters: [
                        { ...staticCluster(new Gen(7), "otel"), upstream_connection_options: { tcp_keepalive: { keepalive_probes: 300 } } },
                    ],
                },
            },
        };
        expect(() => lowerForGlooChart([{}], bad)).to.throw(
            ValuesError,
            "gatewayProxies.gatewayProxy.envoyStaticClusters[0].upstream_connection_options.tcp_keepalive.keepalive_probes: 300 exceeds the kernel maximum 127",
        );
        const sysctl = {
            gatewayProxies: {
                gatewayProxy: {
                    kubeResourceOverride: {
                        spec: {
                            template: { spec: { securityContext: { sysctls: [{ name: "net.ipv4.tcp_keepalive_probes", value: "9" }] } } },
                        },
                    },
                },
            },
        };
        expect(() => lowerForGlooChart([{ gatewayProxies: { gatewayProxy: { tcpKeepaliveProbes: 3 } } }], sysctl)).to.throw(
            ValuesError,
            'gatewayProxies.gatewayProxy pod sysctl net.ipv4.tcp_keepalive_probes: is set to "9" (kubeResourceOverride or podTemplate.podSecurityContext), but the typed keepalive asks for 3',
        );
        expect(() => lowerForGlooChart([{ gatewayProxies: { gatewayProxy: { tcpKeepaliveProbes: 9 } } }], sysctl)).to.not.throw();
        const replaced = { gloo: { gatewayProxies: { edge: { configMap: { data: { "envoy.yaml": "{}" } } } } } };
        expect(() => lowerForGlooChart([{}], replaced)).to.throw(
            ValuesError,
            "gloo.gatewayProxies.edge.configMap.data: replaces the chart's Envoy bootstrap",
        );
        const run = runCli(["check", "--gloo-chart", GLOO_CHART, "--stack", "dev", "--helm", "/nonexistent/helm"]); // lowering passes, helm cannot run
        expect(run.status).to.equal(1);
        expect(run.stderr).to.include("--helm: cannot run /nonexistent/helm");
    });

    it("refuses an own idleTimeout that differs from httpIdleTimeoutSeconds, keeps an equal one, and reports TCP_USER_TIMEOUT as not carried by the built-in clusters", () => {
        const typed = {
            gatewayProxies: {
                gatewayProxy: { tcpKeepaliveTimeSeconds: 60, tcpUserTimeoutSeconds: 120, gatewaySettings: { httpIdleTimeoutSeconds: 600 } },
            },
        };
        const own = (idleTimeout: string) => ({
            gatewayProxies: {
                gatewayProxy: {
                    gatewaySettings: {
                        customHttpGateway: { options: { httpConnectionManagerSettings: { idleTimeout, useRemoteAddress: true } } },
                    },
                },
            },
        });
        expect(() => lowerForGlooChart([typed], own("300s"))).to.throw(
            ValuesError,
            'gatewayProxies.gatewayProxy.gatewaySettings.customHttpGateway.options.httpConnectionManagerSettings.idleTimeout: is "300s", but gatewayProxies.gatewayProxy.gatewaySettings.httpIdleTimeoutSeconds asks for 600s',
        );
        const lowered = lowerForGlooChart([typed], own("600s"));
        const settings = (lowered.values.gatewayProxies as Obj).gatewayProxy.gatewaySettings;
        expect(settings.customHttpGateway).to.deep.equal({
            options: { httpConnectionManagerSettings: { idleTimeout: "600s", useRemoteAddress: true } },
        });
        expect(settings).to.not.have.property("httpIdleTimeoutSeconds");
        const xds = glooChartReport(lowered)[0].hops.find((h) => h.kind === "xds")!;
        expect(xds.cannot).to.include(
            "TCP_USER_TIMEOUT (tcpUserTimeoutSeconds 120): the chart renders no upstream_bind_config on its built-in clusters",
        );
    });

    it("render --for gloo-chart writes gloo-values.yaml equal to the library's lowering, explain --for gloo-chart reports per hop, an unknown target is refused", () => {
        const out = path.join(require("os").tmpdir(), `gk-gloo-out-${process.pid}`);
        const run = runCli(["render", "--for", "gloo-chart", "--stack", "prod", "--out", out]);
        expect(run.status, run.stderr).to.equal(0);
        const stack = readStackConfig("prod", REPO_ROOT);
        const expected = lowerForGlooChart([stack.values], {}, { releaseName: "gloo", namespace: stack.namespace }).values;
        expect(yaml.load(require("fs").readFileSync(path.join(out, "gloo-values.yaml"), "utf8"))).to.deep.equal(expected);
        expect(run.stdout).to.include("what the chart cannot carry:");
        const explained = runCli(["explain", "--for", "gloo-chart", "--stack", "prod"]);
        expect(explained.status, explained.stderr).to.equal(0);
        expect(explained.stdout).to.include("worst-case detection 345s");
        expect(explained.stdout).to.include("loadBalancerIdleTimeoutSeconds 350: the chart renders no idle-timeout annotation");
        expect(explained.stdout).to.match(/static-cluster\s+otel_collector\s+90\s+20\s+3\s+150/);
        const wrong = runCli(["render", "--for", "gloo", "--stack", "prod", "--out", out]);
        expect(wrong.status).to.equal(1);
        expect(wrong.stderr).to.include('--for: "gloo" is not a target');
    });
});
