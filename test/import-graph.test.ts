/**
 * The import graph of the project's own sources, read with TypeScript's own pre-processor (static
 * imports, `import type`, `export ... from`, `require()` and `import()` alike): no cycle anywhere,
 * nothing under components/ reaches into test/, and bench/ uses no test harness.
 */
import { expect } from "chai";
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
const SOURCE_ROOTS = ["components", "policy", "scripts", "bench", "index.ts"];

function sourceFiles(entry: string): string[] {
    const full = path.join(ROOT, entry);
    if (!existsSync(full)) return [];
    if (statSync(full).isFile()) return full.endsWith(".ts") ? [full] : [];
    return readdirSync(full)
        .filter((name) => name !== "node_modules" && !name.startsWith("."))
        .flatMap((name) => sourceFiles(path.join(entry, name)));
}

function resolveRelative(from: string, spec: string): string | undefined {
    const base = path.resolve(path.dirname(from), spec);
    return [base, `${base}.ts`, path.join(base, "index.ts")].find((c) => existsSync(c) && statSync(c).isFile());
}

/** Each file's relative imports, resolved to files (package imports are not ours to check). */
export function importGraph(
    files: readonly string[],
    read: (file: string) => string = (f) => readFileSync(f, "utf8"),
): Map<string, string[]> {
    const graph = new Map<string, string[]>();
    for (const file of files) {
        const { importedFiles } = ts.preProcessFile(read(file), true, true);
        const targets = importedFiles
            .map((i) => i.fileName)
            .filter((spec) => spec.startsWith("."))
            .map((spec) => resolveRelative(file, spec))
            .filter((t): t is string => t !== undefined);
        graph.set(file, [...new Set(targets)]);
    }
    return graph;
}

/** Every cycle found by a depth-first walk, each as the files around it (first file repeated last). */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
    const cycles: string[][] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (file: string): void => {
        state.set(file, "open");
        stack.push(file);
        for (const next of graph.get(file) ?? []) {
            if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
            else if (!state.has(next)) visit(next);
        }
        stack.pop();
        state.set(file, "done");
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    return cycles;
}

const rel = (f: string) => path.relative(ROOT, f);

describe("import graph", () => {
    const files = SOURCE_ROOTS.flatMap(sourceFiles);
    const graph = importGraph(files);

    it("reads the project's sources", () => {
        expect(files.length).to.be.greaterThan(40);
        expect(graph.get(path.join(ROOT, "components/cli/index.ts"))).to.include(path.join(ROOT, "components/cli/render.ts"));
    });

    it("has no import cycle in components/, policy/, scripts/, bench/ or index.ts", () => {
        const cycles = findCycles(graph).map((c) => c.map(rel).join(" -> "));
        expect(cycles, cycles.join("\n")).to.deep.equal([]);
    });

    it("finds a cycle when one is added (the check can fail)", () => {
        const a = path.join(ROOT, "components/values/values.ts");
        const withCycle = importGraph(files, (f) => readFileSync(f, "utf8") + (f === a ? '\nimport "../cli/render";\n' : ""));
        const cycles = findCycles(withCycle).map((c) => c.map(rel));
        expect(cycles.some((c) => c.includes("components/values/values.ts") && c.includes("components/cli/render.ts"))).to.equal(true);
    });

    it("keeps components/ out of test/, and bench/ off the test harnesses", () => {
        const testDir = path.join(ROOT, "test") + path.sep;
        const wrong = [...graph]
            .filter(([file]) => rel(file).startsWith("components/") || rel(file).startsWith("bench/") || rel(file).startsWith("policy/"))
            .flatMap(([file, targets]) => targets.filter((t) => t.startsWith(testDir)).map((t) => `${rel(file)} -> ${rel(t)}`));
        expect(wrong).to.deep.equal([]);
    });
});
