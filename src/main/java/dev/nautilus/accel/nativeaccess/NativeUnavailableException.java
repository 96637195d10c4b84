package dev.nautilus.accel.nativeaccess;

/**
 * A native module cannot be used in this JVM: its library is missing or failed to load, native
 * access is not enabled, the module was disabled by a system property, or the platform lacks the
 * feature. The message says which, and how to fix it.
 *
 * <p>Thrown by every module's {@code ensureAvailable()} and by any operation of an unavailable
 * module. Catch this type to handle "not here" uniformly.
 */
public class NativeUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is unavailable, why, and how to fix it
     * @param cause the underlying failure, or null
     */
    public NativeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what is unavailable, why, and how to fix it */
    public NativeUnavailableException(String message) {
        super(message);
    }
}
