package dev.nautilus.accel.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nautilus.accel.testutil.ChildJvm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real child JVMs map the same segments as this one. */
@Timeout(120)
class CrossProcessTest {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long CHILD_MS = 60_000;
    private final TestNames names = new TestNames();

    @AfterEach
    void cleanUp() {
        names.close();
    }

    @Test
    void shouldLetAChildReadWhatTheParentWrote() throws Exception {
        String name = names.next();
        try (Arena arena = Arena.ofShared()) {
            SharedMemory.create(name, 4096, arena).set(ValueLayout.JAVA_LONG, 16, 0xCAFEBABEL);
            try (ChildJvm child = ChildJvm.start(ShmChild.class, "read", name, "16")) {
                assertEquals(String.valueOf(0xCAFEBABEL), child.nextLine(CHILD_MS));
                assertEquals(0, child.waitFor(CHILD_MS), child.output());
            }
        }
    }

    @Test
    void shouldLetTheParentReadWhatAChildCreatedAndWrote() throws Exception {
        String name = names.next();
        try (ChildJvm child = ChildJvm.start(ShmChild.class, "create-write", name, "10000", "64", "-7")) {
            assertEquals(0, child.waitFor(CHILD_MS), child.output());
            assertTrue(child.output().startsWith("ok 12288"), child.output());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = SharedMemory.open(name, arena);
            assertEquals(-7L, s.get(ValueLayout.JAVA_LONG, 64), "the segment outlives its creator process");
            assertEquals(12288, s.byteSize());
        }
    }

    @Test
    void shouldSeeAChildsWritesToAnOpenMappingWhileMapped() throws Exception {
        String name = names.next();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = SharedMemory.create(name, 4096, arena);
            try (ChildJvm child = ChildJvm.start(ShmChild.class, "write", name, "8", "123456789")) {
                assertEquals(0, child.waitFor(CHILD_MS), child.output());
            }
            assertEquals(123456789L, s.get(ValueLayout.JAVA_LONG, 8));
        }
    }

    @Test
    void shouldRefuseWritesInAChildThatOpenedReadOnly() throws Exception {
        String name = names.next();
        try (Arena arena = Arena.ofShared()) {
            SharedMemory.create(name, 4096, arena).set(ValueLayout.JAVA_LONG, 0, 5L);
            try (ChildJvm child = ChildJvm.start(ShmChild.class, "read-only-write", name)) {
                assertEquals("refused IllegalArgumentException", child.nextLine(CHILD_MS));
                assertEquals(0, child.waitFor(CHILD_MS), child.output());
            }
            assertEquals(5L, SharedMemory.open(name, arena).get(ValueLayout.JAVA_LONG, 0));
        }
    }

    @Test
    void shouldDenyAnotherUserAnOwnerOnlySegmentAndSayWhy() throws Exception {
        String classPath = ChildJvm.classPathReadableByOthers();
        assumeTrue(classPath != null, "needs root, setpriv and a class path readable by user nobody");
        String name = names.next();
        try (Arena arena = Arena.ofShared()) {
            SharedMemory.create(name, 4096, arena).set(ValueLayout.JAVA_LONG, 0, 31L);
            try (ChildJvm child = ChildJvm.startAs(ChildJvm.NOBODY, ChildJvm.NOBODY, classPath, ShmChild.class, "open", name)) {
                String line = child.nextLine(CHILD_MS);
                assertTrue(line.startsWith("error shm_open(\"" + name + "\") failed: EACCES (Permission denied). "
                        + "permission denied: the segment belongs to another user"), line);
                assertEquals(0, child.waitFor(CHILD_MS), child.output());
            }
            String shared = names.next();
            SharedMemory.create(shared, 4096, ShmOptions.defaults().withMode(0644), arena).set(ValueLayout.JAVA_LONG, 0, 32L);
            try (ChildJvm child = ChildJvm.startAs(ChildJvm.NOBODY, ChildJvm.NOBODY, classPath, ShmChild.class, "open", shared, "ro")) {
                assertEquals("opened 4096 32", child.nextLine(CHILD_MS), "0644 lets others read");
                assertEquals(0, child.waitFor(CHILD_MS), child.output());
            }
            try (ChildJvm child = ChildJvm.startAs(ChildJvm.NOBODY, ChildJvm.NOBODY, classPath, ShmChild.class, "open", shared)) {
                assertTrue(child.nextLine(CHILD_MS).contains("EACCES"), "0644 does not let others write");
                assertEquals(0, child.waitFor(CHILD_MS), child.output());
            }
        }
    }

    @Test
    void shouldWakeAChildSleepingOnASharedWord() throws Exception {
        String name = names.next();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = SharedMemory.create(name, 4096, arena);
            try (ChildJvm child = ChildJvm.start(ShmChild.class, "wait", name, "128", "0", "30000")) {
                assertEquals("waiting", child.nextLine(CHILD_MS));
                Thread.sleep(100); // let it reach the kernel (a wake-up before that shows up as NOT_EQUAL, also fine)
                INT.setRelease(s, 128L, 42);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                String result = null;
                while (result == null && System.nanoTime() < deadline) {
                    Futex.wakeAll(s, 128);
                    if (child.output().lines().count() >= 2) {
                        result = child.output().lines().skip(1).findFirst().orElseThrow();
                    }
                    Thread.sleep(5);
                }
                assertTrue(result != null, "child never woke: " + child.output());
                String[] f = result.split(" ");
                assertTrue(f[0].equals("WOKEN") || f[0].equals("NOT_EQUAL"), result);
                assertEquals("42", f[1], result);
                assertTrue(Long.parseLong(f[2]) < 25_000, "woken, not timed out: " + result);
                assertEquals(0, child.waitFor(CHILD_MS), child.output());
            }
        }
    }

    @Test
    void shouldWakeTheParentFromAChild() throws Exception {
        String name = names.next();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = SharedMemory.create(name, 4096, arena);
            Future<Integer> waiter = ex.submit(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int r = Futex.TIMED_OUT;
                while ((int) INT.getAcquire(s, 256L) == 0 && System.nanoTime() < deadline) {
                    r = Futex.await(s, 256, 0, TimeUnit.SECONDS.toNanos(60));
                }
                return r;
            });
            try (ChildJvm child = ChildJvm.start(ShmChild.class, "wake", name, "256", "9")) {
                assertEquals(0, child.waitFor(CHILD_MS), child.output());
            }
            int r = waiter.get(60, TimeUnit.SECONDS);
            assertTrue(r == Futex.WOKEN || r == Futex.NOT_EQUAL, Futex.resultName(r));
            assertEquals(9, s.get(ValueLayout.JAVA_INT, 256));
        } finally {
            ex.shutdownNow();
            assertTrue(ex.awaitTermination(10, TimeUnit.SECONDS));
        }
    }
}
