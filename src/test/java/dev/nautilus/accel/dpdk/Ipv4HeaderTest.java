package dev.nautilus.accel.dpdk;

import static dev.nautilus.accel.dpdk.ChecksumsTest.hex;
import static dev.nautilus.accel.dpdk.ChecksumsTest.place;
import static dev.nautilus.accel.dpdk.ChecksumsTest.referenceSum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.dpdk.ChecksumsTest.Memory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class Ipv4HeaderTest {
    /** The textbook header (192.168.0.1 -> 192.168.0.199, UDP, 115 bytes) with its checksum field zero. */
    private static final String CLASSIC = "45 00 00 73 00 00 40 00 40 11 00 00 c0 a8 00 01 c0 a8 00 c7";

    @ParameterizedTest
    @EnumSource(Memory.class)
    void shouldComputeTheChecksumOfTheClassicHeader(Memory memory) {
        for (int offset = 0; offset < 5; offset++) {
            MemorySegment s = place(memory, hex(CLASSIC), offset);
            assertEquals(0xb861, Ipv4Header.computeChecksum(s, offset));
            assertFalse(Ipv4Header.isChecksumValid(s, offset), "the field is still zero");
            assertEquals(0xb861, Ipv4Header.writeChecksum(s, offset));
            assertEquals(0xb861, Ipv4Header.checksum(s, offset));
            assertTrue(Ipv4Header.isChecksumValid(s, offset));
        }
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void shouldWriteTheClassicHeaderByteForByte(Memory memory) {
        MemorySegment s = memory.allocate(21);
        Ipv4Header.write(s, 1, 0x73, 0, 64, Ipv4Header.PROTOCOL_UDP, Ipv4Header.parseAddress("192.168.0.1"),
                Ipv4Header.parseAddress("192.168.0.199"));
        assertArrayEquals(hex(CLASSIC.replace("00 00 c0 a8 00 01", "b8 61 c0 a8 00 01")),
                s.asSlice(1).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void shouldReadBackEveryFieldItWrote() {
        MemorySegment s = MemorySegment.ofArray(new byte[27]);
        int src = Ipv4Header.parseAddress("10.1.2.3");
        int dst = Ipv4Header.parseAddress("255.254.253.252");
        Ipv4Header.write(s, 7, 1500, 0xBEEF, 255, Ipv4Header.PROTOCOL_TCP, src, dst);
        assertEquals(4, Ipv4Header.version(s, 7));
        assertEquals(5, Ipv4Header.ihl(s, 7));
        assertEquals(20, Ipv4Header.headerLength(s, 7));
        assertEquals(1500, Ipv4Header.totalLength(s, 7));
        assertEquals(0xBEEF, Ipv4Header.identification(s, 7));
        assertEquals(Ipv4Header.FLAG_DONT_FRAGMENT, Ipv4Header.flags(s, 7));
        assertEquals(0, Ipv4Header.fragmentOffset(s, 7));
        assertEquals(255, Ipv4Header.ttl(s, 7));
        assertEquals(6, Ipv4Header.protocol(s, 7));
        assertEquals(src, Ipv4Header.source(s, 7));
        assertEquals(dst, Ipv4Header.destination(s, 7));
        assertEquals(0, s.get(ValueLayout.JAVA_BYTE, 8), "DSCP and ECN are 0");
        assertEquals(Ipv4Header.computeChecksum(s, 7), Ipv4Header.checksum(s, 7));
        // a fragment: MF set, offset 185 * 8 bytes, reserved bit set
        s.set(ChecksumsTest.SHORT_BE, 7 + Ipv4Header.FLAGS_FRAGMENT_OFFSET, (short) (0xA000 | 185));
        assertEquals(0b100 | Ipv4Header.FLAG_MORE_FRAGMENTS, Ipv4Header.flags(s, 7));
        assertEquals(185, Ipv4Header.fragmentOffset(s, 7));
    }

    @Test
    void shouldWriteTheSameChecksumAsComputingItFromMemory() {
        Random random = new Random(791);
        MemorySegment s = MemorySegment.ofArray(new byte[24]);
        for (int i = 0; i < 10_000; i++) {
            int total = 20 + random.nextInt(65516);
            Ipv4Header.write(s, i % 4, total, random.nextInt(65536), random.nextInt(256), random.nextInt(256),
                    random.nextInt(), random.nextInt());
            byte[] header = s.asSlice(i % 4, 20).toArray(ValueLayout.JAVA_BYTE);
            header[10] = 0;
            header[11] = 0;
            assertEquals(~referenceSum(header) & 0xFFFF, Ipv4Header.checksum(s, i % 4));
            assertTrue(Ipv4Header.isChecksumValid(s, i % 4));
        }
    }

    @Test
    void shouldCoverOptionsInTheChecksum() {
        // IHL 6: a 4-byte option (router alert, 94 04 00 00)
        MemorySegment s = MemorySegment.ofArray(hex("46 00 00 18 00 01 00 00 01 02 00 00 0a 00 00 01 e0 00 00 16 94 04 00 00"));
        assertEquals(24, Ipv4Header.headerLength(s, 0));
        byte[] header = s.toArray(ValueLayout.JAVA_BYTE);
        assertEquals(~referenceSum(header) & 0xFFFF, Ipv4Header.computeChecksum(s, 0));
        Ipv4Header.writeChecksum(s, 0);
        assertDoesNotThrow(() -> Ipv4Header.validate(s, 0, 24));
        s.set(ValueLayout.JAVA_BYTE, 23, (byte) 1);
        assertFalse(Ipv4Header.isChecksumValid(s, 0), "an option byte changed");
    }

    @Test
    void shouldAcceptARealCapturedHeader() {
        // An SSDP M-SEARCH broadcast as captured by Wireshark (192.168.1.2 -> 192.168.1.255, checksum 0x8f37),
        // from a public packet-decoder test; Ethernet header first.
        MemorySegment frame = MemorySegment.ofArray(SSDP_FRAME);
        assertDoesNotThrow(() -> Ipv4Header.validate(frame, 14, SSDP_FRAME.length - 14));
        assertEquals(0x8f37, Ipv4Header.checksum(frame, 14));
        MemorySegment zeroed = MemorySegment.ofArray(SSDP_FRAME.clone());
        zeroed.set(ChecksumsTest.SHORT_BE, 14 + Ipv4Header.CHECKSUM_OFFSET, (short) 0);
        assertEquals(0x8f37, Ipv4Header.computeChecksum(zeroed, 14));
        assertEquals("192.168.1.2", Ipv4Header.formatAddress(Ipv4Header.source(frame, 14)));
        assertEquals("192.168.1.255", Ipv4Header.formatAddress(Ipv4Header.destination(frame, 14)));
        assertEquals(49, Ipv4Header.totalLength(frame, 14));
        assertEquals(0x2733, Ipv4Header.identification(frame, 14));
    }

    /** The captured frame: Ethernet, IPv4 (checksum 0x8f37), UDP 48301 -> 32412 (checksum 0xc9d9), "M-SEARCH * HTTP/1.1\r\n". */
    static final byte[] SSDP_FRAME = hex("ffffffffffff3085a94009350800450000312733400040118f37c0a80102c0a801ff"
            + "bcad7e9c001dc9d94d2d534541524348202a20485454502f312e310d0a");

    @Test
    void shouldNameEachProblemValidateFinds() {
        String good = CLASSIC.replace("00 00 c0 a8 00 01", "b8 61 c0 a8 00 01");
        assertValid(good, 0x73);
        assertInvalid(good, 0x73, s -> { }, 10, "truncated IPv4 header at offset 0: only 10 bytes available, "
                + "an IPv4 header needs at least 20");
        assertInvalid(good, 0x73, s -> s.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x65), 0x73,
                "not an IPv4 header at offset 0: version is 6, expected 4 (check the EtherType first: 0x0800 is IPv4, 0x86DD IPv6)");
        assertInvalid(good, 0x73, s -> s.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x43), 0x73,
                "invalid IPv4 header at offset 0: IHL is 3 (12 bytes), the minimum is 5 (20 bytes)");
        assertInvalid(good, 0x73, s -> s.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x4F), 40,
                "truncated IPv4 header at offset 0: IHL 15 means a 60-byte header, only 40 bytes available");
        assertInvalid(good, 0x73, s -> s.set(ChecksumsTest.SHORT_BE, 2, (short) 19), 0x73,
                "invalid IPv4 header at offset 0: total length 19 is less than the header length 20");
        assertInvalid(good, 0x73, s -> { }, 100,
                "truncated IPv4 packet at offset 0: total length is 115 bytes, only 100 bytes available");
        assertInvalid(good, 0x73, s -> s.set(ValueLayout.JAVA_BYTE, 8, (byte) 63), 0x73,
                "corrupt IPv4 header at offset 0: header checksum is 0xb861, the header's bytes give 0xb961");
        MemorySegment s = MemorySegment.ofArray(new byte[30]);
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> Ipv4Header.validate(s, 4, 30));
        assertEquals("invalid range for the IPv4 header at offset 4: 30 bytes available there, but the segment has 30 bytes; "
                + "pass 0 <= offset and available <= segment.byteSize() - offset", range.getMessage());
        assertFalse(Ipv4Header.isValid(s, -1, 20));
        assertFalse(Ipv4Header.isValid(s, 0, Long.MAX_VALUE));
        assertFalse(Ipv4Header.isValid(s, 0, -5));
    }

    @Test
    void shouldAcceptBytesAfterTheTotalLengthSuchAsEthernetPadding() {
        MemorySegment s = MemorySegment.ofArray(new byte[60]);
        Ipv4Header.write(s, 14, 28, 0, 64, Ipv4Header.PROTOCOL_UDP, 1, 2);
        assertTrue(Ipv4Header.isValid(s, 14, 46));
    }

    private static void assertValid(String header, int available) {
        MemorySegment s = MemorySegment.ofArray(new byte[available]);
        MemorySegment.copy(hex(header), 0, s, ValueLayout.JAVA_BYTE, 0, 20);
        assertTrue(Ipv4Header.isValid(s, 0, available));
        assertDoesNotThrow(() -> Ipv4Header.validate(s, 0, available));
    }

    private static void assertInvalid(String header, int size, Consumer<MemorySegment> change, long available, String message) {
        MemorySegment s = MemorySegment.ofArray(new byte[size]);
        MemorySegment.copy(hex(header), 0, s, ValueLayout.JAVA_BYTE, 0, 20);
        change.accept(s);
        assertFalse(Ipv4Header.isValid(s, 0, available), message);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Header.validate(s, 0, available));
        assertEquals(message, e.getMessage());
    }

    @Test
    void shouldRefuseOutOfRangeFieldsNamingThem() {
        MemorySegment s = MemorySegment.ofArray(new byte[20]);
        assertEquals("invalid IPv4 total length 19: it counts the 20-byte header and the payload, so it must be 20 to 65535",
                writeError(s, 19, 0, 64, 17));
        assertTrue(writeError(s, 65536, 0, 64, 17).startsWith("invalid IPv4 total length 65536"));
        assertEquals("invalid IPv4 identification 65536: it must be 0 to 65535", writeError(s, 20, 65536, 64, 17));
        assertEquals("invalid IPv4 TTL 256: it must be 0 to 255", writeError(s, 20, 0, 256, 17));
        assertEquals("invalid IPv4 TTL -1: it must be 0 to 255", writeError(s, 20, 0, -1, 17));
        assertEquals("invalid IPv4 protocol 300: it must be 0 to 255", writeError(s, 20, 0, 64, 300));
        assertArrayEquals(new byte[20], s.toArray(ValueLayout.JAVA_BYTE), "nothing was written");
        assertThrows(IndexOutOfBoundsException.class, () -> Ipv4Header.write(s, 1, 20, 0, 64, 17, 1, 2));
        IllegalArgumentException ihl = assertThrows(IllegalArgumentException.class, () -> Ipv4Header.computeChecksum(s, 0));
        assertEquals("cannot compute the checksum of the IPv4 header at offset 0: its IHL is 0 (0 bytes), the minimum is 5 "
                + "(20 bytes); write the header first (Ipv4Header.write)", ihl.getMessage());
        assertFalse(Ipv4Header.isChecksumValid(s, 0));
    }

    private static String writeError(MemorySegment s, int total, int id, int ttl, int protocol) {
        return assertThrows(IllegalArgumentException.class, () -> Ipv4Header.write(s, 0, total, id, ttl, protocol, 1, 2))
                .getMessage();
    }

    @Test
    void shouldDecrementTheTtlWithAnIncrementalChecksumUpdate() {
        MemorySegment s = MemorySegment.ofArray(hex(CLASSIC));
        Ipv4Header.writeChecksum(s, 0);
        int before = s.get(ChecksumsTest.SHORT_BE, Ipv4Header.TTL_OFFSET) & 0xFFFF;
        int after = before - 0x100; // TTL 64 -> 63, protocol unchanged
        int updated = Checksums.update(Ipv4Header.checksum(s, 0), before, after);
        s.set(ChecksumsTest.SHORT_BE, Ipv4Header.TTL_OFFSET, (short) after);
        assertEquals(Ipv4Header.computeChecksum(s, 0), updated);
        assertEquals(0xb961, updated);
    }

    @Test
    void shouldParseAndFormatDottedDecimalAddresses() {
        assertEquals(0x0A000001, Ipv4Header.parseAddress("10.0.0.1"));
        assertEquals(0, Ipv4Header.parseAddress("0.0.0.0"));
        assertEquals(-1, Ipv4Header.parseAddress("255.255.255.255"));
        assertEquals(0xC0A800C7, Ipv4Header.parseAddress("192.168.0.199"));
        assertEquals("255.255.255.255", Ipv4Header.formatAddress(-1));
        assertEquals("10.0.0.1", Ipv4Header.formatAddress(0x0A000001));
        Random random = new Random(4);
        for (int i = 0; i < 1000; i++) {
            int a = random.nextInt();
            assertEquals(a, Ipv4Header.parseAddress(Ipv4Header.formatAddress(a)));
        }
    }

    @Test
    void shouldRefuseMalformedAddressesSayingWhatIsWrong() {
        String form = "; expected four decimal numbers 0 to 255 separated by '.' (e.g. \"10.0.0.1\")";
        assertEquals("IPv4 address is null: pass four decimal numbers 0 to 255 separated by '.' (e.g. \"10.0.0.1\")",
                addressError(null));
        assertEquals("invalid IPv4 address \"10.0.0\": 3 numbers, expected 4" + form, addressError("10.0.0"));
        assertEquals("invalid IPv4 address \"10.0.0.256\": number 4 is above 255" + form, addressError("10.0.0.256"));
        assertEquals("invalid IPv4 address \"10.0.0.01\": number 4 has a leading zero" + form, addressError("10.0.0.01"));
        assertEquals("invalid IPv4 address \"10..0.1\": number 2 is missing" + form, addressError("10..0.1"));
        assertEquals("invalid IPv4 address \"10.0.0.1.\": a '.' after the fourth number" + form, addressError("10.0.0.1."));
        assertEquals("invalid IPv4 address \"10.0.0.1.2\": a '.' after the fourth number" + form, addressError("10.0.0.1.2"));
        assertEquals("invalid IPv4 address \" 10.0.0.1\": ' ' at index 0 is not a digit or '.'" + form, addressError(" 10.0.0.1"));
        assertEquals("invalid IPv4 address \"\": number 1 is missing" + form, addressError(""));
        assertEquals("invalid IPv4 address \"1.2.3.-4\": '-' at index 6 is not a digit or '.'" + form, addressError("1.2.3.-4"));
        assertEquals("invalid IPv4 address \"1.2.3.99999999999\": number 4 is above 255" + form, addressError("1.2.3.99999999999"));
        assertTrue(addressError("1.2.3.\u0664").contains("U+0664 at index 6"), "Arabic-Indic digits are not digits here");
    }

    private static String addressError(String text) {
        return assertThrows(IllegalArgumentException.class, () -> Ipv4Header.parseAddress(text)).getMessage();
    }
}
