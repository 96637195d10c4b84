package dev.nautilus.accel.cli;

import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.shm.ShmException;
import dev.nautilus.accel.shm.ShmNames;
import dev.nautilus.accel.shm.ShmSegmentInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nautilus shm rm NAME...}: removes segment names ({@link SharedMemory#unlink}).
 * Processes that have a segment mapped keep their mapping; the memory is freed when the last one
 * unmaps. Every name is checked before any is removed; a failure on one name does not stop the
 * others.
 *
 * <p>{@code nautilus shm rm --stale [PREFIX]} instead removes every message bus channel whose
 * name starts with PREFIX (default {@code /}) and whose creator process is dead, as
 * {@code nautilus shm list --stale} shows them. Processes still using such a channel keep their
 * mapping, but no new process can open it.
 */
@Command(name = "rm", description = {
    "Remove shared memory segments by name, or with --stale the bus channels whose creator process is dead.",
    "Processes that have one mapped keep it until they unmap; the memory is freed then."})
public final class ShmRmCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "NAME",
            description = "Segment names, e.g. /orders; with --stale, at most one name prefix (default: /).")
    private List<String> names = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Ignore names that do not exist.")
    private boolean force;

    @Option(names = "--stale", description = "Remove the bus channels whose creator process is dead"
            + " (those 'nautilus shm list --stale' shows), among the names starting with the PREFIX argument.")
    private boolean stale;

    /** Creates the command (picocli does). */
    public ShmRmCommand() {}

    /**
     * Removes each name (or each stale channel) and prints {@code removed NAME} for each one removed.
     *
     * @return {@value Nautilus#OK}, or {@value Nautilus#FAILURE} when a name did not exist
     *     (without --force) or could not be removed
     * @throws IllegalArgumentException for an invalid name, before anything is removed (exit {@value Nautilus#USAGE})
     * @throws ParameterException without a name, or with more than one prefix after --stale (exit {@value Nautilus#USAGE})
     */
    @Override
    public Integer call() {
        if (stale) {
            if (names.size() > 1) {
                throw new ParameterException(spec.commandLine(), "--stale takes at most one PREFIX, got " + names.size()
                        + " arguments: " + String.join(" ", names));
            }
            return removeStale(names.isEmpty() ? "/" : names.get(0));
        }
        if (names.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'NAME'");
        }
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

    private int removeStale(String prefix) {
        ShmNames.validatePrefix(prefix);
        SharedMemory.ensureAvailable(); // deciding staleness decodes channels: say so once, not per segment
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int code = Nautilus.OK;
        int removed = 0;
        for (ShmSegmentInfo s : SharedMemory.list(prefix)) {
            if (!ChannelProbe.probe(s).stale()) {
                continue;
            }
            try {
                if (SharedMemory.unlink(s.name())) {
                    out.println("removed " + s.name());
                    out.flush();
                    removed++;
                }
            } catch (ShmException e) {
                ErrorHandler.print(err, e.getMessage());
                code = Nautilus.FAILURE;
            }
        }
        if (removed == 0 && code == Nautilus.OK) {
            out.println("no stale channels match " + prefix);
        }
        out.flush();
        return code;
    }
}
