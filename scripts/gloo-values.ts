/**
 * Gloo's values types as JSON Schema and TypeScript, from Gloo's own Go structs
 * (`install/helm/gloo/generate/values.go`): every key Gloo's chart knows, with its type and
 * its `desc` text. Writes components/generated/gloo-values.json and
 * components/generated/gloo-types.ts (committed; rerun this script for a new Gloo version).
 *
 *   npx ts-node --transpile-only scripts/gloo-values.ts [reference dir with gloo-chart-source/values.go and gloo-chart/values.yaml]
 *
 * Go types map as: string -> string, bool -> boolean, integer kinds -> integer, floats ->
 * number (a string may be written as a YAML number), []T -> array, map[string]string -> string map (values likewise), map[string]interface{} and
 * interface{} -> any value, Kubernetes API types (corev1.*) -> open objects. A pointer, map,
 * slice or interface may be null (helm removes a null over a default; Gloo's templates read
 * a null as unset). An embedded struct without a json tag contributes its fields.
 */
import { readFileSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { packageRoot } from "../components/package-root";
import { referencePath } from "./reference";

interface GoField {
    /** json name, or undefined for an inlined embedded struct. */
    json?: string;
    type: string;
    desc?: string;
}

/** The structs of a Go file, field by field. */
export function parseGoStructs(source: string): Map<string, GoField[]> {
    const structs = new Map<string, GoField[]>();
    for (const m of source.matchAll(/^type (\w+) struct\s*\{\}/gm)) structs.set(m[1], []);
    const re = /^type (\w+) struct \{$([^]*?)^\}/gm;
    for (const m of source.matchAll(re)) {
        const fields: GoField[] = [];
        for (const raw of m[2].split("\n")) {
            const line = raw.trim().startsWith("//") ? "" : raw.trim();
            if (line === "") continue;
            const tag = /(`[^`]*`|"(?:[^"\\]|\\.)*")\s*$/.exec(line);
            const tagText = tag ? (tag[1].startsWith('"') ? (JSON.parse(tag[1]) as string) : tag[1].slice(1, -1)) : "";
            const head = (tag ? line.slice(0, tag.index) : line).trim().split(/\s+/);
            const json = /json:"([^",]*)/.exec(tagText)?.[1];
            const desc = /desc:"((?:[^"\\]|\\.)*)"/.exec(tagText)?.[1]?.replace(/\\"/g, '"');
            if (json === "-") continue;
            if (head.length === 1) fields.push({ json: json || undefined, type: head[0], desc });
            else fields.push({ json: json || head[0], type: head.slice(1).join(" "), desc });
        }
        structs.set(m[1], fields);
    }
    return structs;
}

type Schema = Record<string, unknown>;
const NULLABLE = (schema: Schema): Schema =>
    schema.type === undefined || (Array.isArray(schema.type) && schema.type.includes("null"))
        ? schema
        : { ...schema, type: [...([] as unknown[]).concat(schema.type), "null"] };

/** JSON Schema of a Go type, definitions referenced by `#/definitions/<Go type>`. */
function typeSchema(goType: string, structs: Map<string, GoField[]>): Schema {
    const t = goType.trim();
    if (t.startsWith("*")) return NULLABLE(typeSchema(t.slice(1), structs));
    if (t.startsWith("[]")) return { type: ["array", "null"], items: typeSchema(t.slice(2), structs) };
    // The same for a string map's values (labels, annotations, node selectors), which Gloo's templates quote.
    if (t === "map[string]string") return { type: ["object", "null"], additionalProperties: { type: ["string", "number", "null"] } };
    if (t.startsWith("map[string]")) return { type: ["object", "null"], additionalProperties: typeSchema(t.slice(11), structs) };
    if (t === "interface{}") return {};
    // Gloo's templates print a string value as written, and YAML writes some as numbers (minAvailable: 1).
    if (t === "string") return { type: ["string", "number"] };
    if (t === "bool") return { type: "boolean" };
    if (/^u?int(8|16|32|64)?$/.test(t)) return { type: "integer" };
    if (/^float(32|64)$/.test(t)) return { type: "number" };
    if (t.includes(".")) return { type: ["object", "null"], description: `Kubernetes ${t}` };
    if (structs.has(t)) return { $ref: `#/definitions/${t}` };
    throw new Error(`values.go: unknown Go type ${t}`);
}

function structSchema(name: string, structs: Map<string, GoField[]>): Schema {
    const properties: Record<string, Schema> = {};
    let open = false;
    const addFields = (fields: GoField[]) => {
        for (const f of fields) {
            if (f.json !== undefined) {
                properties[f.json] = { ...typeSchema(f.type, structs), ...(f.desc ? { description: f.desc } : {}) };
                continue;
            }
            const embedded = f.type.replace(/^\*/, "");
            if (embedded.includes("."))
                open = true; // a Kubernetes type's fields
            else addFields(structs.get(embedded) ?? []);
        }
    };
    addFields(structs.get(name) ?? []);
    return { type: ["object", "null"], additionalProperties: open, properties };
}

/** Every struct's schema, by Go type name. */
export function glooDefinitions(source: string): Record<string, Schema> {
    const structs = parseGoStructs(source);
    return Object.fromEntries([...structs.keys()].sort().map((name) => [name, structSchema(name, structs)]));
}

/**
 * Keys Gloo's own values.yaml sets that its values.go lacks (its templates read them): added to
 * the definitions, untyped, so Gloo's own default values pass.
 */
export function addDefaultValuesKeys(definitions: Record<string, Schema>, values: unknown, type = "HelmConfig"): string[] {
    const added: string[] = [];
    const walk = (node: unknown, defName: string, at: string) => {
        const def = definitions[defName];
        if (!def || typeof node !== "object" || node === null || Array.isArray(node) || def.additionalProperties) return;
        const properties = def.properties as Record<string, Schema>;
        for (const [key, child] of Object.entries(node)) {
            const prop = properties[key];
            if (!prop) {
                properties[key] = { description: "Set in Gloo's values.yaml (not in its values.go)." };
                added.push(`${at}${key}`);
            } else if (typeof prop.$ref === "string") walk(child, prop.$ref.split("/").pop() as string, `${at}${key}.`);
            else if (isMap(prop)) for (const [k, v] of Object.entries(child ?? {})) walk(v, refName(prop), `${at}${key}.${k}.`);
        }
    };
    walk(values, type, "");
    return added;
}
const isMap = (s: Schema) => typeof s.additionalProperties === "object" && typeof (s.additionalProperties as Schema).$ref === "string";
const refName = (s: Schema) => ((s.additionalProperties as Schema).$ref as string).split("/").pop() as string;

function tsType(schema: Schema): string {
    if (typeof schema.$ref === "string") return `Gloo${schema.$ref.split("/").pop()}`;
    const types = ([] as unknown[]).concat(schema.type ?? []);
    const nullable = types.includes("null") ? " | null" : "";
    if (types.includes("array")) return `(${tsType(schema.items as Schema)})[]${nullable}`;
    if (types.includes("object")) {
        if (schema.properties) return `Record<string, unknown>${nullable}`;
        const values = schema.additionalProperties as Schema | undefined;
        return `Record<string, ${values && typeof values === "object" ? tsType(values) : "unknown"}>${nullable}`;
    }
    if (types.includes("string")) return `string${types.includes("number") ? " | number" : ""}${nullable}`;
    if (types.includes("boolean")) return `boolean${nullable}`;
    if (types.includes("integer") || types.includes("number")) return `number${nullable}`;
    return "unknown";
}

/** TypeScript interfaces `Gloo<Go type>` for the definitions, one line each (the descriptions are in the schema). */
export function glooTypes(definitions: Record<string, Schema>): string {
    const out = [
        "/* Generated by scripts/gloo-values.ts from Gloo's values.go (solo-io/gloo, Apache-2.0). Do not edit. */",
        "/* eslint-disable */",
    ];
    for (const [name, def] of Object.entries(definitions)) {
        const fields = Object.entries(def.properties as Record<string, Schema>).map(
            ([key, prop]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}?: ${tsType(prop)};`,
        );
        if (def.additionalProperties) fields.push("[field: string]: unknown;");
        out.push(`export interface Gloo${name} { ${fields.join(" ")} }`);
    }
    return `${out.join("\n")}\n`;
}

if (require.main === module) {
    const reference = process.argv[2] ?? referencePath();
    const definitions = glooDefinitions(readFileSync(path.join(reference, "gloo-chart-source", "values.go"), "utf8"));
    const added = addDefaultValuesKeys(definitions, yaml.load(readFileSync(path.join(reference, "gloo-chart", "values.yaml"), "utf8")));
    console.log(`keys only in Gloo's values.yaml: ${added.join(", ") || "none"}`);
    const dir = path.join(packageRoot(), "components", "generated");
    // One definition a line: short, and a new Gloo version diffs by type.
    const lines = Object.entries(definitions).map(([name, def]) => `  ${JSON.stringify(name)}: ${JSON.stringify(def)}`);
    writeFileSync(path.join(dir, "gloo-values.json"), `{\n${lines.join(",\n")}\n}\n`);
    writeFileSync(path.join(dir, "gloo-types.ts"), glooTypes(definitions));
    console.log(`${Object.keys(definitions).length} Gloo value types written`);
}
