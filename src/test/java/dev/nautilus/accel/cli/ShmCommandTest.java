package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.testutil.JsonReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** nautilus shm list / inspect / rm on a segment each test creates (Linux: listing needs /dev/shm). */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShmCommandTest {
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    private String name;
    private Arena arena;
    private long size;

    @BeforeEach
    void createSegment() {
        name = "/nautilus-clitest-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        arena = Arena.ofShared();
        MemorySegment seg = SharedMemory.create(name, 4096, arena);
        MemorySegment.copy(HELLO, 0, seg, ValueLayout.JAVA_BYTE, 0, HELLO.length);
        size = seg.byteSize();
    }

    @AfterEach
    void removeSegment() {
        arena.close();
        SharedMemory.unlink(name);
    }

    @Test
    void shouldListTheSegmentWithSizeOwnerAndMode() throws IOException {
        CliRun r = CliRun.of("shm", "list", name);

        assertEquals(0, r.exitCode(), r::toString);
        String owner = Files.getOwner(SystemInfo.DEV_SHM.resolve(name.substring(1))).getName();
        assertTrue(Pattern.compile("(?m)^NAME +SIZE +OWNER +MODE +MODIFIED +HUGE +KIND +CREATOR$").matcher(r.out()).find(),
                r::toString);
        assertTrue(Pattern.compile("(?m)^" + Pattern.quote(name) + " +" + size + " \\(" + Pattern.quote(Sizes.human(size))
                + "\\) +" + Pattern.quote(owner) + " +rw------- +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +no +- +-$")
                .matcher(r.out()).find(), "not a channel: KIND and CREATOR are -\n" + r);
        assertTrue(r.out().contains("1 segment, "), r::toString);
    }

    @Test
    void shouldListAllSegmentsUnderTheDefaultPrefix() {
        CliRun r = CliRun.of("shm", "list");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains(name + " "), r::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldListAsJson() {
        CliRun r = CliRun.of("shm", "list", name, "--json");

        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Object> doc = JsonReader.parseObject(r.out());
        assertEquals(name, doc.get("prefix"));
        List<Object> segments = (List<Object>) doc.get("segments");
        assertEquals(1, segments.size(), r::toString);
        Map<String, Object> s = (Map<String, Object>) segments.get(0);
        assertEquals(name, s.get("name"));
        assertEquals(size, ((Number) s.get("size")).longValue());
        assertEquals("0600", s.get("mode"));
        assertEquals("rw-------", s.get("modeString"));
        assertEquals(Boolean.FALSE, s.get("hugePages"));
        assertEquals("/dev/shm" + name, s.get("path"));
        assertEquals("other", s.get("kind"));
        assertEquals(null, s.get("creator"));
        assertEquals(Boolean.FALSE, s.get("stale"));
    }

    @Test
    void shouldSayWhenNoSegmentMatches() {
        String prefix = "/nautilus-clitest-none-" + System.nanoTime();

        CliRun r = CliRun.of("shm", "list", prefix);

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("no shared memory segments match " + prefix + "\n", r.out());
    }

    @Test
    void shouldRejectAPrefixWithoutSlashAsUsageError() {
        CliRun r = CliRun.of("shm", "list", "noslash");

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("nautilus: error: invalid shared memory name prefix \"noslash\": it must start with '/' (e.g. \"/noslash\")\n",
                r.err());
    }

    @Test
    void shouldInspectTheSegment() {
        CliRun r = CliRun.of("shm", "inspect", name);

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("name        " + name + "\n"), r::toString);
        assertTrue(r.out().contains("path        /dev/shm" + name + "\n"), r::toString);
        assertTrue(r.out().contains("size        " + size + " (" + Sizes.human(size) + ")\n"), r::toString);
        assertTrue(r.out().contains("mode        rw------- (0600)\n"), r::toString);
        assertTrue(r.out().contains("huge pages  no\n"), r::toString);
        assertFalse(r.out().contains("00000000"), "no dump without --dump\n" + r);
        assertFalse(r.out().contains("channel"), "not a bus channel: nothing decoded\n" + r);
    }

    @Test
    void shouldDumpTheBytesTheTestWrote() {
        CliRun r = CliRun.of("shm", "inspect", name, "--dump");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("bytes 0 to 255 of " + size + ", read-only mapping:\n"), r::toString);
        assertTrue(r.out().contains(
                "00000000  48 65 6c 6c 6f 00 00 00  00 00 00 00 00 00 00 00  |Hello...........|\n"), r::toString);
        long lines = r.out().lines().filter(l -> l.matches("[0-9a-f]{8}  .*")).count();
        assertEquals(16, lines, "256 bytes by default, 16 a line\n" + r);
        assertTrue(r.out().contains("000000f0  00 00 00 00"), r::toString);
    }

    @Test
    void shouldDumpFromAnOffsetAndClampTheLengthToTheEnd() {
        CliRun r = CliRun.of("shm", "inspect", name, "--dump", "--offset", String.valueOf(size - 10), "--length", "100");

        assertEquals(0, r.exitCode(), r::toString);
        String first = String.format("%08x", size - 10);
        assertTrue(r.out().contains("bytes " + (size - 10) + " to " + (size - 1) + " of " + size
                + " (length clamped to the end of the segment), read-only mapping:\n"), r::toString);
        assertTrue(r.out().contains(first + "  00 00 00 00 00 00 00 00  00 00                    |..........|\n"), r::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldDumpAsJsonHex() {
        CliRun r = CliRun.of("shm", "inspect", name, "--dump", "--length", "5", "--json");

        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Object> doc = JsonReader.parseObject(r.out());
        assertEquals(name, doc.get("name"));
        Map<String, Object> dump = (Map<String, Object>) doc.get("dump");
        assertEquals("48656c6c6f", dump.get("hex"));
        assertEquals(0, ((Number) dump.get("offset")).intValue());
        assertEquals(5, ((Number) dump.get("length")).intValue());
        assertFalse(doc.containsKey("channel"), "not a bus channel\n" + r);
    }

    @Test
    void shouldRejectAnOffsetBeyondTheSegment() {
        CliRun r = CliRun.of("shm", "inspect", name, "--dump", "--offset", String.valueOf(size));

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: --offset " + size + " is beyond the end of " + name + ", which has "
                + size + " bytes: use an offset below " + size + "\n"), r::toString);
    }

    @Test
    void shouldRejectOffsetWithoutDump() {
        CliRun r = CliRun.of("shm", "inspect", name, "--offset", "16");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: --offset and --length choose the bytes --dump shows: add --dump\n"),
                r::toString);
    }

    @Test
    void shouldRejectANonPositiveLength() {
        CliRun r = CliRun.of("shm", "inspect", name, "--dump", "--length", "0");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: invalid --length 0: it must be 1 or more\n"), r::toString);
    }

    @Test
    void shouldFailToInspectAMissingSegment() {
        String missing = name + "-missing";

        CliRun r = CliRun.of("shm", "inspect", missing, "--dump");

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("nautilus: error: no shared memory segment " + missing
                + " (nautilus shm list shows the existing ones)\n", r.err());
    }

    @Test
    void shouldRejectANameWithoutSlashAsUsageError() {
        CliRun r = CliRun.of("shm", "inspect", "noslash");

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("nautilus: error: invalid shared memory name \"noslash\": it must start with '/' (e.g. \"/noslash\")\n",
                r.err());
    }

    @Test
    void shouldRemoveTheSegmentAndSaySo() {
        CliRun r = CliRun.of("shm", "rm", name);

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("removed " + name + "\n", r.out());
        assertTrue(SharedMemory.find(name).isEmpty(), "the segment is gone");
        CliRun list = CliRun.of("shm", "list", name);
        assertEquals("no shared memory segments match " + name + "\n", list.out());
    }

    @Test
    void shouldFailToRemoveAMissingSegmentUnlessForced() {
        String missing = name + "-missing";

        CliRun r = CliRun.of("shm", "rm", missing);
        CliRun forced = CliRun.of("shm", "rm", "-f", missing);

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("nautilus: error: no shared memory segment " + missing
                + " (nautilus shm list shows the existing ones)\n", r.err());
        assertEquals(0, forced.exitCode(), forced::toString);
        assertEquals("", forced.out() + forced.err());
    }

    @Test
    void shouldRemoveTheOthersWhenOneNameIsMissing() {
        String missing = name + "-missing";

        CliRun r = CliRun.of("shm", "rm", missing, name);

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("removed " + name + "\n", r.out());
        assertTrue(r.err().contains("no shared memory segment " + missing), r::toString);
        assertTrue(SharedMemory.find(name).isEmpty(), "the existing one was removed");
    }

    @Test
    void shouldCheckEveryNameBeforeRemovingAny() {
        CliRun r = CliRun.of("shm", "rm", name, "noslash");

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("nautilus: error: invalid shared memory name \"noslash\": it must start with '/' (e.g. \"/noslash\")\n",
                r.err());
        assertEquals("", r.out());
        assertTrue(SharedMemory.find(name).isPresent(), "nothing was removed");
    }

    @Test
    void shouldAskForAtLeastOneNameToRemove() {
        CliRun r = CliRun.of("shm", "rm");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: Missing required parameter: 'NAME'\n"), r::toString);
    }
}
