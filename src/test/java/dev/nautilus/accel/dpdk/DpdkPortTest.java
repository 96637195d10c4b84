package dev.nautilus.accel.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Ports, queues, bursts and their bad inputs on net_ring vdevs (tx loops back to rx). */
@Timeout(60)
class DpdkPortTest {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static Eal eal;
    private static Mempool pool;
    private static EthPort loop;
    private static RxQueue rx;
    private static TxQueue tx;

    @BeforeAll
    static void setUp() {
        eal = TestEal.get();
        eal.registerCurrentThread();
        pool = Mempool.lookup(eal, "test-loop").orElseGet(() -> Mempool.create(eal, "test-loop", 4095));
        loop = EthPort.byName(eal, "net_ring0");
        if (!loop.isStarted()) {
            loop.configure(1, 1);
            rx = loop.setupRxQueue(0, 1024, pool);
            tx = loop.setupTxQueue(0, 1024);
            loop.start();
        } else {
            rx = loop.rxQueue(0);
            tx = loop.txQueue(0);
        }
    }

    private int inUseBefore;

    @BeforeEach
    void countBefore() {
        inUseBefore = pool.inUse();
    }

    @AfterEach
    void noMbufLeaked() {
        assertEquals(inUseBefore, pool.inUse(), "every mbuf a test took went back to the pool");
    }

    @Test
    void shouldListTheVdevPortsWithTheirDriver() {
        List<EthPort> ports = EthPort.list(eal);
        assertTrue(ports.size() >= 2, ports.toString()); // net_ring2 is closed by another test
        assertEquals("net_ring0", ports.get(0).name());
        PortInfo info = EthPort.byName(eal, "net_ring1").info();
        assertEquals("net_ring", info.driver());
        assertEquals("net_ring1", info.name());
        assertTrue(info.maxRxQueues() >= 1 && info.maxTxQueues() >= 1, info.toString());
        assertSame(loop, EthPort.of(eal, loop.id()), "one object per port");
        assertTrue(loop.info().started());
        assertEquals(1, loop.info().rxQueues());
    }

    @Test
    void shouldLoopEveryPacketBackWithItsPayloadIntact() {
        int bursts = 200;
        int sent = 0;
        int received = 0;
        long expectSeq = 0;
        try (PacketBatch out = PacketBatch.of(pool, 32); PacketBatch in = PacketBatch.of(pool, 32)) {
            MemorySegment mem = out.memory();
            for (int b = 0; b < bursts; b++) {
                assertTrue(out.allocate(32));
                for (int i = 0; i < 32; i++) {
                    long seq = (long) b * 32 + i;
                    int len = 16 + (int) (seq % 49) * 8; // 16..400 bytes
                    long at = out.offset(i);
                    mem.set(LONG, at, seq);
                    for (int k = 8; k < len - 8; k += 8) {
                        mem.set(LONG, at + k, seq * 31 + k);
                    }
                    mem.set(LONG, at + len - 8, checksum(mem, at, len - 8));
                    out.setLength(i, len);
                }
                while (!out.isEmpty()) {
                    sent += tx.send(out);
                }
                int got;
                while ((got = rx.receive(in)) > 0 || received < sent) {
                    for (int i = 0; i < in.size(); i++) {
                        long at = in.offset(i);
                        int len = in.length(i);
                        assertEquals(expectSeq, in.memory().get(LONG, at), "packets arrive in order");
                        assertEquals(16 + (int) (expectSeq % 49) * 8, len);
                        assertEquals(checksum(in.memory(), at, len - 8), in.memory().get(LONG, at + len - 8),
                                "payload of packet " + expectSeq);
                        expectSeq++;
                    }
                    received += in.size();
                    in.free();
                    if (got == 0 && received >= sent) {
                        break;
                    }
                }
            }
        }
        assertEquals(bursts * 32, sent);
        assertEquals(sent, received);
        PortStats s = loop.stats();
        assertTrue(s.txPackets() >= sent && s.rxPackets() >= received, s.toString());
    }

    private static long checksum(MemorySegment m, long at, int len) {
        long h = 0x9E3779B97F4A7C15L;
        for (int k = 0; k < len; k += 8) {
            h = (h ^ m.get(LONG, at + k)) * 0xBF58476D1CE4E5B9L;
        }
        return h;
    }

    @Test
    void shouldKeepWhatTheTransmitRingDidNotTakeAndLeakNothing() {
        EthPort p = EthPort.byName(eal, "net_ring1");
        if (!p.isStarted()) {
            p.configure(1, 1);
            p.setupRxQueue(0, 64, pool);
            p.setupTxQueue(0, 64);
            p.start();
        }
        TxQueue t = p.txQueue(0);
        RxQueue r = p.rxQueue(0);
        int sent = 0;
        boolean partial = false;
        try (PacketBatch out = PacketBatch.of(pool, 64); PacketBatch in = PacketBatch.of(pool, 64)) {
            for (int round = 0; round < 1000 && !partial; round++) { // nobody receives: the ring fills
                assertTrue(out.allocate(64 - out.size()) || out.size() == 64);
                out.setLengths(60);
                int before = out.size();
                int n = t.send(out);
                sent += n;
                if (n < before) {
                    partial = true;
                    assertEquals(before - n, out.size(), "the packets not taken stay in the batch");
                }
            }
            assertTrue(partial, "the transmit ring filled up after " + sent + " packets");
            out.free();
            int received = 0;
            while (r.receive(in) > 0) {
                received += in.size();
                in.free();
            }
            assertEquals(sent, received, "every packet the port took came out of the other end");
        }
    }

    @Test
    void shouldRejectBadPortsQueuesAndDescriptorsNamingTheLimits() {
        IllegalArgumentException noPort = assertThrows(IllegalArgumentException.class, () -> EthPort.of(eal, 99));
        assertTrue(noPort.getMessage().startsWith("port id 99 is out of range: the ports are [0, 1"), noPort.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EthPort.of(eal, -1));
        IllegalArgumentException noName = assertThrows(IllegalArgumentException.class, () -> EthPort.byName(eal, "net_ring9"));
        assertTrue(noName.getMessage().contains("no port named \"net_ring9\""), noName.getMessage());

        EthPort p = EthPort.byName(eal, "net_ring2");
        PortInfo info = p.info();
        IllegalArgumentException queues = assertThrows(IllegalArgumentException.class, () -> p.configure(info.maxRxQueues() + 1, 1));
        assertEquals("port " + p.id() + " (net_ring) does not accept " + (info.maxRxQueues() + 1)
                + " receive and 1 transmit queues: it allows 1 to " + info.maxRxQueues() + " and 1 to " + info.maxTxQueues(),
                queues.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.configure(0, 1));
        IllegalStateException notConfigured = assertThrows(IllegalStateException.class, () -> p.setupTxQueue(0, 64));
        assertTrue(notConfigured.getMessage().contains("is not configured"), notConfigured.getMessage());
        IllegalArgumentException offload = assertThrows(IllegalArgumentException.class,
                () -> p.configure(1, 1, 0, ~info.txOffloadCapabilities() & EthPort.TX_OFFLOAD_UDP_CKSUM | 1L << 40));
        assertTrue(offload.getMessage().contains("does not offer the offloads"), offload.getMessage());
        p.configure(1, 1);
        IllegalArgumentException desc = assertThrows(IllegalArgumentException.class, () -> p.setupRxQueue(0, 0, pool));
        assertTrue(desc.getMessage().startsWith("receive descriptor count 0 is not accepted by driver net_ring: it takes"),
                desc.getMessage());
        IllegalArgumentException queue = assertThrows(IllegalArgumentException.class, () -> p.setupTxQueue(1, 64));
        assertEquals("invalid transmit queue 1 on port " + p.id() + ": it was configured with 1 (queues 0 to 0)", queue.getMessage());
        IllegalStateException notSetUp = assertThrows(IllegalStateException.class, p::start);
        assertTrue(notSetUp.getMessage().contains("is not set up"), notSetUp.getMessage());
        RxQueue r = p.setupRxQueue(0, 64, pool);
        p.setupTxQueue(0, 64);
        try (PacketBatch b = PacketBatch.of(pool, 8)) {
            IllegalStateException notStarted = assertThrows(IllegalStateException.class, () -> r.receive(b));
            assertTrue(notStarted.getMessage().contains("is not started"), notStarted.getMessage());
        }
        p.start();
        assertThrows(IllegalStateException.class, () -> p.configure(1, 1), "no configure while started");
        p.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, p::info);
        assertEquals("port " + p.id() + " (net_ring2) is closed", closed.getMessage());
        try (PacketBatch b = PacketBatch.of(pool, 8)) {
            assertThrows(IllegalStateException.class, () -> r.receive(b), "use after close throws");
        }
        p.close(); // idempotent
    }

    @Test
    void shouldRefuseBatchesOfAnotherPoolAndBadLengths() {
        try (Mempool other = Mempool.create(eal, "test-other", 255, 0, Mempool.DEFAULT_DATA_ROOM);
             PacketBatch b = PacketBatch.of(other, 4)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rx.receive(b));
            assertTrue(e.getMessage().contains("whose packets come from mempool \"test-loop\""), e.getMessage());
            assertTrue(b.allocate(4));
            assertEquals(other.dataRoom() - other.headroom(), b.room(0));
            IllegalArgumentException len = assertThrows(IllegalArgumentException.class, () -> b.setLength(0, 100_000));
            assertTrue(len.getMessage().startsWith("invalid length 100000 for packet 0: it must be 0 to its room"), len.getMessage());
            assertThrows(IllegalArgumentException.class, () -> b.allocate(1), "the batch is full");
            assertThrows(IndexOutOfBoundsException.class, () -> b.offset(4));
            assertEquals(4, other.inUse());
            IllegalStateException busy = assertThrows(IllegalStateException.class, other::close);
            assertTrue(busy.getMessage().contains("still has 4 mbufs in use"), busy.getMessage());
            b.free();
            assertEquals(0, other.inUse());
        }
    }

    @Test
    void shouldRejectBadMempoolsAndRefuseUseAfterClose() {
        assertThrows(IllegalArgumentException.class, () -> Mempool.create(eal, "bad name", 255));
        assertThrows(IllegalArgumentException.class, () -> Mempool.create(eal, "x", 0));
        IllegalArgumentException cache = assertThrows(IllegalArgumentException.class,
                () -> Mempool.create(eal, "x", 255, 600, Mempool.DEFAULT_DATA_ROOM));
        assertTrue(cache.getMessage().startsWith("invalid mempool cache 600 for 255 mbufs"), cache.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Mempool.create(eal, "x", 255, 0, 64));
        DpdkException dup = assertThrows(DpdkException.class, () -> Mempool.create(eal, "test-loop", 255));
        assertEquals("EEXIST", dup.errnoName());
        assertTrue(dup.getMessage().contains("choose another name"), dup.getMessage());

        Mempool m = Mempool.create(eal, "test-closed", 255, 0, Mempool.DEFAULT_DATA_ROOM);
        MemorySegment mem = m.memory();
        assertTrue(mem.byteSize() > 255L * Mempool.DEFAULT_DATA_ROOM, "the segment covers the pool: " + mem.byteSize());
        m.close();
        assertThrows(IllegalStateException.class, () -> mem.get(LONG, 0), "the pool's memory is gone with it");
        assertThrows(IllegalStateException.class, m::inUse);
        assertThrows(IllegalStateException.class, () -> PacketBatch.of(m, 4));
        assertFalse(m.isOpen());
        m.close(); // idempotent
        assertTrue(Mempool.lookup(eal, "test-closed").isEmpty(), "freed in DPDK too");
    }

    @Test
    void shouldReturnTheRunningEalForEqualOptionsAndRefuseOthers() {
        assertSame(eal, Eal.init(TestEal.OPTIONS));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Eal.init(EalOptions.virtualDevices("net_null0")));
        assertTrue(e.getMessage().startsWith("EAL is already initialised in this process with ["), e.getMessage());
        assertTrue(e.getMessage().contains("EAL runs once per process"), e.getMessage());
        assertTrue(eal.registerCurrentThread() >= 0);
        assertEquals(eal.registerCurrentThread(), eal.currentLcore());
        assertTrue(eal.lcoreCount() >= 1);
        assertTrue(Dpdk.version().startsWith("DPDK "), Dpdk.version());
    }

    @Test
    void shouldSwitchPromiscuousModeOrSayTheDriverCannot() {
        try {
            loop.promiscuous(true);
            assertTrue(loop.info().promiscuous());
            loop.promiscuous(false);
            assertFalse(loop.info().promiscuous());
        } catch (DpdkException e) {
            assertTrue(e.getMessage().startsWith("rte_eth_promiscuous_enable(port 0) failed: "), e.getMessage());
        }
    }

    @Test
    void shouldRefuseChecksumOffloadThePortWasNotConfiguredWith() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> tx.checksumOffload(TxQueue.TX_IPV4 | TxQueue.TX_IP_CHECKSUM | TxQueue.TX_UDP_CHECKSUM, 14, 20));
        assertTrue(e.getMessage().contains("was not configured with the tx offloads these flags need"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tx.checksumOffload(64, 14, 20), "unknown flag bits");
        assertThrows(IllegalArgumentException.class, () -> tx.checksumOffload(0, 200, 20), "l2 length out of range");
        tx.checksumOffload(0, 14, 20); // no offload: always accepted
    }

    @Test
    void shouldNotAllocatePerBurst() {
        try (PacketBatch out = PacketBatch.of(pool, 32); PacketBatch in = PacketBatch.of(pool, 32)) {
            MemorySegment mem = out.memory();
            dev.nautilus.accel.testutil.Allocations.assertNoAllocation("allocate, write, send, receive, read, free", () -> {
                long sink = 0;
                for (int burst = 0; burst < 2_000; burst++) {
                    if (out.allocate(32)) {
                        for (int i = 0; i < 32; i++) {
                            mem.set(LONG, out.offset(i), burst);
                        }
                        out.setLengths(64);
                        tx.send(out);
                        out.free(); // whatever the port did not take
                    }
                    rx.receive(in);
                    for (int i = 0; i < in.size(); i++) {
                        sink += in.memory().get(LONG, in.offset(i)) + in.length(i);
                    }
                    in.free();
                }
                return sink;
            });
        }
    }

    @Test
    void shouldReportExtendedStatistics() {
        Map<String, Long> x = loop.xstats();
        assertTrue(x.containsKey("rx_good_packets"), x.keySet().toString());
        loop.resetStats();
        assertEquals(0, loop.stats().txPackets());
    }
}
