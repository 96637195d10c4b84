package dev.nautilus.accel.dpdk;

/**
 * A receive queue of a started {@link EthPort}: {@link #receive} moves up to a batch's free room
 * of packets into a {@link PacketBatch} in one downcall ({@code rte_eth_rx_burst}), with each
 * packet's data offset and length; nothing is allocated. One thread at a time per queue (DPDK's
 * rule); register that thread with {@link Eal#registerCurrentThread()}.
 */
public final class RxQueue {
    private final EthPort port;
    private final short portId;
    private final short queueId;
    private final Mempool pool;

    RxQueue(EthPort port, int queue, Mempool pool) {
        this.port = port;
        this.portId = (short) port.id();
        this.queueId = (short) queue;
        this.pool = pool;
    }

    /** @return the port */
    public EthPort port() {
        return port;
    }

    /** @return the queue id */
    public int id() {
        return queueId;
    }

    /** @return the pool its packets come from */
    public Mempool pool() {
        return pool;
    }

    /**
     * Appends received packets to the batch (up to its free room).
     *
     * @param batch a batch of this queue's pool
     * @return packets received, 0 when none waited (or the batch is full)
     * @throws IllegalArgumentException when the batch belongs to another pool
     * @throws IllegalStateException when the port is not started, or closed
     */
    public int receive(PacketBatch batch) {
        if (batch.pool() != pool) {
            throw new IllegalArgumentException("batch of mempool \"" + batch.pool().name() + "\" cannot receive from port "
                    + port.id() + " queue " + queueId + ", whose packets come from mempool \"" + pool.name() + "\"");
        }
        int size = batch.size();
        if (size == 0) { // (a closed batch too: receiveIntoEmpty checks it)
            return receiveIntoEmpty(batch);
        }
        port.checkStarted();
        batch.checkOpen();
        int room = batch.capacity() - size;
        if (room == 0) {
            return 0;
        }
        int n;
        try {
            n = (short) Dpdk.Hot.RX_BURST.invokeExact(portId, queueId, batch.mbufs.asSlice(size * 8L),
                    batch.addrs.asSlice(size * 8L), batch.lens.asSlice(size * 4L), (short) room) & 0xFFFF;
        } catch (Throwable e) {
            throw PacketBatch.rethrow(e);
        }
        if (n > 0) {
            batch.receivedAt(size, n); // a received packet's room is its data
        }
        return n;
    }

    /**
     * {@link #receive} into an empty batch known to be of this queue's pool (the message
     * transport's, checked when it opened, and receive's own after its check): no pool check,
     * no slices.
     */
    int receiveIntoEmpty(PacketBatch batch) {
        port.checkStarted();
        batch.checkOpen();
        int n;
        try {
            n = (short) Dpdk.Hot.RX_BURST.invokeExact(portId, queueId, batch.mbufs, batch.addrs, batch.lens,
                    (short) batch.capacity()) & 0xFFFF;
        } catch (Throwable e) {
            throw PacketBatch.rethrow(e);
        }
        if (n > 0) {
            batch.receivedAt(0, n);
        }
        return n;
    }
}
