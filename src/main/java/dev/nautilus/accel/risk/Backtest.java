package dev.nautilus.accel.risk;

/**
 * VaR backtesting: exception counts, Kupiec's proportion-of-failures test and the Basel traffic
 * light. Stateless and thread-safe.
 */
public final class Backtest {
    private Backtest() {}

    /** Basel zones (Basel Committee, "Supervisory framework for the use of backtesting", 1996). */
    public enum Zone {
        /** Cumulative binomial probability of the exception count below 95 %. */
        GREEN,
        /** From 95 % up to 99.99 %. */
        YELLOW,
        /** 99.99 % or more: the model is presumed wrong. */
        RED
    }

    /**
     * Kupiec's proportion-of-failures likelihood-ratio test.
     *
     * @param observations days tested
     * @param exceptions days whose loss exceeded the VaR
     * @param expectedRate the rate the VaR promises, 1 - level
     * @param likelihoodRatio LR = -2 ln[(1-p)^(n-x) p^x / ((1-x/n)^(n-x) (x/n)^x)], chi-square(1) under H0
     * @param pValue P(chi-square(1) &gt;= LR)
     */
    public record Kupiec(int observations, int exceptions, double expectedRate, double likelihoodRatio, double pValue) {
        /**
         * @param significance e.g. 0.05
         * @return true if the VaR model is rejected at that significance
         */
        public boolean rejects(double significance) {
            return pValue < significance;
        }
    }

    /**
     * @param var the VaR forecast for each day (a loss, positive)
     * @param pnl the P&amp;L realised on each day
     * @return the number of days with loss -pnl &gt; var
     * @throws IllegalArgumentException on a length mismatch or a non-finite value
     */
    public static int exceptions(double[] var, double[] pnl) {
        if (var.length != pnl.length) {
            throw new IllegalArgumentException("dimension mismatch: " + var.length + " VaR forecasts but " + pnl.length
                    + " P&L observations; give one forecast per day");
        }
        int x = 0;
        for (int i = 0; i < var.length; i++) {
            if (!Double.isFinite(var[i]) || !Double.isFinite(pnl[i])) {
                throw new IllegalArgumentException("day " + (i + 1) + " has VaR " + var[i] + " and P&L " + pnl[i]
                        + "; both must be finite (NaN in data?)");
            }
            if (-pnl[i] > var[i]) {
                x++;
            }
        }
        return x;
    }

    /**
     * @param observations n &gt;= 1
     * @param exceptions x in 0..n
     * @param level the VaR confidence level in (0, 1)
     * @return the test
     * @throws IllegalArgumentException for counts or a level out of range
     */
    public static Kupiec kupiec(int observations, int exceptions, double level) {
        checkCounts(observations, exceptions, level);
        double p = 1 - level;
        int n = observations;
        int x = exceptions;
        double phat = (double) x / n;
        double logH0 = (n - x) * Math.log1p(-p) + x * Math.log(p);
        double logH1 = (x == n ? 0 : (n - x) * Math.log1p(-phat)) + (x == 0 ? 0 : x * Math.log(phat));
        double lr = Math.max(0, -2 * (logH0 - logH1));
        double pValue = 2 * NormalDistribution.complementaryCdf(Math.sqrt(lr));
        return new Kupiec(n, x, p, lr, Math.min(1, pValue));
    }

    /**
     * @param observations n
     * @param exceptions x
     * @param level VaR level, 0.99 for the Basel framework
     * @return P(X &lt;= x) for X ~ Binomial(n, 1 - level)
     */
    public static double cumulativeProbability(int observations, int exceptions, double level) {
        checkCounts(observations, exceptions, level);
        double p = 1 - level;
        double logTerm = observations * Math.log1p(-p);
        double sum = 0;
        for (int k = 0; k <= exceptions; k++) {
            if (k > 0) {
                logTerm += Math.log((double) (observations - k + 1) / k) + Math.log(p) - Math.log1p(-p);
            }
            sum += Math.exp(logTerm);
        }
        return Math.min(1, sum);
    }

    /**
     * The Basel traffic light; with 250 days at 99 % it gives green for 0-4 exceptions, yellow
     * for 5-9 and red for 10 or more.
     *
     * @param observations n
     * @param exceptions x
     * @param level VaR level
     * @return the zone by the cumulative binomial probability of x
     */
    public static Zone trafficLight(int observations, int exceptions, double level) {
        double cum = cumulativeProbability(observations, exceptions, level);
        // rounded to 4 decimals as the Basel table is (P(X <= 10) = 0.99994... counts as 99.99 %)
        double rounded = Math.round(cum * 10_000) / 10_000.0;
        if (rounded >= 0.9999) {
            return Zone.RED;
        }
        return rounded >= 0.95 ? Zone.YELLOW : Zone.GREEN;
    }

    private static void checkCounts(int observations, int exceptions, double level) {
        if (observations < 1) {
            throw new IllegalArgumentException("observations " + observations + " must be >= 1");
        }
        if (exceptions < 0 || exceptions > observations) {
            throw new IllegalArgumentException("exceptions " + exceptions + " must be in 0.." + observations);
        }
        RiskEngine.checkLevels(level);
    }
}
