package dev.nautilus.accel.bus;

import java.time.Duration;

/**
 * What a {@link Subscriber} does while its channel is empty. Immutable.
 * <ul>
 *   <li>{@link #busySpin()}: poll continuously ({@link Thread#onSpinWait()}); lowest latency, one
 *       core at 100%.</li>
 *   <li>{@link #spinThenYield(int)}: spin, then {@link Thread#yield()} between polls; lets other
 *       threads run, still near 100% CPU.</li>
 *   <li>{@link #spinThenSleep(int, int, Duration)}: spin, yield, then sleep on the channel's futex
 *       word until a publisher wakes it (or at most {@code maxSleep}, to re-check for dead
 *       producers); an idle subscriber uses ~0% CPU. Publishers then pay a memory fence per
 *       message, and a wake system call only when the subscriber has said it is sleeping.</li>
 * </ul>
 */
public final class WaitStrategy {
    /** How the subscriber waits. */
    public enum Kind {
        /** Spin only. */
        BUSY_SPIN,
        /** Spin, then yield. */
        SPIN_THEN_YIELD,
        /** Spin, yield, then sleep on the futex word. */
        SPIN_THEN_SLEEP
    }

    private final Kind kind;
    private final int spins;
    private final int yields;
    private final long maxSleepNanos;

    private WaitStrategy(Kind kind, int spins, int yields, long maxSleepNanos) {
        this.kind = kind;
        this.spins = spins;
        this.yields = yields;
        this.maxSleepNanos = maxSleepNanos;
    }

    /** @return a strategy that only spins */
    public static WaitStrategy busySpin() {
        return new WaitStrategy(Kind.BUSY_SPIN, Integer.MAX_VALUE, 0, 0);
    }

    /**
     * @param spins empty polls before yielding, &gt;= 0
     * @return a strategy that spins, then yields between polls
     */
    public static WaitStrategy spinThenYield(int spins) {
        return new WaitStrategy(Kind.SPIN_THEN_YIELD, check("spins", spins), Integer.MAX_VALUE, 0);
    }

    /**
     * @param spins empty polls spinning, &gt;= 0
     * @param yields further empty polls yielding, &gt;= 0
     * @param maxSleep the longest single sleep, &gt; 0 (a safety net; wake-ups normally come from
     *     publishers); e.g. 100 ms
     * @return a strategy that ends by sleeping on the futex word
     */
    public static WaitStrategy spinThenSleep(int spins, int yields, Duration maxSleep) {
        long ns = maxSleep.toNanos();
        if (ns <= 0) {
            throw new IllegalArgumentException("invalid maxSleep " + maxSleep + ": it must be > 0 (e.g. 100 ms)");
        }
        return new WaitStrategy(Kind.SPIN_THEN_SLEEP, check("spins", spins), check("yields", yields), ns);
    }

    /** @return spin 10,000 polls, yield 100, then sleep at most 100 ms at a time */
    public static WaitStrategy defaultSleeping() {
        return spinThenSleep(10_000, 100, Duration.ofMillis(100));
    }

    private static int check(String what, int v) {
        if (v < 0) {
            throw new IllegalArgumentException("invalid " + what + " " + v + ": it must be >= 0");
        }
        return v;
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return empty polls spent spinning */
    public int spins() {
        return spins;
    }

    /** @return empty polls spent yielding after spinning */
    public int yields() {
        return yields;
    }

    /** @return the longest single sleep in nanoseconds (0 when it never sleeps) */
    public long maxSleepNanos() {
        return maxSleepNanos;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case BUSY_SPIN -> "busy-spin";
            case SPIN_THEN_YIELD -> "spin-then-yield(" + spins + ")";
            case SPIN_THEN_SLEEP -> "spin-then-sleep(" + spins + ", " + yields + ", " + Duration.ofNanos(maxSleepNanos) + ")";
        };
    }
}
