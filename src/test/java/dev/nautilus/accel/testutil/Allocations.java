package dev.nautilus.accel.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Checks that a hot path allocates nothing once compiled, with the JVM's per-thread allocation
 * counter. JIT compilation (and deoptimisation caused by other tests in the same JVM) takes a
 * while, so the best of up to 20 rounds after two warm-up rounds must allocate 0 bytes.
 */
public final class Allocations {
    private static final int ROUNDS = 20;

    private Allocations() {}

    /**
     * @param what names the path in the failure message
     * @param round runs the path many times (e.g. 50,000 calls) and returns a value derived from
     *     the results, so the JIT cannot drop the calls
     */
    public static void assertNoAllocation(String what, LongSupplier round) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM must count allocated bytes per thread");
        long sink = 0;
        long allocated = Long.MAX_VALUE;
        for (int r = 0; r < ROUNDS && allocated != 0; r++) {
            long before = threads.getThreadAllocatedBytes(id);
            sink += round.getAsLong();
            allocated = r < 2 ? Long.MAX_VALUE : threads.getThreadAllocatedBytes(id) - before;
        }
        assertTrue(sink != Long.MIN_VALUE); // keeps the results alive
        assertEquals(0, allocated, what + ": bytes allocated by the best round after warm-up");
        long control = threads.getThreadAllocatedBytes(id);
        kept = new byte[4096];
        assertTrue(threads.getThreadAllocatedBytes(id) - control >= 4096, "the allocation counter works");
    }

    /** Keeps the control allocation reachable. */
    static byte[] kept;
}
