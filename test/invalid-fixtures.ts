/** The values of every invalid fixture that is valid YAML (the schema's cases; duplicate keys and bad YAML are refused before it). */
import { readdirSync, readFileSync } from "fs";
import * as yaml from "js-yaml";
import * as path from "path";

const INVALID = path.join(__dirname, "fixtures", "invalid");

export function invalidFixtureValues(): unknown[] {
    return readdirSync(INVALID)
        .filter((f) => f.endsWith(".yaml"))
        .flatMap((f) => {
            try {
                return [yaml.load(readFileSync(path.join(INVALID, f), "utf8"))];
            } catch {
                return []; // refused before the schema (duplicate keys, bad YAML): not the schema's case
            }
        });
}
