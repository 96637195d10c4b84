package dev.nautilus.accel.risk;

/**
 * How a VaR is read from n sorted losses L(1) &lt;= ... &lt;= L(n) (Hyndman and Fan, "Sample
 * quantiles in statistical packages", The American Statistician 50(4), 1996, types 1, 5, 7).
 * Example: n = 10 losses 1..10 at level 0.9: EMPIRICAL gives L(9) = 9, HAZEN gives h = 9.5, i.e.
 * 9.5, LINEAR gives h = 1 + 9 * 0.9 = 9.1, i.e. 9.1.
 */
public enum QuantileConvention {
    /** Type 1, inverse of the empirical CDF: L(ceil(n level)); never interpolates (Basel practice). */
    EMPIRICAL,
    /** Type 5 (Hazen), piecewise linear with h = n level + 1/2. */
    HAZEN,
    /** Type 7, as R's default and Excel PERCENTILE.INC: h = (n - 1) level + 1. */
    LINEAR;

    /**
     * @param sorted losses in ascending order, at least one
     * @param from first index of the sample in {@code sorted}
     * @param n sample size
     * @param level probability in (0, 1)
     * @return the quantile under this convention
     */
    public double quantile(double[] sorted, int from, int n, double level) {
        return switch (this) {
            case EMPIRICAL -> {
                int k = (int) Math.ceil(n * level - 1e-9 * n * level);
                yield sorted[from + Math.min(n, Math.max(1, k)) - 1];
            }
            case HAZEN -> interpolate(sorted, from, n, n * level + 0.5);
            case LINEAR -> interpolate(sorted, from, n, (n - 1) * level + 1);
        };
    }

    private static double interpolate(double[] sorted, int from, int n, double h) {
        if (h <= 1) {
            return sorted[from];
        }
        if (h >= n) {
            return sorted[from + n - 1];
        }
        int lo = (int) Math.floor(h);
        double f = h - lo;
        return sorted[from + lo - 1] + f * (sorted[from + lo] - sorted[from + lo - 1]);
    }
}
