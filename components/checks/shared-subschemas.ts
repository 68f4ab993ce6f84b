/**
 * A JSON Schema with each large subschema that appears more than once (the Enterprise
 * `gloo.*` nesting repeats the whole open-source tree; image, resources and pod settings repeat
 * everywhere) moved into `definitions` and referred to by `$ref`. Compiled with ajv's
 * `inlineRefs: false`, each is one function, called from every place it stood, where ajv would
 * otherwise write its code out again at each place: the values validator shrinks to a fraction of
 * its size and loads and compiles that much faster. Every check and every error's value path,
 * keyword, params and parent schema are the same; only `schemaPath` names the definition.
 */

type Json = unknown;

/** Subschemas smaller than this (as JSON text) stay where they are: a call costs more than the code. */
const MIN_SHARED_SIZE = 300;

function children(node: Json): Json[] {
    if (Array.isArray(node)) return node;
    return node !== null && typeof node === "object" ? Object.values(node) : [];
}

/** How often each subschema's JSON text occurs, for the large ones. */
function countLarge(node: Json, texts: Map<Json, string>, counts: Map<string, number>): void {
    if (node === null || typeof node !== "object") return;
    const text = JSON.stringify(node);
    if (text.length < MIN_SHARED_SIZE) return;
    texts.set(node, text);
    counts.set(text, (counts.get(text) ?? 0) + 1);
    for (const child of children(node)) countLarge(child, texts, counts);
}

/** `schema` with its repeated large subschemas shared through `definitions`; the input is not changed. */
export function shareRepeatedSubschemas<T extends object>(schema: T): T {
    const texts = new Map<Json, string>();
    const counts = new Map<string, number>();
    countLarge(schema, texts, counts);
    const names = new Map<string, string>();
    const definitions: Record<string, Json> = {};
    const rewrite = (node: Json, isSchema: boolean): Json => {
        const text = texts.get(node);
        if (isSchema && !Array.isArray(node) && text !== undefined && (counts.get(text) ?? 0) > 1) {
            let name = names.get(text);
            if (name === undefined) {
                name = `shared-${names.size}`;
                names.set(text, name);
                definitions[name] = copy(node);
            }
            return { $ref: `#/definitions/${name}` };
        }
        return copy(node);
    };
    // A node is a schema where a schema keyword holds it; `properties` and the like hold maps of schemas.
    const copy = (node: Json): Json => {
        if (Array.isArray(node)) return node.map((item) => rewrite(item, true));
        if (node === null || typeof node !== "object") return node;
        const out: Record<string, Json> = {};
        for (const [key, value] of Object.entries(node)) {
            if (SCHEMA_MAPS.has(key) && value !== null && typeof value === "object" && !Array.isArray(value)) {
                out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, true)]));
            } else out[key] = SCHEMA_VALUED.has(key) ? rewrite(value, true) : value;
        }
        return out;
    };
    const root = copy(schema) as Record<string, unknown>;
    if (names.size === 0) return root as T;
    return { ...root, definitions: { ...(root.definitions as Record<string, Json> | undefined), ...definitions } } as T;
}

/** Keywords whose value is a schema (or a list of schemas). */
const SCHEMA_VALUED = new Set(["additionalProperties", "items", "additionalItems", "not", "propertyNames", "contains", "if", "then"]);
for (const k of ["else", "allOf", "anyOf", "oneOf"]) SCHEMA_VALUED.add(k);
/** Keywords whose value is a map of schemas. */
const SCHEMA_MAPS = new Set(["properties", "patternProperties", "definitions", "$defs", "dependencies"]);

/** What the sharing is made by, for a precompiled validator's fingerprint (components/checks/precompiled.ts). */
export const SUBSCHEMA_SHARING = [MIN_SHARED_SIZE, countLarge, shareRepeatedSubschemas, [...SCHEMA_VALUED], [...SCHEMA_MAPS]]
    .map(String)
    .join("\0");
