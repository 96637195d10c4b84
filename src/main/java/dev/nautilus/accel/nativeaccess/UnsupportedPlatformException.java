package dev.nautilus.accel.nativeaccess;

/**
 * The operation exists in nautilus-accel but this operating system or processor cannot do it
 * (for example hard CPU pinning on macOS, or listing POSIX shared memory on macOS). The message
 * names the operation, the platform, and the closest alternative.
 */
public final class UnsupportedPlatformException extends NativeUnavailableException {
    private static final long serialVersionUID = 1L;

    /** @param message the operation, the platform ({@link Platform#id()}) and the alternative */
    public UnsupportedPlatformException(String message) {
        super(message);
    }

    /**
     * Builds the standard message.
     *
     * @param operation what was asked, e.g. "listing shared memory segments"
     * @param alternative what to do instead, or null
     * @return the exception, to throw
     */
    public static UnsupportedPlatformException of(String operation, String alternative) {
        return new UnsupportedPlatformException(operation + " is not supported on " + Platform.id()
                + (alternative == null ? "" : "; " + alternative));
    }
}
