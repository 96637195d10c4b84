package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nautilus.accel.affinity.CpuReservation;
import dev.nautilus.accel.affinity.CpuTopology;
import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.testutil.JsonReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CpuCommandTest {
    private static final Path FIXTURES = Path.of(System.getProperty("nautilus.test.basedir", "."), "src/test/resources/topology");

    @TempDir
    Path locks;

    @Test
    void shouldShowTheLiveTopology() {
        assumeTrue(Platform.isLinux());
        CliRun r = CliRun.of("cpu");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("model: "), r::toString);
        assertTrue(r.out().contains("CPU  CORE  PKG  NODE  SIBLINGS"), r::toString);
        assertEquals(CpuTopology.read().cpus().size(), r.out().lines().filter(l -> l.matches("\\s*\\d+\\s+.*")).count(), r::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldDescribeAHybridMachineFromACapture() {
        CliRun r = CliRun.of("cpu", "--root", FIXTURES.resolve("intel-hybrid-desktop").toString(), "--json", "--lock-dir", locks.toString());
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Object> doc = JsonReader.parseObject(r.out());
        assertEquals(true, doc.get("hybrid"));
        assertEquals(true, doc.get("smt"));
        List<Object> cpus = (List<Object>) doc.get("cpus");
        assertEquals(24, cpus.size());
        Map<String, Object> first = (Map<String, Object>) cpus.get(0);
        assertEquals("performance", first.get("type"));
        assertEquals("0-1", first.get("siblings"));
        Map<String, Object> last = (Map<String, Object>) cpus.get(23);
        assertEquals("efficiency", last.get("type"));
    }

    @Test
    void shouldShowWhoHoldsAReservation() {
        assumeTrue(Platform.isLinux());
        int cpu = CpuTopology.read().cpus().last();
        try (CpuReservation res = CpuReservation.request(CpuTopology.read()).lockDirectory(locks).reserveCpu(cpu)) {
            CliRun r = CliRun.of("cpu", "--lock-dir", locks.toString());
            assertEquals(0, r.exitCode(), r::toString);
            String row = r.out().lines().filter(l -> l.trim().startsWith(cpu + " ")).findFirst().orElseThrow();
            assertTrue(row.contains("pid " + ProcessHandle.current().pid()), row);
            assertTrue(res.isHeld());
        }
    }

    @Test
    void shouldFailClearlyOnAMissingCapture() {
        CliRun r = CliRun.of("cpu", "--root", locks.resolve("nothing").toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: ") && !r.err().contains("unexpected"), r::toString);
    }
}
