import { expect } from "chai";
import * as yaml from "js-yaml";
import { validateEnvoyBootstrap } from "../components/checks/envoy/validate";
import { BOOTSTRAP_KEY } from "../components/render/manifests";
import { envoyBootstrapKeepalive } from "../policy/policies";
import { bootstrapKeepaliveRule } from "../policy/policies/envoy-bootstrap-keepalive";
import { objectRef, plainCopy, pulumiType } from "../policy/lib/objects";
import {
    bootstrapConfigMap,
    bootstrapOf,
    devObject,
    HELM_CHART_URN,
    remediate,
    resourceArgs,
    stackObjects,
    validate,
    type Bootstrap,
} from "./policy-harness";

const run = (object: Record<string, unknown>, options = {}) => validate(envoyBootstrapKeepalive, resourceArgs(object, options));
const dropKeepalive = (index: number) => (b: Bootstrap) =>
    void delete (b.static_resources.clusters[index].upstream_connection_options as Record<string, unknown>).tcp_keepalive;
const setField = (index: number, field: string, value: unknown) => (b: Bootstrap) => {
    (b.static_resources.clusters[index].upstream_connection_options as Record<string, Record<string, unknown>>).tcp_keepalive[field] =
        value;
};
const PATH = (i: number) => `data["envoy.yaml"].static_resources.clusters[${i}].upstream_connection_options.tcp_keepalive`;

describe("policy envoy-bootstrap-keepalive", () => {
    it("is mandatory by default, applies to kubernetes:core/v1:ConfigMap, and declares defaultKeepalive with defaults", () => {
        expect(envoyBootstrapKeepalive.enforcementLevel).to.equal("mandatory");
        expect(bootstrapKeepaliveRule.types).to.deep.equal(["kubernetes:core/v1:ConfigMap"]);
        expect(envoyBootstrapKeepalive.configSchema?.properties.defaultKeepalive.default).to.deep.equal({
            timeSeconds: 60,
            intervalSeconds: 20,
            probes: 3,
        });
    });

    it("passes the dev and prod bootstrap ConfigMaps as the library renders them", async () => {
        for (const stack of ["dev", "prod"] as const) {
            const configMaps = stackObjects(stack).filter((o) => o.kind === "ConfigMap");
            expect(configMaps).to.have.length(1);
            expect(await run(configMaps[0]), stack).to.deep.equal([]);
        }
    });

    it("reports a static cluster without tcp_keepalive, naming the cluster and the value path", async () => {
        const messages = await run(bootstrapConfigMap(dropKeepalive(2)));
        expect(messages).to.have.length(1);
        expect(messages[0]).to.match(
            /^data\["envoy\.yaml"\]\.static_resources\.clusters\[2\]\.upstream_connection_options\.tcp_keepalive: static cluster "wasm-cache" has no tcp_keepalive/,
        );
        expect(messages[0]).to.include(
            'Fix: add upstream_connection_options.tcp_keepalive, e.g. {"keepalive_time":60,"keepalive_interval":20,"keepalive_probes":3}',
        );
    });

    it("calls the cluster the dynamic resources reach over gRPC the xDS cluster", async () => {
        const [message] = await run(bootstrapConfigMap(dropKeepalive(0)));
        expect(message).to.include(`${PATH(0)}: xDS cluster "gloo.gloo-system.svc.cluster.local:9977" has no tcp_keepalive`);
    });

    it("reports a cluster without upstream_connection_options at all", async () => {
        const messages = await run(bootstrapConfigMap((b) => void delete b.static_resources.clusters[1].upstream_connection_options));
        expect(messages).to.have.length(1);
        expect(messages[0]).to.include(`${PATH(1)}: static cluster "rest_xds_cluster" has no tcp_keepalive`);
    });

    const outOfBounds: [string, unknown, string][] = [
        ["keepalive_probes", 300, "300 exceeds the kernel maximum 127"],
        ["keepalive_probes", 0, "0 is below the kernel minimum 1"],
        ["keepalive_time", 0, "0 is below the kernel minimum 1"],
        ["keepalive_time", 32768, "32768 exceeds the kernel maximum 32767"],
        ["keepalive_interval", 1.5, "1.5 is not a whole number (never rounded)"],
        ["keepalive_time", "60s", '"60s" is not a whole number of seconds'],
    ];
    for (const [field, value, problem] of outOfBounds) {
        it(`reports ${field} ${JSON.stringify(value)}: ${problem}`, async () => {
            const messages = await run(bootstrapConfigMap(setField(2, field, value)));
            expect(messages).to.deep.equal([
                `${PATH(2)}.${field}: ${problem}. Fix: set ${field} to a whole number ${field === "keepalive_probes" ? "1..127" : "1..32767 (seconds)"}`,
            ]);
        });
    }

    it("accepts the kernel's bounds themselves and a partial tcp_keepalive (unset fields are the OS default)", async () => {
        expect(await run(bootstrapConfigMap(setField(0, "keepalive_time", 32767)))).to.deep.equal([]);
        expect(await run(bootstrapConfigMap(setField(0, "keepalive_probes", 1)))).to.deep.equal([]);
        expect(
            await run(
                bootstrapConfigMap((b) => {
                    (b.static_resources.clusters[2].upstream_connection_options as Record<string, unknown>).tcp_keepalive = {
                        keepalive_time: 60,
                    };
                }),
            ),
        ).to.deep.equal([]);
    });

    it("reads a bootstrap written as YAML, not only the library's JSON", async () => {
        const configMap = bootstrapConfigMap(dropKeepalive(1));
        const asYaml = plainCopy(configMap);
        (asYaml.data as Record<string, string>)[BOOTSTRAP_KEY] = yaml.dump(bootstrapOf(configMap));
        expect((asYaml.data as Record<string, string>)[BOOTSTRAP_KEY]).to.not.match(/^\{/);
        expect(await run(asYaml)).to.deep.equal(await run(configMap));
    });

    it('knows a bootstrap by node.cluster "gateway" without the labels, and by the labels without node.cluster', async () => {
        const unlabelled = bootstrapConfigMap(dropKeepalive(1));
        delete (unlabelled.metadata as { labels?: unknown }).labels;
        expect(await run(unlabelled)).to.have.length(1);
        const labelledOnly = bootstrapConfigMap((b) => {
            dropKeepalive(1)(b);
            (b.node as Record<string, unknown>).cluster = "edge";
        });
        expect(await run(labelledOnly)).to.have.length(1);
    });

    it("leaves other ConfigMaps and other kinds alone", async () => {
        const other = bootstrapConfigMap((b) => {
            dropKeepalive(1)(b);
            (b.node as Record<string, unknown>).cluster = "sidecar";
        });
        delete (other.metadata as { labels?: unknown }).labels;
        expect(await run(other)).to.deep.equal([]);
        expect(
            await run({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "default" }, data: { "app.conf": "a: 1" } }),
        ).to.deep.equal([]);
        expect(
            await run({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { [BOOTSTRAP_KEY]: "{not yaml" } }),
        ).to.deep.equal([]);
        const serviceAccount = devObject("ServiceAccount");
        expect(pulumiType(serviceAccount)).to.equal("kubernetes:core/v1:ServiceAccount");
        expect(await run({ ...serviceAccount, data: bootstrapConfigMap(dropKeepalive(1)).data })).to.deep.equal([]);
    });

    it("refuses a ConfigMap labelled gloo: gateway-proxy whose bootstrap cannot be read", async () => {
        const broken = devObject("ConfigMap");
        (broken.data as Record<string, string>)[BOOTSTRAP_KEY] = "static_resources: [unclosed";
        const [message] = await run(broken);
        expect(message).to.match(/^data\["envoy\.yaml"\]: does not parse as YAML/);
        const empty = devObject("ConfigMap");
        (empty.data as Record<string, string>)[BOOTSTRAP_KEY] = "admin: {}";
        expect((await run(empty))[0]).to.include("has no static_resources.clusters");
        const none = devObject("ConfigMap");
        delete (none.data as Record<string, string>)[BOOTSTRAP_KEY];
        expect((await run(none))[0]).to.include("has no envoy.yaml text");
    });

    it("checks a helm chart's child (parent kubernetes:helm.sh/v4:Chart) exactly like a direct object", async () => {
        const broken = bootstrapConfigMap(dropKeepalive(2));
        const args = resourceArgs(broken, { parent: HELM_CHART_URN });
        expect(args.opts.parent).to.equal(HELM_CHART_URN);
        expect(args.urn).to.include("kubernetes:helm.sh/v4:Chart$kubernetes:core/v1:ConfigMap::");
        const messages = await validate(envoyBootstrapKeepalive, args);
        expect(messages).to.have.length(1);
        expect(messages).to.deep.equal(await run(broken));
        expect(await validate(envoyBootstrapKeepalive, resourceArgs(bootstrapConfigMap(), { parent: HELM_CHART_URN }))).to.deep.equal([]);
    });

    describe("remediation", () => {
        const broken = () =>
            bootstrapConfigMap((b) => {
                dropKeepalive(0)(b);
                delete b.static_resources.clusters[1].upstream_connection_options;
                (b.static_resources.clusters[2].upstream_connection_options as Record<string, unknown>).tcp_keepalive = {
                    keepalive_probes: 7,
                };
            });

        it("adds defaultKeepalive to every cluster without tcp_keepalive, re-serialised, and the result passes the strict Envoy check and the rule", async () => {
            const fixed = await remediate(envoyBootstrapKeepalive, broken());
            expect(fixed).to.not.equal(undefined);
            const bootstrap = bootstrapOf(fixed!);
            expect(validateEnvoyBootstrap(bootstrap, "remediated")).to.deep.equal([]);
            const keepalive = bootstrap.static_resources.clusters.map(
                (c) => (c.upstream_connection_options as { tcp_keepalive?: unknown } | undefined)?.tcp_keepalive,
            );
            expect(keepalive).to.deep.equal([
                { keepalive_time: 60, keepalive_interval: 20, keepalive_probes: 3 },
                { keepalive_time: 60, keepalive_interval: 20, keepalive_probes: 3 },
                { keepalive_probes: 7 }, // set by its owner: left as it is
                { keepalive_time: 60, keepalive_interval: 20, keepalive_probes: 3 },
            ]);
            expect(await run(fixed!)).to.deep.equal([]);
            expect(await run(broken())).to.have.length(2);
        });

        it("uses the configured defaultKeepalive, a partial one over the defaults", async () => {
            const fixed = await remediate(envoyBootstrapKeepalive, broken(), {
                config: { enforcementLevel: "remediate", defaultKeepalive: { timeSeconds: 45, probes: 4 } },
            });
            expect(bootstrapOf(fixed!).static_resources.clusters[0].upstream_connection_options).to.deep.include({
                tcp_keepalive: { keepalive_time: 45, keepalive_interval: 20, keepalive_probes: 4 },
            });
        });

        it("changes nothing else: metadata, other clusters and the rest of the bootstrap stay as they were", async () => {
            const before = broken();
            const fixed = (await remediate(envoyBootstrapKeepalive, before))!;
            expect(fixed.metadata).to.deep.equal(before.metadata);
            const a = bootstrapOf(before);
            const b = bootstrapOf(fixed);
            expect(b.static_resources.clusters[2]).to.deep.equal(a.static_resources.clusters[2]);
            expect(b.static_resources.clusters[3]).to.deep.equal(a.static_resources.clusters[3]);
            expect({ ...b, static_resources: undefined }).to.deep.equal({ ...a, static_resources: undefined });
            expect(objectRef(fixed)).to.equal("ConfigMap/gloo-system/gateway-proxy-envoy-config");
        });

        it("returns nothing when nothing is missing, or the bootstrap cannot be read, or for other kinds", async () => {
            expect(await remediate(envoyBootstrapKeepalive, bootstrapConfigMap())).to.equal(undefined);
            expect(await remediate(envoyBootstrapKeepalive, bootstrapConfigMap(setField(1, "keepalive_probes", 300)))).to.equal(undefined);
            const unreadable = devObject("ConfigMap");
            (unreadable.data as Record<string, string>)[BOOTSTRAP_KEY] = "[";
            expect(await remediate(envoyBootstrapKeepalive, unreadable)).to.equal(undefined);
            expect(await remediate(envoyBootstrapKeepalive, devObject("Gateway"))).to.equal(undefined);
        });
    });
});
