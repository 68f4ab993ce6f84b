/**
 * The floor a whole `render` process is measured against: a Node process that only parses the same
 * values YAML, takes the same rendered objects (bootstraps and manifests, prepared once as JSON by
 * the bench, so no rendering or checking happens here) and writes them with the same YAML library
 * into the same files `render` writes. Nothing a real render could skip.
 *   node floor.js <values.yaml> <rendered.json> <out dir>
 */
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

interface Rendered {
    values: unknown;
    proxies: { name: string; bootstrap: unknown }[];
    objects: unknown[];
}

const [valuesFile, renderedFile, out] = process.argv.slice(2);
const dump = (value: unknown) => yaml.dump(value, { noRefs: true, lineWidth: -1, sortKeys: false });
yaml.load(readFileSync(valuesFile, "utf8"));
const rendered = JSON.parse(readFileSync(renderedFile, "utf8")) as Rendered;
mkdirSync(path.join(out, "envoy"), { recursive: true });
writeFileSync(path.join(out, "values.yaml"), dump(rendered.values));
for (const proxy of rendered.proxies) writeFileSync(path.join(out, "envoy", `${proxy.name}.yaml`), dump(proxy.bootstrap));
writeFileSync(path.join(out, "manifests.yaml"), rendered.objects.map((o) => `---\n${dump(o)}`).join(""));
