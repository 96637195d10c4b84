package dev.nautilus.accel.dpdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Messages between engines over a DPDK port (the design document's "DPDK MessageBus"): each
 * message is one Ethernet frame ({@link TransportFrame}: source and destination engine,
 * priority, type id, per-destination sequence number, payload), sent and received in bursts.
 *
 * <pre>{@code
 * DpdkMessageTransport t = DpdkMessageTransport.open(port, pool, 7);   // this engine is 7
 * t.offer(9, TransportFrame.PRIORITY_CRITICAL, ORDER, payload);        // queued in this object
 * t.flush();                                                            // critical frames first
 * t.poll((src, prio, type, buf, off, len) -> handle(...));             // one burst, critical first
 * }</pre>
 *
 * <p><b>Sending</b>: {@link #offer} copies the payload into a fresh mbuf of a per-priority batch
 * (one burst each); {@link #flush} sends the critical batch, then normal, then bulk, and keeps
 * what the port did not take for the next flush (never leaked, never reordered). A full batch
 * makes {@code offer} return false: flush, then offer again. Sequence numbers count from 1 per
 * destination engine and priority.
 *
 * <p><b>Receiving</b>: {@link #poll} takes one burst, drops frames that are not transport frames
 * or not for this engine ({@link #dropped()}), hands the rest over critical first, then normal,
 * then bulk, and tracks every source's sequence numbers per priority ({@link #sequences(int)}):
 * gaps count as lost until a late frame fills them, which counts as reordered; duplicates are not
 * delivered. Sequence numbers count per destination and priority, because a critical frame may
 * overtake bulk ones by design. (About 13 MiB of counters per transport, for all 65535 engines.)
 * {@link #poll(TransportHandler, int)} waits for a burst in C, a bounded number of receive
 * attempts: a receive loop's busy wait without a downcall per empty poll.
 *
 * <p>Addressing: frames go to the Ethernet broadcast address and receivers filter by engine id
 * (one port per link, as with a memif or ring vdev pair); engine {@link TransportFrame#BROADCAST}
 * reaches every engine. One thread at a time; register it with {@link Eal#registerCurrentThread()}.
 * The port must be configured with one receive and one transmit queue and started.
 */
public final class DpdkMessageTransport implements AutoCloseable {
    /**
     * Most further receive attempts one {@link #poll(TransportHandler, int)} makes: about 10 us on
     * memif, the longest a GC's safepoint then waits for the call.
     */
    public static final int MAX_POLL_SPINS = 1024;
    private static final long BROADCAST_MAC = 0xFFFF_FFFF_FFFFL;
    private static final int PRIORITIES = 3;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    /**
     * The whole address space as a constant segment: C2 folds its type, bounds and (global)
     * session, so an access through it is a plain load or store. Used only for memory this
     * transport owns while it is open: its block (freed by close, after which every method
     * throws first) and the mbufs it holds (the stock, the frames queued, the received burst;
     * the pool cannot be freed while any mbuf is out), at addresses DPDK gave and within each
     * mbuf's room (offer refuses payloads the mbufs cannot hold; a received frame is checked
     * against its length before any field is read). Handlers get the pool's own segment.
     */
    private static final MemorySegment RAW = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final EthPort port;
    private final short portId;
    private final int engine;
    private final long sourceMac;
    private final int burst;
    private final MemorySegment memory;
    /** Address of {@link #memory}'s first byte: burst calls give data addresses, frames are offsets in it. */
    private final long base;
    private final Mempool pool;
    /** Largest payload: {@link TransportFrame#MAX_PAYLOAD}, or less where the pool's mbufs are smaller. */
    private final int maxPayload;
    /**
     * Owns the native block that holds the arrays of every burst call, read and written through
     * {@link #RAW} at the addresses below (the downcalls take them as such: see
     * Dpdk.Hot.RX_BURST_WAIT_AT): the received burst (mbufs, data addresses, lengths), the stock
     * of allocated, unused mbufs that {@link #offer} builds frames in (mbufs, data addresses,
     * rooms), and one queue of frames to send per priority (mbufs, lengths). The 8-byte arrays
     * come first, so all are aligned.
     */
    private final Arena arena = Arena.ofShared();
    private final long rxMbufs;
    private final long rxAddrs;
    private final long rxLens;
    private final long stockMbufs;
    private final long stockAddrs;
    private final long stockRooms;
    private final long txMbufs; // priority p's at txMbufs + 8 * burst * p
    private final long txLens; // priority p's at txLens + 4 * burst * p
    /** Frames queued per priority, not yet sent. */
    private final int[] txSize = new int[PRIORITIES];
    /** Mbufs of the last received burst, freed by the next poll or close. */
    private int held;
    /**
     * The stock is entries {@code stockNext} to {@code burst - 1}: offer takes entry stockNext, so
     * the free entries are always the first ones and a refill allocates into the arrays' starts
     * (no slice per call). Poll tops it up before it receives, offer when it is empty.
     */
    private int stockNext;
    /** Next sequence number per priority and destination: index priority * 65536 + destination. */
    private final long[] nextSequence = new long[PRIORITIES * (TransportFrame.BROADCAST + 1)];
    /** One tracker per priority: priorities overtake each other, so each has its own sequence space. */
    private final SequenceTracker[] sequences = new SequenceTracker[PRIORITIES];
    private final int[] order; // received frame indices, grouped by priority, reused
    private final int[] framePriority; // priority of each received frame, -1 when invalid
    private final int[] priorityCounts = new int[PRIORITIES];
    private final long[] frameWords = new long[3]; // routing word, type word, sequence of a one-frame burst
    private long sent;
    private boolean offered; // once: from then on poll keeps the stock topped up
    private long received;
    private long dropped;
    private boolean closed;

    private DpdkMessageTransport(EthPort port, Mempool pool, int engine, int burst) {
        this.port = port;
        this.portId = (short) port.id();
        this.engine = engine;
        this.sourceMac = port.info().mac().toLong();
        this.burst = burst;
        this.memory = pool.memory();
        this.base = memory.address();
        this.pool = pool;
        this.maxPayload = Math.min(TransportFrame.MAX_PAYLOAD, pool.dataRoom() - pool.headroom() - TransportFrame.HEADER_LENGTH);
        long b = burst;
        // 8-byte arrays: rx mbufs, rx addresses, stock mbufs, stock addresses, 3 x tx mbufs; then the 4-byte ones
        long at = arena.allocate(76 * b, 8).address();
        this.rxMbufs = at;
        this.rxAddrs = at + 8 * b;
        this.stockMbufs = at + 16 * b;
        this.stockAddrs = at + 24 * b;
        this.txMbufs = at + 32 * b;
        this.rxLens = at + 56 * b;
        this.stockRooms = at + 60 * b;
        this.txLens = at + 64 * b;
        this.stockNext = burst; // empty
        this.order = new int[burst];
        this.framePriority = new int[burst];
        java.util.Arrays.fill(nextSequence, 1);
        for (int p = 0; p < PRIORITIES; p++) {
            sequences[p] = new SequenceTracker();
        }
    }

    /**
     * @param port a started port with receive and transmit queue 0 set up (its receive pool must be {@code pool})
     * @param pool where frames to send are allocated
     * @param engine this engine's id, 0 to {@link TransportFrame#MAX_SOURCE_ENGINE}
     * @return the transport, with bursts of 32
     */
    public static DpdkMessageTransport open(EthPort port, Mempool pool, int engine) {
        return open(port, pool, engine, 32);
    }

    /**
     * @param port a started port with receive and transmit queue 0 set up (its receive pool must be {@code pool})
     * @param pool where frames to send are allocated
     * @param engine this engine's id, 0 to {@link TransportFrame#MAX_SOURCE_ENGINE}
     * @param burst frames per send and receive burst, 1 to 512
     * @return the transport
     */
    public static DpdkMessageTransport open(EthPort port, Mempool pool, int engine, int burst) {
        Objects.requireNonNull(port, "port is null");
        Objects.requireNonNull(pool, "pool is null");
        if (engine < 0 || engine > TransportFrame.MAX_SOURCE_ENGINE) {
            throw new IllegalArgumentException("invalid engine id " + engine + ": engines are 0 to "
                    + TransportFrame.MAX_SOURCE_ENGINE + " (" + TransportFrame.BROADCAST + " is broadcast)");
        }
        if (burst < 1 || burst > 512) {
            throw new IllegalArgumentException("invalid burst " + burst + ": 1 to 512 frames");
        }
        if (!port.isStarted()) {
            throw new IllegalStateException("port " + port.id() + " (" + port.name() + ") is not started: configure it with"
                    + " one receive and one transmit queue, set them up and start it first");
        }
        if (pool.dataRoom() - pool.headroom() < Packets.MIN_FRAME_LENGTH) {
            throw new IllegalArgumentException("the mbufs of mempool \"" + pool.name() + "\" hold " + (pool.dataRoom() - pool.headroom())
                    + " bytes of data, less than a " + Packets.MIN_FRAME_LENGTH + "-byte frame: create the pool with a data room of at least "
                    + (pool.headroom() + Packets.MAX_STANDARD_FRAME_LENGTH) + " (Mempool.create's default fits full-size frames)");
        }
        if (port.rxQueue(0).pool() != pool) {
            throw new IllegalArgumentException("port " + port.id() + " receives into mempool \"" + port.rxQueue(0).pool().name()
                    + "\", not \"" + pool.name() + "\": give the transport the receive queue's pool");
        }
        return new DpdkMessageTransport(port, pool, engine, burst);
    }

    /** @return this engine's id */
    public int engine() {
        return engine;
    }

    /**
     * Queues a message for the next {@link #flush}, copying its payload into a frame.
     *
     * @param destinationEngine 0 to 65534, or {@link TransportFrame#BROADCAST}
     * @param priority {@link TransportFrame#PRIORITY_CRITICAL}, {@code _NORMAL} or {@code _BULK}
     * @param typeId message type, &gt;= 1
     * @param payload up to {@link TransportFrame#MAX_PAYLOAD} bytes (fewer where the pool's mbufs hold less)
     * @return true when queued; false when that priority's batch is full (flush first) or the pool is empty
     */
    public boolean offer(int destinationEngine, int priority, int typeId, MemorySegment payload) {
        return offer(destinationEngine, priority, typeId, payload, 0, payload.byteSize());
    }

    /**
     * Queues a message whose payload is a range of a segment (no slice object needed), like
     * {@link #offer(int, int, int, MemorySegment)}.
     *
     * @param destinationEngine 0 to 65534, or {@link TransportFrame#BROADCAST}
     * @param priority {@link TransportFrame#PRIORITY_CRITICAL}, {@code _NORMAL} or {@code _BULK}
     * @param typeId message type, &gt;= 1
     * @param source where the payload is
     * @param offset its first byte in {@code source}
     * @param length payload bytes, up to {@link TransportFrame#MAX_PAYLOAD} (fewer where the pool's mbufs hold less)
     * @return true when queued; false when that priority's batch is full (flush first) or the pool is empty
     */
    public boolean offer(int destinationEngine, int priority, int typeId, MemorySegment source, long offset, long length) {
        checkOpen();
        if (priority < 0 || priority >= PRIORITIES) {
            throw new IllegalArgumentException("invalid priority " + priority + ": 0 critical, 1 normal, 2 bulk");
        }
        if (length < 0 || offset < 0 || offset > source.byteSize() - length) {
            throw new IndexOutOfBoundsException("payload range of " + length + " bytes at " + offset
                    + " is not inside the source segment of " + source.byteSize() + " bytes");
        }
        if (length > maxPayload) {
            throw new IllegalArgumentException("payload of " + length + " bytes is too long: a frame carries at most "
                    + TransportFrame.MAX_PAYLOAD + " bytes (split the message)" + (maxPayload < TransportFrame.MAX_PAYLOAD
                    ? ", and the mbufs of mempool \"" + pool.name() + "\" hold frames of " + (maxPayload + TransportFrame.HEADER_LENGTH)
                    + " bytes, payloads of " + maxPayload + " (create the pool with a data room of at least "
                    + (pool.headroom() + Packets.MAX_STANDARD_FRAME_LENGTH) + " for full-size frames)" : ""));
        }
        if (destinationEngine < 0 || destinationEngine > TransportFrame.BROADCAST) {
            throw new IllegalArgumentException("invalid destination engine " + destinationEngine + ": 0 to 65535 (broadcast)");
        }
        if (typeId < 1) {
            throw new IllegalArgumentException("invalid message type id " + typeId + ": type ids must be >= 1");
        }
        int queued = txSize[priority];
        if (queued == burst) {
            return false;
        }
        int s = stockNext;
        if (s == burst) {
            if (!refillStock() && !refillLastOfStock()) {
                return false; // (poll refills the stock before it receives: this is for bursts of offers)
            }
            s = stockNext;
        }
        offered = true;
        // the frame is built in the stock's next mbuf, which then joins the priority's queue with its length
        long mbuf = RAW.get(WORD, stockMbufs + 8L * s);
        long data = RAW.get(WORD, stockAddrs + 8L * s);
        long at = data - base;
        int key = priority * (TransportFrame.BROADCAST + 1) + destinationEngine;
        long sequence = nextSequence[key];
        // arguments checked above; the source engine and the MACs when opened; length <= maxPayload fits the mbuf
        TransportFrame.writeHeader(RAW, data, sourceMac, BROADCAST_MAC, engine, destinationEngine, priority, typeId, sequence,
                (int) length);
        nextSequence[key] = sequence + 1;
        if (length < 64 && source == memory) {
            // a payload from a received frame (an echo, a forward): the JDK copies within one
            // segment through its native copy, but between two slices that do not overlap with
            // a few loads and stores, about half the time for a small message
            MemorySegment.copy(memory.asSlice(offset, length), 0, memory.asSlice(at + TransportFrame.HEADER_LENGTH, length), 0, length);
        } else {
            MemorySegment.copy(source, offset, memory, at + TransportFrame.HEADER_LENGTH, length);
        }
        long b = burst;
        RAW.set(WORD, txMbufs + 8 * (b * priority + queued), mbuf);
        RAW.set(INT, txLens + 4 * (b * priority + queued), Math.max(TransportFrame.HEADER_LENGTH + (int) length,
                Packets.MIN_FRAME_LENGTH));
        txSize[priority] = queued + 1;
        stockNext = s + 1;
        return true;
    }

    /**
     * Fills the stock's free entries (those before {@code stockNext}), all or none.
     *
     * @return false when the pool has fewer free mbufs
     */
    private boolean refillStock() {
        int n = stockNext;
        if (alloc(stockMbufs, stockAddrs, stockRooms, n)) {
            stockNext = 0;
            return true;
        }
        return false;
    }

    /** For a pool too short for a whole stock: one mbuf into the last entry of an empty stock. */
    private boolean refillLastOfStock() {
        long last = burst - 1;
        if (alloc(stockMbufs + 8 * last, stockAddrs + 8 * last, stockRooms + 4 * last, 1)) {
            stockNext = burst - 1;
            return true;
        }
        return false;
    }

    private boolean alloc(long mbufs, long addrs, long rooms, int n) {
        int r;
        try {
            r = (int) Dpdk.Hot.ALLOC_BULK_AT.invokeExact(pool.handle().address(), mbufs, addrs, rooms, n);
        } catch (Throwable e) {
            throw PacketBatch.rethrow(e);
        }
        return r >= 0;
    }

    /**
     * Sends the queued frames, critical first; what the port does not take stays queued, in order.
     *
     * @return frames sent
     */
    public int flush() {
        checkOpen();
        port.checkStarted();
        int n = 0;
        int[] queued = txSize;
        for (int p = 0; p < PRIORITIES; p++) {
            int size = queued[p];
            if (size > 0) {
                int s;
                try {
                    // lengths into the mbufs, then tx_burst: one call into the library, no offloads
                    s = (int) Dpdk.Hot.TX_BURST_PREPARED_AT.invokeExact(portId, (short) 0, txMbufs + 8 * burst * p,
                            txLens + 4 * burst * p, (short) size, 0,
                            (short) 0, (short) 0);
                } catch (Throwable e) {
                    throw PacketBatch.rethrow(e);
                }
                if (s < 0) {
                    throw new IllegalStateException("frame " + (-s - 1) + " of priority " + p + " is longer than its mbuf's room");
                }
                n += s;
                if (s < size) {
                    // the port is full: the rest moves to the front, in order, and lower priorities wait, so nothing overtakes
                    if (s > 0) {
                        long b = burst;
                        MemorySegment.copy(RAW, txMbufs + 8 * (b * p + s), RAW, txMbufs + 8 * b * p, 8L * (size - s));
                        MemorySegment.copy(RAW, txLens + 4 * (b * p + s), RAW, txLens + 4 * b * p, 4L * (size - s));
                        queued[p] = size - s;
                    }
                    break;
                }
                queued[p] = 0;
            }
        }
        sent += n;
        return n;
    }

    /** @return frames queued and not yet sent */
    public int pending() {
        int[] queued = txSize;
        return queued[0] + queued[1] + queued[2];
    }

    /**
     * Receives one burst and hands its messages to the handler, critical first.
     *
     * <p>The burst's mbufs go back to the pool at the start of the next {@code poll} (or at
     * {@link #close}), not at the end of this one: a reply offered by the handler and flushed
     * right after this call leaves without waiting for that free (one call into DPDK fewer on a
     * request-reply path). Payloads are still for the handler to read during its call only.
     *
     * @param handler receives each message
     * @return messages handed over
     */
    public int poll(TransportHandler handler) {
        return poll(handler, 0);
    }

    /**
     * {@link #poll(TransportHandler)} that waits a little for a burst: while nothing has arrived
     * it asks the port again, up to {@code spins} more times, in one call into C, and returns as
     * soon as a burst is in. For a receive loop, this is the loop's busy wait done in C: one
     * downcall instead of one per empty poll, and a frame is seen as soon as C's own loop would
     * see it (in the round-trip benchmark, Java's p50 with spins 256 against spins 0: see the
     * README). The call takes at most about {@code spins + 1} empty polls of the driver (about 10
     * ns each on memif or net_ring); it runs without a thread-state transition, so a safepoint
     * (a GC) waits for it that long: hence the limit of {@link #MAX_POLL_SPINS}.
     *
     * @param handler receives each message
     * @param spins further receive attempts while nothing arrives, 0 to {@link #MAX_POLL_SPINS}
     * @return messages handed over; 0 when nothing arrived in the whole wait
     */
    public int poll(TransportHandler handler, int spins) {
        checkOpen();
        if (spins < 0 || spins > MAX_POLL_SPINS) {
            throw new IllegalArgumentException("invalid spins " + spins + ": 0 to " + MAX_POLL_SPINS
                    + " further receive attempts (each about 10 ns on memif; call poll again to wait longer)");
        }
        if (held > 0) {
            freeReceived(); // the previous burst: freed here, after any reply it caused was flushed, not before
        }
        topUpStock(); // before waiting: a frame that arrives then does not wait for it
        port.checkStarted();
        int n;
        try {
            n = (short) Dpdk.Hot.RX_BURST_WAIT_AT.invokeExact(portId, (short) 0, rxMbufs, rxAddrs, rxLens, (short) burst, spins)
                    & 0xFFFF;
        } catch (Throwable e) {
            throw PacketBatch.rethrow(e);
        }
        if (n == 0) {
            return 0;
        }
        held = n;
        MemorySegment memory = this.memory;
        if (n == 1) { // nothing to order: a request-reply exchange receives one frame at a time
            long data = RAW.get(WORD, rxAddrs);
            long[] w = frameWords;
            if (TransportFrame.isValid(RAW, data, RAW.get(INT, rxLens), w)) {
                return deliver(handler, memory, data - base, w[0], w[1], w[2]);
            }
            dropped++;
            return 0;
        }
        // one pass: validate each frame once and note its priority (-1: not a transport frame)
        int[] counts = priorityCounts;
        counts[0] = 0;
        counts[1] = 0;
        counts[2] = 0;
        for (int i = 0; i < n; i++) {
            long at = receivedOffset(i);
            int p = TransportFrame.isValid(memory, at, RAW.get(INT, rxLens + 4L * i)) ? TransportFrame.priority(memory, at) : -1;
            framePriority[i] = p;
            if (p >= 0) {
                counts[p]++;
            }
        }
        // then a stable grouping by priority, in arrival order within each
        int critical = 0;
        int normal = counts[0];
        int bulk = normal + counts[1];
        int count = bulk + counts[2];
        for (int i = 0; i < n; i++) {
            switch (framePriority[i]) {
                case 0 -> order[critical++] = i;
                case 1 -> order[normal++] = i;
                case 2 -> order[bulk++] = i;
                default -> { } // dropped below
            }
        }
        dropped += n - count;
        int delivered = 0;
        for (int k = 0; k < count; k++) {
            delivered += deliver(handler, memory, receivedOffset(order[k]));
        }
        return delivered;
    }

    /** @return the offset in the pool's memory of received frame {@code i} */
    private long receivedOffset(int i) {
        return RAW.get(WORD, rxAddrs + 8L * i) - base;
    }

    private void freeReceived() {
        free(rxMbufs, held);
        held = 0;
    }

    /** Gives {@code n} mbufs back to their pool. */
    private static void free(long mbufs, int n) {
        if (n > 0) {
            try {
                Dpdk.Hot.FREE_BULK_AT.invokeExact(mbufs, n);
            } catch (Throwable e) {
                throw PacketBatch.rethrow(e);
            }
        }
    }

    /**
     * Tops up the stock of mbufs for {@link #offer} at the start of a poll, before it receives,
     * once half of the stock is used: allocating a burst costs more than a round trip's spread,
     * and done in offer it landed in the latency of one message in 32 (done only when a poll
     * found nothing, a poll that waits for frames would never do it). Nothing before the first
     * offer (a transport that only receives holds no stock); a pool that is short now is tried
     * again later.
     */
    private void topUpStock() {
        if (stockNext >= (burst + 1) / 2 && offered) { // (a stock of one: when empty)
            refillStock();
        }
    }

    /** Hands a valid frame at {@code at} to the handler: 1, or 0 when for another engine or a duplicate. */
    private int deliver(TransportHandler handler, MemorySegment memory, long at) {
        return deliver(handler, memory, at, TransportFrame.routingWord(memory, at), TransportFrame.typeWord(memory, at),
                TransportFrame.sequence(memory, at));
    }

    /** {@link #deliver(TransportHandler, MemorySegment, long)} with the frame's words already read. */
    private int deliver(TransportHandler handler, MemorySegment memory, long at, long routing, long type, long sequence) {
        int destination = TransportFrame.destinationOf(routing);
        if (destination != engine && destination != TransportFrame.BROADCAST) {
            dropped++;
            return 0;
        }
        int source = TransportFrame.sourceOf(routing);
        int priority = TransportFrame.priorityOf(routing);
        if (!SequenceTracker.isNew(sequences[priority].accept(source, sequence))) {
            return 0; // a duplicate
        }
        received++;
        handler.onMessage(source, priority, TransportFrame.typeIdOf(type), memory, at + TransportFrame.HEADER_LENGTH,
                TransportFrame.payloadLengthOf(type));
        return 1;
    }

    /**
     * @param priority {@link TransportFrame#PRIORITY_CRITICAL}, {@code _NORMAL} or {@code _BULK}
     * @return that priority's per-source sequence tracking: received, lost, reordered, duplicates, restarts
     */
    public SequenceTracker sequences(int priority) {
        if (priority < 0 || priority >= PRIORITIES) {
            throw new IllegalArgumentException("invalid priority " + priority + ": 0 critical, 1 normal, 2 bulk");
        }
        return sequences[priority];
    }

    /** @return frames detected as lost (gaps not filled by late frames), all sources and priorities */
    public long lost() {
        long n = 0;
        for (SequenceTracker t : sequences) {
            n += t.totalLost();
        }
        return n;
    }

    /** @return frames that arrived after later ones of their source and priority */
    public long reordered() {
        long n = 0;
        for (SequenceTracker t : sequences) {
            n += t.totalReordered();
        }
        return n;
    }

    /** @return frames sent */
    public long sent() {
        return sent;
    }

    /** @return messages delivered */
    public long received() {
        return received;
    }

    /** @return frames received and dropped: not transport frames, or for another engine */
    public long dropped() {
        return dropped;
    }

    /** @return the port */
    public EthPort port() {
        return port;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("transport of engine " + engine + " is closed");
        }
    }

    /** Frees the frames still queued, the last burst received and the stock of mbufs (the port stays open). Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (pool.isOpen()) { // (a pool cannot close while these mbufs are out: this is for EAL cleanup at exit)
                free(rxMbufs, held);
                free(stockMbufs + 8L * stockNext, burst - stockNext);
                for (int p = 0; p < PRIORITIES; p++) {
                    free(txMbufs + 8L * burst * p, txSize[p]);
                }
            }
            held = 0;
            stockNext = burst;
            java.util.Arrays.fill(txSize, 0);
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "DpdkMessageTransport[engine " + engine + " on " + port.name() + ", sent " + sent + ", received " + received
                + ", dropped " + dropped + ", lost " + lost() + ", reordered " + reordered() + "]";
    }
}
