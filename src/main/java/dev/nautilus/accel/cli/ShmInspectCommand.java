package dev.nautilus.accel.cli;

import dev.nautilus.accel.bus.ChannelInfo;
import dev.nautilus.accel.bus.RingDescriptor;
import dev.nautilus.accel.bus.RingVariant;
import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.shm.ShmNames;
import dev.nautilus.accel.shm.ShmOptions;
import dev.nautilus.accel.shm.ShmSegmentInfo;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
 * {@code nautilus shm inspect NAME}: what the file system says about one segment; when it is a
 * message bus channel, also its decoded header (variant, creator, subscriber, publisher) and each
 * lane's capacity, positions and backlog; with {@code --dump}, its bytes as a hex and ASCII dump.
 * Channels and dumps are read through read-only mappings that are unmapped before the command
 * returns; nothing in the segment is changed.
 */
@Command(name = "inspect", description = {
    "Describe one shared memory segment; when it is a message bus channel, decode it (lanes, positions,"
            + " backlog, creator, subscriber, publisher); with --dump, show its bytes (read-only mapping).",
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
        ChannelProbe.Result probe = ChannelProbe.probe(info);
        if (json) {
            probe.channel().ifPresent(c -> root.put("channel", channelJson(c)));
            probe.problem().ifPresent(p -> root.put("channelProblem", p));
        } else {
            printInfo(out, info);
            probe.channel().ifPresent(c -> printChannel(out, c));
            probe.problem().ifPresent(p -> {
                out.println();
                row(out, "channel", "unknown: " + p);
            });
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

    private static void printChannel(PrintWriter out, ChannelInfo c) {
        out.println();
        row(out, "channel", "message bus channel, " + c.variant() + ", " + c.lanes().size() + " lanes");
        row(out, "creator", ChannelProbe.creatorText(c)
                + (c.stale() ? ": STALE (nautilus shm rm --stale " + c.segmentName() + " removes it)" : ""));
        if (c.subscriberPid() == 0) {
            row(out, "subscriber", "none");
        } else {
            row(out, "subscriber", c.subscriberPid() + (c.subscriberAlive() ? " alive" : " dead (the next subscriber takes its slot)")
                    + ", " + (c.subscriberMaySleep() ? "may sleep, " + (c.subscriberSleeping() ? "sleeping" : "awake")
                            : "never sleeps")
                    + (c.subscriberLanes().size() == c.lanes().size() ? ", reads every lane" : ", reads only " + c.subscriberLanes()
                            .stream().map(Enum::name).collect(java.util.stream.Collectors.joining(", "))));
        }
        if (c.variant() != RingVariant.ONE_TO_ONE) {
            row(out, "publisher", "not tracked (many-to-one: any number of publishers)");
        } else if (c.publisherPid() == 0) {
            row(out, "publisher", "none");
        } else {
            row(out, "publisher", c.publisherPid() + (c.publisherAlive() ? " alive" : " dead (the next publisher takes its slot)"));
        }
        out.println();
        Table t = new Table("LANE", "CAPACITY", "MAX PAYLOAD", "PRODUCER POS", "CONSUMER POS", "BACKLOG")
                .alignRight(1).alignRight(2).alignRight(3).alignRight(4).alignRight(5);
        for (ChannelInfo.LaneInfo l : c.lanes()) {
            t.add(l.lane().name(), Sizes.exactAndHuman(l.capacity()), Sizes.exactAndHuman(RingDescriptor.maxPayload(l.capacity())),
                    String.valueOf(l.producerPosition()), String.valueOf(l.consumerPosition()), Sizes.exactAndHuman(l.backlog()));
        }
        t.print(out);
        out.println("(positions: bytes ever claimed by publishers and consumed by the subscriber; backlog: claimed, not yet consumed)");
    }

    /**
     * @param c a decoded channel
     * @return its JSON object: variant, stale, creator {pid, alive}, subscriber {pid, alive,
     *     maySleep, sleeping, lanes} or null, publisherTracked, publisher {pid, alive} or null, lanes
     *     [{lane, capacity, maxPayload, producerPosition, consumerPosition, backlog}] (bytes)
     */
    static Map<String, Object> channelJson(ChannelInfo c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("variant", c.variant().name());
        m.put("stale", c.stale());
        Map<String, Object> creator = new LinkedHashMap<>();
        creator.put("pid", c.creatorPid());
        creator.put("alive", c.creatorAlive());
        m.put("creator", creator);
        Map<String, Object> sub = null;
        if (c.subscriberPid() != 0) {
            sub = new LinkedHashMap<>();
            sub.put("pid", c.subscriberPid());
            sub.put("alive", c.subscriberAlive());
            sub.put("maySleep", c.subscriberMaySleep());
            sub.put("sleeping", c.subscriberSleeping());
            sub.put("lanes", c.subscriberLanes().stream().map(Enum::name).toList());
        }
        m.put("subscriber", sub);
        boolean tracked = c.variant() == RingVariant.ONE_TO_ONE;
        m.put("publisherTracked", tracked);
        Map<String, Object> pub = null;
        if (tracked && c.publisherPid() != 0) {
            pub = new LinkedHashMap<>();
            pub.put("pid", c.publisherPid());
            pub.put("alive", c.publisherAlive());
        }
        m.put("publisher", pub);
        List<Object> lanes = new ArrayList<>();
        for (ChannelInfo.LaneInfo l : c.lanes()) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("lane", l.lane().name());
            lm.put("capacity", l.capacity());
            lm.put("maxPayload", RingDescriptor.maxPayload(l.capacity()));
            lm.put("producerPosition", l.producerPosition());
            lm.put("consumerPosition", l.consumerPosition());
            lm.put("backlog", l.backlog());
            lanes.add(lm);
        }
        m.put("lanes", lanes);
        return m;
    }

    private static void row(PrintWriter out, String label, String value) {
        out.println(label + " ".repeat(Math.max(1, 12 - label.length())) + value);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
