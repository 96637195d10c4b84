package dev.nautilus.accel.compare;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table: first column left-aligned, the others right-aligned. Not thread-safe. */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... headers) {
        rows.add(headers.clone());
    }

    TextTable add(String... cells) {
        if (cells.length != rows.get(0).length) {
            throw new IllegalArgumentException(cells.length + " cells for " + rows.get(0).length + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    void print(PrintStream out) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                if (c > 0) {
                    b.append("  ");
                }
                String pad = " ".repeat(w[c] - r[c].length());
                b.append(c == 0 ? r[c] + pad : pad + r[c]);
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
