package dev.nautilus.accel.nativeaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeModuleTest {
    @TempDir
    Path tmp;

    private NativeLoader loaderThatFinds(String lib) {
        java.nio.file.Path dev = tmp.resolve("dev");
        try {
            java.nio.file.Files.createDirectories(dev.resolve(Platform.id()));
            java.nio.file.Files.writeString(dev.resolve(Platform.id()).resolve(Platform.libraryFileName(lib)), "x");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new NativeLoader(new NativeLoader.Config(k -> null, r -> null, List.of(), List.of(dev), p -> { }, "t"));
    }

    @Test
    void shouldBeAvailableWhenLibraryLoadsAndProbePasses() {
        AtomicInteger probes = new AtomicInteger();
        NativeModule m = new NativeModule("fake", "na_fake", "d", probes::incrementAndGet, k -> null,
                loaderThatFinds("na_fake"), true);
        assertTrue(m.isAvailable());
        m.ensureAvailable();
        assertTrue(m.unavailabilityCause().isEmpty());
        assertTrue(m.libraryPath().isPresent());
        assertEquals(1, probes.get(), "the probe runs once");
    }

    @Test
    void shouldBeUnavailableWhenDisabledByProperty() {
        AtomicInteger probes = new AtomicInteger();
        NativeModule m = new NativeModule("fake", "na_fake", "d", probes::incrementAndGet,
                Map.of("nautilus.fake.disabled", "true")::get, loaderThatFinds("na_fake"), true);
        assertFalse(m.isAvailable());
        NativeUnavailableException e = assertThrows(NativeUnavailableException.class, m::ensureAvailable);
        assertEquals("module fake is disabled by -Dnautilus.fake.disabled=true; remove that property to use it", e.getMessage());
        assertEquals(0, probes.get(), "a disabled module does not touch native code");
    }

    @Test
    void shouldReportAFailedProbeAsTheCause() {
        NativeModule m = new NativeModule("fake", "na_fake", "d", () -> {
            throw new IllegalStateException("probe says no");
        }, k -> null, loaderThatFinds("na_fake"), true);
        NativeUnavailableException e = assertThrows(NativeUnavailableException.class, m::ensureAvailable);
        assertTrue(e.getMessage().contains("its probe call into na_fake failed"), e.getMessage());
        assertTrue(e.getMessage().contains("probe says no"), e.getMessage());
    }

    @Test
    void shouldReportTheLoaderAttemptsWhenTheLibraryIsMissing() {
        NativeLoader empty = new NativeLoader(new NativeLoader.Config(k -> null, r -> null, List.of(),
                List.of(tmp.resolve("nowhere")), p -> { }, "t"));
        NativeModule m = new NativeModule("fake", "na_fake", "d", () -> { }, k -> null, empty, true);
        String cause = m.unavailabilityCause().orElseThrow().getMessage();
        assertTrue(cause.startsWith("module fake is unavailable: could not load native library na_fake"), cause);
        assertTrue(cause.contains(tmp.resolve("nowhere").toString()), cause);
    }

    @Test
    void shouldNameTheNativeAccessFlag() {
        assertEquals("--enable-native-access=ALL-UNNAMED", NativeAccess.flag());
        assertTrue(NativeAccess.isEnabled(), "surefire runs tests with native access");
        assertTrue(NativeAccess.disabledMessage().contains("--enable-native-access=ALL-UNNAMED"));
    }
}
