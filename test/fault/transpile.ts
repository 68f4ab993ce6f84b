/** Plain-JS copies of a few modules, so a child process the fault tests start runs in milliseconds. */
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");

/** Transpile `files` (paths from the repo root) into `dir`, keeping their layout; returns the JS path of the last one. */
export function transpileForChild(dir: string, files: readonly string[]): string {
    for (const rel of files) {
        const { outputText } = ts.transpileModule(readFileSync(path.join(ROOT, rel), "utf8"), {
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
        });
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel.replace(/\.ts$/, ".js")), outputText);
    }
    return path.join(dir, files[files.length - 1].replace(/\.ts$/, ".js"));
}
