package dev.nautilus.accel.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Costs of the shared-memory foundation, each next to its closest peer in the same run:
 * <ul>
 *   <li>release-store + acquire-load of a long in a {@code /dev/shm} mapping vs in plain
 *       off-heap memory from {@code Arena.ofShared().allocate} (the ratio should be ~1: a mapping
 *       is ordinary memory once faulted in);</li>
 *   <li>{@code Futex.wakeAll} with nobody waiting (one system call through the FFM downcall) vs
 *       {@code LockSupport.unpark} of a running thread (the JVM's own wake primitive);</li>
 *   <li>open + map + unmap of an existing 1 MiB segment (the cost a subscriber pays once).</li>
 * </ul>
 * Run: {@code make bench BENCH=SharedMemoryBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class SharedMemoryBenchmark {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private Arena arena;
    private MemorySegment shm;
    private MemorySegment offHeap;
    private String name;
    private long counter;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        name = "/na-bench-" + ProcessHandle.current().pid();
        SharedMemory.unlink(name);
        shm = SharedMemory.create(name, 1 << 20, ShmOptions.defaults().withPrefault(true), arena);
        offHeap = arena.allocate(1 << 20, 4096);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
        SharedMemory.unlink(name);
    }

    @Benchmark
    public long shmStoreReleaseLoadAcquire() {
        LONG.setRelease(shm, 64L, ++counter);
        return (long) LONG.getAcquire(shm, 64L);
    }

    @Benchmark
    public long offHeapStoreReleaseLoadAcquire() {
        LONG.setRelease(offHeap, 64L, ++counter);
        return (long) LONG.getAcquire(offHeap, 64L);
    }

    @Benchmark
    public int futexWakeNobodyWaiting() {
        return Futex.wakeAll(shm, 128);
    }

    @Benchmark
    public void lockSupportUnparkRunningThread() {
        LockSupport.unpark(Thread.currentThread());
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long openMapUnmap1MiB() {
        try (Arena a = Arena.ofConfined()) {
            return SharedMemory.open(name, a).byteSize();
        }
    }
}
