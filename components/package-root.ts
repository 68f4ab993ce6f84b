/** Where this package's own files are, from components/ (ts-node) or dist/components/ (built) alike. */
import { existsSync, readFileSync } from "fs";
import * as path from "path";

export const PACKAGE_NAME = "gloo-keepalive";

let memo: string | undefined;

/** The folder holding this package's package.json. */
export function packageRoot(): string {
    if (memo) return memo;
    let dir = __dirname;
    for (;;) {
        const file = path.join(dir, "package.json");
        if (existsSync(file)) {
            try {
                if ((JSON.parse(readFileSync(file, "utf8")) as { name?: unknown }).name === PACKAGE_NAME) return (memo = dir);
            } catch {
                // not ours or unreadable: keep walking up
            }
        }
        const parent = path.dirname(dir);
        if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package.json above ${__dirname}`);
        dir = parent;
    }
}
