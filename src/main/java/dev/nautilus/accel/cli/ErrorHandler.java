package dev.nautilus.accel.cli;

import dev.nautilus.accel.nativeaccess.NativeUnavailableException;
import dev.nautilus.accel.affinity.AffinityException;
import dev.nautilus.accel.affinity.CpuReservationException;
import dev.nautilus.accel.affinity.TopologyException;
import dev.nautilus.accel.bus.RingFormatException;
import dev.nautilus.accel.dpdk.DpdkException;
import dev.nautilus.accel.shm.ShmException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every error into one {@code nautilus: error: <message>} line on the command's error
 * stream and an exit code: usage errors and {@link IllegalArgumentException} give
 * {@value Nautilus#USAGE}; {@link ShmException}, {@link NativeUnavailableException},
 * {@link CommandFailedException} and anything else give {@value Nautilus#FAILURE}. Stack traces
 * are printed only for unexpected exceptions and only with {@code -Dnautilus.debug=true}.
 *
 * <p>Stateless and thread-safe.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    /** Prefix of every error line. */
    static final String PREFIX = "nautilus: error: ";

    /** Creates the handler; {@link Nautilus#commandLine()} installs one. */
    ErrorHandler() {}

    /**
     * Prints one error: the prefix, then the message (continuation lines as they are).
     *
     * @param err the command's error stream
     * @param message what went wrong and what to do
     */
    static void print(PrintWriter err, String message) {
        err.println(PREFIX + message);
        err.flush();
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        print(err, ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return Nautilus.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof ParameterException pe) {
            // thrown by a command's own validation: same output as a parse error
            return handleParseException(pe, parseResult.originalArgs().toArray(new String[0]));
        }
        if (ex instanceof IllegalArgumentException) {
            print(err, message(ex));
            return Nautilus.USAGE;
        }
        if (ex instanceof ShmException || ex instanceof AffinityException || ex instanceof NativeUnavailableException
                || ex instanceof TopologyException || ex instanceof CpuReservationException || ex instanceof RingFormatException
                || ex instanceof CommandFailedException || ex instanceof UncheckedIOException || ex instanceof DpdkException
                || ex instanceof IllegalStateException) {
            print(err, message(ex));
            return Nautilus.FAILURE;
        }
        print(err, "unexpected " + ex + " (rerun with -Dnautilus.debug=true in NAUTILUS_JAVA_OPTS for the stack trace,"
                + " and please report it)");
        if (Boolean.getBoolean("nautilus.debug")) {
            ex.printStackTrace(err);
            err.flush();
        }
        return Nautilus.FAILURE;
    }

    private static String message(Exception ex) {
        String m = ex.getMessage();
        return m == null || m.isBlank() ? ex.toString() : m;
    }
}
