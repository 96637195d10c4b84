package dev.nautilus.accel.affinity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads small kernel files under a root that mirrors {@code /}. A file that is missing or cannot
 * be read is unknown (empty); a file whose content is not what the kernel writes there is a
 * {@link TopologyException} naming the file and the content. Not thread-safe; used while reading.
 */
final class SysfsFiles {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMG]?)(?:i?B)?", Pattern.CASE_INSENSITIVE);
    private final Path root;

    SysfsFiles(Path root) {
        this.root = root;
    }

    Path path(String relative) {
        return root.resolve(relative);
    }

    /** @return the file's content, empty when missing or unreadable */
    Optional<String> text(String relative) {
        Path p = path(relative);
        try {
            return Optional.of(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** @return the CPU list in the file, empty when missing */
    Optional<CpuSet> cpuList(String relative) {
        return text(relative).map(s -> parseCpuList(path(relative), s));
    }

    static CpuSet parseCpuList(Path file, String content) {
        try {
            return CpuSet.parse(content);
        } catch (IllegalArgumentException e) {
            throw new TopologyException(file, content, "a CPU list (the kernel writes e.g. 0-3,8,10-11)");
        }
    }

    /** @return the integer in the file; {@code -1} when missing or when the kernel writes -1 (none) */
    int integer(String relative) {
        Optional<String> t = text(relative);
        if (t.isEmpty()) {
            return LogicalCpu.UNKNOWN;
        }
        String s = t.get().strip();
        try {
            int v = Integer.parseInt(s);
            return v < 0 ? LogicalCpu.UNKNOWN : v;
        } catch (NumberFormatException e) {
            throw new TopologyException(path(relative), t.get(), "a whole number (the kernel writes a decimal number there)");
        }
    }

    /** @return the cache size in bytes ({@code 32K}, {@code 1024K}, {@code 30M}), -1 when missing */
    long size(String relative) {
        Optional<String> t = text(relative);
        if (t.isEmpty()) {
            return -1;
        }
        Matcher m = SIZE.matcher(t.get().strip());
        if (!m.matches()) {
            throw new TopologyException(path(relative), t.get(), "a cache size (the kernel writes e.g. 32K or 1024K)");
        }
        try {
            long n = Long.parseLong(m.group(1));
            long unit = switch (m.group(2).toUpperCase(Locale.ROOT)) {
                case "K" -> 1024L;
                case "M" -> 1024L * 1024;
                case "G" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new TopologyException(path(relative), t.get(), "a cache size that fits in a long");
        }
    }

    /** @return the cache type in the file, UNKNOWN when missing */
    CpuCache.Type cacheType(String relative) {
        Optional<String> t = text(relative);
        if (t.isEmpty()) {
            return CpuCache.Type.UNKNOWN;
        }
        return switch (t.get().strip()) {
            case "Data" -> CpuCache.Type.DATA;
            case "Instruction" -> CpuCache.Type.INSTRUCTION;
            case "Unified" -> CpuCache.Type.UNIFIED;
            default -> throw new TopologyException(path(relative), t.get(), "a cache type (Data, Instruction or Unified)");
        };
    }

    /**
     * @param relative a directory
     * @param prefix the entry name prefix, e.g. {@code cpu} for {@code cpu0}, {@code cpu1}
     * @return the numbers N of entries named prefix+N, ascending; empty when the directory is missing
     */
    List<Integer> numberedEntries(String relative, String prefix) {
        TreeMap<Integer, Boolean> found = new TreeMap<>();
        Path dir = path(relative);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, prefix + "*")) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(prefix.length());
                if (!rest.isEmpty() && rest.length() < 9 && rest.chars().allMatch(Character::isDigit) && Files.isDirectory(p)) {
                    found.put(Integer.parseInt(rest), Boolean.TRUE);
                }
            }
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        return new ArrayList<>(found.keySet());
    }
}
