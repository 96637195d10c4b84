package dev.nautilus.accel.compare;

import dev.nautilus.accel.bus.Channel;
import dev.nautilus.accel.bus.ChannelConfig;
import dev.nautilus.accel.bus.Lane;
import dev.nautilus.accel.bus.MessageBus;
import dev.nautilus.accel.bus.MessageHandler;
import dev.nautilus.accel.bus.OneToOneRing;
import dev.nautilus.accel.bus.Publisher;
import dev.nautilus.accel.bus.Ring;
import dev.nautilus.accel.bus.RingDescriptor;
import dev.nautilus.accel.bus.RingVariant;
import dev.nautilus.accel.bus.Subscriber;
import dev.nautilus.accel.bus.WaitStrategy;
import dev.nautilus.accel.nativeaccess.UnsupportedPlatformException;
import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.shm.ShmSegmentInfo;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Cross-process ping-pong of the shared-memory transports, each against the same loop: this
 * process sends a message of {@code --size} bytes carrying {@link System#nanoTime()} and a
 * sequence number, busy-spins until a child JVM echoes it back, and records the round trip in an
 * HdrHistogram after a warm-up. Transports ({@code --transports}, all by default, each with a
 * fresh echo child):
 * <ul>
 *   <li>{@code agrona}: two Agrona {@link OneToOneRingBuffer}s in one POSIX shared memory segment
 *       (made with {@link SharedMemory}, wrapped with {@link UnsafeBuffer}); {@code write} /
 *       {@code read(handler, 1)};</li>
 *   <li>{@code ring}: two of our {@link OneToOneRing}s over the same kind of segment, same loop;</li>
 *   <li>{@code bus}: our {@link MessageBus}, two {@link RingVariant#ONE_TO_ONE} channels
 *       {@code ping} and {@code pong}, {@link Publisher#offer} / {@link Subscriber#receive} with
 *       {@link WaitStrategy#busySpin()} (the bus's own spin loop, which polls the lanes in use);</li>
 *   <li>{@code bus1}: the same, with subscribers that read only the lane used;</li>
 *   <li>{@code bare}: no transport, the floor: a bare cache-line ping-pong of two longs in the
 *       control segment, each in its own 128-byte block (this process stores the round trip
 *       number with a release store and spins on the echo; the child spins on it and stores it
 *       back). No payload moves.</li>
 * </ul>
 * Both sides poll with {@link Thread#onSpinWait()} between empty polls (the bus inside
 * {@code receive}); the echo copies each
 * message from the ping ring into a claim on the pong ring. The measuring thread and the child's
 * thread are pinned to two CPUs ({@code --cpus A,B}, default the two highest online CPUs).
 *
 * <p>Run from the bench jar (it needs Agrona's {@code --add-exports}):
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *      --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
 *      -cp target/bench/benchmarks.jar dev.nautilus.accel.compare.CrossProcessPingPong [--json]
 * }</pre>
 * or {@code make bench-compare}, which also measures Redis ({@link RedisPubSubEcho}).
 *
 * <p>Clean-up: every segment it makes is named {@code /na-cmp-<pid>-<transport>.*} and removed
 * in a {@code finally} and by a shutdown hook; the child is killed and reaped likewise, and halts
 * by itself when this process dies. Segments left by a run killed with {@code SIGKILL} (their pid
 * is gone) are removed by the next run.
 */
public final class CrossProcessPingPong {
    /** Every segment this tool makes is named {@code <prefix><pid>-<transport>.<part>}. */
    static final String SEGMENT_PREFIX = "/na-cmp-";
    private static final String ECHO_ROLE = "--echo-child";
    private static final int TYPE_ID = 1;
    /** Smallest message: the send time and the sequence number. */
    static final int MIN_SIZE = 16;
    private static final long PAGE = 4096;
    private static final long CONTROL_SIZE = 4096;
    /** Control segment: the child stores its pid here (release) once attached and pinned. */
    private static final long READY_OFFSET = 0;
    /** Bare ping-pong: the round trip number this process stores. */
    private static final long BARE_PING_OFFSET = 512;
    /** Bare ping-pong: the number the child stores back. */
    private static final long BARE_PONG_OFFSET = 640;
    /** The bus lane of the test: the one a subscriber polls first. */
    private static final Lane LANE = Lane.CRITICAL;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** The bus loops wait in {@link Subscriber#receive} (busy-spin) for at most this long per call. */
    private static final long RECEIVE_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long START_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final Set<String> OWNED = ConcurrentHashMap.newKeySet();

    /** The transports compared, in the order they run. */
    enum Transport {
        AGRONA("agrona"),
        RING("ring"),
        BUS("bus"),
        BUS_ONE_LANE("bus1"),
        BARE("bare");

        final String label;

        Transport(String label) {
            this.label = label;
        }

        static Transport of(String s) {
            for (Transport t : values()) {
                if (t.label.equals(s)) {
                    return t;
                }
            }
            throw new UsageException("unknown transport \"" + s + "\": use agrona, ring, bus, bus1, bare");
        }

        boolean isBus() {
            return this == BUS || this == BUS_ONE_LANE;
        }

        /** @return the lanes a bus subscriber reads */
        Set<Lane> lanes() {
            return this == BUS_ONE_LANE ? EnumSet.of(LANE) : EnumSet.allOf(Lane.class);
        }

        String describe(int capacity) {
            String cap = (capacity >= 1024 ? capacity / 1024 + " KiB" : capacity + " B");
            return switch (this) {
                case AGRONA -> "Agrona " + agronaVersion() + " OneToOneRingBuffer x2 (" + cap + " data each) in one POSIX shm"
                        + " segment, UnsafeBuffer over the mapping; write / read(handler, 1)";
                case RING -> "nautilus OneToOneRing x2 (" + cap + " data each) in one POSIX shm segment; write / read(handler, 1)";
                case BUS -> "nautilus MessageBus, channels ping + pong (ONE_TO_ONE, lane " + LANE + " of " + cap
                        + ", other lanes 1 KiB); Publisher.offer / Subscriber.receive(handler, 1, timeout), busy-spin; subscribers read every lane";
                case BUS_ONE_LANE -> "the same bus, but both subscribers read lane " + LANE + " only"
                        + " (Channel.subscribe(strategy, EnumSet.of(" + LANE + ")))";
                case BARE -> "bare cache-line ping-pong: one long each way in its own 128-byte block of the control segment,"
                        + " release store / acquire spin, no payload (the floor for the others)";
            };
        }
    }

    /**
     * What to run.
     *
     * @param transports in order
     * @param size payload bytes
     * @param warmup round trips not recorded, per transport
     * @param roundTrips round trips recorded, per transport
     * @param capacity data bytes of each ring (the bus lane likewise)
     * @param cpus where the two sides run, or null when not pinned
     * @param json print JSON instead of a table
     */
    record Settings(List<Transport> transports, int size, long warmup, long roundTrips, int capacity, CpuPair cpus,
                    boolean json) {
        long total() {
            return warmup + roundTrips;
        }
    }

    /** One transport's result and the child that echoed. */
    record Result(Transport transport, RoundTrips roundTrips, long childPid) {}

    private CrossProcessPingPong() {}

    /**
     * Runs the comparison (or, started by it, the echo child).
     *
     * @param args options; {@code --help} lists them
     */
    public static void main(String[] args) {
        int code;
        if (args.length > 0 && args[0].equals(ECHO_ROLE)) {
            try {
                code = echo(args);
            } catch (RuntimeException | Error e) {
                System.err.println("echo child: " + e);
                e.printStackTrace();
                code = 1;
            }
            System.exit(code);
        }
        try {
            code = run(args, System.out);
        } catch (UsageException e) {
            System.err.println("error: " + e.getMessage() + " (--help lists the options)");
            code = 2;
        } catch (CompareException e) {
            System.err.println("error: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    private static final String HELP = """
            usage: CrossProcessPingPong [options]
              Round trip between this process and an echo child JVM over shared memory: Agrona's
              OneToOneRingBuffer, our OneToOneRing and our MessageBus, same loop, busy-spin.
              --transports LIST  agrona,ring,bus,bus1,bare (default: all five, in that order; bus1: the
                                 bus with subscribers that read only the lane used; bare: a bare
                                 cache-line ping-pong, no transport)
              --size BYTES       payload bytes, >= 16 (default 32)
              --warmup N         round trips run first and not recorded, per transport (default 200000)
              --round-trips N    round trips recorded per transport (default 1000000)
              --capacity BYTES   data capacity of each ring and of the bus lane, a power of two (default 65536)
              --cpus A,B         pin the measuring thread to CPU A and the echo child to CPU B
                                 (default: the two highest online CPUs)
              --no-pin           do not pin (the output says so)
              --json             print JSON instead of the table
            JVM options needed: --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
              --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED (Agrona 2.x)
            """;

    static int run(String[] args, PrintStream out) {
        Options o = Options.parse(args, 0, Set.of("--transports", "--size", "--warmup", "--round-trips", "--capacity", "--cpus"),
                Set.of("--no-pin", "--json", "--help"));
        if (o.flag("--help")) {
            out.print(HELP);
            return 0;
        }
        List<Transport> transports = new ArrayList<>();
        for (String t : o.list("--transports", "agrona,ring,bus,bus1,bare")) {
            Transport tr = Transport.of(t);
            if (transports.contains(tr)) {
                throw new UsageException("transport " + t + " is listed twice in --transports");
            }
            transports.add(tr);
        }
        if (transports.isEmpty()) {
            throw new UsageException("--transports is empty: give some of agrona,ring,bus,bus1,bare");
        }
        int capacity = (int) o.number("--capacity", 65536, RingDescriptor.MIN_CAPACITY, 1 << 30);
        if (Integer.bitCount(capacity) != 1) {
            throw new UsageException("invalid --capacity " + capacity + ": it must be a power of two (e.g. 65536)");
        }
        int size = (int) o.number("--size", 32, MIN_SIZE, RingDescriptor.maxPayload(capacity));
        Settings s = new Settings(List.copyOf(transports), size, o.number("--warmup", 200_000, 0, Long.MAX_VALUE / 4),
                o.number("--round-trips", 1_000_000, 1, Long.MAX_VALUE / 4), capacity,
                CpuPair.choose(o.string("--cpus", null), o.flag("--no-pin")), o.flag("--json"));

        if (transports.contains(Transport.AGRONA)
                && !Object.class.getModule().isExported("jdk.internal.misc", CrossProcessPingPong.class.getModule())) {
            throw new CompareException("Agrona 2.x uses jdk.internal.misc.Unsafe: start this JVM with "
                    + "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED, or leave agrona out of --transports");
        }
        SharedMemory.ensureAvailable();
        removeLeftovers();
        Thread hook = new Thread(() -> {
            ChildJvm.killAll();
            unlinkOwned();
        }, "na-cmp-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);

        List<Result> results = new ArrayList<>();
        for (Transport t : s.transports()) {
            System.err.printf(Locale.ROOT, "%s: %d warm-up + %d recorded round trips of %d B...%n", t.label, s.warmup(),
                    s.roundTrips(), s.size());
            Result r = runOne(t, s);
            System.err.printf(Locale.ROOT, "%s: p50 %s us, p99.9 %s us%n", t.label, RoundTrips.fmt(r.roundTrips().p50()),
                    RoundTrips.fmt(r.roundTrips().p999()));
            results.add(r);
        }
        if (s.json()) {
            printJson(out, s, results);
        } else {
            printTable(out, s, results);
        }
        return 0;
    }

    // ---------------------------------------------------------------- parent

    private static Result runOne(Transport t, Settings s) {
        String prefix = SEGMENT_PREFIX + ProcessHandle.current().pid() + "-" + t.label;
        String label = t.label + " " + s.size() + " B";
        ChildJvm child = null;
        MessageBus bus = null;
        Publisher pub = null;
        Subscriber sub = null;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment control = create(prefix + ".control", CONTROL_SIZE, arena);
            MemorySegment rings = null;
            if (t.isBus()) {
                bus = MessageBus.open(prefix);
                ChannelConfig cfg = busConfig(s.capacity());
                for (String ch : List.of("ping", "pong")) {
                    String name = bus.segmentName(ch);
                    OWNED.add(name);
                    SharedMemory.unlink(name);
                    bus.createChannel(ch, cfg);
                }
                pub = bus.openChannel("ping").publisher();
                sub = bus.openChannel("pong").subscribe(WaitStrategy.busySpin(), t.lanes());
            } else if (t != Transport.BARE) {
                rings = create(prefix + ".rings", 2 * slot(t, s.capacity()), arena);
                if (t == Transport.RING) {
                    OneToOneRing.create(ringSlice(rings, 0, s.capacity()));
                    OneToOneRing.create(ringSlice(rings, 1, s.capacity()));
                }
            }
            child = ChildJvm.start(CrossProcessPingPong.class, List.of(ECHO_ROLE, t.label, prefix,
                    String.valueOf(s.capacity()), String.valueOf(s.total()),
                    String.valueOf(s.cpus() == null ? -1 : s.cpus().child())));
            awaitReady(control, child, label);
            MemorySegment msg = arena.allocate(s.size(), 8);
            ChildJvm c = child;
            Histogram h;
            switch (t) {
                case AGRONA -> {
                    OneToOneRingBuffer ping = agronaRing(rings, 0, s.capacity());
                    OneToOneRingBuffer pong = agronaRing(rings, 1, s.capacity());
                    UnsafeBuffer src = new UnsafeBuffer(msg.address(), s.size());
                    h = CpuPair.callPinned(s.cpus(), () -> measureAgrona(ping, pong, src, s, c, label));
                }
                case RING -> {
                    OneToOneRing ping = OneToOneRing.attach(ringSlice(rings, 0, s.capacity()));
                    OneToOneRing pong = OneToOneRing.attach(ringSlice(rings, 1, s.capacity()));
                    h = CpuPair.callPinned(s.cpus(), () -> measureRing(ping, pong, msg, s, c, label));
                }
                case BARE -> h = CpuPair.callPinned(s.cpus(), () -> measureBare(control, s, c, label));
                case BUS, BUS_ONE_LANE -> {
                    Publisher p = pub;
                    Subscriber q = sub;
                    h = CpuPair.callPinned(s.cpus(), () -> measureBus(p, q, msg, s, c, label));
                }
                default -> throw new IllegalStateException(t.toString());
            }
            child.awaitExit(30, label + " round trips");
            return new Result(t, RoundTrips.of(t.label, h), child.pid());
        } finally {
            if (child != null) {
                child.close();
            }
            if (pub != null) {
                pub.close();
            }
            if (sub != null) {
                sub.close();
            }
            if (bus != null) {
                bus.close();
            }
            unlinkOwned();
        }
    }

    private static ChannelConfig busConfig(int capacity) {
        return ChannelConfig.defaults().withVariant(RingVariant.ONE_TO_ONE).withLaneCapacity(LANE, capacity)
                .withLaneCapacity(Lane.NORMAL, RingDescriptor.MIN_CAPACITY).withLaneCapacity(Lane.BULK, RingDescriptor.MIN_CAPACITY);
    }

    /** Bytes one ring takes in the rings segment, rounded up to a page. */
    private static long slot(Transport t, int capacity) {
        long bytes = t == Transport.AGRONA ? capacity + (long) RingBufferDescriptor.TRAILER_LENGTH
                : RingDescriptor.segmentSize(capacity);
        return (bytes + PAGE - 1) / PAGE * PAGE;
    }

    private static MemorySegment ringSlice(MemorySegment rings, int index, int capacity) {
        return rings.asSlice(index * slot(Transport.RING, capacity), RingDescriptor.segmentSize(capacity));
    }

    private static OneToOneRingBuffer agronaRing(MemorySegment rings, int index, int capacity) {
        long at = index * slot(Transport.AGRONA, capacity);
        int length = capacity + RingBufferDescriptor.TRAILER_LENGTH;
        if (at + length > rings.byteSize()) {
            throw new IllegalStateException("rings segment of " + rings.byteSize() + " bytes is too small");
        }
        return new OneToOneRingBuffer(new UnsafeBuffer(rings.address() + at, length));
    }

    private static MemorySegment create(String name, long size, Arena arena) {
        OWNED.add(name);
        SharedMemory.unlink(name); // a run of a dead process with our pid may have left it
        return SharedMemory.create(name, size, arena);
    }

    private static void unlinkOwned() {
        for (String name : List.copyOf(OWNED)) {
            try {
                SharedMemory.unlink(name);
                OWNED.remove(name);
            } catch (RuntimeException e) {
                System.err.println("warning: cannot remove shared memory segment " + name + ": " + e.getMessage()
                        + " (remove it with: nautilus shm rm " + name + ")");
            }
        }
    }

    /** Removes segments of earlier runs whose process is gone (killed with SIGKILL). */
    private static void removeLeftovers() {
        List<ShmSegmentInfo> found;
        try {
            found = SharedMemory.list(SEGMENT_PREFIX);
        } catch (UnsupportedPlatformException e) {
            return;
        }
        for (ShmSegmentInfo i : found) {
            String rest = i.name().substring(SEGMENT_PREFIX.length());
            int dash = rest.indexOf('-');
            long pid;
            try {
                pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
            } catch (NumberFormatException e) {
                continue;
            }
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                SharedMemory.unlink(i.name());
                System.err.println("removed " + i.name() + ", left by an earlier run (pid " + pid + ", gone)");
            }
        }
    }

    private static void awaitReady(MemorySegment control, ChildJvm child, String label) {
        long deadline = System.nanoTime() + START_NANOS;
        while ((long) LONG.getAcquire(control, READY_OFFSET) == 0) {
            child.checkAlive("starting (" + label + ")");
            if (System.nanoTime() > deadline) {
                throw new CompareException("the echo child (pid " + child.pid() + ") did not attach within "
                        + TimeUnit.NANOSECONDS.toSeconds(START_NANOS) + " s (" + label + ")");
            }
            sleepMillis(1);
        }
    }

    // One loop per transport, each over concrete types, so that no call site in a timed loop is
    // shared between transports (the JIT would then see several receiver types there).

    /** Receives echoes from Agrona: keeps the send time, sequence number and length. */
    private static final class AgronaReceiver implements org.agrona.concurrent.MessageHandler {
        long sentAt;
        long sequence;
        int length;

        @Override
        public void onMessage(int typeId, MutableDirectBuffer buffer, int index, int len) {
            sentAt = buffer.getLong(index);
            sequence = buffer.getLong(index + 8);
            length = len;
        }
    }

    /** Receives echoes from our rings and the bus: keeps the send time, sequence number and length. */
    private static final class SegmentReceiver implements MessageHandler {
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

    private static Histogram measureAgrona(OneToOneRingBuffer ping, OneToOneRingBuffer pong, UnsafeBuffer msg, Settings s,
                                           ChildJvm child, String label) {
        Histogram h = RoundTrips.histogram();
        AgronaReceiver r = new AgronaReceiver();
        long warmup = s.warmup();
        long total = s.total();
        int size = s.size();
        for (long n = 0; n < total; n++) {
            long t0 = System.nanoTime();
            msg.putLong(0, t0);
            msg.putLong(8, n);
            if (!ping.write(TYPE_ID, msg, 0, size)) {
                throw full(label, n);
            }
            int spins = 0;
            while (pong.read(r, 1) == 0) {
                Thread.onSpinWait();
                if ((++spins & 0xFFFF) == 0) {
                    checkStall(child, label, n, t0);
                }
            }
            record(h, r.sentAt, r.sequence, r.length, n, warmup, size, label);
        }
        return h;
    }

    private static Histogram measureRing(OneToOneRing ping, OneToOneRing pong, MemorySegment msg, Settings s,
                                         ChildJvm child, String label) {
        Histogram h = RoundTrips.histogram();
        SegmentReceiver r = new SegmentReceiver();
        long warmup = s.warmup();
        long total = s.total();
        int size = s.size();
        for (long n = 0; n < total; n++) {
            long t0 = System.nanoTime();
            msg.set(ValueLayout.JAVA_LONG, 0, t0);
            msg.set(ValueLayout.JAVA_LONG, 8, n);
            if (!ping.write(TYPE_ID, msg)) {
                throw full(label, n);
            }
            int spins = 0;
            while (pong.read(r, 1) == 0) {
                Thread.onSpinWait();
                if ((++spins & 0xFFFF) == 0) {
                    checkStall(child, label, n, t0);
                }
            }
            record(h, r.sentAt, r.sequence, r.length, n, warmup, size, label);
        }
        return h;
    }

    private static Histogram measureBus(Publisher ping, Subscriber pong, MemorySegment msg, Settings s, ChildJvm child,
                                        String label) {
        Histogram h = RoundTrips.histogram();
        SegmentReceiver r = new SegmentReceiver();
        long warmup = s.warmup();
        long total = s.total();
        int size = s.size();
        for (long n = 0; n < total; n++) {
            long t0 = System.nanoTime();
            msg.set(ValueLayout.JAVA_LONG, 0, t0);
            msg.set(ValueLayout.JAVA_LONG, 8, n);
            if (!ping.offer(LANE, TYPE_ID, msg)) {
                throw full(label, n);
            }
            while (pong.receive(r, 1, RECEIVE_SLICE_NANOS) == 0) {
                checkStall(child, label, n, t0);
            }
            record(h, r.sentAt, r.sequence, r.length, n, warmup, size, label);
        }
        return h;
    }

    private static Histogram measureBare(MemorySegment control, Settings s, ChildJvm child, String label) {
        Histogram h = RoundTrips.histogram();
        long warmup = s.warmup();
        long total = s.total();
        for (long n = 0; n < total; n++) {
            long t0 = System.nanoTime();
            LONG.setRelease(control, BARE_PING_OFFSET, n + 1);
            int spins = 0;
            while ((long) LONG.getAcquire(control, BARE_PONG_OFFSET) != n + 1) {
                Thread.onSpinWait();
                if ((++spins & 0xFFFF) == 0) {
                    checkStall(child, label, n, t0);
                }
            }
            long rtt = System.nanoTime() - t0;
            if (n >= warmup) {
                h.recordValue(Math.min(rtt, RoundTrips.HIGHEST_NANOS));
            }
        }
        return h;
    }

    private static void checkStall(ChildJvm child, String label, long n, long t0) {
        if (!child.alive()) {
            child.checkAlive(label + ", round trip " + n);
        }
        if (System.nanoTime() - t0 > STALL_NANOS) {
            throw new CompareException("no echo for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s at round trip " + n
                    + " (" + label + "): the echo child (pid " + child.pid() + ") stopped answering");
        }
    }

    private static CompareException full(String label, long n) {
        return new CompareException("the ping ring is full at round trip " + n + " (" + label + "): the echo child does not read it");
    }

    /**
     * After round trip {@code n} came back: checks that the echo is that message, then records the
     * round trip once past the warm-up. Static with primitive arguments, so each transport's loop
     * stays monomorphic.
     */
    private static void record(Histogram h, long sentAt, long sequence, int length, long n, long warmup, int size,
                               String label) {
        long rtt = System.nanoTime() - sentAt;
        if (sequence != n || length != size) {
            throw lost(label, n, sequence, length);
        }
        if (n >= warmup) {
            h.recordValue(Math.min(rtt, RoundTrips.HIGHEST_NANOS));
        }
    }

    private static CompareException lost(String label, long n, long got, int length) {
        return new CompareException(label + ": round trip " + n + " got back message " + got + " of " + length
                + " bytes: a message was lost, reordered or changed");
    }

    // ---------------------------------------------------------------- echo child

    /** Echoes Agrona messages: copies each into the pong ring. */
    private static final class AgronaEcho implements org.agrona.concurrent.MessageHandler {
        private final OneToOneRingBuffer out;
        long count;

        AgronaEcho(OneToOneRingBuffer out) {
            this.out = out;
        }

        @Override
        public void onMessage(int typeId, MutableDirectBuffer buffer, int index, int length) {
            while (!out.write(typeId, buffer, index, length)) {
                Thread.onSpinWait(); // the parent reads pong before it sends again: never for long
            }
            count++;
        }
    }

    /** Echoes ring messages: claims on the pong ring, copies, commits. */
    private static final class RingEcho implements MessageHandler {
        private final OneToOneRing out;
        private final MemorySegment outBuffer;
        long count;

        RingEcho(OneToOneRing out) {
            this.out = out;
            this.outBuffer = out.buffer();
        }

        @Override
        public void onMessage(int typeId, MemorySegment buffer, long offset, int length) {
            long at;
            while ((at = out.tryClaim(typeId, length)) == Ring.INSUFFICIENT_CAPACITY) {
                Thread.onSpinWait();
            }
            MemorySegment.copy(buffer, offset, outBuffer, at, length);
            out.commit(at);
            count++;
        }
    }

    /** Echoes bus messages: claims on the pong publisher, copies, commits. */
    private static final class BusEcho implements MessageHandler {
        private final Publisher out;
        private final MemorySegment outBuffer;
        long count;

        BusEcho(Publisher out) {
            this.out = out;
            this.outBuffer = out.buffer(LANE);
        }

        @Override
        public void onMessage(int typeId, MemorySegment buffer, long offset, int length) {
            long at;
            while ((at = out.tryClaim(LANE, typeId, length)) == Ring.INSUFFICIENT_CAPACITY) {
                Thread.onSpinWait();
            }
            MemorySegment.copy(buffer, offset, outBuffer, at, length);
            out.commit(LANE, at);
            count++;
        }
    }

    /** The child: {@code --echo-child TRANSPORT PREFIX CAPACITY COUNT CPU}; echoes COUNT messages, then exits 0. */
    private static int echo(String[] args) {
        ChildJvm.exitWhenParentGone();
        if (args.length != 6) {
            System.err.println("usage: CrossProcessPingPong " + ECHO_ROLE + " TRANSPORT PREFIX CAPACITY COUNT CPU"
                    + " (started by CrossProcessPingPong)");
            return 2;
        }
        Transport t = Transport.of(args[1]);
        String prefix = args[2];
        int capacity = Integer.parseInt(args[3]);
        long count = Long.parseLong(args[4]);
        CpuPair.pinCurrentThread(Integer.parseInt(args[5]));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = SharedMemory.open(prefix + ".control", arena);
            switch (t) {
                case AGRONA -> {
                    MemorySegment rings = SharedMemory.open(prefix + ".rings", arena);
                    OneToOneRingBuffer ping = agronaRing(rings, 0, capacity);
                    AgronaEcho e = new AgronaEcho(agronaRing(rings, 1, capacity));
                    ready(control);
                    while (e.count < count) {
                        if (ping.read(e, 1) == 0) {
                            Thread.onSpinWait();
                        }
                    }
                }
                case RING -> {
                    MemorySegment rings = SharedMemory.open(prefix + ".rings", arena);
                    OneToOneRing ping = OneToOneRing.attach(ringSlice(rings, 0, capacity));
                    RingEcho e = new RingEcho(OneToOneRing.attach(ringSlice(rings, 1, capacity)));
                    ready(control);
                    while (e.count < count) {
                        if (ping.read(e, 1) == 0) {
                            Thread.onSpinWait();
                        }
                    }
                }
                case BARE -> {
                    ready(control);
                    for (long n = 1; n <= count; n++) {
                        while ((long) LONG.getAcquire(control, BARE_PING_OFFSET) != n) {
                            Thread.onSpinWait();
                        }
                        LONG.setRelease(control, BARE_PONG_OFFSET, n);
                    }
                }
                case BUS, BUS_ONE_LANE -> {
                    try (MessageBus bus = MessageBus.open(prefix)) {
                        Channel pingChannel = bus.openChannel("ping");
                        Channel pongChannel = bus.openChannel("pong");
                        try (Subscriber ping = pingChannel.subscribe(WaitStrategy.busySpin(), t.lanes());
                             Publisher pong = pongChannel.publisher()) {
                            BusEcho e = new BusEcho(pong);
                            ready(control);
                            while (e.count < count) {
                                ping.receive(e, 1, RECEIVE_SLICE_NANOS);
                            }
                        }
                    }
                }
                default -> throw new IllegalStateException(t.toString());
            }
        }
        return 0;
    }

    private static void ready(MemorySegment control) {
        LONG.setRelease(control, READY_OFFSET, ProcessHandle.current().pid());
    }

    // ---------------------------------------------------------------- output

    private static String setup(Settings s) {
        return s.size() + "-byte messages, busy-spin both sides, " + CpuPair.describe(s.cpus()) + "; warm-up " + s.warmup()
                + " round trips, then " + s.roundTrips() + " recorded per transport, a fresh echo child JVM per transport";
    }

    private static void printTable(PrintStream out, Settings s, List<Result> results) {
        out.println("Cross-process round trip over shared memory: this process (pid " + ProcessHandle.current().pid()
                + ") writes a message carrying System.nanoTime() and busy-spins until a child JVM echoes it back");
        row(out, "messages", s.size() + " bytes; each side polls, Thread.onSpinWait() between empty polls");
        row(out, "threads", CpuPair.describe(s.cpus()));
        row(out, "run", "warm-up " + s.warmup() + " round trips (not recorded), then " + s.roundTrips()
                + " recorded per transport; a fresh echo child per transport; HdrHistogram, 3 significant digits");
        row(out, "machine", Runtime.getRuntime().availableProcessors() + " CPUs available, " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vendor") + ")");
        for (Result r : results) {
            row(out, r.transport().label, r.transport().describe(s.capacity()) + "; echo child pid " + r.childPid());
        }
        out.println();
        out.println("Round trip, microseconds");
        RoundTrips agrona = agrona(results);
        TextTable t = new TextTable("transport", "round trips", "p50", "p90", "p99", "p99.9", "max", "mean", "p50/agrona",
                "p99.9/agrona");
        for (Result r : results) {
            RoundTrips x = r.roundTrips();
            t.add(x.transport(), String.valueOf(x.count()), RoundTrips.fmt(x.p50()), RoundTrips.fmt(x.p90()),
                    RoundTrips.fmt(x.p99()), RoundTrips.fmt(x.p999()), RoundTrips.fmt(x.max()), RoundTrips.fmt(x.mean()),
                    ratio(x.p50(), agrona == null ? 0 : agrona.p50()), ratio(x.p999(), agrona == null ? 0 : agrona.p999()));
        }
        t.print(out);
        if (agrona != null) {
            out.println("p50/agrona, p99.9/agrona: this transport's percentile / Agrona's in this run (below 1.00: lower"
                    + " latency than Agrona)");
        }
    }

    private static void row(PrintStream out, String key, String value) {
        out.printf(Locale.ROOT, "  %-9s %s%n", key, value);
    }

    private static RoundTrips agrona(List<Result> results) {
        for (Result r : results) {
            if (r.transport() == Transport.AGRONA) {
                return r.roundTrips();
            }
        }
        return null;
    }

    private static String ratio(double ours, double theirs) {
        return theirs <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", ours / theirs);
    }

    private static void printJson(PrintStream out, Settings s, List<Result> results) {
        StringBuilder b = new StringBuilder("{\"benchmark\":\"cross-process-ping-pong\"");
        b.append(",\"setup\":").append(RoundTrips.quote(setup(s)));
        b.append(",\"size_bytes\":").append(s.size());
        b.append(",\"warmup\":").append(s.warmup());
        b.append(",\"round_trips\":").append(s.roundTrips());
        b.append(",\"capacity_bytes\":").append(s.capacity());
        b.append(",\"pinned\":").append(s.cpus() != null);
        if (s.cpus() != null) {
            b.append(",\"parent_cpu\":").append(s.cpus().parent()).append(",\"child_cpu\":").append(s.cpus().child());
        }
        b.append(",\"cpus_available\":").append(Runtime.getRuntime().availableProcessors());
        b.append(",\"java\":").append(RoundTrips.quote(System.getProperty("java.version")));
        b.append(",\"agrona\":").append(RoundTrips.quote(agronaVersion()));
        b.append(",\"transports\":{");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            b.append(i == 0 ? "" : ",").append(RoundTrips.quote(r.transport().label)).append(':')
                    .append(RoundTrips.quote(r.transport().describe(s.capacity())));
        }
        b.append("},\n\"results\":[\n");
        for (int i = 0; i < results.size(); i++) {
            b.append(results.get(i).roundTrips().toJson()).append(i + 1 < results.size() ? ",\n" : "\n");
        }
        b.append("]");
        RoundTrips agrona = agrona(results);
        if (agrona != null) {
            b.append(",\n\"vs_agrona\":{");
            for (int i = 0; i < results.size(); i++) {
                RoundTrips x = results.get(i).roundTrips();
                b.append(i == 0 ? "" : ",").append(RoundTrips.quote(x.transport())).append(String.format(Locale.ROOT,
                        ":{\"p50\":%.3f,\"p999\":%.3f}", x.p50() / agrona.p50(), x.p999() / agrona.p999()));
            }
            b.append('}');
        }
        b.append("}");
        out.println(b);
    }

    /**
     * @return Agrona's version: from its jar's manifest when it is on the class path as a jar of
     *     its own; in the shaded bench jar, whose manifest is ours, from the system property
     *     {@code nautilus.compare.agronaVersion} (scripts/bench-compare.sh sets it from the pom it
     *     built with); else "(version unknown)"
     */
    static String agronaVersion() {
        String v = OneToOneRingBuffer.class.getPackage().getImplementationVersion();
        if (v != null && "Agrona".equals(OneToOneRingBuffer.class.getPackage().getImplementationTitle())) {
            return v;
        }
        return System.getProperty("nautilus.compare.agronaVersion", "(version unknown)");
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompareException("interrupted");
        }
    }
}
