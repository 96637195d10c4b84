package dev.nautilus.accel.dpdk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum of RFC 1071 (IPv4, UDP, TCP, ICMP), over bytes in a
 * {@link MemorySegment}, and the incremental update of RFC 1624.
 *
 * <p>Terms used here:
 * <ul>
 *   <li>a <em>sum</em> is the one's complement sum of the range's 16-bit big-endian words (a last
 *       odd byte is the high byte of a word whose low byte is zero), folded to 16 bits,
 *       0 to 0xFFFF, not complemented. Sums of adjacent ranges combine with
 *       {@code fold(a + b)}, as long as every range but the last has an even length;</li>
 *   <li>a <em>checksum</em> is the complement of a sum, the value a header's checksum field
 *       holds: {@code ~sum & 0xFFFF}.</li>
 * </ul>
 * A range with a correct checksum field inside it sums to 0xFFFF.
 *
 * <p>The range is read eight bytes at a time as big-endian longs whose two 32-bit halves are
 * added into 64-bit accumulators (2^32 is 1 modulo 0xFFFF, so each half stands for its two
 * 16-bit words); the carries are folded once at the end (and once per GiB for larger ranges). Any offset and length work: the
 * reads use unaligned layouts. Nothing allocates and nothing locks; all methods are static,
 * stateless and safe to call from any thread (on ranges no other thread is writing).
 */
public final class Checksums {
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long LOW_32 = 0xFFFF_FFFFL;
    /** Bytes summed between folds of the accumulator: far below the 2^30 longs that could overflow it. */
    private static final long CHUNK = 1L << 30;

    private Checksums() {}

    /**
     * The one's complement sum of a range (see the class comment), not complemented.
     *
     * @param segment the bytes, on or off the heap
     * @param offset first byte, any alignment
     * @param length bytes to sum, 0 or more; an odd last byte is padded with a zero byte
     * @return the sum folded to 16 bits, 0 to 0xFFFF (0 only when every byte is zero)
     * @throws IndexOutOfBoundsException when the range is not inside the segment
     */
    public static int sum(MemorySegment segment, long offset, long length) {
        checkRange(segment, offset, length);
        long acc = 0;
        long position = offset;
        long left = length;
        while (left > CHUNK) {
            acc = fold32(acc + sumLongs(segment, position, CHUNK));
            position += CHUNK;
            left -= CHUNK;
        }
        long whole = left & ~7L;
        acc += sumLongs(segment, position, whole);
        position += whole;
        left -= whole;
        if (left >= 4) {
            acc += segment.get(INT_BE, position) & LOW_32;
            position += 4;
            left -= 4;
        }
        if (left >= 2) {
            acc += segment.get(SHORT_BE, position) & 0xFFFF;
            position += 2;
            left -= 2;
        }
        if (left == 1) {
            acc += (segment.get(ValueLayout.JAVA_BYTE, position) & 0xFF) << 8;
        }
        return fold(acc);
    }

    /**
     * The Internet checksum of a range: {@code ~sum(segment, offset, length) & 0xFFFF}. For a
     * header whose checksum field lies inside the range, zero the field first, or sum around it
     * and complement {@code fold(sumBefore + sumAfter)}.
     *
     * @param segment the bytes, on or off the heap
     * @param offset first byte, any alignment
     * @param length bytes, 0 or more
     * @return the checksum, 0 to 0xFFFF
     * @throws IndexOutOfBoundsException when the range is not inside the segment
     */
    public static int checksum(MemorySegment segment, long offset, long length) {
        return ~sum(segment, offset, length) & 0xFFFF;
    }

    /**
     * Folds a 64-bit accumulator of 16-bit words (or of sums) to 16 bits with end-around carry.
     * The accumulator is read as unsigned, so any 64-bit value works.
     *
     * @param sum an accumulator, e.g. {@code sumA + sumB + 0x0011}
     * @return the folded sum, 0 to 0xFFFF; 0 only when {@code sum} is 0
     */
    public static int fold(long sum) {
        long s = (sum >>> 32) + (sum & LOW_32);
        s = (s >>> 16) + (s & 0xFFFF);
        s = (s >>> 16) + (s & 0xFFFF);
        s = (s >>> 16) + (s & 0xFFFF);
        return (int) s;
    }

    /**
     * The new checksum after one 16-bit word covered by it changed, without reading the rest
     * (RFC 1624, equation 3: {@code HC' = ~(~HC + ~m + m')}). For a 32-bit field (an IPv4
     * address), apply it to each half in turn.
     *
     * <p>The result equals a full recomputation for any data that is not all zero, which every
     * IPv4 header is. For UDP, where a checksum field of 0 means "none": leave such a field as it
     * is, and store a result of 0 as 0xFFFF.
     *
     * @param checksum the checksum field before the change, 0 to 0xFFFF
     * @param oldWord the word's old value, 0 to 0xFFFF
     * @param newWord the word's new value, 0 to 0xFFFF
     * @return the checksum field after the change, 0 to 0xFFFF
     * @throws IllegalArgumentException when an argument is not a 16-bit value
     */
    public static int update(int checksum, int oldWord, int newWord) {
        if (((checksum | oldWord | newWord) & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("invalid checksum update (checksum " + checksum + ", old word " + oldWord
                    + ", new word " + newWord + "): each must be a 16-bit value, 0 to 65535");
        }
        return ~fold((~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + newWord) & 0xFFFF;
    }

    /**
     * @throws IndexOutOfBoundsException naming the range and the segment's size
     */
    static void checkRange(MemorySegment segment, long offset, long length) {
        if (offset < 0 || length < 0 || offset > segment.byteSize() - length) {
            throw new IndexOutOfBoundsException("range of " + length + " bytes at offset " + offset
                    + " is not inside the segment of " + segment.byteSize()
                    + " bytes: pass a non-negative offset and length with offset + length <= segment.byteSize()");
        }
    }

    /** Folds an accumulator to below 2^33 without changing it modulo 0xFFFF. */
    private static long fold32(long sum) {
        return (sum >>> 32) + (sum & LOW_32);
    }

    /** Sums the halves of the big-endian longs in [position, position + bytes), bytes a multiple of 8. */
    private static long sumLongs(MemorySegment segment, long position, long bytes) {
        long a = 0;
        long b = 0;
        long end = position + bytes;
        long p = position;
        for (; p <= end - 16; p += 16) {
            long w0 = segment.get(LONG_BE, p);
            long w1 = segment.get(LONG_BE, p + 8);
            a += (w0 >>> 32) + (w0 & LOW_32);
            b += (w1 >>> 32) + (w1 & LOW_32);
        }
        if (p < end) {
            long w = segment.get(LONG_BE, p);
            a += (w >>> 32) + (w & LOW_32);
        }
        return a + b;
    }
}
