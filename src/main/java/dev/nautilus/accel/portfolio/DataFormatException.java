package dev.nautilus.accel.portfolio;

/**
 * A data file (OR-Library portfolio or frontier, bqp, G-set) does not have the documented
 * format: the message names the file, the line and what was expected. An
 * {@link IllegalArgumentException}, so the CLI reports it as a usage error (exit code 2).
 */
public final class DataFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, where, and how to fix it
     */
    public DataFormatException(String message) {
        super(message);
    }
}
