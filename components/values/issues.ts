/** Problems with the input, each at a value path or a file; no dependencies, so every part can raise them. */

/** One problem with the input, at a value path such as `gatewayProxies.edge.tcpKeepaliveProbes`. */
export interface ValueIssue {
    path: string;
    message: string;
}

/** Invalid input: carries every issue found, each as `<value path>: <what is wrong>`. */
export class ValuesError extends Error {
    constructor(public readonly issues: readonly ValueIssue[]) {
        super(issues.map(formatIssue).join("\n"));
        this.name = "ValuesError";
    }
}

/** The most characters of a value a message quotes; the rest is counted, not printed. */
export const MAX_QUOTED = 200;

/** Cut every quoted value and every long unbroken run in a message to MAX_QUOTED characters. */
export function cutQuoted(text: string): string {
    return text.replace(/"(?:[^"\\]|\\.)*"|[^\s"]+/g, (m) => {
        const quoted = m.startsWith('"') && m.length > 1 ? 1 : 0;
        const inner = m.length - 2 * quoted;
        if (inner <= MAX_QUOTED) return m;
        return `${m.slice(0, quoted + MAX_QUOTED)}…${quoted ? '"' : ""} (${inner - MAX_QUOTED} more characters)`;
    });
}

export function formatIssue(issue: ValueIssue): string {
    return cutQuoted(`${issue.path}: ${issue.message}`);
}
