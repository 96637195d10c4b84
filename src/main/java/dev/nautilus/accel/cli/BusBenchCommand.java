package dev.nautilus.accel.cli;

import dev.nautilus.accel.affinity.Affinity;
import dev.nautilus.accel.affinity.CpuSet;
import dev.nautilus.accel.bus.RingVariant;
import dev.nautilus.accel.bus.WaitStrategy;
import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.nativeaccess.Version;
import dev.nautilus.accel.shm.SharedMemory;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * {@code nautilus bench bus}: measures the message bus between two processes on this machine,
 * this one and a child JVM it starts ({@link BusBenchChild}).
 * <ul>
 *   <li><b>Round trip latency</b>: this process publishes a message holding its send time on a
 *       one-to-one channel {@code ping}; the child echoes it on {@code pong}; every round trip after
 *       the warm-up goes into an HdrHistogram (ns, 3 significant digits). Per message size and wait
 *       strategy (both processes use the same one).</li>
 *   <li><b>Baseline</b>: a bare cache-line ping-pong between the same two processes (one long each
 *       way in its own 128-byte block of a shared memory segment, spinning on getAcquire, answering
 *       with setRelease), with the same statistics: the floor any shared-memory transport has on
 *       this machine. Each bus row shows its median as a multiple of the baseline's.</li>
 *   <li><b>One-way throughput</b>: the child publishes messages as fast as it can, this process
 *       subscribes and counts (checking every sequence number); messages and payload megabytes
 *       per second.</li>
 * </ul>
 *
 * <p>The benchmark threads are pinned to two different CPUs by default (--cpus, --no-pin); the output says so. The
 * benchmark's bus namespace {@code /nautilus-bench-<pid>} and the child are removed and reaped
 * when it ends, fails or is interrupted (Ctrl-C); the child also exits by itself when this
 * process dies.
 */
@Command(name = "bus", sortOptions = false, description = {
    "Measure the message bus between this process and a child JVM: round trip latency (ping-pong) per message size"
            + " and wait strategy against a bare cache-line ping-pong baseline, and one-way throughput.",
    "The two benchmark threads are pinned to two CPUs unless --no-pin. Sizes are payload bytes. Latencies are in microseconds."})
public final class BusBenchCommand implements Callable<Integer> {
    /** Strategy names, as --strategy takes them. */
    static final List<String> STRATEGIES = List.of("busy-spin", "yield", "sleep");
    private static final int SLEEP_YIELDS = 100;
    private static final Duration SLEEP_MAX = Duration.ofMillis(100);

    @Spec
    private CommandSpec spec;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES", defaultValue = "32,256",
            description = "Payload sizes in bytes, comma-separated, each 16 (send time and sequence number) to the lane's"
                    + " largest message (default: ${DEFAULT-VALUE}).")
    private List<Integer> sizes = new ArrayList<>();

    @Option(names = "--strategy", split = ",", paramLabel = "NAME", defaultValue = "busy-spin",
            description = "Wait strategies, comma-separated: busy-spin, yield (spin, then Thread.yield), sleep (spin, yield,"
                    + " then sleep on the channel's futex word); both processes use it (default: ${DEFAULT-VALUE}).")
    private List<String> strategies = new ArrayList<>();

    @Option(names = "--lanes", split = ",", paramLabel = "WHICH", defaultValue = "one,all",
            description = "Lanes the ping-pong subscribers read, comma-separated, in the order the rows run: one (only"
                    + " the lane the messages use) or all (every lane, in priority order); one row each. Rows share the"
                    + " two JVMs, and a row measured after the other mode runs with the JIT's code for both (measured:"
                    + " one lane 1.16-1.19x the baseline alone or first, 1.47-1.50x after all) (default: ${DEFAULT-VALUE}).")
    private List<String> lanes = new ArrayList<>();

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "200000",
            description = "Round trips run before recording, per row (default: ${DEFAULT-VALUE}).")
    private long warmup;

    @Option(names = "--round-trips", paramLabel = "N", defaultValue = "1000000",
            description = "Round trips recorded per row (default: ${DEFAULT-VALUE}).")
    private long roundTrips;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "10000000",
            description = "One-way messages at 32 bytes and below; larger sizes send N * 32 / size (default: ${DEFAULT-VALUE}).")
    private long messages;

    @Option(names = "--variant", paramLabel = "VARIANT", defaultValue = "one-to-one",
            description = "Variant of the throughput channel: one-to-one or many-to-one (default: ${DEFAULT-VALUE}).")
    private String variant;

    @Option(names = "--spins", paramLabel = "N", defaultValue = "10000",
            description = "Empty polls spent spinning before the yield and sleep strategies yield (default: ${DEFAULT-VALUE}).")
    private int spins;

    @Option(names = "--cpus", split = ",", paramLabel = "PARENT,CHILD",
            description = "Pin this process's benchmark thread and the child's to these two CPUs (default: the two highest"
                    + " online CPUs when there are at least two).")
    private List<Integer> cpus = new ArrayList<>();

    @Option(names = "--no-pin", description = "Do not pin either process (the OS may move or preempt them).")
    private boolean noPin;

    @Option(names = "--json", description = "Print one JSON object with every result and the machine's facts; no progress.")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on standard error.")
    private boolean quiet;

    /** Creates the command (picocli does). */
    public BusBenchCommand() {}

    /**
     * Runs the benchmark and prints the results.
     *
     * @return {@value Nautilus#OK}
     * @throws ParameterException for a size below 16 or above the lane's largest message, an
     *     unknown strategy or variant, or a count out of range (exit {@value Nautilus#USAGE})
     * @throws CommandFailedException when the child process fails or stops answering, or the bus
     *     loses a message (exit {@value Nautilus#FAILURE})
     */
    @Override
    public Integer call() {
        BusBench.Settings settings = settings();
        SharedMemory.ensureAvailable();
        BusBench.Results results;
        String namespace;
        try (BusBench bench = new BusBench(settings, new BusBench.Progress(json || quiet ? null : spec.commandLine().getErr()))) {
            namespace = bench.namespace();
            results = bench.run();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(toJson(settings, namespace, results)));
        } else {
            print(out, settings, namespace, results);
        }
        out.flush();
        return Nautilus.OK;
    }

    private BusBench.Settings settings() {
        LinkedHashSet<Integer> sz = new LinkedHashSet<>();
        for (int s : sizes) {
            if (s < BusBench.MIN_SIZE) {
                throw usage("invalid --sizes value " + s + ": a message needs at least " + BusBench.MIN_SIZE
                        + " bytes (its send time and sequence number)");
            }
            if (s > BusBench.maxPayload()) {
                throw usage("invalid --sizes value " + s + ": the benchmark's ping-pong lane (" + BusBench.LANE + ", "
                        + Sizes.human(BusBench.PING_PONG_LANE_CAPACITY) + ") takes messages of at most " + BusBench.maxPayload()
                        + " bytes");
            }
            sz.add(s);
        }
        if (sz.isEmpty()) {
            throw usage("--sizes needs at least one size");
        }
        if (spins < 0) {
            throw usage("invalid --spins " + spins + ": it must be 0 or more");
        }
        List<BusBench.Strategy> st = new ArrayList<>();
        for (String raw : new LinkedHashSet<>(strategies)) {
            String name = raw.strip().toLowerCase(Locale.ROOT);
            WaitStrategy w = switch (name) {
                case "busy-spin" -> WaitStrategy.busySpin();
                case "yield" -> WaitStrategy.spinThenYield(spins);
                case "sleep" -> WaitStrategy.spinThenSleep(spins, SLEEP_YIELDS, SLEEP_MAX);
                default -> throw usage("unknown --strategy '" + raw + "': use " + String.join(", ", STRATEGIES));
            };
            if (st.stream().noneMatch(x -> x.name().equals(name))) {
                st.add(new BusBench.Strategy(name, w));
            }
        }
        List<BusBench.Reading> readings = new ArrayList<>();
        for (String raw : lanes) {
            BusBench.Reading r = BusBench.Reading.of(raw.strip().toLowerCase(Locale.ROOT));
            if (r == null) {
                throw usage("unknown --lanes '" + raw + "': use all, one, or all,one");
            }
            if (!readings.contains(r)) {
                readings.add(r);
            }
        }
        if (readings.isEmpty()) {
            throw usage("--lanes needs all, one, or both");
        }
        RingVariant v = switch (variant.strip().toLowerCase(Locale.ROOT)) {
            case "one-to-one" -> RingVariant.ONE_TO_ONE;
            case "many-to-one" -> RingVariant.MANY_TO_ONE;
            default -> throw usage("unknown --variant '" + variant + "': use one-to-one or many-to-one");
        };
        if (warmup < 0) {
            throw usage("invalid --warmup " + warmup + ": it must be 0 or more");
        }
        if (roundTrips < 1) {
            throw usage("invalid --round-trips " + roundTrips + ": it must be 1 or more");
        }
        if (messages < 1) {
            throw usage("invalid --messages " + messages + ": it must be 1 or more");
        }
        int parentCpu = -1;
        int childCpu = -1;
        if (noPin && !cpus.isEmpty()) {
            throw usage("--cpus and --no-pin exclude each other");
        }
        if (!noPin) {
            CpuSet online = Affinity.canPin() ? Affinity.onlineCpus() : CpuSet.EMPTY;
            if (!cpus.isEmpty()) {
                if (cpus.size() != 2 || cpus.get(0).equals(cpus.get(1))) {
                    throw usage("invalid --cpus " + cpus + ": give two different CPUs, this process's and the child's (e.g. 0,1)");
                }
                if (!Affinity.canPin()) {
                    throw usage("--cpus needs CPU pinning, which this platform or JVM does not offer: "
                            + Affinity.unavailabilityCause().map(Exception::getMessage).orElse(Platform.id()));
                }
                for (int c : cpus) {
                    if (!online.contains(c)) {
                        throw usage("invalid --cpus: CPU " + c + " is not online (online: " + online + ")");
                    }
                }
                parentCpu = cpus.get(0);
                childCpu = cpus.get(1);
            } else if (online.size() >= 2) {
                int[] all = online.toArray();
                parentCpu = all[all.length - 2];
                childCpu = all[all.length - 1];
            }
        }
        return new BusBench.Settings(List.copyOf(sz), List.copyOf(st), List.copyOf(readings), warmup, roundTrips, messages, v, parentCpu, childCpu);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    // ---------------------------------------------------------------- text

    private static void print(PrintWriter out, BusBench.Settings s, String namespace, BusBench.Results r) {
        out.println("nautilus bench bus: the message bus between this process (pid " + ProcessHandle.current().pid()
                + ") and a child JVM (pid " + r.childPid() + ")");
        row(out, "machine", Runtime.getRuntime().availableProcessors() + " CPUs available"
                + SystemInfo.cpu().model().map(m -> " (" + m + ")").orElse("") + ", " + Platform.id() + ", Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        row(out, "threads", s.pinned() ? "pinned: this process's benchmark thread to CPU " + s.parentCpu()
                + ", the child's to CPU " + s.childCpu() + " (other threads, JIT and GC, are not)"
                : "NOT pinned to CPUs (--no-pin, or fewer than 2 CPUs): the OS may move or preempt either process, which"
                + " shows in the tail");
        row(out, "run", "warm-up " + s.warmup() + " round trips (not recorded), then " + s.roundTrips()
                + " recorded per row; lane " + BusBench.LANE + " of " + Sizes.human(BusBench.PING_PONG_LANE_CAPACITY)
                + " (ping-pong) and " + Sizes.human(BusBench.LANE_CAPACITY) + " (throughput); namespace " + namespace + " (removed)");
        List<String> strategyText = new ArrayList<>();
        for (BusBench.Strategy st : s.strategies()) {
            strategyText.add(st.name() + " = " + st.strategy());
        }
        row(out, "strategies", String.join("; ", strategyText));

        out.println();
        out.println("Round trip latency, microseconds (this process publishes on ping, the child echoes on pong;"
                + " one-to-one channels)");
        Table t = new Table("TEST", "SIZE", "STRATEGY", "LANES READ", "ROUND TRIPS", "P50", "P90", "P99", "P99.9", "MAX", "MEAN",
                "P50 VS BASELINE");
        for (int c = 1; c < 12; c++) {
            if (c != 2 && c != 3) {
                t.alignRight(c);
            }
        }
        latencyRow(t, "baseline", "-", "busy-spin", "-", r.baseline(), r.baseline());
        for (BusBench.PingPong p : r.pingPongs()) {
            latencyRow(t, "bus ping-pong", p.size() + " B", p.strategy().name(), p.reading().label, p.latency(), r.baseline());
        }
        t.print(out);
        out.println("baseline: a bare cache-line ping-pong between the same two processes (one long each way in its own"
                + " 128-byte block, getAcquire spin, setRelease answer), no bus; lanes read: all = both subscribers read"
                + " every lane in priority order, one = only lane " + BusBench.LANE + " (Channel.subscribe(strategy, lanes))");

        out.println();
        out.println("One-way throughput (the child publishes as fast as it can on a " + s.variant()
                + " channel, this process subscribes and checks every sequence number)");
        Table tp = new Table("SIZE", "STRATEGY", "MESSAGES", "SECONDS", "MSG/S", "MB/S")
                .alignRight(0).alignRight(2).alignRight(3).alignRight(4).alignRight(5);
        for (BusBench.Throughput x : r.throughputs()) {
            tp.add(x.size() + " B", x.strategy().name(), String.valueOf(x.messages()),
                    String.format(Locale.ROOT, "%.3f", x.nanos() / 1e9),
                    String.format(Locale.ROOT, "%,.0f", x.messagesPerSecond()),
                    String.format(Locale.ROOT, "%,.1f", x.megabytesPerSecond()));
        }
        tp.print(out);
        out.println("MB/s: payload bytes, 10^6 per second; the subscriber's strategy is the one named");
    }

    private static void latencyRow(Table t, String test, String size, String strategy, String lanesRead, BusBench.Latency l,
                                   BusBench.Latency baseline) {
        t.add(test, size, strategy, lanesRead, String.valueOf(l.count()), us(l.p50()), us(l.p90()), us(l.p99()), us(l.p999()),
                us(l.max()), us(l.mean()), String.format(Locale.ROOT, "%.2fx", ratio(l, baseline)));
    }

    private static double ratio(BusBench.Latency l, BusBench.Latency baseline) {
        return baseline.p50() > 0 ? l.p50() / baseline.p50() : Double.NaN;
    }

    private static String us(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static void row(PrintWriter out, String label, String value) {
        out.println(label + " ".repeat(Math.max(1, 12 - label.length())) + value);
    }

    // ---------------------------------------------------------------- JSON

    private static Map<String, Object> toJson(BusBench.Settings s, String namespace, BusBench.Results r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("benchmark", "bus");
        root.put("version", Version.get());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", SystemInfo.cpu().model().orElse(null));
        m.put("platform", Platform.id());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("javaVersion", System.getProperty("java.version"));
        m.put("javaVendor", System.getProperty("java.vendor"));
        m.put("vm", System.getProperty("java.vm.name"));
        root.put("machine", m);
        root.put("pinned", s.pinned());
        root.put("parentCpu", s.pinned() ? s.parentCpu() : null);
        root.put("childCpu", s.pinned() ? s.childCpu() : null);
        root.put("namespace", namespace);
        root.put("parentPid", ProcessHandle.current().pid());
        root.put("childPid", r.childPid());
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("sizes", new ArrayList<Object>(s.sizes()));
        List<Object> strategies = new ArrayList<>();
        for (BusBench.Strategy st : s.strategies()) {
            strategies.add(st.name());
        }
        set.put("strategies", strategies);
        set.put("warmup", s.warmup());
        set.put("roundTrips", s.roundTrips());
        set.put("messages", s.messages());
        set.put("variant", s.variant().name());
        set.put("lane", BusBench.LANE.name());
        set.put("laneCapacity", BusBench.LANE_CAPACITY);
        set.put("pingPongLaneCapacity", BusBench.PING_PONG_LANE_CAPACITY);
        set.put("maxPayload", BusBench.maxPayload());
        root.put("settings", set);
        root.put("latencyUnit", "us");
        root.put("baseline", latencyJson(r.baseline(), r.baseline()));
        List<Object> pp = new ArrayList<>();
        for (BusBench.PingPong p : r.pingPongs()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("size", p.size());
            e.put("strategy", p.strategy().name());
            e.put("waitStrategy", p.strategy().strategy().toString());
            e.put("lanesRead", p.reading().label);
            e.putAll(latencyJson(p.latency(), r.baseline()));
            pp.add(e);
        }
        root.put("pingPong", pp);
        List<Object> tp = new ArrayList<>();
        for (BusBench.Throughput x : r.throughputs()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("size", x.size());
            e.put("strategy", x.strategy().name());
            e.put("waitStrategy", x.strategy().strategy().toString());
            e.put("variant", s.variant().name());
            e.put("messages", x.messages());
            e.put("seconds", x.nanos() / 1e9);
            e.put("messagesPerSecond", x.messagesPerSecond());
            e.put("megabytesPerSecond", x.megabytesPerSecond());
            tp.add(e);
        }
        root.put("throughput", tp);
        return root;
    }

    private static Map<String, Object> latencyJson(BusBench.Latency l, BusBench.Latency baseline) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("roundTrips", l.count());
        m.put("p50", l.p50());
        m.put("p90", l.p90());
        m.put("p99", l.p99());
        m.put("p999", l.p999());
        m.put("max", l.max());
        m.put("mean", l.mean());
        m.put("p50VsBaseline", ratio(l, baseline));
        return m;
    }
}
