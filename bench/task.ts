/**
 * One benchmark task in a fresh process (so its peak RSS is its own). Prints one JSON line:
 * { samples: [ms...], ...extra }. Run by bench/bench.ts through bench/peak-rss.py.
 */
import { writeFileSync } from "fs";
import * as path from "path";
import { benchValues } from "./workload";

const [task, arg] = process.argv.slice(2);
const n = Number(arg ?? 1);
const runs = Number(process.env.BENCH_RUNS ?? 5);

function time(fn: () => void): number {
    const t = performance.now();
    fn();
    return performance.now() - t;
}

// Each task loads only the modules it runs, when it runs: a task's peak RSS (and, through the
// points at which V8 collects, even its time) depends on what was loaded and in which order. The
// stack program's task loads the Pulumi SDK first and the program after it, as `pulumi up` does.
/** The tasks that run the library, loaded only when one of them runs. */
function libraryTasks(): Record<string, () => Record<string, unknown>> {
    const yaml = require("js-yaml") as typeof import("js-yaml");
    const { envoyRegistry, validateEnvoyBootstrap } =
        require("../components/checks/envoy/validate") as typeof import("../components/checks/envoy/validate");
    const { renderValues } = require("../components/render/render") as typeof import("../components/render/render");
    const dump = (objects: unknown[]) => objects.map((o) => `---\n${yaml.dump(o, { noRefs: true, lineWidth: -1 })}`).join("");
    return {
        /** Values file for helm: written once by the parent. */
        "write-values": () => {
            writeFileSync(process.env.BENCH_OUT as string, yaml.dump(benchValues(n), { noRefs: true, lineWidth: -1 }));
            return {};
        },
        /** The rendered result as JSON, for the floor process (bench/floor.ts) to write without rendering. */
        "write-rendered": () => {
            const r = renderValues([benchValues(n)]);
            const rendered = {
                values: r.values,
                proxies: r.proxies.map((p) => ({ name: p.name, bootstrap: p.bootstrap })),
                objects: r.objects,
            };
            writeFileSync(process.env.BENCH_OUT as string, JSON.stringify(rendered));
            return {};
        },
        /** The library, in-process with protos loaded: every check, then the manifests as YAML text (what helm template prints). */
        "render-library": () => {
            dump(renderValues([benchValues(n, 50, -1)]).objects); // warm: protos, schemas, JIT
            // Every run renders other addresses: the library remembers checked bootstraps, a rerun of the same values would be free.
            const samples = Array.from({ length: runs }, (_, run) => {
                const values = benchValues(n, 50, run);
                return time(() => dump(renderValues([values]).objects));
            });
            return { samples };
        },
        /** The floor: only serialising the same objects (JSON.stringify + YAML dump). */
        "render-floor": () => {
            const objects = renderValues([benchValues(n)]).objects;
            dump(objects); // warm
            const samples = Array.from({ length: runs }, () =>
                time(() => {
                    JSON.stringify(objects);
                    dump(objects);
                }),
            );
            return { samples };
        },
        /** Proto load (first call in a fresh process) and strict validation per bootstrap. */
        "envoy-validation": () => {
            const load = time(() => envoyRegistry());
            const bootstraps = renderValues([benchValues(n)]).proxies.map((p) => p.bootstrap);
            bootstraps.forEach((b) => validateEnvoyBootstrap(b, "")); // warm (validateEnvoyBootstrap itself keeps no cache)
            const samples = Array.from(
                { length: runs },
                () => time(() => bootstraps.forEach((b) => validateEnvoyBootstrap(b, ""))) / bootstraps.length,
            );
            return { samples, protoLoadMs: load };
        },
        /** The policy pack's rules (the same functions `pulumi preview --policy-pack` runs) over n rendered objects. */
        policy: () => {
            // Loaded here so the other tasks' peak RSS does not carry the policy code.
            const { checkObjects } = require("../policy/check") as typeof import("../policy/check");
            const objects = renderValues([benchValues(Math.ceil((n - 10) / 6), 5)]).objects.slice(0, n);
            checkObjects(objects); // warm
            const samples = Array.from({ length: runs }, () => time(() => checkObjects(objects)));
            return { samples, objects: objects.length };
        },
    };
}

/** Async tasks: the stack program under Pulumi's mock engine with n proxies (one sample per process: the engine keeps state). */
const asyncTasks: Record<string, () => Promise<Record<string, unknown>>> = {
    "pulumi-mocks": async () => {
        const config = { "gloo-keepalive:values": JSON.stringify(benchValues(n)), "gloo-keepalive:namespace": "gloo-system" };
        // The SDK (through the harness), then the program, as `pulumi up` loads them.
        const { loadProgram, runProgram } = require("../scripts/pulumi-mocks") as typeof import("../scripts/pulumi-mocks");
        const program = loadProgram(path.join(__dirname, "..", "index"));
        const t = performance.now();
        // The process-wide runtime store, as `pulumi up` runs the program (this process runs only it).
        const run = await runProgram(program, { config, processStore: true });
        const ms = performance.now() - t;
        if (run.errors.length > 0) throw run.errors[0];
        return { samples: [ms], registrations: run.registrations.length };
    },
};

if (asyncTasks[task]) {
    asyncTasks[task]().then(
        (r) => console.log(JSON.stringify(r)),
        (e) => {
            console.error(e);
            process.exit(1);
        },
    );
} else {
    const tasks = libraryTasks();
    const run = tasks[task];
    if (!run) throw new Error(`unknown task ${task}; one of ${[...Object.keys(tasks), ...Object.keys(asyncTasks)].join(", ")}`);
    console.log(JSON.stringify(run()));
}
