package dev.nautilus.accel.nativeaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PlatformTest {
    @Test
    void shouldNormaliseOperatingSystemNames() {
        assertEquals("linux", Platform.normaliseOs("Linux"));
        assertEquals("darwin", Platform.normaliseOs("Mac OS X"));
        assertEquals("windows", Platform.normaliseOs("Windows 11"));
        assertEquals("freebsd", Platform.normaliseOs("FreeBSD"));
    }

    @Test
    void shouldNormaliseArchitectureNames() {
        assertEquals("x86_64", Platform.normaliseArch("amd64"));
        assertEquals("x86_64", Platform.normaliseArch("x86_64"));
        assertEquals("aarch64", Platform.normaliseArch("aarch64"));
        assertEquals("aarch64", Platform.normaliseArch("arm64"));
    }

    @Test
    void shouldNameLibrariesForThisPlatform() {
        String f = Platform.libraryFileName("na_shm");
        assertEquals(Platform.isMac() ? "libna_shm.dylib" : "libna_shm.so", f);
        assertEquals(Platform.os() + "-" + Platform.arch(), Platform.id());
    }
}
