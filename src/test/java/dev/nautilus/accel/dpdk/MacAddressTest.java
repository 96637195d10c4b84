package dev.nautilus.accel.dpdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.dpdk.ChecksumsTest.Memory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class MacAddressTest {
    @Test
    void shouldParseAndFormatTheColonFormBothWays() {
        MacAddress a = MacAddress.parse("02:00:00:00:00:01");
        assertEquals(0x0200_0000_0001L, a.toLong());
        assertEquals("02:00:00:00:00:01", a.toString());
        MacAddress upper = MacAddress.parse("0A:1b:2C:3d:4E:fF");
        assertEquals("0a:1b:2c:3d:4e:ff", upper.toString(), "printed in lower case");
        assertEquals(upper, MacAddress.parse(upper.toString()));
        Random random = new Random(48);
        for (int i = 0; i < 1000; i++) {
            MacAddress m = MacAddress.of(random.nextLong() & 0xFFFF_FFFF_FFFFL);
            assertEquals(m, MacAddress.parse(m.toString()));
        }
        assertEquals("ff:ff:ff:ff:ff:ff", MacAddress.BROADCAST.toString());
        assertEquals("00:00:00:00:00:00", MacAddress.of(0).toString());
    }

    @Test
    void shouldConvertToAndFromBytesInWireOrder() {
        byte[] bytes = {0x02, 0x1b, 0x21, (byte) 0xaa, (byte) 0xbb, (byte) 0xcc};
        MacAddress m = MacAddress.of(bytes);
        assertEquals("02:1b:21:aa:bb:cc", m.toString());
        assertEquals(0x021b_21aa_bbccL, m.toLong());
        assertArrayEquals(bytes, m.toBytes());
        assertEquals(m, MacAddress.of(m.toLong()));
        assertEquals(m.hashCode(), MacAddress.of(m.toLong()).hashCode());
        assertNotEquals(m, MacAddress.of(m.toLong() + 1));
        assertNotEquals(m, (Object) "02:1b:21:aa:bb:cc");
    }

    @ParameterizedTest
    @EnumSource(Memory.class)
    void shouldReadAndWriteSixBytesAtAnyOffsetAndTouchNothingElse(Memory memory) {
        MacAddress m = MacAddress.parse("02:00:5e:10:20:ff");
        for (int offset = 0; offset < 9; offset++) {
            MemorySegment s = memory.allocate(24);
            s.fill((byte) 0x77);
            m.write(s, offset);
            byte[] out = s.toArray(ValueLayout.JAVA_BYTE);
            for (int i = 0; i < 24; i++) {
                if (i < offset || i >= offset + 6) {
                    assertEquals(0x77, out[i] & 0xFF, "byte " + i + " untouched");
                }
            }
            assertArrayEquals(m.toBytes(), s.asSlice(offset, 6).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(m, MacAddress.read(s, offset));
            assertEquals(m.toLong(), MacAddress.readBits(s, offset));
            MacAddress.writeBits(s, offset, MacAddress.BROADCAST.toLong());
            assertEquals(MacAddress.BROADCAST, MacAddress.read(s, offset));
        }
    }

    @Test
    void shouldTellMulticastBroadcastAndLocallyAdministeredAddresses() {
        MacAddress universal = MacAddress.parse("00:1b:21:0a:0b:0c");
        assertFalse(universal.isMulticast());
        assertFalse(universal.isLocallyAdministered());
        assertFalse(universal.isBroadcast());
        MacAddress local = MacAddress.parse("02:00:00:00:00:01");
        assertTrue(local.isLocallyAdministered());
        assertFalse(local.isMulticast());
        MacAddress ipv4Multicast = MacAddress.parse("01:00:5e:00:00:fb");
        assertTrue(ipv4Multicast.isMulticast());
        assertFalse(ipv4Multicast.isLocallyAdministered());
        assertFalse(ipv4Multicast.isBroadcast());
        assertTrue(MacAddress.BROADCAST.isBroadcast());
        assertTrue(MacAddress.BROADCAST.isMulticast());
        assertTrue(MacAddress.BROADCAST.isLocallyAdministered());
    }

    @Test
    void shouldRefuseMalformedTextSayingWhatIsWrong() {
        String form = "six two-digit hex bytes separated by ':' (e.g. \"02:00:00:00:00:01\")";
        assertEquals("invalid MAC address \"02:00:00:00:00\": 14 characters, expected 17: " + form,
                parseError("02:00:00:00:00"));
        assertEquals("invalid MAC address \"zz:00:00:00:00:01\": 'z' at index 0 is not a hex digit (0-9, a-f, A-F): "
                + "expected " + form, parseError("zz:00:00:00:00:01"));
        assertEquals("MAC address is null: pass " + form, parseError(null));
        assertEquals("invalid MAC address \"02-00-00-00-00-01\": '-' at index 2 where ':' belongs: expected " + form,
                parseError("02-00-00-00-00-01"));
        assertEquals("invalid MAC address \"02:00:00:00:00:0g\": 'g' at index 16 is not a hex digit (0-9, a-f, A-F): "
                + "expected " + form, parseError("02:00:00:00:00:0g"));
        assertEquals("invalid MAC address \"\": 0 characters, expected 17: " + form, parseError(""));
        assertTrue(parseError("02:00:00:00:00:01 ").contains("18 characters"));
        assertTrue(parseError("\uff10\uff12:00:00:00:00:01").contains("U+FF10 at index 0 is not a hex digit"),
                "full-width digits are not hex digits");
        assertTrue(parseError("2:0:0:0:0:1:00000").contains("':' at index 1 is not a hex digit"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"02:00:00:00:00:01:", " 02:00:00:00:00:01", "0200.0000.0001", "020000000001", "+2:00:00:00:00:01"})
    void shouldRefuseOtherSpellings(String text) {
        assertTrue(parseError(text).startsWith("invalid MAC address \""), text);
    }

    @Test
    void shouldRefuseWrongByteArraysAndBitsNamingTheProblem() {
        IllegalArgumentException five = assertThrows(IllegalArgumentException.class, () -> MacAddress.of(new byte[5]));
        assertEquals("a MAC address is 6 bytes, got an array of 5: pass exactly 6 bytes in wire order", five.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> MacAddress.of((byte[]) null));
        assertEquals("MAC address bytes are null: pass an array of 6 bytes", none.getMessage());
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> MacAddress.of(1L << 48));
        assertEquals("invalid MAC address bits 0x1000000000000: a MAC address has 48 bits, 0 to 0xffffffffffff",
                wide.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MacAddress.of(-1L));
        MemorySegment s = MemorySegment.ofArray(new byte[6]);
        assertThrows(IllegalArgumentException.class, () -> MacAddress.writeBits(s, 0, -1L));
        assertArrayEquals(new byte[6], s.toArray(ValueLayout.JAVA_BYTE), "nothing written");
        assertThrows(IndexOutOfBoundsException.class, () -> MacAddress.read(s, 1));
    }

    private static String parseError(String text) {
        return assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(text)).getMessage();
    }
}
