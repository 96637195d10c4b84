package dev.nautilus.accel.bus;

import java.util.Optional;

/**
 * Process identity for claims in shared memory: a 64-bit token of a process id and its start
 * time (seconds), written with one compare-and-set, so a dead holder, or a recycled pid, is
 * recognised.
 */
final class Processes {
    private static final int PID_BITS = ChannelDescriptor.CLAIM_PID_BITS;
    private static final long PID_MASK = (1L << PID_BITS) - 1;

    static final long SELF_PID = ProcessHandle.current().pid();
    /** This process's start time, ms since the epoch (0 unknown): read from /proc once, not per ring. */
    static final long SELF_START_MILLIS = ProcessHandle.current().info().startInstant()
            .map(java.time.Instant::toEpochMilli).orElse(0L);
    static final long SELF_TOKEN = token(SELF_PID, Math.floorDiv(SELF_START_MILLIS, 1000));

    private Processes() {}

    static long token(long pid, long startSeconds) {
        return (startSeconds << PID_BITS) | (pid & PID_MASK);
    }

    static long pid(long token) {
        return token & PID_MASK;
    }

    /** @return true when the process the token names is running (same pid and start time) */
    static boolean isAlive(long token) {
        if (token == 0) {
            return false;
        }
        long pid = pid(token);
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        long want = token >>> PID_BITS;
        long have = h.get().info().startInstant().map(i -> i.getEpochSecond()).orElse(0L);
        return want == 0 || have == 0 || Math.abs(want - have) <= 1;
    }

    /** @return true when the pid is running (start time unknown) */
    static boolean isAlive(long pid, long startMillis) {
        return isAlive(token(pid, startMillis / 1000));
    }
}
