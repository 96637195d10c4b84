package dev.nautilus.accel.affinity;

import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the affinity calls through our FFM bindings against OpenHFT's Java-Thread-Affinity
 * ({@code net.openhft:affinity}, JNA underneath) in the same run: which CPU am I on, my thread
 * id, read my affinity, set my affinity (to the set it already has, so the benchmark thread is not
 * moved around). Run: {@code make bench BENCH=AffinityBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class AffinityBenchmark {
    private CpuSet ours;
    private BitSet theirs;

    @Setup
    public void setUp() {
        ours = Affinity.currentThreadAffinity();
        theirs = net.openhft.affinity.Affinity.getAffinity();
    }

    @Benchmark
    public int oursGetCpu() {
        return Affinity.currentCpu();
    }

    @Benchmark
    public int openhftGetCpu() {
        return net.openhft.affinity.Affinity.getCpu();
    }

    @Benchmark
    public long oursThreadId() {
        return Affinity.currentThreadId();
    }

    @Benchmark
    public int openhftThreadId() {
        return net.openhft.affinity.Affinity.getThreadId();
    }

    @Benchmark
    public CpuSet oursGetAffinity() {
        return Affinity.currentThreadAffinity();
    }

    @Benchmark
    public BitSet openhftGetAffinity() {
        return net.openhft.affinity.Affinity.getAffinity();
    }

    @Benchmark
    public void oursSetAffinity() {
        Affinity.pinCurrentThread(ours);
    }

    @Benchmark
    public void openhftSetAffinity() {
        net.openhft.affinity.Affinity.setAffinity(theirs);
    }
}
