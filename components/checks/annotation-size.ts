/**
 * Kubernetes' limit on the total size of one object's annotations (apimachinery's
 * TotalAnnotationSizeLimitB, 256 KiB: every key and value, in bytes). Each value is bounded by
 * the values schema; their sum is checked here on the rendered objects, at the value path of the
 * annotations the user wrote. The chart checks the same in templates/_annotations.tpl.
 */
import { ANNOTATIONS_MAX_BYTES } from "../values/kubernetes-schema";
import { isPlainObject, type ValueIssue } from "../values/values";

/** An object as rendered: its annotations, and its pod template's. */
interface Annotated {
    kind: string;
    metadata: { annotations?: Record<string, string> };
    spec?: unknown;
}

/** The bytes Kubernetes counts for a set of annotations: every key and every value. */
export function annotationBytes(annotations: Readonly<Record<string, string>>): number {
    let total = 0;
    for (const [key, value] of Object.entries(annotations)) total += Buffer.byteLength(key) + Buffer.byteLength(value);
    return total;
}

function over(annotations: unknown, path: string | undefined, what: string): ValueIssue[] {
    if (path === undefined || !isPlainObject(annotations)) return [];
    const total = annotationBytes(annotations as Record<string, string>);
    if (total <= ANNOTATIONS_MAX_BYTES) return [];
    return [
        {
            path,
            message: `the ${what} annotations total ${total} bytes, above Kubernetes' limit of ${ANNOTATIONS_MAX_BYTES} bytes for one object (TotalAnnotationSizeLimitB)`,
        },
    ];
}

/**
 * Objects whose annotations exceed the limit, each at the path of the values that feed them:
 * `paths` by kind (`Service`, `ServiceAccount`, ...) and `pod` for a workload's pod template.
 */
export function annotationSizeIssues(objects: readonly Annotated[], paths: Readonly<Record<string, string>>): ValueIssue[] {
    return objects.flatMap((o) => {
        const template = isPlainObject(o.spec) && isPlainObject(o.spec.template) ? o.spec.template.metadata : undefined;
        return [
            ...over(o.metadata.annotations, paths[o.kind], `${o.kind}'s`),
            ...(isPlainObject(template) ? over(template.annotations, paths.pod, "pod's") : []),
        ];
    });
}
