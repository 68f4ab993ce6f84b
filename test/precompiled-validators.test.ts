/**
 * The validators `npm run build` precompiles (components/checks/precompiled.ts) report exactly what
 * a fresh ajv compile reports, and a precompiled file made from another schema is never used.
 */
import Ajv from "ajv";
import { expect } from "chai";
import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import * as path from "path";
import { GLOO_CRD_VALIDATORS } from "../components/checks/gloo-crds";
import { fingerprint, precompiled, standaloneValidator, type ValidatorSpec } from "../components/checks/precompiled";
import { valuesSchema } from "../components/values/schema";
import { invalidFixtureValues } from "./invalid-fixtures";
import { VALUES_VALIDATOR, valuesValidatorSpec } from "../components/values/values";

function fresh(spec: ValidatorSpec) {
    const ajv = new Ajv(spec.options);
    if (spec.vocabulary) ajv.addVocabulary([...spec.vocabulary]);
    return ajv.compile(spec.schema());
}

function written(spec: ValidatorSpec): string {
    // Inside the package, so the generated code resolves ajv's runtime as the built package does.
    const parent = path.join(__dirname, "..", ".cache", "test-precompiled");
    mkdirSync(parent, { recursive: true });
    const dir = mkdtempSync(path.join(parent, "run-"));
    writeFileSync(path.join(dir, `${spec.name}.js`), standaloneValidator(spec));
    return dir;
}

/** Each input's errors as JSON, from one validator. */
function errorsOf(validate: ReturnType<typeof fresh>, inputs: readonly unknown[]): string[] {
    return inputs.map((input) => (validate(input) ? "valid" : JSON.stringify(validate.errors)));
}

describe("precompiled validators", () => {
    it("the values validator reports what a fresh compile reports, for every invalid fixture", () => {
        const inputs = invalidFixtureValues();
        const loaded = precompiled(VALUES_VALIDATOR, written(VALUES_VALIDATOR));
        expect(loaded, "a precompiled file made from the schema in force is used").to.be.a("function");
        const got = errorsOf(loaded as ReturnType<typeof fresh>, inputs);
        expect(got).to.deep.equal(errorsOf(fresh(VALUES_VALIDATOR), inputs));
        expect(got.filter((e) => e !== "valid").length, "the fixtures do fail the schema").to.be.greaterThan(20);
    });

    it("each Gloo CRD validator reports what a fresh compile reports", () => {
        const specs = [
            { spec: { options: { socketOptions: [{ level: "6", name: 4, intValue: 60, state: "STATE_NOPE" }], bogus: 1 } } },
            { spec: { options: { socketOptions: [{ level: 6, name: 4, intValue: 60, state: "STATE_PREBIND" }] } } },
            { spec: { connectionConfig: { tcpKeepalive: { keepaliveTime: "60s", keepaliveProbs: 3 } }, static: { hosts: [{}] } } },
            { spec: { bindPort: "x", httpGateway: { virtualServiceSelecter: {} }, hybridGateway: { matchedGateways: [{ matcher: 1 }] } } },
        ];
        expect(GLOO_CRD_VALIDATORS.map((s) => s.name)).to.deep.equal(["crd-gateway-options", "crd-gateway", "crd-upstream"]);
        for (const spec of GLOO_CRD_VALIDATORS) {
            const loaded = precompiled(spec, written(spec)) as ReturnType<typeof fresh>;
            expect(loaded, spec.name).to.be.a("function");
            expect(errorsOf(loaded, specs), spec.name).to.deep.equal(errorsOf(fresh(spec), specs));
        }
    });

    it("never uses a precompiled file made from another schema or other options", () => {
        const dir = written(VALUES_VALIDATOR);
        const otherSchema: ValidatorSpec = valuesValidatorSpec({ ...valuesSchema, title: "changed" });
        const otherOptions: ValidatorSpec = { ...VALUES_VALIDATOR, options: { ...VALUES_VALIDATOR.options, allErrors: false } };
        expect(fingerprint(otherSchema)).to.not.equal(fingerprint(VALUES_VALIDATOR));
        expect(precompiled(otherSchema, dir)).to.equal(undefined);
        expect(precompiled(otherOptions, dir)).to.equal(undefined);
        const crd = GLOO_CRD_VALIDATORS[0];
        expect(precompiled({ ...crd, identity: () => `${crd.identity?.()} changed` }, written(crd))).to.equal(undefined);
    });
});
