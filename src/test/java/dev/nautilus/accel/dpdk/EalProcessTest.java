package dev.nautilus.accel.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.testutil.JavaProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** EAL scenarios that end a process's use of DPDK, each in a child JVM. */
@Timeout(120)
class EalProcessTest {
    private static JavaProcess.Result child(String scenario) throws Exception {
        return JavaProcess.run(EalChild.class.getName(), List.of("--enable-native-access=ALL-UNNAMED"), List.of(scenario),
                Duration.ofSeconds(90));
    }

    @Test
    void shouldFailClearlyOnAnUnknownVdev() throws Exception {
        TestEal.assumeDpdk();
        JavaProcess.Result r = child("unknown-vdev");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("DpdkException: rte_eal_init(-l 0 -m 256 --no-huge --no-shconf --no-pci --no-telemetry"
                + " --vdev=net_nosuchdriver0 --log-level=warning) failed: "), r.toString());
        assertTrue(r.stdout().contains("check the vdev names"), r.toString());
    }

    @Test
    void shouldRefuseTransportPayloadsLongerThanThePoolsMbufsHold() throws Exception {
        TestEal.assumeDpdk();
        JavaProcess.Result r = child("small-mbufs");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("tiny: the mbufs of mempool \"tiny\" hold 59 bytes of data, less than a 60-byte frame:"
                + " create the pool with a data room of at least 1642"), r.toString());
        assertTrue(r.stdout().contains("long: payload of 261 bytes is too long: a frame carries at most 1474 bytes (split the"
                + " message), and the mbufs of mempool \"small\" hold frames of 300 bytes, payloads of 260 (create the pool"
                + " with a data room of at least 1642 for full-size frames)"), r.toString());
        assertTrue(r.stdout().contains("pending 0"), r.toString());
        assertTrue(r.stdout().contains("offered 260: true"), r.toString());
        assertTrue(r.stdout().contains("received 260 bytes, last 7"), r.toString());
        assertTrue(r.stdout().contains("in use after close 0"), r.toString());
    }

    @Test
    void shouldCloseEverythingAtCleanupAndRefuseASecondInit() throws Exception {
        TestEal.assumeDpdk();
        JavaProcess.Result r = child("cleanup");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stdout().contains("closed: port open false, pool open false"), r.toString());
        assertTrue(r.stdout().contains("after close: mempool \"child\" is closed"), r.toString());
        assertTrue(r.stdout().contains("init again: EAL was cleaned up in this process and DPDK cannot initialise it again"),
                r.toString());
    }
}
