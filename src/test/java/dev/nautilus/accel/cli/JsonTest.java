package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.testutil.JsonReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JsonTest {

    @Test
    void shouldEscapeQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\\/\"".replace("\\/", "/"), Json.quote("a\"b\\c/"));
        assertEquals("\"\\b\\f\\n\\r\\t\\u0000\\u001f\"", Json.quote("\b\f\n\r\t\u0000\u001f"));
        assertEquals("\"\\u2028\\u2029\"", Json.quote("\u2028\u2029"));
        assertEquals("\"\\ud800x\\udc00\"", Json.quote("\ud800x\udc00"), "unpaired surrogates are escaped");
        assertEquals("\"\ud83d\ude80 caf\u00e9\"", Json.quote("\ud83d\ude80 caf\u00e9"), "pairs and non-ASCII stay as they are");
    }

    @Test
    void shouldRoundTripEveryCharacterThroughAParser() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x300; c++) {
            all.append(c);
        }
        all.append("\u2028\u2029\ud83d\ude80\ud800");
        assertEquals(all.toString(), JsonReader.parse(Json.quote(all.toString())));
    }

    @Test
    void shouldWriteNestedValuesInKeyOrder() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1L);
        inner.put("a", List.of());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", "shm");
        root.put("count", 3);
        root.put("ok", true);
        root.put("none", null);
        root.put("ratio", 0.5);
        root.put("nan", Double.NaN);
        root.put("list", Arrays.asList(1, "two", null, Map.of()));
        root.put("inner", inner);

        String text = Json.write(root);

        assertEquals("""
                {
                  "name": "shm",
                  "count": 3,
                  "ok": true,
                  "none": null,
                  "ratio": 0.5,
                  "nan": null,
                  "list": [
                    1,
                    "two",
                    null,
                    {}
                  ],
                  "inner": {
                    "z": 1,
                    "a": []
                  }
                }""", text);
        Map<String, Object> back = JsonReader.parseObject(text);
        assertEquals(new ArrayList<>(root.keySet()), new ArrayList<>(back.keySet()));
        assertEquals(new BigDecimal("0.5"), back.get("ratio"));
    }

    @Test
    void shouldRefuseValuesJsonCannotHold() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertTrue(e.getMessage().startsWith("cannot write a java.lang.Object as JSON"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "x")));
    }
}
