package dev.nautilus.accel.cli;

import dev.nautilus.accel.risk.HistoricalEngine;
import dev.nautilus.accel.risk.ImportanceSamplingEngine;
import dev.nautilus.accel.risk.DeltaGammaPortfolio;
import dev.nautilus.accel.risk.LinearPortfolio;
import dev.nautilus.accel.risk.MarketModel;
import dev.nautilus.accel.risk.MonteCarloEngine;
import dev.nautilus.accel.risk.OrLibraryPortfolioFile;
import dev.nautilus.accel.risk.ParametricEngine;
import dev.nautilus.accel.risk.QuantileConvention;
import dev.nautilus.accel.risk.QuasiMonteCarloEngine;
import dev.nautilus.accel.risk.RiskEngine;
import dev.nautilus.accel.risk.RiskEstimate;
import dev.nautilus.accel.risk.RiskProgress;
import dev.nautilus.accel.risk.RiskResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nautilus risk var}: VaR and ES of a portfolio by one of the engines of dev.nautilus.accel.risk. */
@Command(name = "var", sortOptions = false, description = {
    "Value at risk and expected shortfall (losses, in the units of the weights: fractions of the portfolio for"
            + " weights that sum to 1) at several confidence levels in one pass, each with its standard error.",
    "Returns are one-period (weekly for the OR-Library files). Methods: parametric (delta-normal closed form),"
            + " historical and filtered (from --pnl FILE), mc (Monte Carlo; Student-t with --dof), rqmc (scrambled Sobol),"
            + " is (importance sampling, for far tails)."})
public final class RiskVarCommand implements Callable<Integer> {
    /** Default data file, relative to the working directory. */
    static final String DEFAULT_DATA = "../shared/data/orlib/port1.txt";

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "PORTFILE",
            description = "OR-Library portfolio file (port1..5.txt) with means, deviations and correlations"
                    + " (default: " + DEFAULT_DATA + " if it exists).")
    private Path data;

    @Option(names = "--weights", paramLabel = "W", defaultValue = "equal",
            description = "Comma-separated value per asset, or 'equal' (default: ${DEFAULT-VALUE}).")
    private String weights;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "parametric",
            description = "parametric, historical, filtered, mc, rqmc or is (default: ${DEFAULT-VALUE}).")
    private String method;

    @Option(names = "--levels", split = ",", paramLabel = "LEVEL", defaultValue = "0.95,0.975,0.99",
            description = "Confidence levels in (0, 1), comma-separated (default: ${DEFAULT-VALUE}).")
    private double[] levels;

    @Option(names = "--scenarios", paramLabel = "N", defaultValue = "65536",
            description = "Scenarios for mc, rqmc and is (default: ${DEFAULT-VALUE}).")
    private int scenarios;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "0",
            description = "Worker threads (default: all CPUs).")
    private int threads;

    @Option(names = "--dof", paramLabel = "NU", description = "mc only: Student-t returns with NU > 2 degrees of freedom.")
    private Double dof;

    @Option(names = "--randomisations", paramLabel = "R", defaultValue = "8",
            description = "rqmc only: independent randomisations for the error estimate (default: ${DEFAULT-VALUE}).")
    private int randomisations;

    @Option(names = "--ordering", paramLabel = "ORDER", defaultValue = "pca",
            description = "rqmc only: pca, gradient (portfolio direction first) or cholesky: which factors the leading Sobol"
                    + " coordinates drive (default: ${DEFAULT-VALUE}).")
    private String ordering;

    @Option(names = "--scramble", paramLabel = "KIND", defaultValue = "lms",
            description = "rqmc only: lms (linear matrix scramble + digital shift) or shift (default: ${DEFAULT-VALUE}).")
    private String scramble;

    @Option(names = "--pnl", paramLabel = "FILE",
            description = "historical/filtered: P&L series, one value per line (last column if several).")
    private Path pnl;

    @Option(names = "--convention", paramLabel = "Q", defaultValue = "empirical",
            description = "historical/filtered: quantile convention empirical, hazen or linear (default: ${DEFAULT-VALUE}).")
    private String convention;

    @Option(names = "--lambda", paramLabel = "L", defaultValue = "0.94",
            description = "filtered: EWMA decay in (0, 1) (default: ${DEFAULT-VALUE}).")
    private double lambda;

    @Option(names = "--json", description = "Print one JSON object; no progress.")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on standard error.")
    private boolean quiet;

    /** Creates the command (picocli does). */
    public RiskVarCommand() {}

    /**
     * Runs the chosen engine and prints a table (or JSON).
     *
     * @return {@value Nautilus#OK}
     */
    @Override
    public Integer call() {
        String m = method.strip().toLowerCase(Locale.ROOT);
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) {
            throw usage("invalid --threads " + threads + ": it must be >= 1 (0 for all CPUs)");
        }
        if (scenarios < 1) {
            throw usage("invalid --scenarios " + scenarios + ": it must be >= 1");
        }
        RiskEngine.checkLevels(levels);
        BusBench.Progress bar = new BusBench.Progress(json || quiet ? null : spec.commandLine().getErr());
        boolean[] started = new boolean[1];
        RiskProgress progress = (done, total) -> {
            if (!started[0]) {
                bar.start("risk var " + method + ": blocks", total);
                started[0] = true;
            }
            bar.update(done);
        };
        RiskEngine engine;
        MarketModel model = null;
        String source;
        long start = System.nanoTime();
        switch (m) {
            case "historical", "filtered" -> {
                if (pnl == null) {
                    throw usage("--method " + m + " needs a P&L series: give --pnl FILE (one value per line)");
                }
                double[] series = HistoricalEngine.readSeries(pnl);
                QuantileConvention q = switch (convention.strip().toLowerCase(Locale.ROOT)) {
                    case "empirical" -> QuantileConvention.EMPIRICAL;
                    case "hazen" -> QuantileConvention.HAZEN;
                    case "linear" -> QuantileConvention.LINEAR;
                    default -> throw usage("unknown --convention '" + convention + "': use empirical, hazen or linear");
                };
                engine = m.equals("historical") ? HistoricalEngine.of(series, q) : HistoricalEngine.filtered(series, lambda, q);
                source = pnl.toString();
            }
            case "parametric", "mc", "rqmc", "is" -> {
                model = OrLibraryPortfolioFile.read(dataFile());
                double[] w = weights(model.dimension());
                model.checkWeights(w);
                source = model.name();
                engine = switch (m) {
                    case "parametric" -> new ParametricEngine(model, w);
                    case "mc" -> new MonteCarloEngine(model, new LinearPortfolio(w), scenarios, seed, t,
                            dof == null ? Double.POSITIVE_INFINITY : dof).progress(progress);
                    case "rqmc" -> new QuasiMonteCarloEngine(model, new LinearPortfolio(w), scenarios, randomisations, seed, t,
                            ordering(), scrambleLms()).progress(progress);
                    default -> new ImportanceSamplingEngine(model, DeltaGammaPortfolio.linear(w), null, scenarios, seed, t)
                            .progress(progress);
                };
                if (dof != null && !m.equals("mc")) {
                    throw usage("--dof applies to --method mc only");
                }
            }
            default -> throw usage("unknown --method '" + method + "': use parametric, historical, filtered, mc, rqmc or is");
        }
        RiskResult result;
        try {
            result = engine.estimate(levels);
        } finally {
            bar.end();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(toJson(result, source, model, seconds, t)));
        } else {
            out.printf(Locale.ROOT, "nautilus risk var: %s, %s%s, %.3f s%n", result.method(), source,
                    model == null ? "" : " (" + model.dimension() + " assets)", seconds);
            out.println(result.scenarios() == 0 ? "closed form" : result.scenarios() + " " + (m.startsWith("hist") || m.equals("filtered")
                    ? "observations" : "scenarios") + ", " + t + " thread(s), seed " + seed);
            Table table = new Table("LEVEL", "VAR", "VAR SE", "ES", "ES SE");
            for (int i = 1; i < 5; i++) {
                table.alignRight(i);
            }
            for (RiskEstimate e : result.estimates()) {
                table.add(Double.toString(e.level()), fmt(e.valueAtRisk()), fmt(e.valueAtRiskStdError()), fmt(e.expectedShortfall()),
                        fmt(e.expectedShortfallStdError()));
            }
            table.print(out);
        }
        out.flush();
        return Nautilus.OK;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private Path dataFile() {
        if (data != null) {
            return data;
        }
        Path d = Path.of(DEFAULT_DATA);
        if (!Files.exists(d)) {
            throw usage("no --data given and " + DEFAULT_DATA + " does not exist: give --data PORTFILE (an OR-Library port file)");
        }
        return d;
    }

    private double[] weights(int n) {
        String w = weights.strip();
        if (w.equalsIgnoreCase("equal")) {
            return MarketModel.equalWeights(n);
        }
        String[] parts = w.split(",");
        if (parts.length != n) {
            throw usage("dimension mismatch: --weights has " + parts.length + " values but the portfolio file has " + n
                    + " assets; give one weight per asset or 'equal'");
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw usage("--weights value " + (i + 1) + " '" + parts[i].strip() + "' is not a number");
            }
        }
        return v;
    }

    private QuasiMonteCarloEngine.Ordering ordering() {
        return switch (ordering.strip().toLowerCase(Locale.ROOT)) {
            case "pca" -> QuasiMonteCarloEngine.Ordering.PCA;
            case "cholesky" -> QuasiMonteCarloEngine.Ordering.CHOLESKY;
            case "gradient" -> QuasiMonteCarloEngine.Ordering.GRADIENT;
            default -> throw usage("unknown --ordering '" + ordering + "': use pca, gradient or cholesky");
        };
    }

    private boolean scrambleLms() {
        return switch (scramble.strip().toLowerCase(Locale.ROOT)) {
            case "lms" -> true;
            case "shift" -> false;
            default -> throw usage("unknown --scramble '" + scramble + "': use lms or shift");
        };
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private Map<String, Object> toJson(RiskResult r, String source, MarketModel model, double seconds, int t) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("method", r.method());
        doc.put("data", source);
        if (model != null) {
            doc.put("assets", model.dimension());
        }
        doc.put("scenarios", r.scenarios());
        doc.put("seed", seed);
        doc.put("threads", t);
        doc.put("seconds", seconds);
        List<Object> rows = new ArrayList<>();
        for (RiskEstimate e : r.estimates()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("level", e.level());
            row.put("var", e.valueAtRisk());
            row.put("varStdError", e.valueAtRiskStdError());
            row.put("es", e.expectedShortfall());
            row.put("esStdError", e.expectedShortfallStdError());
            rows.add(row);
        }
        doc.put("estimates", rows);
        return doc;
    }
}
