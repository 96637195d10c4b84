package dev.nautilus.accel.compare;

import dev.nautilus.accel.affinity.Affinity;
import dev.nautilus.accel.affinity.CpuSet;
import java.util.function.Supplier;

/**
 * The two CPUs of a cross-process comparison: this process's measuring thread and the echo
 * child's thread. Chosen from {@code --cpus A,B}, else the two highest online CPUs; never
 * silently unpinned (without pinning the caller must say {@code --no-pin}).
 *
 * @param parent CPU of the measuring thread
 * @param child CPU of the echo child's thread
 */
record CpuPair(int parent, int child) {
    /**
     * @param cpus {@code "A,B"} or null for the default
     * @param noPin true: no pinning (then {@code cpus} must be null)
     * @return the pair, or null when not pinned
     * @throws UsageException for a malformed or offline choice
     * @throws CompareException when this machine cannot pin two threads apart
     */
    static CpuPair choose(String cpus, boolean noPin) {
        if (noPin) {
            if (cpus != null) {
                throw new UsageException("--cpus and --no-pin exclude each other");
            }
            return null;
        }
        if (!Affinity.canPin()) {
            throw new CompareException("cannot pin threads to CPUs here ("
                    + Affinity.unavailabilityCause().map(Exception::getMessage).orElse("no pinning on this platform")
                    + "); run with --no-pin to measure unpinned (the output then says so)");
        }
        CpuSet online = Affinity.onlineCpus();
        if (cpus == null) {
            int[] all = online.toArray();
            if (all.length < 2) {
                throw new CompareException("only " + all.length + " CPU online (" + online + "): the two processes need two"
                        + " CPUs to be pinned apart; run with --no-pin to measure unpinned");
            }
            return new CpuPair(all[all.length - 2], all[all.length - 1]);
        }
        String[] parts = cpus.split(",");
        int[] c = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                c[i] = Integer.parseInt(parts[i].strip());
            }
        } catch (NumberFormatException e) {
            throw new UsageException("invalid --cpus \"" + cpus + "\": give two CPU numbers, this process's and the echo child's (e.g. 0,1)");
        }
        if (c.length != 2 || c[0] == c[1]) {
            throw new UsageException("invalid --cpus \"" + cpus + "\": give two different CPUs, this process's and the echo child's (e.g. 0,1)");
        }
        for (int x : c) {
            if (x < 0 || !online.contains(x)) {
                throw new UsageException("invalid --cpus: CPU " + x + " is not online (online: " + online + ")");
            }
        }
        return new CpuPair(c[0], c[1]);
    }

    /**
     * Pins the calling thread to one CPU; a negative CPU means "not pinned" and does nothing.
     *
     * @param cpu the CPU, or -1
     */
    static void pinCurrentThread(int cpu) {
        if (cpu >= 0) {
            Affinity.pinCurrentThread(CpuSet.of(cpu));
        }
    }

    /**
     * Runs work on a new platform thread pinned to the parent CPU, and waits for it: the caller
     * stays unpinned, so the child JVMs it starts do not inherit the pinning.
     *
     * @param cpus the pair, or null to run unpinned
     * @param work the measurement
     * @param <T> its result
     * @return what the work returned
     */
    static <T> T callPinned(CpuPair cpus, Supplier<T> work) {
        Object[] result = {null};
        Throwable[] failure = {null};
        Thread t = Thread.ofPlatform().name("na-cmp-measure").start(() -> {
            try {
                if (cpus != null) {
                    pinCurrentThread(cpus.parent());
                }
                result[0] = work.get();
            } catch (RuntimeException | Error e) {
                failure[0] = e;
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T r = (T) result[0];
        return r;
    }

    /**
     * @param pair the pair or null
     * @return a sentence for the report
     */
    static String describe(CpuPair pair) {
        return pair == null
                ? "NOT pinned (--no-pin): the OS may move or preempt either side, which shows in the tail"
                : "pinned: measuring thread on CPU " + pair.parent() + ", echo child's thread on CPU " + pair.child()
                        + " (JIT and GC threads are not pinned)";
    }
}
