package dev.nautilus.accel.affinity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One OS file lock per CPU in a lock directory: {@code cpu<N>.lock}, locked with
 * {@link FileChannel#tryLock()} (a POSIX record lock, which the kernel drops when the holder dies)
 * and holding {@code pid=}, {@code tid=}, {@code thread=}, {@code cpu=}, {@code since=} lines for
 * people and for {@link CpuReservation#holders()}.
 *
 * <p>POSIX locks belong to the process, and closing <em>any</em> descriptor of a locked file drops
 * the process's lock on it. So every open of a lock file in this JVM happens under {@link #MONITOR},
 * and a file this JVM holds (see the process-wide registry) is never opened a second time: its
 * holder is answered from memory. Lock files are truncated on release, never deleted (deleting
 * would let two processes lock two different files of the same name).
 */
final class CpuLocks {
    /** The system property that overrides the lock directory. */
    static final String PROPERTY = "nautilus.affinity.lockDir";
    /** Guards {@link #HELD} and every open of a lock file in this JVM. */
    static final Object MONITOR = new Object();
    private static final Map<Path, Held> HELD = new HashMap<>();

    /** A lock this process holds. */
    record Held(int cpu, Path file, FileChannel channel, FileLock lock, CpuReservation.Holder holder) {}

    private final Path dir;

    private CpuLocks(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /**
     * @param dir the lock directory, or null for the default
     * @return locks in that directory (not created until a reservation needs it)
     */
    static CpuLocks in(Path dir) {
        return new CpuLocks(dir == null ? defaultDirectory() : dir);
    }

    /** @return the lock directory from -Dnautilus.affinity.lockDir, $XDG_RUNTIME_DIR, /run or java.io.tmpdir */
    static Path defaultDirectory() {
        return resolveDirectory(System.getProperty(PROPERTY), System.getenv("XDG_RUNTIME_DIR"), Path.of("/run"),
                System.getProperty("java.io.tmpdir"), System.getProperty("user.name"));
    }

    static Path resolveDirectory(String property, String xdgRuntimeDir, Path run, String tmpdir, String user) {
        if (property != null && !property.isBlank()) {
            return Path.of(property.strip());
        }
        if (xdgRuntimeDir != null && !xdgRuntimeDir.isBlank() && Files.isDirectory(Path.of(xdgRuntimeDir))) {
            return Path.of(xdgRuntimeDir, "nautilus-accel", "cpus");
        }
        Path inRun = run.resolve("nautilus-accel").resolve("cpus");
        if (Files.isDirectory(inRun) ? Files.isWritable(inRun) : Files.isDirectory(run) && Files.isWritable(run)) {
            return inRun;
        }
        String who = user == null || user.isBlank() ? "unknown" : user.replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(tmpdir == null ? "/tmp" : tmpdir, "nautilus-accel-" + who, "cpus");
    }

    Path directory() {
        return dir;
    }

    Path fileOf(int cpu) {
        return dir.resolve("cpu" + cpu + ".lock");
    }

    private void createDirectory() {
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new CpuReservationException("cannot create the CPU lock directory " + dir + " (" + e + "); set -D" + PROPERTY
                    + "=DIR to a writable local directory shared by the processes that reserve CPUs", e);
        }
    }

    /**
     * Locks every CPU of the set, or none.
     *
     * @return the locks, or empty when one of the CPUs is held by this or another process
     * @throws CpuReservationException when a lock file cannot be opened or locked at all
     */
    Optional<List<Held>> tryLockAll(CpuSet cpus) {
        synchronized (MONITOR) {
            createDirectory();
            List<Held> got = new ArrayList<>();
            for (int cpu : cpus.toArray()) {
                Held h = tryLock(cpu);
                if (h == null) {
                    release(got);
                    return Optional.empty();
                }
                got.add(h);
            }
            return Optional.of(got);
        }
    }

    private Held tryLock(int cpu) {
        Path file = fileOf(cpu);
        if (HELD.containsKey(file)) {
            return null;
        }
        boolean existed = Files.exists(file);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            throw new CpuReservationException("cannot open the CPU lock file " + file + ": permission denied (another user "
                    + "created it); let every user that reserves CPUs write there (chmod 1777 " + dir + "; chmod 666 " + dir
                    + "/cpu*.lock) or give this user its own directory with -D" + PROPERTY + "=DIR", e);
        } catch (IOException e) {
            throw new CpuReservationException("cannot open the CPU lock file " + file + " (" + e + "); set -D" + PROPERTY
                    + "=DIR to a writable local directory", e);
        }
        if (!existed) {
            try { // others may lock it too when the directory is shared; ignore where not permitted
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            } catch (IOException | UnsupportedOperationException | SecurityException ignored) {
                // the umask's permissions stay
            }
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held through another channel of this JVM (another class loader's copy of this class)
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CpuReservationException("cannot lock " + file + " (" + e + "): file locks do not work in " + dir
                    + " (a network file system?); set -D" + PROPERTY + "=DIR to a local directory", e);
        }
        if (lock == null) {
            closeQuietly(ch);
            return null;
        }
        CpuReservation.Holder holder = new CpuReservation.Holder(cpu, ProcessHandle.current().pid(), currentTid(),
                Thread.currentThread().getName(), Instant.now().truncatedTo(ChronoUnit.MILLIS), file);
        try {
            byte[] text = ("pid=" + holder.pid() + "\ntid=" + holder.tid() + "\nthread=" + oneLine(holder.threadName()) + "\ncpu="
                    + cpu + "\nsince=" + holder.since() + "\n").getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(text), 0);
        } catch (IOException e) {
            // the lock is what counts; the text is for people
        }
        Held h = new Held(cpu, file, ch, lock, holder);
        HELD.put(file, h);
        return h;
    }

    /** Releases locks of this process (truncating their files); idempotent. */
    static void release(List<Held> locks) {
        synchronized (MONITOR) {
            for (Held h : locks) {
                if (HELD.get(h.file()) == h) {
                    HELD.remove(h.file());
                    try {
                        h.channel().truncate(0);
                    } catch (IOException ignored) {
                        // released anyway
                    }
                    try {
                        h.lock().release();
                    } catch (IOException ignored) {
                        // closing the channel releases it
                    }
                    closeQuietly(h.channel());
                }
            }
        }
    }

    /** @return who holds the CPU's lock now, empty when nobody does */
    Optional<CpuReservation.Holder> holderOf(int cpu) {
        synchronized (MONITOR) {
            return holderOf(cpu, procLocks());
        }
    }

    private Optional<CpuReservation.Holder> holderOf(int cpu, Optional<List<long[]>> procLocks) {
        Path file = fileOf(cpu);
        Held mine = HELD.get(file);
        if (mine != null) {
            return Optional.of(mine.holder());
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Map<String, String> text = new HashMap<>();
        try { // safe: this process holds no lock on this file (checked above, under MONITOR)
            for (String line : Files.readString(file, StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    text.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: the lock state still tells
        }
        long pid = number(text.get("pid"));
        long lockPid;
        if (procLocks.isPresent()) {
            lockPid = lockingPid(file, procLocks.get(), pid);
            if (lockPid == Long.MIN_VALUE) {
                return Optional.empty(); // nobody holds it: a crashed holder's text
            }
        } else {
            lockPid = pid > 0 && ProcessHandle.of(pid).isPresent() ? pid : Long.MIN_VALUE;
            if (lockPid == Long.MIN_VALUE) {
                return Optional.empty();
            }
        }
        Instant since = null;
        try {
            since = text.containsKey("since") ? Instant.parse(text.get("since")) : null;
        } catch (DateTimeParseException e) {
            // unknown
        }
        boolean textIsHolders = pid == lockPid || lockPid <= 0;
        return Optional.of(new CpuReservation.Holder(cpu, lockPid > 0 ? lockPid : pid,
                textIsHolders ? number(text.get("tid")) : -1,
                textIsHolders ? text.getOrDefault("thread", "") : "", textIsHolders ? since : null, file));
    }

    /** @return the CPUs whose locks are held now, by this or any process */
    CpuSet heldCpus() {
        CpuSet s = CpuSet.EMPTY;
        for (CpuReservation.Holder h : holders()) {
            s = s.union(CpuSet.of(h.cpu()));
        }
        return s;
    }

    /** @return the current holders, by CPU */
    List<CpuReservation.Holder> holders() {
        synchronized (MONITOR) {
            TreeMap<Integer, CpuReservation.Holder> found = new TreeMap<>();
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            Optional<List<long[]>> locks = procLocks();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "cpu*.lock")) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    String digits = name.substring(3, name.length() - 5);
                    if (!digits.isEmpty() && digits.length() < 6 && digits.chars().allMatch(Character::isDigit)) {
                        int cpu = Integer.parseInt(digits);
                        holderOf(cpu, locks).ifPresent(h -> found.put(cpu, h));
                    }
                }
            } catch (IOException e) {
                throw new CpuReservationException("cannot list the CPU lock directory " + dir + " (" + e + ")", e);
            }
            return List.copyOf(found.values());
        }
    }

    // ------------------------------------------------------------------ /proc/locks

    /**
     * @return {major, minor, inode, pid} of every granted lock in {@code /proc/locks}; empty where
     *     that file does not exist (not Linux)
     */
    private static Optional<List<long[]>> procLocks() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/locks"));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        List<long[]> out = new ArrayList<>();
        for (String line : lines) {
            // "1: POSIX  ADVISORY  WRITE 26003 fe:00:2148368 0 EOF"; blocked waiters have "->" after the number
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || f[1].equals("->")) {
                continue;
            }
            String[] dev = f[5].split(":");
            if (dev.length != 3) {
                continue;
            }
            try {
                out.add(new long[] {Long.parseLong(dev[0], 16), Long.parseLong(dev[1], 16), Long.parseLong(dev[2]),
                        Long.parseLong(f[4])});
            } catch (NumberFormatException e) {
                // not a lock line
            }
        }
        return Optional.of(out);
    }

    /**
     * @return the pid that holds a lock on the file per /proc/locks (possibly -1 for an open file
     *     description lock), or Long.MIN_VALUE when none does
     */
    private static long lockingPid(Path file, List<long[]> locks, long textPid) {
        long ino;
        long dev;
        try {
            ino = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
            dev = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
        } catch (IOException | RuntimeException e) {
            return textPid > 0 && ProcessHandle.of(textPid).isPresent() ? textPid : Long.MIN_VALUE;
        }
        long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
        for (long[] l : locks) {
            // the inode must match; the device too, or else the pid the file names (some file
            // systems report another device number in stat than in /proc/locks)
            if (l[2] == ino && ((l[0] == major && l[1] == minor) || (textPid > 0 && l[3] == textPid))) {
                return l[3];
            }
        }
        return Long.MIN_VALUE;
    }

    // ------------------------------------------------------------------ helpers

    private static long currentTid() {
        try {
            return Affinity.isAvailable() ? Affinity.currentThreadId() : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static long number(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
