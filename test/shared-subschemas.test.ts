/**
 * Sharing repeated subschemas (components/checks/shared-subschemas.ts) changes how a validator is
 * compiled, never what it says: on every invalid fixture the values schema, shared and compiled
 * with `inlineRefs: false`, reports the same errors (value path, keyword, params, data, message,
 * the parent schema's own keywords and property names) as the schema written out in full; only
 * `schemaPath` names the shared definition, and a parent schema holds `$ref`s where it held subschemas.
 */
import Ajv, { type ErrorObject, type Options } from "ajv";
import { expect } from "chai";
import { shareRepeatedSubschemas } from "../components/checks/shared-subschemas";
import { valuesSchema } from "../components/values/schema";
import { invalidFixtureValues } from "./invalid-fixtures";
import { VALUES_VALIDATOR } from "../components/values/values";

function compile(schema: object, options: Options) {
    const ajv = new Ajv(options);
    ajv.addVocabulary([...(VALUES_VALIDATOR.vocabulary ?? [])]);
    return ajv.compile(schema);
}

/** A schema's own words: its scalar keywords and the names under `properties` (a shared subschema is a `$ref` below it). */
function ownWords(schema: unknown): unknown {
    if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return schema;
    return Object.fromEntries(
        Object.entries(schema)
            .filter(([k]) => k !== "definitions") // where the shared subschemas are kept, at the root
            .map(([k, v]) => [k, k === "properties" ? Object.keys(v as object) : typeof v === "object" ? "…" : v]),
    );
}

/** What an error says, as the issue mappers read it (values/values.ts, values/ajv-issues.ts); not where in the schema. */
const said = (errors: ErrorObject[] | null | undefined) =>
    JSON.stringify(
        (errors ?? []).map(({ schemaPath: _where, parentSchema, schema, ...error }) => ({
            ...error,
            schema: ownWords(schema),
            parentSchema: ownWords(parentSchema),
        })),
    );

describe("shared subschemas", () => {
    it("move every repeated large subschema of the values schema into one definition, referred to where it stood", () => {
        const shared = shareRepeatedSubschemas(valuesSchema) as { definitions?: Record<string, unknown> };
        expect(Object.keys(shared.definitions ?? {}).length).to.be.greaterThan(10);
        expect(JSON.stringify(shared).length).to.be.lessThan(JSON.stringify(valuesSchema).length * 0.7);
        expect(JSON.stringify(valuesSchema)).to.not.include("#/definitions/shared-"); // the input is not changed
    });

    it("report what the full values schema reports, for every invalid fixture", () => {
        const inputs = invalidFixtureValues();
        const { inlineRefs: _inline, ...full } = VALUES_VALIDATOR.options;
        const whole = compile(valuesSchema, full);
        const shared = compile(VALUES_VALIDATOR.schema(), VALUES_VALIDATOR.options);
        let failing = 0;
        for (const input of inputs) {
            const verdict = whole(input);
            expect(shared(input)).to.equal(verdict);
            expect(said(shared.errors)).to.equal(said(whole.errors));
            if (!verdict) failing++;
        }
        expect(failing).to.be.greaterThan(20);
    });
});
