package dev.nautilus.accel.cli;

import dev.nautilus.accel.affinity.Affinity;
import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.nativeaccess.Version;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nautilus bench jitter}: how quiet a CPU is, unpinned vs pinned vs pinned with SCHED_FIFO. */
@Command(name = "jitter", sortOptions = false, description = {
    "Measure scheduling jitter: a spinning thread records every gap between successive System.nanoTime() reads,"
            + " once per mode (unpinned, pinned, pinned+fifo), in one run.",
    "pinned+fifo needs CAP_SYS_NICE or RLIMIT_RTPRIO (it is skipped with the reason otherwise). Gaps are in nanoseconds."})
public final class JitterBenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = "How long each mode spins (default: ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(names = "--cpu", paramLabel = "N", defaultValue = "-1",
            description = "CPU for the pinned modes (default: the highest online CPU).")
    private int cpu;

    @Option(names = "--priority", paramLabel = "PRIO", defaultValue = "50",
            description = "SCHED_FIFO priority of the pinned+fifo mode, 1..99 (default: ${DEFAULT-VALUE}).")
    private int priority;

    @Option(names = "--modes", split = ",", paramLabel = "MODE", defaultValue = "unpinned,pinned,pinned+fifo",
            description = "Modes to run, comma-separated (default: ${DEFAULT-VALUE}).")
    private List<String> modes = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object; no progress.")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on standard error.")
    private boolean quiet;

    /** Creates the command (picocli does). */
    public JitterBenchCommand() {}

    /**
     * Runs each mode and prints the table (or JSON).
     *
     * @return {@value Nautilus#OK}
     */
    @Override
    public Integer call() throws InterruptedException {
        if (!(seconds > 0) || seconds > 3600) {
            throw usage("invalid --seconds " + seconds + ": it must be > 0 and at most 3600");
        }
        if (priority < 1 || priority > 99) {
            throw usage("invalid --priority " + priority + ": SCHED_FIFO priorities are 1..99");
        }
        List<JitterBench.Mode> ms = new ArrayList<>();
        for (String raw : modes) {
            String m = raw.strip().toLowerCase(Locale.ROOT);
            JitterBench.Mode mode = null;
            for (JitterBench.Mode x : JitterBench.Mode.values()) {
                if (x.label.equals(m)) {
                    mode = x;
                }
            }
            if (mode == null) {
                throw usage("unknown --modes value '" + raw + "': use unpinned, pinned, pinned+fifo");
            }
            if (!ms.contains(mode)) {
                ms.add(mode);
            }
        }
        Affinity.ensureAvailable();
        int c = cpu < 0 ? Affinity.onlineCpus().last() : cpu;
        if (!Affinity.onlineCpus().contains(c)) {
            throw usage("invalid --cpu " + cpu + ": CPU " + c + " is not online (online: " + Affinity.onlineCpus() + ")");
        }
        JitterBench bench = new JitterBench((long) (seconds * 1e9), c, priority);
        List<JitterBench.Result> results = bench.run(ms,
                new BusBench.Progress(json || quiet ? null : spec.commandLine().getErr()));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(toJson(results)));
        } else {
            print(out, results);
        }
        out.flush();
        return Nautilus.OK;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private void print(PrintWriter out, List<JitterBench.Result> results) {
        out.println("nautilus bench jitter: gaps between successive System.nanoTime() reads of a spinning thread, "
                + seconds + " s per mode");
        out.println("machine  " + Runtime.getRuntime().availableProcessors() + " CPUs (" + SystemInfo.cpu().model().orElse("unknown CPU") + "), "
                + Platform.id() + ", Java " + Runtime.version());
        Table t = new Table("MODE", "CPU", "SAMPLES", "P50 NS", "P99 NS", "P99.99 NS", "MAX NS", ">1US", ">10US", ">100US");
        for (int i = 1; i < 10; i++) {
            t.alignRight(i);
        }
        for (JitterBench.Result r : results) {
            Histogram h = r.histogram();
            if (h == null) {
                t.add(r.mode().label, "-", "skipped", "", "", "", "", "", "", "");
                continue;
            }
            t.add(r.mode().label, r.cpu() < 0 ? "any" : Integer.toString(r.cpu()), Long.toString(h.getTotalCount()),
                    Long.toString(h.getValueAtPercentile(50)), Long.toString(h.getValueAtPercentile(99)),
                    Long.toString(h.getValueAtPercentile(99.99)), Long.toString(h.getMaxValue()),
                    Long.toString(r.over(1_000)), Long.toString(r.over(10_000)), Long.toString(r.over(100_000)));
        }
        t.print(out);
        for (JitterBench.Result r : results) {
            if (r.skipped() != null) {
                out.println(r.mode().label + " skipped: " + r.skipped());
            }
        }
        ratio(results).ifPresent(s -> out.println(s));
        rtThrottling(results).ifPresent(out::println);
    }

    /** A FIFO thread that never sleeps is throttled by the kernel's real-time bandwidth limit: say so. */
    static java.util.Optional<String> rtThrottling(List<JitterBench.Result> results) {
        boolean fifo = results.stream().anyMatch(r -> r.mode() == JitterBench.Mode.PINNED_FIFO && r.histogram() != null);
        if (!fifo || !Platform.isLinux()) {
            return java.util.Optional.empty();
        }
        try {
            long runtime = Long.parseLong(java.nio.file.Files.readString(
                    java.nio.file.Path.of("/proc/sys/kernel/sched_rt_runtime_us")).strip());
            long period = Long.parseLong(java.nio.file.Files.readString(
                    java.nio.file.Path.of("/proc/sys/kernel/sched_rt_period_us")).strip());
            if (runtime < 0 || runtime >= period) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(String.format(Locale.ROOT, "note: real-time throttling is on (kernel.sched_rt_runtime_us=%d of"
                    + " sched_rt_period_us=%d): a SCHED_FIFO thread that never blocks is stopped for up to %.0f ms every %.0f ms,"
                    + " which shows in its max gap", runtime, period, (period - runtime) / 1000.0, period / 1000.0));
        } catch (java.io.IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private static java.util.Optional<String> ratio(List<JitterBench.Result> results) {
        Histogram unpinned = null;
        Histogram best = null;
        String bestLabel = null;
        for (JitterBench.Result r : results) {
            if (r.histogram() == null) {
                continue;
            }
            if (r.mode() == JitterBench.Mode.UNPINNED) {
                unpinned = r.histogram();
            } else {
                best = r.histogram();
                bestLabel = r.mode().label;
            }
        }
        if (unpinned == null || best == null) {
            return java.util.Optional.empty();
        }
        double ratio = unpinned.getValueAtPercentile(99.99) / (double) Math.max(1, best.getValueAtPercentile(99.99));
        return java.util.Optional.of(String.format(Locale.ROOT, "p99.99 unpinned / %s: %.2fx", bestLabel, ratio));
    }

    private Map<String, Object> toJson(List<JitterBench.Result> results) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", Version.get());
        doc.put("platform", Platform.id());
        doc.put("cpus", Runtime.getRuntime().availableProcessors());
        doc.put("java", Runtime.version().toString());
        doc.put("secondsPerMode", seconds);
        List<Object> rows = new ArrayList<>();
        for (JitterBench.Result r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("mode", r.mode().label);
            row.put("cpu", r.cpu());
            Histogram h = r.histogram();
            if (h == null) {
                row.put("skipped", r.skipped());
            } else {
                row.put("samples", h.getTotalCount());
                row.put("p50Ns", h.getValueAtPercentile(50));
                row.put("p99Ns", h.getValueAtPercentile(99));
                row.put("p9999Ns", h.getValueAtPercentile(99.99));
                row.put("maxNs", h.getMaxValue());
                row.put("over1us", r.over(1_000));
                row.put("over10us", r.over(10_000));
                row.put("over100us", r.over(100_000));
            }
            rows.add(row);
        }
        doc.put("modes", rows);
        ratio(results).ifPresent(s -> doc.put("ratio", s));
        rtThrottling(results).ifPresent(s -> doc.put("note", s));
        return doc;
    }
}
