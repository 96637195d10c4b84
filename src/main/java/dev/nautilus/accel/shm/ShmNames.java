package dev.nautilus.accel.shm;

import dev.nautilus.accel.nativeaccess.Platform;

/**
 * POSIX shared-memory object names as nautilus-accel accepts them: a leading {@code '/'} followed
 * by 1 or more characters of the POSIX portable file name set ({@code A-Z a-z 0-9 . _ -}), not
 * {@code "/."} or {@code "/.."}, at most {@link #maxLength()} bytes in all (255 after the slash on
 * Linux, 30 on macOS).
 */
public final class ShmNames {
    private ShmNames() {}

    /** @return the longest valid name on this platform, in bytes, including the leading slash */
    public static int maxLength() {
        return Platform.isMac() ? 31 : 256;
    }

    /**
     * Checks a segment name.
     *
     * @param name the name, e.g. {@code /orders}
     * @return the name, unchanged
     * @throws IllegalArgumentException saying which rule the name breaks and giving an example
     */
    public static String validate(String name) {
        return check(name, false);
    }

    /**
     * Checks a name prefix for listing: like a name, but {@code "/"} alone is allowed.
     *
     * @param prefix the prefix, e.g. {@code /bus.}
     * @return the prefix, unchanged
     * @throws IllegalArgumentException saying which rule the prefix breaks
     */
    public static String validatePrefix(String prefix) {
        return check(prefix, true);
    }

    private static String check(String name, boolean prefix) {
        String what = prefix ? "shared memory name prefix" : "shared memory name";
        if (name == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (name.isEmpty() || name.charAt(0) != '/') {
            throw new IllegalArgumentException("invalid " + what + " \"" + printable(name)
                    + "\": it must start with '/' (e.g. \"/" + suggestion(name) + "\")");
        }
        if (!prefix && name.length() == 1) {
            throw new IllegalArgumentException("invalid " + what + " \"/\": it needs at least one character after the '/' (e.g. \"/orders\")");
        }
        if (name.equals("/.") || name.equals("/..")) {
            throw new IllegalArgumentException("invalid " + what + " \"" + name + "\": \".\" and \"..\" are not names");
        }
        if (name.length() > maxLength()) {
            throw new IllegalArgumentException("invalid " + what + " \"" + printable(name.substring(0, 40)) + "...\": "
                    + name.length() + " characters, the limit on " + Platform.id() + " is " + maxLength()
                    + " including the leading '/'");
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                throw new IllegalArgumentException("invalid " + what + " \"" + printable(name) + "\": character "
                        + describe(c) + " at index " + i
                        + " is not allowed; use only A-Z a-z 0-9 . _ - after the leading '/'");
            }
        }
        return name;
    }

    private static String suggestion(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "");
        return s.isEmpty() ? "orders" : s;
    }

    private static String describe(char c) {
        if (c == '/') {
            return "'/'";
        }
        if (c < 0x20 || c == 0x7f || c > 0x7e) {
            return String.format("U+%04X", (int) c);
        }
        return "'" + c + "'";
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
