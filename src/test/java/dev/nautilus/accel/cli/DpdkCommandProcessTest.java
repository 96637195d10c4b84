package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.dpdk.Dpdk;
import dev.nautilus.accel.testutil.JavaProcess;
import dev.nautilus.accel.testutil.JsonReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code nautilus dpdk ports} and {@code nautilus bench dpdk}, each in its own process (EAL runs once per process). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DpdkCommandProcessTest {
    private static final List<String> JVM = List.of("--enable-native-access=ALL-UNNAMED");

    @BeforeAll
    static void dpdk() {
        boolean installed = Files.exists(Path.of("/usr/include/dpdk/rte_eal.h"));
        if (installed) {
            Dpdk.ensureAvailable();
        }
        Assumptions.assumeTrue(Dpdk.isAvailable(), "DPDK is not installed here");
    }

    private static JavaProcess.Result nautilus(String... args) throws Exception {
        return JavaProcess.run(Nautilus.class.getName(), JVM, List.of(args), Duration.ofSeconds(90));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldListTheVdevPortsAsJson() throws Exception {
        JavaProcess.Result r = nautilus("dpdk", "ports", "--json", "--", "--no-huge", "--no-pci", "--no-shconf", "-m", "128",
                "-l", "0", "--vdev=net_ring0", "--vdev=net_null0", "--log-level=warning");
        assertEquals(0, r.exitCode(), r::toString);
        String json = r.stdout().substring(r.stdout().indexOf('{'));
        Map<String, Object> doc = (Map<String, Object>) JsonReader.parse(json);
        assertTrue(((String) doc.get("dpdk")).startsWith("DPDK "), json);
        List<Map<String, Object>> ports = (List<Map<String, Object>>) doc.get("ports");
        assertEquals(List.of("net_ring0", "net_null0"), ports.stream().map(p -> p.get("name")).toList());
        assertEquals(List.of("net_ring", "net_null"), ports.stream().map(p -> p.get("driver")).toList());
        assertTrue(((Map<String, Object>) ports.get(0).get("stats")).containsKey("rxPackets"), json);
    }

    @Test
    void shouldPrintATableWithTheDefaultLoopbackPort() throws Exception {
        JavaProcess.Result r = nautilus("dpdk", "ports");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("ID  NAME"), r::toString);
        assertTrue(r.stdout().contains("net_ring0"), r::toString);
    }

    @Test
    void shouldFailClearlyWhenEalRefusesItsArguments() throws Exception {
        JavaProcess.Result r = nautilus("dpdk", "ports", "--", "--no-huge", "--no-pci", "--no-shconf", "-m", "128", "-l", "0",
                "--vdev=net_nosuchdriver0");
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("nautilus: error: rte_eal_init(") && r.stderr().contains("check the vdev names"),
                r::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldMeasureTheLoopbackWithAndWithoutTouchingTheData() throws Exception {
        JavaProcess.Result r = nautilus("bench", "dpdk", "--seconds", "0.3", "--warmup", "0.2", "--sizes", "64,128", "--json");
        assertEquals(0, r.exitCode(), r::toString);
        String json = r.stdout().substring(r.stdout().indexOf('{'));
        Map<String, Object> doc = (Map<String, Object>) JsonReader.parse(json);
        List<Map<String, Object>> results = (List<Map<String, Object>>) doc.get("results");
        assertEquals(4, results.size(), json);
        for (Map<String, Object> row : results) {
            assertTrue(((Number) row.get("mpps")).doubleValue() > 0.1, json);
            if (Boolean.TRUE.equals(row.get("touch"))) {
                assertEquals(0, ((Number) row.get("badChecksums")).intValue(), "every looped frame verifies: " + json);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldMeasureTransportRoundTripsWithAChildJvm() throws Exception {
        JavaProcess.Result r = nautilus("bench", "transport", "--round-trips", "2000", "--warmup", "500", "--one-way", "20000",
                "--one-way-warmup", "5000", "--json");
        assertEquals(0, r.exitCode(), r::toString);
        String json = r.stdout().substring(r.stdout().indexOf('{'));
        Map<String, Object> doc = (Map<String, Object>) JsonReader.parse(json);
        assertEquals(2000, ((Number) doc.get("roundTrips")).intValue(), json);
        assertTrue(((Number) doc.get("p50Us")).doubleValue() > 0, json);
        assertEquals(0, ((Number) doc.get("lost")).intValue(), json);
        assertEquals(20000, ((Number) doc.get("oneWayMessages")).intValue(), "timed messages, after the warm-up: " + json);
        assertEquals(5000, ((Number) doc.get("oneWayWarmupMessages")).intValue(), json);
        assertEquals(0, ((Number) doc.get("oneWayLost")).intValue(), json);
        assertTrue(((Number) doc.get("oneWayMpps")).doubleValue() > 0, json);
        assertEquals(256, ((Number) doc.get("pollSpins")).intValue(), "the default: " + json);
        JavaProcess.Result badSpins = nautilus("bench", "transport", "--poll-spins", "1025");
        assertEquals(2, badSpins.exitCode(), badSpins::toString);
        assertTrue(badSpins.stderr().contains("invalid --poll-spins 1025: 0 to 1024"), badSpins::toString);
        JavaProcess.Result bad = nautilus("bench", "transport", "--size", "8");
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.stderr().contains("invalid --size 8: payloads are 16"), bad::toString);
        JavaProcess.Result badWarmup = nautilus("bench", "transport", "--one-way-warmup", "-1");
        assertEquals(2, badWarmup.exitCode(), badWarmup::toString);
        assertTrue(badWarmup.stderr().contains("invalid --one-way 2000000 or --one-way-warmup -1: 0 to 10^10 each"),
                badWarmup::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldMeasureTheTransportsPerHopCostOnALoopbackPort() throws Exception {
        JavaProcess.Result r = nautilus("bench", "transport", "--loopback", "20000", "--warmup", "2000", "--poll-spins", "0",
                "--json");
        assertEquals(0, r.exitCode(), r::toString);
        String json = r.stdout().substring(r.stdout().indexOf('{'));
        Map<String, Object> doc = (Map<String, Object>) JsonReader.parse(json);
        assertEquals("dpdk-transport-loopback", doc.get("benchmark"), json);
        assertEquals(20000, ((Number) doc.get("hops")).intValue(), json);
        assertEquals(2000, ((Number) doc.get("warmupHops")).intValue(), json);
        assertEquals(0, ((Number) doc.get("pollSpins")).intValue(), json);
        assertTrue(((Number) doc.get("nsPerHop")).doubleValue() > 0, json);
        assertEquals(0, ((Number) doc.get("lost")).intValue(), json);
        assertEquals(0, ((Number) doc.get("dropped")).intValue(), json);
        assertFalse(r.stderr().contains("still has"), "every mbuf back in the pool at exit: " + r.stderr());
        JavaProcess.Result bad = nautilus("bench", "transport", "--loopback", "-1");
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.stderr().contains("invalid --loopback -1: 1 to 10^10 hops"), bad::toString);
    }

    @Test
    void shouldRejectBadBenchOptions() throws Exception {
        JavaProcess.Result r = nautilus("bench", "dpdk", "--sizes", "30");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("invalid --sizes value 30: frame lengths are 60 to 1514 bytes"), r::toString);
    }
}
