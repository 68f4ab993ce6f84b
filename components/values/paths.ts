/** Value paths (`gatewayProxies.edge.envoyStaticClusters[2].name`) and the plain values they point into. */

/** A map-like value: an object that is not `null` and not a list. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An object as JSON or YAML parsing makes it: a plain object, not a Date, a Map or a class instance. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
    if (!isPlainObject(value)) return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}

/** `base` followed by more segments: `.key` (or `["odd key"]`) for keys, `[i]` for list indices. */
export function joinPath(base: string, ...segments: readonly (string | number)[]): string {
    let out = base;
    for (const segment of segments) {
        if (typeof segment === "number") out += `[${segment}]`;
        else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
        else out += `[${JSON.stringify(segment)}]`;
    }
    return out;
}

/** A path segment list as a value path: `gatewayProxies.edge.envoyStaticClusters[2].name`. */
export function formatPath(segments: readonly (string | number)[]): string {
    return joinPath("", ...segments);
}

/** Split an ajv/JSON-pointer instance path into segments, using the data to tell list indices from keys. */
export function pointerSegments(pointer: string, data: unknown): (string | number)[] {
    const segments: (string | number)[] = [];
    let node: unknown = data;
    for (const raw of pointer.split("/").slice(1)) {
        const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
        if (Array.isArray(node)) {
            segments.push(Number(key));
            node = node[Number(key)];
        } else {
            segments.push(key);
            node = isPlainObject(node) ? node[key] : undefined;
        }
    }
    return segments;
}

/** A short description of a value for messages: `"text"`, `42`, `null`, `a list`, `an object`, `a date (...)`. */
export function describe(v: unknown): string {
    if (v === null) return "null";
    if (v === undefined) return "nothing (undefined)";
    if (typeof v === "string") return JSON.stringify(v);
    if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
    if (Array.isArray(v)) return "a list";
    if (v instanceof Date) return `a date (${isNaN(v.getTime()) ? "invalid" : v.toISOString()}; quote it in YAML)`;
    if (typeof v === "object") return "an object";
    return `a ${typeof v}`;
}
