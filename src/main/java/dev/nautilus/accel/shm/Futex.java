package dev.nautilus.accel.shm;

import dev.nautilus.accel.bindings.shm.na_shm_h;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Sleep on a 32-bit word in shared memory until another thread or process changes it and calls
 * {@link #wake}: a futex on Linux ({@code FUTEX_WAIT}/{@code FUTEX_WAKE} without the private
 * flag, so it works across processes), {@code __ulock_wait}/{@code __ulock_wake} on macOS.
 *
 * <p>The usual pattern: the waiter reads the word, decides to sleep, calls
 * {@code await(seg, off, seenValue, timeout)}, and re-checks its condition whatever the result
 * (wake-ups may be spurious). The waker changes the word first, then calls {@code wake}. The
 * kernel compares the word with {@code expected} atomically with going to sleep, so a change
 * between the waiter's read and its sleep is never missed.
 *
 * <p>Results are {@code int} codes so no allocation happens: {@link #WOKEN},
 * {@link #NOT_EQUAL}, {@link #TIMED_OUT}, {@link #INTERRUPTED}. A Java
 * {@link Thread#interrupt()} does not end a wait: use timeouts.
 *
 * <p>Each call is one system call (a blocking one for {@code await}). Thread-safe.
 */
public final class Futex {
    /** Woken by {@link #wake} (or spuriously): re-check the condition. */
    public static final int WOKEN = 0;
    /** The word did not hold {@code expected} when the call started: no sleep happened. */
    public static final int NOT_EQUAL = 1;
    /** The timeout elapsed without a wake-up. */
    public static final int TIMED_OUT = 2;
    /** A signal interrupted the wait: re-check and wait again if needed. */
    public static final int INTERRUPTED = 3;

    private Futex() {}

    /**
     * Sleeps while the word at {@code offset} holds {@code expected}.
     *
     * @param segment a native segment, normally a {@link SharedMemory} mapping
     * @param offset byte offset of the word; the address must be 4-byte aligned
     * @param expected the value seen before deciding to sleep
     * @param timeoutNanos the longest sleep in nanoseconds; negative waits without a timeout
     * @return {@link #WOKEN}, {@link #NOT_EQUAL}, {@link #TIMED_OUT} or {@link #INTERRUPTED}
     * @throws IllegalArgumentException for a heap segment, a misaligned or out-of-bounds word
     * @throws IllegalStateException when the segment's arena is closed
     */
    public static int await(MemorySegment segment, long offset, int expected, long timeoutNanos) {
        MemorySegment word = word(segment, offset);
        int r = na_shm_h.na_futex_wait(word, expected, timeoutNanos);
        if (r < 0) {
            throw SharedMemory.error("futex_wait", "0x" + Long.toHexString(word.address()), -r, null);
        }
        return r;
    }

    /**
     * Wakes at most {@code count} threads sleeping in {@link #await} on the word.
     *
     * @param segment the segment holding the word
     * @param offset byte offset of the word (4-byte aligned address)
     * @param count how many to wake, &gt;= 1
     * @return how many were woken (on macOS always 0: the platform does not say)
     */
    public static int wake(MemorySegment segment, long offset, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("invalid wake count " + count + ": wake at least 1 (or use wakeAll)");
        }
        return doWake(segment, offset, count);
    }

    /**
     * Wakes every thread sleeping in {@link #await} on the word.
     *
     * @param segment the segment holding the word
     * @param offset byte offset of the word (4-byte aligned address)
     * @return how many were woken (on macOS always 0)
     */
    public static int wakeAll(MemorySegment segment, long offset) {
        return doWake(segment, offset, 0);
    }

    private static int doWake(MemorySegment segment, long offset, int count) {
        MemorySegment word = word(segment, offset);
        int r = na_shm_h.na_futex_wake(word, count);
        if (r < 0) {
            throw SharedMemory.error("futex_wake", "0x" + Long.toHexString(word.address()), -r, null);
        }
        return r;
    }

    /** @return a string naming a result code, e.g. {@code TIMED_OUT} */
    public static String resultName(int result) {
        return switch (result) {
            case WOKEN -> "WOKEN";
            case NOT_EQUAL -> "NOT_EQUAL";
            case TIMED_OUT -> "TIMED_OUT";
            case INTERRUPTED -> "INTERRUPTED";
            default -> "UNKNOWN(" + result + ")";
        };
    }

    private static MemorySegment word(MemorySegment segment, long offset) {
        if (segment == null) {
            throw new NullPointerException("segment is null");
        }
        if (!segment.isNative()) {
            throw new IllegalArgumentException("futex words must live in native memory (a SharedMemory mapping); got a heap segment");
        }
        if (offset < 0 || offset > segment.byteSize() - 4) {
            throw new IllegalArgumentException("futex word at offset " + offset + " is outside the segment of "
                    + segment.byteSize() + " bytes");
        }
        if (((segment.address() + offset) & 3) != 0) {
            throw new IllegalArgumentException("futex word at offset " + offset + " is not 4-byte aligned (address 0x"
                    + Long.toHexString(segment.address() + offset) + ")");
        }
        SharedMemory.MODULE.ensureAvailable();
        return segment.asSlice(offset, ValueLayout.JAVA_INT);
    }

}
