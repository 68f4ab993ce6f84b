/**
 * Every source file under 600 lines and every function under 80, read with TypeScript's own parser
 * (generated files and fixtures aside). In test files, the `describe` / `it` callbacks are the
 * suites themselves, not functions of the code, and are not counted.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import { readFileSync } from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
const MAX_FILE_LINES = 600;
const MAX_FUNCTION_LINES = 80;
const SUITE_CALLS = new Set(["describe", "it", "before", "after", "beforeEach", "afterEach", "context"]);

function sourceFiles(): string[] {
    return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts"], { cwd: ROOT, encoding: "utf8" })
        .split("\n")
        .filter((f) => f !== "" && !f.includes("/fixtures/") && !f.includes("/generated/") && !f.endsWith(".d.ts"));
}

/** Is this function the callback of a mocha suite call (`describe("...", () => { ... })`)? */
function isSuiteCallback(node: ts.Node): boolean {
    const call = node.parent;
    if (!call || !ts.isCallExpression(call)) return false;
    const callee = ts.isPropertyAccessExpression(call.expression) ? call.expression.expression : call.expression;
    return ts.isIdentifier(callee) && SUITE_CALLS.has(callee.text);
}

/** `file:line name (N lines)` for every function over the limit. */
export function longFunctions(file: string, text: string, limit = MAX_FUNCTION_LINES): string[] {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && "body" in node && node.body && !isSuiteCallback(node)) {
            const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
            const end = source.getLineAndCharacterOfPosition(node.end).line + 1;
            const name = (node as { name?: ts.Node }).name?.getText(source) ?? "(anonymous)";
            if (end - start + 1 > limit) found.push(`${file}:${start} ${name} (${end - start + 1} lines)`);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

describe("source size", () => {
    const files = sourceFiles();

    it(`keeps every source file under ${MAX_FILE_LINES} lines`, () => {
        expect(files.length).to.be.greaterThan(50);
        const long = files
            .map((f) => [f, readFileSync(path.join(ROOT, f), "utf8").split("\n").length] as const)
            .filter(([, lines]) => lines > MAX_FILE_LINES)
            .map(([f, lines]) => `${f} (${lines} lines)`);
        expect(long).to.deep.equal([]);
    });

    it(`keeps every function under ${MAX_FUNCTION_LINES} lines`, () => {
        const long = files.flatMap((f) => longFunctions(f, readFileSync(path.join(ROOT, f), "utf8")));
        expect(long).to.deep.equal([]);
    });

    it("finds a long function and skips suite callbacks (the check can fail)", () => {
        const body = Array.from({ length: 85 }, (_, i) => `    const v${i} = ${i};`).join("\n");
        expect(longFunctions("x.ts", `function big() {\n${body}\n}\n`)).to.deep.equal(["x.ts:1 big (87 lines)"]);
        expect(longFunctions("x.test.ts", `describe("s", () => {\n${body}\n});\n`)).to.deep.equal([]);
    });
});
