/**
 * Runs a Pulumi program under Pulumi's mock engine, in this process, isolated from every other run:
 * each run gets a fresh runtime store (the SDK's own `withLocalStorage`, what the Automation API
 * uses for inline programs), fresh mocks and its own config, and the program module is loaded
 * afresh. Records every resource registration as the engine would receive it (type, name, URN,
 * parent, inputs, provider, aliases, dependencies), the stack outputs, and every error the program
 * raised, thrown or unhandled (as the real `pulumi` runner reports them).
 */
import * as pulumi from "@pulumi/pulumi";

// Internal SDK modules (pinned @pulumi/pulumi ~3.248); no type declarations are shipped for these.
const state = require("@pulumi/pulumi/runtime/state") as { withLocalStorage<T>(fn: () => Promise<T>): Promise<T> };
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
    deserializeProperties(struct: unknown): Record<string, unknown>;
    specialSigKey: string;
    specialSecretSig: string;
};
const mocksModule = require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: { prototype: Record<string, unknown> } };
const configModule = require("@pulumi/pulumi/runtime/config") as { getConfig(key: string): string | undefined };

/** One alias as sent to the engine. */
export interface AliasSpec {
    name: string;
    type: string;
    parentUrn: string;
    noParent: boolean;
}

/** One RegisterResource call, as the engine receives it. */
export interface Registration {
    type: string;
    name: string;
    urn: string;
    /** The parent's URN ("" for none). */
    parent: string;
    custom: boolean;
    remote: boolean;
    /** The inputs, secrets unwrapped (see `secretPaths`). */
    inputs: Record<string, unknown>;
    /** Paths of the inputs that were sent as secrets. */
    secretPaths: string[];
    /** The provider reference (`<urn>::<id>`), "" for the default provider. */
    provider: string;
    aliases: AliasSpec[];
    dependencies: string[];
}

export interface ProgramRun {
    /** Every registration but the root stack's, in the order the engine saw them. */
    registrations: Registration[];
    /** The stack outputs (what the program exports). */
    outputs: Record<string, unknown> | undefined;
    /** Errors the program threw, or raised as unhandled rejections (e.g. a failed apply in a resource's inputs). */
    errors: Error[];
    /** Config keys the program read. */
    configRead: string[];
    /** `mocks.call` tokens the program invoked. */
    calls: string[];
}

export interface RunOptions {
    project?: string;
    stack?: string;
    /** Config, `<namespace>:<key>` to the string value (objects as JSON), as the CLI passes it. */
    config?: Record<string, string>;
    preview?: boolean;
    /**
     * Run in the SDK's process-wide store, as the `pulumi` CLI runs a program, not in a store of
     * its own (`withLocalStorage`, whose async context puts a hook on every promise the SDK makes).
     * Only for a process that runs this one program: nothing isolates it from any later run.
     */
    processStore?: boolean;
}

interface RecordingMocks extends pulumi.runtime.Mocks {
    record(registration: Registration): void;
    /** The inputs of the latest `newResource` call: the mock monitor's own deserialization of the request being registered. */
    latestInputs?: Record<string, unknown>;
}

type Callback = (err: unknown, resp: { getUrn(): string } | undefined) => void;
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getRemote(): boolean;
    getProvider(): string;
    getObject(): unknown;
    getDependenciesList(): string[];
    getAliasesList(): { getSpec(): { getName(): string; getType(): string; getParenturn(): string; getNoparent(): boolean } | undefined }[];
}

// Record each registration with what the engine would see. The mock monitor builds the URN; we
// read it from its response. The inputs are those it deserialized for `newResource`, which it
// calls before its first await (so they belong to this request); deserialized again only if an
// SDK stops doing so. Installed once, it records only for monitors built with RecordingMocks.
const originalRegister = mocksModule.MockMonitor.prototype.registerResource as (
    this: { mocks: unknown },
    req: RegisterRequest,
    cb: Callback,
) => Promise<void>;
mocksModule.MockMonitor.prototype.registerResource = function (
    this: { mocks: Partial<RecordingMocks> },
    req: RegisterRequest,
    callback: Callback,
) {
    if (!this.mocks.record) return originalRegister.call(this, req, callback);
    const deserialized: { inputs?: Record<string, unknown> } = {};
    this.mocks.latestInputs = undefined;
    const registered = originalRegister.call(this, req, (err, resp) => {
        if (!err && resp && this.mocks.record) {
            const secretPaths: string[] = [];
            const inputs = unwrapSecrets(deserialized.inputs ?? rpc.deserializeProperties(req.getObject()), "", secretPaths) as Record<
                string,
                unknown
            >;
            this.mocks.record({
                secretPaths,
                type: req.getType(),
                name: req.getName(),
                urn: resp.getUrn(),
                parent: req.getParent(),
                custom: req.getCustom(),
                remote: req.getRemote(),
                inputs,
                provider: req.getProvider(),
                dependencies: req.getDependenciesList(),
                aliases: req
                    .getAliasesList()
                    .map((a) => a.getSpec())
                    .filter((s) => s !== undefined)
                    .map((s) => ({
                        name: s.getName(),
                        type: s.getType(),
                        parentUrn: s.getParenturn(),
                        noParent: s.getNoparent(),
                    })),
            });
        }
        callback(err, resp);
    });
    deserialized.inputs = this.mocks.latestInputs;
    return registered;
};

/** Replace each `{ <sig>: <secret sig>, value }` by its value, noting where it was; what holds no secret is kept as it is. */
function unwrapSecrets(value: unknown, at: string, paths: string[]): unknown {
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) {
        const items = value.map((v, i) => unwrapSecrets(v, `${at}[${i}]`, paths));
        return items.some((v, i) => v !== value[i]) ? items : value;
    }
    const record = value as Record<string, unknown>;
    if (record[rpc.specialSigKey] === rpc.specialSecretSig) {
        paths.push(at);
        return unwrapSecrets(record.value, at, []);
    }
    const entries = Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v, `${at}.${k}`, paths)] as const);
    return entries.some(([k, v]) => v !== record[k]) ? Object.fromEntries(entries) : record;
}

let running = false;
let processStoreUsed = false;

/** Run `program` (which creates resources and returns the stack outputs) under mocks. */
export async function runProgram(program: () => unknown, options: RunOptions = {}): Promise<ProgramRun> {
    if (running) throw new Error("runProgram: runs must not overlap (the process-wide unhandledRejection handler is swapped per run)");
    if (processStoreUsed) throw new Error("runProgram: a run in the process-wide store (processStore) must be the process's only run");
    running = true;
    processStoreUsed = options.processStore === true;
    const inStore = options.processStore ? <T>(run: () => Promise<T>) => run() : state.withLocalStorage;
    const registrations: Registration[] = [];
    const errors: Error[] = [];
    const configRead: string[] = [];
    const calls: string[] = [];
    const mocks: RecordingMocks = {
        newResource(args) {
            this.latestInputs = args.inputs as Record<string, unknown>;
            return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
        },
        call: (args) => {
            calls.push(args.token);
            return {};
        },
        record: (r) => void (r.type !== "pulumi:pulumi:Stack" && registrations.push(r)),
    };
    const saved = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const collect = (reason: unknown) => void errors.push(reason instanceof Error ? reason : new Error(String(reason)));
    process.on("unhandledRejection", collect);
    const getConfig = configModule.getConfig;
    configModule.getConfig = (key: string) => {
        configRead.push(key);
        return getConfig(key);
    };
    try {
        return await inStore(async () => {
            await pulumi.runtime.setMocks(mocks, options.project ?? "gloo-keepalive", options.stack ?? "test", options.preview ?? false);
            pulumi.runtime.setAllConfig(options.config ?? {});
            let outputs: Record<string, unknown> | undefined;
            try {
                outputs = (await pulumi.runtime.runInPulumiStack(async () => program())) as Record<string, unknown> | undefined;
            } catch (e) {
                collect(e);
            }
            await settings.waitForRPCs();
            await new Promise((resolve) => setTimeout(resolve, 10)); // let rejections surface as unhandledRejection events
            return { registrations, outputs, errors: dedupe(errors), configRead, calls };
        });
    } finally {
        configModule.getConfig = getConfig;
        process.removeListener("unhandledRejection", collect);
        for (const listener of saved) process.on("unhandledRejection", listener);
        running = false;
    }
}

/** The same error reaches the handler once per promise it passed through: keep each message once. */
function dedupe(errors: Error[]): Error[] {
    const seen = new Set<string>();
    return errors.filter((e) => !seen.has(e.message) && seen.add(e.message) !== undefined);
}

/** `require` a program module afresh (its top level runs again), returning its exports. */
export function loadProgram(file: string): () => unknown {
    return () => {
        const resolved = require.resolve(file);
        delete require.cache[resolved];
        return require(resolved);
    };
}
