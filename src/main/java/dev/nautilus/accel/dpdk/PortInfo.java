package dev.nautilus.accel.dpdk;

/**
 * What a port is and can do ({@code rte_eth_dev_info_get}, MAC address, link state without
 * waiting).
 *
 * @param id port id
 * @param name device name, e.g. {@code net_ring0}
 * @param driver driver name, e.g. {@code net_ring}
 * @param mac MAC address
 * @param socketId NUMA socket, -1 when unknown
 * @param maxRxQueues receive queues the driver allows
 * @param maxTxQueues transmit queues the driver allows
 * @param rxDescriptorsMin fewest descriptors per receive queue
 * @param rxDescriptorsMax most descriptors per receive queue
 * @param rxDescriptorsAlign receive descriptor counts must be a multiple of this
 * @param txDescriptorsMin fewest descriptors per transmit queue
 * @param txDescriptorsMax most descriptors per transmit queue
 * @param txDescriptorsAlign transmit descriptor counts must be a multiple of this
 * @param rxOffloadCapabilities {@code RTE_ETH_RX_OFFLOAD_*} bits the port offers
 * @param txOffloadCapabilities {@code RTE_ETH_TX_OFFLOAD_*} bits the port offers
 * @param maxRxPacketLength largest frame received, bytes
 * @param mtu current MTU
 * @param rxQueues configured receive queues
 * @param txQueues configured transmit queues
 * @param linkUp link status
 * @param linkSpeedMbps link speed, 0 when unknown
 * @param fullDuplex duplex
 * @param autonegotiated whether the link autonegotiated
 * @param promiscuous promiscuous mode
 * @param started whether the port runs
 */
public record PortInfo(int id, String name, String driver, MacAddress mac, int socketId, int maxRxQueues, int maxTxQueues,
                       int rxDescriptorsMin, int rxDescriptorsMax, int rxDescriptorsAlign, int txDescriptorsMin,
                       int txDescriptorsMax, int txDescriptorsAlign, long rxOffloadCapabilities, long txOffloadCapabilities,
                       int maxRxPacketLength, int mtu, int rxQueues, int txQueues, boolean linkUp, int linkSpeedMbps,
                       boolean fullDuplex, boolean autonegotiated, boolean promiscuous, boolean started) {

    /** @return the offered receive offloads by name ({@code IPV4_CKSUM, UDP_CKSUM, TCP_CKSUM} and the others as hex) */
    public String rxOffloadNames() {
        return offloadNames(rxOffloadCapabilities);
    }

    /** @return the offered transmit offloads by name */
    public String txOffloadNames() {
        return offloadNames(txOffloadCapabilities);
    }

    static String offloadNames(long bits) {
        StringBuilder b = new StringBuilder();
        String[] known = {"IPV4_CKSUM", "UDP_CKSUM", "TCP_CKSUM"};
        long[] masks = {0x2, 0x4, 0x8};
        long rest = bits;
        for (int i = 0; i < known.length; i++) {
            if ((bits & masks[i]) != 0) {
                b.append(b.isEmpty() ? "" : ",").append(known[i]);
                rest &= ~masks[i];
            }
        }
        if (rest != 0) {
            b.append(b.isEmpty() ? "" : ",").append("0x").append(Long.toHexString(rest));
        }
        return b.isEmpty() ? "none" : b.toString();
    }
}
