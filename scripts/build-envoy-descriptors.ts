/**
 * Compile Envoy's v3 API protos (every envoy/** file, plus the cncf/xds `xds/**` and
 * `udpa/**` protos, plus everything they import) into ONE binary FileDescriptorSet:
 *
 *   components/generated/envoy-api.binpb
 *
 * which components/checks/envoy/ loads at run time. Run with
 *
 *   npx ts-node --transpile-only scripts/build-envoy-descriptors.ts
 *
 * (wired to `npm run build:protos` / `prepare`). Idempotent: the output is replaced
 * atomically and only when the build succeeded; nothing else in the repo is written.
 * Fails loudly (non-zero exit) on any problem.
 *
 * Source: the vendored protos of @grpc/grpc-js-xds (deps/envoy-api, deps/xds,
 * deps/googleapis, deps/protoc-gen-validate). google/protobuf/*.proto come from buf
 * itself (well-known types are built into buf).
 *
 * Two quirks of that vendored tree are handled here (see the report printed by the script):
 *
 *  1. Some envoy/** files import protos that are not vendored at all
 *     (opencensus/proto/..., io/prometheus/client/..., opentelemetry/proto/...,
 *     and the removed envoy/api/v2/** tree). Those files - and every file that imports
 *     them, transitively - cannot be compiled and are left out. The list is computed,
 *     printed, and the build fails if a file we rely on would be left out.
 *  2. The vendored validate/validate.proto predates PGV's `ignore_empty` option, which
 *     current Envoy protos use (e.g. envoy/config/core/v3/protocol.proto, imported by
 *     Cluster). We compile a copy with the `ignore_empty` fields added under their
 *     upstream field numbers (numeric rules 8, StringRules 26, BytesRules 14,
 *     RepeatedRules 5, MapRules 6), exactly as in upstream protoc-gen-validate.
 *     If the vendored file already has them it is used unchanged.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { packageRoot } from "../components/package-root";

/** Files whose absence would make the validator useless: the build fails if any is excluded. */
const REQUIRED_FILES = [
    "envoy/config/bootstrap/v3/bootstrap.proto",
    "envoy/config/cluster/v3/cluster.proto",
    "envoy/config/core/v3/protocol.proto",
    "envoy/config/listener/v3/listener.proto",
    "envoy/extensions/transport_sockets/tls/v3/tls.proto",
    "envoy/extensions/upstreams/http/v3/http_protocol_options.proto",
    "envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto",
    "xds/type/v3/typed_struct.proto",
    "udpa/type/v1/typed_struct.proto",
    "validate/validate.proto",
];
/** Message types that must be resolvable in the finished descriptor set. */
const REQUIRED_TYPES = [
    "envoy.config.bootstrap.v3.Bootstrap",
    "envoy.config.cluster.v3.Cluster",
    "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
    "envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
    "validate.FieldRules",
];

function fail(message: string): never {
    console.error(`build-envoy-descriptors: ERROR: ${message}`);
    process.exit(1);
}

function listProtos(root: string, sub: string): string[] {
    const out: string[] = [];
    const walk = (rel: string): void => {
        const abs = path.join(root, rel);
        for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
            const r = rel ? `${rel}/${entry.name}` : entry.name;
            if (entry.isDirectory()) walk(r);
            else if (entry.isFile() && entry.name.endsWith(".proto")) out.push(r);
        }
    };
    if (fs.existsSync(path.join(root, sub))) walk(sub);
    return out.sort();
}

const IMPORT_RE = /^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm;

function patchValidateProto(text: string): string {
    if (/\bignore_empty\b/.test(text)) return text;
    const addField = (t: string, message: string, field: string): string => {
        const re = new RegExp(`(\\nmessage ${message} \\{[\\s\\S]*?)(\\n\\}\\n)`);
        if (!re.test(t)) fail(`cannot patch validate.proto: message ${message} not found`);
        return t.replace(re, `$1\n    ${field}$2`);
    };
    let t = text.replace(/\r\n/g, "\n"); // the vendored file has CRLF line endings
    for (const m of [
        "FloatRules",
        "DoubleRules",
        "Int32Rules",
        "Int64Rules",
        "UInt32Rules",
        "UInt64Rules",
        "SInt32Rules",
        "SInt64Rules",
        "Fixed32Rules",
        "Fixed64Rules",
        "SFixed32Rules",
        "SFixed64Rules",
    ]) {
        t = addField(t, m, "optional bool ignore_empty = 8; // added by build-envoy-descriptors (upstream PGV)");
    }
    t = addField(t, "StringRules", "optional bool ignore_empty = 26; // added by build-envoy-descriptors (upstream PGV)");
    t = addField(t, "BytesRules", "optional bool ignore_empty = 14; // added by build-envoy-descriptors (upstream PGV)");
    t = addField(t, "RepeatedRules", "optional bool ignore_empty = 5; // added by build-envoy-descriptors (upstream PGV)");
    t = addField(t, "MapRules", "optional bool ignore_empty = 6; // added by build-envoy-descriptors (upstream PGV)");
    return t;
}

/** The proto include directories (vendored by @grpc/grpc-js-xds) and the buf CLI. */
function locateTools(root: string): { includeDirs: string[]; buf: string } {
    const deps = path.join(root, "node_modules", "@grpc", "grpc-js-xds", "deps");
    const includeDirs = ["envoy-api", "xds", "googleapis", "protoc-gen-validate"].map((d) => path.join(deps, d));
    for (const d of includeDirs) {
        if (!fs.existsSync(d)) fail(`proto include directory missing: ${d} (is @grpc/grpc-js-xds installed?)`);
    }
    // The platform package of the buf CLI: the registry these machines reach serves only the Linux
    // ones, so the package depends on @bufbuild/buf-linux-x64 directly rather than @bufbuild/buf.
    const platformPackage = `@bufbuild/buf-${process.platform === "win32" ? "win32" : process.platform}-${process.arch === "arm64" && process.platform === "linux" ? "aarch64" : process.arch}`;
    try {
        const buf = require.resolve(`${platformPackage}/bin/buf${process.platform === "win32" ? ".exe" : ""}`, { paths: [root] });
        return { includeDirs, buf };
    } catch {
        fail(`buf CLI not found: install ${platformPackage} (npm install --no-save ${platformPackage}) to regenerate the descriptors`);
    }
}

/** Every vendored proto by import path, and the envoy/xds/udpa files to build. */
function locateProtos(includeDirs: readonly string[]): { located: Map<string, string>; targets: string[] } {
    const located = new Map<string, string>();
    for (const dir of includeDirs) {
        for (const sub of ["envoy", "xds", "udpa", "validate", "google"]) {
            for (const rel of listProtos(dir, sub)) if (!located.has(rel)) located.set(rel, path.join(dir, rel));
        }
    }
    const targets = [...listProtos(includeDirs[0], "envoy"), ...listProtos(includeDirs[1], "xds"), ...listProtos(includeDirs[1], "udpa")];
    if (targets.length < 400) fail(`expected hundreds of envoy/xds protos, found ${targets.length}`);
    return { located, targets };
}

interface Selection {
    included: string[];
    excluded: string[];
    /** Every file to stage: the included targets and everything they import. */
    closure: Set<string>;
    /** The missing proto a file (transitively) imports, or null if it can be built. */
    causeOf: (rel: string) => string | null;
}

/** Import closure; a file is unbuildable if it (transitively) imports a proto we do not have. */
function selectProtos(located: ReadonlyMap<string, string>, targets: readonly string[]): Selection {
    const importsOf = new Map<string, string[]>();
    const imports = (rel: string): string[] => {
        let list = importsOf.get(rel);
        if (!list) {
            const text = fs.readFileSync(located.get(rel)!, "utf8");
            list = [...text.matchAll(IMPORT_RE)].map((m) => m[1]);
            importsOf.set(rel, list);
        }
        return list;
    };
    const missingCause = new Map<string, string | null>();
    const causeOf = (rel: string): string | null => {
        if (rel.startsWith("google/protobuf/")) return null; // WKT: built into buf
        if (!located.has(rel)) return rel;
        if (missingCause.has(rel)) return missingCause.get(rel)!;
        missingCause.set(rel, null); // cycle guard (proto imports cannot be cyclic anyway)
        let cause: string | null = null;
        for (const imp of imports(rel)) {
            cause = causeOf(imp);
            if (cause) break;
        }
        missingCause.set(rel, cause);
        return cause;
    };
    const excluded = targets.filter((t) => causeOf(t) !== null);
    const included = targets.filter((t) => causeOf(t) === null);
    for (const req of REQUIRED_FILES) {
        if (!located.has(req)) fail(`required proto ${req} is not vendored`);
        const cause = causeOf(req);
        if (cause) fail(`required proto ${req} cannot be built: it (transitively) imports missing ${cause}`);
    }
    const closure = new Set<string>();
    const addClosure = (rel: string): void => {
        if (closure.has(rel) || rel.startsWith("google/protobuf/")) return;
        closure.add(rel);
        for (const imp of imports(rel)) addClosure(imp);
    };
    included.forEach(addClosure);
    addClosure("validate/validate.proto");
    return { included, excluded, closure, causeOf };
}

/** Stage the files into `tmp` as one buf module (buf needs all files under one root) and build them; returns the output file. */
function bufBuild(buf: string, tmp: string, closure: Iterable<string>, located: ReadonlyMap<string, string>): string {
    const src = path.join(tmp, "proto");
    for (const rel of closure) {
        const dest = path.join(src, rel);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        let text = fs.readFileSync(located.get(rel)!, "utf8");
        if (rel === "validate/validate.proto") text = patchValidateProto(text);
        fs.writeFileSync(dest, text);
    }
    fs.writeFileSync(path.join(src, "buf.yaml"), "version: v2\n");
    const out = path.join(tmp, "envoy-api.binpb");
    try {
        execFileSync(buf, ["build", src, "-o", out, "--exclude-source-info"], {
            stdio: ["ignore", "inherit", "pipe"],
            encoding: "utf8",
        });
    } catch (e) {
        const err = e as { stderr?: string; message: string };
        fail(`buf build failed:\n${err.stderr || err.message}`);
    }
    return out;
}

/** Sanity-check the built set the same way the validator will load it, then replace the output atomically. */
function install(out: string, root: string): { dest: string; bytes: number; files: number } {
    const bytes = fs.readFileSync(out);
    const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, bytes));
    for (const t of REQUIRED_TYPES) {
        if (!registry.getMessage(t)) fail(`built descriptor set lacks ${t}`);
    }
    if (!registry.getExtension("validate.rules")) fail("built descriptor set lacks the validate.rules extension");

    const destDir = process.env.ENVOY_DESCRIPTORS_OUT_DIR ?? path.join(root, "components", "generated");
    fs.mkdirSync(destDir, { recursive: true });
    const dest = path.join(destDir, "envoy-api.binpb");
    const staging = `${dest}.${process.pid}.tmp`;
    fs.copyFileSync(out, staging);
    fs.renameSync(staging, dest);
    return { dest, bytes: bytes.length, files: [...registry.files].length };
}

function main(): void {
    const started = Date.now();
    const root = packageRoot();
    const { includeDirs, buf } = locateTools(root);
    const { located, targets } = locateProtos(includeDirs);
    const { included, excluded, closure, causeOf } = selectProtos(located, targets);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "envoy-descriptors-"));
    try {
        const { dest, bytes, files } = install(bufBuild(buf, tmp, closure, located), root);
        const v3Excluded = excluded.filter((f) => !/\/v2(alpha\d*)?\//.test(f));
        console.log(
            `build-envoy-descriptors: wrote ${path.relative(root, dest)} (${bytes} bytes, ${files} files, ` +
                `${included.length}/${targets.length} envoy/xds/udpa targets) in ${Date.now() - started} ms`,
        );
        console.log(
            `build-envoy-descriptors: left out ${excluded.length} files importing unvendored protos` +
                (v3Excluded.length ? `, incl. non-v2: ${v3Excluded.map((f) => `${f} (needs ${causeOf(f)})`).join(", ")}` : ""),
        );
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

if (require.main === module) main();
