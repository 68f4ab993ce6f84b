/**
 * The walker: goes through a plain JS value alongside the message descriptors, the way Envoy
 * loads YAML (snake_case or lowerCamelCase keys, null = unset, unknown fields refused with a
 * "did you mean", `google.protobuf.Any` payloads resolved by `@type`, TypedStruct payloads
 * checked as their `type_url`), reports every issue at its path, and hands each field's parsed
 * value to the `validate.rules` evaluator.
 */
import { fromJson, ScalarType, type DescField, type DescMessage, type DescOneof, type JsonValue } from "@bufbuild/protobuf";
import { DurationSchema, FieldMaskSchema, ListValueSchema, StructSchema, TimestampSchema, ValueSchema } from "@bufbuild/protobuf/wkt";
import { closest } from "../../values/suggest";
import { describe, isJsonObject, joinPath, type ValueIssue } from "../../values/values";
import {
    elemTypeOf,
    errorMessage,
    findNonJson,
    MAX_DEPTH,
    nanosOf,
    parseEnum,
    parseScalar,
    SCALAR_OF_WRAPPER,
    SPECIAL_JSON_WKT,
    stripBufPrefix,
    type ElemType,
    type FieldParsed,
    type ParseResult,
    type Parsed,
    type ScalarValue,
} from "./proto-json";
import { allMessageNames, asJ, fieldRules, keyMap, messageRulesOff, oneofRequired, type J, type Loaded } from "./registry";
import { applyFieldRules } from "./rules";
import {
    planKey,
    recallPlan,
    recallScalar,
    rememberPlan,
    rememberScalar,
    Shapes,
    startWalk,
    valueAt,
    type LeafStep,
    type Plan,
    type Step,
} from "./walk-memo";

/** A plan being recorded: the message's path and where its value sits in `segments`, the steps so far, and whether it may be kept. */
interface Recording {
    path: string;
    base: number;
    steps: Step[];
    ok: boolean;
}

/**
 * A field the walker checks as a scalar: a scalar, an enum or a well-known type written as one
 * (a Duration, a wrapper, a Struct...; list and map fields of them too). An Any is walked as a
 * message: its `@type` is part of the shape.
 */
function scalarField(f: DescField): boolean {
    const et = elemTypeOf(f);
    return et.k !== "message" || (SPECIAL_JSON_WKT.has(et.m.typeName) && et.m.typeName !== "google.protobuf.Any");
}

/** One walk over one value: collects its issues in `issues`, in document order. */
export class Walker {
    private readonly stack = new Set<object>();
    private readonly shapes = new Shapes();
    /** The keys and indices from the walked value down to the current one. */
    private readonly segments: (string | number)[] = [];
    /** The plans being recorded, outermost first. */
    private readonly recordings: Recording[] = [];
    /** > 0 while a scalar field is checked: what it reports depends on the scalars, not on the shape. */
    private inScalar = 0;
    private readonly issue = (p: string, message: string): void => {
        this.issues.push({ path: p, message });
        if (this.inScalar === 0) this.spoilRecordings();
    };

    constructor(
        private readonly l: Loaded,
        private readonly issues: ValueIssue[],
    ) {
        startWalk();
    }

    /** What was walked depends on more than the shape: no plan being recorded may be kept. */
    private spoilRecordings(): void {
        for (const r of this.recordings) r.ok = false;
    }

    /** A step of the plan being recorded (the innermost), at the current value and path `p`. */
    private note(p: string, step: (where: { segments: (string | number)[]; suffix: string }) => Step): void {
        const r = this.recordings[this.recordings.length - 1];
        // Inside a scalar field the whole field is one step already.
        if (!r || !r.ok || this.inScalar > 0) return;
        if (!p.startsWith(r.path)) {
            r.ok = false;
            return;
        }
        r.steps.push(step({ segments: this.segments.slice(r.base), suffix: p.slice(r.path.length) }));
    }

    /** Check the scalars of `root` (at `p`) as the plan says, each at its own path. */
    private runPlan(plan: Plan, root: unknown, p: string): void {
        for (const step of plan) {
            const v = valueAt(root, step.segments);
            const sp = p + step.suffix;
            if (step.kind === "plan") {
                this.runPlan(step.plan, v, sp);
                continue;
            }
            if (step.kind === "leaf") {
                this.planScalar(step, v, sp);
                continue;
            }
            this.inScalar++;
            try {
                this.walkMessage(step.desc, v, sp, true, step.depth);
            } finally {
                this.inScalar--;
            }
        }
    }

    /** A scalar step of a plan: what it found for the same value before (a port, a timeout, an enum), or checked now. */
    private planScalar(step: LeafStep, v: unknown, p: string): void {
        const known = recallScalar(step, v, p);
        if (known) {
            for (const i of known) this.issues.push(i);
            return;
        }
        const before = this.issues.length;
        this.inScalar++;
        try {
            this.scalarFieldValue(step.field, v, p, step.rulesOn, step.rules, step.depth);
        } finally {
            this.inScalar--;
        }
        rememberScalar(step, v, p, this.issues.slice(before));
    }

    /** A scalar field's value and its rules; false if it could not be parsed. */
    private scalarFieldValue(f: DescField, val: unknown, p: string, rulesOn: boolean, rules: J | undefined, depth: number): boolean {
        const fp = this.walkField(f, val, p, rulesOn, rules, depth);
        if (fp && rulesOn && rules) applyFieldRules(f, rules, fp, p, this.issue);
        return fp !== undefined;
    }

    /** Walk one message value; returns what the rules need, or undefined if it could not be parsed at all. */
    walkMessage(desc: DescMessage, v: unknown, p: string, rulesOn: boolean, depth: number): Parsed | undefined {
        if (depth > MAX_DEPTH) {
            this.issue(p, `nesting is deeper than ${MAX_DEPTH} levels`);
            return undefined;
        }
        const tn = desc.typeName;
        if (SPECIAL_JSON_WKT.has(tn)) return this.walkWkt(desc, v, p, depth);
        if (!isJsonObject(v)) {
            this.issue(p, `expected an object (${tn}), got ${describe(v)}`);
            return undefined;
        }
        if (this.stack.has(v)) {
            this.issue(p, "the value refers to itself (cyclic object)");
            return undefined;
        }
        // joinPath writes a top-level key without a dot: a plan's suffixes only fit under a non-empty path.
        const shape = p === "" ? undefined : this.shapes.of(v);
        const key = shape === undefined ? undefined : planKey(desc, shape, rulesOn, depth);
        const known = key === undefined ? undefined : recallPlan(key);
        if (known) {
            this.note(p, (where) => ({ kind: "plan", ...where, plan: known }));
            this.runPlan(known, v, p);
            return { k: "message" };
        }
        const recording = key === undefined ? undefined : { path: p, base: this.segments.length, steps: [], ok: true };
        if (recording) this.recordings.push(recording);
        this.stack.add(v);
        try {
            this.walkFields(desc, v, p, rulesOn, depth);
        } finally {
            this.stack.delete(v);
            if (recording) this.recordings.pop();
        }
        if (key !== undefined && recording?.ok) {
            rememberPlan(key, recording.steps);
            this.note(p, (where) => ({ kind: "plan", ...where, plan: recording.steps }));
        }
        return { k: "message" };
    }

    private walkFields(desc: DescMessage, obj: Record<string, unknown>, p: string, rulesOn: boolean, depth: number): void {
        const keys = keyMap(desc);
        const rulesHere = rulesOn && !messageRulesOff(this.l, desc);
        const seen = new Map<DescField, string>(); // field -> key used
        const oneofSet = new Map<DescOneof, string>(); // oneof -> key that set it
        const failed = new Set<DescField>();

        for (const [key, val] of Object.entries(obj)) {
            // A property holding `undefined` is what JSON.stringify drops: treat it as an omitted key.
            if (val === undefined) continue;
            const kp = joinPath(p, key);
            const f = keys.get(key);
            if (!f) {
                const camel = /[A-Z]/.test(key) && !key.includes("_");
                const hint = closest(
                    key,
                    desc.fields.map((x) => (camel ? x.jsonName : x.name)),
                );
                this.issue(
                    kp,
                    `unknown field ${JSON.stringify(key)}${hint ? ` (did you mean "${hint}"?)` : ` (not a field of ${desc.typeName})`}`,
                );
                continue;
            }
            const prevKey = seen.get(f);
            if (prevKey !== undefined) {
                this.issue(kp, `field "${f.name}" is given twice (as "${prevKey}" and "${key}")`);
                failed.add(f);
                continue;
            }
            seen.set(f, key);
            const isNullValue = f.fieldKind === "message" && f.message.typeName === "google.protobuf.Value";
            const isNullEnum = f.fieldKind === "enum" && f.enum.typeName === "google.protobuf.NullValue";
            if (val === null && !isNullValue && !isNullEnum) continue; // proto3 JSON: null = unset
            if (f.oneof) {
                const other = oneofSet.get(f.oneof);
                if (other !== undefined) {
                    this.issue(
                        kp,
                        `"${key}" and "${other}" are both set, but they belong to oneof "${f.oneof.name}" (only one may be set)`,
                    );
                    failed.add(f);
                    continue;
                }
                oneofSet.set(f.oneof, key);
            }
            const rules = fieldRules(this.l, f);
            this.segments.push(key);
            try {
                if (!this.presentField(f, val, kp, rulesHere, rules, depth)) failed.add(f);
            } finally {
                this.segments.pop();
            }
        }

        if (!rulesHere) return;

        // PGV field rules of absent (or null) fields: defaults of implicit-presence scalars, required, min_items...
        for (const f of desc.fields) {
            if (failed.has(f)) continue;
            const rules = fieldRules(this.l, f);
            if (!rules) continue;
            const key = seen.get(f);
            if (key !== undefined && obj[key] !== null) continue; // present: done above
            applyFieldRules(f, rules, undefined, joinPath(p, key ?? f.name), this.issue);
        }
        // PGV oneof (validate.required).
        for (const o of desc.oneofs) {
            if (!oneofRequired(this.l, o) || oneofSet.has(o)) continue;
            const names = o.fields.map((x) => `"${x.name}"`).join(", ");
            this.issue(p, `one of the fields ${names} must be set (oneof "${o.name}" is required, validate.required)`);
        }
    }

    /** A present field: its contents, then its PGV rules (issues stay in document order); false if it could not be parsed. */
    private presentField(f: DescField, val: unknown, kp: string, rulesOn: boolean, rules: J | undefined, depth: number): boolean {
        if (scalarField(f)) {
            this.note(kp, (where) => ({ kind: "leaf", ...where, field: f, rulesOn, rules, depth }));
            this.inScalar++;
            try {
                return this.scalarFieldValue(f, val, kp, rulesOn, rules, depth);
            } finally {
                this.inScalar--;
            }
        }
        const fp = this.walkField(f, val, kp, rulesOn, rules, depth);
        if (fp && rulesOn && rules) applyFieldRules(f, rules, fp, kp, this.issue);
        return fp !== undefined;
    }

    /** Parse one field's (non-null) value; returns undefined if it failed (issue already reported). */
    private walkField(
        f: DescField,
        val: unknown,
        p: string,
        rulesOn: boolean,
        rules: J | undefined,
        depth: number,
    ): FieldParsed | undefined {
        const et = elemTypeOf(f);
        if (f.fieldKind === "list") {
            if (!Array.isArray(val)) {
                this.issue(p, `expected a list, got ${describe(val)}`);
                return undefined;
            }
            const itemRules = asJ(asJ(rules?.repeated)?.items);
            const elemRulesOn = rulesOn && asJ(itemRules?.message)?.skip !== true;
            const items: (Parsed | undefined)[] = [];
            val.forEach((item, i) => {
                const ip = joinPath(p, i);
                const allowNull = et.k === "message" && et.m.typeName === "google.protobuf.Value";
                if (item === null && !allowNull) {
                    this.issue(ip, "null is not allowed in a list");
                    items.push(undefined);
                    return;
                }
                this.segments.push(i);
                try {
                    items.push(this.walkElem(et, item, ip, elemRulesOn, depth));
                } finally {
                    this.segments.pop();
                }
            });
            return { kind: "list", items };
        }
        if (f.fieldKind === "map") {
            if (!isJsonObject(val)) {
                this.issue(p, `expected an object (a map), got ${describe(val)}`);
                return undefined;
            }
            const valueRules = asJ(asJ(rules?.map)?.values);
            const elemRulesOn = rulesOn && asJ(valueRules?.message)?.skip !== true;
            const entries: { key: string; k: Parsed | undefined; v: Parsed | undefined }[] = [];
            for (const [mk, mv] of Object.entries(val)) {
                const ep = joinPath(p, mk);
                const kp = this.parseMapKey(f.mapKey, mk);
                if (!kp.ok) this.issue(ep, kp.message);
                const allowNull = et.k === "message" && et.m.typeName === "google.protobuf.Value";
                let vp: Parsed | undefined;
                if (mv === null && !allowNull) this.issue(ep, "null is not allowed as a map value");
                else {
                    this.segments.push(mk);
                    try {
                        vp = this.walkElem(et, mv, ep, elemRulesOn, depth);
                    } finally {
                        this.segments.pop();
                    }
                }
                entries.push({ key: mk, k: kp.ok ? { k: "scalar", t: f.mapKey, v: kp.value } : undefined, v: vp });
            }
            return { kind: "map", entries };
        }
        const childRulesOn = rulesOn && asJ(rules?.message)?.skip !== true;
        const parsedValue = this.walkElem(et, val, p, childRulesOn, depth);
        return parsedValue ? { kind: "single", p: parsedValue } : undefined;
    }

    private parseMapKey(t: ScalarType, key: string): ParseResult<ScalarValue> {
        if (t === ScalarType.STRING) return { ok: true, value: key };
        if (t === ScalarType.BOOL) {
            if (key === "true" || key === "false") return { ok: true, value: key === "true" };
            return { ok: false, message: `map key ${JSON.stringify(key)} is not "true" or "false"` };
        }
        const r = parseScalar(t, key);
        return r.ok ? r : { ok: false, message: `map key: ${r.message}` };
    }

    private walkElem(et: ElemType, v: unknown, p: string, rulesOn: boolean, depth: number): Parsed | undefined {
        if (et.k === "scalar") {
            const r = parseScalar(et.t, v);
            if (!r.ok) {
                this.issue(p, r.message);
                return undefined;
            }
            return { k: "scalar", t: et.t, v: r.value };
        }
        if (et.k === "enum") {
            const r = parseEnum(et.e, v);
            if (!r.ok) {
                this.issue(p, r.message);
                return undefined;
            }
            return { k: "enum", v: r.value };
        }
        return this.walkMessage(et.m, v, p, rulesOn, depth + 1);
    }

    private walkWkt(desc: DescMessage, v: unknown, p: string, depth: number): Parsed | undefined {
        const tn = desc.typeName;
        const wrapped = SCALAR_OF_WRAPPER.get(tn);
        if (wrapped !== undefined) {
            const r = parseScalar(wrapped, v);
            if (!r.ok) {
                this.issue(p, r.message);
                return undefined;
            }
            return { k: "scalar", t: wrapped, v: r.value };
        }
        switch (tn) {
            case "google.protobuf.Any":
                return this.walkAny(v, p, depth);
            case "google.protobuf.Duration":
                try {
                    if (typeof v !== "string") throw new Error("not a string");
                    return { k: "duration", ns: nanosOf(fromJson(DurationSchema, v)) };
                } catch {
                    this.issue(p, `${describe(v)} is not a Duration (expected a string like "5s")`);
                    return undefined;
                }
            case "google.protobuf.Timestamp":
                try {
                    if (typeof v !== "string") throw new Error("not a string");
                    return { k: "timestamp", ns: nanosOf(fromJson(TimestampSchema, v)) };
                } catch {
                    this.issue(p, `${describe(v)} is not a Timestamp (expected an RFC 3339 string like "2024-01-01T00:00:00Z")`);
                    return undefined;
                }
            case "google.protobuf.FieldMask":
                try {
                    if (typeof v !== "string") throw new Error("not a string");
                    fromJson(FieldMaskSchema, v);
                    return { k: "message" };
                } catch {
                    this.issue(p, `${describe(v)} is not a FieldMask (expected a comma-separated string of lowerCamelCase paths)`);
                    return undefined;
                }
            case "google.protobuf.Struct":
                if (!isJsonObject(v)) {
                    this.issue(p, `expected an object (google.protobuf.Struct), got ${describe(v)}`);
                    return undefined;
                }
                return this.checkJsonValue(StructSchema, v, p) ? { k: "message" } : undefined;
            case "google.protobuf.ListValue":
                if (!Array.isArray(v)) {
                    this.issue(p, `expected a list (google.protobuf.ListValue), got ${describe(v)}`);
                    return undefined;
                }
                return this.checkJsonValue(ListValueSchema, v, p) ? { k: "message" } : undefined;
            case "google.protobuf.Value":
                return this.checkJsonValue(ValueSchema, v, p) ? { k: "message" } : undefined;
        }
        this.issue(p, `internal validator error: unhandled well-known type ${tn}`);
        return undefined;
    }

    /** Struct / ListValue / Value accept any JSON; find the first non-JSON value for a precise path. */
    private checkJsonValue(schema: DescMessage, v: unknown, p: string): boolean {
        const bad = findNonJson(v, p, 0);
        if (bad) {
            this.issue(bad.path, bad.message);
            return false;
        }
        try {
            fromJson(schema, v as JsonValue);
            return true;
        } catch (e) {
            this.issue(p, `not valid for ${schema.typeName}: ${stripBufPrefix(errorMessage(e))}`);
            return false;
        }
    }

    private walkAny(v: unknown, p: string, depth: number): Parsed | undefined {
        if (!isJsonObject(v)) {
            this.issue(p, `expected an object with "@type" (google.protobuf.Any), got ${describe(v)}`);
            return undefined;
        }
        if (Object.keys(v).length === 0) return { k: "any", typeUrl: "" };
        const typeUrl = v["@type"];
        const tp = joinPath(p, "@type");
        if (typeUrl === undefined || typeUrl === null) {
            this.issue(p, `missing "@type" (a typed config needs a type URL like "type.googleapis.com/envoy.extensions...")`);
            return undefined;
        }
        if (typeof typeUrl !== "string") {
            this.issue(tp, `expected a type URL string, got ${describe(typeUrl)}`);
            return undefined;
        }
        const slash = typeUrl.lastIndexOf("/");
        const typeName = typeUrl.slice(slash + 1);
        if (slash < 0 || typeName === "") {
            this.issue(tp, `${JSON.stringify(typeUrl)} is not a type URL (expected "type.googleapis.com/<message type>")`);
            return undefined;
        }
        const desc = this.l.registry.getMessage(typeName);
        if (!desc) {
            const hint = closest(typeName, allMessageNames(this.l.registry), 6);
            this.issue(
                tp,
                `unknown type ${JSON.stringify(typeUrl)}: ${typeName} is not a message type of the Envoy API` +
                    (hint ? ` (did you mean "${typeUrl.slice(0, slash + 1)}${hint}"?)` : ""),
            );
            return undefined;
        }
        const rest: Record<string, unknown> = {};
        for (const [k, val] of Object.entries(v)) if (k !== "@type") rest[k] = val;
        if (SPECIAL_JSON_WKT.has(desc.typeName)) {
            // {"@type": ".../google.protobuf.Duration", "value": "1s"}
            for (const k of Object.keys(rest)) {
                if (k !== "value")
                    this.issue(joinPath(p, k), `unknown field ${JSON.stringify(k)} (an Any holding ${desc.typeName} has only "value")`);
            }
            if ("value" in rest) this.anyValue(desc, rest.value, joinPath(p, "value"), depth + 1);
            return { k: "any", typeUrl };
        }
        // Envoy validates an Any's payload with its own rules when it unpacks it: rules on.
        const before = this.issues.length;
        this.walkMessage(desc, rest, p, true, depth + 1);
        if (this.l.typedStructs.has(desc.typeName)) {
            // Whether the payload is walked depends on what was found in the TypedStruct's scalars.
            this.spoilRecordings();
            if (this.issues.length === before) this.walkTypedStruct(rest, p, depth);
        }
        return { k: "any", typeUrl };
    }

    /** The `value` of an Any holding a well-known scalar type, checked as a scalar. */
    private anyValue(desc: DescMessage, v: unknown, p: string, depth: number): void {
        this.segments.push("value");
        this.note(p, (where) => ({ kind: "any-value", ...where, desc, depth }));
        this.inScalar++;
        try {
            this.walkMessage(desc, v, p, true, depth);
        } finally {
            this.inScalar--;
            this.segments.pop();
        }
    }

    /** xds.type.v3.TypedStruct / udpa.type.v1.TypedStruct: Envoy converts `value` to `type_url`. */
    private walkTypedStruct(ts: Record<string, unknown>, p: string, depth: number): void {
        const typeUrl = ts.type_url ?? ts.typeUrl;
        if (typeof typeUrl !== "string" || typeUrl === "") return;
        const typeName = typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
        const desc = this.l.registry.getMessage(typeName);
        const key = "type_url" in ts ? "type_url" : "typeUrl";
        if (!desc) {
            this.issue(joinPath(p, key), `unknown type ${JSON.stringify(typeUrl)}: ${typeName} is not a message type of the Envoy API`);
            return;
        }
        const value = ts.value ?? {};
        this.walkMessage(desc, value, joinPath(p, "value"), true, depth + 1);
    }
}
