package dev.nautilus.accel.bus;

import dev.nautilus.accel.bus.RingBenchmark.AgronaHandler;
import dev.nautilus.accel.bus.RingBenchmark.AgronaManyToOne;
import dev.nautilus.accel.bus.RingBenchmark.AgronaOneToOne;
import dev.nautilus.accel.bus.RingBenchmark.Claims;
import dev.nautilus.accel.bus.RingBenchmark.Consumed;
import dev.nautilus.accel.bus.RingBenchmark.OursHandler;
import dev.nautilus.accel.bus.RingBenchmark.OursManyToOne;
import dev.nautilus.accel.bus.RingBenchmark.OursOneToOne;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Control;

/**
 * Like {@link RingBenchmark} (same rings, consumer and counters), but the producer copies a
 * prepared payload with the one-call {@code write}: ours {@code write(typeId, MemorySegment)}
 * from a 64-byte-aligned off-heap segment, Agrona's {@code write(typeId, buffer, 0, length)} from
 * a 64-byte-aligned direct buffer. A full ring makes {@code write} return false; the producer then
 * spins until it succeeds, so one producer operation is one message.
 *
 * <p>Run: {@code make bench BENCH=RingWriteBenchmark JMH_ARGS="-f 3 -wi 5 -i 5 -w 2s -r 2s -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class RingWriteBenchmark {
    /** Payload bytes per message. */
    @Param({"32", "256"})
    public int payload;

    /** A prepared payload in 64-byte-aligned off-heap memory, for our rings. */
    @State(Scope.Thread)
    public static class OurSource {
        Arena arena;
        MemorySegment payload;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            int length = Integer.parseInt(params.getParam("payload"));
            arena = Arena.ofShared();
            payload = arena.allocate(length, 64);
            for (int i = 0; i < length; i++) {
                payload.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            arena.close();
        }
    }

    /** The same payload in a 64-byte-aligned direct buffer, for Agrona's rings. */
    @State(Scope.Thread)
    public static class AgronaSource {
        UnsafeBuffer payload;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            int length = Integer.parseInt(params.getParam("payload"));
            payload = new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, 64));
            for (int i = 0; i < length; i++) {
                payload.putByte(i, (byte) i);
            }
        }
    }

    // ------------------------------------------------------------------ ours, one-to-one

    @Benchmark
    @Group("oursOneToOne")
    @GroupThreads(1)
    public void writeOursOneToOne(OursOneToOne ring, OurSource source, Claims claims, Control control) {
        write(ring.ring, source.payload, claims, control);
    }

    @Benchmark
    @Group("oursOneToOne")
    @GroupThreads(1)
    public int consumeOursOneToOne(OursOneToOne ring, OursHandler handler, Consumed consumed) {
        int n = ring.ring.read(handler, RingBenchmark.READ_LIMIT);
        consumed.messages += n;
        return n;
    }

    // ------------------------------------------------------------------ Agrona, one-to-one

    @Benchmark
    @Group("agronaOneToOne")
    @GroupThreads(1)
    public void writeAgronaOneToOne(AgronaOneToOne ring, AgronaSource source, Claims claims, Control control) {
        write(ring.ring, source.payload, claims, control);
    }

    @Benchmark
    @Group("agronaOneToOne")
    @GroupThreads(1)
    public int consumeAgronaOneToOne(AgronaOneToOne ring, AgronaHandler handler, Consumed consumed) {
        int n = ring.ring.read(handler, RingBenchmark.READ_LIMIT);
        consumed.messages += n;
        return n;
    }

    // ------------------------------------------------------------------ ours, many-to-one

    @Benchmark
    @Group("oursManyToOne")
    @GroupThreads(1)
    public void writeOursManyToOne(OursManyToOne ring, OurSource source, Claims claims, Control control) {
        write(ring.ring, source.payload, claims, control);
    }

    @Benchmark
    @Group("oursManyToOne")
    @GroupThreads(1)
    public int consumeOursManyToOne(OursManyToOne ring, OursHandler handler, Consumed consumed) {
        int n = ring.ring.read(handler, RingBenchmark.READ_LIMIT);
        consumed.messages += n;
        return n;
    }

    // ------------------------------------------------------------------ Agrona, many-to-one

    @Benchmark
    @Group("agronaManyToOne")
    @GroupThreads(1)
    public void writeAgronaManyToOne(AgronaManyToOne ring, AgronaSource source, Claims claims, Control control) {
        write(ring.ring, source.payload, claims, control);
    }

    @Benchmark
    @Group("agronaManyToOne")
    @GroupThreads(1)
    public int consumeAgronaManyToOne(AgronaManyToOne ring, AgronaHandler handler, Consumed consumed) {
        int n = ring.ring.read(handler, RingBenchmark.READ_LIMIT);
        consumed.messages += n;
        return n;
    }

    // ------------------------------------------------------------------ producer bodies

    private static void write(Ring ring, MemorySegment payload, Claims claims, Control control) {
        while (!ring.write(RingBenchmark.TYPE_ID, payload)) {
            claims.fullClaims++;
            if (control.stopMeasurement) {
                return; // the consumer may have stopped: never spin past the iteration
            }
            Thread.onSpinWait();
        }
    }

    private static void write(org.agrona.concurrent.ringbuffer.RingBuffer ring, UnsafeBuffer payload, Claims claims,
            Control control) {
        while (!ring.write(RingBenchmark.TYPE_ID, payload, 0, payload.capacity())) {
            claims.fullClaims++;
            if (control.stopMeasurement) {
                return;
            }
            Thread.onSpinWait();
        }
    }
}
