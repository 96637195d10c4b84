package dev.nautilus.accel.cli;

import dev.nautilus.accel.affinity.CpuSet;
import dev.nautilus.accel.nativeaccess.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Facts about this machine and JVM for {@code nautilus doctor}: operating system, processor,
 * JDK and {@code /dev/shm}. Each fact is read when asked (files under {@code /proc} and
 * {@code /sys} on Linux, {@code sysctl} on macOS) and is empty when it cannot be read: nothing
 * is guessed. Thread-safe.
 */
final class SystemInfo {
    /** Where Linux keeps POSIX shared memory. */
    static final Path DEV_SHM = Path.of("/dev/shm");

    /**
     * The operating system.
     *
     * @param name {@code os.name}, e.g. {@code Linux}
     * @param version {@code os.version} (the kernel release on Linux, the macOS version on macOS)
     * @param distribution {@code PRETTY_NAME} of {@code /etc/os-release}, when there is one
     * @param kernel the kernel release, e.g. {@code 6.8.0-45-generic}
     */
    record Os(String name, String version, Optional<String> distribution, Optional<String> kernel) {}

    /**
     * The processor.
     *
     * @param model model name, when the system says it
     * @param logical processors this JVM may use ({@link Runtime#availableProcessors()}: affinity and cgroup limits apply)
     * @param online the kernel's online CPU list, e.g. {@code 0-7} (Linux)
     * @param onlineCount how many CPUs that list names
     */
    record Cpu(Optional<String> model, int logical, Optional<String> online, Optional<Integer> onlineCount) {}

    /**
     * Space in {@code /dev/shm}.
     *
     * @param total file system size in bytes
     * @param used bytes in use
     * @param free bytes still available to this user
     * @param segments named segments it holds (files, semaphores included)
     */
    record DevShm(long total, long used, long free, long segments) {}

    private SystemInfo() {}

    /** @return the operating system */
    static Os os() {
        String name = System.getProperty("os.name", "unknown");
        String version = System.getProperty("os.version", "unknown");
        Optional<String> kernel = Platform.isLinux() ? Optional.of(version)
                : Platform.isMac() ? command("uname", "-r") : Optional.empty();
        return new Os(name, version, distribution(), kernel);
    }

    /** @return the processor */
    static Cpu cpu() {
        Optional<String> model = Optional.empty();
        Optional<String> online = Optional.empty();
        if (Platform.isLinux()) {
            model = cpuModel(read(Path.of("/proc/cpuinfo")).orElse(""));
            online = read(Path.of("/sys/devices/system/cpu/online")).map(String::strip).filter(s -> !s.isEmpty());
        } else if (Platform.isMac()) {
            model = command("sysctl", "-n", "machdep.cpu.brand_string");
        }
        return new Cpu(model, Runtime.getRuntime().availableProcessors(), online, online.flatMap(SystemInfo::countCpuList));
    }

    /** @return {@code /dev/shm} space and contents, empty where there is no {@code /dev/shm} (macOS) */
    static Optional<DevShm> devShm() {
        if (!Files.isDirectory(DEV_SHM)) {
            return Optional.empty();
        }
        try {
            FileStore store = Files.getFileStore(DEV_SHM);
            long total = store.getTotalSpace();
            long unallocated = store.getUnallocatedSpace();
            long segments;
            try (var files = Files.list(DEV_SHM)) {
                segments = files.filter(Files::isRegularFile).count();
            }
            return Optional.of(new DevShm(total, total - unallocated, store.getUsableSpace(), segments));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * @param cpuinfo the text of {@code /proc/cpuinfo}
     * @return the first {@code model name} (x86) or, failing that, {@code Hardware} / {@code Model} line (ARM)
     */
    static Optional<String> cpuModel(String cpuinfo) {
        for (String key : List.of("model name", "Hardware", "Model")) {
            for (String line : cpuinfo.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                    String v = line.substring(colon + 1).strip();
                    if (!v.isEmpty()) {
                        return Optional.of(v);
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param list a kernel CPU list, e.g. {@code 0-3,8-11,16}
     * @return how many CPUs it names, empty when it is malformed
     */
    static Optional<Integer> countCpuList(String list) {
        try {
            CpuSet cpus = CpuSet.parse(list);
            return cpus.isEmpty() ? Optional.empty() : Optional.of(cpus.size());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> distribution() {
        return read(Path.of("/etc/os-release")).flatMap(text -> {
            for (String line : text.split("\n")) {
                if (line.startsWith("PRETTY_NAME=")) {
                    String v = line.substring("PRETTY_NAME=".length()).strip();
                    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                        v = v.substring(1, v.length() - 1);
                    }
                    return v.isEmpty() ? Optional.empty() : Optional.of(v);
                }
            }
            return Optional.empty();
        });
    }

    private static Optional<String> read(Path p) {
        try {
            return Optional.of(Files.readString(p));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** Runs a short command (best effort, 5 s at most) and returns its first output line. */
    private static Optional<String> command(String... cmd) {
        Process p = null;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.DISCARD).start();
            // the answer is one short line, far below the pipe's buffer: wait first, then read
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readNBytes(4096);
            }
            String s = new String(out, StandardCharsets.UTF_8).strip();
            int nl = s.indexOf('\n');
            s = nl >= 0 ? s.substring(0, nl).strip() : s;
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }
}
