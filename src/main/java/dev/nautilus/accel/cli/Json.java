package dev.nautilus.accel.cli;

import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.nativeaccess.Version;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for the {@code --json} outputs: turns a tree of {@link Map} (objects,
 * written in the map's iteration order, so use a {@link java.util.LinkedHashMap} for stable key
 * order), {@link List} (arrays), {@link String}, {@link Number}, {@link Boolean} and {@code null}
 * into indented JSON text (RFC 8259).
 *
 * <p>Strings are escaped completely: quote, backslash, every control character below U+0020,
 * U+2028/U+2029 and unpaired surrogates become escapes, so any Java string round-trips.
 * Non-finite doubles, which JSON cannot express, are written as {@code null}.
 *
 * <p>Stateless and thread-safe.
 */
final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /**
     * The facts every benchmark's JSON starts with.
     *
     * @return a new mutable map: version, platform, cpus, cpu (model), java
     */
    static Map<String, Object> benchmarkHeader() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", Version.get());
        doc.put("platform", Platform.id());
        doc.put("cpus", Runtime.getRuntime().availableProcessors());
        doc.put("cpu", SystemInfo.cpu().model().orElse("unknown CPU"));
        doc.put("java", Runtime.version().toString());
        return doc;
    }

    /**
     * @param value a tree of maps, lists, strings, numbers, booleans and nulls
     * @return the JSON text, indented by two spaces, without a trailing newline
     * @throws IllegalArgumentException for a value of another type or a map key that is not a string
     */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, value, 0);
        return sb.toString();
    }

    /**
     * @param s any string
     * @return the string as a JSON string literal, quotes included
     */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(sb, s);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, int depth) {
        switch (value) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b.booleanValue());
            case Double d -> sb.append(Double.isFinite(d) ? d.toString() : "null");
            case Float f -> sb.append(Float.isFinite(f) ? f.toString() : "null");
            case Long l -> sb.append(l.longValue());
            case Integer i -> sb.append(i.intValue());
            case Short s -> sb.append(s.shortValue());
            case Byte b -> sb.append(b.byteValue());
            case Map<?, ?> m -> writeObject(sb, m, depth);
            case List<?> l -> writeArray(sb, l, depth);
            default -> throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void writeObject(StringBuilder sb, Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<?, ?> e = it.next();
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
            }
            newline(sb, depth + 1);
            quote(sb, key);
            sb.append(": ");
            write(sb, e.getValue(), depth + 1);
            if (it.hasNext()) {
                sb.append(',');
            }
        }
        newline(sb, depth);
        sb.append('}');
    }

    private static void writeArray(StringBuilder sb, List<?> list, int depth) {
        if (list.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
            newline(sb, depth + 1);
            write(sb, list.get(i), depth + 1);
            if (i < list.size() - 1) {
                sb.append(',');
            }
        }
        newline(sb, depth);
        sb.append(']');
    }

    private static void newline(StringBuilder sb, int depth) {
        sb.append('\n');
        sb.append("  ".repeat(depth));
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || isUnpairedSurrogate(s, i)) {
                        unicodeEscape(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static boolean isUnpairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }

    private static void unicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }
}
