import { expect } from "chai";
import { existsSync, readFileSync } from "fs";
import * as path from "path";
import { generatedFiles, ROOT } from "../scripts/generate";

describe("generated files (npm run generate)", () => {
    for (const [file, content] of Object.entries(generatedFiles())) {
        it(`${path.relative(ROOT, file)} is up to date with components/values/schema.ts`, () => {
            expect(existsSync(file), file).to.equal(true);
            expect(readFileSync(file, "utf8"), `${file} is stale: run npm run generate`).to.equal(content);
        });
    }
});
