package dev.nautilus.accel.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class ChecksumsTest {
    static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    /** Where a test's bytes live. */
    enum Memory {
        HEAP, OFF_HEAP;

        MemorySegment allocate(long size) {
            return this == HEAP ? MemorySegment.ofArray(new byte[(int) size]) : Arena.ofAuto().allocate(size, 64);
        }
    }

    /**
     * The slow, obviously correct RFC 1071 sum: bytes taken two at a time as big-endian 16-bit
     * words (an odd last byte padded with zero), added in an int with the carries folded at the end.
     */
    static int referenceSum(byte[] data) {
        long s = 0;
        for (int i = 0; i < data.length; i += 2) {
            int high = data[i] & 0xFF;
            int low = i + 1 < data.length ? data[i + 1] & 0xFF : 0;
            s += (high << 8) | low;
        }
        while (s > 0xFFFF) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    /** Copies bytes into a fresh segment of the given kind at the given offset. */
    static MemorySegment place(Memory memory, byte[] bytes, int offset) {
        MemorySegment s = memory.allocate(offset + bytes.length + 8);
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, offset, bytes.length);
        return s;
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void shouldSumTheRfc1071ExampleAtAnyOffset(Memory memory) {
        byte[] example = hex("00 01 f2 03 f4 f5 f6 f7");
        for (int offset = 0; offset < 9; offset++) {
            MemorySegment s = place(memory, example, offset);
            assertEquals(0xddf2, Checksums.sum(s, offset, 8), "RFC 1071 section 3: the sum is ddf2");
            assertEquals(0x220d, Checksums.checksum(s, offset, 8), "and the checksum its complement");
        }
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void shouldMatchTheByteByByteReferenceForEveryLengthAndAlignment(Memory memory) {
        Random random = new Random(1071);
        for (int length = 0; length <= 300; length++) {
            for (int offset = 0; offset < 16; offset++) {
                byte[] data = new byte[length];
                random.nextBytes(data);
                if (length % 3 == 0) {
                    Arrays.fill(data, (byte) 0xFF); // carries in every word
                }
                MemorySegment s = place(memory, data, offset);
                assertEquals(referenceSum(data), Checksums.sum(s, offset, length), "length " + length + " offset " + offset);
                assertEquals(~referenceSum(data) & 0xFFFF, Checksums.checksum(s, offset, length));
            }
        }
    }

    @Test
    void shouldFoldTheCarriesOfALargeRange() {
        byte[] ones = new byte[(1 << 20) + 7];
        Arrays.fill(ones, (byte) 0xFF);
        MemorySegment s = MemorySegment.ofArray(ones);
        assertEquals(0xFFFF, Checksums.sum(s, 0, ones.length - 1), "0xFFFF words: a non-zero zero");
        assertEquals(0xFF00, Checksums.sum(s, 0, ones.length), "plus the odd last byte as 0xFF00");
        assertEquals(0xFF00, Checksums.sum(s, 1, ones.length - 2));
        byte[] data = new byte[(1 << 16) + 3];
        new Random(7).nextBytes(data);
        assertEquals(referenceSum(data), Checksums.sum(MemorySegment.ofArray(data), 0, data.length));
    }

    @Test
    void shouldFoldAnySixtyFourBitAccumulator() {
        assertEquals(0, Checksums.fold(0));
        assertEquals(0xFFFF, Checksums.fold(0xFFFF));
        assertEquals(1, Checksums.fold(0x10000));
        assertEquals(0xFFFF, Checksums.fold(0x1FFFE));
        assertEquals(0xFFFF, Checksums.fold(-1L), "read as unsigned: 2^64 - 1 is 0 modulo 0xFFFF, a non-zero 0");
        assertEquals(0x0002, Checksums.fold(0x1_0000_0001L));
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            long v = random.nextLong() >>> random.nextInt(64);
            int f = Checksums.fold(v);
            assertEquals(Long.remainderUnsigned(v, 0xFFFF), f % 0xFFFF, "fold keeps the value modulo 0xFFFF: " + v);
            assertEquals(v == 0, f == 0);
        }
    }

    @Test
    void shouldCombineTheSumsOfAdjacentRanges() {
        byte[] data = new byte[101];
        new Random(11).nextBytes(data);
        MemorySegment s = MemorySegment.ofArray(data);
        for (int split = 0; split <= 100; split += 2) {
            assertEquals(Checksums.sum(s, 0, 101), Checksums.fold(Checksums.sum(s, 0, split) + Checksums.sum(s, split, 101 - split)));
        }
    }

    @Test
    void shouldReturnZeroOnlyForZeroBytes() {
        assertEquals(0, Checksums.sum(MemorySegment.ofArray(new byte[33]), 0, 33));
        assertEquals(0, Checksums.sum(MemorySegment.ofArray(new byte[0]), 0, 0));
        assertEquals(0xFFFF, Checksums.checksum(MemorySegment.ofArray(new byte[4]), 0, 4));
    }

    @Test
    void shouldSumAReadOnlySegment() {
        MemorySegment s = MemorySegment.ofArray(hex("00 01 f2 03 f4 f5 f6 f7")).asReadOnly();
        assertEquals(0xddf2, Checksums.sum(s, 0, 8));
    }

    @Test
    void shouldUpdateAChecksumLikeTheRfc1624Example() {
        // RFC 1624 section 4: HC 0xDD2F, m 0x5555 -> m' 0x3285 gives HC' 0x0000 (equation 3)
        assertEquals(0x0000, Checksums.update(0xDD2F, 0x5555, 0x3285));
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void shouldUpdateIncrementallyExactlyLikeRecomputation(Memory memory) {
        Random random = new Random(1624);
        MemorySegment s = memory.allocate(40);
        for (int i = 0; i < 20_000; i++) {
            Ipv4Header.write(s, 3, 20 + random.nextInt(1480), random.nextInt(0x10000), random.nextInt(256),
                    random.nextInt(256), random.nextInt(), random.nextInt());
            int word = 1 + random.nextInt(9); // not word 0: computeChecksum needs the IHL
            if (word == 5) {
                continue; // the checksum field itself
            }
            long at = 3 + 2L * word;
            int old = Short.toUnsignedInt(s.get(SHORT_BE, at));
            int replacement = switch (i % 4) {
                case 0 -> 0;
                case 1 -> 0xFFFF;
                default -> random.nextInt(0x10000);
            };
            int updated = Checksums.update(Ipv4Header.checksum(s, 3), old, replacement);
            s.set(SHORT_BE, at, (short) replacement);
            assertEquals(Ipv4Header.computeChecksum(s, 3), updated, "word " + word + ": " + old + " -> " + replacement);
        }
    }

    @Test
    void shouldRejectAnUpdateWithValuesWiderThanSixteenBits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checksums.update(0x1_0000, 1, 2));
        assertEquals("invalid checksum update (checksum 65536, old word 1, new word 2): each must be a 16-bit value, 0 to 65535",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checksums.update(0, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> Checksums.update(0, 1, 0x10000));
    }

    @Test
    void shouldRejectARangeOutsideTheSegmentNamingIt() {
        MemorySegment s = MemorySegment.ofArray(new byte[16]);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> Checksums.sum(s, 10, 7));
        assertEquals("range of 7 bytes at offset 10 is not inside the segment of 16 bytes: pass a non-negative offset "
                + "and length with offset + length <= segment.byteSize()", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Checksums.sum(s, -1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> Checksums.sum(s, 0, -2));
        assertThrows(IndexOutOfBoundsException.class, () -> Checksums.checksum(s, 1, Long.MAX_VALUE));
        assertEquals(0, Checksums.sum(s, 16, 0), "an empty range at the end is inside");
    }
}
