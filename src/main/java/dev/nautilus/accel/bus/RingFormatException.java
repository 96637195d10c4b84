package dev.nautilus.accel.bus;

/**
 * A memory segment does not hold the ring or channel that was expected: wrong magic, another
 * layout version, another variant, a corrupt header, or a creator that never finished. Raised
 * when attaching, before any message is read, so nothing is misread.
 */
public final class RingFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what was found, what was expected, and what to do */
    public RingFormatException(String message) {
        super(message);
    }
}
