/**
 * The values reader accepts what a real values file holds and helm reads the same way: BOMs,
 * UTF-16 with a BOM, aliases and merge keys within bounds, quoted or tagged YAML 1.1 lookalikes,
 * dates as strings; and the chart renders those files as the library reads them.
 */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { formatIssue } from "../components/values/issues";
import { helmPlainScalar } from "../components/values/yaml-reader";
import { parseYamlFile } from "../components/values/read";
import { helmBinaries } from "../scripts/helm";
import { helmTemplateAll } from "./chart-errors";
import { CHART } from "./chart-harness";

const dir = mkdtempSync(path.join(tmpdir(), "gk-reader-"));
const TEXT = [
    "gatewayProxies:",
    "  edge: &base",
    "    tcpKeepaliveTimeSeconds: 90",
    "    tcpKeepaliveProbes: 5",
    '    podTemplate: {image: {tag: "010"}}',
    "  internal:",
    "    <<: *base",
    "    podTemplate: {image: {tag: !!str 6_0}}",
    "  dated:",
    "    podTemplate: {image: {tag: 2026-01-01}}",
    "",
].join("\n");
const EXPECTED_PROXIES = {
    edge: { tcpKeepaliveTimeSeconds: 90, tcpKeepaliveProbes: 5, podTemplate: { image: { tag: "010" } } },
    internal: { tcpKeepaliveTimeSeconds: 90, tcpKeepaliveProbes: 5, podTemplate: { image: { tag: "6_0" } } },
    dated: { podTemplate: { image: { tag: "2026-01-01" } } },
};

function file(name: string, bytes: Buffer): string {
    const f = path.join(dir, name);
    writeFileSync(f, bytes);
    return f;
}

const utf16be = (text: string) => Buffer.from(Buffer.from(text, "utf16le").map((_, i, b) => b[i ^ 1]));
const ENCODINGS: [string, Buffer][] = [
    ["utf-8", Buffer.from(TEXT)],
    ["utf-8 with a BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])],
    ["utf-16le with a BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, "utf16le")])],
    ["utf-16be with a BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TEXT)])],
];

describe("values reader", () => {
    for (const [encoding, bytes] of ENCODINGS)
        it(`reads ${encoding}, with merge keys, quoted and tagged YAML 1.1 lookalikes and dates as strings`, () => {
            const values = parseYamlFile(file(`${encoding.replace(/\W/g, "-")}.yaml`, bytes)) as { gatewayProxies: unknown };
            expect(values.gatewayProxies).to.deep.equal(EXPECTED_PROXIES);
        });

    it("reads plain scalars as helm's YAML 1.1 does", () => {
        const cases: [string, unknown][] = [
            ["010", 8],
            ["0o10", 8],
            ["6_0", 60],
            ["0b11", 3],
            ["0x1F", 31],
            ["1_000.5", 1000.5],
            ["yes", true],
            ["Off", false],
            ["~", null],
            ["09", 9],
            ["1:30", "1:30"],
            ["2026-01-01", "2026-01-01"],
            ["gloo", "gloo"],
        ];
        for (const [text, value] of cases) expect(helmPlainScalar(text), text).to.deep.equal(value);
    });

    it("cuts a quoted value of megabytes to 200 characters, and counts the rest", () => {
        const line = formatIssue({
            path: "gatewayProxies.edge.podTemplate.image.tag",
            message: `${JSON.stringify("x".repeat(20_000_000))} is too long`,
        });
        expect(line).to.equal(`gatewayProxies.edge.podTemplate.image.tag: "${"x".repeat(200)}…" (19999800 more characters) is too long`);
    });

    for (const bin of helmBinaries())
        it(`is read the same by helm ${bin.version}: every encoding renders (UTF-16LE not on Helm 4)`, async () => {
            const files = ENCODINGS.map(([encoding, bytes]) => file(`helm-${encoding.replace(/\W/g, "-")}.yaml`, bytes));
            const runs = await helmTemplateAll(bin, CHART, files);
            for (const [i, run] of runs.entries()) {
                // Helm 4.1 refuses UTF-16LE ("incomplete UTF-16 character") where Helm 3 reads it; both read UTF-16BE.
                const refused = bin.major === 4 && ENCODINGS[i][0] === "utf-16le with a BOM";
                expect(run.status, `${ENCODINGS[i][0]}: ${run.stderr}`).to.equal(refused ? 1 : 0);
            }
        });
});
