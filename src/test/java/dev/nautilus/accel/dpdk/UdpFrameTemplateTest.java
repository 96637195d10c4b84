package dev.nautilus.accel.dpdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UdpFrameTemplateTest {
    private static final MacAddress SRC = MacAddress.parse("02:00:00:00:00:01");
    private static final MacAddress DST = MacAddress.parse("02:00:00:00:00:02");
    private static final int SRC_IP = Ipv4Header.parseAddress("10.0.0.1");
    private static final int DST_IP = Ipv4Header.parseAddress("192.168.1.200");
    private final UdpFrameTemplate template = new UdpFrameTemplate(SRC, DST, SRC_IP, DST_IP, 5000, 53);

    @Test
    void shouldWriteExactlyWhatTheGeneralBuilderWritesForEveryPayloadLength() {
        Random random = new Random(7);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(2048);
            MemorySegment b = arena.allocate(2048);
            for (int payload = 0; payload <= 300; payload++) {
                int at = random.nextInt(8);
                byte[] data = new byte[payload];
                random.nextBytes(data);
                // bytes after the frame are not zero: a sum that read past the payload would show
                a.fill((byte) 0xA5);
                b.fill((byte) 0xA5);
                MemorySegment.copy(data, 0, a, ValueLayout.JAVA_BYTE, at + 42, payload);
                MemorySegment.copy(data, 0, b, ValueLayout.JAVA_BYTE, at + 42, payload);
                assertEquals(42 + payload, Packets.writeUdpFrame(a, at, SRC, DST, SRC_IP, DST_IP, 5000, 53, payload, true));
                assertEquals(42 + payload, template.write(b, at, payload, 0));
                assertArrayEquals(a.toArray(ValueLayout.JAVA_BYTE), b.toArray(ValueLayout.JAVA_BYTE), "payload " + payload);
                assertTrue(UdpFrameTemplate.verify(b, at, 42 + payload));
                assertTrue(Ipv4Header.isChecksumValid(b, at + 14) && UdpHeader.isChecksumValid(b, at + 14, at + 34));
                // the big-endian machines' path, which names its byte order, runs here too
                b.fill((byte) 0xA5);
                MemorySegment.copy(data, 0, b, ValueLayout.JAVA_BYTE, at + 42, payload);
                template.writePortable(b, at, payload, 0);
                assertArrayEquals(a.toArray(ValueLayout.JAVA_BYTE), b.toArray(ValueLayout.JAVA_BYTE), "portable, payload " + payload);
                assertTrue(UdpFrameTemplate.verifyPortable(b, at, 42 + payload), "portable, payload " + payload);
                long flip = at + 14 + random.nextInt(28 + payload); // any byte of the IPv4 header, UDP header or payload
                b.set(ValueLayout.JAVA_BYTE, flip, (byte) (b.get(ValueLayout.JAVA_BYTE, flip) ^ 0x10));
                assertFalse(UdpFrameTemplate.verifyPortable(b, at, 42 + payload), "portable, flipped byte " + flip);
                assertFalse(UdpFrameTemplate.verify(b, at, 42 + payload), "flipped byte " + flip);
            }
        }
    }

    @Test
    void shouldSetTheIdentificationAndKeepBothChecksumsValid() {
        MemorySegment s = MemorySegment.ofArray(new byte[200]);
        for (int id : new int[] {0, 1, 0x1234, 0xFFFF, 0x12345}) {
            template.write(s, 3, 100, id);
            assertEquals(id & 0xFFFF, Ipv4Header.identification(s, 3 + 14));
            assertTrue(Ipv4Header.isChecksumValid(s, 3 + 14), "id " + id);
            assertTrue(UdpFrameTemplate.verify(s, 3, 142));
        }
    }

    @Test
    void shouldRejectCorruptOrTruncatedFrames() {
        MemorySegment s = MemorySegment.ofArray(new byte[200]);
        template.write(s, 0, 64, 9);
        assertTrue(UdpFrameTemplate.verify(s, 0, 106));
        assertFalse(UdpFrameTemplate.verify(s, 0, 105), "frame length disagrees with the UDP length");
        assertFalse(UdpFrameTemplate.verify(s, 0, 41), "shorter than the headers");
        assertFalse(UdpFrameTemplate.verify(s, 150, 106), "outside the segment");
        s.set(ValueLayout.JAVA_BYTE, 80, (byte) (s.get(ValueLayout.JAVA_BYTE, 80) ^ 1));
        assertFalse(UdpFrameTemplate.verify(s, 0, 106), "a flipped payload bit");
        s.set(ValueLayout.JAVA_BYTE, 80, (byte) (s.get(ValueLayout.JAVA_BYTE, 80) ^ 1));
        s.set(ValueLayout.JAVA_BYTE, 22, (byte) 63);
        assertFalse(UdpFrameTemplate.verify(s, 0, 106), "a changed TTL breaks the IPv4 checksum");
    }

    @Test
    void shouldRejectBadLengthsWithoutWriting() {
        MemorySegment s = MemorySegment.ofArray(new byte[100]);
        assertThrows(IllegalArgumentException.class, () -> template.write(s, 0, -1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> template.write(s, 0, 59, 0));
        assertArrayEquals(new byte[100], s.toArray(ValueLayout.JAVA_BYTE));
    }
}
