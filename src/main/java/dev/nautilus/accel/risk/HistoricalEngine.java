package dev.nautilus.accel.risk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Historical simulation: VaR and ES straight from a series of past portfolio P&amp;L (or returns),
 * with the quantile convention selectable ({@link QuantileConvention}) and ES as the tail mean of
 * the empirical distribution ({@link LossSample}). {@link #filtered} first rescales the series by
 * an EWMA volatility (Hull and White 1998 "filtered historical simulation"): each observation is
 * divided by the volatility of its day and multiplied by today's forecast.
 *
 * <p>Immutable and thread-safe; the series is copied.
 */
public final class HistoricalEngine implements RiskEngine {
    /** The RiskMetrics EWMA decay for daily data. */
    public static final double RISKMETRICS_LAMBDA = 0.94;

    private final double[] sortedLosses;
    private final QuantileConvention convention;
    private final String method;

    private HistoricalEngine(double[] pnl, QuantileConvention convention, String method) {
        if (pnl.length == 0) {
            throw new IllegalArgumentException("the P&L series is empty; give at least one observation");
        }
        double[] losses = new double[pnl.length];
        for (int i = 0; i < pnl.length; i++) {
            if (!Double.isFinite(pnl[i])) {
                throw new IllegalArgumentException("P&L observation " + (i + 1) + " is " + pnl[i]
                        + "; remove or repair non-finite values (NaN in data?)");
            }
            losses[i] = -pnl[i];
        }
        Arrays.sort(losses);
        this.sortedLosses = losses;
        this.convention = convention;
        this.method = method;
    }

    /**
     * @param pnl past P&amp;L (positive = profit), one per period
     * @param convention how VaR is read from the sorted losses
     * @return the engine
     * @throws IllegalArgumentException for an empty series or a non-finite value
     */
    public static HistoricalEngine of(double[] pnl, QuantileConvention convention) {
        return new HistoricalEngine(pnl, convention, "historical");
    }

    /**
     * Filtered historical simulation with an EWMA volatility, sigma^2(t) = lambda sigma^2(t-1) +
     * (1 - lambda) r(t-1)^2, started at the mean square of the first min(n, 30) observations.
     *
     * @param pnl past P&amp;L or returns, oldest first
     * @param lambda EWMA decay in (0, 1), e.g. {@link #RISKMETRICS_LAMBDA}
     * @param convention how VaR is read
     * @return the engine on the rescaled series
     * @throws IllegalArgumentException for fewer than 2 observations, non-finite data, lambda
     *     outside (0, 1) or a series with zero volatility
     */
    public static HistoricalEngine filtered(double[] pnl, double lambda, QuantileConvention convention) {
        if (!(lambda > 0 && lambda < 1)) {
            throw new IllegalArgumentException("EWMA decay " + lambda + " is outside (0, 1); use e.g. 0.94");
        }
        if (pnl.length < 2) {
            throw new IllegalArgumentException("filtered historical simulation needs at least 2 observations, got " + pnl.length);
        }
        double[] scaled = scale(pnl, lambda);
        return new HistoricalEngine(scaled, convention, "filtered-historical");
    }

    /**
     * @param pnl past P&amp;L, oldest first
     * @param lambda EWMA decay
     * @return the series rescaled to the one-step-ahead volatility forecast
     */
    static double[] scale(double[] pnl, double lambda) {
        int n = pnl.length;
        int warm = Math.min(n, 30);
        double v = 0;
        for (int i = 0; i < warm; i++) {
            if (!Double.isFinite(pnl[i])) {
                throw new IllegalArgumentException("P&L observation " + (i + 1) + " is " + pnl[i] + "; remove or repair non-finite values");
            }
            v += pnl[i] * pnl[i];
        }
        v /= warm;
        if (!(v > 0)) {
            throw new IllegalArgumentException("the first " + warm + " observations are all zero: no volatility to filter by");
        }
        double[] sigma = new double[n];
        for (int t = 0; t < n; t++) {
            if (!Double.isFinite(pnl[t])) {
                throw new IllegalArgumentException("P&L observation " + (t + 1) + " is " + pnl[t] + "; remove or repair non-finite values");
            }
            sigma[t] = Math.sqrt(v);
            v = lambda * v + (1 - lambda) * pnl[t] * pnl[t];
        }
        double forecast = Math.sqrt(v);
        double[] out = new double[n];
        for (int t = 0; t < n; t++) {
            out[t] = pnl[t] / sigma[t] * forecast;
        }
        return out;
    }

    /**
     * Reads a P&amp;L series: one number per line (blank lines and lines starting with # skipped;
     * with several comma- or space-separated columns the last one is used).
     *
     * @param file the file
     * @return the numbers
     * @throws UncheckedIOException if it cannot be read
     * @throws IllegalArgumentException naming file and line for a value that is not a finite number
     */
    public static double[] readSeries(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read P&L series " + file + ": " + e.getMessage(), e);
        }
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("[\\s,;]+");
            String last = parts[parts.length - 1];
            double v;
            try {
                v = Double.parseDouble(last);
            } catch (NumberFormatException e) {
                if (values.isEmpty()) {
                    continue; // a header line
                }
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": '" + last + "' is not a number");
            }
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": value '" + last + "' is not a finite number (NaN in data?)");
            }
            values.add(v);
        }
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** @return the number of observations */
    public int observations() {
        return sortedLosses.length;
    }

    /**
     * @throws IllegalArgumentException if a level leaves no observation beyond it (n (1 - level) &lt; 1)
     */
    @Override
    public RiskResult estimate(double... levels) {
        RiskEngine.checkLevels(levels);
        int n = sortedLosses.length;
        for (double a : levels) {
            LossSample.checkTail(n, a, 1, "observations");
        }
        List<RiskEstimate> out = new ArrayList<>(levels.length);
        for (double a : levels) {
            out.add(LossSample.estimate(sortedLosses, 0, n, a, convention));
        }
        return new RiskResult(method, n, out);
    }
}
