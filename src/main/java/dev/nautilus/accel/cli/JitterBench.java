package dev.nautilus.accel.cli;

import dev.nautilus.accel.affinity.Affinity;
import dev.nautilus.accel.affinity.AffinityException;
import dev.nautilus.accel.affinity.CpuSet;
import dev.nautilus.accel.affinity.RealtimeScheduling;
import dev.nautilus.accel.affinity.SchedulingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The jitter measurement behind {@code nautilus bench jitter}: a thread spins reading
 * {@link System#nanoTime()} and records every gap between successive reads in a histogram. On a
 * quiet, pinned, real-time CPU the gaps stay near the cost of one read; interrupts, preemption,
 * page faults and SMIs show up as the tail.
 */
final class JitterBench {
    /** One way to run the spinning thread. */
    enum Mode {
        /** Any CPU, SCHED_OTHER. */
        UNPINNED("unpinned"),
        /** Pinned to one CPU, SCHED_OTHER. */
        PINNED("pinned"),
        /** Pinned to one CPU, SCHED_FIFO. */
        PINNED_FIFO("pinned+fifo");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    /**
     * One mode's result.
     *
     * @param mode the mode
     * @param cpu the pinned CPU, or -1
     * @param histogram gaps in ns (null when skipped)
     * @param skipped why the mode did not run, or null
     */
    record Result(Mode mode, int cpu, Histogram histogram, String skipped) {
        long over(long ns) {
            return histogram == null ? 0 : histogram.getCountBetweenValues(ns + 1, histogram.getMaxValue() + 1);
        }
    }

    private final long durationNanos;
    private final int cpu;
    private final int fifoPriority;

    JitterBench(long durationNanos, int cpu, int fifoPriority) {
        this.durationNanos = durationNanos;
        this.cpu = cpu;
        this.fifoPriority = fifoPriority;
    }

    List<Result> run(List<Mode> modes, BusBench.Progress progress) throws InterruptedException {
        List<Result> out = new ArrayList<>();
        for (Mode m : modes) {
            out.add(runOne(m, progress));
        }
        return out;
    }

    private Result runOne(Mode mode, BusBench.Progress progress) throws InterruptedException {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        String[] skipped = {null};
        AtomicLong elapsed = new AtomicLong();
        Thread t = Thread.ofPlatform().name("na-jitter").unstarted(() -> {
            try {
                if (mode != Mode.UNPINNED) {
                    Affinity.pinCurrentThread(CpuSet.of(cpu));
                }
                if (mode == Mode.PINNED_FIFO) {
                    RealtimeScheduling.setCurrentThread(SchedulingPolicy.FIFO, fifoPriority);
                }
            } catch (AffinityException e) {
                skipped[0] = e.getMessage();
                return;
            }
            spin(h, elapsed);
        });
        t.setDaemon(true);
        progress.start("jitter " + mode.label, durationNanos / 1_000_000);
        t.start();
        while (t.isAlive()) {
            t.join(100);
            progress.update(elapsed.get() / 1_000_000);
        }
        progress.end();
        return new Result(mode, mode == Mode.UNPINNED ? -1 : cpu, skipped[0] == null ? h : null, skipped[0]);
    }

    private void spin(Histogram h, AtomicLong elapsed) {
        long start = System.nanoTime();
        long end = start + durationNanos;
        long prev = start;
        long nextReport = start + 50_000_000L;
        while (true) {
            long now = System.nanoTime();
            h.recordValue(now - prev);
            prev = now;
            if (now >= nextReport) {
                elapsed.set(now - start);
                nextReport = now + 50_000_000L;
                if (now >= end) {
                    return;
                }
            }
        }
    }
}
