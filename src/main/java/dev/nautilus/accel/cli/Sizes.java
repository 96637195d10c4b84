package dev.nautilus.accel.cli;

import java.util.Locale;

/** Byte counts as people read them: binary units with one decimal ({@code 4.0 KiB}). Thread-safe. */
final class Sizes {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {}

    /**
     * @param bytes a byte count, &gt;= 0
     * @return e.g. {@code 512 B}, {@code 4.0 KiB}, {@code 1.5 GiB}
     */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int unit = 0;
        while (v >= 1024 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
    }

    /**
     * @param bytes a byte count, &gt;= 0
     * @return the exact count and the human form, e.g. {@code 4096 (4.0 KiB)}; just {@code 512 B} below 1 KiB
     */
    static String exactAndHuman(long bytes) {
        return bytes < 1024 ? bytes + " B" : bytes + " (" + human(bytes) + ")";
    }
}
