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
 * {@code nautilus shm list [PREFIX] [--stale]}: the named segments (in {@code /dev/shm} and on the
 * hugetlbfs mount) whose names start with PREFIX, as a table or JSON, with the message bus
 * channels among them marked and their creator process said alive or dead. {@code --stale}
 * lists only the channels whose creator is dead ({@code nautilus shm rm --stale} removes them).
 *
 * <p>Reads the file system; a segment is mapped (read-only, briefly) only when its first bytes
 * are the channel magic, to decode it. Without native access the table still lists every
 * segment, with {@code ?} as the kind of channels it cannot decode.
 */
@Command(name = "list", description = {
    "List the shared memory segments whose names start with PREFIX.",
    "KIND is 'channel' for a message bus channel, '-' for other segments, '?' when it cannot be told;"
            + " CREATOR is the channel's creator process and whether it is alive."})
public final class ShmListCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", defaultValue = "/",
            description = "Name prefix, starting with '/' (default: ${DEFAULT-VALUE}, all segments).")
    private String prefix;

    @Option(names = "--stale", description = "List only bus channels whose creator process is dead (stale channels).")
    private boolean stale;

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
        List<ShmSegmentInfo> shown = new ArrayList<>();
        List<ChannelProbe.Result> kinds = new ArrayList<>();
        for (ShmSegmentInfo s : segments) {
            ChannelProbe.Result k = ChannelProbe.probe(s);
            if (!stale || k.stale()) {
                shown.add(s);
                kinds.add(k);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < shown.size(); i++) {
                Map<String, Object> m = toJson(shown.get(i));
                putKind(m, kinds.get(i));
                list.add(m);
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("prefix", prefix);
            root.put("staleOnly", stale);
            root.put("segments", list);
            out.println(Json.write(root));
        } else if (shown.isEmpty()) {
            out.println(stale ? "no stale channels match " + prefix : "no shared memory segments match " + prefix);
        } else {
            Table t = new Table("NAME", "SIZE", "OWNER", "MODE", "MODIFIED", "HUGE", "KIND", "CREATOR").alignRight(1);
            long bytes = 0;
            int channels = 0;
            int staleChannels = 0;
            int unknown = 0;
            for (int i = 0; i < shown.size(); i++) {
                ShmSegmentInfo s = shown.get(i);
                ChannelProbe.Result k = kinds.get(i);
                t.add(s.name(), Sizes.exactAndHuman(s.size()), s.owner(), s.modeString(), ShmCommand.localTime(s.lastModified()),
                        s.hugePages() ? "yes" : "no", k.kind().column(), k.creatorColumn());
                bytes += s.size();
                channels += k.kind() == ChannelProbe.Kind.CHANNEL ? 1 : 0;
                staleChannels += k.stale() ? 1 : 0;
                unknown += k.kind() == ChannelProbe.Kind.UNKNOWN ? 1 : 0;
            }
            t.print(out);
            if (stale) {
                out.println(staleChannels + (staleChannels == 1 ? " stale channel, " : " stale channels, ") + Sizes.human(bytes)
                        + " in all (nautilus shm rm --stale " + prefix + " removes " + (staleChannels == 1 ? "it" : "them") + ")");
            } else {
                out.println(shown.size() + (shown.size() == 1 ? " segment, " : " segments, ") + Sizes.human(bytes) + " in all"
                        + (channels == 0 ? "" : "; " + channels + (channels == 1 ? " bus channel" : " bus channels")
                                + (staleChannels == 0 ? "" : ", " + staleChannels + " stale (creator dead)"))
                        + (unknown == 0 ? "" : "; " + unknown + " of unknown kind (--json says why)"));
            }
        }
        out.flush();
        return Nautilus.OK;
    }

    /**
     * Adds what a probe found to a segment's JSON object: {@code kind} ({@code channel},
     * {@code other}, {@code unknown}), {@code creator} ({@code {pid, alive}} for channels, else
     * null), {@code stale}, and {@code problem} (why the kind is unknown, else null).
     *
     * @param m the segment's JSON object
     * @param k the probe result
     */
    static void putKind(Map<String, Object> m, ChannelProbe.Result k) {
        m.put("kind", k.kind().json());
        m.put("creator", k.channel().map(c -> {
            Map<String, Object> cr = new LinkedHashMap<>();
            cr.put("pid", c.creatorPid());
            cr.put("alive", c.creatorAlive());
            return (Object) cr;
        }).orElse(null));
        m.put("stale", k.stale());
        m.put("problem", k.problem().orElse(null));
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
