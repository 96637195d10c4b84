package dev.nautilus.accel.affinity;

import dev.nautilus.accel.nativeaccess.UnsupportedPlatformException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A {@link ThreadFactory} whose platform threads place themselves by {@link Workload} when they
 * start: inside the thread, before its task, a {@link Workload#LATENCY_CRITICAL} thread reserves a
 * whole core ({@link CpuReservation}) and pins itself to it, a {@link Workload#BACKGROUND} thread
 * pins itself to CPUs nobody has reserved; each names itself for the kernel ({@code top -H},
 * {@code perf}); the reservation is released when the thread's task returns or throws.
 *
 * <pre>{@code
 * ExecutorService hot = Executors.newSingleThreadExecutor(new PinnedThreadFactory("md-feed", Workload.LATENCY_CRITICAL));
 * }</pre>
 *
 * <p><b>Failures.</b> A thread never runs its task unpinned. {@link #newThread} decides early what
 * it can and throws there: no pinning on this platform ({@link UnsupportedPlatformException}), no
 * CPU that could ever fit ({@link IllegalArgumentException}), every candidate reserved right now
 * ({@link CpuReservationException}, naming the holders); a {@link java.util.concurrent.ThreadPoolExecutor}
 * passes that exception to the caller of {@code execute}/{@code submit}. What can only fail on the
 * thread (another process took the last free core in between, the kernel refused the pin) makes
 * the thread end without running its task and goes to the failure handler
 * ({@link #withFailureHandler}), or, without one, out of the thread's {@code run} to its uncaught
 * exception handler. An executor then loses that worker and its first task; handle the failure
 * (e.g. shut the executor down) where that matters.
 *
 * <p>Thread names are {@code PREFIX-N} (N from 1); the kernel's name is the same cut to 15 bytes,
 * keeping {@code -N}. Immutable and thread-safe; the {@code with...} methods return new factories
 * that share the thread counter.
 */
public final class PinnedThreadFactory implements ThreadFactory {
    private static final int KERNEL_NAME_BYTES = 15;
    private final String prefix;
    private final Workload workload;
    private final CpuTopology topology;
    private final Path lockDirectory;
    private final boolean daemon;
    private final BiConsumer<Thread, RuntimeException> failureHandler;
    private final AtomicInteger counter;

    /**
     * A factory for the live machine ({@link CpuTopology#read()}) and the default lock directory.
     *
     * @param namePrefix thread names are {@code namePrefix-N}, e.g. {@code md-feed}
     * @param workload where the threads go
     * @throws IllegalArgumentException for an empty prefix or one with control characters
     */
    public PinnedThreadFactory(String namePrefix, Workload workload) {
        this(namePrefix, workload, CpuTopology.read());
    }

    /**
     * @param namePrefix thread names are {@code namePrefix-N}
     * @param workload where the threads go
     * @param topology the machine's CPUs (the threads pin to its CPUs, so it must be this machine's)
     * @throws IllegalArgumentException for an empty prefix or one with control characters
     */
    public PinnedThreadFactory(String namePrefix, Workload workload, CpuTopology topology) {
        this(checkPrefix(namePrefix), Objects.requireNonNull(workload, "workload"), Objects.requireNonNull(topology, "topology"),
                null, false, null, new AtomicInteger());
    }

    private PinnedThreadFactory(String prefix, Workload workload, CpuTopology topology, Path lockDirectory, boolean daemon,
            BiConsumer<Thread, RuntimeException> failureHandler, AtomicInteger counter) {
        this.prefix = prefix;
        this.workload = workload;
        this.topology = topology;
        this.lockDirectory = lockDirectory;
        this.daemon = daemon;
        this.failureHandler = failureHandler;
        this.counter = counter;
    }

    private static String checkPrefix(String p) {
        if (p == null || p.isBlank() || p.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("invalid thread name prefix " + (p == null ? "null" : "\"" + p + "\"")
                    + ": use a short printable name such as \"md-feed\" (threads are named PREFIX-N; the kernel keeps 15 bytes)");
        }
        return p;
    }

    /**
     * @param dir the lock directory for LATENCY_CRITICAL reservations and for the reservations
     *     BACKGROUND threads avoid; null for {@link CpuReservation#defaultLockDirectory()}
     * @return a factory like this one with that directory
     */
    public PinnedThreadFactory withLockDirectory(Path dir) {
        return new PinnedThreadFactory(prefix, workload, topology, dir, daemon, failureHandler, counter);
    }

    /**
     * @param on whether the threads are daemon threads (default false)
     * @return a factory like this one
     */
    public PinnedThreadFactory withDaemon(boolean on) {
        return new PinnedThreadFactory(prefix, workload, topology, lockDirectory, on, failureHandler, counter);
    }

    /**
     * @param handler called on the failing thread with the thread and the exception when
     *     reserving or pinning fails there (the task does not run); null to let the exception out
     *     of the thread's {@code run} instead
     * @return a factory like this one
     */
    public PinnedThreadFactory withFailureHandler(BiConsumer<Thread, RuntimeException> handler) {
        return new PinnedThreadFactory(prefix, workload, topology, lockDirectory, daemon, handler, counter);
    }

    /** @return where the threads go */
    public Workload workload() {
        return workload;
    }

    /** @return the topology the threads are placed on */
    public CpuTopology topology() {
        return topology;
    }

    /**
     * Makes an unstarted platform thread that places itself when started, then runs the task.
     *
     * @param task what the thread runs once pinned
     * @return the thread
     * @throws UnsupportedPlatformException where threads cannot be pinned (macOS)
     * @throws dev.nautilus.accel.nativeaccess.NativeUnavailableException when the affinity module is unavailable
     * @throws IllegalArgumentException when no CPU of this machine could ever fit the workload
     * @throws CpuReservationException when every candidate is reserved right now, naming the holders
     */
    @Override
    public Thread newThread(Runnable task) {
        Objects.requireNonNull(task, "task");
        Affinity.ensureAvailable();
        if (!Affinity.canPin()) {
            throw UnsupportedPlatformException.of("pinned threads", "macOS has no hard pinning; use Affinity.setQosClass "
                    + "(USER_INTERACTIVE for performance cores, BACKGROUND for efficiency cores) on an ordinary thread");
        }
        if (workload == Workload.LATENCY_CRITICAL) {
            Workload.latencyRequest(topology, lockDirectory).checkAvailable();
        } else {
            Workload.backgroundCpus(topology, CpuReservation.holders(lockDir()));
        }
        int n = counter.incrementAndGet();
        String kernelName = kernelName(prefix, n);
        return Thread.ofPlatform().name(prefix + "-" + n).daemon(daemon).unstarted(() -> runPinned(task, kernelName));
    }

    private Path lockDir() {
        return lockDirectory == null ? CpuReservation.defaultLockDirectory() : lockDirectory;
    }

    private void runPinned(Runnable task, String kernelName) {
        CpuReservation reservation = null;
        try {
            Affinity.setCurrentThreadName(kernelName);
            if (workload == Workload.LATENCY_CRITICAL) {
                reservation = Workload.latencyRequest(topology, lockDirectory).reserve();
                reservation.pinCurrentThread(reservation.cpus().first());
            } else {
                Affinity.pinCurrentThread(Workload.backgroundCpus(topology, CpuReservation.holders(lockDir())));
            }
        } catch (RuntimeException e) {
            if (reservation != null) {
                reservation.close();
            }
            if (failureHandler == null) {
                throw e;
            }
            failureHandler.accept(Thread.currentThread(), e);
            return;
        }
        try {
            task.run();
        } finally {
            if (reservation != null) {
                reservation.close();
            }
        }
    }

    /** @return {@code prefix-n} cut to 15 UTF-8 bytes, keeping {@code -n} */
    static String kernelName(String prefix, int n) {
        String suffix = "-" + n;
        int budget = KERNEL_NAME_BYTES - suffix.length();
        StringBuilder sb = new StringBuilder();
        int used = 0;
        for (int i = 0; i < prefix.length(); ) {
            int cp = prefix.codePointAt(i);
            int bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + bytes > budget) {
                break;
            }
            sb.appendCodePoint(cp);
            used += bytes;
            i += Character.charCount(cp);
        }
        String cut = sb.toString();
        if (cut.length() < prefix.length()) { // cut: no dangling separator before -N
            cut = cut.replaceAll("[-_. ]+$", "");
        }
        return cut + suffix;
    }

    /** @return e.g. {@code PinnedThreadFactory[md-feed, LATENCY_CRITICAL]} */
    @Override
    public String toString() {
        return "PinnedThreadFactory[" + prefix + ", " + workload + "]";
    }
}
