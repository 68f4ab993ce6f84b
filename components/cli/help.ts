/**
 * `gloo-keepalive --help` and `--version`: plain text and the package's version, loading nothing
 * else (the bin answers them without loading a command).
 */
import { readFileSync } from "fs";
import * as path from "path";
import { packageRoot } from "../package-root";

export const HELP = `gloo-keepalive: typed, checked TCP keepalive for Gloo gateway proxies (Envoy).

Usage:
  gloo-keepalive render  [input options] [--out <dir>]
  gloo-keepalive explain [input options] [--out <dir>]
  gloo-keepalive check   [input options] [--policy-config <file.json>]
  gloo-keepalive --help | -h
  gloo-keepalive --version | -v

Commands:
  render   Check the values and write them, every proxy's Envoy bootstrap and the Kubernetes
           manifests (what \`helm template\` of charts/gateway-proxy renders) to --out.
  explain  Print every proxy's keepalive, hop by hop (time, interval, probes, worst-case
           detection), and write an SVG timeline per proxy to <out>/explain/.
  check    Render, then run the policy pack's rules over the rendered objects, as
           \`pulumi preview --policy-pack\` would. Exit 1 on any mandatory violation.

Input options (every command):
  --stack <env>        Read the values, namespace and release name from Pulumi.<env>.yaml in the
                       current directory (config gloo-keepalive:values, :namespace, :releaseName).
                       Default: --stack dev when no --values is given.
  --values <file>      A values file (YAML or JSON, the chart's shape). Repeat it: later files win,
                       as with helm -f. Layered over the stack's values when --stack is given too.
  --release <name>     Release name (the app.kubernetes.io/instance label). Default gateway-proxy.
  --namespace <ns>     Namespace of every object. Default gloo-system.

Command options:
  --out <dir>          render, explain: where to write. Default out/<stack> (out/render with only --values).
  --policy-config <f>  check: the file \`pulumi preview --policy-pack-config\` takes, e.g.
                       {"all": "mandatory", "keepalive-detection-time": {"maxSeconds": 300}}.

Environment:
  GLOO_KEEPALIVE_COMPILE_CACHE  Where the command keeps the V8 code cache of its modules (a later
                       run skips compiling them again), or "off". Default
                       $XDG_CACHE_HOME/gloo-keepalive, else ~/.cache/gloo-keepalive.

Exit status: 0 success; 1 invalid values (each printed as <value path>: <what is wrong>, nothing
written) or a mandatory policy violation; 2 a usage error.
`;

/** The version in this package's package.json. */
export function version(): string {
    return (JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** Answer `--help`/`-h` and `--version`/`-v` (first argument, or `--help` anywhere); undefined for anything else. */
export function helpOrVersion(argv: readonly string[]): number | undefined {
    if (argv[0] === "--version" || argv[0] === "-v") {
        console.log(version());
        return 0;
    }
    if (argv.includes("--help") || argv.includes("-h") || argv[0] === "help") {
        console.log(HELP);
        return 0;
    }
    return undefined;
}
