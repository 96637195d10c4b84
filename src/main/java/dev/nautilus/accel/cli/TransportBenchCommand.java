package dev.nautilus.accel.cli;

import dev.nautilus.accel.affinity.Affinity;
import dev.nautilus.accel.affinity.CpuSet;
import dev.nautilus.accel.dpdk.Dpdk;
import dev.nautilus.accel.dpdk.DpdkMessageTransport;
import dev.nautilus.accel.dpdk.Eal;
import dev.nautilus.accel.dpdk.EalOptions;
import dev.nautilus.accel.dpdk.EthPort;
import dev.nautilus.accel.dpdk.Mempool;
import dev.nautilus.accel.dpdk.TransportFrame;
import dev.nautilus.accel.dpdk.TransportHandler;
import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.nativeaccess.Version;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nautilus bench transport}: round trips of the DPDK message transport between two processes over memif. */
@Command(name = "transport", sortOptions = false, description = {
    "Round trip of DpdkMessageTransport between this process (engine 1, memif server) and a child JVM (engine 2, memif"
            + " client) that echoes every message: one message in flight, busy polling both sides, HdrHistogram percentiles.",
    "EAL: --no-huge --no-pci --no-shconf -m 256 on both sides, each with its own file prefix and lcore.",
    "Compare with the C program native/build/<platform>/na_dpdk_pingpong (same frames over the same memif) and"
            + " with 'nautilus bench bus' (shared memory).",
    "--loopback N: one process instead, one frame echoed to itself on a net_ring0 vdev; the per-message cost of the"
            + " code (na_dpdk_pingpong --loopback N is its C counterpart)."})
public final class TransportBenchCommand implements Callable<Integer> {
    private static final int STALL_SECONDS = 10;

    @Spec
    private CommandSpec spec;

    @Option(names = "--round-trips", paramLabel = "N", defaultValue = "200000", description = "Recorded (default: ${DEFAULT-VALUE}).")
    private long roundTrips;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "50000", description = "Not recorded (default: ${DEFAULT-VALUE}).")
    private long warmup;

    @Option(names = "--one-way", paramLabel = "N", defaultValue = "2000000",
            description = "Messages sent one way as fast as possible after the round trips, for the rate (0: skip; default: ${DEFAULT-VALUE}).")
    private long oneWay;

    @Option(names = "--one-way-warmup", paramLabel = "N", defaultValue = "2000000",
            description = "One-way messages sent before the timed ones, so that the JIT has compiled the receive path"
                    + " (default: ${DEFAULT-VALUE}).")
    private long oneWayWarmup;

    @Option(names = "--loopback", paramLabel = "N",
            description = "Instead of two processes: one, echoing one frame to itself over net_ring0 (tx comes back on rx);"
                    + " N hops timed after --warmup hops; nanoseconds per hop (poll, the handler's offer, flush).")
    private long loopback;

    @Option(names = "--poll-spins", paramLabel = "N", defaultValue = "256",
            description = "Round trips and --loopback receive with DpdkMessageTransport.poll(handler, N): while nothing has"
                    + " arrived, up to N more receive attempts in C per call (0: one attempt per poll, the loop spinning in"
                    + " Java; at most " + DpdkMessageTransport.MAX_POLL_SPINS + "; default: ${DEFAULT-VALUE}). The one-way"
                    + " receiver polls without waiting, for larger bursts.")
    private int pollSpins;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "32",
            description = "Payload bytes, 16 to 1474 (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--cpus", paramLabel = "A,B", description = "This process's lcore and the child's (default: 0,1 when"
            + " there are two CPUs, else not pinned).")
    private String cpus;

    @Option(names = "--json", description = "Print one JSON object; no progress.")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on standard error.")
    private boolean quiet;

    /** Creates the command (picocli does). */
    public TransportBenchCommand() {}

    @Override
    public Integer call() throws Exception {
        if (roundTrips < 1 || roundTrips > 100_000_000 || warmup < 0 || warmup > 100_000_000) {
            throw usage("invalid --round-trips " + roundTrips + " or --warmup " + warmup + ": 1 to 10^8 and 0 to 10^8");
        }
        if (oneWay < 0 || oneWay > 10_000_000_000L || oneWayWarmup < 0 || oneWayWarmup > 10_000_000_000L) {
            throw usage("invalid --one-way " + oneWay + " or --one-way-warmup " + oneWayWarmup + ": 0 to 10^10 each");
        }
        if (size < 16 || size > TransportFrame.MAX_PAYLOAD) {
            throw usage("invalid --size " + size + ": payloads are 16 (a timestamp and a sequence number) to "
                    + TransportFrame.MAX_PAYLOAD + " bytes");
        }
        if (pollSpins < 0 || pollSpins > DpdkMessageTransport.MAX_POLL_SPINS) {
            throw usage("invalid --poll-spins " + pollSpins + ": 0 to " + DpdkMessageTransport.MAX_POLL_SPINS);
        }
        if (loopback != 0) {
            if (loopback < 1 || loopback > 10_000_000_000L) {
                throw usage("invalid --loopback " + loopback + ": 1 to 10^10 hops");
            }
            return loopback();
        }
        int cpuCount = Runtime.getRuntime().availableProcessors();
        int parentCpu = -1;
        int childCpu = -1;
        if (cpus != null) {
            String[] p = cpus.split(",");
            if (p.length != 2) {
                throw usage("invalid --cpus " + cpus + ": give two CPUs, e.g. 0,1");
            }
            try {
                parentCpu = Integer.parseInt(p[0].strip());
                childCpu = Integer.parseInt(p[1].strip());
            } catch (NumberFormatException e) {
                throw usage("invalid --cpus " + cpus + ": give two CPU numbers, e.g. 0,1");
            }
        } else if (cpuCount >= 2 && Affinity.isAvailable()) {
            parentCpu = 0;
            childCpu = 1;
        }
        Dpdk.ensureAvailable();
        String socket = Path.of(System.getProperty("java.io.tmpdir"), "nautilus-transport-" + ProcessHandle.current().pid()
                + ".sock").toString();
        Eal eal = Eal.init(TransportBenchChild.memifOptions("server", socket, parentCpu, 0));
        eal.registerCurrentThread();
        Mempool pool = Mempool.create(eal, "ping", 8191);
        EthPort port = EthPort.byName(eal, "net_memif0");
        port.startSingleQueue(pool, 1024);
        long total = warmup + roundTrips;
        Process child = startChild(socket, total, childCpu);
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        StringBuilder childOut = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (childOut) {
                        childOut.append(l).append('\n');
                    }
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // the child exited
            }
        }, "transport-bench-child-output");
        reader.setDaemon(true);
        reader.start();
        Histogram h;
        double[] rate;
        DpdkMessageTransport t = null;
        try {
            for (String l = ""; !l.equals("ready"); ) {
                l = lines.poll(60, TimeUnit.SECONDS);
                if (l == null || l.startsWith("failed")) {
                    throw new CommandFailedException("the echo child did not get its memif link up: " + output(childOut));
                }
            }
            if (!port.awaitLinkUp(java.time.Duration.ofSeconds(30))) {
                throw new CommandFailedException("the memif link of this side did not come up in 30 s");
            }
            Thread.sleep(200); // both ends settle before the first frame
            if (parentCpu >= 0) {
                Affinity.pinCurrentThread(CpuSet.of(parentCpu));
            }
            t = DpdkMessageTransport.open(port, pool, 1);
            h = measure(t, child, childOut, total);
            rate = oneWay > 0 ? oneWay(t, child, lines, childOut) : null;
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                throw new CommandFailedException("the echo child did not exit after the run: " + output(childOut));
            }
        } finally {
            if (t != null) {
                t.close();
            }
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
            port.close();
            Files.deleteIfExists(Path.of(socket));
        }
        print(eal, h, t, parentCpu, childCpu, cpuCount, rate);
        return Nautilus.OK;
    }

    /** {@code --loopback}: one process, engine 1 echoing one frame to itself on net_ring0. */
    private int loopback() throws Exception {
        int cpu = -1;
        if (cpus != null) {
            try {
                cpu = Integer.parseInt(cpus.split(",")[0].strip());
            } catch (NumberFormatException e) {
                throw usage("invalid --cpus " + cpus + ": give a CPU number, e.g. 0");
            }
        } else if (Affinity.isAvailable()) {
            cpu = 0;
        }
        Dpdk.ensureAvailable();
        EalOptions options = EalOptions.virtualDevices("net_ring0")
                .withFilePrefix("na-tp-loopback-" + ProcessHandle.current().pid());
        Eal eal = Eal.init(cpu >= 0 ? options.withCores(String.valueOf(cpu)) : options);
        EthPort port = EthPort.byName(eal, "net_ring0");
        Mempool pool = TransportBenchChild.start(eal, cpu, "loopback", port);
        long[] hops = {0};
        long nanos;
        DpdkMessageTransport t = DpdkMessageTransport.open(port, pool, 1);
        try (Arena arena = Arena.ofConfined()) {
            TransportHandler echo = (source, priority, type, buf, off, len) -> {
                while (!t.offer(source, priority, type, buf, off, len)) {
                    t.flush();
                }
                hops[0]++;
            };
            if (!t.offer(1, TransportFrame.PRIORITY_NORMAL, 1, arena.allocate(size, 8))) {
                throw new CommandFailedException("the transport refused the first message (mempool empty?)");
            }
            t.flush();
            hop(t, echo, hops, warmup, pollSpins);
            long start = System.nanoTime();
            hop(t, echo, hops, warmup + loopback, pollSpins);
            nanos = System.nanoTime() - start;
            for (int i = 0; i < 1000 && t.poll((source, priority, type, buf, off, len) -> { }) == 0; i++) {
                Thread.onSpinWait(); // the last echo, back in the ring: freed so that the pool ends empty
            }
        } finally {
            t.close();
            port.close();
        }
        double perHop = (double) nanos / loopback;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> doc = jsonHeader("dpdk-transport-loopback", eal);
            doc.put("cpu", cpu);
            doc.put("hops", loopback);
            doc.put("warmupHops", warmup);
            doc.put("nsPerHop", Math.round(perHop * 100) / 100.0);
            doc.put("lost", t.lost());
            doc.put("dropped", t.dropped());
            out.println(Json.write(doc));
        } else {
            out.printf(Locale.ROOT, "nautilus bench transport --loopback: DpdkMessageTransport, engine 1 echoing one frame to"
                    + " itself on net_ring0%s, %d-byte payloads%n", cpu >= 0 ? " (CPU " + cpu + ")" : "", size);
            out.println("EAL      " + eal.options());
            out.printf(Locale.ROOT, "%d hops after %d not timed: %.2f ns per hop (poll, offer of the echo, flush), %d lost%n",
                    loopback, warmup, perHop, t.lost());
        }
        out.flush();
        return Nautilus.OK;
    }

    /**
     * Polls and flushes until {@code hops[0]} reaches {@code until}: a method of its own, called
     * twice, so that the timed part runs code compiled as a method (after the warm-up) rather than
     * on-stack-replacement style. Gives up after 10 s without a hop (the frame was lost).
     */
    private static void hop(DpdkMessageTransport t, TransportHandler echo, long[] hops, long until, int pollSpins) {
        long spins = 0;
        long seen = hops[0];
        long since = System.nanoTime();
        while (hops[0] < until) {
            if (t.poll(echo, pollSpins) == 0 && (++spins & 0xFFFF) == 0) {
                long now = System.nanoTime();
                if (hops[0] != seen) {
                    seen = hops[0];
                    since = now;
                } else if (now - since > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
                    throw new CommandFailedException("the looped frame did not come back for " + STALL_SECONDS + " s after "
                            + hops[0] + " hops (lost " + t.lost() + ", dropped " + t.dropped() + ")");
                }
            }
            if (t.pending() > 0) {
                t.flush();
            }
        }
    }

    private Histogram measure(DpdkMessageTransport t, Process child, StringBuilder childOut, long total) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        BusBench.Progress progress = new BusBench.Progress(json || quiet ? null : spec.commandLine().getErr());
        progress.start("round trips", total);
        long[] reply = new long[2];
        // one handler for the whole run: a lambda made inside the polling loop would be allocated on every poll
        TransportHandler onReply = (source, priority, type, buf, off, len) -> {
            reply[0] = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off);
            reply[1] = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off + 8);
        };
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment payload = arena.allocate(size, 8);
            for (long n = 0; n < total; n++) {
                long t0 = System.nanoTime();
                payload.set(ValueLayout.JAVA_LONG, 0, t0);
                payload.set(ValueLayout.JAVA_LONG, 8, n);
                reply[1] = -1;
                if (!t.offer(2, TransportFrame.PRIORITY_CRITICAL, 1, payload)) {
                    throw new CommandFailedException("the transport refused a message (mempool empty?)");
                }
                while (t.pending() > 0) {
                    t.flush();
                }
                for (long spins = 0; reply[1] != n; spins++) {
                    t.poll(onReply, pollSpins);
                    if ((spins & 0xFFFF) == 0xFFFF && System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
                        throw new CommandFailedException("no echo of round trip " + n + " for " + STALL_SECONDS + " s (lost "
                                + t.lost() + ")" + (child.isAlive() ? "" : "; the child exited") + ": " + output(childOut));
                    }
                }
                long rtt = System.nanoTime() - reply[0];
                if (n >= warmup) {
                    h.recordValue(Math.min(rtt, h.getHighestTrackableValue()));
                }
                if ((n & 1023) == 0) {
                    progress.update(n);
                }
            }
        }
        progress.end();
        return h;
    }

    /**
     * Sends {@code oneWay} messages as fast as the port takes them; the child times them.
     *
     * @return messages, nanoseconds between the child's first and last arrival, frames it counted as lost
     */
    private double[] oneWay(DpdkMessageTransport t, Process child, LinkedBlockingQueue<String> lines, StringBuilder childOut)
            throws InterruptedException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment payload = arena.allocate(size, 8);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STALL_SECONDS * 6);
            for (long n = 0, all = oneWayWarmup + oneWay; n < all; ) {
                payload.set(ValueLayout.JAVA_LONG, 8, n);
                if (t.offer(2, TransportFrame.PRIORITY_NORMAL, 2, payload)) {
                    n++;
                } else {
                    t.flush();
                    if (System.nanoTime() > deadline) {
                        throw new CommandFailedException("one-way sending stalled after " + n + " messages: " + output(childOut));
                    }
                }
            }
            while (t.pending() > 0) {
                t.flush();
            }
        }
        for (String l; ; ) {
            l = lines.poll(60, TimeUnit.SECONDS);
            if (l == null || l.startsWith("failed")) {
                throw new CommandFailedException("the child did not report the one-way run: " + output(childOut));
            }
            if (l.startsWith("sink ")) {
                String[] f = l.split(" ");
                return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[4])};
            }
        }
    }

    private Process startChild(String socket, long total, int childCpu) throws IOException {
        List<String> cmd = JavaCommand.of(List.of(), TransportBenchChild.class, List.of(socket, String.valueOf(total),
                String.valueOf(childCpu), String.valueOf(ProcessHandle.current().pid()), String.valueOf(oneWay), "0",
                String.valueOf(oneWayWarmup), String.valueOf(pollSpins)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        return p;
    }

    private static String output(StringBuilder b) {
        synchronized (b) {
            String s = b.toString().strip();
            return s.length() > 2000 ? "..." + s.substring(s.length() - 2000) : s;
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private void print(Eal eal, Histogram h, DpdkMessageTransport t, int parentCpu, int childCpu, int cpuCount, double[] rate) {
        PrintWriter out = spec.commandLine().getOut();
        double p50 = h.getValueAtPercentile(50) / 1000.0;
        if (json) {
            Map<String, Object> doc = jsonHeader("dpdk-transport-round-trip", eal);
            doc.put("parentCpu", parentCpu);
            doc.put("childCpu", childCpu);
            doc.put("roundTrips", h.getTotalCount());
            doc.put("p50Us", p50);
            doc.put("p90Us", h.getValueAtPercentile(90) / 1000.0);
            doc.put("p99Us", h.getValueAtPercentile(99) / 1000.0);
            doc.put("p999Us", h.getValueAtPercentile(99.9) / 1000.0);
            doc.put("maxUs", h.getMaxValue() / 1000.0);
            doc.put("meanUs", Math.round(h.getMean()) / 1000.0);
            doc.put("lost", t.lost());
            if (rate != null) {
                doc.put("oneWayMessages", (long) rate[0]);
                doc.put("oneWayWarmupMessages", oneWayWarmup);
                doc.put("oneWayMpps", Math.round(rate[0] * 1e6 / rate[1]) / 1000.0);
                doc.put("oneWayLost", (long) rate[2]);
            }
            out.println(Json.write(doc));
        } else {
            out.println("nautilus bench transport: DpdkMessageTransport round trip, this process (engine 1, memif server"
                    + (parentCpu >= 0 ? ", CPU " + parentCpu : "") + ") <-> child JVM (engine 2, memif client"
                    + (childCpu >= 0 ? ", CPU " + childCpu : "") + "), " + size + "-byte payloads, one in flight, busy polling"
                    + " (poll spins " + pollSpins + ")");
            out.println("EAL      " + eal.options());
            out.println("machine  " + cpuCount + " CPUs available, " + Platform.id()
                    + ", Java " + Runtime.version() + ", " + Dpdk.version());
            Table tab = new Table("ROUND TRIPS", "P50 US", "P90 US", "P99 US", "P99.9 US", "MAX US", "MEAN US", "LOST");
            for (int i = 0; i < 8; i++) {
                tab.alignRight(i);
            }
            tab.add(Long.toString(h.getTotalCount()), fmt(h.getValueAtPercentile(50)), fmt(h.getValueAtPercentile(90)),
                    fmt(h.getValueAtPercentile(99)), fmt(h.getValueAtPercentile(99.9)), fmt(h.getMaxValue()),
                    String.format(Locale.ROOT, "%.2f", h.getMean() / 1000.0), Long.toString(t.lost()));
            tab.print(out);
            if (rate != null) {
                out.printf(Locale.ROOT, "one way: %d messages of %d bytes (after %d not timed) in %.3f s at the child:"
                        + " %.2f M messages/s, %d lost%n",
                        (long) rate[0], size, oneWayWarmup, rate[1] / 1e9, rate[0] * 1e3 / rate[1], (long) rate[2]);
            }
        }
        out.flush();
    }

    /** @return a JSON document's first fields: the benchmark's name, versions, platform, EAL arguments, payload size */
    private Map<String, Object> jsonHeader(String benchmark, Eal eal) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", benchmark);
        doc.put("version", Version.get());
        doc.put("platform", Platform.id());
        doc.put("java", Runtime.version().toString());
        doc.put("dpdk", Dpdk.version());
        doc.put("eal", eal.options().toArgs());
        doc.put("payloadBytes", size);
        doc.put("pollSpins", pollSpins);
        return doc;
    }

    private static String fmt(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1000.0);
    }
}
