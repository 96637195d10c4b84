package dev.nautilus.accel.cli;

import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.shm.ShmSegmentInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nautilus shm list [PREFIX]}: the named segments (in {@code /dev/shm} and on the
 * hugetlbfs mount) whose names start with PREFIX, as a table or JSON. Reads the file system
 * only; works without native access.
 */
@Command(name = "list", description = "List the shared memory segments whose names start with PREFIX.")
public final class ShmListCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", defaultValue = "/",
            description = "Name prefix, starting with '/' (default: ${DEFAULT-VALUE}, all segments).")
    private String prefix;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    private boolean json;

    /** Creates the command (picocli does). */
    public ShmListCommand() {}

    /**
     * Prints the segments.
     *
     * @return {@value Nautilus#OK}, also when none match
     * @throws IllegalArgumentException for an invalid prefix (exit {@value Nautilus#USAGE})
     */
    @Override
    public Integer call() {
        List<ShmSegmentInfo> segments = SharedMemory.list(prefix);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Object> list = new ArrayList<>();
            for (ShmSegmentInfo s : segments) {
                list.add(toJson(s));
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("prefix", prefix);
            root.put("segments", list);
            out.println(Json.write(root));
        } else if (segments.isEmpty()) {
            out.println("no shared memory segments match " + prefix);
        } else {
            Table t = new Table("NAME", "SIZE", "OWNER", "MODE", "MODIFIED", "HUGE").alignRight(1);
            long bytes = 0;
            for (ShmSegmentInfo s : segments) {
                t.add(s.name(), Sizes.exactAndHuman(s.size()), s.owner(), s.modeString(), ShmCommand.localTime(s.lastModified()),
                        s.hugePages() ? "yes" : "no");
                bytes += s.size();
            }
            t.print(out);
            out.println(segments.size() + (segments.size() == 1 ? " segment, " : " segments, ") + Sizes.human(bytes) + " in all");
        }
        out.flush();
        return Nautilus.OK;
    }

    /**
     * @param s a segment
     * @return its JSON object: name, size, owner, group, mode (octal text), modeString, modified (ISO-8601 UTC), hugePages, path
     */
    static Map<String, Object> toJson(ShmSegmentInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("size", s.size());
        m.put("owner", s.owner());
        m.put("group", s.group());
        m.put("mode", String.format("%04o", s.mode()));
        m.put("modeString", s.modeString());
        m.put("modified", s.lastModified().toString());
        m.put("hugePages", s.hugePages());
        m.put("path", s.path().toString());
        return m;
    }
}
