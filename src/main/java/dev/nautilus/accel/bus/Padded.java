package dev.nautilus.accel.bus;

/**
 * Arrays for state that one thread writes often while another thread reads the fields of the
 * same object: the used elements sit at least 128 bytes (two cache lines, for the adjacent-line
 * prefetcher) from both ends of the array, so writing them never invalidates a line holding
 * another object's fields.
 */
final class Padded {
    /** Index of the first usable element. */
    static final int FIRST = 16;

    private Padded() {}

    /**
     * @param count usable elements, at indices {@link #FIRST} to {@code FIRST + count - 1}
     * @return a zeroed array with 128 bytes of padding on both sides of them
     */
    static long[] longs(int count) {
        return new long[FIRST + count + FIRST];
    }
}
