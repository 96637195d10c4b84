package dev.nautilus.accel.dpdk;

import static dev.nautilus.accel.dpdk.ChecksumsTest.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nautilus.accel.dpdk.ChecksumsTest.Memory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class EthernetHeaderTest {
    private static final MacAddress DST = MacAddress.parse("00:1b:21:aa:bb:cc");
    private static final MacAddress SRC = MacAddress.parse("02:00:00:00:00:01");

    @ParameterizedTest
    @EnumSource(Memory.class)
    void shouldWriteTheWireBytesAndReadThemBackAtAnyOffset(Memory memory) {
        byte[] expected = hex("00 1b 21 aa bb cc 02 00 00 00 00 01 08 00");
        for (int offset = 0; offset < 5; offset++) {
            MemorySegment s = memory.allocate(offset + EthernetHeader.LENGTH);
            EthernetHeader.write(s, offset, DST, SRC, EthernetHeader.ETHERTYPE_IPV4);
            assertArrayEquals(expected, s.asSlice(offset).toArray(ValueLayout.JAVA_BYTE), "big-endian EtherType, dst first");
            assertEquals(DST, EthernetHeader.destination(s, offset));
            assertEquals(SRC, EthernetHeader.source(s, offset));
            assertEquals(DST.toLong(), EthernetHeader.destinationBits(s, offset));
            assertEquals(SRC.toLong(), EthernetHeader.sourceBits(s, offset));
            assertEquals(0x0800, EthernetHeader.etherType(s, offset));
        }
    }

    @Test
    void shouldCarryEveryEtherTypeUnsigned() {
        MemorySegment s = MemorySegment.ofArray(new byte[14]);
        for (int type : new int[] {EthernetHeader.ETHERTYPE_IPV4, EthernetHeader.ETHERTYPE_ARP, EthernetHeader.ETHERTYPE_IPV6,
                EthernetHeader.ETHERTYPE_VLAN, 0, 0xFFFF}) {
            EthernetHeader.write(s, 0, MacAddress.BROADCAST.toLong(), SRC.toLong(), type);
            assertEquals(type, EthernetHeader.etherType(s, 0));
            assertEquals(MacAddress.BROADCAST, EthernetHeader.destination(s, 0));
        }
        assertEquals(0x0806, EthernetHeader.ETHERTYPE_ARP);
        assertEquals(0x86DD, EthernetHeader.ETHERTYPE_IPV6);
        assertEquals(0x8100, EthernetHeader.ETHERTYPE_VLAN);
        assertArrayEquals(hex("86 dd"), writeType(s, 0x86DD), "network byte order");
        assertArrayEquals(hex("ff ff"), writeType(s, 0xFFFF));
    }

    private static byte[] writeType(MemorySegment s, int type) {
        EthernetHeader.write(s, 0, DST, SRC, type);
        return s.asSlice(12, 2).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void shouldRefuseBadArgumentsWithoutWritingAnything() {
        MemorySegment s = MemorySegment.ofArray(new byte[14]);
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> EthernetHeader.write(s, 0, DST, SRC, 0x10000));
        assertEquals("invalid EtherType 65536: it is a 16-bit value, 0 to 0xFFFF (e.g. EthernetHeader.ETHERTYPE_IPV4, 0x0800)",
                type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EthernetHeader.write(s, 0, DST, SRC, -1));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> EthernetHeader.write(s, 0, DST, null, 0x0800));
        assertEquals("source MAC address is null: pass a MacAddress (e.g. MacAddress.parse(\"02:00:00:00:00:01\"))",
                none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EthernetHeader.write(s, 0, DST.toLong(), 1L << 48, 0x0800));
        IndexOutOfBoundsException small = assertThrows(IndexOutOfBoundsException.class,
                () -> EthernetHeader.write(s, 1, DST, SRC, 0x0800));
        assertEquals("range of 14 bytes at offset 1 is not inside the segment of 14 bytes: pass a non-negative offset "
                + "and length with offset + length <= segment.byteSize()", small.getMessage());
        assertArrayEquals(new byte[14], s.toArray(ValueLayout.JAVA_BYTE), "nothing was written");
    }
}
