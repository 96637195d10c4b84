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
        port.checkStarted();
        batch.checkOpen();
        int size = batch.size();
        int room = batch.capacity() - size;
        if (room == 0) {
            return 0;
        }
        int n;
        try {
            // into an empty batch (the usual case) the arrays themselves, no slices
            n = (short) Dpdk.Hot.RX_BURST.invokeExact(portId, queueId, batch.slice(batch.mbufs, 8), batch.slice(batch.addrs, 8),
                    batch.slice(batch.lens, 4), (short) room) & 0xFFFF;
        } catch (Throwable e) {
            throw PacketBatch.rethrow(e);
        }
        if (n > 0) {
            batch.receivedAt(size, n); // a received packet's room is its data
        }
        return n;
    }
}
