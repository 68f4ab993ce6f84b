/**
 * A command holding the --out lock: `node lock-child.js <dir> <log> <hold ms> [kill]` takes the
 * lock of `dir`, appends `in <pid>` to `log`, holds it `hold ms`, appends `out <pid>` and releases
 * it; with `kill` it SIGKILLs itself while holding it.
 */
import { appendFileSync } from "fs";
import { lockOutFolder } from "../../components/cli/out-lock";

const [dir, log, hold, kill] = process.argv.slice(2);
const release = lockOutFolder(dir, dir);
appendFileSync(log, `in ${process.pid}\n`);
if (kill === "kill") process.kill(process.pid, "SIGKILL");
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(hold));
appendFileSync(log, `out ${process.pid}\n`);
release();
