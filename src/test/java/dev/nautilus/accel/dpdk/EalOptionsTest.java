package dev.nautilus.accel.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EalOptionsTest {
    @Test
    void shouldBuildTheVirtualDeviceArguments() {
        EalOptions o = EalOptions.virtualDevices("net_ring0", "net_null0");
        assertEquals(List.of("-l", "0", "-m", "256", "--no-huge", "--no-shconf", "--no-pci", "--no-telemetry",
                "--vdev=net_ring0", "--vdev=net_null0", "--log-level=warning"), o.toArgs());
        assertEquals(List.of("net_ring0", "net_null0"), o.vdevs());
    }

    @Test
    void shouldBuildEveryTypedOptionAndKeepExtraArgumentsLast() {
        EalOptions o = EalOptions.defaults().withCores("0-1").withMemoryMegabytes(512).withInMemory(true)
                .withFilePrefix("na-test").withPciAllow("0000:3b:00.0").withLogLevel("pmd.net.ring:debug")
                .withTelemetry(true).withExtraArgs("--huge-unlink");
        assertEquals(List.of("-l", "0-1", "-m", "512", "--in-memory", "--file-prefix=na-test", "-a", "0000:3b:00.0",
                "--log-level=pmd.net.ring:debug", "--huge-unlink"), o.toArgs());
    }

    @Test
    void shouldBeImmutableValues() {
        EalOptions a = EalOptions.virtualDevices("net_ring0");
        EalOptions b = a.withVdev("net_ring1");
        assertEquals(List.of("net_ring0"), a.vdevs(), "with... returns a copy");
        assertNotEquals(a, b);
        assertEquals(a, EalOptions.virtualDevices("net_ring0"));
        assertEquals(a.hashCode(), EalOptions.virtualDevices("net_ring0").hashCode());
    }

    @Test
    void shouldRefuseInMemoryWithNoHugeSayingWhatToUseInstead() {
        EalOptions o = EalOptions.virtualDevices("net_ring0").withInMemory(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, o::toArgs);
        assertTrue(e.getMessage().contains("--in-memory and --no-huge cannot be combined"), e.getMessage());
        assertTrue(e.getMessage().contains("--no-shconf"), e.getMessage());
        assertTrue(o.toString().contains("--in-memory"), "toString still shows the options");
    }

    @Test
    void shouldRejectBadValuesNamingThem() {
        EalOptions d = EalOptions.defaults();
        assertEquals("invalid EAL core list \"0-\": use CPU numbers and ranges, e.g. 0 or 0-1 or 0,2",
                assertThrows(IllegalArgumentException.class, () -> d.withCores("0-")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withMemoryMegabytes(-1));
        assertEquals("invalid vdev \"net ring0\": give a driver name and instance, e.g. net_ring0",
                assertThrows(IllegalArgumentException.class, () -> d.withVdev("net ring0")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withVdev(""));
        assertThrows(IllegalArgumentException.class, () -> d.withVdev(null));
        assertThrows(IllegalArgumentException.class, () -> d.withFilePrefix("a/b"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withPciAllow("3b:00"))
                .getMessage().contains("domain:bus:device.function"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withLogLevel("loud"))
                .getMessage().contains("warning"));
        assertThrows(NullPointerException.class, () -> d.withExtraArgs((String) null));
    }
}
