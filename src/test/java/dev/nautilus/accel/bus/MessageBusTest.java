package dev.nautilus.accel.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.nativeaccess.Errno;
import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.shm.ShmException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class MessageBusTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private String ns;
    private MessageBus bus;

    @BeforeEach
    void open() {
        ns = "/na-bustest-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        bus = MessageBus.open(ns);
    }

    @AfterEach
    void close() {
        bus.close();
        SharedMemory.list(ns + ".").forEach(i -> SharedMemory.unlink(i.name()));
    }

    static MemorySegment bytes(String s) {
        return MemorySegment.ofArray(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String text(MemorySegment b, long o, int l) {
        return new String(b.asSlice(o, l).toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static ChannelConfig small() {
        return ChannelConfig.defaults().withLaneCapacity(Lane.NORMAL, 4096).withLaneCapacity(Lane.BULK, 4096)
                .withLaneCapacity(Lane.CRITICAL, 4096);
    }

    @Test
    void shouldDeliverCriticalBeforeNormalBeforeBulk() {
        Channel ch = bus.createChannel("orders", small());
        assertEquals(ns + ".orders", ch.segmentName());
        try (Publisher p = ch.publisher(); Subscriber s = ch.subscribe(WaitStrategy.busySpin())) {
            assertTrue(p.offer(Lane.BULK, 3, bytes("bulk-1")));
            assertTrue(p.offer(Lane.NORMAL, 2, bytes("normal-1")));
            assertTrue(p.offer(Lane.CRITICAL, 1, bytes("critical-1")));
            assertTrue(p.offer(Lane.NORMAL, 2, bytes("normal-2")));
            assertTrue(p.offer(Lane.CRITICAL, 1, bytes("critical-2")));
            List<String> got = new ArrayList<>();
            assertEquals(5, s.poll((t, b, o, l) -> got.add(t + ":" + text(b, o, l)), 100));
            assertEquals(List.of("1:critical-1", "1:critical-2", "2:normal-1", "2:normal-2", "3:bulk-1"), got);
            assertEquals(0, s.poll((t, b, o, l) -> got.add("extra"), 100));
        }
    }

    @Test
    void shouldReadOnlyTheChosenLanesAndMakePublishersRefuseTheOthers() {
        Channel ch = bus.createChannel("cancels", small());
        // another process's view of the same channel: its publishers see the lane mask in shared memory
        try (MessageBus other = MessageBus.open(ns); Publisher p = other.openChannel("cancels").publisher()) {
            try (Subscriber s = ch.subscribe(WaitStrategy.busySpin(), EnumSet.of(Lane.CRITICAL))) {
                assertEquals(Set.of(Lane.CRITICAL), s.lanes());
                assertEquals(Set.of(Lane.CRITICAL), ch.info().subscriberLanes());
                assertTrue(p.offer(Lane.CRITICAL, 1, bytes("cancel-1")));
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.offer(Lane.NORMAL, 2, bytes("x")));
                assertEquals("lane NORMAL of channel cancels is not read: its subscriber (pid " + ProcessHandle.current().pid()
                        + ") reads only CRITICAL; publish on one of those, or subscribe to NORMAL as well", e.getMessage());
                assertThrows(IllegalStateException.class, () -> p.tryClaim(Lane.BULK, 2, 8));
                assertEquals(0, ch.info().lanes().get(Lane.NORMAL.ordinal()).producerPosition(), "the refused message took no room");
                List<String> got = new ArrayList<>();
                assertEquals(1, s.poll((t, b, o, l) -> got.add(text(b, o, l)), 10));
                assertEquals(List.of("cancel-1"), got);
            }
            assertEquals(EnumSet.allOf(Lane.class), ch.info().subscriberLanes(), "a closed subscriber reopens every lane");
            assertTrue(p.offer(Lane.NORMAL, 2, bytes("normal-1")));
            try (Subscriber all = ch.subscribe(WaitStrategy.busySpin())) {
                assertEquals(EnumSet.allOf(Lane.class), all.lanes());
                List<String> got = new ArrayList<>();
                assertEquals(1, all.poll((t, b, o, l) -> got.add(text(b, o, l)), 10));
                assertEquals(List.of("normal-1"), got);
            }
        }
    }

    @Test
    void shouldDrainAChosenSetOfLanesInPriorityOrderAndWakeOnThem() throws Exception {
        Channel ch = bus.createChannel("mixed", small());
        try (Publisher p = ch.publisher();
             Subscriber s = ch.subscribe(WaitStrategy.spinThenSleep(10, 10, Duration.ofSeconds(5)), EnumSet.of(Lane.BULK, Lane.CRITICAL))) {
            assertTrue(p.offer(Lane.BULK, 3, bytes("bulk-1")));
            assertTrue(p.offer(Lane.CRITICAL, 1, bytes("critical-1")));
            List<String> got = new ArrayList<>();
            assertEquals(2, s.poll((t, b, o, l) -> got.add(text(b, o, l)), 10));
            assertEquals(List.of("critical-1", "bulk-1"), got);
            assertThrows(IllegalStateException.class, () -> p.offer(Lane.NORMAL, 2, bytes("x")));

            ExecutorService ex = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> received = ex.submit(() -> s.receive((t, b, o, l) -> got.add(text(b, o, l)), 10, -1));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!ch.info().subscriberSleeping() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertTrue(ch.info().subscriberSleeping(), "the subscriber sleeps on its two lanes");
                assertTrue(p.offer(Lane.BULK, 3, bytes("bulk-2")));
                assertEquals(1, received.get(10, TimeUnit.SECONDS));
                assertEquals(List.of("critical-1", "bulk-1", "bulk-2"), got);
            } finally {
                ex.shutdownNow();
            }
        }
    }

    @Test
    void shouldMarkEachLaneUsedBeforeItsFirstMessage() {
        Channel ch = bus.createChannel("used", small());
        try (Publisher p = ch.publisher(); Subscriber s = ch.subscribe(WaitStrategy.busySpin())) {
            assertEquals(0, (int) Channel.INT.getVolatile(ch.segment(), ChannelDescriptor.LANES_USED_OFFSET));
            assertTrue(p.offer(Lane.BULK, 3, bytes("bulk-1")));
            assertEquals(0b100, (int) Channel.INT.getVolatile(ch.segment(), ChannelDescriptor.LANES_USED_OFFSET));
            long at = p.tryClaim(Lane.CRITICAL, 1, 8);
            assertEquals(0b101, (int) Channel.INT.getVolatile(ch.segment(), ChannelDescriptor.LANES_USED_OFFSET),
                    "marked at the claim, before the commit");
            p.abort(Lane.CRITICAL, at);
            List<String> got = new ArrayList<>();
            assertEquals(1, s.poll((t, b, o, l) -> got.add(text(b, o, l)), 10), "poll reads every lane at once");
            assertEquals(List.of("bulk-1"), got);
        }
    }

    @Test
    void shouldReceiveTheFirstMessageOfANewLaneWhileSpinningAndKeepPriorityAfterwards() throws Exception {
        Channel ch = bus.createChannel("spin", small());
        try (Publisher p = ch.publisher(); Subscriber s = ch.subscribe(WaitStrategy.busySpin())) {
            List<String> got = new ArrayList<>();
            MessageHandler h = (t, b, o, l) -> got.add(text(b, o, l));
            assertTrue(p.offer(Lane.NORMAL, 2, bytes("normal-1")));
            assertEquals(1, s.receive(h, 10, TimeUnit.SECONDS.toNanos(5)));
            ExecutorService ex = Executors.newSingleThreadExecutor();
            try {
                // the subscriber spins over NORMAL only (the one lane used so far) when BULK gets its first message
                Future<Integer> r = ex.submit(() -> s.receive(h, 10, TimeUnit.SECONDS.toNanos(10)));
                Thread.sleep(20);
                assertTrue(p.offer(Lane.BULK, 3, bytes("bulk-1")));
                assertEquals(1, r.get(10, TimeUnit.SECONDS), "seen within the next full poll");
            } finally {
                ex.shutdownNow();
            }
            assertTrue(p.offer(Lane.BULK, 3, bytes("bulk-2")));
            assertTrue(p.offer(Lane.NORMAL, 2, bytes("normal-2")));
            assertEquals(2, s.receive(h, 10, TimeUnit.SECONDS.toNanos(5)), "both lanes read, in priority order");
            assertEquals(List.of("normal-1", "bulk-1", "normal-2", "bulk-2"), got);
            assertEquals(0b110, (int) Channel.INT.getVolatile(ch.segment(), ChannelDescriptor.LANES_USED_OFFSET));
        }
    }

    @Test
    void shouldKeepTimeoutsAndSeeMessagesWhileSpinningOnOneLaneWhateverTheSpinCount() throws Exception {
        // one lane in use: receive spins on it in a loop of its own between full polls (every
        // 1024 spins, where the deadline is checked); spin counts around those boundaries
        Channel ch = bus.createChannel("spins", small());
        List<WaitStrategy> strategies = new ArrayList<>();
        for (int spins : new int[] {0, 1, 5, 1022, 1023, 1024, 1025, 3000}) {
            strategies.add(WaitStrategy.spinThenYield(spins));
        }
        strategies.add(WaitStrategy.busySpin());
        try (Publisher p = ch.publisher()) {
            assertTrue(p.offer(Lane.NORMAL, 2, bytes("first")));
            ExecutorService ex = Executors.newSingleThreadExecutor();
            try {
                for (WaitStrategy w : strategies) {
                    try (Subscriber s = ch.subscribe(w)) {
                        List<String> got = new ArrayList<>();
                        MessageHandler h = (t, b, o, l) -> got.add(text(b, o, l));
                        s.receive(h, 10, 0); // "first", for the first subscriber only
                        long t0 = System.nanoTime();
                        assertEquals(0, s.receive(h, 10, TimeUnit.MILLISECONDS.toNanos(20)), w + ": nothing came");
                        long waited = System.nanoTime() - t0;
                        assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(20) && waited < TimeUnit.SECONDS.toNanos(5),
                                w + ": waited " + waited + " ns for a 20 ms timeout");
                        Future<Integer> r = ex.submit(() -> s.receive(h, 10, TimeUnit.SECONDS.toNanos(10)));
                        Thread.sleep(5);
                        assertTrue(p.offer(Lane.NORMAL, 2, bytes("m-" + w)));
                        assertEquals(1, r.get(10, TimeUnit.SECONDS), w.toString());
                        assertEquals("m-" + w, got.get(got.size() - 1));
                    }
                }
            } finally {
                ex.shutdownNow();
            }
        }
    }

    @Test
    void shouldRejectAnEmptyOrNullSetOfLanes() {
        Channel ch = bus.createChannel("none", small());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ch.subscribe(WaitStrategy.busySpin(), EnumSet.noneOf(Lane.class)));
        assertEquals("no lanes to read on channel none: pass at least one, e.g. EnumSet.of(Lane.NORMAL), or use"
                + " subscribe(strategy) for every lane", e.getMessage());
        assertThrows(NullPointerException.class, () -> ch.subscribe(WaitStrategy.busySpin(), null));
        try (Subscriber s = ch.subscribe(WaitStrategy.busySpin())) {
            assertEquals(EnumSet.allOf(Lane.class), s.lanes(), "the refused subscriptions took no slot");
        }
    }

    @Test
    void shouldWriteInPlaceThroughAClaim() {
        Channel ch = bus.createChannel("quotes", small());
        try (Publisher p = ch.publisher(); Subscriber s = ch.subscribe(WaitStrategy.busySpin())) {
            long off = p.tryClaim(Lane.NORMAL, 5, 8);
            p.buffer(Lane.NORMAL).set(ValueLayout.JAVA_LONG_UNALIGNED, off, 12345L);
            p.commit(Lane.NORMAL, off);
            long[] got = {0};
            assertEquals(1, s.poll((t, b, o, l) -> got[0] = b.get(ValueLayout.JAVA_LONG_UNALIGNED, o), 10));
            assertEquals(12345L, got[0]);
        }
    }

    @Test
    void shouldCreateOrOpenWithTheSameConfigAndRefuseADifferentOne() {
        Channel a = bus.channel("fills", small());
        try (MessageBus other = MessageBus.open(ns)) {
            Channel b = other.channel("fills", small());
            assertEquals(a.segmentName(), b.segmentName());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> other.channel("fills", small().withVariant(RingVariant.ONE_TO_ONE)));
            assertTrue(e.getMessage().startsWith("channel " + ns + ".fills exists as MANY_TO_ONE with lanes 4096/4096/4096 bytes, "
                    + "not as configured"), e.getMessage());
        }
        ShmException exists = assertThrows(ShmException.class, () -> bus.createChannel("fills", small()));
        assertEquals(Errno.EEXIST, exists.errno());
    }

    @Test
    void shouldAllowOneSubscriberAndOneOneToOnePublisherPerChannel() {
        Channel ch = bus.createChannel("one", small().withVariant(RingVariant.ONE_TO_ONE));
        Subscriber s = ch.subscribe(WaitStrategy.busySpin());
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> ch.subscribe(WaitStrategy.busySpin()));
        assertEquals("channel " + ns + ".one already has a subscriber in this process: close it first (one subscriber per channel)",
                twice.getMessage());
        s.close();
        ch.subscribe(WaitStrategy.busySpin()).close();

        Publisher p = ch.publisher();
        IllegalStateException pub = assertThrows(IllegalStateException.class, ch::publisher);
        assertTrue(pub.getMessage().contains("already has a publisher"), pub.getMessage());
        p.close();
        ch.publisher().close();

        Channel many = bus.createChannel("many", small());
        try (Publisher p1 = many.publisher(); Publisher p2 = many.publisher()) {
            assertTrue(p1.offer(Lane.NORMAL, 1, bytes("a")));
            assertTrue(p2.offer(Lane.NORMAL, 1, bytes("b")));
        }
    }

    @Test
    void shouldRejectBadNamesAndMissingOrForeignChannels() {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> bus.createChannel("a.b", small()));
        assertEquals("invalid channel name \"a.b\": use 1 or more of A-Z a-z 0-9 _ - (e.g. \"orders\")", name.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bus.openChannel(""));
        assertThrows(IllegalArgumentException.class, () -> MessageBus.open("trading"));
        ShmException missing = assertThrows(ShmException.class, () -> bus.openChannel("nope"));
        assertEquals(Errno.ENOENT, missing.errno());
        try (Arena a = Arena.ofConfined()) {
            SharedMemory.create(ns + ".foreign", 4096, a).set(ValueLayout.JAVA_LONG, 0, 42L);
        }
        RingFormatException foreign = assertThrows(RingFormatException.class, () -> bus.openChannel("foreign"));
        assertTrue(foreign.getMessage().startsWith("segment " + ns + ".foreign is not a nautilus bus channel: magic 0x000000000000002A"),
                foreign.getMessage());
        assertTrue(MessageBus.inspect(ns + ".foreign").isEmpty());
    }

    @Test
    void shouldRefuseAChannelWhoseCreatorNeverFinished() {
        try (Arena a = Arena.ofConfined()) {
            SharedMemory.create(ns + ".unfinished", 8192, a);
        }
        RingFormatException e = assertThrows(RingFormatException.class, () -> bus.openChannel("unfinished"));
        assertTrue(e.getMessage().startsWith("channel " + ns + ".unfinished was never finished by its creator"), e.getMessage());
    }

    @Test
    void shouldRejectOversizedMessagesNamingTheLaneLimit() {
        Channel ch = bus.createChannel("big", small());
        try (Publisher p = ch.publisher()) {
            assertEquals(512, ch.maxPayload(Lane.NORMAL));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.offer(Lane.NORMAL, 1, MemorySegment.ofArray(new byte[513])));
            assertTrue(e.getMessage().contains("payloads are 0 to 512 bytes"), e.getMessage());
        }
    }

    @Test
    void shouldTimeOutAnEmptyReceive() {
        Channel ch = bus.createChannel("quiet", small());
        try (Subscriber s = ch.subscribe(WaitStrategy.spinThenSleep(100, 10, Duration.ofMillis(20)))) {
            long t0 = System.nanoTime();
            assertEquals(0, s.receive((t, b, o, l) -> { }, 10, TimeUnit.MILLISECONDS.toNanos(100)));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms >= 95 && ms < 5000, ms + " ms");
            assertTrue(s.sleeps() > 0);
            assertEquals(0, s.receive((t, b, o, l) -> { }, 10, 0), "timeout 0 polls once");
        }
    }

    @Test
    void shouldWakeASleepingSubscriberWithOneSystemCall() throws Exception {
        Channel ch = bus.createChannel("wake", small());
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try (Subscriber s = ch.subscribe(WaitStrategy.spinThenSleep(0, 0, Duration.ofSeconds(30)));
             Publisher p = ch.publisher()) {
            Future<String> got = ex.submit(() -> {
                String[] m = {null};
                s.receive((t, b, o, l) -> m[0] = text(b, o, l), 1, TimeUnit.SECONDS.toNanos(30));
                return m[0];
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!ch.info().subscriberSleeping() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(ch.info().subscriberSleeping(), "the subscriber said it sleeps");
            assertTrue(p.offer(Lane.NORMAL, 1, bytes("wake up")));
            assertEquals("wake up", got.get(20, TimeUnit.SECONDS));
            assertEquals(1, p.wakeups(), "one wake system call");
            assertTrue(p.offer(Lane.NORMAL, 1, bytes("again")));
            assertEquals(1, p.wakeups(), "no system call while the subscriber is awake");
        } finally {
            ex.shutdownNow();
            assertTrue(ex.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldDeliverEveryMessageFromManyThreadsUnderTheSleepingStrategy() throws Exception {
        Channel ch = bus.createChannel("stress", small());
        int producers = 3;
        int each = 50_000;
        ExecutorService ex = Executors.newFixedThreadPool(producers);
        try (Subscriber s = ch.subscribe(WaitStrategy.spinThenSleep(50, 5, Duration.ofMillis(50)));
             Publisher p = ch.publisher()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int id = 0; id < producers; id++) {
                int pid = id;
                fs.add(ex.submit(() -> {
                    MemorySegment m = MemorySegment.ofArray(new long[2]);
                    for (long seq = 0; seq < each; seq++) {
                        m.set(ValueLayout.JAVA_LONG, 0, pid);
                        m.set(ValueLayout.JAVA_LONG, 8, seq);
                        Lane lane = seq % 10 == 0 ? Lane.CRITICAL : Lane.NORMAL;
                        while (!p.offer(lane, 1, m)) {
                            Thread.onSpinWait();
                        }
                        if (seq % 5000 == 0) {
                            Thread.sleep(2); // let the subscriber fall asleep now and then
                        }
                    }
                    return null;
                }));
            }
            long[][] seen = new long[producers][each];
            long[] total = {0};
            String[] error = {null};
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
            while (total[0] < (long) producers * each && System.nanoTime() < deadline) {
                s.receive((t, b, o, l) -> {
                    int id = (int) b.get(ValueLayout.JAVA_LONG_UNALIGNED, o);
                    long seq = b.get(ValueLayout.JAVA_LONG_UNALIGNED, o + 8);
                    if (seen[id][(int) seq]++ != 0 && error[0] == null) {
                        error[0] = "duplicate " + id + "/" + seq;
                    }
                    total[0]++;
                }, 256, TimeUnit.SECONDS.toNanos(1));
            }
            for (Future<?> f : fs) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertEquals(null, error[0]);
            assertEquals((long) producers * each, total[0], "every message arrived exactly once");
        } finally {
            ex.shutdownNow();
            assertTrue(ex.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldFindAndRemoveStaleChannelsOfDeadCreators() throws Exception {
        Channel live = bus.createChannel("live", small());
        Channel dead = bus.createChannel("dead", small());
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = SharedMemory.open(dead.segmentName(), a);
            s.set(ValueLayout.JAVA_LONG, ChannelDescriptor.CREATOR_PID_OFFSET, gone.pid());
            s.set(ValueLayout.JAVA_LONG, ChannelDescriptor.CHECKSUM_OFFSET, Channel.checksum(s));
        }
        List<String> stale = bus.staleChannels().stream().map(ChannelInfo::segmentName).toList();
        assertEquals(List.of(dead.segmentName()), stale);
        assertEquals(List.of(dead.segmentName()), bus.removeStaleChannels());
        assertTrue(SharedMemory.find(dead.segmentName()).isEmpty());
        assertTrue(SharedMemory.find(live.segmentName()).isPresent());
    }

    @Test
    void shouldDescribeAChannel() {
        Channel ch = bus.createChannel("info", small());
        try (Publisher p = ch.publisher(); Subscriber s = ch.subscribe(WaitStrategy.defaultSleeping())) {
            p.offer(Lane.BULK, 1, bytes("12345678"));
            ChannelInfo i = MessageBus.inspect(ch.segmentName()).orElseThrow();
            assertEquals(RingVariant.MANY_TO_ONE, i.variant());
            assertEquals(ProcessHandle.current().pid(), i.creatorPid());
            assertTrue(i.creatorAlive());
            assertEquals(ProcessHandle.current().pid(), i.subscriberPid());
            assertTrue(i.subscriberMaySleep());
            assertEquals(16, i.lanes().get(Lane.BULK.ordinal()).backlog());
            assertEquals(0, i.lanes().get(Lane.NORMAL.ordinal()).backlog());
            assertEquals(4096, i.lanes().get(Lane.CRITICAL.ordinal()).capacity());
        }
        assertEquals(0, ch.info().subscriberPid(), "closing releases the slot");
    }

    @Test
    void shouldThrowAfterTheBusIsClosedAndRemoveOnCloseChannels() {
        Channel ch = bus.createChannel("temp", small().withRemoveOnClose(true));
        Publisher p = ch.publisher();
        bus.close();
        assertThrows(IllegalStateException.class, () -> p.offer(Lane.NORMAL, 1, bytes("x")));
        assertThrows(IllegalStateException.class, () -> bus.createChannel("x", small()));
        assertTrue(SharedMemory.find(ns + ".temp").isEmpty(), "removed on close");
        p.close();
    }
}
