/** Where two JSON values differ, leaf by leaf: the one object diff of the test harnesses. */

/** One differing leaf: its path (`.key` for keys, `[i]` for list items) and the value on each side. */
export interface LeafDiff {
    path: string;
    a: unknown;
    b: unknown;
}

/** Every leaf where two JSON values differ, keys in sorted order, each path prefixed with `at`. */
export function leafDiffs(a: unknown, b: unknown, at = ""): LeafDiff[] {
    if (a === b) return [];
    const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
    if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b)) return [{ path: at, a, b }];
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => leafDiffs(a[k], b[k], Array.isArray(a) ? `${at}[${k}]` : `${at}.${k}`));
}

/** Leaf paths where two JSON values differ. */
export function diffPaths(a: unknown, b: unknown, at = ""): string[] {
    return leafDiffs(a, b, at).map((d) => d.path);
}
