package dev.nautilus.accel.dpdk;

/**
 * A port's basic counters ({@code rte_eth_stats}), since start or the last reset.
 *
 * @param rxPackets packets received
 * @param txPackets packets sent
 * @param rxBytes bytes received
 * @param txBytes bytes sent
 * @param rxMissed packets dropped because a receive queue was full
 * @param rxErrors erroneous packets received
 * @param txErrors failed transmissions
 * @param rxNoMbuf receive mbuf allocation failures (the mempool ran dry)
 */
public record PortStats(long rxPackets, long txPackets, long rxBytes, long txBytes, long rxMissed, long rxErrors,
                        long txErrors, long rxNoMbuf) {}
