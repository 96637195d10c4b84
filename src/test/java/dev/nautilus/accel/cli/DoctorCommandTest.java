package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.testutil.JsonReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DoctorCommandTest {

    @Test
    void shouldReportShmAvailableWithItsLibraryPath() {
        CliRun r = CliRun.of("doctor");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err(), r::toString);
        assertTrue(Pattern.compile("(?m)^  shm +available +POSIX shared memory").matcher(r.out()).find(), r::toString);
        String library = SharedMemory.module().libraryPath().orElseThrow().toString();
        assertTrue(r.out().contains("library  " + library), r::toString);
    }

    @Test
    void shouldShowEverySectionOfTheReport() {
        CliRun r = CliRun.of("doctor");

        for (String section : List.of("System", "JDK", "Modules", "/dev/shm", "Huge pages", "Real-time scheduling")) {
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(section) + "$").matcher(r.out()).find(),
                    () -> "no section " + section + "\n" + r);
        }
        assertTrue(r.out().contains("platform          " + Platform.id()), r::toString);
        assertTrue(r.out().contains("version           " + System.getProperty("java.version")), r::toString);
        assertTrue(r.out().contains("native access     enabled"), r::toString);
        assertTrue(r.out().contains("logical CPUs      " + Runtime.getRuntime().availableProcessors()), r::toString);
    }

    @Test
    void shouldShowPlannedModulesHonestlyAsNotBuilt() {
        CliRun r = CliRun.of("doctor");

        for (String module : List.of("metal", "coreml", "cuda")) {
            assertTrue(Pattern.compile("(?m)^  " + module + " +not built ").matcher(r.out()).find(),
                    () -> module + " not shown as not built\n" + r);
        }
        assertTrue(r.out().contains("not built yet (macOS only)"), r::toString);
    }

    @Test
    void shouldReportTheDpdkVersionAndLoopbackTest() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.nautilus.accel.dpdk.Dpdk.isAvailable(), "DPDK is not built here");
        CliRun r = CliRun.of("doctor");
        assertTrue(r.out().contains("\nDPDK\n  version           DPDK "), r::toString);
        assertTrue(r.out().contains("  vdev test         ok: 128 packets looped through net_ring0 (net_ring), payloads intact, 0 mbufs"),
                r::toString);
        CliRun skipped = CliRun.of("doctor", "--no-dpdk-test");
        assertTrue(skipped.out().contains("  vdev test         not run: vdev test skipped (--no-dpdk-test)"), skipped::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldPrintOneJsonObjectWithStableKeys() {
        CliRun r = CliRun.of("doctor", "--json");

        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Object> doc = JsonReader.parseObject(r.out());
        for (String key : List.of("version", "os", "arch", "platform", "cpu", "jdk", "nativeAccess", "modules", "devShm",
                "hugePages", "realtime")) {
            assertTrue(doc.containsKey(key), () -> "missing key " + key + "\n" + r);
        }
        assertEquals(Platform.id(), doc.get("platform"));
        assertEquals(Platform.arch(), doc.get("arch"));
        Map<String, Object> cpu = (Map<String, Object>) doc.get("cpu");
        assertTrue(cpu.keySet().containsAll(List.of("model", "logical", "online")), r::toString);
        assertEquals(Runtime.getRuntime().availableProcessors(), ((Number) cpu.get("logical")).intValue());
        Map<String, Object> jdk = (Map<String, Object>) doc.get("jdk");
        assertEquals(System.getProperty("java.version"), jdk.get("version"));
        assertEquals(System.getProperty("java.home"), jdk.get("home"));
        Map<String, Object> nativeAccess = (Map<String, Object>) doc.get("nativeAccess");
        assertEquals(Boolean.TRUE, nativeAccess.get("enabled"));
        assertEquals("--enable-native-access=ALL-UNNAMED", nativeAccess.get("flag"));

        List<Object> modules = (List<Object>) doc.get("modules");
        Map<String, Object> shm = (Map<String, Object>) modules.get(0);
        assertEquals("shm", shm.get("name"));
        assertEquals("available", shm.get("status"));
        assertNull(shm.get("cause"));
        assertEquals(SharedMemory.module().libraryPath().orElseThrow().toString(), shm.get("library"));
        Map<String, Object> affinity = (Map<String, Object>) modules.get(1);
        assertEquals("affinity", affinity.get("name"));
        assertEquals("available", affinity.get("status"));

        Map<String, Object> huge = (Map<String, Object>) doc.get("hugePages");
        assertTrue(huge.keySet().containsAll(List.of("pageSize", "total", "free", "available", "mount")), r::toString);
        Map<String, Object> realtime = (Map<String, Object>) doc.get("realtime");
        assertTrue(realtime.containsKey("permitted") && realtime.get("reason") instanceof String, r::toString);
        if (Platform.isLinux()) {
            Map<String, Object> devShm = (Map<String, Object>) doc.get("devShm");
            assertInstanceOf(Number.class, devShm.get("total"));
            assertInstanceOf(Number.class, devShm.get("segments"));
        }
    }

    @Test
    void shouldExitZeroWhenRequiredShmIsAvailable() {
        CliRun r = CliRun.of("doctor", "--require", "shm");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    @Test
    void shouldRejectAnUnknownRequiredModuleListingTheKnownOnes() {
        CliRun r = CliRun.of("doctor", "--require", "nosuch");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: unknown module 'nosuch' in --require; known modules: "
                + "shm, affinity, dpdk, metal, coreml, cuda\n"), r::toString);
        assertEquals("", r.out(), "no report is printed for a usage error");
        assertFalse(r.err().contains("Exception"), r::toString);
    }

    @Test
    void shouldFailWhenARequiredModuleIsNotBuilt() {
        CliRun r = CliRun.of("doctor", "--require", "metal");

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("nautilus: error: required module metal is not available: not built yet (macOS only)\n",
                r.err());
        assertTrue(r.out().contains("Modules"), "the report is still printed\n" + r);
    }

    @Test
    void shouldNameOnlyTheMissingModulesOfACommaSeparatedList() {
        CliRun r = CliRun.of("doctor", "--json", "--require", "shm,cuda");

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("nautilus: error: required module cuda is not available: not built yet\n", r.err());
        JsonReader.parseObject(r.out());
    }
}
