package dev.nautilus.accel.cli;

import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.portfolio.BqpInstances;
import dev.nautilus.accel.portfolio.MaxCutGraph;
import dev.nautilus.accel.portfolio.PortfolioOptimizer;
import dev.nautilus.accel.portfolio.PortfolioProblem;
import dev.nautilus.accel.portfolio.PortfolioSolution;
import dev.nautilus.accel.portfolio.QuboModel;
import dev.nautilus.accel.portfolio.QuboSolver;
import dev.nautilus.accel.portfolio.SimulatedAnnealing;
import dev.nautilus.accel.portfolio.SimulatedBifurcation;
import dev.nautilus.accel.portfolio.SimulatedQuantumAnnealing;
import dev.nautilus.accel.portfolio.SolverResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nautilus bench portfolio}: the figures of the portfolio package, measured on the public
 * data sets: SA throughput, bqp hit rates and TTS99 for SA/SQA/SB, G-set Max-Cut gaps, port1 end
 * to end, and the time of 10,000 samples.
 */
@Command(name = "portfolio", sortOptions = false, description = {
    "Measure the QUBO solvers of dev.nautilus.accel.portfolio on public data: SA throughput (single-spin update attempts/s"
            + " on one thread), bqp50/100/250 (fraction of reads that hit the best-known value, median read time, TTS99 ="
            + " t_read ln(0.01)/ln(1-p)) for sa, sqa and sb, G-set Max-Cut (G1, G22, G43: reads at the best-known cut, mean gap),"
            + " port1 end to end (feasible and within 0.1% of the exact K-asset optimum, over seeds) and 10,000 samples.",
    "Sections run one after another on one thread unless --threads says otherwise."})
public final class PortfolioBenchCommand implements Callable<Integer> {
    private static final double[] BQP50 = {2098, 3702, 4626, 3544, 4012, 3693, 4520, 4216, 3780, 3507};
    private static final double[] BQP100 = {7970, 11036, 12723, 10368, 9083, 10210, 10125, 11435, 11455, 12565};
    private static final double[] BQP250 = {45607, 44810, 49037, 41274, 47961, 41014, 46757, 35726, 48916, 40442};
    private static final List<String> SECTIONS = List.of("throughput", "bqp", "maxcut", "port1", "samples");

    @Spec
    private CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with orlib/, qubo/ and gset/ (default: ../shared/data if it exists).")
    private Path data;

    @Option(names = "--only", split = ",", paramLabel = "SECTION",
            description = "Sections to run, comma-separated: throughput, bqp, maxcut, port1, samples (default: all).")
    private List<String> only = new ArrayList<>();

    @Option(names = "--bqp-sets", split = ",", paramLabel = "SET", defaultValue = "bqp50,bqp100,bqp250",
            description = "bqp files for the bqp section (default: ${DEFAULT-VALUE}).")
    private List<String> bqpSets = new ArrayList<>();

    @Option(names = "--scale", paramLabel = "F", defaultValue = "1",
            description = "Multiply every read count by F (0 < F <= 10; e.g. 0.1 for a quick run) (default: ${DEFAULT-VALUE}).")
    private double scale;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Base seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "1",
            description = "Threads that share the reads; throughput always uses 1 (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--json", description = "Print one JSON object; no progress.")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on standard error.")
    private boolean quiet;

    private BusBench.Progress progress;
    private final List<Map<String, Object>> rows = new ArrayList<>();

    /** Creates the command (picocli does). */
    public PortfolioBenchCommand() {}

    /**
     * Runs the chosen sections and prints the table (or JSON).
     *
     * @return {@value Nautilus#OK}
     */
    @Override
    public Integer call() {
        if (!(scale > 0) || scale > 10) {
            throw usage("invalid --scale " + scale + ": it must be > 0 and at most 10");
        }
        if (threads < 1 || threads > 1024) {
            throw usage("invalid --threads " + threads + ": it must be 1..1024");
        }
        Set<String> run = new LinkedHashSet<>();
        for (String s : only.isEmpty() ? SECTIONS : only) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (!SECTIONS.contains(t)) {
                throw usage("unknown --only section '" + s + "': use " + String.join(", ", SECTIONS));
            }
            run.add(t);
        }
        Path dir = data != null ? data : Path.of("..", "shared", "data");
        if (!Files.isDirectory(dir)) {
            throw usage(data == null ? "no --data DIR given and ../shared/data does not exist: pass the directory with orlib/, qubo/ and gset/"
                    : "--data " + data + " is not a directory");
        }
        progress = new BusBench.Progress(json || quiet ? null : spec.commandLine().getErr());
        String load = loadAverage();
        long t0 = System.nanoTime();
        if (run.contains("throughput")) {
            throughput(dir);
        }
        if (run.contains("bqp")) {
            for (String set : bqpSets) {
                bqp(dir, set.strip());
            }
        }
        if (run.contains("maxcut")) {
            maxCut(dir, "g1", 11624, 10_000, 10);
            maxCut(dir, "g22", 13359, 10_000, 10);
            maxCut(dir, "g43", 6660, 10_000, 10);
        }
        if (run.contains("port1")) {
            port1(dir);
        }
        if (run.contains("samples")) {
            samples(dir);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = Json.benchmarkHeader();
            doc.put("loadAverageAtStart", load);
            doc.put("seconds", seconds);
            doc.put("rows", new ArrayList<Object>(rows));
            out.println(Json.write(doc));
        } else {
            out.println("nautilus bench portfolio: data " + dir + ", seed " + seed + ", threads " + threads + ", read scale " + scale);
            out.println("machine  " + Runtime.getRuntime().availableProcessors() + " CPUs (" + SystemInfo.cpu().model().orElse("unknown CPU")
                    + "), " + Platform.id() + ", Java " + Runtime.version() + ", load average at start " + load);
            Table t = new Table("SECTION", "CASE", "SOLVER", "READS", "SWEEPS", "HIT %", "MEDIAN READ MS", "TTS99 MS", "RESULT");
            for (int i = 3; i < 8; i++) {
                t.alignRight(i);
            }
            for (Map<String, Object> r : rows) {
                t.add(str(r.get("section")), str(r.get("case")), str(r.get("solver")), str(r.get("reads")), str(r.get("sweeps")),
                        pct(r.get("hitRate")), num(r.get("medianReadMs"), "%.3f"), num(r.get("tts99Ms"), "%.2f"), str(r.get("result")));
            }
            t.print(out);
            out.printf(Locale.ROOT, "total %.1f s%n", seconds);
        }
        out.flush();
        return Nautilus.OK;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private int reads(int base) {
        return Math.max(1, (int) Math.round(base * scale));
    }

    private Map<String, Object> row(String section, String name, String solver, int reads, long sweeps) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("section", section);
        r.put("case", name);
        r.put("solver", solver);
        r.put("reads", reads);
        r.put("sweeps", sweeps);
        rows.add(r);
        return r;
    }

    private SolverResult solve(String label, QuboSolver solver, QuboModel model, int reads) {
        progress.start(label, reads);
        try {
            Object lock = new Object();
            return solver.solve(model, d -> {
                synchronized (lock) {
                    progress.update(d);
                }
            });
        } finally {
            progress.end();
        }
    }

    private void throughput(Path dir) {
        QuboModel g22 = MaxCutGraph.load(dir.resolve("gset/g22.rud")).toIsing().toQubo();
        QuboModel bqp250 = BqpInstances.load(dir.resolve("qubo/bqp250.txt")).get(0);
        for (Object[] c : new Object[][] {{"G22 (2000 spins, sparse)", g22, 4, 2000L}, {"bqp250-1 (250 spins, 10% dense)", bqp250, 40, 1000L}}) {
            QuboModel m = (QuboModel) c[1];
            int reads = reads((Integer) c[2]);
            long sweeps = (Long) c[3];
            // warm-up, then three measured runs: the median
            solve("throughput warm-up", new SimulatedAnnealing(Math.max(1, reads / 4), sweeps, seed + 99, 1), m, Math.max(1, reads / 4));
            double[] rates = new double[3];
            for (int k = 0; k < 3; k++) {
                SolverResult r = solve("throughput " + (k + 1) + "/3", new SimulatedAnnealing(reads, sweeps, seed + k, 1), m, reads);
                rates[k] = r.spinUpdateAttempts() / (r.elapsedNanos() / 1e9);
            }
            Arrays.sort(rates);
            Map<String, Object> r = row("throughput", (String) c[0], "sa", reads, sweeps);
            r.put("attemptsPerSecond", rates[1]);
            r.put("result", String.format(Locale.ROOT, "%.1f M attempts/s on 1 thread (median of 3; min %.1f, max %.1f)",
                    rates[1] / 1e6, rates[0] / 1e6, rates[2] / 1e6));
        }
    }

    private void bqp(Path dir, String set) {
        double[] best = switch (set) {
            case "bqp50" -> BQP50;
            case "bqp100" -> BQP100;
            case "bqp250" -> BQP250;
            default -> throw usage("unknown --bqp-sets entry '" + set + "': use bqp50, bqp100, bqp250");
        };
        List<QuboModel> models = BqpInstances.load(dir.resolve("qubo/" + set + ".txt"));
        record Config(String name, int reads, long sweeps) {}
        List<Config> configs = List.of(new Config("sa", reads(100), 1000), new Config("sqa", reads(20), 300), new Config("sb", reads(50), 1000));
        for (Config c : configs) {
            int hits = 0;
            int total = 0;
            int solved = 0;
            List<Long> nanos = new ArrayList<>();
            for (int i = 0; i < models.size(); i++) {
                QuboSolver s = switch (c.name()) {
                    case "sa" -> new SimulatedAnnealing(c.reads(), c.sweeps(), seed + i, threads);
                    case "sqa" -> new SimulatedQuantumAnnealing(c.reads(), c.sweeps(), seed + i, threads);
                    default -> new SimulatedBifurcation(c.reads(), c.sweeps(), seed + i, threads, true);
                };
                SolverResult r = solve(set + "-" + (i + 1) + " " + c.name(), s, models.get(i), c.reads());
                double p = r.hitRate(-best[i], 1e-6);
                hits += (int) Math.round(p * r.reads());
                total += r.reads();
                solved += p > 0 ? 1 : 0;
                for (long t : r.readNanos()) {
                    nanos.add(t);
                }
            }
            nanos.sort(null);
            double median = nanos.get(nanos.size() / 2) / 1e6;
            double p = hits / (double) total;
            Map<String, Object> row = row("bqp", set + " (10 instances)", c.name(), c.reads(), c.sweeps());
            row.put("hitRate", p);
            row.put("medianReadMs", median);
            row.put("tts99Ms", SolverResult.tts99(median, p));
            row.put("instancesSolved", solved);
            row.put("result", solved + "/10 instances reached best-known");
        }
    }

    private void maxCut(Path dir, String name, double bestCut, long sweeps, int baseReads) {
        MaxCutGraph g = MaxCutGraph.load(dir.resolve("gset/" + name + ".rud"));
        int reads = reads(baseReads);
        SolverResult r = solve(name + " sa", new SimulatedAnnealing(reads, sweeps, seed, threads), g.toIsing().toQubo(), reads);
        double gapSum = 0;
        double bestSeen = 0;
        for (double e : r.readEnergies()) {
            gapSum += (bestCut + e) / bestCut;
            bestSeen = Math.max(bestSeen, -e);
        }
        double median = r.medianReadNanos() / 1e6;
        double p = r.hitRate(-bestCut, 1e-6);
        Map<String, Object> row = row("maxcut", name.toUpperCase(Locale.ROOT) + " (best-known " + (long) bestCut + ")", "sa", reads, sweeps);
        row.put("hitRate", p);
        row.put("medianReadMs", median);
        row.put("tts99Ms", SolverResult.tts99(median, p));
        row.put("meanGapPercent", 100 * gapSum / reads);
        row.put("bestCut", bestSeen);
        row.put("result", String.format(Locale.ROOT, "best cut %.0f, mean gap %.4f%%", bestSeen, 100 * gapSum / reads));
    }

    private void port1(Path dir) {
        PortfolioProblem p = PortfolioProblem.loadOrLibrary(dir.resolve("orlib/port1.txt"));
        PortfolioOptimizer opt = new PortfolioOptimizer(p, 2.0);
        int seeds = reads(100);
        int[][] configs = {{6, 1000, 0}, {6, 10_000, 0}, {6, 1000, 1}, {10, 10_000, 0}, {10, 1000, 1}};
        Map<Integer, PortfolioSolution> exact = new LinkedHashMap<>();
        for (int[] c : configs) {
            int k = c[0];
            long sweeps = c[1];
            boolean polish = c[2] == 1;
            PortfolioSolution best = exact.computeIfAbsent(k, opt::selectAssetsExactly);
            int good = 0;
            List<Long> times = new ArrayList<>();
            progress.start("port1 K=" + k + " " + sweeps + " sweeps" + (polish ? " polished" : ""), seeds);
            try {
                for (int s = 0; s < seeds; s++) {
                    PortfolioSolution sol = opt.selectAssets(k, new SimulatedAnnealing(16, sweeps, seed + s, threads), polish);
                    times.add(sol.elapsedNanos());
                    if (sol.feasible() && (sol.objective() - best.objective()) / Math.abs(best.objective()) <= 1e-3) {
                        good++;
                    }
                    progress.update(s + 1);
                }
            } finally {
                progress.end();
            }
            times.sort(null);
            Map<String, Object> row = row("port1", "K=" + k + ", q=2, " + (polish ? "SA + swap polish" : "SA alone"), "sa", 16, sweeps);
            row.put("seeds", seeds);
            row.put("hitRate", good / (double) seeds);
            row.put("medianOptimizeMs", times.get(times.size() / 2) / 1e6);
            row.put("result", String.format(Locale.ROOT, "%d/%d seeds feasible and within 0.1%% of exact; median %.2f ms per optimize",
                    good, seeds, times.get(times.size() / 2) / 1e6));
        }
    }

    private void samples(Path dir) {
        PortfolioProblem p = PortfolioProblem.loadOrLibrary(dir.resolve("orlib/port1.txt"));
        QuboModel m = new PortfolioOptimizer(p, 2.0).selectionModel(6);
        int reads = 10_000;
        for (long sweeps : new long[] {1000, 100}) {
            SolverResult r = solve("10,000 samples x " + sweeps + " sweeps", new SimulatedAnnealing(reads, sweeps, seed, threads), m, reads);
            double perSampleUs = r.elapsedNanos() / 1e3 / reads;
            Map<String, Object> row = row("samples", "port1 K=6 QUBO (31 spins), 10,000 samples", "sa", reads, sweeps);
            row.put("medianReadMs", r.medianReadNanos() / 1e6);
            row.put("totalMs", r.elapsedNanos() / 1e6);
            row.put("perSampleUs", perSampleUs);
            row.put("result", String.format(Locale.ROOT, "%.0f ms in all, %.1f us per sample on %d thread(s) (design document: 0.84 us)",
                    r.elapsedNanos() / 1e6, perSampleUs, threads));
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String pct(Object o) {
        return o instanceof Double d ? String.format(Locale.ROOT, "%.1f", 100 * d) : "";
    }

    private static String num(Object o, String fmt) {
        if (o instanceof Double d) {
            return Double.isFinite(d) ? String.format(Locale.ROOT, fmt, d) : "inf";
        }
        return "";
    }
}
