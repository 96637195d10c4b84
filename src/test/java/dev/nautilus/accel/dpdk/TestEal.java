package dev.nautilus.accel.dpdk;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The one EAL of the test JVM (EAL runs once per process): three loopback ring ports, no
 * hugepages, no PCI. Tests that need DPDK call {@link #get()}: where DPDK's development files are
 * installed (Debian libdpdk-dev, as scripts/setup.sh installs) the module must be available, so
 * a broken build fails instead of skipping; elsewhere (macOS, no libdpdk) the tests are skipped.
 */
final class TestEal {
    /** The memif pair's socket: one per test JVM. */
    static final String MEMIF_SOCKET = System.getProperty("java.io.tmpdir") + "/na-test-memif-" + ProcessHandle.current().pid()
            + ".sock";

    /**
     * net_ring0 for loopback tests, net_ring1 for partial tx, net_ring2 is closed by a test;
     * net_memif0 (server) and net_memif1 (client) are a pair of ports joined by shared memory,
     * for the message transport; net_memif2 (server, id 1) waits for a client in a child process.
     */
    static final EalOptions OPTIONS = EalOptions.virtualDevices("net_ring0", "net_ring1", "net_ring2",
            "net_memif0,role=server,id=0,socket=" + MEMIF_SOCKET, "net_memif1,role=client,id=0,socket=" + MEMIF_SOCKET,
            "net_memif2,role=server,id=1,socket=" + MEMIF_SOCKET);

    private TestEal() {}

    static boolean dpdkInstalled() {
        return System.getProperty("os.name", "").startsWith("Linux") && Files.exists(Path.of("/usr/include/dpdk/rte_eal.h"));
    }

    static void assumeDpdk() {
        if (!Dpdk.isAvailable()) {
            if (dpdkInstalled()) {
                fail("DPDK is installed here but the dpdk module is unavailable: "
                        + Dpdk.unavailabilityCause().map(Throwable::getMessage).orElse("?"));
            }
            Assumptions.abort("DPDK is not installed here: " + Dpdk.unavailabilityCause().map(Throwable::getMessage).orElse(""));
        }
    }

    static Eal get() {
        assumeDpdk();
        java.io.File socket = new java.io.File(MEMIF_SOCKET);
        socket.deleteOnExit();
        return Eal.init(OPTIONS);
    }
}
