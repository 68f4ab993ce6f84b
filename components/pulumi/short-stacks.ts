/**
 * Pulumi's SDK writes a stack trace onto every promise it makes (`debuggablePromise`: several per
 * property of every resource), read only to report promises left pending at exit when
 * PULUMI_DEBUG_PROMISE_LEAKS is set. Under ts-node each trace is source-mapped frame by frame:
 * at 100 proxies that was most of the program's CPU. While the components register their
 * children, traces are kept empty unless that variable is set. The resource's own source position
 * (which the SDK sends to the engine) is unaffected: the SDK lifts the limit for it itself.
 */

/** Run `register` (which registers child resources) with empty stack traces, unless promise leaks are being debugged. */
export function withShortStacks<T>(register: () => T): T {
    if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return register();
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return register();
    } finally {
        Error.stackTraceLimit = limit;
    }
}
