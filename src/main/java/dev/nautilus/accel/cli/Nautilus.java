package dev.nautilus.accel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nautilus} command line (placeholder until the CLI lands). */
@Command(name = "nautilus", mixinStandardHelpOptions = true, description = "nautilus-accel diagnostics and benchmarks")
public final class Nautilus implements Runnable {
    /** Creates the command. */
    public Nautilus() {}

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * Entry point.
     *
     * @param args command line
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Nautilus()).execute(args));
    }
}
