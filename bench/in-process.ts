/** The second table: figures inside one process (bench/task.ts), each task in a fresh process of its own. */
import { fmt, interleave, row, Samples, task } from "./measure";

interface InProcessTask {
    key: string;
    name: string;
    arg: number;
    label: (r: Record<string, unknown>) => string;
    env?: NodeJS.ProcessEnv;
}

/** A task that times itself twice inside its process (bench/task.ts BENCH_RUNS). */
const twice = (key: string, name: string, arg: number, label: InProcessTask["label"]): InProcessTask => ({
    key,
    name,
    arg,
    label,
    env: { BENCH_RUNS: "2" },
});

/** In-process tasks and what their rows say. */
const TASKS: readonly InProcessTask[] = [
    twice("library 100", "render-library", 100, () => "library render (all checks) + YAML, 100 proxies × 50 clusters"),
    twice("floor 100", "render-floor", 100, () => "in-process floor: JSON.stringify + YAML dump, 100 proxies × 50 clusters"),
    twice("envoy", "envoy-validation", 100, () => "strict Envoy validation, per bootstrap (54 clusters)"),
    twice("policy", "policy", 10_000, (r) => `policy pack rules over ${String(r.objects)} rendered objects`),
    {
        key: "mocks",
        name: "pulumi-mocks",
        arg: 100,
        label: (r) => `stack program under Pulumi's mock engine, 100 proxies × 50 clusters, ${String(r.registrations)} registrations`,
    },
];

/** Run the in-process tasks `rounds` times, interleaved; the table's lines and the samples (ms: the task's own timing). */
export function inProcessBench(rounds: number): { samples: Samples; lines: string[] } {
    const samples = new Samples();
    const results = new Map<string, Record<string, unknown>>();
    interleave(
        rounds,
        TASKS.map((t) => () => {
            const r = task(t.name, t.arg, t.env);
            const inner = (r.result.samples as number[] | undefined) ?? [r.ms];
            for (const ms of inner) samples.add(t.key, { ...r, ms });
            results.set(t.key, r.result);
        }),
        (round) => console.error(`in process: round ${round + 1}/${rounds}`),
    );
    const lines = [row(["what", "median ms (in process)", "peak RSS MB (whole task process)"]), row(["---", "---:", "---:"])];
    for (const t of TASKS)
        lines.push(row([t.label(results.get(t.key) ?? {}), fmt(samples.median(t.key, "ms")), fmt(samples.median(t.key, "rssMB"))]));
    return { samples, lines };
}
