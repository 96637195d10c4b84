package dev.nautilus.accel.affinity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CpuSetTest {
    @Test
    void shouldParseAndFormatTheLinuxListSyntax() {
        CpuSet s = CpuSet.parse("0-3,8,10-11\n");
        assertArrayEquals(new int[] {0, 1, 2, 3, 8, 10, 11}, s.toArray());
        assertEquals("0-3,8,10-11", s.toString());
        assertEquals(7, s.size());
        assertEquals(0, s.first());
        assertEquals(11, s.last());
        assertEquals("0,2,4,6", CpuSet.parse("0-7:2").toString());
        assertEquals("5", CpuSet.parse(" 5 ").toString());
        assertTrue(CpuSet.parse("").isEmpty());
        assertTrue(CpuSet.parse("\n").isEmpty());
        assertEquals("", CpuSet.EMPTY.toString());
    }

    @Test
    void shouldHoldCpusBeyondGlibcs1024() {
        CpuSet big = CpuSet.of(0, 1500, 4095);
        assertTrue(big.contains(1500));
        assertEquals("0,1500,4095", big.toString());
        assertEquals(64, big.toWords(0).length);
        assertEquals(big, CpuSet.fromWords(big.toWords(100)));
        assertEquals(CpuSet.parse("1000-1100").size(), 101);
    }

    @Test
    void shouldCombineSets() {
        CpuSet a = CpuSet.parse("0-3");
        CpuSet b = CpuSet.parse("2-5");
        assertEquals("0-5", a.union(b).toString());
        assertEquals("2-3", a.intersect(b).toString());
        assertEquals("0-1", a.minus(b).toString());
        assertTrue(CpuSet.of(2).isSubsetOf(a));
        assertFalse(b.isSubsetOf(a));
        assertEquals(CpuSet.range(0, 3), a);
        assertEquals(a.hashCode(), CpuSet.of(3, 2, 1, 0).hashCode());
    }

    @Test
    void shouldExplainMalformedLists() {
        for (String bad : new String[] {"0-", "a", "3-1", "1,,2", "-1", "0-3:0", "99999", "2:2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuSet.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("malformed CPU list \"" + bad + "\": item \""), e.getMessage());
            assertTrue(e.getMessage().contains("use e.g. \"0-3,8,10-11\""), e.getMessage());
        }
        assertEquals("invalid CPU number -1: CPUs are numbered 0 to 65535",
                assertThrows(IllegalArgumentException.class, () -> CpuSet.of(-1)).getMessage());
        assertEquals("invalid CPU range 5-2: the end is before the start",
                assertThrows(IllegalArgumentException.class, () -> CpuSet.range(5, 2)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parse(null));
    }
}
