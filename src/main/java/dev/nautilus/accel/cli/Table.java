package dev.nautilus.accel.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with a header row and columns padded to their widest cell; right-aligned
 * columns suit numbers. Not thread-safe.
 */
final class Table {
    private final String[] headers;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param headers column titles
     */
    Table(String... headers) {
        this.headers = headers.clone();
        this.rightAligned = new boolean[headers.length];
    }

    /**
     * @param column index of a column whose cells are aligned to the right
     * @return this table
     */
    Table alignRight(int column) {
        rightAligned[column] = true;
        return this;
    }

    /**
     * @param cells one cell per column
     * @return this table
     */
    Table add(String... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.length + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    /**
     * Prints the header and the rows, two spaces between columns, no trailing spaces.
     *
     * @param out where to print
     */
    void print(PrintWriter out) {
        int[] width = new int[headers.length];
        for (int c = 0; c < headers.length; c++) {
            width[c] = headers[c].length();
            for (String[] row : rows) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        printRow(out, headers, width);
        for (String[] row : rows) {
            printRow(out, row, width);
        }
    }

    private void printRow(PrintWriter out, String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                sb.append("  ");
            }
            String pad = " ".repeat(width[c] - cells[c].length());
            if (rightAligned[c]) {
                sb.append(pad).append(cells[c]);
            } else {
                sb.append(cells[c]);
                if (c < cells.length - 1) {
                    sb.append(pad);
                }
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}
