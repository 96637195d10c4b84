package dev.nautilus.accel.cli;

import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.shm.ShmNames;
import dev.nautilus.accel.shm.ShmOptions;
import dev.nautilus.accel.shm.ShmSegmentInfo;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nautilus shm inspect NAME}: what the file system says about one segment and, with
 * {@code --dump}, its bytes as a hex and ASCII dump read through a read-only mapping that is
 * unmapped before the command returns.
 */
@Command(name = "inspect", description = {
    "Describe one shared memory segment; with --dump, show its bytes (read-only mapping).",
    "Offsets in the dump are positions in the segment."})
public final class ShmInspectCommand implements Callable<Integer> {
    /** Bytes dumped when --length is not given. */
    static final long DEFAULT_LENGTH = 256;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Segment name, e.g. /orders.")
    private String name;

    @Option(names = "--dump", description = "Show the bytes as a hex and ASCII dump.")
    private boolean dump;

    @Option(names = "--offset", paramLabel = "N", description = "First byte to dump (default: 0).")
    private Long offset;

    @Option(names = "--length", paramLabel = "N",
            description = "Bytes to dump (default: " + DEFAULT_LENGTH + "; clamped to the end of the segment).")
    private Long length;

    @Option(names = "--json", description = "Print one JSON object instead of text (the dump as a hex string).")
    private boolean json;

    /** Creates the command (picocli does). */
    public ShmInspectCommand() {}

    /**
     * Prints the description, and the dump when asked.
     *
     * @return {@value Nautilus#OK}
     * @throws ParameterException for --offset/--length without --dump, a negative offset, a
     *     length below 1, an offset at or past the end of the segment (exit {@value Nautilus#USAGE})
     * @throws CommandFailedException when there is no such segment (exit {@value Nautilus#FAILURE})
     */
    @Override
    public Integer call() {
        ShmNames.validate(name);
        if (!dump && (offset != null || length != null)) {
            throw usage("--offset and --length choose the bytes --dump shows: add --dump");
        }
        long off = offset == null ? 0 : offset;
        long len = length == null ? DEFAULT_LENGTH : length;
        if (off < 0) {
            throw usage("invalid --offset " + off + ": it must be 0 or more");
        }
        if (len < 1) {
            throw usage("invalid --length " + len + ": it must be 1 or more");
        }
        ShmSegmentInfo info = SharedMemory.find(name).orElseThrow(() -> new CommandFailedException(ShmCommand.noSuchSegment(name)));
        if (dump && info.size() == 0) {
            throw new CommandFailedException("shared memory segment " + name + " is empty (0 bytes): nothing to dump");
        }
        if (dump && off >= info.size()) {
            throw usage("--offset " + off + " is beyond the end of " + name + ", which has " + info.size()
                    + " bytes: use an offset below " + info.size());
        }

        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> root = ShmListCommand.toJson(info);
        if (!json) {
            printInfo(out, info);
        }
        if (dump) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment seg = SharedMemory.open(name, ShmOptions.defaults().withReadOnly(true), arena);
                long size = seg.byteSize();
                if (off >= size) {
                    throw new CommandFailedException("shared memory segment " + name + " shrank to " + size
                            + " bytes while being inspected; offset " + off + " is past its end");
                }
                long n = Math.min(len, size - off);
                boolean clamped = n < len;
                if (json) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("offset", off);
                    d.put("length", n);
                    d.put("clamped", clamped);
                    d.put("hex", HexFormat.of().formatHex(seg.asSlice(off, n).toArray(ValueLayout.JAVA_BYTE)));
                    root.put("dump", d);
                } else {
                    out.println();
                    out.println("bytes " + off + " to " + (off + n - 1) + " of " + size
                            + (clamped ? " (length clamped to the end of the segment)" : "") + ", read-only mapping:");
                    HexDump.print(seg, off, n, out);
                }
            }
        }
        if (json) {
            out.println(Json.write(root));
        }
        out.flush();
        return Nautilus.OK;
    }

    private static void printInfo(PrintWriter out, ShmSegmentInfo s) {
        row(out, "name", s.name());
        row(out, "path", s.path().toString());
        row(out, "size", Sizes.exactAndHuman(s.size()));
        row(out, "owner", s.owner());
        row(out, "group", s.group());
        row(out, "mode", s.modeString() + " (" + String.format("%04o", s.mode()) + ")");
        row(out, "modified", ShmCommand.localTime(s.lastModified()));
        row(out, "huge pages", s.hugePages() ? "yes" : "no");
    }

    private static void row(PrintWriter out, String label, String value) {
        out.println(label + " ".repeat(Math.max(1, 12 - label.length())) + value);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
