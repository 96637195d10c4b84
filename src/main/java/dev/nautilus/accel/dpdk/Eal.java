package dev.nautilus.accel.dpdk;

import dev.nautilus.accel.bindings.dpdk.na_dpdk_h;
import dev.nautilus.accel.nativeaccess.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * DPDK's Environment Abstraction Layer for this process: initialised once, from
 * {@link EalOptions}, and shared by everything that uses DPDK here.
 *
 * <pre>{@code
 * Eal eal = Eal.init(EalOptions.virtualDevices("net_ring0"));
 * try (Mempool pool = Mempool.create(eal, "rx", 8191)) { ... }
 * }</pre>
 *
 * <p><b>Once per process.</b> DPDK can initialise EAL only once in a process, and never again
 * after {@link #close()} ({@code rte_eal_cleanup}). {@link #init} with the same options returns
 * the running instance; with different options it throws {@link IllegalStateException} naming
 * both; after {@link #close()} it throws too (start a new process).
 *
 * <p><b>Threads.</b> {@code rte_eal_init} pins the thread that calls it to the first lcore, and
 * every thread that thread creates afterwards inherits the pin; so this class calls it on a
 * dedicated, short-lived thread and leaves the caller's affinity alone. Java threads are not EAL
 * lcores: a thread that moves packets should call {@link #registerCurrentThread()} once, which
 * gives it an lcore id ({@code rte_thread_register}) and so a per-lcore mempool cache (without it
 * every mbuf alloc and free goes to the shared ring, ~20% slower). Two processes must never use
 * the same lcore id.
 *
 * <p><b>Shutdown.</b> {@link #close()} closes the ports and frees the mempools this process
 * opened through this API, then calls {@code rte_eal_cleanup}; a JVM shutdown hook does the same
 * if the application did not. Stop all packet threads first. Thread-safe.
 */
public final class Eal implements AutoCloseable {
    private static final Object LOCK = new Object();
    private static Eal current;
    private static boolean cleanedUp;
    private static final ThreadLocal<int[]> LCORE = ThreadLocal.withInitial(() -> new int[] {Integer.MIN_VALUE});

    private final EalOptions options;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile boolean closed;

    private Eal(EalOptions options) {
        this.options = options;
    }

    /**
     * Initialises EAL in this process, or returns the running instance when it was initialised
     * with equal options.
     *
     * @param options the EAL arguments
     * @return the process's EAL
     * @throws IllegalStateException when EAL runs with other options, or was cleaned up
     * @throws IllegalArgumentException for options EAL refuses to combine
     * @throws DpdkException when {@code rte_eal_init} fails (unknown vdev, no memory, ...)
     */
    public static Eal init(EalOptions options) {
        Dpdk.ensureAvailable();
        List<String> args = options.toArgs();
        synchronized (LOCK) {
            if (current != null) {
                if (current.options.equals(options)) {
                    return current;
                }
                throw new IllegalStateException("EAL is already initialised in this process with [" + current.options
                        + "], not [" + options + "]: EAL runs once per process; use Eal.current(), or start another process");
            }
            if (cleanedUp) {
                throw new IllegalStateException("EAL was cleaned up in this process and DPDK cannot initialise it again:"
                        + " start a new process");
            }
            int r = initOnOwnThread(args);
            if (r < 0) {
                throw initError(args, -r);
            }
            Eal eal = new Eal(options);
            current = eal;
            Runtime.getRuntime().addShutdownHook(new Thread(eal::closeQuietly, "na-eal-cleanup"));
            return eal;
        }
    }

    /** @return the running EAL, or empty when {@link #init} has not succeeded (or it was closed) */
    public static Optional<Eal> current() {
        synchronized (LOCK) {
            return Optional.ofNullable(current);
        }
    }

    private static int initOnOwnThread(List<String> args) {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment argv = a.allocate(ValueLayout.ADDRESS, args.size() + 2);
                argv.setAtIndex(ValueLayout.ADDRESS, 0, a.allocateFrom("nautilus"));
                for (int i = 0; i < args.size(); i++) {
                    argv.setAtIndex(ValueLayout.ADDRESS, i + 1, a.allocateFrom(args.get(i)));
                }
                argv.setAtIndex(ValueLayout.ADDRESS, args.size() + 1, MemorySegment.NULL);
                result.set(na_dpdk_h.na_dpdk_eal_init(args.size() + 1, argv));
            } catch (Throwable e) {
                result.set(e);
            }
        }, "na-eal-init");
        t.setDaemon(true);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while EAL initialises (it goes on in thread na-eal-init)", e);
        }
        Object r = result.get();
        if (r instanceof Throwable e) {
            throw new IllegalStateException("rte_eal_init threw: " + e, e);
        }
        return (Integer) r;
    }

    private static DpdkException initError(List<String> args, int errno) {
        String hint;
        if (errno == Errno.EALREADY) {
            hint = "EAL was initialised in this process outside nautilus (or a failed init left it half done): one init per process";
        } else if (errno == Errno.EINVAL || errno == Errno.ENODEV || errno == Errno.ENOENT) {
            hint = "EAL refused an argument or could not probe a device: check the vdev names (e.g. net_ring0, net_null0)"
                    + " and the other arguments; EAL's log above says which";
        } else if (errno == Errno.ENOMEM) {
            hint = "no memory for EAL: reserve hugepages (echo 512 > /proc/sys/vm/nr_hugepages) or use --no-huge with -m";
        } else if (errno == Errno.EACCES || errno == Errno.EPERM) {
            hint = "EAL needs root (or the capabilities for hugepages and devices) with these options";
        } else {
            hint = "EAL's log above says which step failed";
        }
        return new DpdkException("rte_eal_init", String.join(" ", args), errno, Dpdk.strerror(errno),
                hint + ". Note: EAL cannot be initialised again after a failed init in the same process");
    }

    /** @return the options EAL runs with */
    public EalOptions options() {
        return options;
    }

    /** @return the number of lcores EAL runs ({@code rte_lcore_count}) */
    public int lcoreCount() {
        checkOpen();
        return na_dpdk_h.na_dpdk_lcore_count();
    }

    /**
     * Gives the calling thread an EAL lcore id, once (later calls return the same id).
     *
     * @return the thread's lcore id
     * @throws DpdkException when EAL has no free lcore id left
     */
    public int registerCurrentThread() {
        checkOpen();
        int[] id = LCORE.get();
        if (id[0] == Integer.MIN_VALUE) {
            int existing = na_dpdk_h.na_dpdk_lcore_id();
            if (existing < 0) {
                int r = na_dpdk_h.na_dpdk_thread_register();
                if (r < 0) {
                    throw Dpdk.error("rte_thread_register", Thread.currentThread().getName(), r,
                            "all RTE_MAX_LCORE lcore ids are taken: unregister threads that no longer move packets");
                }
                existing = na_dpdk_h.na_dpdk_lcore_id();
            }
            id[0] = existing;
        }
        return id[0];
    }

    /** @return the calling thread's lcore id, or -1 when it has none */
    public int currentLcore() {
        checkOpen();
        return na_dpdk_h.na_dpdk_lcore_id();
    }

    /** Releases the calling thread's lcore id (registered with {@link #registerCurrentThread}). */
    public void unregisterCurrentThread() {
        checkOpen();
        int[] id = LCORE.get();
        if (id[0] != Integer.MIN_VALUE) {
            na_dpdk_h.na_dpdk_thread_unregister();
            id[0] = Integer.MIN_VALUE;
        }
    }

    /** @return true until {@link #close()} */
    public boolean isOpen() {
        return !closed;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("EAL was cleaned up (Eal.close): DPDK objects cannot be used any more in this process");
        }
    }

    /** Registers a port or mempool to close before cleanup. */
    void track(AutoCloseable resource) {
        synchronized (resources) {
            resources.add(resource);
        }
    }

    void untrack(AutoCloseable resource) {
        synchronized (resources) {
            resources.remove(resource);
        }
    }

    /**
     * Closes the ports (stop, close) and frees the mempools opened through this API, newest
     * first, then calls {@code rte_eal_cleanup}. EAL cannot be initialised again in this process.
     * Idempotent.
     *
     * @throws DpdkException when cleanup fails
     */
    @Override
    public void close() {
        synchronized (LOCK) {
            if (closed) {
                return;
            }
            List<AutoCloseable> open;
            synchronized (resources) {
                open = new ArrayList<>(resources);
                resources.clear();
            }
            // ports first (their queues hold mbufs of the pools), then pools; newest first within each
            RuntimeException first = null;
            for (int i = open.size() - 1; i >= 0; i--) {
                AutoCloseable r = open.get(i);
                if (r instanceof EthPort) {
                    first = closeOne(r, first);
                }
            }
            for (int i = open.size() - 1; i >= 0; i--) {
                AutoCloseable r = open.get(i);
                if (!(r instanceof EthPort)) {
                    first = closeOne(r, first);
                }
            }
            closed = true;
            current = null;
            cleanedUp = true;
            int rc = na_dpdk_h.na_dpdk_eal_cleanup();
            if (rc < 0 && first == null) {
                first = Dpdk.error("rte_eal_cleanup", "EAL", rc, "");
            }
            if (first != null) {
                throw first;
            }
        }
    }

    private static RuntimeException closeOne(AutoCloseable r, RuntimeException first) {
        try {
            r.close();
        } catch (Exception e) {
            if (first == null) {
                return e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
            first.addSuppressed(e);
        }
        return first;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("nautilus: DPDK cleanup at exit failed: " + e.getMessage());
        }
    }
}
