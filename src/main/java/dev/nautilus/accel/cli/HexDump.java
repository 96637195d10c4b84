package dev.nautilus.accel.cli;

import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The classic hex and ASCII dump ({@code hexdump -C} layout): 16 bytes a line, the offset in
 * eight hex digits, two groups of eight bytes, then the printable ASCII characters between bars
 * ({@code .} for the rest).
 *
 * <pre>
 * 00000000  48 65 6c 6c 6f 00 00 00  00 00 00 00 00 00 00 00  |Hello...........|
 * </pre>
 *
 * Every line is printed, repeated ones included. Thread-safe.
 */
final class HexDump {
    /** Bytes shown on one line. */
    static final int BYTES_PER_LINE = 16;

    private HexDump() {}

    /**
     * Prints {@code length} bytes of {@code segment} starting at {@code offset}; offsets on the
     * left are positions in the segment.
     *
     * @param segment the memory to read (reads only)
     * @param offset first byte, 0 &lt;= offset &lt;= byteSize
     * @param length bytes to print, offset + length &lt;= byteSize
     * @param out where to print
     */
    static void print(MemorySegment segment, long offset, long length, PrintWriter out) {
        long end = offset + length;
        for (long line = offset; line < end; line += BYTES_PER_LINE) {
            int n = (int) Math.min(BYTES_PER_LINE, end - line);
            byte[] bytes = new byte[n];
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, line, bytes, 0, n);
            out.println(line(line, bytes));
        }
    }

    /**
     * @param address the offset shown at the left
     * @param bytes 1 to 16 bytes
     * @return one dump line, the hex column padded so the ASCII column always starts at the same place
     */
    static String line(long address, byte[] bytes) {
        StringBuilder sb = new StringBuilder(80);
        sb.append(String.format("%08x", address)).append("  ");
        for (int i = 0; i < BYTES_PER_LINE; i++) {
            if (i == 8) {
                sb.append(' ');
            }
            if (i < bytes.length) {
                int b = bytes[i] & 0xff;
                sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16)).append(' ');
            } else {
                sb.append("   ");
            }
        }
        sb.append(" |");
        for (byte value : bytes) {
            int b = value & 0xff;
            sb.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        sb.append('|');
        return sb.toString();
    }
}
