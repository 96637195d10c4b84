package dev.nautilus.accel.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nautilus.accel.nativeaccess.Platform;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class PinnedThreadFactoryTest {
    @TempDir
    Path locks;
    private CpuTopology live;
    private final List<Thread> started = new ArrayList<>();

    @BeforeEach
    void linux() {
        assumeTrue(Platform.isLinux() && Affinity.canPin(), "pinned threads are Linux-only");
        live = CpuTopology.read();
    }

    @AfterEach
    void reap() throws InterruptedException {
        for (Thread t : started) {
            t.join(10_000);
            assertFalse(t.isAlive(), t.getName() + " ended");
        }
        assertTrue(CpuReservation.holders(locks).isEmpty(), "every thread released its core");
    }

    private Thread start(Thread t) {
        started.add(t);
        t.start();
        return t;
    }

    /** What a thread saw of itself while its task ran. */
    record Seen(CpuSet affinity, String kernelName, String javaName, long tid, List<CpuReservation.Holder> holders) {}

    private Seen observe() {
        return new Seen(Affinity.currentThreadAffinity(), Affinity.currentThreadName(), Thread.currentThread().getName(),
                Affinity.currentThreadId(), CpuReservation.holders(locks));
    }

    @Test
    void shouldRunALatencyCriticalTaskPinnedToAReservedCoreAndReleaseItOnExit() throws Exception {
        PinnedThreadFactory f = new PinnedThreadFactory("md-feed", Workload.LATENCY_CRITICAL, live).withLockDirectory(locks);
        AtomicReference<Seen> seen = new AtomicReference<>();
        Thread t = start(f.newThread(() -> seen.set(observe())));
        t.join(30_000);
        Seen s = seen.get();
        assertNotNull(s, "the task ran");
        assertEquals(1, s.affinity().size(), "pinned to one CPU");
        int cpu = s.affinity().first();
        CpuSet core = live.siblingsOf(cpu);
        assertEquals(core.first(), cpu, "the core's first CPU");
        assertEquals("md-feed-1", s.javaName());
        assertEquals("md-feed-1", s.kernelName());
        assertEquals(core, CpuSet.of(s.holders().stream().mapToInt(CpuReservation.Holder::cpu).toArray()),
                "the whole core was reserved while the task ran");
        CpuReservation.Holder h = s.holders().get(0);
        assertEquals(s.tid(), h.tid());
        assertEquals("md-feed-1", h.threadName());
        assertTrue(CpuReservation.holders(locks).isEmpty(), "released when the task returned");
    }

    @Test
    void shouldGiveEachLatencyCriticalThreadItsOwnCoreAndRefuseWhenNoneIsLeft() throws Exception {
        PinnedThreadFactory f = new PinnedThreadFactory("hot", Workload.LATENCY_CRITICAL, live).withLockDirectory(locks);
        int cores = live.cores().size();
        assumeTrue(cores <= 64, "one thread per core");
        CountDownLatch running = new CountDownLatch(cores);
        CountDownLatch finish = new CountDownLatch(1);
        List<CpuSet> pins = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            for (int i = 0; i < cores; i++) {
                start(f.newThread(() -> {
                    pins.add(Affinity.currentThreadAffinity());
                    running.countDown();
                    try {
                        finish.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            assertTrue(running.await(30, TimeUnit.SECONDS));
            CpuSet all = CpuSet.EMPTY;
            for (CpuSet p : pins) {
                assertTrue(all.intersect(p).isEmpty(), "no two threads share a CPU: " + pins);
                all = all.union(p);
            }
            assertEquals(cores, all.size());
            CpuReservationException e = assertThrows(CpuReservationException.class, () -> f.newThread(() -> { }));
            assertTrue(e.getMessage().startsWith("no free whole core for PREFER_ISOLATED (candidates: "), e.getMessage());
            assertTrue(e.getMessage().contains("is reserved by pid " + ProcessHandle.current().pid() + ", this process (tid "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("thread \"hot-1\""), e.getMessage());
            assertEquals(live.cpus(), CpuSet.of(e.holders().stream().mapToInt(CpuReservation.Holder::cpu).toArray()));
        } finally {
            finish.countDown();
        }
    }

    @Test
    void shouldNotRunTheTaskWhenTheCoreIsTakenBeforeTheThreadStarts() throws Exception {
        PinnedThreadFactory base = new PinnedThreadFactory("late", Workload.LATENCY_CRITICAL, live).withLockDirectory(locks);
        AtomicReference<Thread> failedThread = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicBoolean ran = new AtomicBoolean();
        Thread t = base.withFailureHandler((th, e) -> {
            failedThread.set(th);
            failure.set(e);
        }).newThread(() -> ran.set(true)); // decided early: a core is free now
        try (CpuReservation everything = CpuReservation.request(live).lockDirectory(locks).wholeCores()
                .count(live.cores().size()).reserve()) {
            start(t).join(30_000);
            assertFalse(ran.get(), "never runs unpinned");
            assertEquals(t, failedThread.get());
            assertTrue(failure.get() instanceof CpuReservationException, String.valueOf(failure.get()));
            assertTrue(failure.get().getMessage().startsWith("no free whole core for PREFER_ISOLATED"), failure.get().getMessage());
            assertEquals(everything.cpus(), CpuSet.of(CpuReservation.holders(locks).stream().mapToInt(CpuReservation.Holder::cpu)
                    .toArray()), "the failed thread holds nothing");
        }

        // without a handler the failure goes to the thread's uncaught exception handler
        AtomicReference<Throwable> uncaught = new AtomicReference<>();
        Thread u = base.newThread(() -> ran.set(true));
        u.setUncaughtExceptionHandler((th, e) -> uncaught.set(e));
        try (CpuReservation everything = CpuReservation.request(live).lockDirectory(locks).wholeCores()
                .count(live.cores().size()).reserve()) {
            start(u).join(30_000);
            assertFalse(ran.get());
            assertTrue(everything.isHeld());
            assertTrue(uncaught.get() instanceof CpuReservationException, String.valueOf(uncaught.get()));
        }
    }

    @Test
    void shouldPinBackgroundThreadsToCpusNobodyReserved() throws Exception {
        assumeTrue(live.cpus().size() >= 2, "needs 2 CPUs");
        PinnedThreadFactory f = new PinnedThreadFactory("bg", Workload.BACKGROUND, live).withLockDirectory(locks).withDaemon(true);
        try (CpuReservation hot = CpuReservation.request(live).lockDirectory(locks).wholeCores().reserve()) {
            CpuSet expected = Workload.backgroundCpus(live, CpuReservation.holders(locks));
            AtomicReference<Seen> seen = new AtomicReference<>();
            Thread t = f.newThread(() -> seen.set(observe()));
            assertTrue(t.isDaemon());
            start(t).join(30_000);
            assertEquals(expected, seen.get().affinity());
            assertTrue(seen.get().affinity().intersect(hot.cpus()).isEmpty(), "never on a reserved CPU");
            assertEquals("bg-1", seen.get().kernelName());
            assertEquals(hot.cpus(), CpuSet.of(seen.get().holders().stream().mapToInt(CpuReservation.Holder::cpu).toArray()),
                    "a background thread reserves nothing");

            try (CpuReservation rest = CpuReservation.request(live).lockDirectory(locks).count(live.cpus().size() - hot.cpus().size())
                    .reserve()) {
                assertEquals(live.cpus(), hot.cpus().union(rest.cpus()));
                CpuReservationException e = assertThrows(CpuReservationException.class, () -> f.newThread(() -> { }));
                assertTrue(e.getMessage().startsWith("no CPU left for BACKGROUND threads: every online CPU"), e.getMessage());
                assertTrue(e.getMessage().endsWith(". Close a reservation or run this work on an unpinned thread"), e.getMessage());
            }
        }
    }

    @Test
    void shouldRunAnExecutorsTasksOnPinnedThreads() throws Exception {
        PinnedThreadFactory f = new PinnedThreadFactory("exec", Workload.LATENCY_CRITICAL, live).withLockDirectory(locks);
        ExecutorService ex = Executors.newSingleThreadExecutor(f);
        try {
            CpuSet a = ex.submit(Affinity::currentThreadAffinity).get(30, TimeUnit.SECONDS);
            CpuSet b = ex.submit(Affinity::currentThreadAffinity).get(30, TimeUnit.SECONDS);
            assertEquals(1, a.size());
            assertEquals(a, b, "the same pinned worker");
            assertEquals(live.siblingsOf(a.first()), CpuSet.of(CpuReservation.holders(locks).stream()
                    .mapToInt(CpuReservation.Holder::cpu).toArray()), "held while the worker lives");
        } finally {
            ex.shutdown();
            assertTrue(ex.awaitTermination(10, TimeUnit.SECONDS));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!CpuReservation.holders(locks).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10); // the worker releases in its finally, just after awaitTermination can return
        }
        assertTrue(CpuReservation.holders(locks).isEmpty(), "released when the worker ended");
    }

    @Test
    void shouldCutLongNamesTo15BytesKeepingTheNumberAndRejectBadPrefixes() throws Exception {
        assertEquals("market-data-12", PinnedThreadFactory.kernelName("market-data-feed", 12));
        assertEquals("md-feed-3", PinnedThreadFactory.kernelName("md-feed", 3));
        assertEquals("ordrebøger-1", PinnedThreadFactory.kernelName("ordrebøger", 1));
        assertEquals(15, PinnedThreadFactory.kernelName("ééééééééé", 7).getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + 1, "never a broken character");
        PinnedThreadFactory f = new PinnedThreadFactory("market-data-feed", Workload.BACKGROUND, live).withLockDirectory(locks);
        AtomicReference<Seen> seen = new AtomicReference<>();
        start(f.newThread(() -> seen.set(observe()))).join(30_000);
        assertEquals("market-data-feed-1", seen.get().javaName());
        assertEquals("market-data-f-1", seen.get().kernelName());

        for (String bad : new String[] {"", " ", "a\nb"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PinnedThreadFactory(bad, Workload.BACKGROUND, live));
            assertTrue(e.getMessage().endsWith(": use a short printable name such as \"md-feed\" (threads are named PREFIX-N; "
                    + "the kernel keeps 15 bytes)"), e.getMessage());
        }
        assertEquals("invalid thread name prefix null: use a short printable name such as \"md-feed\" (threads are named "
                + "PREFIX-N; the kernel keeps 15 bytes)", assertThrows(IllegalArgumentException.class,
                        () -> new PinnedThreadFactory(null, Workload.BACKGROUND, live)).getMessage());
    }

    // ------------------------------------------------------------------ placement on the fixtures (no pinning)

    @Test
    void shouldPlaceLatencyCriticalWorkOnIsolatedThenPerformanceCoresOfEachShape() {
        assertEquals(List.of(CpuSet.of(6, 22), CpuSet.of(7, 23), CpuSet.of(14, 30)), latencyCores(Fixtures.SERVER, 3),
                "isolated, nohz_full cores first");
        assertEquals(List.of(CpuSet.of(2, 3), CpuSet.of(4, 5)), latencyCores(Fixtures.HYBRID, 2),
                "P-cores (CPU 0's core last), never E-cores");
        assertEquals(List.of(CpuSet.of(4), CpuSet.of(5)), latencyCores(Fixtures.ARM, 2), "big cores");
        assertEquals(List.of(CpuSet.of(1)), latencyCores(Fixtures.THIS_VM, 1));
        Path dir = locks.resolve("arm-full");
        CpuTopology arm = Fixtures.read(Fixtures.ARM);
        try (CpuReservation bigs = CpuReservation.request(arm).lockDirectory(dir).reserveCpu(4);
                CpuReservation more = CpuReservation.request(arm).lockDirectory(dir).strategy(ReservationStrategy.PREFER_PERFORMANCE)
                        .count(3).reserve()) {
            assertEquals(CpuSet.of(4), bigs.cpus());
            assertEquals(CpuSet.parse("5-7"), more.cpus());
            CpuReservationException e = assertThrows(CpuReservationException.class,
                    () -> Workload.latencyRequest(arm, dir).reserve());
            assertTrue(e.getMessage().startsWith("no free whole core for PREFER_ISOLATED (candidates: CPUs 4-7): CPU 4 is reserved"),
                    "little cores are not for latency-critical work: " + e.getMessage());
        }
    }

    private List<CpuSet> latencyCores(String fixture, int n) {
        CpuTopology t = Fixtures.read(fixture);
        Path dir = locks.resolve(fixture);
        List<CpuReservation> rs = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                rs.add(Workload.latencyRequest(t, dir).reserve());
            }
            assertTrue(rs.stream().allMatch(CpuReservation::isWholeCore));
            return rs.stream().map(CpuReservation::cpus).toList();
        } finally {
            rs.forEach(CpuReservation::close);
        }
    }

    @Test
    void shouldPlaceBackgroundWorkOnEfficiencyOrLeftoverCpusOfEachShape() {
        CpuTopology server = Fixtures.read(Fixtures.SERVER);
        assertEquals(CpuSet.parse("0-5,8-13,16-21,24-29"), Workload.backgroundCpus(server, List.of()), "never isolated CPUs");
        assertEquals(CpuSet.parse("0,2-5,8-13,16,18-21,24-29"), Workload.backgroundCpus(server, List.of(holder(1))),
                "not CPU 1, nor its sibling 17");
        CpuTopology hybrid = Fixtures.read(Fixtures.HYBRID);
        assertEquals(CpuSet.parse("16-23"), Workload.backgroundCpus(hybrid, List.of()), "E-cores");
        assertEquals(CpuSet.parse("16-18,20-23"), Workload.backgroundCpus(hybrid, List.of(holder(19))));
        CpuTopology arm = Fixtures.read(Fixtures.ARM);
        assertEquals(CpuSet.parse("0-3"), Workload.backgroundCpus(arm, List.of()), "little cores");
        List<CpuReservation.Holder> littles = List.of(holder(0), holder(1), holder(2), holder(3));
        assertEquals(CpuSet.parse("4-7"), Workload.backgroundCpus(arm, littles), "little cores all reserved: leftover big ones");
        CpuTopology vm = Fixtures.read(Fixtures.THIS_VM);
        CpuReservationException e = assertThrows(CpuReservationException.class,
                () -> Workload.backgroundCpus(vm, List.of(holder(0), holder(1))));
        assertEquals("no CPU left for BACKGROUND threads: every online CPU is reserved: CPU 0 by pid 4242 (tid 7, thread \"x\"), "
                + "CPU 1 by pid 4242 (tid 7, thread \"x\"). Close a reservation or run this work on an unpinned thread", e.getMessage());
        assertTrue(assertThrows(CpuReservationException.class, () -> Workload.backgroundCpus(server,
                java.util.stream.IntStream.rangeClosed(0, 31).mapToObj(PinnedThreadFactoryTest::holder).toList())).getMessage()
                .startsWith("no CPU left for BACKGROUND threads: every online CPU outside the isolated ones (6-7,14-15,22-23,30-31) "
                        + "is reserved: CPU 0 by pid 4242"));
    }

    private static CpuReservation.Holder holder(int cpu) {
        return new CpuReservation.Holder(cpu, 4242, 7, "x", (Instant) null, Path.of("/nowhere/cpu" + cpu + ".lock"));
    }
}
