package dev.nautilus.accel.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nautilus.accel.nativeaccess.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reservations on the fixtures' shapes (locks only: nothing is pinned to a fixture's CPUs) and on
 * the live machine, always in a temporary lock directory.
 */
@Timeout(60)
class CpuReservationTest {
    @TempDir
    Path locks;
    private final List<CpuReservation> open = new ArrayList<>();

    @AfterEach
    void closeAll() {
        open.forEach(CpuReservation::close);
        assertTrue(CpuReservation.holders(locks).isEmpty(), "every test releases what it reserved");
    }

    private CpuReservation keep(CpuReservation r) {
        open.add(r);
        return r;
    }

    private CpuReservation.Request on(String fixture) {
        return CpuReservation.request(Fixtures.read(fixture)).lockDirectory(locks);
    }

    private static final long PID = ProcessHandle.current().pid();

    // ------------------------------------------------------------------ basics

    @Test
    void shouldReserveFreeCpusTakingCpuZeroLastAndReleaseThemOnClose() throws IOException {
        CpuReservation first = keep(on(Fixtures.THIS_VM).reserve());
        assertEquals(CpuSet.of(1), first.cpus(), "CPU 0 does the kernel's housekeeping: last");
        assertFalse(first.isWholeCore());
        assertEquals(locks.toAbsolutePath().normalize(), first.lockDirectory());
        String text = Files.readString(locks.resolve("cpu1.lock"));
        assertTrue(text.startsWith("pid=" + PID + "\ntid="), text);
        assertTrue(text.contains("\nthread=" + Thread.currentThread().getName() + "\ncpu=1\nsince="), text);

        CpuReservation second = keep(on(Fixtures.THIS_VM).reserve());
        assertEquals(CpuSet.of(0), second.cpus());

        List<CpuReservation.Holder> holders = CpuReservation.holders(locks);
        assertEquals(List.of(0, 1), holders.stream().map(CpuReservation.Holder::cpu).toList());
        CpuReservation.Holder h = holders.get(1);
        assertEquals(PID, h.pid());
        assertTrue(h.isThisProcess());
        assertEquals(Thread.currentThread().getName(), h.threadName());
        assertEquals(locks.toAbsolutePath().normalize().resolve("cpu1.lock"), h.lockFile());
        assertTrue(h.toString().startsWith("CPU 1: pid " + PID + ", this process ("), h.toString());

        CpuReservationException none = assertThrows(CpuReservationException.class, () -> on(Fixtures.THIS_VM).reserve());
        assertTrue(none.getMessage().startsWith("no free CPU for ANY (candidates: CPUs 0-1): CPU 0 is reserved by pid " + PID
                + ", this process (tid "), none.getMessage());
        assertTrue(none.getMessage().contains(", CPU 1 is reserved by pid " + PID + ", this process (tid "), none.getMessage());
        assertTrue(none.getMessage().endsWith(". Close one of these reservations or stop its process (CpuReservation.holders() "
                + "and `nautilus cpu` list them), or use another strategy; lock directory " + locks.toAbsolutePath().normalize()),
                none.getMessage());
        assertEquals(2, none.holders().size());

        first.close();
        first.close(); // idempotent
        assertFalse(first.isHeld());
        assertEquals("", Files.readString(locks.resolve("cpu1.lock")), "released: the holder text is gone");
        assertEquals(List.of(0), CpuReservation.holders(locks).stream().map(CpuReservation.Holder::cpu).toList());
        assertEquals(CpuSet.of(1), keep(on(Fixtures.THIS_VM).reserve()).cpus(), "free again");
    }

    @Test
    void shouldRefuseASecondReservationOfTheSameCpuInThisJvmFromAnyThread() throws Exception {
        keep(on(Fixtures.THIS_VM).reserveCpu(1));
        CpuReservationException e = assertThrows(CpuReservationException.class, () -> on(Fixtures.THIS_VM).reserveCpu(1));
        assertTrue(e.getMessage().startsWith("CPU 1 is not free: CPU 1 is reserved by pid " + PID + ", this process (tid "),
                e.getMessage());
        assertTrue(e.getMessage().contains("thread \"" + Thread.currentThread().getName() + "\", since "), e.getMessage());
        assertTrue(e.getMessage().endsWith(". Close that reservation or stop its process, or reserve another CPU "
                + "(CpuReservation.holders() and `nautilus cpu` list the holders; lock directory "
                + locks.toAbsolutePath().normalize() + ")"), e.getMessage());

        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Throwable fromOtherThread = other.submit(() -> {
                try (CpuReservation r = on(Fixtures.THIS_VM).reserveCpu(1)) {
                    return new AssertionError("reserved " + r.cpus() + " twice");
                } catch (CpuReservationException x) {
                    return x;
                }
            }).get(30, TimeUnit.SECONDS);
            assertTrue(fromOtherThread instanceof CpuReservationException, "the registry is process-wide");
        } finally {
            other.shutdownNow();
            assertTrue(other.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldIgnoreTheTextOfAHolderThatDiedWithoutReleasing() throws IOException {
        Files.createDirectories(locks);
        Files.writeString(locks.resolve("cpu1.lock"), "pid=2147483000\ntid=5\nthread=ghost\ncpu=1\nsince=2020-01-01T00:00:00Z\n");
        assertTrue(CpuReservation.holders(locks).isEmpty(), "no lock on the file: nobody holds it");
        CpuReservation r = keep(on(Fixtures.THIS_VM).reserveCpu(1));
        assertEquals(CpuSet.of(1), r.cpus());
        assertFalse(Files.readString(locks.resolve("cpu1.lock")).contains("ghost"));
    }

    // ------------------------------------------------------------------ strategies

    @Test
    void shouldPreferIsolatedAndTicklessCpusOnIdleCores() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            order.add(keep(on(Fixtures.SERVER).strategy(ReservationStrategy.PREFER_ISOLATED).reserve()).cpus().first());
        }
        // isolated CPUs first, a free core before a sibling of a reserved CPU; then the rest
        assertEquals(List.of(6, 7, 14, 15, 22, 23, 30, 31, 1, 2), order);
    }

    @Test
    void shouldReserveWholeIsolatedCores() {
        CpuReservation a = keep(on(Fixtures.SERVER).strategy(ReservationStrategy.PREFER_ISOLATED).wholeCores().reserve());
        assertEquals(CpuSet.of(6, 22), a.cpus());
        assertTrue(a.isWholeCore());
        CpuReservation b = keep(on(Fixtures.SERVER).strategy(ReservationStrategy.PREFER_ISOLATED).wholeCores().reserve());
        assertEquals(CpuSet.of(7, 23), b.cpus());
        CpuReservation three = keep(on(Fixtures.SERVER).wholeCores().count(3).reserve());
        assertEquals(CpuSet.parse("1-3,17-19"), three.cpus());
    }

    @Test
    void shouldPreferPerformanceCoresAndFallBackToEfficiencyCores() {
        assertEquals(CpuSet.of(1), keep(on(Fixtures.HYBRID).strategy(ReservationStrategy.PREFER_PERFORMANCE).reserve()).cpus());
        assertEquals(CpuSet.of(2), keep(on(Fixtures.HYBRID).strategy(ReservationStrategy.PREFER_PERFORMANCE).reserve()).cpus(),
                "an idle P-core before CPU 1's sibling");
        CpuReservation rest = keep(on(Fixtures.HYBRID).strategy(ReservationStrategy.PREFER_PERFORMANCE).count(14).reserve());
        assertEquals(CpuSet.parse("0,3-15"), rest.cpus());
        assertEquals(CpuSet.of(16), keep(on(Fixtures.HYBRID).strategy(ReservationStrategy.PREFER_PERFORMANCE).reserve()).cpus(),
                "P-cores all taken: an E-core");
        // other machines: other lock directories
        assertEquals(CpuSet.of(4), keep(on(Fixtures.ARM).lockDirectory(locks.resolve("arm"))
                .strategy(ReservationStrategy.PREFER_PERFORMANCE).reserve()).cpus(), "the first big core");
        assertEquals(CpuSet.of(6), keep(on(Fixtures.SERVER).lockDirectory(locks.resolve("server"))
                .strategy(ReservationStrategy.PREFER_PERFORMANCE).reserve()).cpus(),
                "not hybrid: every core is a performance core, isolated first");
    }

    @Test
    void shouldPlaceRelativeToAnotherReservation() {
        CpuReservation ref = keep(on(Fixtures.SERVER).reserveCpu(3));
        assertEquals(CpuSet.of(19), keep(on(Fixtures.SERVER).strategy(ReservationStrategy.SAME_CORE).relativeTo(ref).reserve()).cpus());
        assertEquals(CpuSet.of(1),
                keep(on(Fixtures.SERVER).strategy(ReservationStrategy.DIFFERENT_CORE).relativeTo(ref).reserve()).cpus());
        CpuReservation far = keep(on(Fixtures.SERVER).strategy(ReservationStrategy.DIFFERENT_NUMA_NODE).relativeTo(ref).reserve());
        assertEquals(CpuSet.of(8), far.cpus());
        assertEquals(CpuSet.of(9),
                keep(on(Fixtures.SERVER).strategy(ReservationStrategy.SAME_NUMA_NODE).relativeTo(far).reserve()).cpus(),
                "same node, another core than the reference's");
        CpuReservation farCore = keep(on(Fixtures.SERVER).strategy(ReservationStrategy.DIFFERENT_NUMA_NODE).relativeTo(CpuSet.of(8))
                .wholeCores().reserve());
        assertEquals(CpuSet.of(2, 18), farCore.cpus());
        CpuTopology server = Fixtures.read(Fixtures.SERVER);
        CpuReservation near = keep(CpuReservation.reserve(ReservationStrategy.DIFFERENT_CORE, server, farCore));
        assertEquals(CpuSet.of(4), near.cpus(), "node 0, an idle core, CPU 0 last");
        assertEquals(farCore.lockDirectory(), near.lockDirectory(), "the reference's lock directory");
        assertTrue(CpuReservation.holders(locks).stream().anyMatch(h -> h.cpu() == 3));
    }

    @Test
    void shouldReserveAWholeCoreAndReportTheSiblingThatIsTaken() {
        CpuReservation sibling = keep(on(Fixtures.SERVER).reserveCpu(19));
        CpuReservationException e = assertThrows(CpuReservationException.class, () -> on(Fixtures.SERVER).reserveCore(3));
        assertTrue(e.getMessage().startsWith("the core of CPU 3 (CPUs 3,19) is not free: CPU 19 is reserved by pid " + PID),
                e.getMessage());
        assertEquals(List.of(19), e.holders().stream().map(CpuReservation.Holder::cpu).toList());
        assertTrue(CpuReservation.holders(locks).stream().noneMatch(h -> h.cpu() == 3), "all or nothing: CPU 3 was let go");
        sibling.close();
        CpuReservation core = keep(on(Fixtures.SERVER).reserveCore(19));
        assertEquals(CpuSet.of(3, 19), core.cpus());
        assertTrue(core.isWholeCore());
        assertEquals(CpuSet.of(1), keep(on(Fixtures.THIS_VM).reserveCore(1)).cpus(), "without SMT a core is one CPU");
    }

    @Test
    void shouldSayWhyNoCpuCanEverFitAStrategy() {
        CpuReservation one = keep(on(Fixtures.THIS_VM).reserveCpu(1));
        assertEquals("no CPU fits SAME_CORE relative to CPU 1: this machine has no SMT (every core is one CPU), so no CPU shares "
                + "a core with another", assertThrows(IllegalArgumentException.class,
                        () -> on(Fixtures.THIS_VM).strategy(ReservationStrategy.SAME_CORE).relativeTo(one).reserve()).getMessage());
        assertEquals("no CPU fits DIFFERENT_NUMA_NODE relative to CPU 1: this machine has one NUMA node (0), so no CPU is on "
                + "another node", assertThrows(IllegalArgumentException.class,
                        () -> on(Fixtures.THIS_VM).strategy(ReservationStrategy.DIFFERENT_NUMA_NODE).relativeTo(one).reserve())
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> on(Fixtures.OFFLINE)
                .strategy(ReservationStrategy.SAME_NUMA_NODE).relativeTo(CpuSet.of(1)).reserve()).getMessage()
                .startsWith("SAME_NUMA_NODE needs the NUMA node of CPU 1, which is unknown (no "));
        assertEquals("SAME_CORE places a CPU relative to another: give the reference with relativeTo(reservation or CPUs)",
                assertThrows(IllegalArgumentException.class,
                        () -> on(Fixtures.SERVER).strategy(ReservationStrategy.SAME_CORE).reserve()).getMessage());
        assertEquals("ANY takes no reference CPUs (relativeTo 1); use SAME_CORE, DIFFERENT_CORE, SAME_NUMA_NODE or "
                + "DIFFERENT_NUMA_NODE", assertThrows(IllegalArgumentException.class,
                        () -> on(Fixtures.SERVER).relativeTo(one).reserve()).getMessage());
        assertEquals("SAME_CORE reserves an SMT sibling of the reference and cannot reserve whole cores; drop wholeCores() or "
                + "use reserveCore(cpu)", assertThrows(IllegalArgumentException.class, () -> on(Fixtures.SERVER)
                        .strategy(ReservationStrategy.SAME_CORE).relativeTo(one).wholeCores().reserve()).getMessage());
        assertEquals("SAME_NUMA_NODE needs reference CPUs on one NUMA node, but 0,8 span several; reserve relative to one of them",
                assertThrows(IllegalArgumentException.class, () -> on(Fixtures.SERVER).strategy(ReservationStrategy.SAME_NUMA_NODE)
                        .relativeTo(CpuSet.of(0, 8)).reserve()).getMessage());
    }

    // ------------------------------------------------------------------ bad inputs

    @Test
    void shouldRejectOfflineAndMissingCpusAndMoreThanExist() {
        assertEquals("CPU 5 is offline (online: 0-3); bring it online (echo 1 > /sys/devices/system/cpu/cpu5/online, as root) "
                + "or pick an online CPU", assertThrows(IllegalArgumentException.class,
                        () -> on(Fixtures.OFFLINE).reserveCpu(5)).getMessage());
        assertEquals("CPU 64 does not exist on this machine (possible CPUs: 0-7; online: 0-3); pick an online CPU",
                assertThrows(IllegalArgumentException.class, () -> on(Fixtures.OFFLINE).reserveCore(64)).getMessage());
        assertEquals("invalid CPU number -3: CPUs are numbered from 0 (online: 0-1)",
                assertThrows(IllegalArgumentException.class, () -> on(Fixtures.THIS_VM).reserveCpu(-3)).getMessage());
        assertEquals("cannot reserve 3 CPUs: this machine has 2 online CPUs (CPUs 0-1)",
                assertThrows(IllegalArgumentException.class, () -> on(Fixtures.THIS_VM).count(3).reserve()).getMessage());
        assertEquals("cannot reserve 5 whole cores: this machine has 4 physical cores (CPUs 0-3)",
                assertThrows(IllegalArgumentException.class, () -> on(Fixtures.OFFLINE).wholeCores().count(5).reserve()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> on(Fixtures.SERVER).wholeCores().count(17).reserve())
                .getMessage().startsWith("cannot reserve 17 whole cores: this machine has 16 physical cores (cores 0,16 1,17 2,18 "));
        assertEquals("invalid count 0: reserve at least 1 CPU",
                assertThrows(IllegalArgumentException.class, () -> on(Fixtures.THIS_VM).count(0)).getMessage());
        assertTrue(CpuReservation.holders(locks).isEmpty(), "nothing was reserved by failed requests");
    }

    @Test
    void shouldReserveAllOrNothingWhenSomeCpusAreTaken() {
        keep(on(Fixtures.THIS_VM).reserveCpu(0));
        CpuReservationException e = assertThrows(CpuReservationException.class, () -> on(Fixtures.THIS_VM).count(2).reserve());
        assertTrue(e.getMessage().startsWith("only 1 of 2 CPUs free for ANY (candidates: CPUs 0-1): CPU 0 is reserved by pid "
                + PID), e.getMessage());
        assertEquals(List.of(0), CpuReservation.holders(locks).stream().map(CpuReservation.Holder::cpu).toList(),
                "CPU 1 was taken and let go again");
    }

    @Test
    void shouldSayWhenTheLockDirectoryCannotBeCreated() throws IOException {
        Path file = Files.writeString(locks.resolve("not-a-directory"), "x");
        CpuReservationException e = assertThrows(CpuReservationException.class,
                () -> CpuReservation.request(Fixtures.read(Fixtures.THIS_VM)).lockDirectory(file.resolve("cpus")).reserveCpu(1));
        assertTrue(e.getMessage().startsWith("cannot create the CPU lock directory " + file.resolve("cpus") + " ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("); set -Dnautilus.affinity.lockDir=DIR to a writable local directory shared by the "
                + "processes that reserve CPUs"), e.getMessage());
        Files.delete(file);
    }

    @Test
    void shouldChooseTheLockDirectoryFromThePropertyXdgRunOrTmp(@TempDir Path scratch) throws IOException {
        Path run = Files.createDirectories(scratch.resolve("run"));
        Path xdg = Files.createDirectories(scratch.resolve("xdg"));
        assertEquals(Path.of("/my/locks"), CpuLocks.resolveDirectory(" /my/locks ", xdg.toString(), run, "/tmp", "ann"));
        assertEquals(xdg.resolve("nautilus-accel/cpus"), CpuLocks.resolveDirectory(null, xdg.toString(), run, "/tmp", "ann"));
        assertEquals(run.resolve("nautilus-accel/cpus"), CpuLocks.resolveDirectory("", "/no/such/xdg", run, "/tmp", "ann"));
        assertEquals(Path.of("/var/tmp/nautilus-accel-ann_x/cpus"),
                CpuLocks.resolveDirectory(null, null, scratch.resolve("no-run"), "/var/tmp", "ann/x"));
        String before = System.getProperty(CpuLocks.PROPERTY);
        try {
            System.setProperty(CpuLocks.PROPERTY, locks.toString());
            assertEquals(locks, CpuReservation.defaultLockDirectory());
        } finally {
            if (before == null) {
                System.clearProperty(CpuLocks.PROPERTY);
            } else {
                System.setProperty(CpuLocks.PROPERTY, before);
            }
        }
    }

    // ------------------------------------------------------------------ pinning (live machine)

    @Test
    void shouldPinTheCallingThreadToTheReservedCpuOrSayWhyNot() throws Exception {
        assumeTrue(Platform.isLinux() && Affinity.canPin(), "pinning is Linux-only");
        CpuTopology live = CpuTopology.read();
        CpuSet[] seen = new CpuSet[2];
        CpuReservation r = keep(CpuReservation.request(live).lockDirectory(locks).reserve());
        AffinityTest.onFreshThread(() -> {
            r.pinCurrentThread();
            seen[0] = Affinity.currentThreadAffinity();
            r.pinCurrentThread(r.cpus().first());
            seen[1] = Affinity.currentThreadAffinity();
            return null;
        });
        assertEquals(r.cpus(), seen[0]);
        assertEquals(CpuSet.of(r.cpus().first()), seen[1]);
        int other = live.cpus().minus(r.cpus()).isEmpty() ? 4000 : live.cpus().minus(r.cpus()).first();
        assertEquals("CPU " + other + " is not part of this reservation (CPUs " + r.cpus() + "): pin to a reserved CPU",
                assertThrows(IllegalArgumentException.class, () -> r.pinCurrentThread(other)).getMessage());
        r.close();
        assertEquals("the reservation of CPU " + r.cpus() + " is closed: reserve again before pinning",
                assertThrows(IllegalStateException.class, r::pinCurrentThread).getMessage());

        // a reservation made on another machine's shape cannot pin here, and says so
        CpuReservation foreign = keep(on(Fixtures.SERVER).reserveCpu(31));
        assumeTrue(!Affinity.onlineCpus().contains(31), "this machine has a CPU 31");
        Throwable e = AffinityTest.onFreshThread(() -> {
            try {
                foreign.pinCurrentThread();
                return null;
            } catch (RuntimeException x) {
                return x;
            }
        });
        assertTrue(e instanceof IllegalArgumentException, String.valueOf(e));
        assertTrue(e.getMessage().startsWith("CPU 31 is not online (online: "), e.getMessage());
    }
}
