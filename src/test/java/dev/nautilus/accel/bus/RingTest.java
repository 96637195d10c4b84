package dev.nautilus.accel.bus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class RingTest {
    record Msg(int type, byte[] payload) {}

    static Ring create(RingVariant v, MemorySegment s) {
        return v == RingVariant.ONE_TO_ONE ? OneToOneRing.create(s) : ManyToOneRing.create(s);
    }

    static Ring attach(RingVariant v, MemorySegment s) {
        return v == RingVariant.ONE_TO_ONE ? OneToOneRing.attach(s) : ManyToOneRing.attach(s);
    }

    static MemorySegment heap(long capacity) {
        return MemorySegment.ofArray(new long[(int) (RingDescriptor.segmentSize(capacity) / 8)]);
    }

    static List<Msg> drain(Ring r) {
        List<Msg> out = new ArrayList<>();
        while (r.read((t, b, o, l) -> out.add(new Msg(t, b.asSlice(o, l).toArray(ValueLayout.JAVA_BYTE))), 100) > 0) {
            // keep reading: a read stops at the end of the data region
        }
        return out;
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    @ParameterizedTest
    @EnumSource(RingVariant.class)
    void shouldDeliverMessagesInOrderWithTypeAndPayload(RingVariant v) {
        Ring r = create(v, heap(4096));
        assertEquals(v, r.variant());
        for (int i = 0; i < 10; i++) {
            assertTrue(r.write(i + 1, MemorySegment.ofArray(bytes(i * 3, i))));
        }
        List<Msg> got = drain(r);
        assertEquals(10, got.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(i + 1, got.get(i).type());
            assertArrayEquals(bytes(i * 3, i), got.get(i).payload());
        }
        assertEquals(0, r.size());
        assertEquals(r.producerPosition(), r.consumerPosition());
    }

    @ParameterizedTest
    @EnumSource(RingVariant.class)
    void shouldWriteInPlaceThroughAClaimAndSkipAbortedClaims(RingVariant v) {
        Ring r = create(v, heap(4096));
        long a = r.tryClaim(7, 16);
        r.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, a, 0x0102030405060708L);
        r.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, a + 8, -1L);
        long b = r.tryClaim(8, 4);
        assertEquals(0, r.read((t, buf, o, l) -> { }, 10), "nothing is visible before commit");
        r.abort(b);
        r.commit(a);
        List<Msg> got = drain(r);
        assertEquals(1, got.size(), "the aborted claim is skipped");
        assertEquals(7, got.get(0).type());
        assertEquals(0x0102030405060708L, MemorySegment.ofArray(got.get(0).payload()).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
    }

    @ParameterizedTest
    @EnumSource(RingVariant.class)
    void shouldWrapAroundWithPaddingAndNeverSplitARecord(RingVariant v) {
        Ring r = create(v, heap(1024));
        int next = 0;
        int expect = 0;
        for (int round = 0; round < 200; round++) {
            int len = 1 + (round * 37) % 100;
            while (r.write(1 + next % 1000, MemorySegment.ofArray(bytes(len, next)))) {
                next++;
            }
            for (Msg m : drain(r)) {
                assertEquals(1 + expect % 1000, m.type());
                assertArrayEquals(bytes(m.payload().length, expect), m.payload());
                expect++;
            }
        }
        assertEquals(next, expect);
        assertTrue(next > 1000, "the ring wrapped many times: " + next);
    }

    @ParameterizedTest
    @EnumSource(RingVariant.class)
    void shouldReportFullWithoutOverwritingUnreadData(RingVariant v) {
        Ring r = create(v, heap(1024));
        int written = 0;
        while (r.tryClaim(1, 56) >= 0) {
            written++;
        }
        // claims above were never committed: commit them all via a fresh ring view to check no overwrite
        assertEquals(Ring.INSUFFICIENT_CAPACITY, r.tryClaim(1, 56));
        // a one-to-one producer keeps 8 bytes after its last record free (it zeroes them)
        int fits = v == RingVariant.ONE_TO_ONE ? 1024 / 64 - 1 : 1024 / 64;
        assertEquals(fits, written);
        assertEquals(fits * 64L, r.size());
        assertFalse(r.write(1, MemorySegment.ofArray(new byte[56])));
    }

    @ParameterizedTest
    @EnumSource(RingVariant.class)
    void shouldRejectOversizedMessagesAndBadTypesNamingTheLimit(RingVariant v) {
        Ring r = create(v, heap(4096));
        assertEquals(512, r.maxPayload());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> r.tryClaim(1, 513));
        assertEquals("invalid message length 513: payloads are 0 to 512 bytes in this ring (capacity 4096 / 8); "
                + "use a larger ring or split the message", big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.write(1, MemorySegment.ofArray(new byte[513])));
        assertThrows(IllegalArgumentException.class, () -> r.tryClaim(1, -1));
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> r.tryClaim(0, 8));
        assertEquals("invalid message type id 0: type ids must be >= 1", type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.tryClaim(-1, 8), "padding's type id is reserved");
        assertEquals(0, r.size(), "rejected input claims nothing");
        assertTrue(r.write(1, MemorySegment.ofArray(new byte[512])));
    }

    @ParameterizedTest
    @EnumSource(RingVariant.class)
    void shouldRefuseToCommitWhatWasNotClaimed(RingVariant v) {
        Ring r = create(v, heap(4096));
        long a = r.tryClaim(1, 8);
        r.commit(a);
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> r.commit(a));
        assertTrue(twice.getMessage().contains("is not a claimed, uncommitted message"), twice.getMessage());
        assertThrows(IllegalStateException.class, () -> r.abort(a));
        assertThrows(IllegalStateException.class, () -> r.commit(3));
        assertThrows(IllegalStateException.class, () -> r.commit(-8));
        assertThrows(IllegalStateException.class, () -> r.commit(1 << 20));
        assertEquals(1, drain(r).size());
    }

    @ParameterizedTest
    @EnumSource(RingVariant.class)
    void shouldConsumeUpToAndIncludingAMessageWhoseHandlerThrows(RingVariant v) {
        Ring r = create(v, heap(4096));
        for (int i = 1; i <= 3; i++) {
            r.write(i, MemorySegment.ofArray(new byte[4]));
        }
        List<Integer> seen = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> r.read((t, b, o, l) -> {
            seen.add(t);
            if (t == 2) {
                throw new IllegalStateException("boom");
            }
        }, 10));
        assertEquals(List.of(1, 2), seen);
        assertEquals(List.of(3), drain(r).stream().map(Msg::type).toList());
    }

    @ParameterizedTest
    @EnumSource(RingVariant.class)
    void shouldHandReadOnlyViews(RingVariant v) {
        Ring r = create(v, heap(4096));
        r.write(1, MemorySegment.ofArray(new byte[8]));
        r.read((t, b, o, l) -> {
            assertTrue(b.isReadOnly());
            assertThrows(IllegalArgumentException.class, () -> b.set(ValueLayout.JAVA_BYTE, o, (byte) 1));
        }, 1);
    }

    @ParameterizedTest
    @EnumSource(RingVariant.class)
    void shouldHonourTheReadLimit(RingVariant v) {
        Ring r = create(v, heap(4096));
        for (int i = 1; i <= 5; i++) {
            r.write(i, MemorySegment.ofArray(new byte[1]));
        }
        List<Integer> seen = new ArrayList<>();
        assertEquals(2, r.read((t, b, o, l) -> seen.add(t), 2));
        assertEquals(List.of(1, 2), seen);
        assertEquals(3, r.read((t, b, o, l) -> seen.add(t), 10));
    }

    @Test
    void shouldWorkOverSharedAndOffHeapMemoryAndUseTheLargestPowerOfTwo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(RingDescriptor.METADATA_LENGTH + 5000, 64);
            Ring r = OneToOneRing.create(s);
            assertEquals(4096, r.capacity(), "the data region is the largest power of two that fits");
            assertTrue(r.write(3, MemorySegment.ofArray(new byte[100])));
            Ring other = OneToOneRing.attach(s);
            assertEquals(4096, other.capacity());
            assertEquals(1, drain(other).size());
            assertEquals(ProcessHandle.current().pid(), other.creatorPid());
        }
    }

    @Test
    void shouldRejectUnusableSegmentsClearly() {
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> OneToOneRing.create(MemorySegment.ofArray(new long[100])));
        assertTrue(small.getMessage().startsWith("segment of 800 bytes is too small for a ring"), small.getMessage());
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
                () -> OneToOneRing.create(MemorySegment.ofArray(new byte[8192])));
        assertTrue(bytes.getMessage().contains("MemorySegment.ofArray(new long[n])"), bytes.getMessage());
        IllegalArgumentException ro = assertThrows(IllegalArgumentException.class,
                () -> OneToOneRing.create(heap(1024).asReadOnly()));
        assertTrue(ro.getMessage().contains("read-only"), ro.getMessage());
        IllegalArgumentException cap = assertThrows(IllegalArgumentException.class, () -> RingDescriptor.segmentSize(3000));
        assertEquals("invalid ring capacity 3000: it must be a power of two >= 1024 bytes (e.g. 65536)", cap.getMessage());
    }

    @Test
    void shouldRefuseToAttachToAnythingButAReadyRingOfTheSameKind() {
        MemorySegment s = heap(1024);
        RingFormatException empty = assertThrows(RingFormatException.class, () -> OneToOneRing.attach(s));
        assertTrue(empty.getMessage().startsWith("ring is not initialised yet"), empty.getMessage());

        OneToOneRing.create(s);
        RingFormatException variant = assertThrows(RingFormatException.class, () -> ManyToOneRing.attach(s));
        assertEquals("ring is ONE_TO_ONE, not MANY_TO_ONE: attach it with OneToOneRing.attach", variant.getMessage());

        mutate(s, seg -> seg.set(ValueLayout.JAVA_LONG, RingDescriptor.MAGIC_OFFSET, 0x1234L), m ->
                assertTrue(m.startsWith("not a nautilus ring: magic 0x0000000000001234"), m));
        mutate(s, seg -> seg.set(ValueLayout.JAVA_INT, RingDescriptor.VERSION_OFFSET, 99), m ->
                assertEquals("ring layout version 99, this nautilus-accel reads version 1: use the same nautilus-accel "
                        + "version in every process of the bus", m));
        mutate(s, seg -> seg.set(ValueLayout.JAVA_LONG, RingDescriptor.CAPACITY_OFFSET, 1L << 40), m ->
                assertTrue(m.startsWith("ring header is corrupt"), m));
        mutate(s, seg -> seg.set(ValueLayout.JAVA_LONG, RingDescriptor.CREATOR_PID_OFFSET, 1L), m ->
                assertTrue(m.startsWith("ring header is corrupt"), m));
    }

    private static void mutate(MemorySegment original, java.util.function.Consumer<MemorySegment> change,
                               java.util.function.Consumer<String> check) {
        MemorySegment copy = heap(1024).copyFrom(original);
        change.accept(copy);
        Function<MemorySegment, Ring> attach = OneToOneRing::attach;
        check.accept(assertThrows(RingFormatException.class, () -> attach.apply(copy)).getMessage());
    }

    /** The int at a payload offset's record header, as the consumer sees it. */
    private static int headerLength(Ring r, long payloadOffset) {
        return r.buffer().get(ValueLayout.JAVA_INT, payloadOffset - RingDescriptor.RECORD_HEADER_LENGTH);
    }

    @Test
    void oneToOneShouldWriteNothingTheConsumerReadsUntilCommit() {
        OneToOneRing r = OneToOneRing.create(heap(4096));
        long a = r.tryClaim(3, 24);
        assertEquals(0, headerLength(r, a), "an open claim's header stays zero");
        assertEquals(32, r.size(), "the claim holds its space (8 + 24 bytes)");
        r.buffer().set(ValueLayout.JAVA_LONG, a, 42L);
        r.commit(a);
        assertEquals(32, headerLength(r, a), "commit stores the record length");
        assertEquals(0, r.buffer().get(ValueLayout.JAVA_LONG, a + 24), "and zeroes the header slot after the record");
        List<Msg> got = drain(r);
        assertEquals(1, got.size());
        assertEquals(3, got.get(0).type());
        assertEquals(42L, MemorySegment.ofArray(got.get(0).payload()).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
    }

    /** Fills the data region with records that look committed, except the header slot at the tail. */
    private static void poisonFreeSpace(Ring r) {
        MemorySegment data = r.buffer();
        long tailIndex = r.producerPosition() & (r.capacity() - 1);
        for (long i = 0; i < r.capacity(); i += 8) {
            if (i != tailIndex) {
                data.set(ValueLayout.JAVA_INT, i, 16); // length 16: a committed record of 8 payload bytes
                data.set(ValueLayout.JAVA_INT, i + 4, 9);
            }
        }
    }

    @Test
    void oneToOneShouldZeroTheNextLineStartAheadWhenTheNextRecordWouldEndThere() {
        OneToOneRing r = OneToOneRing.create(heap(4096));
        poisonFreeSpace(r);
        assertTrue(r.write(3, MemorySegment.ofArray(new byte[56]))); // a 64-byte record at 0
        MemorySegment data = r.buffer();
        assertEquals(0L, data.get(ValueLayout.JAVA_LONG, 64), "the header slot after the record");
        assertEquals(0L, data.get(ValueLayout.JAVA_LONG, 128), "zeroed ahead: where a record of the same size would end");
        assertEquals(16, data.get(ValueLayout.JAVA_INT, 136), "nothing else is touched");
        assertEquals(16, data.get(ValueLayout.JAVA_INT, 192));
        assertTrue(r.write(4, MemorySegment.ofArray(new byte[24]))); // 32 bytes at 64: ends at 96, no line start
        assertEquals(0L, data.get(ValueLayout.JAVA_LONG, 96));
        assertEquals(16, data.get(ValueLayout.JAVA_INT, 160), "96 + 32 = 128 was zeroed already; 160 is not a line start");
        assertEquals(List.of(3, 4), drain(r).stream().map(Msg::type).toList(), "the poison after them is never read");
    }

    @Test
    void oneToOneProducerShouldNeverTrustBytesItDidNotZeroItself() {
        MemorySegment s = heap(1024);
        Ring consumer = OneToOneRing.create(s);
        java.util.Random random = new java.util.Random(7);
        int sent = 0;
        for (int round = 0; round < 6; round++) {
            // a new producer (a restarted process) over a data region full of stale, committed-looking records
            poisonFreeSpace(consumer);
            Ring producer = OneToOneRing.attach(s);
            List<Msg> expected = new ArrayList<>();
            List<Msg> got = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                byte[] payload = bytes(random.nextInt(produceMax(i)), sent);
                if (producer.write(1 + sent % 5, MemorySegment.ofArray(payload))) {
                    expected.add(new Msg(1 + sent % 5, payload));
                    sent++;
                }
                if (random.nextInt(3) == 0) {
                    got.addAll(drain(consumer));
                }
            }
            got.addAll(drain(consumer));
            assertEquals(expected.size(), got.size(), "round " + round);
            for (int i = 0; i < got.size(); i++) {
                assertEquals(expected.get(i).type(), got.get(i).type(), "round " + round + ", message " + i);
                assertArrayEquals(expected.get(i).payload(), got.get(i).payload(), "round " + round + ", message " + i);
            }
        }
        assertTrue(sent > 1500, "most messages fit: " + sent);
    }

    /** Small messages mostly, now and then one longer than the zero-ahead window (up to the 128-byte limit). */
    private static int produceMax(int i) {
        return i % 17 == 0 ? 129 : 64;
    }

    @Test
    void oneToOneShouldKeepSeveralOpenClaimsInClaimOrderWhateverTheCommitOrder() {
        OneToOneRing r = OneToOneRing.create(heap(4096));
        long a = r.tryClaim(1, 8);
        long b = r.tryClaim(2, 8);
        assertEquals(-16, headerLength(r, a), "a second claim writes the first one's header as claimed");
        assertEquals(-16, headerLength(r, b));
        long c = r.tryClaim(3, 8);
        r.commit(c);
        assertEquals(0, r.read((t, buf, o, l) -> { }, 10), "the first claim is still open: nothing to read");
        r.abort(b);
        r.commit(a);
        assertEquals(List.of(1, 3), drain(r).stream().map(Msg::type).toList(), "the aborted one is skipped");
        long d = r.tryClaim(4, 8);
        r.abort(d);
        assertEquals(List.of(), drain(r), "an aborted open claim is skipped too");
        assertTrue(r.write(5, MemorySegment.ofArray(new byte[8])));
        assertEquals(List.of(5), drain(r).stream().map(Msg::type).toList());
        assertEquals(r.producerPosition(), r.consumerPosition());
    }

    @Test
    void oneToOneShouldPublishAWrappedOpenClaimAfterItsPadding() {
        OneToOneRing r = OneToOneRing.create(heap(1024));
        // 20 records of 48 bytes: the producer is at 960, 64 bytes before the end
        for (int i = 0; i < 20; i++) {
            assertTrue(r.write(1, MemorySegment.ofArray(new byte[40])));
        }
        assertEquals(20, drain(r).size());
        long wrapped = r.tryClaim(7, 120); // 128 bytes do not fit in the 64 left: padding, then index 0
        assertEquals(8, wrapped);
        assertEquals(0, r.read((t, buf, o, l) -> { }, 10), "neither the padding nor the record is visible yet");
        assertEquals(0, r.buffer().get(ValueLayout.JAVA_INT, 960), "no padding header before commit");
        r.commit(wrapped);
        List<Msg> got = drain(r);
        assertEquals(1, got.size());
        assertEquals(7, got.get(0).type());
        assertEquals(120, got.get(0).payload().length);
    }

    @Test
    void oneToOneShouldRefuseToCommitAnotherInstancesOpenClaim() {
        MemorySegment s = heap(4096);
        OneToOneRing r = OneToOneRing.create(s);
        OneToOneRing other = OneToOneRing.attach(s);
        long a = r.tryClaim(1, 8);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.commit(a));
        assertTrue(e.getMessage().contains("is not a claimed, uncommitted message"), e.getMessage());
        r.commit(a);
        assertEquals(1, drain(other).size());
    }

    @Test
    void shouldUnblockARecordWhoseProducerNeverCommitted() {
        ManyToOneRing r = ManyToOneRing.create(heap(4096)).unblockTimeoutNanos(1);
        r.write(1, MemorySegment.ofArray(new byte[8]));
        r.tryClaim(2, 8); // never committed: its producer "died"
        r.write(3, MemorySegment.ofArray(new byte[8]));
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 1000 && seen.size() < 2; i++) {
            r.read((t, b, o, l) -> seen.add(t), 10);
        }
        assertEquals(List.of(1, 3), seen);
        assertEquals(1, r.unblockedCount());
    }

    @Test
    void shouldUnblockASlotWhoseProducerDiedBeforeWritingAHeader() {
        ManyToOneRing r = ManyToOneRing.create(heap(4096));
        MemorySegment seg = r.segment();
        // a producer won the compare-and-set for 32 bytes, then died before writing anything
        long tail = seg.get(ValueLayout.JAVA_LONG, RingDescriptor.TAIL_OFFSET);
        seg.set(ValueLayout.JAVA_LONG, RingDescriptor.TAIL_OFFSET, tail + 32);
        r.write(5, MemorySegment.ofArray(new byte[8]));
        assertEquals(0, r.read((t, b, o, l) -> { }, 10), "blocked behind the dead slot");
        assertTrue(r.unblock());
        List<Msg> got = drain(r);
        assertEquals(1, got.size());
        assertEquals(5, got.get(0).type());
        assertFalse(r.unblock(), "nothing left to unblock");
    }

    @Test
    void shouldNotUnblockBeforeTheTimeout() {
        ManyToOneRing r = ManyToOneRing.create(heap(4096));
        long claim = r.tryClaim(2, 8);
        r.write(3, MemorySegment.ofArray(new byte[8]));
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, r.read((t, b, o, l) -> { }, 10));
        }
        assertEquals(0, r.unblockedCount(), "a slow live producer within the timeout keeps its record");
        r.commit(claim);
        assertEquals(List.of(2, 3), drain(r).stream().map(Msg::type).toList());
    }
}
