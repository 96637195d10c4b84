package dev.nautilus.accel.risk;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Runs numbered blocks of work on a few platform threads: each thread makes its own task (with
 * its own scratch arrays) and takes block numbers from a shared counter until none are left.
 * Results depend only on the block number, never on the thread that ran it, so the answers of
 * the engines do not depend on the thread count. Progress is reported on the calling thread.
 */
final class Workers {
    private Workers() {}

    /**
     * @param blocks number of blocks, numbered 0..blocks-1
     * @param threads worker threads, &gt;= 1 (1 runs on the calling thread)
     * @param taskPerThread makes one task per thread; the task runs one block by number
     * @param progress told (on the calling thread) the number of blocks done, or null
     */
    static void run(int blocks, int threads, Supplier<IntConsumer> taskPerThread, RiskProgress progress) {
        AtomicInteger next = new AtomicInteger();
        AtomicLong done = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int t = Math.max(1, Math.min(threads, blocks));
        if (t == 1) {
            IntConsumer task = taskPerThread.get();
            for (int b = 0; b < blocks; b++) {
                task.accept(b);
                if (progress != null) {
                    progress.update(b + 1, blocks);
                }
            }
            return;
        }
        Thread[] workers = new Thread[t];
        for (int i = 0; i < t; i++) {
            workers[i] = Thread.ofPlatform().name("nautilus-risk-" + i).daemon().start(() -> {
                try {
                    IntConsumer task = taskPerThread.get();
                    for (int b = next.getAndIncrement(); b < blocks && failure.get() == null; b = next.getAndIncrement()) {
                        task.accept(b);
                        done.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        try {
            for (Thread w : workers) {
                while (w.isAlive()) {
                    w.join(200);
                    if (progress != null) {
                        progress.update(done.get(), blocks);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while simulating", e);
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error err) {
            throw err;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }

    /**
     * @param seed a user seed
     * @param stream a stream number (block, replica)
     * @return a well-mixed 64-bit seed for that stream (SplitMix64 finaliser)
     */
    static long mix(long seed, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
