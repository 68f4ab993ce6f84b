/**
 * What the walker remembers across messages: the walk of each message *shape*. A shape is a value
 * with its scalars left out (their kind kept: string, number, boolean, null): every key in its
 * order, every list's length, and the strings that choose what is walked (an Any's `@type`, a
 * TypedStruct's `type_url`). Two values of one shape make the walker visit the same fields with the
 * same descriptors and rules; only what it finds at the scalars can differ. So a walk that found
 * nothing wrong outside the scalars is kept as a plan: the scalar fields it checked (where they
 * sit, their descriptor and rules) and the sub-messages it walked (their own plans). A value of a
 * known shape is checked by running the plan: every scalar is still parsed and checked, with the
 * walker's own code, at its own path; the walk through keys, descriptors, oneofs and absent-field
 * rules is not done again. 5000 static clusters that differ only in names, addresses and ports
 * walk one cluster and check 5000 clusters' scalars. A walk that reported anything else (an
 * unknown field, a missing required field, a value of the wrong kind) is not kept: such values are
 * walked whole every time.
 */
import type { DescField, DescMessage } from "@bufbuild/protobuf";
import type { J } from "./registry";

/** A scalar field the walker checked: where it sits under the planned message, and how to check it. */
export interface LeafStep {
    kind: "leaf";
    segments: readonly (string | number)[];
    /** The field's path after the planned message's path. */
    suffix: string;
    field: DescField;
    rulesOn: boolean;
    rules: J | undefined;
    depth: number;
}

/** An Any holding a well-known scalar type (`{"@type": ".../google.protobuf.Duration", "value": "1s"}`): its `value`. */
export interface AnyValueStep {
    kind: "any-value";
    segments: readonly (string | number)[];
    suffix: string;
    desc: DescMessage;
    depth: number;
}

/** A sub-message walked by its own plan. */
export interface PlanStep {
    kind: "plan";
    segments: readonly (string | number)[];
    suffix: string;
    plan: Plan;
}

export type Step = LeafStep | AnyValueStep | PlanStep;
export type Plan = readonly Step[];

/** Keys whose string value decides what the walker walks: kept in a shape as they are. */
const CHOOSING_KEYS = new Set(["@type", "type_url", "typeUrl"]);
const MAX_SHAPE_DEPTH = 48;
const MAX_SHAPES = 200_000;
const MAX_PLANS = 20_000;

/**
 * Shapes are numbered through a trie of tokens, without writing any text: a shape is the node
 * reached from the root by its tokens (an object's: "object", then each key and its value's shape;
 * an array's: "array", then each item's shape; a choosing key's string stands for itself). Equal
 * shapes reach the same node, so they get the same number; leaves have fixed numbers.
 */
interface TrieNode {
    id: number;
    next: Map<number, TrieNode> | undefined;
}
const LEAF = { string: 0, number: 1, boolean: 2, null: 3 } as const;
const OBJECT = 4;
const ARRAY = 5;
const FIRST_ID = 6;
let trie: TrieNode = { id: -1, next: undefined };
let nextId = FIRST_ID;
/** Keys and choosing strings as tokens (numbered past every shape id's range: negative). */
let tokens = new Map<string, number>();

function step(node: TrieNode, token: number): TrieNode {
    let next = node.next;
    if (!next) node.next = next = new Map();
    let child = next.get(token);
    if (!child) next.set(token, (child = { id: nextId++, next: undefined }));
    return child;
}

function tokenOf(text: string): number {
    let t = tokens.get(text);
    if (t === undefined) tokens.set(text, (t = -1 - tokens.size));
    return t;
}

const plans = new Map<string, Plan>();

/** Called before each walk: forgets everything once there is too much (never within a walk, so numbers stay meaningful). */
export function startWalk(): void {
    if (nextId - FIRST_ID > MAX_SHAPES || tokens.size > MAX_SHAPES || plans.size > MAX_PLANS) {
        trie = { id: -1, next: undefined };
        nextId = FIRST_ID;
        tokens = new Map();
        plans.clear();
    }
}

function leafShape(v: unknown): number | undefined {
    if (v === null) return LEAF.null;
    switch (typeof v) {
        case "string":
            return LEAF.string;
        case "number":
            return LEAF.number;
        case "boolean":
            return LEAF.boolean;
        default:
            return undefined;
    }
}

/**
 * The shapes of the values met in one walk, by object. Undefined for a value a shape could not
 * stand for: one holding `undefined`, a function, a non-plain object, a cycle or a very deep value.
 */
export class Shapes {
    /** Each object's shape; undefined while it is being read (a cycle meets it so). */
    private readonly known = new Map<object, number | undefined>();

    of(v: unknown, depth = 0): number | undefined {
        const leaf = leafShape(v);
        if (leaf !== undefined) return leaf;
        if (typeof v !== "object" || v === null) return undefined;
        if (this.known.has(v)) return this.known.get(v);
        if (depth > MAX_SHAPE_DEPTH) return undefined;
        this.known.set(v, undefined);
        const shape = this.compute(v, depth);
        this.known.set(v, shape);
        return shape;
    }

    private compute(v: object, depth: number): number | undefined {
        let node: TrieNode;
        if (Array.isArray(v)) {
            node = step(trie, ARRAY);
            for (const item of v) {
                const s = this.of(item, depth + 1);
                if (s === undefined) return undefined;
                node = step(node, s);
            }
        } else {
            const proto: unknown = Object.getPrototypeOf(v);
            if (proto !== Object.prototype && proto !== null) return undefined;
            node = step(trie, OBJECT);
            const o = v as Record<string, unknown>;
            for (const key of Object.keys(o)) {
                const child = o[key];
                const s = typeof child === "string" && CHOOSING_KEYS.has(key) ? tokenOf(`=${child}`) : this.of(child, depth + 1);
                if (s === undefined) return undefined;
                node = step(step(node, tokenOf(key)), s);
            }
        }
        return node.id;
    }
}

/** The plan key of one message walk: its type, whether rules are on, its depth and its shape. */
export function planKey(desc: DescMessage, shape: number, rulesOn: boolean, depth: number): string {
    return `${desc.typeName}|${rulesOn ? 1 : 0}|${depth}|${shape}`;
}

export function recallPlan(key: string): Plan | undefined {
    return plans.get(key);
}

export function rememberPlan(key: string, plan: Plan): void {
    plans.set(key, plan);
}

/** What one scalar step found for each of its values: the issues, by their path after the field's. */
const scalarIssues = new WeakMap<LeafStep, Map<string | number | boolean, readonly { suffix: string; message: string }[]>>();
/** Distinct values remembered per step: a field whose values keep differing (names, addresses) is not remembered past this. */
const MAX_VALUES_PER_STEP = 64;

/** A value a step's issues can be remembered by: a string, a boolean or a number (not -0, which a Map holds as 0). */
function memoValue(v: unknown): v is string | number | boolean {
    return typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && !Object.is(v, -0));
}

/** The issues a scalar step found before for this value, moved under `p`; undefined if not remembered. */
export function recallScalar(step: LeafStep, v: unknown, p: string): { path: string; message: string }[] | undefined {
    if (!memoValue(v)) return undefined;
    return scalarIssues
        .get(step)
        ?.get(v)
        ?.map((i) => ({ path: p + i.suffix, message: i.message }));
}

/** Remember what a scalar step found for this value (all under `p`). */
export function rememberScalar(step: LeafStep, v: unknown, p: string, issues: readonly { path: string; message: string }[]): void {
    if (!memoValue(v) || issues.some((i) => !i.path.startsWith(p))) return;
    let known = scalarIssues.get(step);
    if (!known) scalarIssues.set(step, (known = new Map()));
    if (known.size < MAX_VALUES_PER_STEP)
        known.set(
            v,
            issues.map((i) => ({ suffix: i.path.slice(p.length), message: i.message })),
        );
}

/** The value at `segments` under `root` (the walker reached it there, so every step exists). */
export function valueAt(root: unknown, segments: readonly (string | number)[]): unknown {
    let v = root;
    for (const s of segments) v = (v as Record<string | number, unknown>)[s];
    return v;
}
