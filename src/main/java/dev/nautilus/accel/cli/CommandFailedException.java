package dev.nautilus.accel.cli;

/**
 * A command could not do what was asked (a segment does not exist, a required module is
 * missing): printed as {@code nautilus: error: <message>}, exit code {@value Nautilus#FAILURE}.
 */
final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and what to do, for the user */
    CommandFailedException(String message) {
        super(message);
    }
}
