/**
 * What the components of one Pulumi program share: a render handed from whoever already rendered
 * the same values to the component it constructs (so a program renders its values once), and
 * which component deploys each Kubernetes object (so two components never deploy the same one).
 */
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesObject } from "../render/manifests";
import { objectIdentities } from "./component-args";

const handed = new WeakMap<object, unknown>();

/** Hand `render` to the component constructed with exactly this `args` object; returns `args`. */
export function handRender<A extends object>(args: A, render: unknown): A {
    handed.set(args, render);
    return args;
}

/** The render handed with `args` (by `handRender`), if any. */
export function handedRender<R>(args: object): R | undefined {
    return handed.get(args) as R | undefined;
}

/**
 * Two components of one program would deploy the same Kubernetes object (apiVersion, kind,
 * namespace, name). The mock engine accepts it; a real deployment fails (duplicate URN) or, worse,
 * two resources fight over one object.
 */
export class DuplicateKubernetesObjectError extends Error {
    constructor(
        /** The component that came second. */
        public readonly component: string,
        /** Each object it would deploy that another component already deploys: identity to that component. */
        public readonly owners: ReadonlyMap<string, string>,
    ) {
        super(
            `${component} would deploy Kubernetes object(s) already deployed by another component of this program; nothing of it was registered:\n` +
                [...owners].map(([object, owner]) => `${object}: already deployed by ${owner}`).join("\n") +
                "\nDeploy each gateway proxy once, and give each Upstream either in GatewayProxy.upstreams or as a KeepaliveUpstream, not both.",
        );
        this.name = "DuplicateKubernetesObjectError";
    }
}

// Per program: the engine connection (one per `pulumi up`, a fresh mock monitor per mocked run).
const claims = new WeakMap<object, Map<string, string>>();
const NO_ENGINE = {};

/** Record that `component` deploys `objects`; throws a DuplicateKubernetesObjectError naming both components on any clash. */
export function claimObjects(component: string, objects: readonly KubernetesObject[]): void {
    const program: object = pulumi.runtime.getMonitor() ?? NO_ENGINE;
    let owners = claims.get(program);
    if (!owners) claims.set(program, (owners = new Map()));
    const ids = objectIdentities(objects);
    const clashes = new Map<string, string>();
    ids.forEach((id, i) => {
        const owner = owners.get(id) ?? (ids.indexOf(id) < i ? component : undefined);
        if (owner !== undefined) clashes.set(id, owner);
    });
    if (clashes.size > 0) throw new DuplicateKubernetesObjectError(component, clashes);
    for (const id of ids) owners.set(id, component);
}
