package dev.nautilus.accel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs {@code nautilus} in this JVM, as {@link Nautilus#main} does but with the output captured.
 *
 * @param exitCode what {@code execute} returned
 * @param out standard output
 * @param err standard error
 */
record CliRun(int exitCode, String out, String err) {
    /**
     * @param args the command line, e.g. {@code "shm", "list"}
     * @return what it did
     */
    static CliRun of(String... args) {
        CommandLine cmd = Nautilus.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        cmd.getOut().flush();
        cmd.getErr().flush();
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit code " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
    }
}
