package dev.nautilus.accel.bus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * Message throughput of {@link OneToOneRing} and {@link ManyToOneRing} next to Agrona's
 * {@code OneToOneRingBuffer} and {@code ManyToOneRingBuffer}, in the same run, with the same
 * 64 KiB data region and the same work per message.
 *
 * <p>Each group is one producer thread and one consumer thread running at the same time:
 * <ul>
 *   <li>the producer claims one message per operation ({@code tryClaim}), writes the payload in
 *       place as {@code payload / 8} long stores, and commits it. When the ring is full it spins
 *       ({@link Thread#onSpinWait}) until the claim succeeds, so <b>one producer operation is one
 *       message</b> and the producer's score ({@code ...:produce...}) is the message rate. Failed
 *       claims are counted apart ({@code ...:fullClaims}, a total per iteration);</li>
 *   <li>the consumer calls {@code read(handler, 64)}; the handler reads the payload's first and
 *       last long. Its operations are read calls, some of them empty, so its score means little;
 *       the messages it received are counted in {@code ...:messages} (per time unit), which should
 *       match the producer's score.</li>
 * </ul>
 * The group's primary score is the sum of both threads' operations and is not a message rate:
 * read the producer's line. Many-to-one rings are measured with one producer (the machine this
 * was written on has 2 CPUs): that is the compare-and-set claim, uncontended.
 *
 * <p>Our rings live in {@code Arena.ofShared().allocate(size, 4096)}; Agrona's in an
 * {@link UnsafeBuffer} over a 4096-aligned direct {@code ByteBuffer} (capacity +
 * {@link RingBufferDescriptor#TRAILER_LENGTH}). Both with their default bounds checks. Threads are
 * not pinned to CPUs (there is no affinity module yet), so the scheduler may move them. Forks run
 * with {@code --enable-native-access=ALL-UNNAMED}, {@code --sun-misc-unsafe-memory-access=allow}
 * and {@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED} (Agrona 2.x reads memory
 * through {@code jdk.internal.misc.Unsafe} and fails to initialise without it).
 *
 * <p>Reading the results: compare the producer lines ({@code ...:produce...}, messages per
 * microsecond) of the same payload. A one-producer/one-consumer ring is bistable: a consumer that
 * keeps up polls the cache line the producer is writing, a consumer that falls behind reads in
 * batches, and the two modes differ by up to 2.5x. On a small VM a fork can also lose one of its
 * CPUs for a while (rates under 1 message/us). Use at least 3 forks and look at the per-fork
 * values ({@code -rf json}), not only the mean.
 *
 * <p>Run: {@code make bench BENCH=RingBenchmark JMH_ARGS="-f 3 -wi 5 -i 5 -w 2s -r 2s -prof gc"}.
 * {@link RingWriteBenchmark} measures the copying {@code write} calls instead of claim/commit.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class RingBenchmark {
    /** Bytes of every ring's data region. */
    static final int CAPACITY = 64 * 1024;
    /** The most messages one read call hands over. */
    static final int READ_LIMIT = 64;
    static final int TYPE_ID = 1;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

    /** Payload bytes per message (a multiple of 8). */
    @Param({"32", "256"})
    public int payload;

    private long sequence;

    // ------------------------------------------------------------------ ours, one-to-one

    @Benchmark
    @Group("oursOneToOne")
    @GroupThreads(1)
    public void produceOursOneToOne(OursOneToOne ring, Claims claims, Control control) {
        produce(ring.ring, claims, control);
    }

    @Benchmark
    @Group("oursOneToOne")
    @GroupThreads(1)
    public int consumeOursOneToOne(OursOneToOne ring, OursHandler handler, Consumed consumed) {
        int n = ring.ring.read(handler, READ_LIMIT);
        consumed.messages += n;
        return n;
    }

    // ------------------------------------------------------------------ Agrona, one-to-one

    @Benchmark
    @Group("agronaOneToOne")
    @GroupThreads(1)
    public void produceAgronaOneToOne(AgronaOneToOne ring, Claims claims, Control control) {
        produce(ring.ring, claims, control);
    }

    @Benchmark
    @Group("agronaOneToOne")
    @GroupThreads(1)
    public int consumeAgronaOneToOne(AgronaOneToOne ring, AgronaHandler handler, Consumed consumed) {
        int n = ring.ring.read(handler, READ_LIMIT);
        consumed.messages += n;
        return n;
    }

    // ------------------------------------------------------------------ ours, many-to-one

    @Benchmark
    @Group("oursManyToOne")
    @GroupThreads(1)
    public void produceOursManyToOne(OursManyToOne ring, Claims claims, Control control) {
        produce(ring.ring, claims, control);
    }

    @Benchmark
    @Group("oursManyToOne")
    @GroupThreads(1)
    public int consumeOursManyToOne(OursManyToOne ring, OursHandler handler, Consumed consumed) {
        int n = ring.ring.read(handler, READ_LIMIT);
        consumed.messages += n;
        return n;
    }

    // ------------------------------------------------------------------ Agrona, many-to-one

    @Benchmark
    @Group("agronaManyToOne")
    @GroupThreads(1)
    public void produceAgronaManyToOne(AgronaManyToOne ring, Claims claims, Control control) {
        produce(ring.ring, claims, control);
    }

    @Benchmark
    @Group("agronaManyToOne")
    @GroupThreads(1)
    public int consumeAgronaManyToOne(AgronaManyToOne ring, AgronaHandler handler, Consumed consumed) {
        int n = ring.ring.read(handler, READ_LIMIT);
        consumed.messages += n;
        return n;
    }

    // ------------------------------------------------------------------ producer bodies

    /** Claims (spinning while full), writes the payload in place as longs, commits. */
    private void produce(Ring ring, Claims claims, Control control) {
        long offset;
        while ((offset = ring.tryClaim(TYPE_ID, payload)) < 0) {
            claims.fullClaims++;
            if (control.stopMeasurement) {
                return; // the consumer may have stopped: never spin past the iteration
            }
            Thread.onSpinWait();
        }
        MemorySegment buffer = ring.buffer();
        long value = ++sequence;
        for (int i = 0; i < payload; i += 8) {
            buffer.set(LONG, offset + i, value + i);
        }
        ring.commit(offset);
    }

    private void produce(org.agrona.concurrent.ringbuffer.RingBuffer ring, Claims claims, Control control) {
        int index;
        while ((index = ring.tryClaim(TYPE_ID, payload)) < 0) {
            claims.fullClaims++;
            if (control.stopMeasurement) {
                return;
            }
            Thread.onSpinWait();
        }
        MutableDirectBuffer buffer = ring.buffer();
        long value = ++sequence;
        for (int i = 0; i < payload; i += 8) {
            buffer.putLong(index + i, value + i);
        }
        ring.commit(index);
    }

    // ------------------------------------------------------------------ states

    /** A {@link OneToOneRing} over 4096-aligned off-heap memory, shared by a group's threads. */
    @State(Scope.Group)
    public static class OursOneToOne {
        Arena arena;
        OneToOneRing ring;

        @Setup(Level.Trial)
        public void setUp() {
            arena = Arena.ofShared();
            ring = OneToOneRing.create(arena.allocate(RingDescriptor.segmentSize(CAPACITY), 4096));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** A {@link ManyToOneRing} over 4096-aligned off-heap memory, shared by a group's threads. */
    @State(Scope.Group)
    public static class OursManyToOne {
        Arena arena;
        ManyToOneRing ring;

        @Setup(Level.Trial)
        public void setUp() {
            arena = Arena.ofShared();
            ring = ManyToOneRing.create(arena.allocate(RingDescriptor.segmentSize(CAPACITY), 4096));
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** Agrona's {@link OneToOneRingBuffer} over a 4096-aligned direct buffer. */
    @State(Scope.Group)
    public static class AgronaOneToOne {
        OneToOneRingBuffer ring;

        @Setup(Level.Trial)
        public void setUp() {
            ring = new OneToOneRingBuffer(agronaBuffer());
        }
    }

    /** Agrona's {@link ManyToOneRingBuffer} over a 4096-aligned direct buffer. */
    @State(Scope.Group)
    public static class AgronaManyToOne {
        ManyToOneRingBuffer ring;

        @Setup(Level.Trial)
        public void setUp() {
            ring = new ManyToOneRingBuffer(agronaBuffer());
        }
    }

    static UnsafeBuffer agronaBuffer() {
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, 4096));
    }

    /** The consumer's handler for our rings: reads the first and the last long of each payload. */
    @State(Scope.Thread)
    public static class OursHandler implements MessageHandler {
        long sum;

        @Override
        public void onMessage(int typeId, MemorySegment buffer, long offset, int length) {
            sum += buffer.get(LONG, offset) ^ buffer.get(LONG, offset + length - 8);
        }
    }

    /** The consumer's handler for Agrona's rings: the same reads. */
    @State(Scope.Thread)
    public static class AgronaHandler implements org.agrona.concurrent.MessageHandler {
        long sum;

        @Override
        public void onMessage(int typeId, MutableDirectBuffer buffer, int index, int length) {
            sum += buffer.getLong(index) ^ buffer.getLong(index + length - 8);
        }
    }

    /** Messages the consumer received, reported per time unit. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Consumed {
        public long messages;

        @Setup(Level.Iteration)
        public void reset() {
            messages = 0;
        }
    }

    /** Claims the producer retried because the ring was full, a total per iteration. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Claims {
        public long fullClaims;

        @Setup(Level.Iteration)
        public void reset() {
            fullClaims = 0;
        }
    }
}
