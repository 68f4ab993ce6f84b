/**
 * One render per program: the stack program renders its values once and hands each component its
 * part; `GatewayProxies` renders its map once for all its proxies. Counted by wrapping the
 * library's `renderValues` (the components call it through its module, as compiled CommonJS does).
 */
import { expect } from "chai";
import * as path from "path";
import { GatewayProxies } from "../components/pulumi/gateway-proxies";
import { GatewayProxy } from "../components/pulumi/gateway-proxy";
import * as render from "../components/render/render";
import { loadProgram, REPO_ROOT, runProgram, stackConfig } from "./pulumi-harness";

/** Run `fn` counting the calls of renderValues. */
async function countRenders(fn: () => Promise<{ errors: Error[] }>): Promise<number> {
    const module = render as { renderValues: typeof render.renderValues };
    const original = module.renderValues;
    let calls = 0;
    module.renderValues = (...args) => {
        calls++;
        return original(...args);
    };
    try {
        const run = await fn();
        expect(run.errors.map((e) => e.message)).to.deep.equal([]);
        return calls;
    } finally {
        module.renderValues = original;
    }
}

describe("one render per program", () => {
    for (const env of ["dev", "prod"]) {
        it(`the stack program, stack ${env}: one render for the proxies and the upstreams`, async () => {
            const program = loadProgram(path.join(REPO_ROOT, "index.ts"));
            expect(await countRenders(() => runProgram(program, { stack: env, config: stackConfig(env) }))).to.equal(1);
        });
    }

    it("GatewayProxies with four proxies (the default entry and three more): one render", async () => {
        const renders = await countRenders(() =>
            runProgram(
                () =>
                    void new GatewayProxies("all", {
                        gatewayProxies: { a: { disabled: false }, b: { disabled: false }, c: { disabled: false } },
                    }),
            ),
        );
        expect(renders).to.equal(1);
    });

    it("a GatewayProxy of its own: one render", async () => {
        expect(await countRenders(() => runProgram(() => void new GatewayProxy("edge", { name: "edge" })))).to.equal(1);
    });
});
