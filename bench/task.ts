/**
 * One benchmark task in a fresh process (so its peak RSS is its own). Prints one JSON line:
 * { samples: [ms...], ...extra }. Run by bench/bench.ts through bench/peak-rss.py.
 */
import { writeFileSync } from "fs";
import * as yaml from "js-yaml";
import { envoyRegistry, validateEnvoyBootstrap } from "../components/envoy-validation";
import { renderValues } from "../components/render";
import { benchValues } from "./workload";

const [task, arg] = process.argv.slice(2);
const n = Number(arg ?? 1);
const runs = Number(process.env.BENCH_RUNS ?? 5);

function time(fn: () => void): number {
    const t = performance.now();
    fn();
    return performance.now() - t;
}
const dump = (objects: unknown[]) => objects.map((o) => `---\n${yaml.dump(o, { noRefs: true, lineWidth: -1 })}`).join("");

const tasks: Record<string, () => Record<string, unknown>> = {
    /** Values file for helm: written once by the parent. */
    "write-values": () => {
        writeFileSync(process.env.BENCH_OUT as string, yaml.dump(benchValues(n), { noRefs: true, lineWidth: -1 }));
        return {};
    },
    /** The library, in-process with protos loaded: every check, then the manifests as YAML text (what helm template prints). */
    "render-library": () => {
        const values = benchValues(n);
        dump(renderValues([values]).objects); // warm: protos, schemas, JIT
        const samples = Array.from({ length: runs }, () => time(() => dump(renderValues([values]).objects)));
        return { samples };
    },
    /** The floor: only serialising the same objects (JSON.stringify + YAML dump). */
    "render-floor": () => {
        const objects = renderValues([benchValues(n)]).objects;
        dump(objects); // warm
        const samples = Array.from({ length: runs }, () => time(() => { JSON.stringify(objects); dump(objects); }));
        return { samples };
    },
    /** Proto load (first call in a fresh process) and strict validation per bootstrap. */
    "envoy-validation": () => {
        const load = time(() => envoyRegistry());
        const bootstraps = renderValues([benchValues(n)]).proxies.map((p) => p.bootstrap);
        bootstraps.forEach((b) => validateEnvoyBootstrap(b, "")); // warm
        const samples = Array.from({ length: runs }, () => time(() => bootstraps.forEach((b) => validateEnvoyBootstrap(b, ""))) / bootstraps.length);
        return { samples, protoLoadMs: load };
    },
};

const run = tasks[task];
if (!run) throw new Error(`unknown task ${task}; one of ${Object.keys(tasks).join(", ")}`);
console.log(JSON.stringify(run()));
