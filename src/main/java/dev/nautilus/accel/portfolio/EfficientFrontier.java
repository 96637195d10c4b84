package dev.nautilus.accel.portfolio;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A published efficient frontier (OR-Library {@code portef*.txt}): points of
 * (mean return, variance), one per line.
 *
 * @param returns the mean return of each point
 * @param variances the variance of each point
 */
public record EfficientFrontier(double[] returns, double[] variances) {
    /**
     * @param file an OR-Library frontier file
     * @return its points
     * @throws DataFormatException for a missing, empty or malformed file (odd number count, negative variance)
     */
    public static EfficientFrontier load(Path file) {
        double[] r = new double[256];
        double[] v = new double[256];
        int m = 0;
        try (NumberReader in = NumberReader.open(file)) {
            while (in.hasNext()) {
                if (m == r.length) {
                    r = Arrays.copyOf(r, m * 2);
                    v = Arrays.copyOf(v, m * 2);
                }
                r[m] = in.nextDouble("the mean return of frontier point " + (m + 1));
                v[m] = in.nextDouble("the variance of frontier point " + (m + 1));
                if (v[m] < 0) {
                    throw in.fail("variance " + v[m] + " is negative");
                }
                m++;
            }
        }
        if (m == 0) {
            throw new DataFormatException(file + " is empty; expected lines 'mean return, variance'");
        }
        return new EfficientFrontier(Arrays.copyOf(r, m), Arrays.copyOf(v, m));
    }

    /** @return the number of points */
    public int size() {
        return returns.length;
    }
}
