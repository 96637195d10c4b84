package dev.nautilus.accel.cli;

import dev.nautilus.accel.nativeaccess.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether this process may switch threads to a real-time policy ({@code SCHED_FIFO} /
 * {@code SCHED_RR}) on Linux, decided the way the kernel decides: the effective capability set
 * holds {@code CAP_SYS_NICE}, or the {@code RLIMIT_RTPRIO} soft limit is above 0. Running as root
 * grants it only while {@code CAP_SYS_NICE} is kept: a container's root usually lacks it, and this
 * check says so instead of trusting the user id.
 *
 * <p>Reads {@code /proc/self/status} and {@code /proc/self/limits}; the parsing works on their
 * text so it can be tested with captured files. Thread-safe.
 */
final class RealtimePermission {
    /** Bit of {@code CAP_SYS_NICE} in the capability masks. */
    static final int CAP_SYS_NICE = 23;

    /** How to get the permission, for the "not permitted" answer. */
    static final String FIX = "run as root, grant the capability (sudo setcap cap_sys_nice=ep $(readlink -f $(which java)),"
            + " or docker run --cap-add=SYS_NICE), or allow a priority in /etc/security/limits.conf"
            + " (e.g. '@realtime - rtprio 98') and log in again";

    private static final Pattern UID = Pattern.compile("(?m)^Uid:\\s+(\\d+)\\s+(\\d+)");
    private static final Pattern CAP_EFF = Pattern.compile("(?m)^CapEff:\\s+([0-9a-fA-F]+)");
    private static final Pattern RTPRIO = Pattern.compile("(?m)^Max realtime priority\\s+(\\S+)\\s+(\\S+)");

    /**
     * The answer.
     *
     * @param permitted true or false; empty when it could not be decided (not Linux, no /proc)
     * @param reason why it is permitted, or why not
     * @param fix how to get the permission; empty when permitted or undecided
     */
    record Result(Optional<Boolean> permitted, String reason, Optional<String> fix) {}

    private RealtimePermission() {}

    /** @return the answer for this process */
    static Result check() {
        if (!Platform.isLinux()) {
            return new Result(Optional.empty(), "only checked on Linux (" + Platform.id() + " has no SCHED_FIFO permission model to read)",
                    Optional.empty());
        }
        String status;
        try {
            status = Files.readString(Path.of("/proc/self/status"));
        } catch (IOException e) {
            return new Result(Optional.empty(), "cannot read /proc/self/status: " + e.getMessage(), Optional.empty());
        }
        String limits;
        try {
            limits = Files.readString(Path.of("/proc/self/limits"));
        } catch (IOException e) {
            limits = "";
        }
        return decide(status, limits);
    }

    /**
     * @param status the text of {@code /proc/self/status}
     * @param limits the text of {@code /proc/self/limits} (empty when unreadable)
     * @return the answer those files give
     */
    static Result decide(String status, String limits) {
        Optional<Long> euid = group(UID, status, 2).map(Long::parseLong);
        Optional<Boolean> sysNice = group(CAP_EFF, status, 1).map(h -> hasBit(h, CAP_SYS_NICE));
        Optional<String> rtprio = group(RTPRIO, limits, 1);
        boolean root = euid.isPresent() && euid.get() == 0;

        if (sysNice.orElse(false)) {
            return permitted(root ? "running as root (euid 0) with CAP_SYS_NICE" : "CAP_SYS_NICE is in the effective capabilities");
        }
        if (rtprio.isPresent() && !rtprio.get().equals("0")) {
            return permitted("RLIMIT_RTPRIO " + (rtprio.get().equals("unlimited") ? "is unlimited" : "allows priorities up to " + rtprio.get())
                    + " ('Max realtime priority' in /proc/self/limits)");
        }
        if (sysNice.isEmpty() && root) {
            return permitted("running as root (euid 0)");
        }
        String why;
        if (root) {
            why = "running as root (euid 0) but without CAP_SYS_NICE (dropped, as containers do)";
        } else {
            why = "not root" + euid.map(u -> " (euid " + u + ")").orElse("") + ", no CAP_SYS_NICE"
                    + (rtprio.isPresent() ? ", RLIMIT_RTPRIO is 0" : "");
        }
        return new Result(Optional.of(false), why, Optional.of(FIX));
    }

    private static Result permitted(String reason) {
        return new Result(Optional.of(true), reason, Optional.empty());
    }

    private static Optional<String> group(Pattern p, String text, int group) {
        Matcher m = p.matcher(text);
        return m.find() ? Optional.of(m.group(group)) : Optional.empty();
    }

    private static boolean hasBit(String hex, int bit) {
        int digit = hex.length() - 1 - bit / 4;
        if (digit < 0) {
            return false;
        }
        return (Character.digit(hex.charAt(digit), 16) & (1 << (bit % 4))) != 0;
    }
}
