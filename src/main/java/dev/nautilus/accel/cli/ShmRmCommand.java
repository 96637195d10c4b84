package dev.nautilus.accel.cli;

import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.shm.ShmException;
import dev.nautilus.accel.shm.ShmNames;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nautilus shm rm NAME...}: removes segment names ({@link SharedMemory#unlink}).
 * Processes that have a segment mapped keep their mapping; the memory is freed when the last one
 * unmaps. Every name is checked before any is removed; a failure on one name does not stop the
 * others.
 */
@Command(name = "rm", description = {
    "Remove shared memory segments by name.",
    "Processes that have one mapped keep it until they unmap; the memory is freed then."})
public final class ShmRmCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Segment names, e.g. /orders.")
    private List<String> names = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Ignore names that do not exist.")
    private boolean force;

    /** Creates the command (picocli does). */
    public ShmRmCommand() {}

    /**
     * Removes each name and prints {@code removed NAME} for each one removed.
     *
     * @return {@value Nautilus#OK}, or {@value Nautilus#FAILURE} when a name did not exist
     *     (without --force) or could not be removed
     * @throws IllegalArgumentException for an invalid name, before anything is removed (exit {@value Nautilus#USAGE})
     */
    @Override
    public Integer call() {
        for (String n : names) {
            ShmNames.validate(n);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int code = Nautilus.OK;
        for (String n : names) {
            try {
                if (SharedMemory.unlink(n)) {
                    out.println("removed " + n);
                    out.flush();
                } else if (!force) {
                    ErrorHandler.print(err, ShmCommand.noSuchSegment(n));
                    code = Nautilus.FAILURE;
                }
            } catch (ShmException e) {
                ErrorHandler.print(err, e.getMessage());
                code = Nautilus.FAILURE;
            }
        }
        out.flush();
        return code;
    }
}
