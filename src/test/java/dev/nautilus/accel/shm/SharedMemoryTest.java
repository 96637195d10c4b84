package dev.nautilus.accel.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nautilus.accel.nativeaccess.Errno;
import dev.nautilus.accel.nativeaccess.Platform;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SharedMemoryTest {
    private final TestNames names = new TestNames();

    @BeforeAll
    static void available() {
        SharedMemory.ensureAvailable();
    }

    @AfterEach
    void cleanUp() {
        names.close();
    }

    private static Path file(String name) {
        return Path.of("/dev/shm", name.substring(1));
    }

    @Test
    void shouldCreateWriteReopenAndReadBack() {
        String name = names.next();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment a = SharedMemory.create(name, 4096, arena);
            MemorySegment b = SharedMemory.open(name, arena);
            a.set(ValueLayout.JAVA_LONG, 8, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, b.get(ValueLayout.JAVA_LONG, 8), "two mappings of one segment share memory");
            assertEquals(0L, b.get(ValueLayout.JAVA_LONG, 0), "new segments read as zeros");
            assertFalse(a.isReadOnly());
        }
    }

    @Test
    void shouldRoundTheSizeUpToThePageSize() {
        String name = names.next();
        long page = SharedMemory.pageSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = SharedMemory.create(name, 1, arena);
            assertEquals(page, s.byteSize());
            assertEquals(page, SharedMemory.find(name).orElseThrow().size());
            assertEquals(page, SharedMemory.open(name, arena).byteSize());
        }
    }

    @Test
    void shouldCreateOwnerOnlySegmentsByDefault() throws IOException {
        assumeTrue(Platform.isLinux());
        String name = names.next();
        try (Arena arena = Arena.ofConfined()) {
            SharedMemory.create(name, 4096, arena);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file(name))));
            assertEquals(0600, SharedMemory.find(name).orElseThrow().mode());
        }
    }

    @Test
    void shouldApplyTheRequestedModeExactlyDespiteTheUmask() throws IOException {
        assumeTrue(Platform.isLinux());
        String name = names.next();
        try (Arena arena = Arena.ofConfined()) {
            SharedMemory.create(name, 4096, ShmOptions.defaults().withMode(0666), arena);
            assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(file(name))));
            assertEquals("rw-rw-rw-", SharedMemory.find(name).orElseThrow().modeString());
        }
    }

    @Test
    void shouldRefuseWritesThroughAReadOnlyMapping() {
        String name = names.next();
        try (Arena arena = Arena.ofConfined()) {
            SharedMemory.create(name, 4096, arena).set(ValueLayout.JAVA_INT, 0, 7);
            MemorySegment ro = SharedMemory.open(name, ShmOptions.defaults().withReadOnly(true), arena);
            assertTrue(ro.isReadOnly());
            assertEquals(7, ro.get(ValueLayout.JAVA_INT, 0));
            assertThrows(IllegalArgumentException.class, () -> ro.set(ValueLayout.JAVA_INT, 0, 8));
            assertEquals(7, ro.get(ValueLayout.JAVA_INT, 0), "nothing was written");
        }
    }

    @Test
    void shouldThrowNotCrashWhenUsedAfterTheArenaCloses() {
        String name = names.next();
        MemorySegment s;
        try (Arena arena = Arena.ofConfined()) {
            s = SharedMemory.create(name, 4096, arena);
            s.set(ValueLayout.JAVA_LONG, 0, 1L);
        }
        MemorySegment closed = s;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> closed.get(ValueLayout.JAVA_LONG, 0));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> closed.set(ValueLayout.JAVA_LONG, 0, 2L));
        assertTrue(SharedMemory.find(name).isPresent(), "closing unmaps but keeps the name");
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(1L, SharedMemory.open(name, arena).get(ValueLayout.JAVA_LONG, 0), "the data outlives the mapping");
        }
    }

    @Test
    void shouldRefuseAClosedArenaBeforeTouchingTheSystem() {
        String name = names.next();
        Arena arena = Arena.ofConfined();
        arena.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SharedMemory.create(name, 4096, arena));
        assertEquals("the arena is already closed: pass an open Arena to own the mapping", e.getMessage());
        assertTrue(SharedMemory.find(name).isEmpty(), "nothing was created");
    }

    @Test
    void shouldFailExclusiveCreateOfAnExistingNameAndKeepItsData() {
        String name = names.next();
        try (Arena arena = Arena.ofConfined()) {
            SharedMemory.create(name, 4096, arena).set(ValueLayout.JAVA_LONG, 0, 99L);
            ShmException e = assertThrows(ShmException.class, () -> SharedMemory.create(name, 4096, arena));
            assertEquals("shm_open", e.call());
            assertEquals(name, e.segment());
            assertEquals(Errno.EEXIST, e.errno());
            assertTrue(e.getMessage().startsWith("shm_open(\"" + name + "\") failed: EEXIST (File exists). "), e.getMessage());
            assertTrue(e.getMessage().contains("nautilus shm rm " + name), e.getMessage());
            assertEquals(99L, SharedMemory.open(name, arena).get(ValueLayout.JAVA_LONG, 0), "the existing data is untouched");
        }
    }

    @Test
    void shouldOpenAnExistingSegmentOnNonExclusiveCreateOfTheSameSize() {
        String name = names.next();
        try (Arena arena = Arena.ofConfined()) {
            SharedMemory.create(name, 8192, arena).set(ValueLayout.JAVA_LONG, 0, 5L);
            MemorySegment again = SharedMemory.create(name, 8000, ShmOptions.defaults().withExclusive(false), arena);
            assertEquals(5L, again.get(ValueLayout.JAVA_LONG, 0));
            ShmException e = assertThrows(ShmException.class,
                    () -> SharedMemory.create(name, 1 << 20, ShmOptions.defaults().withExclusive(false), arena));
            assertTrue(e.getMessage().contains("exists with size 8192 bytes, not the 1048576 requested"), e.getMessage());
            assertEquals(8192, SharedMemory.find(name).orElseThrow().size(), "the existing segment was not resized");
        }
    }

    @Test
    void shouldSayWhatToDoWhenOpeningAMissingSegment() {
        String name = names.next();
        try (Arena arena = Arena.ofConfined()) {
            ShmException e = assertThrows(ShmException.class, () -> SharedMemory.open(name, arena));
            assertEquals(Errno.ENOENT, e.errno());
            assertEquals("shm_open(\"" + name + "\") failed: ENOENT (No such file or directory). "
                    + "no segment of that name exists: create it first, or check the name (nautilus shm list)", e.getMessage());
        }
    }

    @Test
    void shouldFailWithEnospcUpFrontAndLeaveNothingBehind() throws IOException {
        assumeTrue(Platform.isLinux());
        String name = names.next();
        long total = Files.getFileStore(Path.of("/dev/shm")).getTotalSpace();
        try (Arena arena = Arena.ofConfined()) {
            ShmException e = assertThrows(ShmException.class, () -> SharedMemory.create(name, total + (1L << 30), arena));
            assertEquals("posix_fallocate", e.call());
            assertEquals(Errno.ENOSPC, e.errno());
            assertTrue(e.getMessage().contains("not enough room in /dev/shm"), e.getMessage());
        }
        assertTrue(SharedMemory.find(name).isEmpty(), "a failed create removes what it created");
    }

    @Test
    void shouldUnlinkAndReportWhetherSomethingWasRemoved() {
        String name = names.next();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = SharedMemory.create(name, 4096, arena);
            assertTrue(SharedMemory.unlink(name));
            assertFalse(SharedMemory.unlink(name));
            s.set(ValueLayout.JAVA_LONG, 0, 3L); // the mapping stays valid after unlink
            assertEquals(3L, s.get(ValueLayout.JAVA_LONG, 0));
            assertThrows(ShmException.class, () -> SharedMemory.open(name, arena));
        }
    }

    @Test
    void shouldListTheSegmentsOfANamespace() {
        assumeTrue(Platform.isLinux());
        String a = names.next();
        String b = names.next();
        try (Arena arena = Arena.ofConfined()) {
            SharedMemory.create(a, 4096, arena);
            SharedMemory.create(b, 8192, arena);
            String prefix = "/na-test-" + ProcessHandle.current().pid() + "-";
            List<String> listed = SharedMemory.list(prefix).stream().map(ShmSegmentInfo::name).toList();
            assertTrue(listed.contains(a) && listed.contains(b), listed.toString());
            assertTrue(listed.stream().allMatch(n -> n.startsWith(prefix)), listed.toString());
            ShmSegmentInfo ib = SharedMemory.find(b).orElseThrow();
            assertEquals(8192, ib.size());
            assertEquals(System.getProperty("user.name"), ib.owner());
            assertFalse(ib.hugePages());
            assertEquals(file(b), ib.path());
        }
        assertTrue(SharedMemory.list("/na-test-no-such-namespace-").isEmpty());
    }

    @Test
    void shouldPrefaultAndLockWhenAsked() {
        String name = names.next();
        try (Arena arena = Arena.ofConfined()) {
            ShmOptions o = ShmOptions.defaults().withPrefault(true).withLockInMemory(true);
            MemorySegment s;
            try {
                s = SharedMemory.create(name, 1 << 20, o, arena);
            } catch (ShmException e) {
                // without CAP_IPC_LOCK and a small RLIMIT_MEMLOCK the message must say so
                assertEquals("mlock", e.call());
                assertTrue(e.getMessage().contains("ulimit -l"), e.getMessage());
                assertTrue(SharedMemory.find(name).isEmpty());
                return;
            }
            s.fill((byte) 1);
            assertEquals(1, s.get(ValueLayout.JAVA_BYTE, (1 << 20) - 1));
        }
    }

    @Test
    void shouldExplainMissingHugePages() {
        assumeTrue(Platform.isLinux());
        HugePages.Status st = HugePages.status();
        String name = names.next();
        long want = Math.max(st.pageSize(), 1) * (st.available() + 1);
        try (Arena arena = Arena.ofConfined()) {
            ShmException e = assertThrows(ShmException.class,
                    () -> SharedMemory.create(name, want, ShmOptions.defaults().withHugePages(true), arena));
            assertEquals("hugetlbfs", e.call());
            if (st.mount().isEmpty()) {
                assertTrue(e.getMessage().contains("mount -t hugetlbfs none /dev/hugepages"), e.getMessage());
            } else {
                assertTrue(e.getMessage().contains("/proc/sys/vm/nr_hugepages"), e.getMessage());
            }
        }
        assertTrue(SharedMemory.find(name).isEmpty());
    }

    @Test
    void shouldCreateHugePageSegmentsWhenHugePagesAreReserved() {
        HugePages.Status st = HugePages.status();
        assumeTrue(st.mount().isPresent() && st.available() >= 2, "needs a hugetlbfs mount and 2 free huge pages");
        String name = names.next();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = SharedMemory.create(name, 1, ShmOptions.defaults().withHugePages(true), arena);
            assertEquals(st.pageSize(), s.byteSize(), "rounded up to one huge page");
            s.set(ValueLayout.JAVA_LONG, 0, 77L);
            ShmSegmentInfo info = SharedMemory.find(name).orElseThrow();
            assertTrue(info.hugePages());
            assertEquals(77L, SharedMemory.open(name, arena).get(ValueLayout.JAVA_LONG, 0), "open finds it by name alone");
        }
        assertTrue(SharedMemory.unlink(name));
        assertTrue(SharedMemory.find(name).isEmpty());
    }

    @Test
    void shouldRejectBadSizesAndOptionsClearly() {
        String name = names.next();
        try (Arena arena = Arena.ofConfined()) {
            IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(name, 0, arena));
            assertEquals("invalid size 0 for shared memory segment \"" + name + "\": it must be > 0 bytes", zero.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(name, -5, arena));
            IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                    () -> SharedMemory.create(name, Long.MAX_VALUE, arena));
            assertTrue(huge.getMessage().contains("too large"), huge.getMessage());
            IllegalArgumentException ro = assertThrows(IllegalArgumentException.class,
                    () -> SharedMemory.create(name, 4096, ShmOptions.defaults().withReadOnly(true), arena));
            assertTrue(ro.getMessage().contains("open it with withReadOnly(true)"), ro.getMessage());
            IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                    () -> ShmOptions.defaults().withMode(04755));
            assertEquals("invalid mode 04755: permission bits must be between 0 and 0777 (e.g. 0600 owner only, 0660 owner and group)",
                    mode.getMessage());
            assertThrows(NullPointerException.class, () -> SharedMemory.create(name, 4096, null));
        }
        assertTrue(SharedMemory.find(name).isEmpty(), "bad input creates nothing");
    }
}
