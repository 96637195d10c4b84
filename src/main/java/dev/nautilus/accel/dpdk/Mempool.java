package dev.nautilus.accel.dpdk;

import dev.nautilus.accel.bindings.dpdk.na_dpdk_h;
import dev.nautilus.accel.nativeaccess.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A pool of packet buffers (mbufs) in DPDK memory ({@code rte_pktmbuf_pool_create}). Receive
 * queues take their buffers from one; {@link PacketBatch#allocate} takes buffers for sending.
 *
 * <p>{@link #memory()} is one {@link MemorySegment} over all of the pool's memory: every packet's
 * data is a range of it ({@link PacketBatch#offset}), so reading and writing packets needs no
 * segment object per packet. The segment belongs to this pool: after {@link #close()} any access
 * through it throws {@link IllegalStateException}.
 *
 * <p>{@link #close()} frees the pool; it refuses while mbufs are still in use (in a port's queues
 * or in batches), because DPDK would free memory that is still being used. Thread-safe counters.
 */
public final class Mempool implements AutoCloseable {
    /** Default data room of each mbuf: 2048 bytes of data plus the 128-byte headroom. */
    public static final int DEFAULT_DATA_ROOM = 2048 + 128;
    /** Default per-lcore cache size. */
    public static final int DEFAULT_CACHE = 256;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,24}");

    private final Eal eal;
    private final String name;
    private final MemorySegment pool;
    private final boolean owned;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    private final int dataRoom;
    private final int headroom;
    private volatile boolean closed;

    private Mempool(Eal eal, String name, MemorySegment pool, boolean owned) {
        this.eal = eal;
        this.name = name;
        this.pool = pool;
        this.owned = owned;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment start = a.allocate(ValueLayout.JAVA_LONG);
            MemorySegment len = a.allocate(ValueLayout.JAVA_LONG);
            int r = na_dpdk_h.na_dpdk_mempool_span(pool, start, len);
            if (r < 0) {
                throw Dpdk.error("rte_mempool_mem_iter", "mempool \"" + name + "\"", r, "the pool has no memory");
            }
            this.memory = MemorySegment.ofAddress(start.get(ValueLayout.JAVA_LONG, 0))
                    .reinterpret(len.get(ValueLayout.JAVA_LONG, 0), arena, null);
        }
        this.dataRoom = na_dpdk_h.na_dpdk_mempool_data_room(pool);
        this.headroom = na_dpdk_h.na_dpdk_pktmbuf_headroom_default();
    }

    /**
     * Creates a pool of {@code size} mbufs with the default cache and data room.
     *
     * @param eal the running EAL
     * @param name unique in the process, 1-24 letters, digits, '_', '.', '-'
     * @param size number of mbufs (best 2^n - 1)
     * @return the pool
     */
    public static Mempool create(Eal eal, String name, int size) {
        return create(eal, name, size, Math.min(DEFAULT_CACHE, size / 2), DEFAULT_DATA_ROOM);
    }

    /**
     * Creates a pool of mbufs.
     *
     * @param eal the running EAL
     * @param name unique in the process, 1-24 letters, digits, '_', '.', '-'
     * @param size number of mbufs (best 2^n - 1), &gt;= 1
     * @param cache per-lcore cache, 0 to 512 and at most size / 1.5
     * @param dataRoom bytes per mbuf for headroom plus data, &gt; 128 (headroom) and &lt;= 65535
     * @return the pool
     * @throws IllegalArgumentException for bad sizes or names, saying which
     * @throws DpdkException when DPDK cannot create it (a pool of that name exists: EEXIST; no memory: ENOMEM)
     */
    public static Mempool create(Eal eal, String name, int size, int cache, int dataRoom) {
        Objects.requireNonNull(eal, "eal is null: Eal.init(...) first");
        eal.checkOpen();
        checkName(name);
        if (size < 1) {
            throw new IllegalArgumentException("invalid mempool size " + size + ": it must be >= 1 (best 2^n - 1, e.g. 8191)");
        }
        if (cache < 0 || cache > 512 || cache * 3L > size * 2L) {
            throw new IllegalArgumentException("invalid mempool cache " + cache + " for " + size
                    + " mbufs: it must be 0 to 512 and at most size / 1.5 (" + (size * 2 / 3) + ")");
        }
        int headroom = na_dpdk_h.na_dpdk_pktmbuf_headroom_default();
        if (dataRoom <= headroom || dataRoom > 0xFFFF) {
            throw new IllegalArgumentException("invalid mbuf data room " + dataRoom + ": it must be more than the "
                    + headroom + "-byte headroom and at most 65535 (default " + DEFAULT_DATA_ROOM + ")");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(ValueLayout.JAVA_INT);
            MemorySegment p = na_dpdk_h.na_dpdk_pktmbuf_pool_create(a.allocateFrom(name), size, cache, (short) dataRoom,
                    -1, err);
            if (p.equals(MemorySegment.NULL)) {
                int r = err.get(ValueLayout.JAVA_INT, 0);
                String hint = -r == Errno.EEXIST ? "a mempool named \"" + name + "\" exists in this process: choose another name"
                        + " or use Mempool.lookup" : null;
                throw Dpdk.error("rte_pktmbuf_pool_create", "mempool \"" + name + "\", " + size + " mbufs of " + dataRoom
                        + " bytes", r, hint);
            }
            Mempool m = new Mempool(eal, name, p, true);
            eal.track(m);
            return m;
        }
    }

    /**
     * Finds a pool by name (made by this process or by the primary process), not owned:
     * {@link #close()} then forgets it without freeing it.
     *
     * @param eal the running EAL
     * @param name the pool's name
     * @return the pool, or empty
     */
    public static Optional<Mempool> lookup(Eal eal, String name) {
        eal.checkOpen();
        checkName(name);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = na_dpdk_h.na_dpdk_mempool_lookup(a.allocateFrom(name));
            return p.equals(MemorySegment.NULL) ? Optional.empty() : Optional.of(new Mempool(eal, name, p, false));
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid mempool name \"" + name
                    + "\": use 1-24 letters, digits, '_', '.', '-' (DPDK's memzone names are short)");
        }
    }

    /** @return the pool's name */
    public String name() {
        return name;
    }

    /** @return the number of mbufs */
    public int size() {
        return na_dpdk_h.na_dpdk_mempool_size(handle());
    }

    /** @return mbufs free in the pool (an approximation while other threads use it) */
    public int available() {
        return na_dpdk_h.na_dpdk_mempool_avail(handle());
    }

    /** @return mbufs taken from the pool (queues, batches, caches of other lcores) */
    public int inUse() {
        return na_dpdk_h.na_dpdk_mempool_in_use(handle());
    }

    /** @return bytes per mbuf for headroom plus data */
    public int dataRoom() {
        return dataRoom;
    }

    /** @return the headroom in front of each fresh mbuf's data */
    public int headroom() {
        return headroom;
    }

    /** @return one segment over all of the pool's memory, in which packet offsets point */
    public MemorySegment memory() {
        checkOpen();
        return memory;
    }

    /** @return the native pool pointer ({@code struct rte_mempool *}) */
    MemorySegment handle() {
        checkOpen();
        return pool;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("mempool \"" + name + "\" is closed");
        }
        eal.checkOpen();
    }

    /** @return true until {@link #close()} */
    public boolean isOpen() {
        return !closed && eal.isOpen();
    }

    /**
     * Frees the pool (only if this process created it through {@link #create}). Idempotent.
     *
     * @throws IllegalStateException while mbufs are in use: close the ports using the pool and
     *     the batches holding its mbufs first
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (owned && eal.isOpen()) {
            int used = na_dpdk_h.na_dpdk_mempool_in_use(pool);
            if (used > 0) {
                throw new IllegalStateException("mempool \"" + name + "\" still has " + used + " mbufs in use (in port"
                        + " queues or packet batches): close the ports using it and the batches holding its mbufs first");
            }
        }
        closed = true;
        arena.close();
        eal.untrack(this);
        if (owned && eal.isOpen()) {
            na_dpdk_h.na_dpdk_mempool_free(pool);
        }
    }

    @Override
    public String toString() {
        return "Mempool[" + name + (closed ? ", closed]" : ", " + size() + " mbufs, " + available() + " free]");
    }
}
