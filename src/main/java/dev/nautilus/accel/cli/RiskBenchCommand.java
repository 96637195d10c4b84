package dev.nautilus.accel.cli;

import dev.nautilus.accel.risk.DeltaGammaPortfolio;
import dev.nautilus.accel.risk.ImportanceSamplingEngine;
import dev.nautilus.accel.risk.MarketModel;
import dev.nautilus.accel.risk.NormalDistribution;
import dev.nautilus.accel.risk.OrLibraryPortfolioFile;
import dev.nautilus.accel.risk.ParametricEngine;
import dev.nautilus.accel.risk.RiskEstimate;
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

/**
 * {@code nautilus bench risk}: parametric VaR evaluation rate, Monte Carlo throughput per core,
 * and the accuracy of MC and randomised QMC against the closed form (port1 equal weights and a
 * one-factor model), with the convergence data (error against N, log-log slopes).
 */
@Command(name = "risk", sortOptions = false, description = {
    "Measure the risk engines: parametric VaR evaluations per second (portfolio sigma precomputed), Monte Carlo"
            + " scenarios per second (1 thread and all), and relative RMSE of VaR/ES against the closed form over"
            + " many seeds for MC and randomised QMC, with error-vs-N convergence slopes.",
    "--json writes the convergence data (docs/risk-convergence.png is drawn from it)."})
public final class RiskBenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "PORTFILE",
            description = "OR-Library portfolio file (default: " + RiskVarCommand.DEFAULT_DATA + ").")
    private Path data;

    @Option(names = "--reps", paramLabel = "R", defaultValue = "32",
            description = "Seeds per accuracy point (default: ${DEFAULT-VALUE}).")
    private int reps;

    @Option(names = "--scenarios", paramLabel = "N", defaultValue = "65536",
            description = "N of the accuracy comparison (default: ${DEFAULT-VALUE}).")
    private int scenarios;

    @Option(names = "--randomisations", paramLabel = "R", defaultValue = "8",
            description = "RQMC randomisations (default: ${DEFAULT-VALUE}).")
    private int randomisations;

    @Option(names = "--max-log2", paramLabel = "K", defaultValue = "18",
            description = "Convergence runs go from N = 2^12 to 2^K (default: ${DEFAULT-VALUE}).")
    private int maxLog2;

    @Option(names = "--evaluations", paramLabel = "E", defaultValue = "20000000",
            description = "Parametric evaluations per timed run (default: ${DEFAULT-VALUE}).")
    private int evaluations;

    @Option(names = "--throughput-scenarios", paramLabel = "N", defaultValue = "262144",
            description = "Monte Carlo scenarios per timed throughput run (default: ${DEFAULT-VALUE}).")
    private int throughputScenarios;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "0", description = "Worker threads (default: all CPUs).")
    private int threads;

    @Option(names = "--json", description = "Print one JSON object; no progress.")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on standard error.")
    private boolean quiet;

    /** Creates the command (picocli does). */
    public RiskBenchCommand() {}

    /**
     * Runs every measurement and prints tables (or JSON).
     *
     * @return {@value Nautilus#OK}
     */
    @Override
    public Integer call() {
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) {
            throw usage("invalid --threads " + threads + ": it must be >= 1 (0 for all CPUs)");
        }
        if (reps < 2 || reps > 10_000) {
            throw usage("invalid --reps " + reps + ": it must be in 2..10000");
        }
        if (maxLog2 < 12 || maxLog2 > 24) {
            throw usage("invalid --max-log2 " + maxLog2 + ": it must be in 12..24");
        }
        if (evaluations < 1000 || throughputScenarios < 1000) {
            throw usage("invalid --evaluations " + evaluations + " or --throughput-scenarios " + throughputScenarios
                    + ": each must be >= 1000");
        }
        if (scenarios < 4096) {
            throw usage("invalid --scenarios " + scenarios + ": it must be >= 4096");
        }
        Path file = data != null ? data : Path.of(RiskVarCommand.DEFAULT_DATA);
        if (data == null && !Files.exists(file)) {
            throw usage("no --data given and " + RiskVarCommand.DEFAULT_DATA + " does not exist: give --data PORTFILE");
        }
        MarketModel model = OrLibraryPortfolioFile.read(file);
        double[] w = MarketModel.equalWeights(model.dimension());
        BusBench.Progress progress = new BusBench.Progress(json || quiet ? null : spec.commandLine().getErr());
        Map<String, Object> doc = Json.benchmarkHeader();
        doc.put("data", file.toString());
        doc.put("assets", model.dimension());
        doc.put("threads", t);

        // 1. parametric evaluations per second (sigma precomputed; quantile computed per call)
        ParametricEngine p = new ParametricEngine(model, w);
        progress.start("bench risk: parametric", 7);
        double[] rates = new double[7];
        double check = 0;
        for (int i = 0; i < 7; i++) {
            double[] r = RiskBench.parametricRate(p.portfolioMean(), p.portfolioSd(), evaluations);
            rates[i] = r[0];
            check += r[1];
            progress.update(i + 1);
        }
        progress.end();
        double[] measured = java.util.Arrays.copyOfRange(rates, 2, 7); // the first two runs warm up the JIT
        Map<String, Object> param = new LinkedHashMap<>();
        param.put("evaluationsPerSecondMedian", RiskBench.median(measured));
        param.put("runs", 5);
        param.put("evaluationsPerRun", evaluations);
        param.put("checksum", check);
        doc.put("parametric", param);

        // 2. Monte Carlo throughput, 1 thread and t threads
        Map<String, Object> mc = new LinkedHashMap<>();
        int n = throughputScenarios;
        for (int threadsNow : t == 1 ? new int[] {1} : new int[] {1, t}) {
            progress.start("bench risk: mc throughput, " + threadsNow + " thread(s)", 6);
            double[] s = new double[6];
            for (int i = 0; i < 6; i++) {
                s[i] = RiskBench.monteCarloRate(model, w, n, threadsNow, i);
                progress.update(i + 1);
            }
            progress.end();
            double median = RiskBench.median(java.util.Arrays.copyOfRange(s, 1, 6));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("scenariosPerSecond", median);
            row.put("scenariosPerSecondPerThread", median / threadsNow);
            mc.put("threads" + threadsNow, row);
        }
        doc.put("monteCarloThroughput", mc);

        // 3. accuracy at N on the portfolio, level 0.975
        double level = 0.975;
        RiskEstimate exact = p.estimate(level).at(level);
        Map<String, Object> acc = new LinkedHashMap<>();
        acc.put("scenarios", scenarios);
        acc.put("level", level);
        acc.put("reps", reps);
        acc.put("randomisations", randomisations);
        double[] mcErr = null;
        for (RiskBench.Estimator est : RiskBench.Estimator.values()) {
            progress.start("bench risk: accuracy " + est.label, 1);
            double[] e = RiskBench.relativeRmse(est, model, w, scenarios, level, reps, randomisations, t,
                    exact.valueAtRisk(), exact.expectedShortfall());
            progress.end();
            if (est == RiskBench.Estimator.MC) {
                mcErr = e;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("varRelativeRmse", e[0]);
            row.put("esRelativeRmse", e[1]);
            row.put("varRatioToMc", e[0] / mcErr[0]);
            row.put("esRatioToMc", e[1] / mcErr[1]);
            acc.put(est.label, row);
        }
        doc.put("accuracy", acc);

        // 4. importance sampling: P(loss > x) at the exact 1e-3 quantile
        double x = -p.portfolioMean() + p.portfolioSd() * NormalDistribution.inverseCdf(1 - 1e-3);
        progress.start("bench risk: importance sampling", 1);
        ImportanceSamplingEngine.TailProbability tp = new ImportanceSamplingEngine(model, DeltaGammaPortfolio.linear(w), null,
                20_000, 11, t).tailProbability(x);
        progress.end();
        Map<String, Object> is = new LinkedHashMap<>();
        is.put("exactProbability", 1e-3);
        is.put("scenarios", tp.scenarios());
        is.put("probability", tp.probability());
        is.put("stdError", tp.stdError());
        is.put("errorInStdErrors", (tp.probability() - 1e-3) / tp.stdError());
        is.put("varianceReduction", tp.varianceReduction());
        doc.put("importanceSampling", is);

        // 5. convergence: error against N on the portfolio and on a one-factor model, level 0.99 for 1-D
        MarketModel oneFactor = new MarketModel("one-factor", new double[] {0.001}, new double[][] {{0.0009}});
        List<Object> conv = new ArrayList<>();
        conv.add(convergence("port-" + model.dimension() + "d", model, w, level, t, progress));
        conv.add(convergence("one-factor-1d", oneFactor, new double[] {1}, 0.99, t, progress));
        doc.put("convergence", conv);

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(doc));
        } else {
            print(out, doc);
        }
        out.flush();
        return Nautilus.OK;
    }

    private Map<String, Object> convergence(String name, MarketModel model, double[] w, double level, int t, BusBench.Progress progress) {
        RiskEstimate exact = new ParametricEngine(model, w).estimate(level).at(level);
        int k = maxLog2 - 12 + 1;
        int[] logN = new int[k];
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("model", name);
        series.put("level", level);
        series.put("reps", reps);
        // the smallest N (2^12) must leave 10 scenarios per randomisation beyond the level
        int r = (int) Math.max(2, Math.min(randomisations, Math.floor(4096 * (1 - level) / 10)));
        series.put("randomisations", r);
        List<Object> ns = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            logN[i] = 12 + i;
            ns.add(1 << logN[i]);
        }
        series.put("n", ns);
        RiskBench.Estimator[] which = model.dimension() == 1
                ? new RiskBench.Estimator[] {RiskBench.Estimator.MC, RiskBench.Estimator.RQMC_CHOLESKY}
                : RiskBench.Estimator.values();
        for (RiskBench.Estimator est : which) {
            double[] err = new double[k];
            List<Object> errs = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                progress.start("bench risk: convergence " + name + " " + est.label + " N=2^" + logN[i], 1);
                err[i] = RiskBench.relativeRmse(est, model, w, 1 << logN[i], level, reps, r, t,
                        exact.valueAtRisk(), exact.expectedShortfall())[0];
                progress.end();
                errs.add(err[i]);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("varRelativeRmse", errs);
            row.put("logLogSlope", RiskBench.logLogSlope(logN, err));
            series.put(model.dimension() == 1 && est == RiskBench.Estimator.RQMC_CHOLESKY ? "rqmc" : est.label, row);
        }
        return series;
    }

    @SuppressWarnings("unchecked")
    private void print(PrintWriter out, Map<String, Object> doc) {
        out.println("nautilus bench risk: " + doc.get("data") + " (" + doc.get("assets") + " assets, equal weights), "
                + doc.get("threads") + " thread(s)");
        out.println("machine  " + doc.get("cpus") + " CPUs (" + doc.get("cpu") + "), " + doc.get("platform") + ", Java " + doc.get("java"));
        Map<String, Object> param = (Map<String, Object>) doc.get("parametric");
        out.printf(Locale.ROOT, "parametric VaR, portfolio sigma precomputed (quantile computed per call): %.1f M evaluations/s"
                + " (median of 5 runs of %d)%n", (Double) param.get("evaluationsPerSecondMedian") / 1e6, param.get("evaluationsPerRun"));
        Map<String, Object> mc = (Map<String, Object>) doc.get("monteCarloThroughput");
        for (Map.Entry<String, Object> e : mc.entrySet()) {
            Map<String, Object> row = (Map<String, Object>) e.getValue();
            out.printf(Locale.ROOT, "mc throughput, %s: %.2f M scenarios/s (%.2f M per thread), %d assets, full revaluation%n",
                    e.getKey().replace("threads", "") + " thread(s)", (Double) row.get("scenariosPerSecond") / 1e6,
                    (Double) row.get("scenariosPerSecondPerThread") / 1e6, doc.get("assets"));
        }
        Map<String, Object> acc = (Map<String, Object>) doc.get("accuracy");
        out.printf(Locale.ROOT, "accuracy at N = %d, level %s, relative RMSE over %d seeds (RQMC: %d randomisations):%n",
                acc.get("scenarios"), acc.get("level"), acc.get("reps"), acc.get("randomisations"));
        Table table = new Table("ESTIMATOR", "VAR RMSE %", "VS MC", "ES RMSE %", "VS MC");
        for (int i = 1; i < 5; i++) {
            table.alignRight(i);
        }
        for (RiskBench.Estimator est : RiskBench.Estimator.values()) {
            Map<String, Object> row = (Map<String, Object>) acc.get(est.label);
            table.add(est.label, String.format(Locale.ROOT, "%.4f", 100 * (Double) row.get("varRelativeRmse")),
                    String.format(Locale.ROOT, "%.2fx", (Double) row.get("varRatioToMc")),
                    String.format(Locale.ROOT, "%.4f", 100 * (Double) row.get("esRelativeRmse")),
                    String.format(Locale.ROOT, "%.2fx", (Double) row.get("esRatioToMc")));
        }
        table.print(out);
        Map<String, Object> is = (Map<String, Object>) doc.get("importanceSampling");
        out.printf(Locale.ROOT, "importance sampling, P(loss > exact 1e-3 quantile) from %d scenarios: %.4e +- %.1e (%.2f standard"
                + " errors from 1e-3), variance reduction %.0fx over plain MC%n", is.get("scenarios"), is.get("probability"),
                is.get("stdError"), is.get("errorInStdErrors"), is.get("varianceReduction"));
        for (Object o : (List<Object>) doc.get("convergence")) {
            Map<String, Object> s = (Map<String, Object>) o;
            out.printf(Locale.ROOT, "convergence %s, level %s, VaR relative RMSE %% over %d seeds (RQMC: %d randomisations):%n",
                    s.get("model"), s.get("level"), s.get("reps"), s.get("randomisations"));
            List<Object> ns = (List<Object>) s.get("n");
            List<String> headers = new ArrayList<>();
            headers.add("N");
            List<String> keys = new ArrayList<>();
            for (String key : s.keySet()) {
                if (s.get(key) instanceof Map) {
                    keys.add(key);
                    headers.add(key.toUpperCase(Locale.ROOT));
                }
            }
            Table t = new Table(headers.toArray(new String[0]));
            for (int i = 0; i < headers.size(); i++) {
                t.alignRight(i);
            }
            for (int i = 0; i < ns.size(); i++) {
                List<String> cells = new ArrayList<>();
                cells.add(ns.get(i).toString());
                for (String key : keys) {
                    List<Object> e = (List<Object>) ((Map<String, Object>) s.get(key)).get("varRelativeRmse");
                    cells.add(String.format(Locale.ROOT, "%.5f", 100 * (Double) e.get(i)));
                }
                t.add(cells.toArray(new String[0]));
            }
            List<String> slope = new ArrayList<>();
            slope.add("slope");
            for (String key : keys) {
                slope.add(String.format(Locale.ROOT, "%.2f", (Double) ((Map<String, Object>) s.get(key)).get("logLogSlope")));
            }
            t.add(slope.toArray(new String[0]));
            t.print(out);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
