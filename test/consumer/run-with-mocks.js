/**
 * Runs ./index.js under Pulumi's mock engine in a fresh Node process without ts-node, as a consumer
 * of the built package would, and prints a JSON report on stdout: where "gloo-keepalive" resolved,
 * what importing it registered and read (must be nothing), every resource the program registered
 * (type, name, inputs), its stack outputs, its errors, and which package files were loaded.
 */
"use strict";
const path = require("path");
const pulumi = require("@pulumi/pulumi");
const configModule = require("@pulumi/pulumi/runtime/config");
const settings = require("@pulumi/pulumi/runtime/settings");

const registrations = [];
const errors = [];
const configRead = [];
const getConfig = configModule.getConfig;
configModule.getConfig = (key) => {
    configRead.push(key);
    return getConfig(key);
};
process.on("unhandledRejection", (e) => errors.push(String(e && e.message ? e.message : e)));

async function main() {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                if (args.type !== "pulumi:pulumi:Stack")
                    registrations.push({ type: args.type, name: args.name, custom: args.custom, inputs: args.inputs });
                return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
            },
            call: () => ({}),
        },
        "consumer",
        "test",
    );

    const resolved = require.resolve("gloo-keepalive");
    require("gloo-keepalive");
    await settings.waitForRPCs();
    const onImport = { registrations: registrations.length, configRead: [...configRead] };

    let outputs;
    try {
        outputs = await pulumi.runtime.runInPulumiStack(async () => require("./index.js"));
    } catch (e) {
        errors.push(String(e && e.message ? e.message : e));
    }
    await settings.waitForRPCs();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const root = path.resolve(__dirname, "..", "..");
    const loaded = Object.keys(require.cache)
        .filter((f) => f.startsWith(root + path.sep) && !f.includes(`${path.sep}node_modules${path.sep}`))
        .map((f) => path.relative(root, f))
        .sort();
    process.stdout.write(
        JSON.stringify({ resolved, onImport, registrations, outputs, errors, loaded, tsNode: require.extensions[".ts"] !== undefined }),
    );
}

main().catch((e) => {
    process.stderr.write(String(e && e.stack ? e.stack : e));
    process.exitCode = 1;
});
