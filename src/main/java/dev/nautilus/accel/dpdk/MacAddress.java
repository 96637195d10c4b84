package dev.nautilus.accel.dpdk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * An Ethernet (IEEE 802) MAC address: an immutable value holding the 48 bits in the low bits
 * of a {@code long}, first byte on the wire in bits 47..40. Written as six lower-case
 * two-digit hex bytes separated by colons, e.g. {@code 02:00:00:00:00:01}.
 *
 * <p>For hot paths, {@link #readBits} and {@link #writeBits} move the 48 bits between a segment
 * and a {@code long} without creating an object; {@link #read} creates one. Instances are
 * thread-safe.
 */
public final class MacAddress {
    /** Bytes in a MAC address. */
    public static final int LENGTH = 6;
    /** The broadcast address {@code ff:ff:ff:ff:ff:ff}. */
    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);

    private static final long MASK = 0xFFFF_FFFF_FFFFL;
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String FORM = "six two-digit hex bytes separated by ':' (e.g. \"02:00:00:00:00:01\")";

    private final long bits;

    private MacAddress(long bits) {
        this.bits = bits;
    }

    /**
     * @param bits the address in the low 48 bits, first byte on the wire in bits 47..40
     * @return the address
     * @throws IllegalArgumentException when bits above the 48th are set
     */
    public static MacAddress of(long bits) {
        checkBits(bits);
        return new MacAddress(bits);
    }

    /**
     * @param bytes the six bytes in wire order
     * @return the address
     * @throws IllegalArgumentException when the array is null or not 6 bytes long
     */
    public static MacAddress of(byte[] bytes) {
        if (bytes == null) {
            throw new IllegalArgumentException("MAC address bytes are null: pass an array of 6 bytes");
        }
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a MAC address is 6 bytes, got an array of " + bytes.length
                    + ": pass exactly 6 bytes in wire order");
        }
        long b = 0;
        for (byte x : bytes) {
            b = (b << 8) | (x & 0xFF);
        }
        return new MacAddress(b);
    }

    /**
     * Parses the colon form: exactly six two-digit hex bytes (either case) separated by
     * {@code ':'}, nothing before or after. No dashes, dots or single digits.
     *
     * @param text e.g. {@code "02:00:00:00:00:01"}
     * @return the address
     * @throws IllegalArgumentException saying what is wrong with the text and what the form is
     */
    public static MacAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("MAC address is null: pass " + FORM);
        }
        if (text.length() != 17) {
            throw new IllegalArgumentException("invalid MAC address \"" + printable(text) + "\": " + text.length()
                    + " characters, expected 17: " + FORM);
        }
        long b = 0;
        for (int i = 0; i < 17; i++) {
            char c = text.charAt(i);
            if (i % 3 == 2) {
                if (c != ':') {
                    throw new IllegalArgumentException("invalid MAC address \"" + printable(text) + "\": "
                            + describe(c) + " at index " + i + " where ':' belongs: expected " + FORM);
                }
                continue;
            }
            int d = hexDigit(c);
            if (d < 0) {
                throw new IllegalArgumentException("invalid MAC address \"" + printable(text) + "\": "
                        + describe(c) + " at index " + i + " is not a hex digit (0-9, a-f, A-F): expected " + FORM);
            }
            b = (b << 4) | d;
        }
        return new MacAddress(b);
    }

    /**
     * Reads six bytes as an address; creates an object (use {@link #readBits} on hot paths).
     *
     * @param segment the bytes
     * @param offset first byte
     * @return the address
     * @throws IndexOutOfBoundsException when the six bytes are not inside the segment
     */
    public static MacAddress read(MemorySegment segment, long offset) {
        return new MacAddress(readBits(segment, offset));
    }

    /**
     * Reads six bytes as 48 bits, first byte in bits 47..40. Does not allocate.
     *
     * @param segment the bytes
     * @param offset first byte, any alignment
     * @return the address bits
     * @throws IndexOutOfBoundsException when the six bytes are not inside the segment
     */
    public static long readBits(MemorySegment segment, long offset) {
        long high = segment.get(INT_BE, offset) & 0xFFFF_FFFFL;
        return (high << 16) | (segment.get(SHORT_BE, offset + 4) & 0xFFFF);
    }

    /**
     * Writes 48 address bits as six bytes, bits 47..40 first. Does not allocate.
     *
     * @param segment the destination, writable
     * @param offset first byte, any alignment
     * @param bits the address bits
     * @throws IllegalArgumentException when bits above the 48th are set
     * @throws IndexOutOfBoundsException when the six bytes are not inside the segment
     */
    public static void writeBits(MemorySegment segment, long offset, long bits) {
        checkBits(bits);
        segment.set(INT_BE, offset, (int) (bits >>> 16));
        segment.set(SHORT_BE, offset + 4, (short) bits);
    }

    /**
     * Writes this address as six bytes. Does not allocate.
     *
     * @param segment the destination, writable
     * @param offset first byte, any alignment
     * @throws IndexOutOfBoundsException when the six bytes are not inside the segment
     */
    public void write(MemorySegment segment, long offset) {
        writeBits(segment, offset, bits);
    }

    /** @return the address in the low 48 bits of a long, first byte in bits 47..40 */
    public long toLong() {
        return bits;
    }

    /** @return a new array of the six bytes in wire order */
    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            b[i] = (byte) (bits >>> (40 - 8 * i));
        }
        return b;
    }

    /** @return true for a group address: the lowest bit of the first byte (I/G) is 1; broadcast is one */
    public boolean isMulticast() {
        return ((bits >>> 40) & 1) != 0;
    }

    /** @return true when this is {@code ff:ff:ff:ff:ff:ff} */
    public boolean isBroadcast() {
        return bits == MASK;
    }

    /** @return true when the second-lowest bit of the first byte (U/L) is 1, as in {@code 02:...} */
    public boolean isLocallyAdministered() {
        return ((bits >>> 40) & 2) != 0;
    }

    /** @return true for another MacAddress with the same 48 bits */
    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress m && m.bits == bits;
    }

    /** @return a hash of the 48 bits */
    @Override
    public int hashCode() {
        return Long.hashCode(bits);
    }

    /** @return the lower-case colon form, e.g. {@code 02:00:00:00:00:01}, which {@link #parse} reads back */
    @Override
    public String toString() {
        char[] c = new char[17];
        for (int i = 0; i < LENGTH; i++) {
            int b = (int) (bits >>> (40 - 8 * i)) & 0xFF;
            c[3 * i] = HEX[b >>> 4];
            c[3 * i + 1] = HEX[b & 0xF];
            if (i < LENGTH - 1) {
                c[3 * i + 2] = ':';
            }
        }
        return new String(c);
    }

    static void checkBits(long bits) {
        if ((bits & ~MASK) != 0) {
            throw new IllegalArgumentException("invalid MAC address bits 0x" + Long.toHexString(bits)
                    + ": a MAC address has 48 bits, 0 to 0xffffffffffff");
        }
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String describe(char c) {
        if (c < 0x20 || c > 0x7e) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return s.length() > 40 ? sb + "..." : sb.toString();
    }
}
