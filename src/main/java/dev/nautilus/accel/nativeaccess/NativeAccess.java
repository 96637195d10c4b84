package dev.nautilus.accel.nativeaccess;

/**
 * Whether the JVM lets nautilus-accel call native code, and the exact flag that enables it.
 *
 * <p>Since JDK 22 the FFM API's restricted methods (and since JDK 24 {@code System.load}) need
 * native access to be granted on the command line. nautilus-accel refuses to run native code
 * without it rather than depend on the JDK's warning mode, which later JDKs turn into an error.
 */
public final class NativeAccess {
    private NativeAccess() {}

    /** @return true when the module holding nautilus-accel has native access */
    public static boolean isEnabled() {
        return NativeAccess.class.getModule().isNativeAccessEnabled();
    }

    /**
     * @return the flag that grants native access to nautilus-accel as it is loaded now:
     *     {@code --enable-native-access=ALL-UNNAMED} on the class path, or the module's name
     */
    public static String flag() {
        Module m = NativeAccess.class.getModule();
        return "--enable-native-access=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED");
    }

    /**
     * @throws NativeUnavailableException naming the flag when native access is not enabled
     */
    public static void ensureEnabled() {
        if (!isEnabled()) {
            throw new NativeUnavailableException(disabledMessage());
        }
    }

    /** @return the message used when native access is not enabled */
    public static String disabledMessage() {
        return "native access is not enabled for nautilus-accel: start java with " + flag()
                + " (executable jars: add 'Enable-Native-Access: ALL-UNNAMED' to the manifest; the nautilus jar has it)";
    }
}
