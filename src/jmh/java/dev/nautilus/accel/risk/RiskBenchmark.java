package dev.nautilus.accel.risk;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one parametric VaR with the portfolio sigma precomputed (the quantile computed per
 * call), and of the pieces of a simulated scenario: a normal quantile, a scrambled Sobol point in
 * 31 dimensions, a linear revaluation. Run: {@code make bench BENCH=RiskBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow"})
public class RiskBenchmark {
    @Param({"0.99"})
    public double level;

    private SobolSequence sobol;
    private int[] state;
    private double[] u;
    private LinearPortfolio portfolio;
    private long index;
    private double sd = 0.031;

    @Setup
    public void setUp() {
        sobol = SobolSequence.scrambled(31, 1, true);
        state = new int[31];
        u = new double[31];
        sobol.seek(0, state);
        portfolio = new LinearPortfolio(MarketModel.equalWeights(31));
    }

    @Benchmark
    public double parametricVar() {
        return ParametricEngine.valueAtRisk(0.001, sd, level);
    }

    @Benchmark
    public double inverseNormal() {
        return NormalDistribution.inverseCdf(level);
    }

    @Benchmark
    public double sobolPointAndLinearRevaluation() {
        if (index == (1L << 30)) {
            index = 0;
            sobol.seek(0, state);
        }
        sobol.fill(index++, state, u);
        return portfolio.pnl(u);
    }
}
