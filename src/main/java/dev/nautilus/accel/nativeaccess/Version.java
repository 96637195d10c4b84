package dev.nautilus.accel.nativeaccess;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The nautilus-accel version this code was built as (from the build, not hard-coded). */
public final class Version {
    private static final String VERSION = read();

    private Version() {}

    /** @return e.g. {@code 0.1.0-SNAPSHOT}, or {@code dev} when run from unpackaged sources */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("/dev/nautilus/accel/version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.contains("${")) {
                    return v.trim();
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "dev";
    }
}
