package dev.nautilus.accel.compare;

/**
 * A comparison run that cannot go on: Redis unreachable, the echo child died or stopped
 * answering, a message lost. The message says what happened and what to do; the main classes
 * print it and exit with code 1.
 */
final class CompareException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CompareException(String message) {
        super(message);
    }

    CompareException(String message, Throwable cause) {
        super(message, cause);
    }
}
