/**
 * The proxy pod as Gloo renders it, and what stays ours: the keepalive sysctls survive every
 * securityContext form Gloo has, the hardening holds wherever the values leave it unset, and
 * the `*Helper` keys are named as not rendered with the reason. The library and our chart
 * (Helm 3 and 4) agree; a template changed on purpose is caught by the Gloo chart comparison.
 */
import { expect } from "chai";
import type { KubernetesObject } from "../components/render/manifests";
import { helmMerge } from "../components/render/pod-security";
import { renderValues } from "../components/render/render";
import { notRenderedReasons } from "../components/values/not-rendered";
import { helmBinaries } from "../scripts/helm";
import { brokenChart, helmTemplate, helmTemplateAsync, libraryObjects } from "./chart-harness";
import { glooDiffs, glooTemplate } from "./gloo-harness";
import { ahead } from "./helm-pool";

type Json = Record<string, unknown>;

const KEEPALIVE = { tcpKeepaliveTimeSeconds: 90, tcpKeepaliveIntervalSeconds: 10, tcpKeepaliveProbes: 5 };
const KEEPALIVE_SYSCTLS = [
    { name: "net.ipv4.tcp_keepalive_time", value: "90" },
    { name: "net.ipv4.tcp_keepalive_intvl", value: "10" },
    { name: "net.ipv4.tcp_keepalive_probes", value: "5" },
];

function podSpec(objects: readonly KubernetesObject[], name = "edge"): Json {
    const workload = objects.find((o) => ["Deployment", "DaemonSet"].includes(o.kind) && o.metadata.name === name);
    return (workload?.spec as { template: { spec: Json } }).template.spec;
}
const podContext = (objects: readonly KubernetesObject[]) => podSpec(objects).securityContext as Json;
const containerContext = (objects: readonly KubernetesObject[]) =>
    ((podSpec(objects).containers as Json[]).find((c) => c.name === "edge") as Json).securityContext as Json;

const edge = (podTemplate: Json, extra: Json = {}) => ({
    gatewayProxies: { edge: { ...KEEPALIVE, podTemplate: { tcpKeepaliveSysctls: true, ...podTemplate }, ...extra } },
});

describe("the proxy pod's security contexts", () => {
    it("merge as Helm's merge does: only unset or empty values are filled, maps key by key", () => {
        expect(helmMerge({ runAsUser: 0, a: { b: 1 }, list: [1] }, { runAsUser: 10101, a: { c: 2 }, list: [2], d: null })).to.deep.equal({
            runAsUser: 10101,
            a: { b: 1, c: 2 },
            list: [1],
        });
    });

    const forms: [string, unknown][] = [
        ["Gloo's defaults", edge({})],
        ["enablePodSecurityContext: false", edge({ enablePodSecurityContext: false })],
        ["global.securitySettings.floatingUserId", { ...edge({}), global: { securitySettings: { floatingUserId: true } } }],
        [
            "a podSecurityContext with its own sysctls (no-merge)",
            edge({ podSecurityContext: { sysctls: [{ name: "net.core.somaxconn", value: "1024" }] } }),
        ],
        [
            "a podSecurityContext (helm-merge) setting a keepalive sysctl to our value",
            edge({ podSecurityContext: { mergePolicy: "helm-merge", sysctls: [KEEPALIVE_SYSCTLS[0]] } }),
        ],
    ];
    for (const [form, values] of forms) {
        it(`keep the keepalive sysctls and the hardening with ${form}`, () => {
            const context = podContext(libraryObjects(values));
            const names = (context.sysctls as Json[]).map((s) => s.name);
            expect(context.sysctls).to.deep.include.members(KEEPALIVE_SYSCTLS);
            expect(new Set(names).size, "each sysctl once").to.equal(names.length);
            expect(context).to.include({ runAsNonRoot: true });
            expect(context.seccompProfile).to.deep.equal({ type: "RuntimeDefault" });
        });
    }

    it("honour what the values set explicitly, and never add runAsNonRoot to a pod asked to run as root", () => {
        const own = podContext(
            libraryObjects(
                edge({
                    podSecurityContext: { runAsNonRoot: false, seccompProfile: { type: "Localhost", localhostProfile: "envoy.json" } },
                }),
            ),
        );
        expect(own).to.include({ runAsNonRoot: false });
        expect(own.seccompProfile).to.deep.equal({ type: "Localhost", localhostProfile: "envoy.json" });
        const root = libraryObjects(edge({ runAsUser: 0, runUnprivileged: false }));
        expect(podContext(root)).to.not.have.property("runAsNonRoot");
        expect(containerContext(root)).to.include({ runAsNonRoot: false, runAsUser: 0 });
        expect(containerContext(libraryObjects(edge({})))).to.include({ runAsNonRoot: true, runAsUser: 10101 });
    });

    it("name the *Helper keys as not rendered, with the reason, and not the keys rendered here", () => {
        const { notRendered } = renderValues([
            edge(
                { extraPorts: [{ containerPort: 9000 }] },
                { extraContainersHelper: "my.sidecars", extraVolumes: [{ name: "v", emptyDir: {} }] },
            ),
        ]);
        expect(notRendered).to.include("gatewayProxies.edge.extraContainersHelper");
        expect(notRendered).to.not.include.members(["gatewayProxies.edge.podTemplate.extraPorts", "gatewayProxies.edge.extraVolumes"]);
        expect(notRenderedReasons(notRendered).join("\n")).to.match(
            /^gatewayProxies\.edge\.extraContainersHelper: names a template of a chart/,
        );
    });

    for (const bin of helmBinaries()) {
        it(`render the same in our chart (Helm ${bin.version})`, async function () {
            this.timeout(120_000);
            // Every form's helm run starts now, HELM_JOBS at a time (test/helm-pool.ts), while earlier ones are compared.
            const runs = forms.map(([, values]) => ahead(helmTemplateAsync(bin, values)));
            for (const [i, [, values]] of forms.entries()) {
                const run = (await runs[i])();
                expect(run.status, run.stderr).to.equal(0);
                const library = libraryObjects(values);
                expect(podContext(run.objects)).to.deep.equal(podContext(library));
                expect(containerContext(run.objects)).to.deep.equal(containerContext(library));
            }
        });

        it(`a changed pod template is caught against the Gloo chart, naming the path (Helm ${bin.version})`, function () {
            this.timeout(120_000);
            const broken = brokenChart([
                ["_pod.tpl", `eq (toString $values.mergePolicy) "helm-merge"`, `eq (toString $values.mergePolicy) "helm-merged"`],
                ["gateway-proxy.yaml", "$servicePorts = concat $servicePorts .", "$servicePorts = $servicePorts"],
            ]);
            const values = {
                gatewayProxies: {
                    gatewayProxy: {
                        podTemplate: { podSecurityContext: { mergePolicy: "helm-merge", runAsGroup: 2000 } },
                        service: { customPorts: [{ name: "tcp", port: 9000, protocol: "TCP" }] },
                    },
                },
            };
            const run = helmTemplate(bin, values, { release: "gloo", chart: broken });
            expect(run.status, run.stderr).to.equal(0);
            const diffs = glooDiffs(run.objects, glooTemplate(bin, values));
            expect(diffs).to.include(
                "Deployment/gloo-system/gateway-proxy.spec.template.spec.securityContext.fsGroup: ours undefined != gloo 10101",
            );
            expect(
                diffs.some((d) => d.startsWith("Service/gloo-system/gateway-proxy.spec.ports.2:")),
                diffs.join("\n"),
            ).to.equal(true);
        });
    }
});
