/**
 * The corpus's pod and Service keys: security contexts (with their merge policies and the
 * keepalive sysctls next to the user's own), extra labels, containers, init containers, ports,
 * volumes and mounts, customEnv, priorityClassName and the Service's customPorts.
 */
import type { GatewayProxyValues, GlooKeepaliveValues } from "../components/values/types";
import type { Gen } from "./value-generator";

type Json = Record<string, unknown>;

function securityContexts(g: Gen, pod: NonNullable<GatewayProxyValues["podTemplate"]>): void {
    if (g.chance(0.3)) pod.runUnprivileged = g.chance(0.6);
    if (g.chance(0.2)) pod.floatingUserId = g.chance(0.5);
    if (g.chance(0.15)) pod.enablePodSecurityContext = g.chance(0.4);
    if (g.chance(0.3)) {
        const own: Json = { runAsGroup: g.pick([1000, 2000]) };
        if (g.chance(0.5)) own.mergePolicy = g.pick(["no-merge", "helm-merge"]);
        if (g.chance(0.4)) own.runAsUser = g.pick([0, 1000, 4242]);
        if (g.chance(0.5)) {
            own.sysctls = [{ name: "net.core.somaxconn", value: String(g.int(128, 4096)) }];
        }
        if (g.chance(0.2)) own.seccompProfile = { type: g.pick(["RuntimeDefault", "Localhost"]) };
        pod.podSecurityContext = own;
    }
    if (g.chance(0.3)) {
        const own: Json = g.pick<Json>([
            { privileged: false },
            { runAsUser: 4242 },
            { readOnlyRootFilesystem: false },
            { runAsNonRoot: false },
        ]);
        if (g.chance(0.5)) own.mergePolicy = g.pick(["no-merge", "helm-merge"]);
        pod.glooContainerSecurityContext = own;
    }
}

function extras(g: Gen, p: GatewayProxyValues, pod: NonNullable<GatewayProxyValues["podTemplate"]>): void {
    if (g.chance(0.3)) pod.extraGatewayProxyLabels = { [`team.example.com/${g.word()}`]: g.pick(["a", "true", "1"]) };
    if (g.chance(0.3)) pod.extraPorts = [{ containerPort: g.int(9000, 9999), name: `x-${g.word(2, 5)}`, protocol: "TCP" }];
    if (g.chance(0.2)) pod.extraContainers = [{ name: `side-${g.word(2, 5)}`, image: "busybox:1.36", args: ["sleep", "infinity"] }];
    if (g.chance(0.2)) pod.extraInitContainers = [{ name: "init", image: "busybox:1.36", command: ["true"] }];
    if (g.chance(0.2)) {
        p.extraVolumes = [{ name: "extra", emptyDir: {} }];
        if (g.chance(0.7)) p.extraProxyVolumeMounts = [{ name: "extra", mountPath: `/etc/${g.word()}` }];
    }
    if (g.chance(0.2)) {
        const deployment = { ...(p.kind?.deployment ?? {}) } as Json;
        if (g.chance(0.6)) deployment.customEnv = [{ name: "ENVOY_EXTRA", value: g.word() }];
        if (g.chance(0.5)) deployment.priorityClassName = g.pick(["system-cluster-critical", "high"]);
        p.kind = { ...(p.kind ?? {}), deployment } as GatewayProxyValues["kind"];
    }
    if (g.chance(0.2)) p.service = { ...(p.service ?? {}), customPorts: [{ name: "tcp", port: g.int(9000, 9999), protocol: "TCP" }] };
}

/** Adds the pod and Service keys to one corpus entry (`maybe`: the entry's chance of a group). */
export function podValues(g: Gen, p: GatewayProxyValues, maybe: (prob: number) => boolean): void {
    if (!maybe(0.4)) return;
    const pod = { ...(p.podTemplate ?? {}) };
    securityContexts(g, pod);
    extras(g, p, pod);
    p.podTemplate = pod;
}

/** Gloo's global security values, for a batch. */
export function securityGlobals(g: Gen, values: GlooKeepaliveValues): void {
    if (g.chance(0.15)) values.global = { ...values.global, securitySettings: { floatingUserId: g.chance(0.5) } };
    if (g.chance(0.2)) {
        const container = {
            enableRestrictedContainerDefaults: g.chance(0.7),
            ...(g.chance(0.4) ? { defaultSeccompProfileType: g.pick(["RuntimeDefault", "Localhost"]) } : {}),
        };
        values.global = { ...values.global, podSecurityStandards: { container } };
    }
}
