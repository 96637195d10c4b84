package dev.nautilus.accel.dpdk;

import static dev.nautilus.accel.dpdk.ChecksumsTest.hex;
import static dev.nautilus.accel.dpdk.ChecksumsTest.referenceSum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.dpdk.ChecksumsTest.Memory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class UdpHeaderTest {
    /**
     * The reference UDP checksum: RFC 768 spelled out byte by byte. Builds the pseudo-header
     * bytes, appends the datagram with its checksum field zeroed, sums with the byte-by-byte
     * reference and complements; a result of 0 is sent as 0xFFFF.
     */
    static int referenceUdpChecksum(int source, int destination, byte[] datagram) {
        ByteBuffer b = ByteBuffer.allocate(12 + datagram.length);
        b.putInt(source).putInt(destination).put((byte) 0).put((byte) 17).putShort((short) datagram.length);
        byte[] copy = datagram.clone();
        copy[6] = 0;
        copy[7] = 0;
        b.put(copy);
        int checksum = ~referenceSum(b.array()) & 0xFFFF;
        return checksum == 0 ? 0xFFFF : checksum;
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void shouldMatchTheReferenceForEveryPayloadLengthAndAlignment(Memory memory) {
        Random random = new Random(768);
        for (int payload = 0; payload <= 64; payload++) {
            for (int round = 0; round < 8; round++) {
                int ipOffset = random.nextInt(16);
                int udpOffset = ipOffset + 20;
                int udpLength = 8 + payload;
                MemorySegment s = memory.allocate(udpOffset + udpLength + random.nextInt(3));
                int src = random.nextInt();
                int dst = round == 0 ? -1 : random.nextInt();
                Ipv4Header.write(s, ipOffset, 20 + udpLength, 0, 64, Ipv4Header.PROTOCOL_UDP, src, dst);
                UdpHeader.write(s, udpOffset, random.nextInt(65536), random.nextInt(65536), udpLength);
                byte[] data = new byte[payload];
                random.nextBytes(data);
                if (round == 1) {
                    java.util.Arrays.fill(data, (byte) 0xFF);
                }
                MemorySegment.copy(data, 0, s, ValueLayout.JAVA_BYTE, udpOffset + 8, payload);
                byte[] datagram = s.asSlice(udpOffset, udpLength).toArray(ValueLayout.JAVA_BYTE);
                int expected = referenceUdpChecksum(src, dst, datagram);
                String where = "payload " + payload + " at IPv4 offset " + ipOffset;
                assertEquals(expected, UdpHeader.computeChecksum(s, ipOffset, udpOffset), where);
                assertTrue(UdpHeader.isChecksumValid(s, ipOffset, udpOffset), "checksum 0 means none: " + where);
                assertEquals(expected, UdpHeader.writeChecksum(s, ipOffset, udpOffset));
                assertEquals(expected, UdpHeader.checksum(s, udpOffset));
                assertTrue(UdpHeader.isChecksumValid(s, ipOffset, udpOffset), where);
                if (payload > 0) {
                    long at = udpOffset + 8 + random.nextInt(payload);
                    s.set(ValueLayout.JAVA_BYTE, at, (byte) (s.get(ValueLayout.JAVA_BYTE, at) ^ (1 << random.nextInt(8))));
                    assertFalse(UdpHeader.isChecksumValid(s, ipOffset, udpOffset), "one payload bit flipped: " + where);
                }
            }
        }
    }

    @Test
    void shouldAgreeWithARealCapturedDatagram() {
        // The captured SSDP M-SEARCH frame (see Ipv4HeaderTest): UDP 48301 -> 32412, length 29, checksum 0xc9d9.
        MemorySegment frame = MemorySegment.ofArray(Ipv4HeaderTest.SSDP_FRAME.clone());
        assertEquals(48301, UdpHeader.sourcePort(frame, 34));
        assertEquals(32412, UdpHeader.destinationPort(frame, 34));
        assertEquals(29, UdpHeader.length(frame, 34));
        assertEquals(0xc9d9, UdpHeader.checksum(frame, 34));
        assertTrue(UdpHeader.isChecksumValid(frame, 14, 34));
        assertEquals(0xc9d9, UdpHeader.computeChecksum(frame, 14, 34));
    }

    @Test
    void shouldAgreeWithAConstructedDnsQuery() {
        // A DNS query for example.com (A, IN, id 0x1a2b, recursion desired) from 192.168.1.10:51515 to 8.8.8.8:53.
        // Built here, not captured (no network on the build machines); its checksums (IPv4 0x1bc4, UDP 0x7ad8)
        // were computed by a separate Python script and are checked against the reference sum as well.
        byte[] packet = hex("450000394d2e400040111bc4c0a8010a08080808c93b003500257ad8"
                + "1a2b01000001000000000000076578616d706c6503636f6d0000010001");
        MemorySegment s = MemorySegment.ofArray(packet);
        Ipv4Header.validate(s, 0, packet.length);
        assertEquals(53, UdpHeader.destinationPort(s, 20));
        assertEquals(0x7ad8, UdpHeader.checksum(s, 20));
        assertTrue(UdpHeader.isChecksumValid(s, 0, 20));
        byte[] datagram = s.asSlice(20).toArray(ValueLayout.JAVA_BYTE);
        assertEquals(0x7ad8, referenceUdpChecksum(Ipv4Header.source(s, 0), Ipv4Header.destination(s, 0), datagram));
        assertEquals(0x7ad8, UdpHeader.computeChecksum(s, 0, 20));
    }

    @Test
    void shouldSendAComputedZeroAsAllOnes() {
        MemorySegment s = MemorySegment.ofArray(new byte[20 + 8 + 2]);
        Ipv4Header.write(s, 0, 30, 0, 64, Ipv4Header.PROTOCOL_UDP, 0x0A000001, 0x0A000002);
        UdpHeader.write(s, 20, 1000, 2000, 10);
        // choose the last payload word so that the whole sums to 0xFFFF: the checksum would be 0
        int partial = ~UdpHeader.computeChecksum(s, 0, 20) & 0xFFFF;
        s.set(ChecksumsTest.SHORT_BE, 28, (short) (~partial & 0xFFFF));
        byte[] datagram = s.asSlice(20).toArray(ValueLayout.JAVA_BYTE);
        assertEquals(0xFFFF, referenceUdpChecksum(0x0A000001, 0x0A000002, datagram));
        assertEquals(0xFFFF, UdpHeader.computeChecksum(s, 0, 20), "RFC 768: a computed zero is transmitted as all ones");
        UdpHeader.writeChecksum(s, 0, 20);
        assertTrue(UdpHeader.isChecksumValid(s, 0, 20));
    }

    @Test
    void shouldTreatAZeroChecksumAsNone() {
        MemorySegment s = MemorySegment.ofArray(new byte[40]);
        Ipv4Header.write(s, 0, 40, 0, 64, Ipv4Header.PROTOCOL_UDP, 1, 2);
        UdpHeader.write(s, 20, 1, 2, 20);
        s.set(ValueLayout.JAVA_BYTE, 30, (byte) 42);
        assertEquals(UdpHeader.NO_CHECKSUM, UdpHeader.checksum(s, 20));
        assertTrue(UdpHeader.isChecksumValid(s, 0, 20));
        UdpHeader.setChecksum(s, 20, 0x1234);
        assertFalse(UdpHeader.isChecksumValid(s, 0, 20));
    }

    @Test
    void shouldWriteTheWireBytesAndReadBackEveryField() {
        MemorySegment s = MemorySegment.ofArray(new byte[11]);
        UdpHeader.write(s, 3, 0xC93B, 53, 37);
        assertArrayEquals(hex("c9 3b 00 35 00 25 00 00"), s.asSlice(3).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(0xC93B, UdpHeader.sourcePort(s, 3));
        assertEquals(53, UdpHeader.destinationPort(s, 3));
        assertEquals(37, UdpHeader.length(s, 3));
        assertEquals(0, UdpHeader.checksum(s, 3));
        UdpHeader.setChecksum(s, 3, 0xFFFF);
        assertEquals(0xFFFF, UdpHeader.checksum(s, 3));
        UdpHeader.write(s, 3, 65535, 0, 65535);
        assertEquals(65535, UdpHeader.sourcePort(s, 3));
        assertEquals(65535, UdpHeader.length(s, 3));
        assertEquals(0, UdpHeader.checksum(s, 3), "write clears the checksum");
    }

    @Test
    void shouldGiveThePseudoHeaderSumAnOffloadingNicCompletes() {
        Random random = new Random(1624);
        for (int payload = 0; payload <= 64; payload++) {
            MemorySegment s = MemorySegment.ofArray(new byte[28 + payload]);
            int src = random.nextInt();
            int dst = random.nextInt();
            int udpLength = 8 + payload;
            Ipv4Header.write(s, 0, 20 + udpLength, 0, 64, Ipv4Header.PROTOCOL_UDP, src, dst);
            UdpHeader.write(s, 20, random.nextInt(65536), random.nextInt(65536), udpLength);
            byte[] data = new byte[payload];
            random.nextBytes(data);
            MemorySegment.copy(data, 0, s, ValueLayout.JAVA_BYTE, 28, payload);

            ByteBuffer pseudo = ByteBuffer.allocate(12).putInt(src).putInt(dst).putShort((short) 17).putShort((short) udpLength);
            int pseudoSum = UdpHeader.pseudoHeaderChecksum(src, dst, udpLength);
            assertEquals(referenceSum(pseudo.array()), pseudoSum, "folded, not complemented");
            assertEquals(pseudoSum, UdpHeader.pseudoHeaderChecksum(s, 0, 20));

            int software = UdpHeader.computeChecksum(s, 0, 20);
            // what the NIC does: sum header (field preset to the pseudo-header sum) and payload, complement
            UdpHeader.setChecksum(s, 20, pseudoSum);
            int nic = ~Checksums.sum(s, 20, udpLength) & 0xFFFF;
            assertEquals(software, nic == 0 ? 0xFFFF : nic, "payload " + payload);
        }
    }

    @Test
    void shouldRefuseBadArgumentsNamingThem() {
        MemorySegment s = MemorySegment.ofArray(new byte[28]);
        assertEquals("invalid UDP source port -1: ports are 0 to 65535",
                assertThrows(IllegalArgumentException.class, () -> UdpHeader.write(s, 20, -1, 2, 8)).getMessage());
        assertEquals("invalid UDP destination port 65536: ports are 0 to 65535",
                assertThrows(IllegalArgumentException.class, () -> UdpHeader.write(s, 20, 1, 65536, 8)).getMessage());
        assertEquals("invalid UDP length 7: it counts the 8-byte header and the payload, so it must be 8 to 65535",
                assertThrows(IllegalArgumentException.class, () -> UdpHeader.write(s, 20, 1, 2, 7)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> UdpHeader.write(s, 20, 1, 2, 65536));
        assertEquals("invalid UDP length 65536: it counts the 8-byte header and the payload, so it must be 8 to 65535",
                assertThrows(IllegalArgumentException.class, () -> UdpHeader.pseudoHeaderChecksum(1, 2, 65536)).getMessage());
        assertEquals("invalid UDP checksum 65536: it is a 16-bit value, 0 to 0xFFFF",
                assertThrows(IllegalArgumentException.class, () -> UdpHeader.setChecksum(s, 20, 65536)).getMessage());
        assertArrayEquals(new byte[28], s.toArray(ValueLayout.JAVA_BYTE), "nothing was written");
        assertThrows(IndexOutOfBoundsException.class, () -> UdpHeader.write(s, 21, 1, 2, 8));

        assertEquals("invalid UDP length field 0 in the UDP header at offset 20: it must be at least 8 (the header); "
                        + "write the header first (UdpHeader.write)",
                assertThrows(IllegalArgumentException.class, () -> UdpHeader.computeChecksum(s, 0, 20)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> UdpHeader.pseudoHeaderChecksum(s, 0, 20));
        UdpHeader.write(s, 20, 1, 2, 9);
        assertTrue(UdpHeader.isChecksumValid(s, 0, 20), "no checksum");
        UdpHeader.setChecksum(s, 20, 1);
        IndexOutOfBoundsException past = assertThrows(IndexOutOfBoundsException.class, () -> UdpHeader.computeChecksum(s, 0, 20));
        assertTrue(past.getMessage().startsWith("range of 9 bytes at offset 20 is not inside the segment of 28 bytes"),
                past.getMessage());
        s.set(ChecksumsTest.SHORT_BE, 24, (short) 4);
        assertFalse(UdpHeader.isChecksumValid(s, 0, 20), "a length field below 8 is never valid");
    }
}
