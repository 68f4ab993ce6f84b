/**
 * The project's reference material (`shared/reference`: the real Gloo chart, its values.go, the
 * Gloo CRDs), found beside the checkout or further up: a clone sits next to `shared/`, a git
 * worktree may sit deeper. One lookup for the tests, the bench and the generators.
 */
import { existsSync } from "fs";
import * as path from "path";
import { packageRoot } from "../components/package-root";

/** `shared/reference` in the nearest folder above the package root that has one, or undefined. */
export function findReference(from: string = packageRoot()): string | undefined {
    for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "shared", "reference");
        if (existsSync(candidate)) return candidate;
        if (path.dirname(dir) === dir) return undefined;
    }
}

/** A path under `shared/reference`; throws, naming where it looked, when there is none. */
export function referencePath(...parts: string[]): string {
    const reference = findReference();
    if (!reference)
        throw new Error(`no shared/reference folder above ${packageRoot()}: it holds the real Gloo chart the tests compare with`);
    return path.join(reference, ...parts);
}
