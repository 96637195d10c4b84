package dev.nautilus.accel.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nautilus.accel.nativeaccess.Errno;
import dev.nautilus.accel.nativeaccess.Platform;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each test runs its pinning on a fresh thread so the test runner's threads stay unpinned. */
@Timeout(60)
class AffinityTest {
    @BeforeAll
    static void linux() {
        assumeTrue(Platform.isLinux(), "pinning is Linux-only");
        Affinity.ensureAvailable();
    }

    static <T> T onFreshThread(java.util.concurrent.Callable<T> c) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            return ex.submit(c).get(30, TimeUnit.SECONDS);
        } finally {
            ex.shutdownNow();
            assertTrue(ex.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldPinAndReadBackOnEveryOnlineCpuAndGetcpuAgrees() throws Exception {
        CpuSet online = Affinity.onlineCpus();
        assertTrue(online.size() >= 1);
        for (int cpu : online.toArray()) {
            int c = cpu;
            int[] got = onFreshThread(() -> {
                Affinity.pinCurrentThread(CpuSet.of(c));
                int seen = -1;
                for (int i = 0; i < 1000; i++) { // a pinned thread never leaves its CPU
                    seen = Affinity.currentCpu();
                    if (seen != c) {
                        break;
                    }
                }
                return new int[] {Affinity.currentThreadAffinity().equals(CpuSet.of(c)) ? 1 : 0, seen};
            });
            assertEquals(1, got[0], "read back the pin on CPU " + cpu);
            assertEquals(cpu, got[1], "getcpu agrees with the pin on CPU " + cpu);
        }
    }

    @Test
    void shouldPinAnotherThreadByItsId() throws Exception {
        long[] tid = {0};
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            tid[0] = Affinity.currentThreadId();
            ready.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(ready.await(10, TimeUnit.SECONDS));
            int cpu = Affinity.onlineCpus().last();
            Affinity.pin(tid[0], CpuSet.of(cpu));
            assertEquals(CpuSet.of(cpu), Affinity.affinityOf(tid[0]));
            assertTrue(tid[0] != Affinity.currentThreadId());
        } finally {
            done.countDown();
            t.join(10_000);
        }
    }

    @Test
    void shouldRejectEmptyOfflineAndOutOfRangeSetsBeforeAnySystemCall() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Affinity.pinCurrentThread(CpuSet.EMPTY));
        assertTrue(empty.getMessage().startsWith("empty CPU set: pin to at least one online CPU (online: "), empty.getMessage());
        int offline = Affinity.onlineCpus().last() + 1;
        IllegalArgumentException off = assertThrows(IllegalArgumentException.class,
                () -> Affinity.pinCurrentThread(CpuSet.of(offline)));
        assertEquals("CPU " + offline + " is not online (online: " + Affinity.onlineCpus()
                + "); pick online CPUs (nautilus cpu lists them)", off.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Affinity.pinCurrentThread(CpuSet.of(0, 4000)));
    }

    @Test
    void shouldSayWhenAThreadDoesNotExist() {
        AffinityException e = assertThrows(AffinityException.class, () -> Affinity.affinityOf(Integer.MAX_VALUE - 7));
        assertEquals(Errno.ESRCH, e.errno());
        assertTrue(e.getMessage().startsWith("sched_getaffinity(tid " + (Integer.MAX_VALUE - 7) + ") failed: ESRCH"), e.getMessage());
    }

    @Test
    void shouldNameThreadsAndRejectLongNames() throws Exception {
        String name = onFreshThread(() -> {
            Affinity.setCurrentThreadName("na-hot-path");
            return Affinity.currentThreadName();
        });
        assertEquals("na-hot-path", name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Affinity.setCurrentThreadName("a-name-longer-than-15"));
        assertEquals("invalid thread name \"a-name-longer-than-15\": the kernel keeps at most 15 bytes", e.getMessage());
    }

    @Test
    void shouldReturnTheKernelThreadId() throws Exception {
        long main = Affinity.currentThreadId();
        long other = onFreshThread(Affinity::currentThreadId);
        assertTrue(main > 0 && other > 0 && main != other);
        assertTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/task/" + main)), "a real kernel tid");
    }
}
