package dev.nautilus.accel.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class ShmNamesTest {
    private static String rejected(String name) {
        return assertThrows(IllegalArgumentException.class, () -> ShmNames.validate(name)).getMessage();
    }

    @Test
    void shouldAcceptPortableNames() {
        assertEquals("/orders", ShmNames.validate("/orders"));
        assertEquals("/bus.md-L2_v1", ShmNames.validate("/bus.md-L2_v1"));
        assertEquals("/" + "a".repeat(ShmNames.maxLength() - 1), ShmNames.validate("/" + "a".repeat(ShmNames.maxLength() - 1)));
        assertEquals("/", ShmNames.validatePrefix("/"));
    }

    @Test
    void shouldExplainEachRuleABadNameBreaks() {
        assertEquals("invalid shared memory name \"orders\": it must start with '/' (e.g. \"/orders\")", rejected("orders"));
        assertEquals("invalid shared memory name \"\": it must start with '/' (e.g. \"/orders\")", rejected(""));
        assertEquals("invalid shared memory name \"/\": it needs at least one character after the '/' (e.g. \"/orders\")", rejected("/"));
        assertEquals("invalid shared memory name \"/..\": \".\" and \"..\" are not names", rejected("/.."));
        assertEquals("invalid shared memory name \"/a/b\": character '/' at index 2 is not allowed; use only A-Z a-z 0-9 . _ - after the leading '/'",
                rejected("/a/b"));
        assertEquals("invalid shared memory name \"/a b\": character ' ' at index 2 is not allowed; use only A-Z a-z 0-9 . _ - after the leading '/'",
                rejected("/a b"));
        assertEquals("invalid shared memory name \"/a\\u0000\": character U+0000 at index 2 is not allowed; use only A-Z a-z 0-9 . _ - after the leading '/'",
                rejected("/a\0"));
        String tooLong = "/" + "x".repeat(ShmNames.maxLength());
        String m = rejected(tooLong);
        assertEquals(true, m.contains(tooLong.length() + " characters, the limit on "), m);
        assertEquals("shared memory name is null", rejected(null));
    }

    @Test
    void shouldValidateNamesBeforeAnySystemCall() {
        try (Arena arena = Arena.ofConfined()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SharedMemory.create("no-slash", 4096, arena));
            assertEquals("invalid shared memory name \"no-slash\": it must start with '/' (e.g. \"/no-slash\")", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.open("/x/y", arena));
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.unlink("x"));
            assertThrows(IllegalArgumentException.class, () -> SharedMemory.list("x"));
        }
    }
}
