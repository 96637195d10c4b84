package dev.nautilus.accel.dpdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.testutil.Allocations;
import dev.nautilus.accel.dpdk.ChecksumsTest.Memory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class PacketsTest {
    private static final MacAddress SRC_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress DST_MAC = MacAddress.parse("02:00:00:00:00:02");
    private static final int SRC_IP = Ipv4Header.parseAddress("10.0.0.1");
    private static final int DST_IP = Ipv4Header.parseAddress("10.0.0.2");

    @Test
    void shouldDefineTheFrameLengthsItDocuments() {
        assertEquals(42, Packets.UDP_HEADERS_LENGTH);
        assertEquals(14, Packets.IPV4_OFFSET);
        assertEquals(34, Packets.UDP_OFFSET);
        assertEquals(60, Packets.MIN_FRAME_LENGTH, "a 64-byte frame on the wire is pkt_len 60 + 4 bytes of FCS");
        assertEquals(4, Packets.FCS_LENGTH);
        assertEquals(1514, Packets.MAX_STANDARD_FRAME_LENGTH);
        assertEquals(65507, Packets.MAX_UDP_PAYLOAD_LENGTH);
        MemorySegment s = MemorySegment.ofArray(new byte[64]);
        assertEquals(Packets.MIN_FRAME_LENGTH, Packets.writeUdpFrame(s, 0, SRC_MAC, DST_MAC, SRC_IP, DST_IP, 1, 2, 18, true));
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void shouldWriteAValidFrameWithSoftwareChecksums(Memory memory) {
        Random random = new Random(42);
        for (int payload = 0; payload <= 64; payload++) {
            int offset = random.nextInt(8);
            MemorySegment s = memory.allocate(offset + 42 + payload);
            byte[] data = new byte[payload];
            random.nextBytes(data);
            MemorySegment.copy(data, 0, s, ValueLayout.JAVA_BYTE, offset + 42, payload);
            int length = Packets.writeUdpFrame(s, offset, SRC_MAC, DST_MAC, SRC_IP, DST_IP, 5000, 6000, payload, true);
            assertEquals(42 + payload, length);
            assertEquals(DST_MAC, EthernetHeader.destination(s, offset));
            assertEquals(SRC_MAC, EthernetHeader.source(s, offset));
            assertEquals(EthernetHeader.ETHERTYPE_IPV4, EthernetHeader.etherType(s, offset));
            long ip = offset + 14;
            long udp = offset + 34;
            assertDoesNotThrow(() -> Ipv4Header.validate(s, ip, length - 14));
            assertEquals(28 + payload, Ipv4Header.totalLength(s, ip));
            assertEquals(Packets.DEFAULT_TTL, Ipv4Header.ttl(s, ip));
            assertEquals(Ipv4Header.PROTOCOL_UDP, Ipv4Header.protocol(s, ip));
            assertEquals(Ipv4Header.FLAG_DONT_FRAGMENT, Ipv4Header.flags(s, ip));
            assertEquals(SRC_IP, Ipv4Header.source(s, ip));
            assertEquals(DST_IP, Ipv4Header.destination(s, ip));
            assertEquals(5000, UdpHeader.sourcePort(s, udp));
            assertEquals(6000, UdpHeader.destinationPort(s, udp));
            assertEquals(8 + payload, UdpHeader.length(s, udp));
            byte[] datagram = s.asSlice(udp, 8 + payload).toArray(ValueLayout.JAVA_BYTE);
            assertEquals(UdpHeaderTest.referenceUdpChecksum(SRC_IP, DST_IP, datagram), UdpHeader.checksum(s, udp));
            assertTrue(UdpHeader.isChecksumValid(s, ip, udp));
            assertArrayEquals(data, s.asSlice(offset + 42, payload).toArray(ValueLayout.JAVA_BYTE), "payload untouched");
        }
    }

    @Test
    void shouldPrepareAFrameAnOffloadingNicCompletesToTheSoftwareFrame() {
        Random random = new Random(7);
        for (int payload = 0; payload <= 64; payload++) {
            byte[] data = new byte[payload];
            random.nextBytes(data);
            MemorySegment software = MemorySegment.ofArray(new byte[42 + payload]);
            MemorySegment offload = MemorySegment.ofArray(new byte[42 + payload]);
            MemorySegment.copy(data, 0, software, ValueLayout.JAVA_BYTE, 42, payload);
            Packets.writeUdpFrame(software, 0, SRC_MAC, DST_MAC, SRC_IP, DST_IP, 9, 4791, payload, true);
            Packets.writeUdpFrame(offload, 0, SRC_MAC, DST_MAC, SRC_IP, DST_IP, 9, 4791, payload, false);
            MemorySegment.copy(data, 0, offload, ValueLayout.JAVA_BYTE, 42, payload); // payload may come after
            assertEquals(0, Ipv4Header.checksum(offload, 14), "the NIC computes the IPv4 checksum over a zero field");
            assertEquals(UdpHeader.pseudoHeaderChecksum(SRC_IP, DST_IP, 8 + payload), UdpHeader.checksum(offload, 34));
            // what the NIC does with IP_CKSUM | UDP_CKSUM
            Ipv4Header.writeChecksum(offload, 14);
            int udp = ~Checksums.sum(offload, 34, 8 + payload) & 0xFFFF;
            UdpHeader.setChecksum(offload, 34, udp == 0 ? 0xFFFF : udp);
            assertArrayEquals(software.toArray(ValueLayout.JAVA_BYTE), offload.toArray(ValueLayout.JAVA_BYTE), "payload " + payload);
        }
    }

    @Test
    void shouldRefuseBadArgumentsWithoutWritingAnything() {
        MemorySegment s = MemorySegment.ofArray(new byte[100]);
        assertEquals("invalid UDP payload length 65508: it must be 0 to 65507 (65535 minus the 20-byte IPv4 and 8-byte UDP headers)",
                frameError(s, 0, SRC_MAC, 1, 2, 65508));
        assertTrue(frameError(s, 0, SRC_MAC, 1, 2, -1).startsWith("invalid UDP payload length -1"));
        assertEquals("invalid UDP source port 65536: ports are 0 to 65535", frameError(s, 0, SRC_MAC, 65536, 2, 10));
        assertEquals("invalid UDP destination port -2: ports are 0 to 65535", frameError(s, 0, SRC_MAC, 1, -2, 10));
        assertEquals("source MAC address is null: pass a MacAddress (e.g. MacAddress.parse(\"02:00:00:00:00:01\"))",
                frameError(s, 0, null, 1, 2, 10));
        IndexOutOfBoundsException small = assertThrows(IndexOutOfBoundsException.class,
                () -> Packets.writeUdpFrame(s, 0, SRC_MAC, DST_MAC, SRC_IP, DST_IP, 1, 2, 59, true));
        assertTrue(small.getMessage().startsWith("range of 101 bytes at offset 0 is not inside the segment of 100 bytes"),
                small.getMessage());
        assertArrayEquals(new byte[100], s.toArray(ValueLayout.JAVA_BYTE), "nothing was written");
        assertEquals(100, Packets.writeUdpFrame(s, 0, SRC_MAC, DST_MAC, SRC_IP, DST_IP, 0, 65535, 58, false));
    }

    private static String frameError(MemorySegment s, long offset, MacAddress src, int srcPort, int dstPort, int payload) {
        return assertThrows(IllegalArgumentException.class,
                () -> Packets.writeUdpFrame(s, offset, src, DST_MAC, SRC_IP, DST_IP, srcPort, dstPort, payload, true)).getMessage();
    }

    @Test
    void shouldNotAllocateOnTheHotPath() {
        MemorySegment frame = Arena.ofAuto().allocate(2048, 64);
        Allocations.assertNoAllocation("packet helpers", () -> {
            long sink = 0;
            for (int i = 0; i < 50_000; i++) {
                int payload = i & 1023;
                sink += Packets.writeUdpFrame(frame, i & 7, SRC_MAC, DST_MAC, SRC_IP, DST_IP, 1, 2, payload, (i & 1) == 0);
                sink += Ipv4Header.isValid(frame, (i & 7) + 14, 28 + payload) ? 1 : 0;
                sink += UdpHeader.isChecksumValid(frame, (i & 7) + 14, (i & 7) + 34) ? 1 : 0;
                sink += Checksums.sum(frame, i & 15, payload) + Checksums.update(i & 0xFFFF, 1, 2);
                sink += EthernetHeader.destinationBits(frame, i & 7) + EthernetHeader.etherType(frame, i & 7);
                MacAddress.writeBits(frame, 100, i);
            }
            return sink;
        });
    }

}
