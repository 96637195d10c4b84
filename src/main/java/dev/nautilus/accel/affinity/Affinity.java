package dev.nautilus.accel.affinity;

import dev.nautilus.accel.bindings.affinity.na_affinity_h;
import dev.nautilus.accel.nativeaccess.Errno;
import dev.nautilus.accel.nativeaccess.NativeModule;
import dev.nautilus.accel.nativeaccess.NativeUnavailableException;
import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.nativeaccess.UnsupportedPlatformException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Pins threads to CPUs and reads where they run (Linux {@code sched_setaffinity},
 * {@code sched_getaffinity}, {@code sched_getcpu}, {@code gettid}), names threads and locks
 * memory. Pinning either happens or throws: never a silent no-op.
 *
 * <pre>{@code
 * Affinity.pinCurrentThread(CpuSet.of(3));      // throws if CPU 3 is offline or not allowed
 * assert Affinity.currentCpu() == 3;
 * }</pre>
 *
 * <p>On macOS hard pinning does not exist: {@link #pinCurrentThread} throws
 * {@link UnsupportedPlatformException}; use {@link #setQosClass} (performance vs efficiency
 * cores) and {@link #setAffinityTag} instead.
 *
 * <p>{@link #currentCpu()} and {@link #currentThreadId()} are one downcall each, with no
 * allocation; the others allocate a small native buffer and are not for hot paths. Thread-safe.
 */
public final class Affinity {
    static final NativeModule MODULE = new NativeModule("affinity", "na_affinity",
            "CPU affinity, real-time scheduling, thread ids and memory locking", Affinity::probe);
    private static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");
    private static final int MIN_MASK_WORDS = 16; // 1024 CPUs, glibc's cpu_set_t

    private Affinity() {}

    private static void probe() {
        int abi = na_affinity_h.na_affinity_abi_version();
        if (abi != na_affinity_h.NA_AFFINITY_ABI_VERSION()) {
            throw new NativeUnavailableException("module affinity is unavailable: libna_affinity has ABI version " + abi
                    + " but these bindings expect " + na_affinity_h.NA_AFFINITY_ABI_VERSION() + "; rebuild the natives (make native)");
        }
        if (na_affinity_h.na_gettid() <= 0) {
            throw new NativeUnavailableException("module affinity is unavailable: gettid returned "
                    + na_affinity_h.na_gettid());
        }
    }

    /** @return true when the affinity module works in this JVM */
    public static boolean isAvailable() {
        return MODULE.isAvailable();
    }

    /** @throws NativeUnavailableException saying why the module cannot be used, and the fix */
    public static void ensureAvailable() {
        MODULE.ensureAvailable();
    }

    /** @return why the module is unavailable, or empty */
    public static Optional<NativeUnavailableException> unavailabilityCause() {
        return MODULE.unavailabilityCause();
    }

    /** @return the module descriptor */
    public static NativeModule module() {
        return MODULE;
    }

    /** @return true when this platform can pin threads to CPUs (Linux) */
    public static boolean canPin() {
        return isAvailable() && (na_affinity_h.na_affinity_features() & na_affinity_h.NA_FEATURE_PIN()) != 0;
    }

    /**
     * The CPUs that are online now ({@code /sys/devices/system/cpu/online} on Linux; 0..n-1 from
     * {@link Runtime#availableProcessors()} elsewhere), read at most once a second.
     *
     * @return the online CPUs
     */
    public static CpuSet onlineCpus() {
        CachedOnline c = cachedOnline;
        long now = System.nanoTime();
        if (c != null && now - c.readAt < ONLINE_CACHE_NANOS) {
            return c.cpus;
        }
        CpuSet fresh = readOnline();
        cachedOnline = new CachedOnline(fresh, now);
        return fresh;
    }

    /** Online CPUs as last read, reused for up to a second: pinning must not read sysfs each time. */
    private record CachedOnline(CpuSet cpus, long readAt) {}

    private static final long ONLINE_CACHE_NANOS = 1_000_000_000L;
    private static volatile CachedOnline cachedOnline;

    private static CpuSet readOnline() {
        if (Platform.isLinux()) {
            try {
                return CpuSet.parse(Files.readString(ONLINE));
            } catch (IOException | IllegalArgumentException e) {
                // fall through
            }
        }
        return CpuSet.range(0, Runtime.getRuntime().availableProcessors() - 1);
    }

    // ------------------------------------------------------------------ identity

    /** Kernel thread ids of platform threads never change: one gettid per thread, then a ThreadLocal read. */
    private static final ThreadLocal<Long> THREAD_ID = ThreadLocal.withInitial(na_affinity_h::na_gettid);

    /**
     * @return the kernel thread id of the calling thread: a system call the first time on each
     *     platform thread, then a thread-local read (no allocation); for a virtual thread, the id of
     *     the carrier it runs on now (a system call each time)
     */
    public static long currentThreadId() {
        ensureAvailable();
        return Thread.currentThread().isVirtual() ? na_affinity_h.na_gettid() : THREAD_ID.get();
    }

    /**
     * @return the CPU the calling thread runs on now (one downcall, no allocation); it can change
     *     at any moment unless the thread is pinned to one CPU
     * @throws UnsupportedPlatformException on macOS
     */
    public static int currentCpu() {
        int r = na_affinity_h.na_getcpu();
        if (r < 0) {
            ensureAvailable();
            if (-r == Errno.ENOSYS) {
                throw UnsupportedPlatformException.of("reading the current CPU", "macOS does not expose it");
            }
            throw error("sched_getcpu", 0, -r, null);
        }
        return r;
    }

    // ------------------------------------------------------------------ pinning

    /**
     * Pins the calling thread to a set of CPUs.
     *
     * @param cpus online CPUs, not empty
     * @throws IllegalArgumentException for an empty set or CPUs that are not online
     * @throws AffinityException when the kernel refuses (e.g. outside the process's cpuset)
     * @throws UnsupportedPlatformException on macOS
     */
    public static void pinCurrentThread(CpuSet cpus) {
        pin(0, cpus);
    }

    /**
     * Pins a thread (or, with a process id, that process's main thread) to a set of CPUs.
     *
     * @param tid kernel thread id (see {@link #currentThreadId()}), or 0 for the calling thread
     * @param cpus online CPUs, not empty
     * @throws IllegalArgumentException for an empty set or CPUs that are not online
     * @throws AffinityException ESRCH when no such thread, EPERM without permission, EINVAL when
     *     the CPUs are outside the thread's cpuset
     */
    public static void pin(long tid, CpuSet cpus) {
        checkPin(cpus);
        ensureAvailable();
        requirePinning("pinning a thread to CPUs");
        try (Arena a = Arena.ofConfined()) {
            long[] words = cpus.toWords(MIN_MASK_WORDS);
            MemorySegment mask = a.allocateFrom(ValueLayout.JAVA_LONG, words);
            int r = na_affinity_h.na_set_affinity(tid, mask, words.length);
            if (r < 0) {
                throw error("sched_setaffinity", tid, -r, cpus.toString());
            }
        }
    }

    /** @return the CPUs the calling thread may run on */
    public static CpuSet currentThreadAffinity() {
        return affinityOf(0);
    }

    /**
     * @param tid kernel thread id or process id, or 0 for the calling thread
     * @return the CPUs that thread may run on
     * @throws AffinityException ESRCH when there is no such thread
     */
    public static CpuSet affinityOf(long tid) {
        ensureAvailable();
        requirePinning("reading a thread's CPU affinity");
        for (int words = Math.max(MIN_MASK_WORDS, onlineCpus().last() / 64 + 1); ; words *= 2) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment mask = a.allocate(ValueLayout.JAVA_LONG, words);
                int r = na_affinity_h.na_get_affinity(tid, mask, words);
                if (r == 0) {
                    return CpuSet.fromWords(mask.toArray(ValueLayout.JAVA_LONG));
                }
                if (-r != Errno.EINVAL || words > CpuSet.MAX_CPU / 64) {
                    throw error("sched_getaffinity", tid, -r, null);
                }
            }
        }
    }

    private static void checkPin(CpuSet cpus) {
        if (cpus == null || cpus.isEmpty()) {
            throw new IllegalArgumentException("empty CPU set: pin to at least one online CPU (online: " + onlineCpus() + ")");
        }
        CpuSet offline = cpus.minus(onlineCpus());
        if (!offline.isEmpty()) {
            cachedOnline = null; // a CPU may just have come online: check the file before refusing
            offline = cpus.minus(onlineCpus());
        }
        if (!offline.isEmpty()) {
            throw new IllegalArgumentException("CPU" + (offline.size() > 1 ? "s " : " ") + offline + (offline.size() > 1 ? " are" : " is")
                    + " not online (online: " + onlineCpus() + "); pick online CPUs (nautilus cpu lists them)");
        }
    }

    private static void requirePinning(String what) {
        if ((na_affinity_h.na_affinity_features() & na_affinity_h.NA_FEATURE_PIN()) == 0) {
            throw UnsupportedPlatformException.of(what,
                    "macOS has no hard pinning; use Affinity.setQosClass (performance vs efficiency cores) or setAffinityTag");
        }
    }

    // ------------------------------------------------------------------ threads and memory

    /**
     * Names the calling thread as the kernel sees it ({@code top -H}, {@code ps -L}, perf).
     *
     * @param name at most 15 bytes on Linux
     * @throws IllegalArgumentException when longer
     */
    public static void setCurrentThreadName(String name) {
        ensureAvailable();
        if (name == null || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15) {
            throw new IllegalArgumentException("invalid thread name \"" + name + "\": the kernel keeps at most 15 bytes");
        }
        try (Arena a = Arena.ofConfined()) {
            int r = na_affinity_h.na_set_thread_name(a.allocateFrom(name));
            if (r < 0) {
                throw error("pthread_setname_np", 0, -r, null);
            }
        }
    }

    /** @return the calling thread's kernel name */
    public static String currentThreadName() {
        ensureAvailable();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(64);
            int r = na_affinity_h.na_get_thread_name(buf, 64);
            if (r < 0) {
                throw error("pthread_getname_np", 0, -r, null);
            }
            return buf.getString(0);
        }
    }

    /**
     * Locks the process's memory in RAM ({@code mlockall}) so the hot path never page-faults to disk.
     *
     * @param future also lock memory mapped later ({@code MCL_FUTURE})
     * @throws AffinityException ENOMEM/EPERM when RLIMIT_MEMLOCK is too low (the message says how to raise it)
     */
    public static void lockAllMemory(boolean future) {
        ensureAvailable();
        int r = na_affinity_h.na_mlockall(na_affinity_h.NA_MLOCK_CURRENT() | (future ? na_affinity_h.NA_MLOCK_FUTURE() : 0));
        if (r < 0) {
            throw error("mlockall", 0, -r, "lock");
        }
    }

    /** Undoes {@link #lockAllMemory}. */
    public static void unlockAllMemory() {
        ensureAvailable();
        int r = na_affinity_h.na_munlockall();
        if (r < 0) {
            throw error("munlockall", 0, -r, null);
        }
    }

    /**
     * Raises this process's RLIMIT_MEMLOCK to unlimited, so that a program started next (for
     * example by {@link #exec}) may lock its memory. Memory locks themselves do not survive
     * {@code execve}: the program must call {@code mlockall} itself.
     *
     * @throws AffinityException EPERM without CAP_SYS_RESOURCE
     */
    public static void allowUnlimitedMemoryLock() {
        ensureAvailable();
        int r = na_affinity_h.na_memlock_unlimited();
        if (r < 0) {
            throw new AffinityException("setrlimit(RLIMIT_MEMLOCK)", 0, -r, strerror(-r),
                    "raising the locked-memory limit needs CAP_SYS_RESOURCE (run as root)");
        }
    }

    /**
     * Replaces this process with a program ({@code execvp}): the calling thread's CPU affinity and
     * scheduling policy carry over, like {@code taskset} and {@code chrt} do. Returns only on failure.
     *
     * @param command the program (looked up on PATH) and its arguments
     * @throws AffinityException ENOENT (not found), EACCES (not executable), ...
     */
    public static void exec(java.util.List<String> command) {
        ensureAvailable();
        if (command == null || command.isEmpty() || command.get(0).isEmpty()) {
            throw new IllegalArgumentException("no command to run: give the program and its arguments");
        }
        System.out.flush();
        System.err.flush();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment argv = a.allocate(ValueLayout.ADDRESS, command.size() + 1L);
            for (int i = 0; i < command.size(); i++) {
                argv.setAtIndex(ValueLayout.ADDRESS, i, a.allocateFrom(command.get(i)));
            }
            argv.setAtIndex(ValueLayout.ADDRESS, command.size(), MemorySegment.NULL);
            int r = na_affinity_h.na_exec(a.allocateFrom(command.get(0)), argv);
            String hint = -r == Errno.ENOENT ? "no program \"" + command.get(0) + "\" on PATH (" + System.getenv("PATH") + ")"
                    : -r == Errno.EACCES ? "\"" + command.get(0) + "\" is not executable" : "";
            throw new AffinityException("execvp", 0, -r, strerror(-r), hint);
        }
    }

    // ------------------------------------------------------------------ macOS

    /** macOS quality-of-service classes: the way to prefer performance or efficiency cores there. */
    public enum QosClass {
        /** Work the user waits on now: performance cores. */
        USER_INTERACTIVE(33),
        /** Work the user started and waits for. */
        USER_INITIATED(25),
        /** The default. */
        DEFAULT(21),
        /** Long-running work the user is aware of: may use efficiency cores. */
        UTILITY(17),
        /** Maintenance: efficiency cores. */
        BACKGROUND(9);

        private final int code;

        QosClass(int code) {
            this.code = code;
        }

        /** @return Darwin's qos_class_t value */
        public int code() {
            return code;
        }
    }

    /**
     * macOS: sets the calling thread's QoS class.
     *
     * @param qos the class
     * @param relativePriority -15..0
     * @throws UnsupportedPlatformException elsewhere (on Linux, pin instead)
     */
    public static void setQosClass(QosClass qos, int relativePriority) {
        ensureAvailable();
        if (relativePriority < -15 || relativePriority > 0) {
            throw new IllegalArgumentException("invalid relative priority " + relativePriority + ": it must be -15..0");
        }
        int r = na_affinity_h.na_set_qos_class(qos.code(), relativePriority);
        if (r < 0) {
            if (-r == Errno.EOPNOTSUPP) {
                throw UnsupportedPlatformException.of("QoS classes", "they exist on macOS only; on Linux pin threads with Affinity.pin");
            }
            throw error("pthread_set_qos_class_self_np", 0, -r, null);
        }
    }

    /**
     * macOS: sets the calling thread's affinity tag (a hint that threads with one tag share a cache).
     *
     * @param tag &gt; 0
     * @throws UnsupportedPlatformException elsewhere
     */
    public static void setAffinityTag(int tag) {
        ensureAvailable();
        int r = na_affinity_h.na_set_affinity_tag(tag);
        if (r < 0) {
            if (-r == Errno.EOPNOTSUPP) {
                throw UnsupportedPlatformException.of("affinity tags", "they exist on macOS (Intel) only; on Linux pin threads with Affinity.pin");
            }
            throw error("thread_policy_set", 0, -r, null);
        }
    }

    // ------------------------------------------------------------------ errors

    static String strerror(int errno) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256);
            return na_affinity_h.na_affinity_strerror(errno, buf, 256) > 0 ? buf.getString(0) : "";
        }
    }

    static AffinityException error(String call, long tid, int errno, String context) {
        String hint = "";
        if (errno == Errno.ESRCH) {
            hint = "no such thread or process " + tid + " (it may have exited; thread ids come from Affinity.currentThreadId or /proc/PID/task)";
        } else if (errno == Errno.EPERM && "lock".equals(context)) {
            hint = "locking memory needs CAP_IPC_LOCK or a large enough RLIMIT_MEMLOCK (ulimit -l, memlock in /etc/security/limits.conf)";
        } else if (errno == Errno.ENOMEM && "lock".equals(context)) {
            hint = "RLIMIT_MEMLOCK is below the process size: raise it (ulimit -l unlimited) or run with CAP_IPC_LOCK";
        } else if (errno == Errno.EPERM) {
            hint = "not permitted: changing another user's thread needs CAP_SYS_NICE (run as root, or setcap cap_sys_nice+ep on the java binary)";
        } else if (errno == Errno.EINVAL && call.equals("sched_setaffinity")) {
            hint = "CPUs " + context + " are outside this process's allowed set (cgroup cpuset or taskset): allowed "
                    + safeAffinity(tid);
        }
        return new AffinityException(call, tid, errno, strerror(errno), hint);
    }

    private static String safeAffinity(long tid) {
        try {
            return affinityOf(tid).toString();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}
