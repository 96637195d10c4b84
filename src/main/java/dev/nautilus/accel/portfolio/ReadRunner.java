package dev.nautilus.accel.portfolio;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Spreads independent reads over threads. Each thread owns one {@link Kernel} (its working
 * arrays); read {@code r} always gets the seed {@link Xoshiro256#streamSeed(long, long)
 * streamSeed(seed, r)}, so results do not depend on the thread count.
 */
final class ReadRunner {
    /** One thread's working state; {@link #run} may be called many times, never concurrently. */
    interface Kernel {
        /**
         * @param seed the read's seed
         * @param out receives the final spins (-1/+1) of the read
         * @return the number of single-variable update attempts made
         */
        long run(long seed, byte[] out);
    }

    private ReadRunner() {}

    static SolverResult run(String name, IsingModel ising, int spins, int reads, int threads, long seed, long sweeps,
            java.util.function.Supplier<Kernel> kernels, java.util.function.Function<byte[], byte[]> decode, QuboModel qubo,
            java.util.function.IntConsumer progress) {
        long start = System.nanoTime();
        double[] energies = new double[reads];
        long[] nanos = new long[reads];
        long[] attempts = new long[reads];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int nt = Math.max(1, Math.min(threads, reads));
        // per thread: the best read so far (lowest energy, then lowest read index), so memory does not grow with reads
        int[] bestRead = new int[nt];
        byte[][] bestX = new byte[nt][];
        java.util.function.IntFunction<Runnable> worker = w -> () -> {
            try {
                Kernel k = kernels.get();
                byte[] s = new byte[spins];
                bestRead[w] = -1;
                int r;
                while ((r = next.getAndIncrement()) < reads) {
                    long t0 = System.nanoTime();
                    attempts[r] = k.run(Xoshiro256.streamSeed(seed, r), s);
                    nanos[r] = System.nanoTime() - t0;
                    byte[] x = decode.apply(s);
                    energies[r] = qubo.energy(x);
                    if (bestRead[w] < 0 || energies[r] < energies[bestRead[w]]) {
                        bestRead[w] = r;
                        bestX[w] = x;
                    }
                    int d = done.incrementAndGet();
                    if (progress != null) {
                        progress.accept(d);
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        if (nt == 1) {
            worker.apply(0).run();
        } else {
            Thread[] ts = new Thread[nt];
            for (int i = 0; i < nt; i++) {
                ts[i] = Thread.ofPlatform().name(name + "-read-" + i).start(worker.apply(i));
            }
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(name + " was interrupted", e);
                }
            }
        }
        if (failure.get() != null) {
            Throwable t = failure.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(name + " failed: " + t, t);
        }
        int best = -1;
        byte[] x = null;
        for (int w = 0; w < nt; w++) {
            int r = bestRead[w];
            if (r >= 0 && (best < 0 || energies[r] < energies[best] || (energies[r] == energies[best] && r < best))) {
                best = r;
                x = bestX[w];
            }
        }
        long total = 0;
        for (int r = 0; r < reads; r++) {
            total += attempts[r];
        }
        return new SolverResult(name, energies[best], x, System.nanoTime() - start, sweeps, energies, nanos, total);
    }

    static void checkCommon(int reads, int threads, long sweeps) {
        if (reads < 1) {
            throw new IllegalArgumentException("reads must be at least 1, got " + reads);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (sweeps < 1) {
            throw new IllegalArgumentException("sweeps must be at least 1, got " + sweeps);
        }
    }
}
