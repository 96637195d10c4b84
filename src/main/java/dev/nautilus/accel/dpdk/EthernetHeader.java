package dev.nautilus.accel.dpdk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Ethernet II header of an untagged frame, read and written in place in a
 * {@link MemorySegment}. Multi-byte fields are in network byte order (big-endian).
 *
 * <pre>
 *   offset  size  field
 *   ------  ----  -----------------------------------------------
 *        0     6  destination MAC address
 *        6     6  source MAC address
 *       12     2  EtherType (0x0800 IPv4, 0x0806 ARP, 0x86DD IPv6,
 *                 0x8100 an 802.1Q VLAN tag follows: 4 more bytes)
 *       14        payload (the IPv4 header of an IPv4 frame)
 * </pre>
 *
 * The frame check sequence (FCS) at the end of the frame is the NIC's business and is not part
 * of what DPDK hands over. A frame whose EtherType is {@link #ETHERTYPE_VLAN} carries a 4-byte tag
 * before the real EtherType; the methods here do not look past it.
 *
 * <p>Methods are static, take {@code (segment, offset)} of the header's first byte (any
 * alignment), do not allocate (except those returning a {@link MacAddress}, which say so), and
 * throw {@link IndexOutOfBoundsException} when the field is not inside the segment.
 */
public final class EthernetHeader {
    /** Header length in bytes, untagged. */
    public static final int LENGTH = 14;
    /** Offset of the destination MAC address. */
    public static final int DESTINATION_OFFSET = 0;
    /** Offset of the source MAC address. */
    public static final int SOURCE_OFFSET = 6;
    /** Offset of the EtherType. */
    public static final int ETHERTYPE_OFFSET = 12;

    /** EtherType of IPv4. */
    public static final int ETHERTYPE_IPV4 = 0x0800;
    /** EtherType of ARP. */
    public static final int ETHERTYPE_ARP = 0x0806;
    /** EtherType of IPv6. */
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    /** EtherType (tag protocol identifier) of an IEEE 802.1Q VLAN tag. */
    public static final int ETHERTYPE_VLAN = 0x8100;

    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private EthernetHeader() {}

    /**
     * Writes the 14 header bytes.
     *
     * @param segment the frame, writable
     * @param offset the header's first byte
     * @param destination destination address
     * @param source source address
     * @param etherType 0 to 0xFFFF, e.g. {@link #ETHERTYPE_IPV4}
     * @throws IllegalArgumentException for a null address or an EtherType out of range
     * @throws IndexOutOfBoundsException when the 14 bytes are not inside the segment
     */
    public static void write(MemorySegment segment, long offset, MacAddress destination, MacAddress source,
                             int etherType) {
        if (destination == null || source == null) {
            throw new IllegalArgumentException((destination == null ? "destination" : "source")
                    + " MAC address is null: pass a MacAddress (e.g. MacAddress.parse(\"02:00:00:00:00:01\"))");
        }
        write(segment, offset, destination.toLong(), source.toLong(), etherType);
    }

    /**
     * Writes the 14 header bytes from address bits ({@link MacAddress#toLong()}).
     *
     * @param segment the frame, writable
     * @param offset the header's first byte
     * @param destination destination address bits (48)
     * @param source source address bits (48)
     * @param etherType 0 to 0xFFFF, e.g. {@link #ETHERTYPE_IPV4}
     * @throws IllegalArgumentException for address bits above the 48th or an EtherType out of range
     * @throws IndexOutOfBoundsException when the 14 bytes are not inside the segment
     */
    public static void write(MemorySegment segment, long offset, long destination, long source, int etherType) {
        if ((etherType & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("invalid EtherType " + etherType
                    + ": it is a 16-bit value, 0 to 0xFFFF (e.g. EthernetHeader.ETHERTYPE_IPV4, 0x0800)");
        }
        MacAddress.checkBits(destination);
        MacAddress.checkBits(source);
        Checksums.checkRange(segment, offset, LENGTH);
        MacAddress.writeBits(segment, offset + DESTINATION_OFFSET, destination);
        MacAddress.writeBits(segment, offset + SOURCE_OFFSET, source);
        segment.set(SHORT_BE, offset + ETHERTYPE_OFFSET, (short) etherType);
    }

    /**
     * @param segment the frame
     * @param offset the header's first byte
     * @return the destination address as a new object (use {@link #destinationBits} on hot paths)
     */
    public static MacAddress destination(MemorySegment segment, long offset) {
        return MacAddress.read(segment, offset + DESTINATION_OFFSET);
    }

    /**
     * @param segment the frame
     * @param offset the header's first byte
     * @return the destination address bits, as {@link MacAddress#toLong()}
     */
    public static long destinationBits(MemorySegment segment, long offset) {
        return MacAddress.readBits(segment, offset + DESTINATION_OFFSET);
    }

    /**
     * @param segment the frame
     * @param offset the header's first byte
     * @return the source address as a new object (use {@link #sourceBits} on hot paths)
     */
    public static MacAddress source(MemorySegment segment, long offset) {
        return MacAddress.read(segment, offset + SOURCE_OFFSET);
    }

    /**
     * @param segment the frame
     * @param offset the header's first byte
     * @return the source address bits, as {@link MacAddress#toLong()}
     */
    public static long sourceBits(MemorySegment segment, long offset) {
        return MacAddress.readBits(segment, offset + SOURCE_OFFSET);
    }

    /**
     * @param segment the frame
     * @param offset the header's first byte
     * @return the EtherType, 0 to 0xFFFF (values below 0x0600 are 802.3 lengths, not types)
     */
    public static int etherType(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset + ETHERTYPE_OFFSET) & 0xFFFF;
    }
}
