package dev.nautilus.accel.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nautilus.accel.nativeaccess.Errno;
import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.testutil.ChildJvm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RealtimeSchedulingTest {
    @BeforeAll
    static void linux() {
        assumeTrue(Platform.isLinux());
        Affinity.ensureAvailable();
    }

    @Test
    void shouldKnowEachPolicysPriorityRange() {
        assertEquals(1, RealtimeScheduling.minPriority(SchedulingPolicy.FIFO));
        assertEquals(99, RealtimeScheduling.maxPriority(SchedulingPolicy.FIFO));
        assertEquals(99, RealtimeScheduling.maxPriority(SchedulingPolicy.RR));
        assertEquals(0, RealtimeScheduling.maxPriority(SchedulingPolicy.OTHER));
    }

    @Test
    void shouldSetAndReadBackFifoWhenPermitted() throws Exception {
        RealtimeScheduling.Scheduling[] got = AffinityTest.onFreshThread(() -> {
            RealtimeScheduling.Scheduling before = RealtimeScheduling.currentThread();
            try {
                RealtimeScheduling.setCurrentThread(SchedulingPolicy.FIFO, 10);
            } catch (AffinityException e) {
                assertEquals(Errno.EPERM, e.errno());
                return new RealtimeScheduling.Scheduling[] {before, null};
            }
            RealtimeScheduling.Scheduling fifo = RealtimeScheduling.currentThread();
            RealtimeScheduling.setCurrentThread(SchedulingPolicy.OTHER, 0);
            return new RealtimeScheduling.Scheduling[] {before, fifo, RealtimeScheduling.currentThread()};
        });
        assertEquals(SchedulingPolicy.OTHER, got[0].policy());
        assumeTrue(got[1] != null, "not permitted here (not root, no CAP_SYS_NICE)");
        assertEquals(new RealtimeScheduling.Scheduling(SchedulingPolicy.FIFO, 10), got[1]);
        assertEquals(new RealtimeScheduling.Scheduling(SchedulingPolicy.OTHER, 0), got[2]);
    }

    @Test
    void shouldExplainWhatIsMissingWhenAnUnprivilegedUserAsksForFifo() throws Exception {
        String classPath = ChildJvm.classPathReadableByOthers();
        assumeTrue(classPath != null, "needs root, setpriv and a class path readable by user nobody");
        try (ChildJvm child = ChildJvm.startAs(ChildJvm.NOBODY, ChildJvm.NOBODY, classPath, AffinityChild.class, "fifo", "50")) {
            String line = child.nextLine(60_000);
            assertTrue(line.startsWith("error sched_setscheduler(calling thread) failed: EPERM (Operation not permitted). "
                    + "SCHED_FIFO priority 50 needs CAP_SYS_NICE or RLIMIT_RTPRIO >= 50 (this process: RLIMIT_RTPRIO 0)"), line);
            assertTrue(line.contains("/etc/security/limits.conf"), line);
            assertEquals(0, child.waitFor(60_000), child.output());
        }
    }

    @Test
    void shouldRejectPrioritiesOutsideThePolicysRange() {
        IllegalArgumentException hi = assertThrows(IllegalArgumentException.class,
                () -> RealtimeScheduling.setCurrentThread(SchedulingPolicy.FIFO, 100));
        assertEquals("invalid priority 100 for SCHED_FIFO: it must be 1..99", hi.getMessage());
        IllegalArgumentException lo = assertThrows(IllegalArgumentException.class,
                () -> RealtimeScheduling.setCurrentThread(SchedulingPolicy.RR, 0));
        assertEquals("invalid priority 0 for SCHED_RR: it must be 1..99", lo.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> RealtimeScheduling.setCurrentThread(SchedulingPolicy.OTHER, 5));
        assertEquals("invalid priority 5 for SCHED_OTHER: it must be 0", other.getMessage());
        IllegalArgumentException nice = assertThrows(IllegalArgumentException.class, () -> RealtimeScheduling.setNice(0, 20));
        assertEquals("invalid nice value 20: it must be -20..19", nice.getMessage());
    }

    @Test
    void shouldParsePolicyNamesAndRejectUnknownOnes() {
        assertEquals(SchedulingPolicy.FIFO, SchedulingPolicy.parse("fifo"));
        assertEquals(SchedulingPolicy.RR, SchedulingPolicy.parse("SCHED_RR"));
        assertEquals(SchedulingPolicy.OTHER, SchedulingPolicy.parse("normal"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchedulingPolicy.parse("deadline"));
        assertEquals("unknown scheduling policy \"deadline\": use other, fifo, rr, batch or idle", e.getMessage());
    }

    @Test
    void shouldReadAndSetNice() throws Exception {
        int[] n = AffinityTest.onFreshThread(() -> {
            int before = RealtimeScheduling.nice(0);
            RealtimeScheduling.setNice(0, 5);
            return new int[] {before, RealtimeScheduling.nice(0)};
        });
        assertEquals(5, n[1]);
        assertTrue(n[0] <= 5);
    }
}
