package dev.nautilus.accel.dpdk;

import static dev.nautilus.accel.dpdk.ChecksumsTest.hex;
import static dev.nautilus.accel.dpdk.ChecksumsTest.referenceSum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.testutil.Allocations;
import dev.nautilus.accel.dpdk.ChecksumsTest.Memory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(60)
class TransportFrameTest {
    private static final long SRC_MAC = MacAddress.parse("02:00:00:00:00:01").toLong();
    private static final long DST_MAC = MacAddress.parse("02:00:00:00:00:02").toLong();
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The frame of {@link #shouldWriteTheWireBytesItDocuments}: engine 3 to engine 7, type 42, sequence 0x0102030405060708, "ping". */
    private static final String PING = "02 00 00 00 00 02  02 00 00 00 00 01  88 b5" // Ethernet: dst, src, EtherType
            + "4e 41  01  00  01  00" // magic "NA", version 1, flags 0, priority 1 (normal), reserved 0
            + "00 03  00 07  00 00 00 2a  00 04" // source engine 3, destination engine 7, type 42, payload length 4
            + "9f 72" // header checksum: the words of bytes 14..39 sum to 0x608d (worked out by hand, checked below)
            + "01 02 03 04 05 06 07 08" // sequence number
            + "70 69 6e 67"; // payload "ping"

    @Test
    void shouldDefineTheLayoutItDocuments() {
        assertEquals(0x88B5, TransportFrame.ETHER_TYPE);
        assertEquals(40, TransportFrame.HEADER_LENGTH);
        assertEquals(26, TransportFrame.TRANSPORT_HEADER_LENGTH);
        assertEquals(0, TransportFrame.HEADER_LENGTH % 8, "the payload is 8-byte aligned from the frame start");
        assertEquals(0, TransportFrame.SEQUENCE_OFFSET % 8);
        assertEquals(1474, TransportFrame.MAX_PAYLOAD);
        assertEquals(1514, TransportFrame.HEADER_LENGTH + TransportFrame.MAX_PAYLOAD);
        assertEquals(0xFFFF, TransportFrame.BROADCAST);
        assertEquals(65534, TransportFrame.MAX_SOURCE_ENGINE);
        int[] offsets = {TransportFrame.MAGIC_OFFSET, TransportFrame.VERSION_OFFSET, TransportFrame.FLAGS_OFFSET,
                TransportFrame.PRIORITY_OFFSET, TransportFrame.RESERVED_OFFSET, TransportFrame.SOURCE_ENGINE_OFFSET,
                TransportFrame.DESTINATION_ENGINE_OFFSET, TransportFrame.TYPE_ID_OFFSET, TransportFrame.PAYLOAD_LENGTH_OFFSET,
                TransportFrame.CHECKSUM_OFFSET, TransportFrame.SEQUENCE_OFFSET, TransportFrame.HEADER_LENGTH};
        int[] sizes = {2, 1, 1, 1, 1, 2, 2, 4, 2, 2, 8};
        assertEquals(EthernetHeader.LENGTH, offsets[0]);
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(offsets[i] + sizes[i], offsets[i + 1], "fields are contiguous: field " + i);
            assertEquals(0, offsets[i] % sizes[i], "each field is aligned to its size: field " + i);
        }
    }

    @Test
    void shouldWriteTheWireBytesItDocuments() {
        byte[] expected = hex(PING);
        assertEquals(44, expected.length);
        assertEquals(0x608d, referenceSum(Arrays.copyOfRange(hex(PING.replace("9f 72", "00 00")), 14, 40)));
        assertEquals(0xFFFF, referenceSum(Arrays.copyOfRange(expected, 14, 40)), "a correct checksum sums to 0xFFFF");

        MemorySegment s = MemorySegment.ofArray(new byte[48]);
        s.asSlice(40, 4).copyFrom(MemorySegment.ofArray("ping".getBytes(StandardCharsets.US_ASCII)));
        int length = TransportFrame.write(s, 0, SRC_MAC, DST_MAC, 3, 7, TransportFrame.PRIORITY_NORMAL, 42,
                0x0102030405060708L, 4);
        assertEquals(44, length);
        assertArrayEquals(expected, s.asSlice(0, 44).toArray(ValueLayout.JAVA_BYTE), "the payload written before stays");
        assertArrayEquals(new byte[4], s.asSlice(44).toArray(ValueLayout.JAVA_BYTE), "nothing after the frame");
        assertEquals(0x9f72, TransportFrame.checksum(s, 0));
        assertEquals(0x9f72, TransportFrame.computeChecksum(s, 0));
        assertTrue(TransportFrame.isValid(s, 0, 44));
        assertTrue(TransportFrame.isValid(s, 0, 48), "bytes after the payload (padding) are allowed");
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void shouldReadBackEveryFieldAtAnyOffset(Memory memory) {
        Random random = new Random(0x88B5);
        int[] offsets = {0, 1, 2, 3, 5, 7, 8, 13, 64, 1001};
        long[] sequences = {1, 2, 0xFFFF, 0x1_0000_0000L, 0x0102030405060708L, Long.MAX_VALUE};
        int[] types = {1, 2, 0xFFFF, 0x10000, Integer.MAX_VALUE};
        int[] engines = {0, 1, 0xFF, 0x100, 0x8000, TransportFrame.MAX_SOURCE_ENGINE};
        for (int round = 0; round < 200; round++) {
            int offset = offsets[round % offsets.length];
            long srcMac = round == 0 ? 0 : random.nextLong() & 0xFFFF_FFFF_FFFFL;
            long dstMac = round == 1 ? MacAddress.BROADCAST.toLong() : random.nextLong() & 0xFFFF_FFFF_FFFFL;
            int source = round < 12 ? engines[round % engines.length] : random.nextInt(TransportFrame.MAX_SOURCE_ENGINE + 1);
            int destination = round % 5 == 0 ? TransportFrame.BROADCAST : random.nextInt(0x10000);
            int priority = round % 3;
            int type = round < 10 ? types[round % types.length] : 1 + random.nextInt(Integer.MAX_VALUE);
            long sequence = round < 12 ? sequences[round % sequences.length] : 1 + (random.nextLong() >>> 1) % Long.MAX_VALUE;
            int payload = round % 7 == 0 ? TransportFrame.MAX_PAYLOAD : round % 7 == 1 ? 0 : random.nextInt(300);
            MemorySegment s = memory.allocate(offset + TransportFrame.HEADER_LENGTH + payload + 3);
            byte[] data = new byte[payload];
            random.nextBytes(data);
            boolean payloadFirst = round % 2 == 0;
            if (payloadFirst) {
                MemorySegment.copy(data, 0, s, ValueLayout.JAVA_BYTE, offset + TransportFrame.HEADER_LENGTH, payload);
            }
            int length = TransportFrame.write(s, offset, srcMac, dstMac, source, destination, priority, type, sequence, payload);
            if (!payloadFirst) {
                MemorySegment.copy(data, 0, s, ValueLayout.JAVA_BYTE, offset + TransportFrame.HEADER_LENGTH, payload);
            }
            String where = "round " + round + ", " + memory + " at offset " + offset;
            assertEquals(TransportFrame.HEADER_LENGTH + payload, length, where);
            assertEquals(srcMac, TransportFrame.sourceMacBits(s, offset), where);
            assertEquals(dstMac, TransportFrame.destinationMacBits(s, offset), where);
            assertEquals(srcMac, EthernetHeader.sourceBits(s, offset), "a plain Ethernet header: " + where);
            assertEquals(TransportFrame.ETHER_TYPE, TransportFrame.etherType(s, offset), where);
            assertEquals(TransportFrame.MAGIC, TransportFrame.magic(s, offset), where);
            assertEquals(TransportFrame.VERSION, TransportFrame.version(s, offset), where);
            assertEquals(0, TransportFrame.flags(s, offset), where);
            assertEquals(priority, TransportFrame.priority(s, offset), where);
            assertEquals(source, TransportFrame.sourceEngine(s, offset), where);
            assertEquals(destination, TransportFrame.destinationEngine(s, offset), where);
            assertEquals(type, TransportFrame.typeId(s, offset), where);
            assertEquals(sequence, TransportFrame.sequence(s, offset), where);
            assertEquals(payload, TransportFrame.payloadLength(s, offset), where);
            assertEquals(TransportFrame.computeChecksum(s, offset), TransportFrame.checksum(s, offset),
                    "the checksum from the arguments equals the one from the bytes: " + where);
            byte[] header = s.asSlice(offset + 14, 26).toArray(ValueLayout.JAVA_BYTE);
            assertEquals(0xFFFF, referenceSum(header), where);
            assertArrayEquals(data, s.asSlice(offset + TransportFrame.HEADER_LENGTH, payload).toArray(ValueLayout.JAVA_BYTE),
                    "payload untouched: " + where);
            assertTrue(TransportFrame.isValid(s, offset, length), where);
            assertDoesNotThrow(() -> TransportFrame.validate(s, offset, length), where);
            assertTrue(TransportFrame.isValid(s, offset, length + 3), "bytes after the payload allowed: " + where);
            assertFalse(TransportFrame.isValid(s, offset, length + 4), "past the segment: " + where);
            for (int i = 0; i < offset; i++) {
                assertEquals(0, s.get(ValueLayout.JAVA_BYTE, i), "nothing before the frame: " + where);
            }
        }
    }

    @Test
    void shouldNameEachProblemValidateFinds() {
        String at = "transport frame at offset 0";
        assertValid(PING, 44);
        assertValid(PING, Packets.MIN_FRAME_LENGTH); // padded by the sender
        assertInvalid(PING, 44, s -> { }, 39,
                "truncated " + at + ": frame length 39, the Ethernet and transport headers alone are 40 bytes");
        assertInvalid(PING, 44, s -> { }, 43,
                "truncated " + at + ": payload length is 4, so the frame needs 44 bytes, but its length is 43");
        assertInvalid(PING, 44, s -> s.set(ChecksumsTest.SHORT_BE, 12, (short) 0x0800), 44,
                "not a " + at + ": EtherType is 0x0800, expected 0x88b5 (other traffic on the port: filter on the EtherType first)");
        assertInvalid(PING, 44, s -> s.set(ChecksumsTest.SHORT_BE, 14, (short) 0x4E42), 44,
                "not a " + at + ": magic number is 0x4e42, expected 0x4e41 (another protocol using the experimental "
                        + "EtherType 0x88b5?)");
        assertInvalid(PING, 44, s -> s.set(ValueLayout.JAVA_BYTE, 16, (byte) 2), 44,
                "unsupported " + at + ": version is 2, this build reads version 1 (engines built from different releases "
                        + "of the transport?)");
        assertInvalid(PING, 44, s -> s.set(ValueLayout.JAVA_BYTE, 39, (byte) 9), 44,
                "corrupt " + at + ": header checksum is 0x9f72, the header's bytes give 0x9f71");
        assertInvalid(PING, 44, s -> s.set(ValueLayout.JAVA_BYTE, 30, (byte) 0), 44,
                "corrupt " + at + ": header checksum is 0x0072, the header's bytes give 0x9f72");
        // a payload length too long for the frame, with a correct checksum: the frame was cut short
        assertInvalid(PING, 60, s -> resign(s, () -> s.set(ChecksumsTest.SHORT_BE, 28, (short) 100)), 60,
                "truncated " + at + ": payload length is 100, so the frame needs 140 bytes, but its length is 60");
        assertInvalid(PING, 1600, s -> resign(s, () -> s.set(ChecksumsTest.SHORT_BE, 28, (short) 1475)), 1600,
                "invalid " + at + ": payload length is 1475, the largest is 1474 (TransportFrame.MAX_PAYLOAD)");
        assertInvalid(PING, 44, s -> resign(s, () -> s.set(ValueLayout.JAVA_BYTE, 18, (byte) 3)), 44,
                "invalid " + at + ": priority is 3, it must be 0 (TransportFrame.PRIORITY_CRITICAL), 1 (PRIORITY_NORMAL) "
                        + "or 2 (PRIORITY_BULK)");
        assertInvalid(PING, 44, s -> resign(s, () -> s.set(ChecksumsTest.SHORT_BE, 20, (short) 0xFFFF)), 44,
                "invalid " + at + ": source engine id is 65535 (TransportFrame.BROADCAST), which only a destination may be; "
                        + "source engines are 0 to 65534");
        assertInvalid(PING, 44, s -> resign(s, () -> s.set(INT_BE, 24, 0)), 44,
                "invalid " + at + ": message type id is 0, message type ids are 1 or more");
        assertInvalid(PING, 44, s -> resign(s, () -> s.set(INT_BE, 24, -1)), 44,
                "invalid " + at + ": message type id is -1, message type ids are 1 or more");
        assertInvalid(PING, 44, s -> resign(s, () -> s.set(LONG_BE, 32, 0)), 44,
                "invalid " + at + ": sequence number is 0, sequence numbers start at 1 for each source -> destination pair "
                        + "and go up to 2^63 - 1");
        assertInvalid(PING, 44, s -> resign(s, () -> s.set(LONG_BE, 32, Long.MIN_VALUE)), 44,
                "invalid " + at + ": sequence number is -9223372036854775808, sequence numbers start at 1 for each "
                        + "source -> destination pair and go up to 2^63 - 1");

        // what is not checked: flags, the reserved byte, MAC addresses, bytes after the payload
        assertValidAfter(s -> resign(s, () -> s.set(ValueLayout.JAVA_BYTE, 17, (byte) 0x80)));
        assertValidAfter(s -> resign(s, () -> s.set(ValueLayout.JAVA_BYTE, 19, (byte) 0xFF)));
        assertValidAfter(s -> s.set(ValueLayout.JAVA_BYTE, 0, (byte) 0xFF));
        assertValidAfter(s -> s.set(ValueLayout.JAVA_BYTE, 50, (byte) 0xFF));

        MemorySegment s = MemorySegment.ofArray(new byte[50]);
        MemorySegment.copy(hex(PING), 0, s, ValueLayout.JAVA_BYTE, 4, 44);
        assertTrue(TransportFrame.isValid(s, 4, 46));
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> TransportFrame.validate(s, 4, 47));
        assertEquals("invalid range for the transport frame at offset 4: frame length 47, but the segment has 50 bytes; "
                + "pass 0 <= offset and frameLength <= segment.byteSize() - offset", range.getMessage());
        assertFalse(TransportFrame.isValid(s, -1, 44));
        assertFalse(TransportFrame.isValid(s, 4, -1));
        assertFalse(TransportFrame.isValid(s, 4, Long.MAX_VALUE));
        assertFalse(TransportFrame.isValid(s, Long.MAX_VALUE, 44));
        assertFalse(TransportFrame.isValid(s, 0, 0));
    }

    /** Applies a change to the header, then stores the checksum the changed header needs. */
    private static void resign(MemorySegment s, Runnable change) {
        change.run();
        s.set(ChecksumsTest.SHORT_BE, TransportFrame.CHECKSUM_OFFSET, (short) TransportFrame.computeChecksum(s, 0));
    }

    private static void assertValid(String frame, int frameLength) {
        MemorySegment s = MemorySegment.ofArray(new byte[frameLength]);
        MemorySegment.copy(hex(frame), 0, s, ValueLayout.JAVA_BYTE, 0, hex(frame).length);
        assertTrue(TransportFrame.isValid(s, 0, frameLength));
        assertDoesNotThrow(() -> TransportFrame.validate(s, 0, frameLength));
    }

    private static void assertValidAfter(Consumer<MemorySegment> change) {
        MemorySegment s = MemorySegment.ofArray(new byte[60]);
        MemorySegment.copy(hex(PING), 0, s, ValueLayout.JAVA_BYTE, 0, 44);
        change.accept(s);
        assertTrue(TransportFrame.isValid(s, 0, 60));
        assertDoesNotThrow(() -> TransportFrame.validate(s, 0, 60));
    }

    private static void assertInvalid(String frame, int size, Consumer<MemorySegment> change, long frameLength,
                                      String message) {
        MemorySegment s = MemorySegment.ofArray(new byte[size]);
        MemorySegment.copy(hex(frame), 0, s, ValueLayout.JAVA_BYTE, 0, hex(frame).length);
        change.accept(s);
        assertFalse(TransportFrame.isValid(s, 0, frameLength), message);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransportFrame.validate(s, 0, frameLength));
        assertEquals(message, e.getMessage());
    }

    @Test
    void shouldRefuseBadArgumentsNamingThemWithoutWritingAnything() {
        MemorySegment s = MemorySegment.ofArray(new byte[100]);
        assertEquals("invalid source engine id 65535: source engines are 0 to 65534 (65535 is TransportFrame.BROADCAST, "
                + "a destination only)", writeError(s, SRC_MAC, 65535, 1, 1, 1, 1, 0));
        assertEquals("invalid source engine id -1: source engines are 0 to 65534 (65535 is TransportFrame.BROADCAST, "
                + "a destination only)", writeError(s, SRC_MAC, -1, 1, 1, 1, 1, 0));
        assertEquals("invalid destination engine id 65536: destination engines are 0 to 65534, or 65535 "
                + "(TransportFrame.BROADCAST) for every engine", writeError(s, SRC_MAC, 1, 65536, 1, 1, 1, 0));
        assertEquals("invalid destination engine id -1: destination engines are 0 to 65534, or 65535 "
                + "(TransportFrame.BROADCAST) for every engine", writeError(s, SRC_MAC, 1, -1, 1, 1, 1, 0));
        assertEquals("invalid priority 3: it must be 0 (TransportFrame.PRIORITY_CRITICAL), 1 (PRIORITY_NORMAL) or 2 "
                + "(PRIORITY_BULK)", writeError(s, SRC_MAC, 1, 2, 3, 1, 1, 0));
        assertEquals("invalid priority -1: it must be 0 (TransportFrame.PRIORITY_CRITICAL), 1 (PRIORITY_NORMAL) or 2 "
                + "(PRIORITY_BULK)", writeError(s, SRC_MAC, 1, 2, -1, 1, 1, 0));
        assertEquals("invalid message type id 0: message type ids are 1 or more", writeError(s, SRC_MAC, 1, 2, 0, 0, 1, 0));
        assertEquals("invalid message type id -1: message type ids are 1 or more", writeError(s, SRC_MAC, 1, 2, 0, -1, 1, 0));
        assertEquals("invalid sequence number 0: sequence numbers start at 1 for each source -> destination pair and go "
                + "up to 2^63 - 1", writeError(s, SRC_MAC, 1, 2, 0, 1, 0, 0));
        assertTrue(writeError(s, SRC_MAC, 1, 2, 0, 1, Long.MIN_VALUE, 0).startsWith("invalid sequence number -9223372036854775808: "));
        assertEquals("invalid payload length -1: it must be 0 to 1474 (TransportFrame.MAX_PAYLOAD: a 1514-byte frame less "
                + "the 40-byte header)", writeError(s, SRC_MAC, 1, 2, 0, 1, 1, -1));
        assertEquals("invalid payload length 1475: it must be 0 to 1474 (TransportFrame.MAX_PAYLOAD: a 1514-byte frame less "
                + "the 40-byte header)", writeError(s, SRC_MAC, 1, 2, 0, 1, 1, 1475));
        assertEquals("invalid MAC address bits 0x1000000000000: a MAC address has 48 bits, 0 to 0xffffffffffff",
                writeError(s, 1L << 48, 1, 2, 0, 1, 1, 0));
        assertEquals("invalid MAC address bits 0xffffffffffffffff: a MAC address has 48 bits, 0 to 0xffffffffffff",
                assertThrows(IllegalArgumentException.class,
                        () -> TransportFrame.write(s, 0, SRC_MAC, -1L, 1, 2, 0, 1, 1, 0)).getMessage());
        assertArrayEquals(new byte[100], s.toArray(ValueLayout.JAVA_BYTE), "nothing was written");

        // the frame does not fit: header and payload must both be inside the segment
        IndexOutOfBoundsException tooLong = assertThrows(IndexOutOfBoundsException.class,
                () -> TransportFrame.write(s, 0, SRC_MAC, DST_MAC, 1, 2, 0, 1, 1, 61));
        assertTrue(tooLong.getMessage().startsWith("range of 101 bytes at offset 0 is not inside the segment of 100 bytes"),
                tooLong.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> TransportFrame.write(s, 61, SRC_MAC, DST_MAC, 1, 2, 0, 1, 1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> TransportFrame.write(s, -1, SRC_MAC, DST_MAC, 1, 2, 0, 1, 1, 0));
        assertArrayEquals(new byte[100], s.toArray(ValueLayout.JAVA_BYTE), "nothing was written");

        // the edges that are allowed
        assertEquals(100, TransportFrame.write(s, 0, 0, 0, 0, 0, 0, 1, 1, 60));
        assertEquals(40, TransportFrame.write(s, 60, SRC_MAC, DST_MAC, 65534, 65535, 2, Integer.MAX_VALUE, Long.MAX_VALUE, 0));
        assertTrue(TransportFrame.isValid(s, 60, 40));
        assertEquals(Long.MAX_VALUE, TransportFrame.sequence(s, 60));
    }

    private static String writeError(MemorySegment s, long srcMac, int source, int destination, int priority, int type,
                                     long sequence, int payload) {
        return assertThrows(IllegalArgumentException.class, () -> TransportFrame.write(s, 0, srcMac, DST_MAC, source,
                destination, priority, type, sequence, payload)).getMessage();
    }

    @Test
    void shouldNotAllocateOnTheHotPath() {
        MemorySegment frame = Arena.ofAuto().allocate(2048, 64);
        Allocations.assertNoAllocation("transport frames", () -> {
            long sink = 0;
            for (int i = 0; i < 50_000; i++) {
                int offset = i & 7;
                int length = TransportFrame.write(frame, offset, SRC_MAC, DST_MAC, i & 0x7FFF, 7, i % 3, 1 + i, 1 + i, i & 1023);
                sink += TransportFrame.isValid(frame, offset, length) ? 1 : 0;
                sink += TransportFrame.sequence(frame, offset) + TransportFrame.sourceEngine(frame, offset)
                        + TransportFrame.payloadLength(frame, offset) + TransportFrame.typeId(frame, offset)
                        + TransportFrame.priority(frame, offset) + TransportFrame.sourceMacBits(frame, offset);
            }
            return sink;
        });
    }
}
