/**
 * The whole-message cross-check: once the walker has accepted a value, @bufbuild/protobuf's own
 * strict proto3 JSON parser (`fromJson` with the registry, unknown fields refused) must accept
 * it too; if it does not, the failure is narrowed down to the deepest sub-message that still
 * fails to parse.
 */
import { fromJson, type DescMessage, type Registry, type JsonValue } from "@bufbuild/protobuf";
import { isJsonObject, joinPath, type ValueIssue } from "../../values/values";
import { errorMessage, MAX_DEPTH, SPECIAL_JSON_WKT, stripBufPrefix } from "./proto-json";
import { keyMap } from "./registry";

/** The cross-check's issue for `value` as `desc`, or undefined if the parser accepts it. */
export function crossCheck(registry: Registry, desc: DescMessage, value: unknown, basePath: string): ValueIssue | undefined {
    const tryParse = (d: DescMessage, v: unknown): string | undefined => {
        try {
            fromJson(d, v as JsonValue, { registry });
            return undefined;
        } catch (e) {
            return errorMessage(e);
        }
    };
    // The walker has already rejected anything that is not JSON (dates, cycles, ...), so a JSON
    // round trip only drops `undefined` properties, which the walker treats as omitted.
    const json: unknown = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
    const top = tryParse(desc, json);
    if (top === undefined) return undefined;
    const narrowed = narrow(desc, json, basePath, tryParse, registry, 0) ?? { path: basePath, message: top };
    return { path: narrowed.path, message: `rejected by the proto3 JSON parser: ${narrowed.message}` };
}

function narrow(
    desc: DescMessage,
    value: unknown,
    p: string,
    tryParse: (d: DescMessage, v: unknown) => string | undefined,
    registry: Registry,
    depth: number,
): ValueIssue | undefined {
    const own = tryParse(desc, value);
    if (own === undefined) return undefined;
    if (depth > MAX_DEPTH) return { path: p, message: own };
    let target: { desc: DescMessage; value: unknown } = { desc, value };
    if (desc.typeName === "google.protobuf.Any" && isJsonObject(value) && typeof value["@type"] === "string") {
        const inner = registry.getMessage(value["@type"].slice(value["@type"].lastIndexOf("/") + 1));
        if (inner && !SPECIAL_JSON_WKT.has(inner.typeName)) {
            const rest: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(value)) if (k !== "@type") rest[k] = v;
            target = { desc: inner, value: rest };
        }
    }
    if (!SPECIAL_JSON_WKT.has(target.desc.typeName) && isJsonObject(target.value)) {
        const keys = keyMap(target.desc);
        for (const [k, v] of Object.entries(target.value)) {
            const f = keys.get(k);
            if (!f || v === null) continue;
            const kp = joinPath(p, k);
            const children: { d: DescMessage; v: unknown; p: string }[] = [];
            if (f.fieldKind === "message") children.push({ d: f.message, v, p: kp });
            else if (f.fieldKind === "list" && f.listKind === "message" && Array.isArray(v))
                v.forEach((x, i) => children.push({ d: f.message, v: x, p: joinPath(kp, i) }));
            else if (f.fieldKind === "map" && f.mapKind === "message" && isJsonObject(v))
                for (const [mk, mv] of Object.entries(v)) children.push({ d: f.message, v: mv, p: joinPath(kp, mk) });
            for (const c of children) {
                const deeper = narrow(c.d, c.v, c.p, tryParse, registry, depth + 1);
                if (deeper) return deeper;
            }
        }
    }
    return { path: p, message: stripBufPrefix(own) };
}
