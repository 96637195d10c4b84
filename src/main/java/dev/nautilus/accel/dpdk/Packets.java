package dev.nautilus.accel.dpdk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One-call builders for the frames benchmarks and tests send: Ethernet II + IPv4 (no options)
 * + UDP.
 *
 * <pre>
 *   frame offset  size  what
 *   ------------  ----  ---------------------------------------------
 *              0    14  {@link EthernetHeader}, EtherType 0x0800
 *             14    20  {@link Ipv4Header}, DF, TTL {@link #DEFAULT_TTL}, identification 0
 *             34     8  {@link UdpHeader}
 *             42     n  payload
 * </pre>
 *
 * <p><b>Frame lengths.</b> Every length here is the frame length as given to DPDK
 * ({@code pkt_len} / {@code data_len} of the mbuf): destination MAC to the end of the payload.
 * The 4-byte frame check sequence (FCS) is not included; the NIC appends it. So the "64-byte
 * frame" of RFC 2544 and of line-rate tables is a {@code pkt_len} of {@link #MIN_FRAME_LENGTH}
 * (60 = 42 bytes of headers + 18 of payload), and a tool that reports "64-byte packets" with
 * {@code pkt_len} 64 puts 68 bytes on the wire (plus 20 of preamble and inter-frame gap). NICs
 * pad frames shorter than 60 bytes; {@link #writeUdpFrame} does not.
 *
 * <p>Methods are static and do not allocate except when they throw.
 */
public final class Packets {
    /** Offset of the IPv4 header in a frame {@link #writeUdpFrame} writes. */
    public static final int IPV4_OFFSET = EthernetHeader.LENGTH;
    /** Offset of the UDP header in a frame {@link #writeUdpFrame} writes. */
    public static final int UDP_OFFSET = IPV4_OFFSET + Ipv4Header.LENGTH;
    /** Ethernet + IPv4 + UDP header bytes, 42: the payload starts at this offset in the frame. */
    public static final int UDP_HEADERS_LENGTH = UDP_OFFSET + UdpHeader.LENGTH;
    /** Bytes of the frame check sequence the NIC appends, not counted in frame lengths here. */
    public static final int FCS_LENGTH = 4;
    /** Shortest Ethernet frame without FCS, 60 bytes: 64 on the wire with the FCS. */
    public static final int MIN_FRAME_LENGTH = 64 - FCS_LENGTH;
    /** Longest frame without FCS at the standard 1500-byte MTU: 1514. */
    public static final int MAX_STANDARD_FRAME_LENGTH = 1500 + EthernetHeader.LENGTH;
    /** Largest UDP payload over IPv4 without options: 65535 - 20 - 8 = 65507 bytes. */
    public static final int MAX_UDP_PAYLOAD_LENGTH = Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.LENGTH - UdpHeader.LENGTH;
    /** Time to live {@link #writeUdpFrame} writes. */
    public static final int DEFAULT_TTL = 64;

    private Packets() {}

    /**
     * Writes the 42 header bytes of an Ethernet + IPv4 + UDP frame in front of a payload of
     * {@code payloadLength} bytes at {@code offset + 42}.
     *
     * <p>With {@code softwareChecksums} true, both checksums are computed here: the payload must
     * already be in place, and the frame can be sent with no offload flags. With false, the frame
     * is prepared for checksum offload: the IPv4 checksum field is 0 and the UDP checksum field
     * holds the pseudo-header sum ({@link UdpHeader#pseudoHeaderChecksum}); send it with
     * {@code NA_DPDK_TX_IPV4 | NA_DPDK_TX_IP_CKSUM | NA_DPDK_TX_UDP_CKSUM}, {@code l2_len} 14 and
     * {@code l3_len} 20, on a port configured with the IPv4 and UDP checksum transmit offloads.
     * The payload may then be written before or after this call.
     *
     * <p>Frames longer than {@link #MAX_STANDARD_FRAME_LENGTH} need a port with a larger MTU.
     *
     * @param segment the frame's memory (e.g. an mbuf's data room), writable
     * @param offset the frame's first byte
     * @param sourceMac source MAC address
     * @param destinationMac destination MAC address
     * @param sourceIp source IPv4 address, first byte in bits 31..24 ({@link Ipv4Header#parseAddress})
     * @param destinationIp destination IPv4 address
     * @param sourcePort UDP source port, 0 to 65535
     * @param destinationPort UDP destination port, 0 to 65535
     * @param payloadLength payload bytes, 0 to {@link #MAX_UDP_PAYLOAD_LENGTH}
     * @param softwareChecksums true: compute both checksums; false: prepare for checksum offload
     * @return the frame length ({@code pkt_len}, without FCS): {@code 42 + payloadLength}
     * @throws IllegalArgumentException for a null address, a port or a length out of range; nothing is written
     * @throws IndexOutOfBoundsException when the frame is not inside the segment; nothing is written
     */
    public static int writeUdpFrame(MemorySegment segment, long offset, MacAddress sourceMac, MacAddress destinationMac,
                                    int sourceIp, int destinationIp, int sourcePort, int destinationPort,
                                    int payloadLength, boolean softwareChecksums) {
        if (sourceMac == null || destinationMac == null) {
            throw new IllegalArgumentException((sourceMac == null ? "source" : "destination")
                    + " MAC address is null: pass a MacAddress (e.g. MacAddress.parse(\"02:00:00:00:00:01\"))");
        }
        if (payloadLength < 0 || payloadLength > MAX_UDP_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("invalid UDP payload length " + payloadLength + ": it must be 0 to "
                    + MAX_UDP_PAYLOAD_LENGTH + " (65535 minus the 20-byte IPv4 and 8-byte UDP headers)");
        }
        if (sourcePort < 0 || sourcePort > 0xFFFF || destinationPort < 0 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("invalid UDP " + (sourcePort < 0 || sourcePort > 0xFFFF
                    ? "source port " + sourcePort : "destination port " + destinationPort) + ": ports are 0 to 65535");
        }
        int frameLength = UDP_HEADERS_LENGTH + payloadLength;
        Checksums.checkRange(segment, offset, frameLength);
        int udpLength = UdpHeader.LENGTH + payloadLength;
        long ip = offset + IPV4_OFFSET;
        long udp = offset + UDP_OFFSET;
        EthernetHeader.write(segment, offset, destinationMac.toLong(), sourceMac.toLong(), EthernetHeader.ETHERTYPE_IPV4);
        Ipv4Header.write(segment, ip, Ipv4Header.LENGTH + udpLength, 0, DEFAULT_TTL, Ipv4Header.PROTOCOL_UDP,
                sourceIp, destinationIp);
        UdpHeader.write(segment, udp, sourcePort, destinationPort, udpLength);
        if (softwareChecksums) {
            // the UDP checksum from the values just written (pseudo-header, ports, length) and the
            // payload in memory: the same result as UdpHeader.writeChecksum without reading the headers back
            long sum = UdpHeader.pseudoHeaderChecksum(sourceIp, destinationIp, udpLength) + sourcePort + destinationPort
                    + udpLength + Checksums.sum(segment, udp + UdpHeader.LENGTH, payloadLength);
            int checksum = ~Checksums.fold(sum) & 0xFFFF;
            UdpHeader.setChecksum(segment, udp, checksum == 0 ? 0xFFFF : checksum);
        } else {
            segment.set(ValueLayout.JAVA_SHORT_UNALIGNED, ip + Ipv4Header.CHECKSUM_OFFSET, (short) 0);
            UdpHeader.setChecksum(segment, udp, UdpHeader.pseudoHeaderChecksum(sourceIp, destinationIp, udpLength));
        }
        return frameLength;
    }
}
