package dev.nautilus.accel.affinity;

import java.nio.file.Path;

/**
 * A CPU topology file holds something the kernel never writes there, or a topology directory
 * holds no CPU information at all. The message names the file, quotes its content and says what
 * was expected, e.g. {@code malformed /sys/devices/system/cpu/cpu3/topology/core_id: "x3" is not a
 * whole number}. Missing or unreadable files are never an error: they read as unknown.
 */
public final class TopologyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_QUOTED = 120;
    private final transient Path file;
    private final String content;

    TopologyException(Path file, String content, String expected) {
        super("malformed " + file + ": \"" + quote(content) + "\" is not " + expected
                + "; if this directory is a captured or hand-made topology, fix or re-capture that file");
        this.file = file;
        this.content = content;
    }

    TopologyException(Path file, String message) {
        super(message);
        this.file = file;
        this.content = "";
    }

    private static String quote(String content) {
        String s = content.strip().replace("\n", "\\n");
        return s.length() <= MAX_QUOTED ? s : s.substring(0, MAX_QUOTED) + "...";
    }

    /** @return the file (or directory) at fault */
    public Path file() {
        return file;
    }

    /** @return the malformed content as read, or an empty string when the problem is not one file's content */
    public String content() {
        return content;
    }
}
