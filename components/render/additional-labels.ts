/**
 * Gloo's `global.additionalLabels`: its `gloo.labels` helper writes them after `app: gloo` and
 * before a template's own labels, on every object that carries `app: gloo`, before any
 * kubeResourceOverride is laid over it. So `additionalLabels.app` replaces `app: gloo`, and an
 * object's own labels win over them. The chart's rule is gk.withAdditionalLabels.
 */
import type { GlooKeepaliveValues } from "../values/types";
import type { KubernetesObject } from "./manifests";

/** Labels with the additional labels merged in when they carry `app: gloo` (the labels themselves otherwise). */
export function withAdditionalLabels(values: GlooKeepaliveValues, labels: Record<string, string>): Record<string, string> {
    const additional = values.global?.additionalLabels;
    if (!additional || Object.keys(additional).length === 0 || labels.app !== "gloo") return labels;
    const { app, ...own } = labels;
    return { app, ...additional, ...own } as Record<string, string>;
}

/** An object with the additional labels merged into its `app: gloo` labels. */
export function additionallyLabelled(values: GlooKeepaliveValues, object: KubernetesObject): KubernetesObject {
    const labels = object.metadata.labels;
    return labels ? { ...object, metadata: { ...object.metadata, labels: withAdditionalLabels(values, labels) } } : object;
}
