package dev.nautilus.accel.dpdk;

/**
 * Allocated, unused mbufs of one pool, handed out one at a time without a call into DPDK (the
 * message transport's {@code offer} takes one per message). A {@link PacketBatch} owns them
 * (closing frees the rest); their pointer, data offset and room are mirrored in Java arrays when
 * allocated, so that taking one reads no native memory. One thread at a time.
 */
final class MbufStock implements AutoCloseable {
    private final PacketBatch batch;
    private final long[] mbufs;
    private final long[] offsets;
    private final int[] rooms;

    MbufStock(Mempool pool, int capacity) {
        this.batch = PacketBatch.of(pool, capacity);
        this.mbufs = new long[capacity];
        this.offsets = new long[capacity];
        this.rooms = new int[capacity];
    }

    int size() {
        return batch.size();
    }

    int capacity() {
        return batch.capacity();
    }

    boolean isEmpty() {
        return batch.isEmpty();
    }

    /**
     * Allocates {@code n} more, all or none.
     *
     * @return false when the pool has fewer free mbufs
     */
    boolean refill(int n) {
        int from = batch.size();
        if (!batch.allocate(n)) {
            return false;
        }
        for (int i = from, end = from + n; i < end; i++) {
            mbufs[i] = batch.mbuf(i);
            offsets[i] = batch.offset(i);
            rooms[i] = batch.room(i);
        }
        return true;
    }

    /** @return the data offset, in the pool's memory, of the mbuf {@link #moveLastTo} hands out next (not empty) */
    long lastOffset() {
        return offsets[batch.size() - 1];
    }

    /** Appends the last mbuf to {@code to} (same pool, not full) with the given length (at most its room). */
    void moveLastTo(PacketBatch to, int length) {
        int i = batch.size() - 1;
        to.append(mbufs[i], offsets[i], rooms[i], length);
        batch.dropLast();
    }

    /** Frees the mbufs left. Idempotent. */
    @Override
    public void close() {
        batch.close();
    }
}
