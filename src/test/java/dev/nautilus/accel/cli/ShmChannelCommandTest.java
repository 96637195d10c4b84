package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.bus.Channel;
import dev.nautilus.accel.bus.ChannelConfig;
import dev.nautilus.accel.bus.ChannelDescriptor;
import dev.nautilus.accel.bus.ChannelHeaders;
import dev.nautilus.accel.bus.Lane;
import dev.nautilus.accel.bus.MessageBus;
import dev.nautilus.accel.bus.Publisher;
import dev.nautilus.accel.bus.RingVariant;
import dev.nautilus.accel.bus.Subscriber;
import dev.nautilus.accel.bus.WaitStrategy;
import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.testutil.JsonReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * nautilus shm inspect / list / rm on real message bus channels each test creates, one of them
 * made stale by writing a dead process id into its header (Linux: listing needs /dev/shm).
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShmChannelCommandTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final long PID = ProcessHandle.current().pid();

    private String ns;
    private MessageBus bus;
    private Arena arena;

    @BeforeEach
    void open() {
        ns = "/na-clichan-" + PID + "-" + COUNTER.incrementAndGet();
        bus = MessageBus.open(ns);
        arena = Arena.ofShared();
    }

    @AfterEach
    void close() {
        bus.close();
        arena.close();
        SharedMemory.list(ns + ".").forEach(i -> SharedMemory.unlink(i.name()));
    }

    private static ChannelConfig small(RingVariant v) {
        return ChannelConfig.defaults().withVariant(v).withLaneCapacity(Lane.CRITICAL, 1024)
                .withLaneCapacity(Lane.NORMAL, 4096).withLaneCapacity(Lane.BULK, 2048);
    }

    /** Two 16-byte messages on NORMAL: 2 records of 8 + 16 bytes = 48 bytes of backlog. */
    private static void publishTwo(Publisher p) {
        MemorySegment m = MemorySegment.ofArray(new long[2]);
        assertTrue(p.offer(Lane.NORMAL, 1, m));
        assertTrue(p.offer(Lane.NORMAL, 1, m));
    }

    private String staleChannel(String name) throws Exception {
        Channel dead = bus.createChannel(name, small(RingVariant.MANY_TO_ONE));
        long pid = ChannelHeaders.deadPid();
        ChannelHeaders.setCreatorPid(dead.segmentName(), pid);
        return dead.segmentName() + " " + pid;
    }

    @Test
    void shouldDecodeAOneToOneChannelWithItsLanesAndProcesses() {
        Channel ch = bus.createChannel("orders", small(RingVariant.ONE_TO_ONE));
        try (Publisher p = ch.publisher(); Subscriber s = ch.subscribe(WaitStrategy.defaultSleeping())) {
            publishTwo(p);

            CliRun r = CliRun.of("shm", "inspect", ch.segmentName());

            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.out().startsWith("name        " + ch.segmentName() + "\n"), r::toString);
            assertTrue(r.out().contains("\nchannel     message bus channel, ONE_TO_ONE, 3 lanes\n"
                    + "creator     " + PID + " alive\n"
                    + "subscriber  " + PID + " alive, may sleep, awake, reads every lane\n"
                    + "publisher   " + PID + " alive\n"), r::toString);
            assertTrue(Pattern.compile("(?m)^LANE +CAPACITY +MAX PAYLOAD +PRODUCER POS +CONSUMER POS +BACKLOG$")
                    .matcher(r.out()).find(), r::toString);
            assertTrue(Pattern.compile("(?m)^CRITICAL +1024 \\(1\\.0 KiB\\) +128 B +0 +0 +0 B$").matcher(r.out()).find(),
                    r::toString);
            assertTrue(Pattern.compile("(?m)^NORMAL +4096 \\(4\\.0 KiB\\) +512 B +48 +0 +48 B$").matcher(r.out()).find(),
                    r::toString);
            assertTrue(Pattern.compile("(?m)^BULK +2048 \\(2\\.0 KiB\\) +256 B +0 +0 +0 B$").matcher(r.out()).find(),
                    r::toString);
            s.poll((t, b, o, l) -> { }, 10);
            CliRun drained = CliRun.of("shm", "inspect", ch.segmentName());
            assertTrue(Pattern.compile("(?m)^NORMAL +4096 \\(4\\.0 KiB\\) +512 B +48 +48 +0 B$").matcher(drained.out()).find(),
                    drained::toString);
        }
        CliRun closed = CliRun.of("shm", "inspect", ch.segmentName());
        assertTrue(closed.out().contains("subscriber  none\npublisher   none\n"), closed::toString);
    }

    @Test
    void shouldSayAManyToOneChannelDoesNotTrackPublishersAndASpinningSubscriberNeverSleeps() {
        Channel ch = bus.createChannel("md", small(RingVariant.MANY_TO_ONE));
        try (Subscriber s = ch.subscribe(WaitStrategy.busySpin())) {
            assertEquals(ch, s.channel());
            CliRun r = CliRun.of("shm", "inspect", ch.segmentName());

            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.out().contains("channel     message bus channel, MANY_TO_ONE, 3 lanes\n"), r::toString);
            assertTrue(r.out().contains("subscriber  " + PID + " alive, never sleeps, reads every lane\n"), r::toString);
            assertTrue(r.out().contains("publisher   not tracked (many-to-one: any number of publishers)\n"), r::toString);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldShowTheLanesASubscriberReads() {
        Channel ch = bus.createChannel("cancels", small(RingVariant.MANY_TO_ONE));
        try (Subscriber s = ch.subscribe(WaitStrategy.busySpin(), java.util.EnumSet.of(Lane.CRITICAL, Lane.BULK))) {
            CliRun r = CliRun.of("shm", "inspect", ch.segmentName());
            CliRun json = CliRun.of("shm", "inspect", ch.segmentName(), "--json");

            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.out().contains("subscriber  " + PID + " alive, never sleeps, reads only CRITICAL, BULK\n"), r::toString);
            Map<String, Object> c = (Map<String, Object>) JsonReader.parseObject(json.out()).get("channel");
            assertEquals(List.of("CRITICAL", "BULK"), ((Map<String, Object>) c.get("subscriber")).get("lanes"), json::toString);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldDecodeAChannelAsJson() {
        Channel ch = bus.createChannel("fills", small(RingVariant.ONE_TO_ONE));
        try (Publisher p = ch.publisher(); Subscriber s = ch.subscribe(WaitStrategy.defaultSleeping())) {
            publishTwo(p);
            assertEquals(ch, s.channel());

            CliRun r = CliRun.of("shm", "inspect", ch.segmentName(), "--json");

            assertEquals(0, r.exitCode(), r::toString);
            Map<String, Object> doc = JsonReader.parseObject(r.out());
            assertEquals(ch.segmentName(), doc.get("name"));
            Map<String, Object> c = (Map<String, Object>) doc.get("channel");
            assertEquals("ONE_TO_ONE", c.get("variant"));
            assertEquals(Boolean.FALSE, c.get("stale"));
            Map<String, Object> creator = (Map<String, Object>) c.get("creator");
            assertEquals(PID, ((Number) creator.get("pid")).longValue());
            assertEquals(Boolean.TRUE, creator.get("alive"));
            Map<String, Object> sub = (Map<String, Object>) c.get("subscriber");
            assertEquals(PID, ((Number) sub.get("pid")).longValue());
            assertEquals(Boolean.TRUE, sub.get("alive"));
            assertEquals(Boolean.TRUE, sub.get("maySleep"));
            assertEquals(Boolean.FALSE, sub.get("sleeping"));
            assertEquals(Boolean.TRUE, c.get("publisherTracked"));
            assertEquals(PID, ((Number) ((Map<String, Object>) c.get("publisher")).get("pid")).longValue());
            List<Object> lanes = (List<Object>) c.get("lanes");
            assertEquals(3, lanes.size());
            Map<String, Object> normal = (Map<String, Object>) lanes.get(1);
            assertEquals("NORMAL", normal.get("lane"));
            assertEquals(4096, ((Number) normal.get("capacity")).longValue());
            assertEquals(512, ((Number) normal.get("maxPayload")).longValue());
            assertEquals(48, ((Number) normal.get("producerPosition")).longValue());
            assertEquals(0, ((Number) normal.get("consumerPosition")).longValue());
            assertEquals(48, ((Number) normal.get("backlog")).longValue());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldMarkAChannelWhoseCreatorIsDeadAsStale() throws Exception {
        String[] dead = staleChannel("dead").split(" ");

        CliRun r = CliRun.of("shm", "inspect", dead[0]);
        CliRun json = CliRun.of("shm", "inspect", dead[0], "--json");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("creator     " + dead[1] + " dead: STALE (nautilus shm rm --stale " + dead[0]
                + " removes it)\n"), r::toString);
        Map<String, Object> c = (Map<String, Object>) JsonReader.parseObject(json.out()).get("channel");
        assertEquals(Boolean.TRUE, c.get("stale"));
        assertEquals(Boolean.FALSE, ((Map<String, Object>) c.get("creator")).get("alive"));
        assertEquals(Long.parseLong(dead[1]), ((Number) ((Map<String, Object>) c.get("creator")).get("pid")).longValue());
    }

    @Test
    void shouldListChannelsWithKindAndCreatorInAlignedColumns() throws Exception {
        Channel live = bus.createChannel("live", small(RingVariant.ONE_TO_ONE));
        String[] dead = staleChannel("dead").split(" ");
        SharedMemory.create(ns + ".plain", 8192, arena);

        CliRun r = CliRun.of("shm", "list", ns + ".");

        assertEquals(0, r.exitCode(), r::toString);
        List<String> lines = r.out().lines().toList();
        String header = lines.get(0);
        assertTrue(header.matches("NAME +SIZE +OWNER +MODE +MODIFIED +HUGE +KIND +CREATOR"), r::toString);
        int kind = header.indexOf("KIND");
        int creator = header.indexOf("CREATOR");
        assertEquals(dead[0], lines.get(1).substring(0, dead[0].length()), r::toString);
        assertEquals("channel  " + dead[1] + " dead", lines.get(1).substring(kind), r::toString);
        assertEquals("channel  " + PID + " alive", lines.get(2).substring(kind), r::toString);
        assertTrue(lines.get(2).startsWith(live.segmentName() + " "), r::toString);
        assertEquals("-        -", lines.get(3).substring(kind), r::toString);
        assertTrue(lines.get(3).startsWith(ns + ".plain "), r::toString);
        assertEquals(kind + "channel  ".length(), creator, "CREATOR starts after the widest KIND\n" + r);
        assertTrue(lines.get(4).startsWith("3 segments, ") && lines.get(4).endsWith("; 2 bus channels, 1 stale (creator dead)"),
                r::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldListOnlyStaleChannelsWithStale() throws Exception {
        bus.createChannel("live", small(RingVariant.ONE_TO_ONE));
        String[] dead = staleChannel("dead").split(" ");
        SharedMemory.create(ns + ".plain", 8192, arena);

        CliRun r = CliRun.of("shm", "list", ns + ".", "--stale");
        CliRun json = CliRun.of("shm", "list", ns + ".", "--stale", "--json");

        assertEquals(0, r.exitCode(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r::toString);
        assertTrue(lines.get(1).startsWith(dead[0] + " ") && lines.get(1).endsWith("channel  " + dead[1] + " dead"),
                r::toString);
        assertTrue(lines.get(2).startsWith("1 stale channel, ") && lines.get(2).endsWith(" in all (nautilus shm rm --stale "
                + ns + ". removes it)"), r::toString);
        Map<String, Object> doc = JsonReader.parseObject(json.out());
        assertEquals(Boolean.TRUE, doc.get("staleOnly"));
        List<Object> segments = (List<Object>) doc.get("segments");
        assertEquals(1, segments.size(), json::toString);
        Map<String, Object> s = (Map<String, Object>) segments.get(0);
        assertEquals(dead[0], s.get("name"));
        assertEquals("channel", s.get("kind"));
        assertEquals(Boolean.TRUE, s.get("stale"));
        assertEquals(Long.parseLong(dead[1]), ((Number) ((Map<String, Object>) s.get("creator")).get("pid")).longValue());
        assertEquals(Boolean.FALSE, ((Map<String, Object>) s.get("creator")).get("alive"));
    }

    @Test
    void shouldSayWhenNoChannelIsStale() {
        bus.createChannel("live", small(RingVariant.ONE_TO_ONE));

        CliRun list = CliRun.of("shm", "list", ns + ".", "--stale");
        CliRun rm = CliRun.of("shm", "rm", "--stale", ns + ".");

        assertEquals(0, list.exitCode(), list::toString);
        assertEquals("no stale channels match " + ns + ".\n", list.out());
        assertEquals(0, rm.exitCode(), rm::toString);
        assertEquals("no stale channels match " + ns + ".\n", rm.out());
        assertTrue(SharedMemory.find(ns + ".live").isPresent(), "a live channel stays");
    }

    @Test
    void shouldRemoveOnlyTheStaleChannels() throws Exception {
        Channel live = bus.createChannel("live", small(RingVariant.ONE_TO_ONE));
        String[] dead = staleChannel("dead").split(" ");
        String[] dead2 = staleChannel("dead2").split(" ");
        SharedMemory.create(ns + ".plain", 8192, arena);

        CliRun r = CliRun.of("shm", "rm", "--stale", ns + ".");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("removed " + dead[0] + "\nremoved " + dead2[0] + "\n", r.out());
        assertEquals("", r.err());
        assertTrue(SharedMemory.find(dead[0]).isEmpty(), "the stale channel is gone");
        assertTrue(SharedMemory.find(dead2[0]).isEmpty(), "the other stale channel is gone");
        assertTrue(SharedMemory.find(live.segmentName()).isPresent(), "the live channel stays");
        assertTrue(SharedMemory.find(ns + ".plain").isPresent(), "a segment that is not a channel stays");
    }

    @Test
    void shouldRejectMoreThanOnePrefixWithStale() {
        CliRun r = CliRun.of("shm", "rm", "--stale", ns + ".a", ns + ".b");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: --stale takes at most one PREFIX, got 2 arguments: " + ns + ".a "
                + ns + ".b\n"), r::toString);
    }

    @Test
    void shouldRejectAStalePrefixWithoutSlash() {
        CliRun r = CliRun.of("shm", "rm", "--stale", "noslash");

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("nautilus: error: invalid shared memory name prefix \"noslash\": it must start with '/' (e.g. \"/noslash\")\n",
                r.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldSayWhenASegmentHasTheChannelMagicButIsNotAReadyChannel() {
        String name = ns + ".unfinished";
        MemorySegment s = SharedMemory.create(name, 8192, arena);
        s.set(ValueLayout.JAVA_LONG, ChannelDescriptor.MAGIC_OFFSET, ChannelDescriptor.MAGIC); // state still 0

        CliRun inspect = CliRun.of("shm", "inspect", name);
        CliRun list = CliRun.of("shm", "list", name);
        CliRun json = CliRun.of("shm", "list", name, "--json");

        assertEquals(0, inspect.exitCode(), inspect::toString);
        assertTrue(inspect.out().contains("\nchannel     unknown: segment " + name + " starts with the bus channel magic but is"
                + " not a ready channel of layout version 2 (still being created, corrupt, or of another nautilus-accel"
                + " version)\n"), inspect::toString);
        assertTrue(list.out().lines().toList().get(1).endsWith("  no    ?     ?"), list::toString);
        assertEquals("1 segment, 8.0 KiB in all; 1 of unknown kind (--json says why)", list.out().lines().toList().get(2),
                list::toString);
        Map<String, Object> seg = (Map<String, Object>) ((List<Object>) JsonReader.parseObject(json.out()).get("segments")).get(0);
        assertEquals("unknown", seg.get("kind"));
        assertTrue(((String) seg.get("problem")).startsWith("segment " + name + " starts with the bus channel magic"),
                json::toString);
        assertFalse(inspect.out().contains("LANE"), inspect::toString);
    }
}
