/**
 * A command writing --out that SIGKILLs itself at its Nth write or rename (a write is cut in half
 * first): `node write-child.js <files.json> <out> <N>`; N = 0 never kills and prints the step count.
 */
import * as fs from "fs";
import { writeOutFolder, type OutFileContent } from "../../components/cli/out-dir";

const [filesJson, out, killAt] = process.argv.slice(2);
// manifests.yaml is handed over in pieces (a document each), as render does: its first write and every append are steps too.
const texts = Object.entries(JSON.parse(fs.readFileSync(filesJson, "utf8")) as Record<string, string>);
const files = new Map<string, OutFileContent>(
    texts.map(([name, text]) => [name, name === "manifests.yaml" ? () => text.split(/(?=^---$)/m) : text]),
);
const at = Number(killAt);
let step = 0;
const { appendFileSync, writeFileSync, renameSync } = fs;

function die(): never {
    process.kill(process.pid, "SIGKILL");
    for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}

const patched = fs as unknown as Record<string, unknown>;
patched.writeFileSync = (file: fs.PathOrFileDescriptor, data: string, options?: fs.WriteFileOptions) => {
    if (++step === at) {
        writeFileSync(file, data.slice(0, Math.floor(data.length / 2)));
        die();
    }
    writeFileSync(file, data, options);
};
patched.appendFileSync = (file: fs.PathOrFileDescriptor, data: string, options?: fs.WriteFileOptions) => {
    if (++step === at) {
        appendFileSync(file, data.slice(0, Math.floor(data.length / 2)));
        die();
    }
    appendFileSync(file, data, options);
};
patched.renameSync = (from: fs.PathLike, to: fs.PathLike) => {
    if (++step === at) die();
    renameSync(from, to);
};

writeOutFolder(out, files);
console.log(step);
