package dev.nautilus.accel.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.testutil.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real child JVMs reserve CPUs in the same lock directory as this one. */
@Timeout(120)
class CpuReservationCrossProcessTest {
    private static final long CHILD_MS = 60_000;
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path locks;

    private static int lastCpu() {
        return CpuTopology.read().cpus().last();
    }

    @Test
    void shouldRefuseACpuAnotherProcessHoldsNamingItsPidAndGetItOnceThatProcessIsKilled() throws Exception {
        assumeTrue(Platform.isLinux(), "POSIX file locks and /proc/locks: Linux");
        int cpu = lastCpu();
        CpuReservation.Request request = CpuReservation.request(CpuTopology.read()).lockDirectory(locks);
        try (ChildJvm child = ChildJvm.start(ReservationChild.class, "hold", locks.toString(), String.valueOf(cpu))) {
            assertEquals("reserved " + child.pid() + " " + cpu, child.nextLine(CHILD_MS));

            CpuReservationException e = assertThrows(CpuReservationException.class, () -> request.reserveCpu(cpu));
            assertTrue(e.getMessage().startsWith("CPU " + cpu + " is not free: CPU " + cpu + " is reserved by pid " + child.pid()
                    + " (tid "), e.getMessage());
            assertTrue(e.getMessage().contains(", thread \"main\", since "), e.getMessage());
            assertEquals(child.pid(), e.holders().get(0).pid());
            assertFalse(e.holders().get(0).isThisProcess());
            List<CpuReservation.Holder> holders = CpuReservation.holders(locks);
            assertEquals(1, holders.size());
            assertEquals(child.pid(), holders.get(0).pid());
            assertEquals("main", holders.get(0).threadName());

            child.kill(); // SIGKILL: no close, no shutdown hook
            assertFalse(child.isAlive());
            assertTrue(CpuReservation.holders(locks).isEmpty(), "the kernel dropped the dead child's lock");
            try (CpuReservation mine = request.reserveCpu(cpu)) {
                assertEquals(CpuSet.of(cpu), mine.cpus());
                assertEquals(PID, CpuReservation.holders(locks).get(0).pid());
            }
        }
        assertTrue(CpuReservation.holders(locks).isEmpty());
    }

    @Test
    void shouldKeepItsOwnLocksWhileListingHoldersSoAnotherProcessIsStillRefused() throws Exception {
        assumeTrue(Platform.isLinux(), "POSIX file locks: Linux");
        int cpu = lastCpu();
        try (CpuReservation mine = CpuReservation.request(CpuTopology.read()).lockDirectory(locks).reserveCpu(cpu)) {
            assertEquals(CpuSet.of(cpu), mine.cpus());
            // reading a lock file through a second descriptor would drop this process's POSIX lock
            for (int i = 0; i < 3; i++) {
                assertEquals(PID, CpuReservation.holders(locks).get(0).pid());
            }
            assertThrows(CpuReservationException.class,
                    () -> CpuReservation.request(CpuTopology.read()).lockDirectory(locks).reserveCpu(cpu));
            try (ChildJvm child = ChildJvm.start(ReservationChild.class, "try", locks.toString(), String.valueOf(cpu))) {
                String line = child.nextLine(CHILD_MS);
                assertTrue(line.startsWith("refused CPU " + cpu + " is not free: CPU " + cpu + " is reserved by pid " + PID + " (tid "),
                        line);
                assertEquals(0, child.waitFor(CHILD_MS), child.output());
            }
        }
        try (ChildJvm child = ChildJvm.start(ReservationChild.class, "try", locks.toString(), String.valueOf(cpu))) {
            assertEquals("reserved " + cpu, child.nextLine(CHILD_MS), "released on close");
            assertEquals(0, child.waitFor(CHILD_MS), child.output());
        }
    }

    @Test
    void shouldShareReservationsWithAnotherUserInASharedDirectory() throws Exception {
        String classPath = classPathReadableByNobody();
        assumeTrue(classPath != null, "needs root, setpriv and a class path readable by user nobody");
        int cpu = lastCpu();
        Path shared = Files.createTempDirectory("nautilus-cpus-");
        try {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
            try (CpuReservation mine = CpuReservation.request(CpuTopology.read()).lockDirectory(shared).reserveCpu(cpu)) {
                assertEquals(PosixFilePermissions.fromString("rw-rw-rw-"),
                        Files.getPosixFilePermissions(mine.lockDirectory().resolve("cpu" + cpu + ".lock")), "others may lock it too");
                try (ChildJvm child = ChildJvm.startAs(NOBODY, NOBODY, classPath, ReservationChild.class, "try", shared.toString(),
                        String.valueOf(cpu))) {
                    String line = child.nextLine(CHILD_MS);
                    assertTrue(line.startsWith("refused CPU " + cpu + " is not free: CPU " + cpu + " is reserved by pid " + PID),
                            line);
                    assertEquals(0, child.waitFor(CHILD_MS), child.output());
                }
            }
            try (ChildJvm child = ChildJvm.startAs(NOBODY, NOBODY, classPath, ReservationChild.class, "try", shared.toString(),
                    String.valueOf(cpu))) {
                assertEquals("reserved " + cpu, child.nextLine(CHILD_MS), "another user reserves it once released");
                assertEquals(0, child.waitFor(CHILD_MS), child.output());
            }
        } finally {
            try (Stream<Path> all = Files.walk(shared)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static final int NOBODY = 65534;

    /** The project's own class folders, when user nobody can read them (root, Linux, setpriv present). */
    private static String classPathReadableByNobody() throws IOException {
        if (!Platform.isLinux() || !"root".equals(System.getProperty("user.name"))) {
            return null;
        }
        if (Stream.of("/usr/bin/setpriv", "/bin/setpriv").noneMatch(p -> Files.isExecutable(Path.of(p)))) {
            return null;
        }
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e).toAbsolutePath();
            if (Files.isDirectory(p) && (p.endsWith("classes") || p.endsWith("test-classes"))) {
                for (Path q = p; q != null; q = q.getParent()) {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(q);
                    if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE) || !perms.contains(PosixFilePermission.OTHERS_READ)) {
                        return null;
                    }
                }
                entries.add(p.toString());
            }
        }
        return entries.size() == 2 ? String.join(java.io.File.pathSeparator, entries) : null;
    }
}
