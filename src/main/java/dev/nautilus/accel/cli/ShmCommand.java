package dev.nautilus.accel.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nautilus shm}: the group of shared memory commands (list, inspect, rm). */
@Command(name = "shm", description = "List, inspect and remove named POSIX shared memory segments, message bus channels among them.",
        subcommands = {ShmListCommand.class, ShmInspectCommand.class, ShmRmCommand.class})
public final class ShmCommand implements Callable<Integer> {
    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Spec
    private CommandSpec spec;

    /** Creates the command (picocli does). */
    public ShmCommand() {}

    /**
     * Without a subcommand there is nothing to do: a usage error that names them.
     *
     * @return never returns normally
     * @throws ParameterException always
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no shm command given; choose one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /**
     * @param name a segment name that does not exist
     * @return the message the shm commands print for it
     */
    static String noSuchSegment(String name) {
        return "no shared memory segment " + name + " (nautilus shm list shows the existing ones)";
    }

    /**
     * @param t a time
     * @return it in this machine's time zone, to the second, e.g. {@code 2025-06-01 14:03:59}
     */
    static String localTime(Instant t) {
        return LOCAL_TIME.format(t.atZone(ZoneId.systemDefault()));
    }
}
