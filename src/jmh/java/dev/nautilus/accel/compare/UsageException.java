package dev.nautilus.accel.compare;

/** A bad command line: the main classes print the message and exit with code 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
