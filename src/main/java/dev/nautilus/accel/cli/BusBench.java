package dev.nautilus.accel.cli;

import static dev.nautilus.accel.cli.BusBenchControl.INT;
import static dev.nautilus.accel.cli.BusBenchControl.LONG;

import dev.nautilus.accel.bus.Channel;
import dev.nautilus.accel.bus.ChannelConfig;
import dev.nautilus.accel.bus.Lane;
import dev.nautilus.accel.bus.MessageBus;
import dev.nautilus.accel.bus.MessageHandler;
import dev.nautilus.accel.bus.Publisher;
import dev.nautilus.accel.bus.RingDescriptor;
import dev.nautilus.accel.affinity.Affinity;
import dev.nautilus.accel.affinity.CpuSet;
import dev.nautilus.accel.bus.RingVariant;
import dev.nautilus.accel.bus.Subscriber;
import dev.nautilus.accel.bus.WaitStrategy;
import dev.nautilus.accel.shm.SharedMemory;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Runs the {@code nautilus bench bus} measurements between this process and one child JVM
 * ({@link BusBenchChild}): a bare cache-line ping-pong baseline, bus ping-pong round trips and
 * one-way bus throughput.
 *
 * <p>It owns a bus namespace ({@code /nautilus-bench-<pid>}) with three channels ({@value #PING}
 * and {@value #PONG}, one-to-one, and {@value #THROUGHPUT}) and a control segment
 * ({@link BusBenchControl}), and the child process. {@link #close()} removes them all and reaps the
 * child; a shutdown hook does the same when the JVM is stopped (Ctrl-C, SIGTERM) mid-run.
 * Not thread-safe: one thread runs the benchmark.
 */
final class BusBench implements AutoCloseable {
    /** Channel the parent publishes round-trip messages on. */
    static final String PING = "ping";
    /** Channel the child echoes them on. */
    static final String PONG = "pong";
    /** Channel of the one-way throughput test. */
    static final String THROUGHPUT = "throughput";
    /** The lane every message travels on. */
    static final Lane LANE = Lane.NORMAL;
    /** Data capacity of that lane: 1 MiB. */
    static final long LANE_CAPACITY = 1L << 20;
    /**
     * Lane of the ping-pong channels: 64 KiB, as in the cross-process comparison with Agrona. One
     * message in flight walks the whole ring, so a 1 MiB ring (2 MiB for ping and pong) does not
     * stay in the L2 cache and every message pays misses that the bus itself does not cause.
     */
    static final long PING_PONG_LANE_CAPACITY = 1L << 16;
    /** Smallest message: the send time and the sequence number. */
    static final int MIN_SIZE = 16;

    /** Longest time without progress (no echo, no message) before the child is declared stuck. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Longest wait for the child JVM to start and open the bus. */
    private static final long START_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long one receive waits before the parent checks on the child. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Round trips longer than this are recorded as this (histogram range). */
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final AtomicInteger RUNS = new AtomicInteger();

    /**
     * What to run.
     *
     * @param sizes payload sizes in bytes, each {@value #MIN_SIZE} to {@link #maxPayload()}
     * @param strategies wait strategies, each used by both processes
     * @param warmup round trips run first and not recorded; the throughput test likewise sends
     *     this many messages (scaled by size, as {@code messages}) before the timed run
     * @param roundTrips recorded round trips per size and strategy
     * @param messages one-way messages for sizes up to 32 bytes; larger sizes send
     *     {@code messages * 32 / size} (at least 1)
     * @param variant variant of the throughput channel
     */
    record Settings(List<Integer> sizes, List<Strategy> strategies, List<Reading> readings, long warmup, long roundTrips,
                    long messages, RingVariant variant, int parentCpu, int childCpu) {
        /** @return whether both processes' benchmark threads are pinned */
        boolean pinned() {
            return parentCpu >= 0 && childCpu >= 0;
        }

        /**
         * @param size a payload size
         * @return how many messages the throughput test times at that size
         */
        long messagesFor(int size) {
            return Math.max(1, scaled(messages, size));
        }

        /**
         * @param n a message count for 32-byte messages
         * @param size a payload size
         * @return {@code n} for sizes up to 32 bytes, else {@code n * 32 / size}: about the same bytes
         */
        long scaled(long n, int size) {
            return size <= 32 ? n : (long) ((double) n * 32 / size);
        }
    }

    /**
     * A named wait strategy.
     *
     * @param name {@code busy-spin}, {@code yield} or {@code sleep}
     * @param strategy what both sides use
     */
    record Strategy(String name, WaitStrategy strategy) {}

    /** Which lanes the ping-pong subscribers read (the messages always travel on {@link #LANE}). */
    enum Reading {
        /** Every lane, in priority order: {@link Channel#subscribe(WaitStrategy)}. */
        ALL("all"),
        /** Only {@link #LANE}: {@link Channel#subscribe(WaitStrategy, Set)}. */
        ONE("one");

        final String label;

        Reading(String label) {
            this.label = label;
        }

        /** @return the lanes a subscriber reads */
        Set<Lane> lanes() {
            return this == ALL ? EnumSet.allOf(Lane.class) : EnumSet.of(LANE);
        }

        /** @return its code in the control segment */
        int code() {
            return ordinal();
        }

        /**
         * @param label {@code all} or {@code one}
         * @return the reading, or null when unknown
         */
        static Reading of(String label) {
            for (Reading r : values()) {
                if (r.label.equals(label)) {
                    return r;
                }
            }
            return null;
        }
    }

    /**
     * Latency statistics in microseconds.
     *
     * @param count recorded round trips
     * @param p50 median
     * @param p90 90th percentile
     * @param p99 99th percentile
     * @param p999 99.9th percentile
     * @param max largest
     * @param mean mean
     */
    record Latency(long count, double p50, double p90, double p99, double p999, double max, double mean) {
        static Latency of(Histogram h) {
            return new Latency(h.getTotalCount(), us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)),
                    us(h.getValueAtPercentile(99)), us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()), h.getMean() / 1000.0);
        }

        private static double us(long nanos) {
            return nanos / 1000.0;
        }
    }

    /**
     * One ping-pong result.
     *
     * @param size payload bytes
     * @param strategy the wait strategy
     * @param reading the lanes both subscribers read
     * @param latency round trip statistics
     */
    record PingPong(int size, Strategy strategy, Reading reading, Latency latency) {}

    /**
     * One throughput result.
     *
     * @param size payload bytes
     * @param strategy the subscriber's wait strategy
     * @param messages messages received
     * @param nanos from the child's first publish to the last message received here
     */
    record Throughput(int size, Strategy strategy, long messages, long nanos) {
        /** @return messages per second */
        double messagesPerSecond() {
            return messages * 1e9 / nanos;
        }

        /** @return payload megabytes (10^6 bytes) per second */
        double megabytesPerSecond() {
            return messagesPerSecond() * size / 1e6;
        }
    }

    /**
     * Everything measured.
     *
     * @param childPid the child process
     * @param baseline the cache-line ping-pong
     * @param pingPongs bus round trips, per strategy and size
     * @param throughputs one-way throughput, per strategy and size
     */
    record Results(long childPid, Latency baseline, List<PingPong> pingPongs, List<Throughput> throughputs) {}

    private final Settings settings;
    private final Progress progress;
    private final String namespace;
    private final Arena arena = Arena.ofShared();
    private final Thread hook;
    private MessageBus bus;
    private MemorySegment control;
    private Process child;
    private Path childLog;
    private long commandSeq;
    private boolean cleaned;

    /**
     * Creates the namespace's channels and control segment and starts the child JVM.
     *
     * @param settings what to run
     * @param progress where progress goes (or nowhere)
     * @throws dev.nautilus.accel.shm.ShmException when a segment cannot be created
     * @throws CommandFailedException when the child does not start
     */
    BusBench(Settings settings, Progress progress) {
        this.settings = settings;
        this.progress = progress;
        long pid = ProcessHandle.current().pid();
        int run = RUNS.getAndIncrement();
        this.namespace = "/nautilus-bench-" + pid + (run == 0 ? "" : "-" + run);
        this.hook = new Thread(this::cleanUp, "nautilus-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            removeSegments(); // a bench of a dead process with our pid may have left them
            bus = MessageBus.open(namespace);
            ChannelConfig oneToOne = config(RingVariant.ONE_TO_ONE, PING_PONG_LANE_CAPACITY);
            bus.createChannel(PING, oneToOne);
            bus.createChannel(PONG, oneToOne);
            bus.createChannel(THROUGHPUT, config(settings.variant(), LANE_CAPACITY));
            control = SharedMemory.create(controlName(namespace), BusBenchControl.SIZE, arena);
            startChild();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** @return the bus namespace, e.g. {@code /nautilus-bench-1234} */
    String namespace() {
        return namespace;
    }

    /**
     * @param namespace a benchmark namespace
     * @return its control segment's name
     */
    static String controlName(String namespace) {
        return namespace + ".control";
    }

    /** @return the largest payload the benchmark's lanes take (the ping-pong lane is the smaller) */
    static int maxPayload() {
        return RingDescriptor.maxPayload(PING_PONG_LANE_CAPACITY);
    }

    private static ChannelConfig config(RingVariant variant, long laneCapacity) {
        return ChannelConfig.defaults().withVariant(variant).withLaneCapacity(Lane.CRITICAL, RingDescriptor.MIN_CAPACITY)
                .withLaneCapacity(LANE, laneCapacity).withLaneCapacity(Lane.BULK, RingDescriptor.MIN_CAPACITY);
    }

    // ---------------------------------------------------------------- child process

    private void startChild() {
        List<String> cmd = JavaCommand.of(settings.pinned() ? List.of("-D" + BusBenchChild.CPU_PROPERTY + "=" + settings.childCpu())
                : List.of(), BusBenchChild.class, List.of(namespace, String.valueOf(ProcessHandle.current().pid())));
        try {
            childLog = Files.createTempFile("nautilus-bench-child-", ".log");
            child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
            child.getOutputStream().close(); // no input: the child reads none
        } catch (IOException e) {
            throw new CommandFailedException("cannot start the benchmark's child JVM (" + cmd.get(0) + "): " + e.getMessage());
        }
        long deadline = System.nanoTime() + START_NANOS;
        while ((long) LONG.getAcquire(control, BusBenchControl.CHILD_PID) == 0) {
            checkChild("starting", deadline, START_NANOS);
            sleepMillis(1);
        }
    }

    /** Fails when the child exited, or the deadline (set {@code limit} ns after the last progress) passed. */
    private void checkChild(String doing, long deadline, long limit) {
        if (!child.isAlive()) {
            throw new CommandFailedException("the benchmark's child process (pid " + child.pid() + ") exited with code "
                    + child.exitValue() + " while " + doing + childOutput());
        }
        if (System.nanoTime() > deadline) {
            throw new CommandFailedException("the benchmark's child process (pid " + child.pid() + ") stopped answering while "
                    + doing + " (no progress for " + TimeUnit.NANOSECONDS.toSeconds(limit) + " s)" + childOutput());
        }
    }

    private String childOutput() {
        try {
            String s = Files.readString(childLog, StandardCharsets.UTF_8).strip();
            if (s.length() > 2000) {
                s = "..." + s.substring(s.length() - 2000);
            }
            return s.isEmpty() ? "" : "; it printed:\n" + s;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private long command(int code, int size, long count, WaitStrategy strategy) {
        return command(code, size, count, strategy, Reading.ALL);
    }

    private long command(int code, int size, long count, WaitStrategy strategy, Reading reading) {
        control.set(ValueLayout.JAVA_INT, BusBenchControl.COMMAND_CODE, code);
        control.set(ValueLayout.JAVA_INT, BusBenchControl.READING, reading.code());
        control.set(ValueLayout.JAVA_INT, BusBenchControl.PAYLOAD_SIZE, size);
        control.set(ValueLayout.JAVA_LONG, BusBenchControl.COUNT, count);
        BusBenchControl.putStrategy(control, strategy);
        LONG.setRelease(control, BusBenchControl.COMMAND_SEQ, ++commandSeq);
        return commandSeq;
    }

    private void await(long offset, long seq, String doing) {
        long limit = offset == BusBenchControl.READY_SEQ ? START_NANOS : STALL_NANOS;
        long deadline = System.nanoTime() + limit;
        for (int i = 0; (long) LONG.getAcquire(control, offset) < seq; i++) {
            if (i < 1000) {
                Thread.onSpinWait();
            } else {
                checkChild(doing, deadline, limit);
                sleepMillis(1);
            }
        }
    }

    // ---------------------------------------------------------------- measurements

    /**
     * Runs the baseline, every ping-pong, then every throughput test.
     *
     * @return the results
     * @throws CommandFailedException when the child fails or stops answering, or a message is lost
     */
    Results run() {
        if (!settings.pinned()) {
            return measure();
        }
        // a thread of our own, so that pinning never changes the caller's affinity
        Results[] result = {null};
        RuntimeException[] failure = {null};
        Thread t = Thread.ofPlatform().name("na-bench-bus").start(() -> {
            try {
                Affinity.pinCurrentThread(CpuSet.of(settings.parentCpu()));
                result[0] = measure();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted while benchmarking");
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }

    private Results measure() {
        Latency baseline = baseline();
        List<PingPong> pingPongs = new ArrayList<>();
        // every row of one reading before any of the next: the two JVMs are shared, and a row run
        // after the other reading gets JIT code compiled for both
        for (Reading reading : settings.readings()) {
            for (Strategy s : settings.strategies()) {
                for (int size : settings.sizes()) {
                    pingPongs.add(new PingPong(size, s, reading, pingPong(size, s, reading)));
                }
            }
        }
        List<Throughput> throughputs = new ArrayList<>();
        for (Strategy s : settings.strategies()) {
            for (int size : settings.sizes()) {
                throughputs.add(throughput(size, s));
            }
        }
        return new Results(child.pid(), baseline, pingPongs, throughputs);
    }

    private Latency baseline() {
        long total = settings.warmup() + settings.roundTrips();
        String label = "baseline cache-line ping-pong";
        LONG.setRelease(control, BusBenchControl.BASELINE_PING, 0L);
        LONG.setRelease(control, BusBenchControl.BASELINE_PONG, 0L);
        long seq = command(BusBenchControl.BASELINE, 0, total, WaitStrategy.busySpin());
        await(BusBenchControl.READY_SEQ, seq, label);
        Histogram h = histogram();
        progress.start(label, total);
        long stallDeadline = System.nanoTime() + STALL_NANOS;
        for (long n = 1; n <= total; n++) {
            long t0 = System.nanoTime();
            LONG.setRelease(control, BusBenchControl.BASELINE_PING, n);
            int spins = 0;
            while ((long) LONG.getAcquire(control, BusBenchControl.BASELINE_PONG) != n) {
                Thread.onSpinWait();
                if ((++spins & 0xFFFF) == 0) {
                    checkChild(label + " (round trip " + n + ")", stallDeadline, STALL_NANOS);
                }
            }
            long rtt = System.nanoTime() - t0;
            if (n > settings.warmup()) {
                h.recordValue(Math.min(rtt, HIGHEST_NANOS));
            }
            if ((n & 0xFFF) == 0) {
                progress.update(n);
                stallDeadline = System.nanoTime() + STALL_NANOS;
            }
        }
        progress.end();
        await(BusBenchControl.DONE_SEQ, seq, label);
        return Latency.of(h);
    }

    /** Receives echoes: checks the sequence number, keeps the send time. */
    private static final class EchoReceiver implements MessageHandler {
        long sentAt;
        long sequence;
        int length;

        @Override
        public void onMessage(int typeId, MemorySegment buffer, long offset, int len) {
            sentAt = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
            sequence = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 8);
            length = len;
        }
    }

    private Latency pingPong(int size, Strategy strategy, Reading reading) {
        long total = settings.warmup() + settings.roundTrips();
        String label = "ping-pong " + size + " B " + strategy.name() + ", " + (reading == Reading.ALL ? "all lanes" : "one lane");
        Channel ping = bus.openChannel(PING);
        Channel pong = bus.openChannel(PONG);
        Histogram h = histogram();
        EchoReceiver echo = new EchoReceiver();
        try (Arena a = Arena.ofConfined(); Publisher pub = ping.publisher();
             Subscriber sub = pong.subscribe(strategy.strategy(), reading.lanes())) {
            MemorySegment msg = a.allocate(size, 8);
            long seq = command(BusBenchControl.ECHO, size, total, strategy.strategy(), reading);
            await(BusBenchControl.READY_SEQ, seq, label);
            progress.start(label, total);
            for (long n = 0; n < total; n++) {
                long t0 = System.nanoTime();
                msg.set(ValueLayout.JAVA_LONG, 0, t0);
                msg.set(ValueLayout.JAVA_LONG, 8, n);
                if (!pub.offer(LANE, BusBenchControl.TYPE_ID, msg)) {
                    throw new CommandFailedException("the ping lane is full at round trip " + n + ": the child does not read it");
                }
                long stallDeadline = 0;
                while (sub.receive(echo, 1, SLICE_NANOS) == 0) {
                    if (stallDeadline == 0) {
                        stallDeadline = System.nanoTime() + STALL_NANOS;
                    }
                    checkChild(label + " (round trip " + n + ")", stallDeadline, STALL_NANOS);
                }
                long rtt = System.nanoTime() - echo.sentAt;
                if (echo.sequence != n || echo.length != size) {
                    throw new CommandFailedException(label + ": round trip " + n + " got back message " + echo.sequence
                            + " of " + echo.length + " bytes: the bus lost, reordered or changed a message");
                }
                if (n >= settings.warmup()) {
                    h.recordValue(Math.min(rtt, HIGHEST_NANOS));
                }
                if ((n & 0xFFF) == 0) {
                    progress.update(n);
                }
            }
            progress.end();
            await(BusBenchControl.DONE_SEQ, seq, label);
        }
        return Latency.of(h);
    }

    /** Counts one-way messages and checks their sequence numbers. */
    private static final class Counter implements MessageHandler {
        long received;
        long outOfOrder;

        @Override
        public void onMessage(int typeId, MemorySegment buffer, long offset, int len) {
            if (buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset) != received) {
                outOfOrder++;
            }
            received++;
        }
    }

    private Throughput throughput(int size, Strategy strategy) {
        String label = "throughput " + size + " B " + strategy.name();
        long warm = settings.scaled(settings.warmup(), size);
        if (warm > 0) {
            oneWay(size, strategy, warm, label + " warm-up");
        }
        long count = settings.messagesFor(size);
        return new Throughput(size, strategy, count, oneWay(size, strategy, count, label));
    }

    /** @return nanoseconds from the child's first publish to the last message received here */
    private long oneWay(int size, Strategy strategy, long count, String label) {
        Channel ch = bus.openChannel(THROUGHPUT);
        Counter counter = new Counter();
        long end;
        long seq;
        try (Subscriber sub = ch.subscribe(strategy.strategy())) {
            progress.start(label, count);
            seq = command(BusBenchControl.PUBLISH, size, count, strategy.strategy());
            long stallDeadline = System.nanoTime() + STALL_NANOS;
            long calls = 0;
            while (counter.received < count) {
                if (sub.receive(counter, 4096, SLICE_NANOS) == 0) {
                    checkChild(label + " (" + counter.received + " of " + count + " messages received)", stallDeadline,
                            STALL_NANOS);
                } else if ((++calls & 0xFF) == 0) {
                    progress.update(counter.received);
                    stallDeadline = System.nanoTime() + STALL_NANOS;
                }
            }
            end = System.nanoTime();
            progress.end();
        }
        await(BusBenchControl.DONE_SEQ, seq, label);
        if (counter.outOfOrder != 0) {
            throw new CommandFailedException(label + ": " + counter.outOfOrder + " of " + count
                    + " messages arrived out of order: the bus lost or reordered messages");
        }
        long start = (long) LONG.getAcquire(control, BusBenchControl.PUBLISH_START_NANOS);
        return Math.max(1, end - start);
    }

    private static Histogram histogram() {
        return new Histogram(HIGHEST_NANOS, 3);
    }

    // ---------------------------------------------------------------- clean-up

    /** Stops and reaps the child, removes the namespace's segments, unmaps. Idempotent. */
    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (or ran) cleanUp itself
        }
        if (bus != null) {
            bus.close();
        }
        arena.close();
    }

    private synchronized void cleanUp() {
        if (cleaned) {
            return;
        }
        cleaned = true;
        try {
            if (child != null) {
                if (control != null) {
                    INT.setRelease(control, BusBenchControl.ABORT, 1);
                }
                try {
                    if (!child.waitFor(2, TimeUnit.SECONDS)) {
                        child.destroyForcibly();
                        child.waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    child.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            try {
                removeSegments();
            } catch (RuntimeException e) {
                // best effort while failing or shutting down; `nautilus shm rm` removes what is left
            }
            if (childLog != null) {
                try {
                    Files.deleteIfExists(childLog);
                } catch (IOException e) {
                    // a temporary file: the OS cleans it
                }
            }
        }
    }

    private void removeSegments() {
        for (String name : List.of(PING, PONG, THROUGHPUT)) {
            SharedMemory.unlink(namespace + "." + name);
        }
        SharedMemory.unlink(controlName(namespace));
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted");
        }
    }

    /**
     * A carriage-return updated progress line on standard error, e.g.
     * {@code ping-pong 32 B busy-spin: 540000/1200000}, printed at most every 250 ms; or nothing.
     * The benchmark calls it between measurements, never inside a timed interval.
     */
    static final class Progress {
        private static final long EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
        private final PrintWriter err;
        private String label = "";
        private long total;
        private long next;
        private int width;

        /** @param err where to print, or null for no progress */
        Progress(PrintWriter err) {
            this.err = err;
        }

        void start(String label, long total) {
            this.label = label;
            this.total = total;
            print(0);
        }

        void update(long done) {
            if (err != null && System.nanoTime() >= next) {
                print(done);
            }
        }

        void end() {
            if (err != null) {
                err.print("\r" + " ".repeat(width) + "\r");
                err.flush();
                width = 0;
            }
        }

        private void print(long done) {
            if (err == null) {
                return;
            }
            String line = String.format(Locale.ROOT, "%s: %d/%d", label, done, total);
            err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            err.flush();
            width = Math.max(width, line.length());
            next = System.nanoTime() + EVERY_NANOS;
        }
    }
}
