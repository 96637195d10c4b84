package dev.nautilus.accel.dpdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link DpdkMessageTransport} between two engines over a memif pair in this process. */
@Timeout(60)
class DpdkTransportTest {
    private static Eal eal;
    private static Mempool pool;
    private static EthPort server;
    private static EthPort client;

    @BeforeAll
    static void setUp() throws InterruptedException {
        eal = TestEal.get();
        eal.registerCurrentThread();
        pool = Mempool.lookup(eal, "test-transport").orElseGet(() -> Mempool.create(eal, "test-transport", 8191));
        server = EthPort.byName(eal, "net_memif0");
        client = EthPort.byName(eal, "net_memif1");
        for (EthPort p : List.of(server, client)) {
            if (!p.isStarted()) {
                p.startSingleQueue(pool, 1024);
            }
        }
        assertTrue(server.awaitLinkUp(java.time.Duration.ofSeconds(10)) && client.awaitLinkUp(java.time.Duration.ofSeconds(10)),
                "the memif pair connected");
    }

    private DpdkMessageTransport a;
    private DpdkMessageTransport b;
    private int inUseBefore;

    @BeforeEach
    void open() {
        inUseBefore = pool.inUse();
        a = DpdkMessageTransport.open(server, pool, 1);
        b = DpdkMessageTransport.open(client, pool, 2);
    }

    @AfterEach
    void close() {
        drain(a);
        drain(b);
        a.close();
        b.close();
        assertEquals(inUseBefore, pool.inUse(), "no mbuf leaked");
    }

    private static void drain(DpdkMessageTransport t) {
        for (int i = 0; i < 100; i++) {
            t.poll((s, p, ty, buf, o, l) -> { });
        }
    }

    /** A message handed to the test handler. */
    record Msg(int source, int priority, int type, long value, int length) {}

    private static List<Msg> receiveAll(DpdkMessageTransport from, DpdkMessageTransport to, int expected) {
        List<Msg> got = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (got.size() < expected && System.nanoTime() < deadline) {
            from.flush();
            to.poll((source, priority, type, buf, off, len) -> got.add(new Msg(source, priority, type,
                    len >= 8 ? buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off) : -1, len)));
        }
        return got;
    }

    private static MemorySegment payload(long value, int length) {
        MemorySegment m = MemorySegment.ofArray(new byte[length]);
        if (length >= 8) {
            m.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value);
        }
        return m;
    }

    @Test
    void shouldDeliverEveryMessageInOrderWithSourceTypeAndPayload() {
        int n = 2000;
        int offered = 0;
        List<Msg> got = new ArrayList<>();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while ((offered < n || got.size() < n) && System.nanoTime() < deadline) {
            while (offered < n && a.offer(2, TransportFrame.PRIORITY_NORMAL, 5, payload(offered, 8 + offered % 200))) {
                offered++;
            }
            a.flush();
            b.poll((source, priority, type, buf, off, len) -> got.add(new Msg(source, priority, type,
                    buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off), len)));
        }
        assertEquals(n, got.size(), "every message arrived");
        for (int i = 0; i < n; i++) {
            assertEquals(new Msg(1, TransportFrame.PRIORITY_NORMAL, 5, i, 8 + i % 200), got.get(i));
        }
        assertEquals(0, b.sequences(TransportFrame.PRIORITY_NORMAL).lost(1));
        assertEquals(n, b.sequences(TransportFrame.PRIORITY_NORMAL).received(1));
        assertEquals(n, a.sent());
        assertEquals(0, a.pending());
    }

    @Test
    void shouldEchoPayloadsTakenFromReceivedFramesByteForByte() {
        // b offers back what it receives, its payload read from the pool's memory (the copy within
        // one segment, done through two slices below 64 bytes); every length from 0 to 100 bytes
        int n = 101;
        List<byte[]> back = new ArrayList<>();
        TransportHandler echo = (source, priority, type, buf, off, len) -> assertTrue(b.offer(source, priority, type, buf, off, len));
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (int len = 0; len < n && System.nanoTime() < deadline; len++) {
            byte[] sent = new byte[len];
            for (int k = 0; k < len; k++) {
                sent[k] = (byte) (len * 31 + k * 7 + 1);
            }
            assertTrue(a.offer(2, TransportFrame.PRIORITY_NORMAL, 3, MemorySegment.ofArray(sent)));
            a.flush();
            int before = back.size();
            while (back.size() == before && System.nanoTime() < deadline) {
                b.poll(echo);
                b.flush();
                a.poll((source, priority, type, buf, off, l) -> back.add(buf.asSlice(off, l).toArray(ValueLayout.JAVA_BYTE)));
            }
            assertArrayEquals(sent, back.get(before), "echo of " + len + " bytes");
        }
        assertEquals(n, back.size());
    }

    @Test
    void shouldReturnABurstsMbufsToThePoolAtTheNextPollOrAtClose() {
        for (int i = 0; i < 3; i++) {
            assertTrue(a.offer(2, TransportFrame.PRIORITY_NORMAL, 1, payload(i, 8)));
        }
        int[] got = {0};
        int[] inUseDuringHandler = {-1};
        long deadline = System.nanoTime() + 10_000_000_000L;
        int heldAfterPoll = -1;
        while (got[0] < 3 && System.nanoTime() < deadline) {
            a.flush();
            int before = pool.inUse();
            int n = b.poll((source, priority, type, buf, off, len) -> {
                got[0]++;
                inUseDuringHandler[0] = pool.inUse();
            });
            if (n > 0) {
                // the burst stays with the transport after poll returns: its n mbufs are still in use
                heldAfterPoll = pool.inUse() - before;
                assertTrue(heldAfterPoll >= n, "a burst of " + n + " still held after poll, not " + heldAfterPoll);
                int held = pool.inUse();
                assertEquals(0, b.poll((source, priority, type, buf, off, len) -> fail("nothing more was sent")));
                assertEquals(held - n, pool.inUse(), "the next poll freed the previous burst's " + n + " mbufs");
            }
        }
        assertEquals(3, got[0], "every message arrived");
        assertTrue(inUseDuringHandler[0] > 0);
        // a burst still held at close goes back to the pool too (the @AfterEach check counts every mbuf)
        assertTrue(a.offer(2, TransportFrame.PRIORITY_NORMAL, 1, payload(9, 8)));
        deadline = System.nanoTime() + 10_000_000_000L;
        int n = 0;
        while (n == 0 && System.nanoTime() < deadline) {
            a.flush();
            n = b.poll((source, priority, type, buf, off, len) -> { });
        }
        assertEquals(1, n);
        int held = pool.inUse();
        b.close();
        assertEquals(held - 1, pool.inUse(), "close freed the burst still held");
        assertThrows(IllegalStateException.class, () -> b.poll((source, priority, type, buf, off, len) -> { }));
        b = DpdkMessageTransport.open(client, pool, 2); // for @AfterEach
    }

    @Test
    void shouldSendAndDeliverCriticalFramesBeforeOthers() {
        assertTrue(a.offer(2, TransportFrame.PRIORITY_BULK, 3, payload(30, 8)));
        assertTrue(a.offer(2, TransportFrame.PRIORITY_NORMAL, 2, payload(20, 8)));
        assertTrue(a.offer(2, TransportFrame.PRIORITY_CRITICAL, 1, payload(10, 8)));
        List<Msg> got = receiveAll(a, b, 3);
        assertEquals(List.of(1, 2, 3), got.stream().map(Msg::type).toList(), "critical, normal, bulk");
    }

    @Test
    void shouldReportLostAndReorderedFramesAndDropDuplicates() {
        // frames written by hand, as a sender that lost and reordered some would send them
        try (PacketBatch out = PacketBatch.of(pool, 8)) {
            long[] sequences = {1, 2, 4, 5, 3, 5};
            assertTrue(out.allocate(sequences.length));
            for (int i = 0; i < sequences.length; i++) {
                int len = TransportFrame.write(out.memory(), out.offset(i), 0, 0xFFFF_FFFF_FFFFL, 9, 2,
                        TransportFrame.PRIORITY_NORMAL, 7, sequences[i], 8);
                out.memory().set(ValueLayout.JAVA_LONG_UNALIGNED, out.offset(i) + TransportFrame.HEADER_LENGTH, sequences[i]);
                out.setLength(i, Math.max(len, Packets.MIN_FRAME_LENGTH));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!out.isEmpty() && System.nanoTime() < deadline) {
                server.txQueue(0).send(out);
            }
        }
        List<Msg> got = receiveAll(a, b, 5);
        drain(b);
        assertEquals(List.of(1L, 2L, 4L, 5L, 3L), got.stream().map(Msg::value).toList(), "the duplicate 5 is not delivered");
        SequenceTracker s = b.sequences(TransportFrame.PRIORITY_NORMAL);
        assertEquals(0, s.lost(9), "3 was late, not lost");
        assertEquals(1, s.reordered(9));
        assertEquals(1, s.duplicates(9));
    }

    @Test
    void shouldDropFramesForOtherEnginesAndDeliverBroadcasts() {
        assertTrue(a.offer(3, TransportFrame.PRIORITY_NORMAL, 1, payload(1, 8))); // engine 3 is not b
        assertTrue(a.offer(TransportFrame.BROADCAST, TransportFrame.PRIORITY_NORMAL, 2, payload(2, 8)));
        assertTrue(a.offer(2, TransportFrame.PRIORITY_NORMAL, 3, payload(3, 8)));
        List<Msg> got = receiveAll(a, b, 2);
        assertEquals(List.of(2, 3), got.stream().map(Msg::type).toList());
        drain(b);
        assertEquals(1, b.dropped());
    }

    @Test
    void shouldRejectBadInputNamingTheLimits() {
        assertEquals("invalid engine id 65535: engines are 0 to 65534 (65535 is broadcast)",
                assertThrows(IllegalArgumentException.class, () -> DpdkMessageTransport.open(server, pool, 65535)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DpdkMessageTransport.open(server, pool, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> a.offer(2, 3, 1, payload(1, 8)));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> a.offer(2, 0, 1, MemorySegment.ofArray(new byte[TransportFrame.MAX_PAYLOAD + 1])));
        assertTrue(big.getMessage().contains("a frame carries at most " + TransportFrame.MAX_PAYLOAD), big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.offer(2, 0, 0, payload(1, 8)), "type ids are >= 1");
        // each bad argument's own message, the first in the order offer checks them
        MemorySegment p8 = payload(1, 8);
        assertEquals("invalid priority 3: 0 critical, 1 normal, 2 bulk",
                assertThrows(IllegalArgumentException.class, () -> a.offer(-1, 3, 0, p8, 0, 8)).getMessage());
        assertEquals("payload range of 8 bytes at 1 is not inside the source segment of 8 bytes",
                assertThrows(IndexOutOfBoundsException.class, () -> a.offer(-1, 0, 0, p8, 1, 8)).getMessage());
        assertEquals("payload range of -1 bytes at 0 is not inside the source segment of 8 bytes",
                assertThrows(IndexOutOfBoundsException.class, () -> a.offer(2, 0, 1, p8, 0, -1)).getMessage());
        MemorySegment tooLong = MemorySegment.ofArray(new byte[TransportFrame.MAX_PAYLOAD + 1]);
        assertEquals("payload of " + (TransportFrame.MAX_PAYLOAD + 1) + " bytes is too long: a frame carries at most "
                + TransportFrame.MAX_PAYLOAD + " bytes (split the message)",
                assertThrows(IllegalArgumentException.class, () -> a.offer(-1, 0, 0, tooLong)).getMessage());
        assertEquals("invalid destination engine -1: 0 to 65535 (broadcast)",
                assertThrows(IllegalArgumentException.class, () -> a.offer(-1, 0, 0, p8)).getMessage());
        assertEquals("invalid destination engine 65536: 0 to 65535 (broadcast)",
                assertThrows(IllegalArgumentException.class, () -> a.offer(65536, 0, 1, p8)).getMessage());
        assertEquals("invalid message type id 0: type ids must be >= 1",
                assertThrows(IllegalArgumentException.class, () -> a.offer(2, 0, 0, p8)).getMessage());
        assertEquals(0, a.pending(), "rejected messages queue nothing");
        try (Mempool other = Mempool.create(eal, "test-tr-other", 255, 0, Mempool.DEFAULT_DATA_ROOM)) {
            IllegalArgumentException pool2 = assertThrows(IllegalArgumentException.class,
                    () -> DpdkMessageTransport.open(server, other, 1));
            assertTrue(pool2.getMessage().contains("give the transport the receive queue's pool"), pool2.getMessage());
        }
        DpdkMessageTransport c = DpdkMessageTransport.open(server, pool, 4);
        c.close();
        assertThrows(IllegalStateException.class, () -> c.offer(2, 0, 1, payload(1, 8)));
        assertThrows(IllegalStateException.class, () -> c.poll((s, p, t, buf, o, l) -> { }));
    }

    /** Sums what it receives; one instance, so polling allocates no handler. */
    private static final class Summing implements TransportHandler {
        long sum;
        long count;

        @Override
        public void onMessage(int source, int priority, int type, MemorySegment buffer, long offset, int length) {
            sum += buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
            count++;
        }
    }

    @Test
    void shouldNotAllocatePerMessage() {
        MemorySegment payload = java.lang.foreign.Arena.ofAuto().allocate(32, 8);
        Summing handler = new Summing();
        dev.nautilus.accel.testutil.Allocations.assertNoAllocation("offer, flush, poll", () -> {
            for (int i = 0; i < 5_000; i++) {
                payload.set(ValueLayout.JAVA_LONG, 0, i);
                while (!a.offer(2, i % 3, 1, payload)) {
                    a.flush();
                    b.poll(handler);
                }
                if ((i & 15) == 15) {
                    a.flush();
                    b.poll(handler);
                }
            }
            while (a.pending() > 0) {
                a.flush();
            }
            for (int k = 0; k < 200; k++) {
                b.poll(handler);
            }
            return handler.sum + handler.count;
        });
        assertEquals(0, b.lost(), "none lost");
    }

    @Test
    void shouldHoldFramesWhenABatchIsFullUntilFlushed() {
        int queued = 0;
        while (a.offer(2, TransportFrame.PRIORITY_BULK, 1, payload(queued, 8))) {
            queued++;
        }
        assertEquals(32, queued, "one burst per priority");
        assertFalse(a.offer(2, TransportFrame.PRIORITY_BULK, 1, payload(99, 8)));
        assertTrue(a.offer(2, TransportFrame.PRIORITY_CRITICAL, 1, payload(100, 8)), "other priorities have their own batch");
        assertEquals(33, receiveAll(a, b, 33).size());
    }

    @Test
    void shouldKeepWhatThePortDidNotTakeQueuedInOrder() {
        // b does not poll while c sends, so the memif ring fills up; bursts of 25 do not divide its
        // size, so one flush gets part of a burst taken and the rest must stay queued, in order
        try (DpdkMessageTransport c = DpdkMessageTransport.open(server, pool, 3, 25)) {
            int offered = 0;
            int taken = -1;
            int queued = 0;
            for (int round = 0; round < 1000 && taken < 0; round++) {
                while (c.offer(2, TransportFrame.PRIORITY_NORMAL, 1, payload(offered, 8))) {
                    offered++;
                }
                int before = c.pending();
                int sent = c.flush();
                if (sent > 0 && sent < before) {
                    taken = sent;
                    queued = c.pending();
                }
            }
            assertTrue(taken > 0, "a flush sent part of a burst");
            assertEquals(25 - taken, queued, "the rest stayed queued");
            List<Msg> got = receiveAll(c, b, offered);
            assertEquals(offered, got.size(), "every frame arrived");
            for (int i = 0; i < offered; i++) {
                assertEquals(i, got.get(i).value(), "in order, once each");
            }
            assertEquals(0, c.pending());
            assertEquals(0, b.lost());
            assertEquals(offered, c.sent());
        }
    }

    @Test
    void shouldWaitInCForAFrameWhenPollingWithSpins() {
        Summing handler = new Summing();
        // nothing sent: the longest wait returns 0, having waited in C (about 10 ns a try), not for long
        long t0 = System.nanoTime();
        assertEquals(0, b.poll(handler, DpdkMessageTransport.MAX_POLL_SPINS));
        assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "a bounded wait");
        // a frame on its way: a waiting poll returns it as soon as it is in
        assertTrue(a.offer(2, TransportFrame.PRIORITY_NORMAL, 1, payload(42, 8)));
        assertEquals(1, a.flush());
        int got = 0;
        for (int i = 0; i < 10_000 && got == 0; i++) {
            got = b.poll(handler, 256);
        }
        assertEquals(1, got);
        assertEquals(42, handler.sum);
        assertEquals(1, b.received());
        // spins out of range: refused, naming the limit, and nothing received or freed
        assertEquals("invalid spins -1: 0 to " + DpdkMessageTransport.MAX_POLL_SPINS
                        + " further receive attempts (each about 10 ns on memif; call poll again to wait longer)",
                assertThrows(IllegalArgumentException.class, () -> b.poll(handler, -1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.poll(handler, DpdkMessageTransport.MAX_POLL_SPINS + 1));
        assertEquals(1, b.received());
        DpdkMessageTransport c = DpdkMessageTransport.open(client, pool, 5);
        c.close();
        assertThrows(IllegalStateException.class, () -> c.poll(handler, 10), "closed");
    }

    @Test
    void shouldWorkInBurstsOfOne() {
        try (DpdkMessageTransport c = DpdkMessageTransport.open(server, pool, 3, 1)) {
            for (int i = 0; i < 100; i++) {
                assertTrue(c.offer(2, TransportFrame.PRIORITY_NORMAL, 1, payload(i, 8)));
                assertFalse(c.offer(2, TransportFrame.PRIORITY_NORMAL, 1, payload(-1, 8)), "a queue of one is full");
                List<Msg> got = receiveAll(c, b, 1);
                assertEquals(1, got.size());
                assertEquals(i, got.get(0).value());
                assertEquals(0, c.poll((s, p, t, buf, o, l) -> { }, 0), "nothing for engine 3; its stock of one refilled");
            }
            assertEquals(100, c.sent());
        }
    }
}
