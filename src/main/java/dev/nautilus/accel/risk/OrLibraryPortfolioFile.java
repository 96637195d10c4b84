package dev.nautilus.accel.risk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads an OR-Library mean-variance portfolio file (J. E. Beasley, port1..port5): first line the
 * number of assets N; then N lines "mean return, standard deviation"; then lines "i j
 * correlation" (1-based) for every pair i &lt;= j. Returns are weekly.
 *
 * <p>Stateless and thread-safe.
 */
public final class OrLibraryPortfolioFile {
    private OrLibraryPortfolioFile() {}

    /**
     * @param file the file
     * @return the model, with the covariance built from deviations and correlations
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException if the content is malformed (the message names file and
     *     line), NaN, or the correlations are not positive semi-definite
     */
    public static MarketModel read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read portfolio file " + file + ": " + e.getMessage()
                    + " (give an OR-Library port file, e.g. ../shared/data/orlib/port1.txt)", e);
        }
        return parse(file.toString(), lines);
    }

    /**
     * @param name the file name, for messages
     * @param lines the file's lines
     * @return the model
     * @throws IllegalArgumentException if the content is malformed
     */
    public static MarketModel parse(String name, List<String> lines) {
        int li = 0;
        while (li < lines.size() && lines.get(li).isBlank()) {
            li++;
        }
        if (li >= lines.size()) {
            throw new IllegalArgumentException(name + ": empty file; expected the number of assets on the first line");
        }
        int n;
        try {
            n = Integer.parseInt(lines.get(li).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ":" + (li + 1) + ": expected the number of assets, got '" + lines.get(li).strip() + "'");
        }
        if (n < 1 || n > 100_000) {
            throw new IllegalArgumentException(name + ":" + (li + 1) + ": number of assets " + n + " is out of range 1..100000");
        }
        li++;
        double[] mean = new double[n];
        double[] sd = new double[n];
        for (int i = 0; i < n; i++, li++) {
            double[] v = numbers(name, lines, li, 2);
            mean[i] = v[0];
            sd[i] = v[1];
        }
        double[][] corr = new double[n][n];
        boolean[][] seen = new boolean[n][n];
        for (; li < lines.size(); li++) {
            if (lines.get(li).isBlank()) {
                continue;
            }
            double[] v = numbers(name, lines, li, 3);
            int i = (int) v[0];
            int j = (int) v[1];
            if (i != v[0] || j != v[1] || i < 1 || j < 1 || i > n || j > n) {
                throw new IllegalArgumentException(name + ":" + (li + 1) + ": asset indices " + lines.get(li).strip()
                        + " must be integers in 1.." + n);
            }
            corr[i - 1][j - 1] = v[2];
            corr[j - 1][i - 1] = v[2];
            seen[i - 1][j - 1] = true;
            seen[j - 1][i - 1] = true;
        }
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                if (!seen[i][j]) {
                    throw new IllegalArgumentException(name + ": correlation of assets " + (i + 1) + " and " + (j + 1)
                            + " is missing; the file must list every pair i <= j");
                }
            }
        }
        return MarketModel.fromCorrelation(name, mean, sd, corr);
    }

    private static double[] numbers(String name, List<String> lines, int li, int count) {
        if (li >= lines.size()) {
            throw new IllegalArgumentException(name + ": file ends at line " + li + "; expected " + count + " numbers on line " + (li + 1));
        }
        String line = lines.get(li).strip();
        String[] parts = line.split("[\\s,]+");
        if (parts.length != count) {
            throw new IllegalArgumentException(name + ":" + (li + 1) + ": expected " + count + " numbers, got '" + line + "'");
        }
        double[] v = new double[count];
        for (int k = 0; k < count; k++) {
            try {
                v[k] = Double.parseDouble(parts[k]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ":" + (li + 1) + ": '" + parts[k] + "' is not a number");
            }
            if (!Double.isFinite(v[k])) {
                throw new IllegalArgumentException(name + ":" + (li + 1) + ": value '" + parts[k] + "' is not a finite number (NaN in data?)");
            }
        }
        return v;
    }
}
