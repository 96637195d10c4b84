package dev.nautilus.accel.nativeaccess;

import java.util.Locale;

/**
 * The operating system and processor this JVM runs on, in the names used for native library
 * folders ({@code linux-x86_64}, {@code darwin-aarch64}, ...).
 *
 * <p>Thread-safe; values are computed once from {@code os.name} and {@code os.arch}.
 */
public final class Platform {
    private static final String OS = normaliseOs(System.getProperty("os.name", "unknown"));
    private static final String ARCH = normaliseArch(System.getProperty("os.arch", "unknown"));

    private Platform() {}

    /** @return {@code linux}, {@code darwin}, {@code windows} or the lower-cased {@code os.name}. */
    public static String os() {
        return OS;
    }

    /** @return {@code x86_64}, {@code aarch64} or the lower-cased {@code os.arch}. */
    public static String arch() {
        return ARCH;
    }

    /** @return {@code os-arch}, e.g. {@code linux-x86_64}: the folder name of this platform's natives. */
    public static String id() {
        return OS + "-" + ARCH;
    }

    /** @return true on Linux. */
    public static boolean isLinux() {
        return OS.equals("linux");
    }

    /** @return true on macOS. */
    public static boolean isMac() {
        return OS.equals("darwin");
    }

    /**
     * The file name of a shared library on this platform.
     *
     * @param baseName library name without prefix or suffix, e.g. {@code na_shm}
     * @return e.g. {@code libna_shm.so} on Linux, {@code libna_shm.dylib} on macOS
     */
    public static String libraryFileName(String baseName) {
        if (isMac()) {
            return "lib" + baseName + ".dylib";
        }
        if (OS.equals("windows")) {
            return baseName + ".dll";
        }
        return "lib" + baseName + ".so";
    }

    static String normaliseOs(String osName) {
        String s = osName.toLowerCase(Locale.ROOT);
        if (s.startsWith("linux")) {
            return "linux";
        }
        if (s.startsWith("mac") || s.startsWith("darwin")) {
            return "darwin";
        }
        if (s.startsWith("windows")) {
            return "windows";
        }
        return s.replaceAll("[^a-z0-9]", "");
    }

    static String normaliseArch(String osArch) {
        String s = osArch.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> s.replaceAll("[^a-z0-9_]", "");
        };
    }
}
