/** "Did you mean" suggestions for misspelt keys, names, enum values and type names. */

/** Edit distance (Levenshtein). */
export function editDistance(a: string, b: string): number {
    if (a === b) return 0;
    const prev = new Array<number>(b.length + 1);
    for (let j = 0; j <= b.length; j++) prev[j] = j;
    for (let i = 1; i <= a.length; i++) {
        let diag = prev[0];
        prev[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const tmp = prev[j];
            prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
            diag = tmp;
        }
    }
    return prev[b.length];
}

/**
 * The closest candidate, if it is close enough to be what was meant: case, `_` and `-` count
 * for little, and at most a third of the word (never more than `maxDistance` edits) may differ.
 */
export function closest(word: string, candidates: Iterable<string>, maxDistance = 3): string | undefined {
    const lw = word.toLowerCase();
    const nw = lw.replace(/[_-]/g, "");
    const limit = Math.max(1, Math.min(maxDistance, Math.floor(word.length / 3)));
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const lc = candidate.toLowerCase();
        const nc = lc.replace(/[_-]/g, "");
        const d = nw === nc ? 0.5 : Math.min(editDistance(lw, lc), editDistance(nw, nc));
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean "x"?)` or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
    const hit = closest(word, candidates);
    return hit === undefined ? "" : ` (did you mean "${hit}"?)`;
}
