package dev.nautilus.accel.cli;

import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.nativeaccess.Version;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code nautilus --version} prints: the nautilus-accel version, the JDK running it and
 * the platform id of the natives it loads. Used by picocli through reflection.
 */
public final class VersionInfo implements IVersionProvider {
    /** Creates the provider (picocli does). */
    public VersionInfo() {}

    /** @return three lines: version, JDK, platform */
    @Override
    public String[] getVersion() {
        return new String[] {
            "nautilus-accel " + Version.get(),
            "JDK " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                    + System.getProperty("java.home") + ")",
            "platform " + Platform.id()
        };
    }
}
