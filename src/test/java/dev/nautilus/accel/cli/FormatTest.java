package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The text layouts the commands print: sizes, tables, hex dumps. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FormatTest {

    @Test
    void shouldWriteSizesInBinaryUnits() {
        assertEquals("0 B", Sizes.human(0));
        assertEquals("1023 B", Sizes.human(1023));
        assertEquals("1.0 KiB", Sizes.human(1024));
        assertEquals("1.5 MiB", Sizes.human(3 << 19));
        assertEquals("8.0 EiB", Sizes.human(Long.MAX_VALUE));
        assertEquals("512 B", Sizes.exactAndHuman(512));
        assertEquals("4096 (4.0 KiB)", Sizes.exactAndHuman(4096));
    }

    @Test
    void shouldAlignTableColumns() {
        StringWriter sw = new StringWriter();
        new Table("NAME", "SIZE", "HUGE").alignRight(1).add("/a", "1", "no").add("/longer", "4096", "yes")
                .print(new PrintWriter(sw, true));

        assertEquals("NAME     SIZE  HUGE\n"
                + "/a          1  no\n"
                + "/longer  4096  yes\n", sw.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void shouldDumpFullAndPartialLinesLikeHexdump() {
        byte[] bytes = "Hello, shared memory!\n\u0001".getBytes(StandardCharsets.ISO_8859_1);
        StringWriter sw = new StringWriter();

        HexDump.print(MemorySegment.ofArray(bytes), 0, bytes.length, new PrintWriter(sw, true));

        assertEquals("00000000  48 65 6c 6c 6f 2c 20 73  68 61 72 65 64 20 6d 65  |Hello, shared me|\n"
                + "00000010  6d 6f 72 79 21 0a 01                              |mory!..|\n",
                sw.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void shouldShowAbsoluteOffsetsWhenDumpingFromTheMiddle() {
        byte[] bytes = new byte[64];
        bytes[40] = (byte) 0xff;
        bytes[41] = 'A';
        StringWriter sw = new StringWriter();

        HexDump.print(MemorySegment.ofArray(bytes), 40, 3, new PrintWriter(sw, true));

        assertEquals("00000028  ff 41 00                                          |.A.|\n",
                sw.toString().replace(System.lineSeparator(), "\n"));
    }
}
