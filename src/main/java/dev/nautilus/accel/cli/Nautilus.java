package dev.nautilus.accel.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code nautilus} command line: {@code nautilus doctor} says what this machine offers
 * nautilus-accel, {@code nautilus shm ...} lists, inspects and removes shared memory segments
 * (and decodes message bus channels), {@code nautilus bench bus} measures the message bus.
 *
 * <p>Exit codes: {@value #OK} success, {@value #FAILURE} failure (an operation failed, a
 * requirement is not met), {@value #USAGE} usage error (unknown command or option, invalid
 * argument). Errors are one {@code nautilus: error: <message>} line on standard error, never a
 * stack trace (set {@code -Dnautilus.debug=true} to get one for unexpected errors).
 *
 * <p>Programs and tests run it through {@link #commandLine()}, which installs that error
 * handling; a bare {@code new CommandLine(new Nautilus())} parses and runs the same commands but
 * reports errors the picocli way.
 */
@Command(name = "nautilus", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description = "Diagnostics for nautilus-accel: what this machine offers, its shared memory segments and bus"
                + " channels, CPU affinity, and benchmarks.",
        subcommands = {DoctorCommand.class, CpuCommand.class, ShmCommand.class, AffinityCommand.class, DpdkCommand.class, PortfolioCommand.class, RiskCommand.class, BenchCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failure: an operation failed, or a required module is not available",
            "2:usage error: unknown command or option, invalid argument"},
        footer = {"", "Run 'nautilus COMMAND --help' for a command's options. With the nautilus launcher script, JVM options go in NAUTILUS_JAVA_OPTS."})
public final class Nautilus implements Callable<Integer> {
    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: an operation failed, or a requirement is not met. */
    public static final int FAILURE = 1;
    /** Exit code: the command line is wrong (unknown command or option, invalid argument). */
    public static final int USAGE = 2;

    @Spec
    private CommandSpec spec;

    /** Creates the top command; run it through {@link #commandLine()}. */
    public Nautilus() {}

    /**
     * Without a command there is nothing to do: a usage error that names the commands.
     *
     * @return never returns normally
     * @throws ParameterException always
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no command given; choose one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * @return the command line with its error handling: library and usage errors become a
     *     {@code nautilus: error:} line and exit code 1 or 2; write to other streams with
     *     {@link CommandLine#setOut} and {@link CommandLine#setErr} after this call
     */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Nautilus());
        ErrorHandler handler = new ErrorHandler();
        cmd.setExecutionExceptionHandler(handler);
        cmd.setParameterExceptionHandler(handler);
        return cmd;
    }

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args command line arguments
     */
    public static void main(String[] args) {
        CommandLine cmd = commandLine();
        int code = cmd.execute(args);
        flush(cmd.getOut());
        flush(cmd.getErr());
        System.exit(code);
    }

    private static void flush(PrintWriter w) {
        if (w != null) {
            w.flush();
        }
    }
}
