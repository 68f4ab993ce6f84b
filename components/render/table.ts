/** Plain-text tables, as the CLI prints them. */

/** How a column's cells line up: padded on the right (`left`, the default) or on the left (`right`). */
export type ColumnAlign = "left" | "right";

/** The rows as lines: each column as wide as its widest cell, two spaces apart, no trailing spaces. */
export function tableLines(rows: readonly (readonly string[])[], align: readonly ColumnAlign[] = []): string[] {
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    return rows.map((r) =>
        r
            .map((cell, c) => (align[c] === "right" ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
            .join("  ")
            .trimEnd(),
    );
}
