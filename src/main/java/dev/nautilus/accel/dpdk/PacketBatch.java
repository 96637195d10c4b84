package dev.nautilus.accel.dpdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A reusable burst of packets: up to {@link #capacity()} mbufs of one {@link Mempool}, with each
 * packet's data offset and length, filled by {@link RxQueue#receive} or {@link #allocate} and
 * emptied by {@link TxQueue#send} or {@link #free}. Nothing is allocated per burst or per packet.
 *
 * <p><b>Zero copy.</b> Packet {@code i}'s data is {@code memory().asSlice(offset(i), length(i))}
 * — but read and write it directly through {@link #memory()} at {@link #offset(int)}, which
 * makes no slice object: {@code batch.memory().get(JAVA_INT_UNALIGNED, batch.offset(i) + 26)}.
 * {@link #memory()} covers the whole pool, so bounds are checked against the pool, not the
 * packet: stay within {@code length(i)} (reading) or {@code room(i)} (writing).
 *
 * <p><b>Ownership.</b> The mbufs in a batch belong to it until sent or freed; {@link #close()}
 * frees any left, so no mbuf leaks. One thread at a time.
 */
public final class PacketBatch implements AutoCloseable {
    /** Largest capacity (DPDK bursts count in 16 bits). */
    public static final int MAX_CAPACITY = 4096;
    private static final ValueLayout.OfLong ADDR = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt LEN = ValueLayout.JAVA_INT_UNALIGNED;

    private final Mempool pool;
    private final int capacity;
    private final Arena arena = Arena.ofShared();
    // The arrays the burst downcalls fill, as views without a session: a downcall acquires and
    // releases the session of every segment argument (two atomic operations each for a shared
    // arena), which would cost more than the call. Every use checks first that the batch is open.
    // The four lie one after the other in `arrays`, through which Java reads and writes them: one
    // segment, so that C2 checks its type and session once per method instead of once per array.
    final MemorySegment mbufs;
    final MemorySegment addrs;
    final MemorySegment lens;
    final MemorySegment rooms;
    private final MemorySegment arrays;
    private final long addrsAt; // byte offsets in `arrays`; mbufs at 0
    private final long lensAt;
    private final long roomsAt;
    private final MemorySegment memory;
    private final long base;
    private int size;
    private boolean closed;

    private PacketBatch(Mempool pool, int capacity) {
        this.pool = pool;
        this.capacity = capacity;
        this.addrsAt = 8L * capacity;
        this.lensAt = 16L * capacity;
        this.roomsAt = 20L * capacity;
        this.arrays = unscoped(arena.allocate(24L * capacity, 8));
        this.mbufs = arrays.asSlice(0, 8L * capacity);
        this.addrs = arrays.asSlice(addrsAt, 8L * capacity);
        this.lens = arrays.asSlice(lensAt, 4L * capacity);
        this.rooms = arrays.asSlice(roomsAt, 4L * capacity);
        this.memory = pool.memory();
        this.base = memory.address();
    }

    private static MemorySegment unscoped(MemorySegment s) {
        return MemorySegment.ofAddress(s.address()).reinterpret(s.byteSize());
    }

    /**
     * @param pool the pool its packets come from (receive queues must use the same pool)
     * @param capacity the most packets, 1 to {@link #MAX_CAPACITY} (32 is DPDK's usual burst)
     * @return an empty batch
     */
    public static PacketBatch of(Mempool pool, int capacity) {
        Objects.requireNonNull(pool, "pool is null");
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("invalid batch capacity " + capacity + ": it must be 1 to " + MAX_CAPACITY
                    + " (32 is DPDK's usual burst)");
        }
        return new PacketBatch(pool, capacity);
    }

    /** @return the pool its packets come from */
    public Mempool pool() {
        return pool;
    }

    /** @return the most packets it holds */
    public int capacity() {
        return capacity;
    }

    /** @return packets in it now */
    public int size() {
        return size;
    }

    /** @return true when it holds no packet */
    public boolean isEmpty() {
        return size == 0;
    }

    /** @return the pool's memory, in which {@link #offset} points */
    public MemorySegment memory() {
        return memory;
    }

    /**
     * @param i packet index, 0 to size - 1
     * @return where packet {@code i}'s data starts in {@link #memory()}
     */
    public long offset(int i) {
        checkIndex(i);
        return arrays.get(ADDR, addrsAt + 8L * i) - base;
    }

    /**
     * @param i packet index
     * @return packet {@code i}'s data length in bytes
     */
    public int length(int i) {
        checkIndex(i);
        return arrays.get(LEN, lensAt + 4L * i);
    }

    /**
     * @param i packet index
     * @return bytes writable from {@link #offset(int)} (for packets from {@link #allocate}; a
     *     received packet's room is its length)
     */
    public int room(int i) {
        checkIndex(i);
        return arrays.get(LEN, roomsAt + 4L * i);
    }

    /**
     * Sets packet {@code i}'s length (before sending it).
     *
     * @param i packet index
     * @param length bytes, 0 to {@link #room(int)}
     */
    public void setLength(int i, int length) {
        checkIndex(i);
        int room = arrays.get(LEN, roomsAt + 4L * i);
        if (length < 0 || length > room) {
            throw new IllegalArgumentException("invalid length " + length + " for packet " + i + ": it must be 0 to its room "
                    + room + " bytes");
        }
        arrays.set(LEN, lensAt + 4L * i, length);
    }

    /**
     * Sets every packet's length (before sending them).
     *
     * @param length bytes, 0 to each packet's room
     */
    public void setLengths(int length) {
        for (int i = 0; i < size; i++) {
            setLength(i, length);
        }
    }

    /**
     * Takes {@code n} fresh mbufs from the pool, all or none, and appends them (length 0, room as
     * the data room allows).
     *
     * @param n packets to add, 1 to {@code capacity() - size()}
     * @return true when added, false when the pool has fewer than {@code n} free mbufs
     */
    public boolean allocate(int n) {
        checkOpen();
        if (n < 1 || n > capacity - size) {
            throw new IllegalArgumentException("cannot allocate " + n + " packets: the batch holds " + size + " of "
                    + capacity + "; allocate 1 to " + (capacity - size));
        }
        int r;
        try {
            r = (int) Dpdk.Hot.ALLOC_BULK.invokeExact(pool.handle(), slice(mbufs, 8), slice(addrs, 8), slice(rooms, 4), n);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (r < 0) {
            return false;
        }
        for (int i = size, end = size + n; i < end; i++) {
            arrays.set(LEN, lensAt + 4L * i, 0);
        }
        size += n;
        return true;
    }

    /** Frees every packet back to its pool; the batch is then empty. */
    public void free() {
        checkOpen();
        if (size > 0) {
            try {
                Dpdk.Hot.FREE_BULK.invokeExact(mbufs, size);
            } catch (Throwable e) {
                throw rethrow(e);
            }
            size = 0;
        }
    }

    /** A view of an array's free part (from index size): the array itself when the batch is empty, else a new slice. */
    MemorySegment slice(MemorySegment array, int elementSize) {
        return size == 0 ? array : array.asSlice((long) size * elementSize);
    }

    /** Receive path: {@code n} packets were written at index {@code from} (= size); their room is their length. */
    void receivedAt(int from, int n) {
        for (int i = from, end = from + n; i < end; i++) {
            arrays.set(LEN, roomsAt + 4L * i, arrays.get(LEN, lensAt + 4L * i));
        }
        size += n;
    }

    /** Send path: the first {@code sent} packets left; move the rest to the front. */
    void removeFirst(int sent) {
        int rest = size - sent;
        if (rest > 0 && sent > 0) {
            MemorySegment.copy(mbufs, (long) sent * 8, mbufs, 0, (long) rest * 8);
            MemorySegment.copy(addrs, (long) sent * 8, addrs, 0, (long) rest * 8);
            MemorySegment.copy(lens, (long) sent * 4, lens, 0, (long) rest * 4);
            MemorySegment.copy(rooms, (long) sent * 4, rooms, 0, (long) rest * 4);
        }
        size = rest;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("packet batch is closed");
        }
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) { // size is 0 once closed
            throw new IndexOutOfBoundsException("packet " + i + " of a batch holding " + size);
        }
    }

    static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e);
    }

    /** Frees the packets it still holds and its arrays. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            if (size > 0 && pool.isOpen()) {
                free();
            }
            closed = true;
            size = 0;
            arena.close();
        }
    }
}
