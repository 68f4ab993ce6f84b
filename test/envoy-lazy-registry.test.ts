import { expect } from "chai";
import { readFileSync } from "fs";
import * as path from "path";
import { createFileRegistry, fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { LazyFileRegistry } from "../components/checks/envoy/lazy-registry";

const SET = readFileSync(path.join(__dirname, "..", "components", "generated", "envoy-api.binpb"));

/** A message as the walker reads it: every field's names, number, kind, type and oneof. */
function shape(m: DescMessage): string {
    return JSON.stringify(
        m.fields.map((f) => [
            f.name,
            f.jsonName,
            f.number,
            f.fieldKind,
            f.fieldKind === "message" || (f.fieldKind === "list" && f.listKind === "message") ? f.message?.typeName : "",
            f.oneof?.name ?? "",
        ]),
    );
}

describe("the Envoy descriptor set, built file by file on first use", () => {
    const whole = createFileRegistry(fromBinary(FileDescriptorSetSchema, SET));

    it("builds only the files a bootstrap needs when a bootstrap is looked up", () => {
        const lazy = new LazyFileRegistry(SET);
        const bootstrap = lazy.getMessage("envoy.config.bootstrap.v3.Bootstrap");
        expect(bootstrap && shape(bootstrap)).to.equal(shape(whole.getMessage("envoy.config.bootstrap.v3.Bootstrap") as DescMessage));
        const built = (lazy as unknown as { registries: Map<string, unknown> }).registries.size;
        expect(built)
            .to.be.above(10)
            .and.below([...whole.files].length / 2);
    });

    it("gives every type the whole set has, nested ones and extensions included, with the same fields", () => {
        const lazy = new LazyFileRegistry(SET);
        for (const t of whole) {
            const found = lazy.get(t.typeName);
            expect(found?.kind, t.typeName).to.equal(t.kind);
            if (t.kind === "message") expect(shape(found as DescMessage), t.typeName).to.equal(shape(t));
        }
        expect(lazy.getMessage("envoy.config.bootstrap.v3.NoSuchMessage")).to.equal(undefined);
        expect(lazy.getMessage("no.such.package.Type")).to.equal(undefined);
        expect(lazy.getExtension("validate.rules")?.typeName).to.equal("validate.rules");
    });

    it("lists every type in the order a registry of the whole set lists them", () => {
        const lazy = new LazyFileRegistry(SET);
        lazy.getMessage("envoy.extensions.upstreams.http.v3.HttpProtocolOptions"); // some files first, out of the set's order
        expect([...lazy].map((t) => t.typeName)).to.deep.equal([...whole].map((t) => t.typeName));
    });

    it("hands out one descriptor per type however it is reached", () => {
        const lazy = new LazyFileRegistry(SET);
        const cluster = lazy.getMessage("envoy.config.cluster.v3.Cluster");
        const viaBootstrap = lazy
            .getMessage("envoy.config.bootstrap.v3.Bootstrap.StaticResources")
            ?.fields.find((f) => f.name === "clusters")?.message;
        expect(cluster).to.not.equal(undefined);
        expect(viaBootstrap).to.equal(cluster);
        expect([...lazy].find((t) => t.typeName === "envoy.config.cluster.v3.Cluster")).to.equal(cluster);
    });
});
