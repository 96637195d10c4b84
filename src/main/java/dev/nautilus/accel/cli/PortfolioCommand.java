package dev.nautilus.accel.cli;

import dev.nautilus.accel.nativeaccess.Version;
import dev.nautilus.accel.portfolio.PortfolioOptimizer;
import dev.nautilus.accel.portfolio.PortfolioProblem;
import dev.nautilus.accel.portfolio.PortfolioSolution;
import dev.nautilus.accel.portfolio.QuboSolver;
import dev.nautilus.accel.portfolio.SimulatedAnnealing;
import dev.nautilus.accel.portfolio.SimulatedBifurcation;
import dev.nautilus.accel.portfolio.SimulatedQuantumAnnealing;
import dev.nautilus.accel.portfolio.SolverResult;
import java.io.PrintWriter;
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

/** {@code nautilus portfolio}: mean-variance portfolio optimisation (QUBO solvers and the classical QP). */
@Command(name = "portfolio", description = "Mean-variance portfolio optimisation: QUBO annealing-family solvers and the classical QP.",
        subcommands = {PortfolioCommand.Optimize.class})
public final class PortfolioCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Creates the command (picocli does). */
    public PortfolioCommand() {}

    /**
     * Without a subcommand there is nothing to do: a usage error that names them.
     *
     * @return never returns normally
     * @throws ParameterException always
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no portfolio command given; choose one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The solver names {@code --solver} accepts. */
    enum SolverName {
        sa, sqa, sb, exact, qp
    }

    /** {@code nautilus portfolio optimize}: pick K assets (or the continuous optimum) for one data file. */
    @Command(name = "optimize", sortOptions = false, description = {
        "Choose a portfolio of an OR-Library mean-variance data file minimising q w'Sw - mu'w.",
        "sa, sqa, sb: hold exactly K assets in equal weights, solved as a QUBO (cardinality penalty) by simulated annealing,"
                + " simulated quantum annealing or simulated bifurcation, then repaired and swap-polished (--no-polish: the"
                + " solver's answer as it is); exact: the same K-asset problem by enumeration; qp: the continuous long-only"
                + " optimum (ojalgo). The continuous optimum is printed beside every answer for comparison."})
    static final class Optimize implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--data", paramLabel = "PORTFILE", required = true,
                description = "OR-Library portfolio file (port1.txt .. port5.txt, e.g. ../shared/data/orlib/port1.txt).")
        private Path data;

        @Option(names = "--assets", paramLabel = "K", description = "Number of assets to hold (required except for --solver qp).")
        private Integer assets;

        @Option(names = "--solver", paramLabel = "NAME", defaultValue = "sa",
                description = "sa, sqa, sb, exact or qp (default: ${DEFAULT-VALUE}).")
        private SolverName solver;

        @Option(names = "--risk-aversion", paramLabel = "Q", defaultValue = "2.0",
                description = "q in q w'Sw - mu'w (default: ${DEFAULT-VALUE}).")
        private double riskAversion;

        @Option(names = "--reads", paramLabel = "N", defaultValue = "16", description = "Independent reads (default: ${DEFAULT-VALUE}).")
        private int reads;

        @Option(names = "--sweeps", paramLabel = "N", defaultValue = "1000",
                description = "Sweeps per read (sb: integration steps) (default: ${DEFAULT-VALUE}).")
        private long sweeps;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
        private long seed;

        @Option(names = "--threads", paramLabel = "T", defaultValue = "1",
                description = "Threads that share the reads (default: ${DEFAULT-VALUE}).")
        private int threads;

        @Option(names = "--no-polish", description = "Report the QUBO solver's answer without repair and swap polish.")
        private boolean noPolish;

        @Option(names = "--json", description = "Print one JSON object; no progress.")
        private boolean json;

        @Option(names = {"-q", "--quiet"}, description = "No progress line on standard error.")
        private boolean quiet;

        Optimize() {}

        @Override
        public Integer call() {
            if (reads < 1 || reads > 10_000_000) {
                throw usage("invalid --reads " + reads + ": it must be 1..10000000");
            }
            if (sweeps < 1 || sweeps > 100_000_000) {
                throw usage("invalid --sweeps " + sweeps + ": it must be 1..100000000");
            }
            if (threads < 1 || threads > 1024) {
                throw usage("invalid --threads " + threads + ": it must be 1..1024");
            }
            if (solver != SolverName.qp && assets == null) {
                throw usage("--assets K is required with --solver " + solver + " (only qp chooses continuous weights)");
            }
            PortfolioProblem problem = PortfolioProblem.loadOrLibrary(data);
            PortfolioOptimizer opt = new PortfolioOptimizer(problem, riskAversion);
            PrintWriter err = json || quiet ? null : spec.commandLine().getErr();
            BusBench.Progress progress = new BusBench.Progress(err);
            PortfolioSolution s;
            switch (solver) {
                case qp -> s = opt.classical();
                case exact -> s = opt.selectAssetsExactly(assets);
                default -> {
                    QuboSolver qs = switch (solver) {
                        case sa -> new SimulatedAnnealing(reads, sweeps, seed, threads);
                        case sqa -> new SimulatedQuantumAnnealing(reads, sweeps, seed, threads);
                        default -> new SimulatedBifurcation(reads, sweeps, seed, threads, true);
                    };
                    if (assets < 1 || assets > problem.size()) {
                        throw usage("invalid --assets " + assets + ": " + data + " has " + problem.size()
                                + " assets, so K must be 1.." + problem.size());
                    }
                    progress.start(solver + " reads", reads);
                    Object lock = new Object();
                    try {
                        s = opt.selectAssets(assets, qs, !noPolish, done -> {
                            synchronized (lock) {
                                progress.update(done);
                            }
                        });
                    } finally {
                        progress.end();
                    }
                }
            }
            PortfolioSolution classical = solver == SolverName.qp ? s : opt.classical();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(toJson(problem, s, classical)));
            } else {
                print(out, problem, s, classical);
            }
            out.flush();
            return Nautilus.OK;
        }

        private ParameterException usage(String message) {
            return new ParameterException(spec.commandLine(), message);
        }

        private void print(PrintWriter out, PortfolioProblem problem, PortfolioSolution s, PortfolioSolution classical) {
            out.printf(Locale.ROOT, "nautilus portfolio optimize: %s, %d assets, q = %s, solver %s%s%n", data, problem.size(),
                    riskAversion, s.method(), assets == null ? "" : ", K = " + assets);
            Table t = new Table("ASSET", "WEIGHT", "MEAN RETURN", "STD DEV");
            for (int i = 1; i < 4; i++) {
                t.alignRight(i);
            }
            double[] w = s.weights();
            for (int i = 0; i < w.length; i++) {
                if (w[i] > 1e-9) {
                    t.add(Integer.toString(i + 1), String.format(Locale.ROOT, "%.6f", w[i]),
                            String.format(Locale.ROOT, "%.6f", problem.expectedReturn(i)),
                            String.format(Locale.ROOT, "%.6f", Math.sqrt(problem.covariance(i, i))));
                }
            }
            t.print(out);
            out.printf(Locale.ROOT, "expected return %.8f  variance %.10f  objective %.10f  feasible %s  time %.3f ms%n",
                    s.expectedReturn(), s.variance(), s.objective(), s.feasible() ? "yes" : "NO", s.elapsedNanos() / 1e6);
            if (s.raw() != null) {
                out.printf(Locale.ROOT, "solver's own answer: objective %.10f, feasible %s (before repair and swap polish)%n",
                        s.raw().objective(), s.raw().feasible() ? "yes" : "NO");
            }
            SolverResult r = s.solver();
            if (r != null) {
                out.printf(Locale.ROOT, "solver %s: %d reads x %d sweeps, best QUBO energy %.10f, median read %.3f ms, %.1f M updates/s%n",
                        r.solver(), r.reads(), r.sweepsPerRead(), r.energy(), r.medianReadNanos() / 1e6,
                        r.spinUpdateAttempts() / (r.elapsedNanos() / 1e9) / 1e6);
            }
            if (s != classical) {
                out.printf(Locale.ROOT, "classical continuous optimum (qp, %d assets held): objective %.10f, return %.8f, variance %.10f%n",
                        classical.holdings(), classical.objective(), classical.expectedReturn(), classical.variance());
            }
        }

        private Map<String, Object> toJson(PortfolioProblem problem, PortfolioSolution s, PortfolioSolution classical) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("version", Version.get());
            doc.put("data", data.toString());
            doc.put("assetsInData", problem.size());
            doc.put("riskAversion", riskAversion);
            doc.put("solver", s.method());
            if (assets != null && solver != SolverName.qp) {
                doc.put("assets", assets);
            }
            doc.put("portfolio", solutionJson(s));
            if (s.raw() != null) {
                doc.put("solverAnswer", solutionJson(s.raw()));
            }
            SolverResult r = s.solver();
            if (r != null) {
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("reads", r.reads());
                st.put("sweepsPerRead", r.sweepsPerRead());
                st.put("seed", seed);
                st.put("threads", threads);
                st.put("bestEnergy", r.energy());
                st.put("elapsedMs", r.elapsedNanos() / 1e6);
                st.put("medianReadMs", r.medianReadNanos() / 1e6);
                st.put("updateAttempts", r.spinUpdateAttempts());
                List<Object> e = new ArrayList<>();
                for (double v : r.readEnergies()) {
                    e.add(v);
                }
                st.put("readEnergies", e);
                doc.put("solverStatistics", st);
            }
            doc.put("classical", solutionJson(classical));
            return doc;
        }

        private static Map<String, Object> solutionJson(PortfolioSolution s) {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Object> w = new ArrayList<>();
            for (double v : s.weights()) {
                w.add(v);
            }
            m.put("weights", w);
            m.put("holdings", s.holdings());
            m.put("expectedReturn", s.expectedReturn());
            m.put("variance", s.variance());
            m.put("objective", s.objective());
            m.put("feasible", s.feasible());
            m.put("elapsedMs", s.elapsedNanos() / 1e6);
            return m;
        }
    }
}
