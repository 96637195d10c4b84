package dev.nautilus.accel.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FutexTest {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private final TestNames names = new TestNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldTimeOutWhenNobodyWakes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = SharedMemory.create(names.next(), 4096, arena);
            long t0 = System.nanoTime();
            int r = Futex.await(s, 0, 0, TimeUnit.MILLISECONDS.toNanos(50));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(Futex.TIMED_OUT, r, Futex.resultName(r));
            assertTrue(ms >= 45, "slept " + ms + " ms");
        }
    }

    @Test
    void shouldReturnAtOnceWhenTheWordAlreadyChanged() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = SharedMemory.create(names.next(), 4096, arena);
            s.set(ValueLayout.JAVA_INT, 4, 1);
            assertEquals(Futex.NOT_EQUAL, Futex.await(s, 4, 0, TimeUnit.SECONDS.toNanos(30)));
            assertEquals(0, Futex.wake(s, 4, 1), "nobody was waiting");
        }
    }

    @Test
    void shouldWakeAWaitingThread() throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = SharedMemory.create(names.next(), 4096, arena);
            CountDownLatch started = new CountDownLatch(1);
            Future<Integer> waiter = ex.submit(() -> {
                started.countDown();
                int r;
                do {
                    r = Futex.await(s, 0, 0, TimeUnit.SECONDS.toNanos(30));
                } while ((int) INT.getAcquire(s, 0L) == 0 && r != Futex.TIMED_OUT);
                return r;
            });
            started.await();
            int woken = 0;
            INT.setRelease(s, 0L, 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!waiter.isDone() && System.nanoTime() < deadline) {
                woken += Futex.wakeAll(s, 0);
                Thread.sleep(1);
            }
            int r = waiter.get(20, TimeUnit.SECONDS);
            assertTrue(r == Futex.WOKEN || r == Futex.NOT_EQUAL, Futex.resultName(r));
            assertTrue(woken <= 1, "at most the one waiter was woken: " + woken);
        } finally {
            ex.shutdownNow();
            assertTrue(ex.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldRejectBadWords() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = SharedMemory.create(names.next(), 4096, arena);
            IllegalArgumentException mis = assertThrows(IllegalArgumentException.class, () -> Futex.await(s, 2, 0, 0));
            assertTrue(mis.getMessage().startsWith("futex word at offset 2 is not 4-byte aligned"), mis.getMessage());
            IllegalArgumentException out = assertThrows(IllegalArgumentException.class, () -> Futex.wakeAll(s, 4096));
            assertEquals("futex word at offset 4096 is outside the segment of 4096 bytes", out.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Futex.wakeAll(s, -4));
            IllegalArgumentException heap = assertThrows(IllegalArgumentException.class,
                    () -> Futex.await(MemorySegment.ofArray(new int[4]), 0, 0, 0));
            assertTrue(heap.getMessage().contains("heap segment"), heap.getMessage());
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> Futex.wake(s, 0, 0));
            assertEquals("invalid wake count 0: wake at least 1 (or use wakeAll)", count.getMessage());
        }
    }

    @Test
    void shouldThrowNotCrashOnAClosedSegment() {
        MemorySegment s;
        try (Arena arena = Arena.ofConfined()) {
            s = SharedMemory.create(names.next(), 4096, arena);
        }
        MemorySegment closed = s;
        assertThrows(IllegalStateException.class, () -> Futex.wakeAll(closed, 0));
        assertThrows(IllegalStateException.class, () -> Futex.await(closed, 0, 0, 1000));
    }
}
