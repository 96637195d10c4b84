package dev.nautilus.accel.dpdk;

/**
 * A transmit queue of a started {@link EthPort}: {@link #send} hands a {@link PacketBatch}'s
 * packets to the port in one downcall ({@code rte_eth_tx_burst}, after setting each mbuf's
 * length). The port may take fewer than offered when its ring is full: the ones it took leave
 * the batch, the rest move to the front and stay the batch's (send again, or {@link
 * PacketBatch#free}), so no mbuf is ever leaked. One thread at a time per queue.
 */
public final class TxQueue {
    /** Transmit flag: the packets are IPv4. */
    public static final int TX_IPV4 = 1;
    /** Transmit flag: the port computes IPv4 header checksums (needs the IPV4_CKSUM tx offload). */
    public static final int TX_IP_CHECKSUM = 2;
    /** Transmit flag: the port computes UDP checksums (the pseudo-header sum must be preset; needs UDP_CKSUM). */
    public static final int TX_UDP_CHECKSUM = 4;

    private final EthPort port;
    private final short portId;
    private final short queueId;
    private int flags;
    private short l2Length;
    private short l3Length;

    TxQueue(EthPort port, int queue) {
        this.port = port;
        this.portId = (short) port.id();
        this.queueId = (short) queue;
    }

    /** @return the port */
    public EthPort port() {
        return port;
    }

    /** @return the queue id */
    public int id() {
        return queueId;
    }

    /**
     * Asks the port to compute checksums of every packet sent from now on (the port must offer
     * and have been configured with the matching tx offloads).
     *
     * @param flags {@link #TX_IPV4} | {@link #TX_IP_CHECKSUM} | {@link #TX_UDP_CHECKSUM}, or 0 for none
     * @param l2Length bytes of the link header (14 for Ethernet)
     * @param l3Length bytes of the IPv4 header (20 without options)
     * @return this queue
     */
    public TxQueue checksumOffload(int flags, int l2Length, int l3Length) {
        if ((flags & ~(TX_IPV4 | TX_IP_CHECKSUM | TX_UDP_CHECKSUM)) != 0) {
            throw new IllegalArgumentException("invalid tx flags " + flags + ": combine TX_IPV4, TX_IP_CHECKSUM, TX_UDP_CHECKSUM");
        }
        if (flags != 0) {
            long need = ((flags & TX_IP_CHECKSUM) != 0 ? EthPort.TX_OFFLOAD_IPV4_CKSUM : 0)
                    | ((flags & TX_UDP_CHECKSUM) != 0 ? EthPort.TX_OFFLOAD_UDP_CKSUM : 0);
            long have = port.configuredTxOffloads();
            if ((have & need) != need) {
                throw new IllegalStateException("port " + port.id() + " was not configured with the tx offloads these flags need"
                        + " (0x" + Long.toHexString(need) + "; configured 0x" + Long.toHexString(have)
                        + "): configure it with them, if info().txOffloadCapabilities() offers them, or compute checksums in software");
            }
        }
        if (l2Length < 0 || l2Length > 127 || l3Length < 0 || l3Length > 511) {
            throw new IllegalArgumentException("invalid header lengths l2 " + l2Length + ", l3 " + l3Length
                    + ": l2 is 0 to 127 bytes (14 for Ethernet), l3 0 to 511 (20 for IPv4 without options)");
        }
        this.flags = flags;
        this.l2Length = (short) l2Length;
        this.l3Length = (short) l3Length;
        return this;
    }

    /**
     * Sends the batch's packets, as many as the port takes now.
     *
     * @param batch the packets (their lengths set)
     * @return packets the port took (they left the batch); the rest stay in it, at the front
     * @throws IllegalStateException when the port is not started, or closed
     */
    public int send(PacketBatch batch) {
        port.checkStarted();
        batch.checkOpen();
        int size = batch.size();
        if (size == 0) {
            return 0;
        }
        int sent;
        try {
            // lengths and flags into the mbufs, then tx_burst: one call into the library
            sent = (int) Dpdk.Hot.TX_BURST_PREPARED.invokeExact(portId, queueId, batch.mbufs, batch.lens, (short) size, flags,
                    l2Length, l3Length);
        } catch (Throwable e) {
            throw PacketBatch.rethrow(e);
        }
        if (sent < 0) {
            throw new IllegalStateException("packet " + (-sent - 1) + " of the batch is longer than its room");
        }
        batch.removeFirst(sent);
        return sent;
    }
}
