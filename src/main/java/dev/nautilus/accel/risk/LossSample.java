package dev.nautilus.accel.risk;

/**
 * VaR and ES of an equally weighted sample of losses, with standard errors: the shared end step
 * of the historical, Monte Carlo and quasi-Monte Carlo engines.
 *
 * <p>VaR follows a {@link QuantileConvention}. ES is the expected shortfall of the empirical
 * distribution (Acerbi and Tasche): with m = n (1 - level), the mean of the worst floor(m)
 * losses plus the fraction m - floor(m) of the next one, i.e. the exact tail mean of the sample,
 * independent of the quantile convention. Standard errors are asymptotic: for VaR from the
 * binomial spread of the order statistic, (L(k+) - L(k-)) / (2 * 1.96) with
 * k+- = n level +- 1.96 sqrt(n level (1 - level)); for ES sqrt(Var((L - VaR)+) / n) / (1 - level).
 * Stateless and thread-safe; no allocation.
 */
public final class LossSample {
    private static final double Z95 = 1.959963984540054;

    private LossSample() {}

    /**
     * @param n sample size
     * @param level confidence level
     * @param minTail the fewest losses that must lie beyond the level
     * @param what what the sample is, for the message (e.g. "scenarios")
     * @throws IllegalArgumentException if n (1 - level) &lt; minTail
     */
    public static void checkTail(long n, double level, int minTail, String what) {
        double tail = n * (1 - level);
        if (tail < minTail - 1e-9) {
            long need = (long) Math.ceil(minTail / (1 - level));
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "too few %s for the %s level: %d %s leave %.2f beyond it, at least %d are needed; use at least %d %s",
                    what, Double.toString(level), n, what, tail, minTail, need, what));
        }
    }

    /**
     * @param sorted losses in ascending order
     * @param from first index of the sample
     * @param n sample size
     * @param level confidence level in (0, 1)
     * @param convention how to read the VaR
     * @return VaR, its standard error, ES and its standard error
     */
    public static RiskEstimate estimate(double[] sorted, int from, int n, double level, QuantileConvention convention) {
        double var = convention.quantile(sorted, from, n, level);
        double es = expectedShortfall(sorted, from, n, level);
        double spread = Z95 * Math.sqrt(n * level * (1 - level));
        int kLo = (int) Math.max(1, Math.floor(n * level - spread));
        int kHi = (int) Math.min(n, Math.ceil(n * level + spread));
        double varSe = (sorted[from + kHi - 1] - sorted[from + kLo - 1]) / (2 * Z95);
        double s1 = 0;
        double s2 = 0;
        for (int i = n - 1; i >= 0; i--) {
            double e = sorted[from + i] - var;
            if (e <= 0) {
                break;
            }
            s1 += e;
            s2 += e * e;
        }
        double mean = s1 / n;
        double variance = Math.max(0, s2 / n - mean * mean);
        double esSe = Math.sqrt(variance / n) / (1 - level);
        return new RiskEstimate(level, var, varSe, es, esSe);
    }

    /**
     * @param sorted losses in ascending order
     * @param from first index
     * @param n sample size
     * @param level confidence level
     * @return the tail mean of the empirical distribution beyond the level
     */
    public static double expectedShortfall(double[] sorted, int from, int n, double level) {
        double m = n * (1 - level);
        int whole = (int) Math.floor(m + 1e-9);
        double s = 0;
        for (int i = 0; i < whole; i++) {
            s += sorted[from + n - 1 - i];
        }
        double frac = m - whole;
        if (frac > 1e-9 && whole < n) {
            s += frac * sorted[from + n - 1 - whole];
        }
        if (m < 1e-9) {
            return sorted[from + n - 1];
        }
        return s / m;
    }

    /**
     * @param v at least two values (e.g. one estimate per independent batch or randomisation)
     * @return their sample standard deviation (divisor {@code n - 1})
     */
    static double sampleStandardDeviation(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
