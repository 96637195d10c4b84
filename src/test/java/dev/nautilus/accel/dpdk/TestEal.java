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
    /** net_ring0 for loopback tests, net_ring1 for partial tx, net_ring2 is closed by a test. */
    static final EalOptions OPTIONS = EalOptions.virtualDevices("net_ring0", "net_ring1", "net_ring2");

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
        return Eal.init(OPTIONS);
    }
}
