/** Problems with the input, each at a value path or a file, and how they read: `<path>: <message>`. No imports, so every part can raise them. */

/** One problem with the input, at a value path such as `gatewayProxies.edge.tcpKeepaliveProbes`. */
export interface ValueIssue {
    path: string;
    message: string;
}

/** An issue as one line: `<value path>: <what is wrong>`, quoted values cut to MAX_QUOTED characters. */
export function formatIssue(issue: ValueIssue): string {
    return cutQuoted(`${issue.path}: ${issue.message}`);
}

/** The most characters of a value a message quotes; the rest is counted, not printed. */
export const MAX_QUOTED = 200;

function cutToken(token: string, quoted: 0 | 1): string {
    const inner = token.length - 2 * quoted;
    if (inner <= MAX_QUOTED) return token;
    return `${token.slice(0, quoted + MAX_QUOTED)}…${quoted ? '"' : ""} (${inner - MAX_QUOTED} more characters)`;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** Cut every quoted value and every long unbroken run in a message to MAX_QUOTED characters (a scan: values may be megabytes). */
export function cutQuoted(text: string): string {
    let out = "";
    let i = 0;
    while (i < text.length) {
        const start = i;
        if (text[i] === '"') {
            for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
            i = Math.min(i + 1, text.length);
            out += cutToken(text.slice(start, i), i - start > 1 && text[i - 1] === '"' ? 1 : 0);
        } else if (isSpace(text.charCodeAt(i))) {
            out += text[i++];
        } else {
            while (i < text.length && text[i] !== '"' && !isSpace(text.charCodeAt(i))) i++;
            out += cutToken(text.slice(start, i), 0);
        }
    }
    return out;
}

/** Invalid input: carries every issue found, each as `<value path>: <what is wrong>`. */
export class ValuesError extends Error {
    constructor(public readonly issues: readonly ValueIssue[]) {
        super(issues.map(formatIssue).join("\n"));
        this.name = "ValuesError";
    }
}
