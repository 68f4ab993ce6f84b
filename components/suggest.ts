/** "Did you mean" suggestions for misspelt keys and names. */

/** Edit distance (Levenshtein, case-insensitive). */
export function editDistance(a: string, b: string): number {
    const s = a.toLowerCase();
    const t = b.toLowerCase();
    let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
    for (let i = 1; i <= s.length; i++) {
        const current = [i];
        for (let j = 1; j <= t.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[t.length];
}

/** The closest candidate, if it is close enough to be what was meant. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const d = editDistance(word, candidate);
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    const normalise = (s: string) => s.toLowerCase().replace(/[_-]/g, "");
    if (best !== undefined && (bestDistance <= Math.max(2, Math.floor(word.length / 3)) || normalise(best) === normalise(word))) return best;
    return undefined;
}

/** ` (did you mean "x"?)` or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
    const hit = closest(word, candidates);
    return hit === undefined ? "" : ` (did you mean "${hit}"?)`;
}
