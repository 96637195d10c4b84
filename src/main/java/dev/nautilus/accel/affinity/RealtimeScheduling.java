package dev.nautilus.accel.affinity;

import dev.nautilus.accel.bindings.affinity.na_affinity_h;
import dev.nautilus.accel.nativeaccess.Errno;
import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.nativeaccess.UnsupportedPlatformException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Scheduling policy, real-time priority and nice value of threads (Linux
 * {@code sched_setscheduler}, {@code sched_getscheduler}, {@code setpriority}).
 *
 * <pre>{@code
 * RealtimeScheduling.setCurrentThread(SchedulingPolicy.FIFO, 80);   // EPERM says what is missing
 * }</pre>
 *
 * <p>A FIFO thread that spins forever can starve the rest of its CPU: pin it to a CPU reserved for
 * it. Not for hot paths (each call is a system call). Thread-safe.
 */
public final class RealtimeScheduling {
    /**
     * A thread's scheduling.
     *
     * @param policy the policy
     * @param priority 1..99 for FIFO/RR, 0 otherwise
     */
    public record Scheduling(SchedulingPolicy policy, int priority) {}

    private RealtimeScheduling() {}

    /**
     * @param policy FIFO, RR or OTHER ...
     * @param priority the priority
     * @throws AffinityException EPERM with what is missing (CAP_SYS_NICE / RLIMIT_RTPRIO / limits.conf)
     */
    public static void setCurrentThread(SchedulingPolicy policy, int priority) {
        set(0, policy, priority);
    }

    /**
     * Sets a thread's policy and priority.
     *
     * @param tid kernel thread id, or 0 for the calling thread
     * @param policy the policy
     * @param priority within {@link #minPriority}..{@link #maxPriority} of the policy
     * @throws IllegalArgumentException for a priority outside the policy's range
     * @throws AffinityException when the kernel refuses
     */
    public static void set(long tid, SchedulingPolicy policy, int priority) {
        Affinity.ensureAvailable();
        requireLinux("real-time scheduling");
        if (policy == null) {
            throw new IllegalArgumentException("scheduling policy is null: use other, fifo, rr, batch or idle");
        }
        int min = minPriority(policy);
        int max = maxPriority(policy);
        if (priority < min || priority > max) {
            throw new IllegalArgumentException("invalid priority " + priority + " for SCHED_" + policy + ": it must be "
                    + (min == max ? String.valueOf(min) : min + ".." + max));
        }
        int r = na_affinity_h.na_set_scheduler(tid, policy.code(), priority);
        if (r < 0) {
            throw schedulerError(tid, -r, policy, priority);
        }
    }

    /**
     * @param tid kernel thread id, or 0 for the calling thread
     * @return its policy and priority
     */
    public static Scheduling get(long tid) {
        Affinity.ensureAvailable();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment prio = a.allocate(ValueLayout.JAVA_INT);
            int r = na_affinity_h.na_get_scheduler(tid, prio);
            if (r < 0) {
                throw Affinity.error("sched_getscheduler", tid, -r, null);
            }
            return new Scheduling(SchedulingPolicy.ofCode(r), prio.get(ValueLayout.JAVA_INT, 0));
        }
    }

    /** @return the calling thread's policy and priority */
    public static Scheduling currentThread() {
        return get(0);
    }

    /**
     * @param policy a policy
     * @return its lowest priority (1 for FIFO/RR, 0 otherwise)
     */
    public static int minPriority(SchedulingPolicy policy) {
        Affinity.ensureAvailable();
        int r = na_affinity_h.na_priority_min(policy.code());
        return r < 0 ? 0 : r;
    }

    /**
     * @param policy a policy
     * @return its highest priority (99 for FIFO/RR on Linux, 0 otherwise)
     */
    public static int maxPriority(SchedulingPolicy policy) {
        Affinity.ensureAvailable();
        int r = na_affinity_h.na_priority_max(policy.code());
        return r < 0 ? 0 : r;
    }

    /**
     * Sets a thread's nice value (-20 highest .. 19 lowest) under SCHED_OTHER.
     *
     * @param tid kernel thread id, or 0 for the calling thread
     * @param nice -20..19
     */
    public static void setNice(long tid, int nice) {
        Affinity.ensureAvailable();
        if (nice < -20 || nice > 19) {
            throw new IllegalArgumentException("invalid nice value " + nice + ": it must be -20..19");
        }
        int r = na_affinity_h.na_set_nice(tid, nice);
        if (r < 0) {
            throw Affinity.error("setpriority", tid, -r,
                    -r == Errno.EACCES || -r == Errno.EPERM ? "lowering nice needs CAP_SYS_NICE or RLIMIT_NICE" : null);
        }
    }

    /**
     * @param tid kernel thread id, or 0 for the calling thread
     * @return its nice value
     */
    public static int nice(long tid) {
        Affinity.ensureAvailable();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(ValueLayout.JAVA_INT);
            int r = na_affinity_h.na_get_nice(tid, n);
            if (r < 0) {
                throw Affinity.error("getpriority", tid, -r, null);
            }
            return n.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** @return RLIMIT_RTPRIO of this process: the highest real-time priority it may set without CAP_SYS_NICE (99 when unlimited) */
    public static int rtprioLimit() {
        Affinity.ensureAvailable();
        int r = na_affinity_h.na_rtprio_limit(MemorySegment.NULL);
        return Math.max(0, r);
    }

    private static AffinityException schedulerError(long tid, int errno, SchedulingPolicy policy, int priority) {
        if (errno == Errno.EPERM && policy.isRealtime()) {
            int limit = rtprioLimit();
            return new AffinityException("sched_setscheduler", tid, errno, Affinity.strerror(errno),
                    "SCHED_" + policy + " priority " + priority + " needs CAP_SYS_NICE or RLIMIT_RTPRIO >= " + priority
                            + " (this process: RLIMIT_RTPRIO " + limit + "); run as root, grant the capability "
                            + "(setcap cap_sys_nice+ep on the java binary; docker --cap-add=SYS_NICE), or add '<user> - rtprio "
                            + priority + "' to /etc/security/limits.conf and log in again");
        }
        return Affinity.error("sched_setscheduler", tid, errno, null);
    }

    private static void requireLinux(String what) {
        if (!Platform.isLinux()) {
            throw UnsupportedPlatformException.of(what, "macOS has no SCHED_FIFO for applications; use Affinity.setQosClass(USER_INTERACTIVE, 0)");
        }
    }
}
