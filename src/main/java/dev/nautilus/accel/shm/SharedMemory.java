package dev.nautilus.accel.shm;

import static dev.nautilus.accel.bindings.shm.na_shm_h.NA_SHM_MAP_PREFAULT;
import static dev.nautilus.accel.bindings.shm.na_shm_h.NA_SHM_MAP_WRITE;
import static dev.nautilus.accel.bindings.shm.na_shm_h.NA_SHM_O_CREATE;
import static dev.nautilus.accel.bindings.shm.na_shm_h.NA_SHM_O_EXCL;
import static dev.nautilus.accel.bindings.shm.na_shm_h.NA_SHM_O_READONLY;

import dev.nautilus.accel.bindings.shm.na_shm_h;
import dev.nautilus.accel.bindings.shm.na_shm_stat;
import dev.nautilus.accel.nativeaccess.Errno;
import dev.nautilus.accel.nativeaccess.NativeModule;
import dev.nautilus.accel.nativeaccess.NativeUnavailableException;
import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.nativeaccess.UnsupportedPlatformException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Named POSIX shared memory segments ({@code shm_open} + {@code ftruncate} + {@code mmap}) as
 * {@link MemorySegment}s that any process on the machine can map by name.
 *
 * <pre>{@code
 * try (Arena arena = Arena.ofShared()) {
 *     MemorySegment seg = SharedMemory.create("/orders", 1 << 20, arena);   // owner-only, 0600
 *     seg.set(ValueLayout.JAVA_LONG, 0, 42L);
 *     // another process: SharedMemory.open("/orders", arena)
 * }   // closing the arena unmaps; any later access throws IllegalStateException
 * SharedMemory.unlink("/orders");        // removes the name; mappings stay valid until unmapped
 * }</pre>
 *
 * <p><b>Ownership.</b> The {@link Arena} passed in owns the mapping: closing it unmaps the
 * segment, and every later access through the segment throws {@link IllegalStateException}
 * (never a crash). The name lives on in the system until {@link #unlink} (or a reboot) whether
 * or not any process has it mapped; whoever creates a segment is responsible for unlinking it.
 *
 * <p><b>Sizes</b> are rounded up to the page size (or the huge page size); the returned
 * segment's {@code byteSize()} is the rounded size. New segments read as zeros.
 *
 * <p><b>Errors.</b> System call failures throw {@link ShmException} naming the call, the segment,
 * the errno and a hint; bad arguments throw {@link IllegalArgumentException}; a module that cannot
 * run here throws {@link NativeUnavailableException}. A failed create removes what it created and
 * nothing else.
 *
 * <p>Thread-safe: every method may be called from any thread. None is meant for a hot path
 * (each makes several system calls); the hot path is the returned segment itself.
 */
public final class SharedMemory {
    private static final Path DEV_SHM = Path.of("/dev/shm");

    static final NativeModule MODULE = new NativeModule("shm", "na_shm",
            "POSIX shared memory segments and futex wait/wake", SharedMemory::probe);

    private SharedMemory() {}

    // ---------------------------------------------------------------- availability

    /** @return true when shared memory can be used in this JVM (decided once by a real probe) */
    public static boolean isAvailable() {
        return MODULE.isAvailable();
    }

    /** @throws NativeUnavailableException saying why shared memory cannot be used here and the fix */
    public static void ensureAvailable() {
        MODULE.ensureAvailable();
    }

    /** @return why shared memory is unavailable, or empty when it is available */
    public static Optional<NativeUnavailableException> unavailabilityCause() {
        return MODULE.unavailabilityCause();
    }

    /** @return the module descriptor (name, library, disable property) */
    public static NativeModule module() {
        return MODULE;
    }

    private static void probe() {
        int abi = na_shm_h.na_shm_abi_version();
        if (abi != na_shm_h.NA_SHM_ABI_VERSION()) {
            throw new NativeUnavailableException("module shm is unavailable: libna_shm has ABI version " + abi
                    + " but these bindings expect " + na_shm_h.NA_SHM_ABI_VERSION()
                    + "; rebuild the natives (make native) or use a matching jar");
        }
        long page = na_shm_h.na_shm_page_size();
        int max = na_shm_h.na_shm_name_max();
        if (page <= 0 || max != ShmNames.maxLength()) {
            throw new NativeUnavailableException("module shm is unavailable: libna_shm reports page size " + page
                    + " and name limit " + max + " (expected " + ShmNames.maxLength() + ")");
        }
    }

    /** @return the system page size in bytes, the unit sizes are rounded to */
    public static long pageSize() {
        ensureAvailable();
        return na_shm_h.na_shm_page_size();
    }

    // ---------------------------------------------------------------- create / open / unlink

    /**
     * Creates a new segment with the {@linkplain ShmOptions#DEFAULTS defaults} (owner-only
     * {@code 0600}, fails if the name exists) and maps it read-write.
     *
     * @param name segment name, e.g. {@code /orders} (see {@link ShmNames})
     * @param size bytes, &gt; 0; rounded up to the page size
     * @param arena owns the mapping; closing it unmaps
     * @return the mapped segment, zero-filled
     * @throws ShmException when a system call fails (EEXIST when the name exists)
     */
    public static MemorySegment create(String name, long size, Arena arena) {
        return create(name, size, ShmOptions.DEFAULTS, arena);
    }

    /**
     * Creates (or, with {@code withExclusive(false)}, creates or opens) a segment and maps it
     * read-write.
     *
     * @param name segment name, e.g. {@code /orders} (see {@link ShmNames})
     * @param size bytes, &gt; 0; rounded up to the page size (or huge page size)
     * @param options mode, exclusivity, huge pages, prefault, lock, reserve
     * @param arena owns the mapping; closing it unmaps
     * @return the mapped segment; {@code byteSize()} is the rounded size
     * @throws ShmException when a system call fails; the message says which and how to fix it
     * @throws IllegalArgumentException for a bad name, size, or a read-only option
     */
    public static MemorySegment create(String name, long size, ShmOptions options, Arena arena) {
        ShmNames.validate(name);
        checkArena(arena);
        if (size <= 0) {
            throw new IllegalArgumentException("invalid size " + size + " for shared memory segment \"" + name
                    + "\": it must be > 0 bytes");
        }
        if (options.readOnly()) {
            throw new IllegalArgumentException("cannot create shared memory segment \"" + name
                    + "\" read-only: create it read-write, then open it with withReadOnly(true)");
        }
        ensureAvailable();
        Target t = target(name, options.hugePages());
        long rounded = roundUp(name, size, t.unit);
        if (options.hugePages()) {
            checkHugePagesFor(name, rounded, t.unit);
        }
        int flags = NA_SHM_O_CREATE() | (options.exclusive() ? NA_SHM_O_EXCL() : 0);
        return openAndMap(name, t, flags, options, rounded, arena);
    }

    /**
     * Opens an existing segment read-write and maps all of it.
     *
     * @param name segment name
     * @param arena owns the mapping
     * @return the mapped segment
     * @throws ShmException ENOENT when there is no such segment, EACCES without permission
     */
    public static MemorySegment open(String name, Arena arena) {
        return open(name, ShmOptions.DEFAULTS, arena);
    }

    /**
     * Opens an existing segment and maps all of it. Looks in {@code /dev/shm} first, then on the
     * hugetlbfs mount (so a huge-page segment is found by name alone). With
     * {@code withReadOnly(true)} the returned segment is read-only: writes throw
     * {@link IllegalArgumentException} ("Attempt to write a read-only segment").
     *
     * @param name segment name
     * @param options read-only, prefault and lock are used; mode and exclusivity are ignored
     * @param arena owns the mapping
     * @return the mapped segment
     * @throws ShmException when a system call fails, or the segment has size 0
     */
    public static MemorySegment open(String name, ShmOptions options, Arena arena) {
        ShmNames.validate(name);
        checkArena(arena);
        ensureAvailable();
        Target t = target(name, options.hugePages());
        if (!options.hugePages() && Platform.isLinux() && !Files.exists(DEV_SHM.resolve(name.substring(1)))) {
            Optional<Path> mount = HugePages.mount();
            if (mount.isPresent() && Files.exists(mount.get().resolve(name.substring(1)))) {
                t = target(name, true);
            }
        }
        int flags = options.readOnly() ? NA_SHM_O_READONLY() : 0;
        return openAndMap(name, t, flags, options, -1, arena);
    }

    /**
     * Removes a segment's name (from {@code /dev/shm} or the hugetlbfs mount). Processes that have
     * it mapped keep their mapping; the memory is freed when the last one unmaps.
     *
     * @param name segment name
     * @return true when a segment was removed, false when none had that name
     * @throws ShmException for any failure other than "no such segment" (e.g. EACCES)
     */
    public static boolean unlink(String name) {
        ShmNames.validate(name);
        ensureAvailable();
        boolean removed = false;
        try (Arena tmp = Arena.ofConfined()) {
            int r = na_shm_h.na_shm_unlink(tmp.allocateFrom(name));
            if (r == 0) {
                removed = true;
            } else if (-r != Errno.ENOENT) {
                throw error("shm_unlink", name, -r, null);
            }
            Optional<Path> mount = HugePages.mount();
            if (mount.isPresent()) {
                Path p = mount.get().resolve(name.substring(1));
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    int r2 = na_shm_h.na_shm_unlink_file(tmp.allocateFrom(p.toString()));
                    if (r2 == 0) {
                        removed = true;
                    } else if (-r2 != Errno.ENOENT) {
                        throw error("unlink", p.toString(), -r2, null);
                    }
                }
            }
        }
        return removed;
    }

    // ---------------------------------------------------------------- listing

    /**
     * Lists the named segments whose names start with a prefix (a namespace), sorted by name,
     * from {@code /dev/shm} and the hugetlbfs mount. Reads the file system only; needs no native
     * code.
     *
     * @param prefix e.g. {@code /bus.} or {@code /} for all
     * @return the segments, a snapshot
     * @throws UnsupportedPlatformException on macOS, which has no way to list POSIX shared memory
     */
    public static List<ShmSegmentInfo> list(String prefix) {
        ShmNames.validatePrefix(prefix);
        if (!Platform.isLinux()) {
            throw UnsupportedPlatformException.of("listing shared memory segments",
                    "macOS cannot enumerate POSIX shared memory; keep a registry of names you create");
        }
        List<ShmSegmentInfo> out = new ArrayList<>();
        scan(DEV_SHM, prefix, false, out);
        HugePages.mount().ifPresent(m -> scan(m, prefix, true, out));
        out.sort(Comparator.comparing(ShmSegmentInfo::name));
        return out;
    }

    /**
     * Describes one segment without mapping it.
     *
     * @param name segment name
     * @return its size, owner, mode, ..., or empty when no such segment exists
     * @throws UnsupportedPlatformException on macOS
     */
    public static Optional<ShmSegmentInfo> find(String name) {
        ShmNames.validate(name);
        if (!Platform.isLinux()) {
            throw UnsupportedPlatformException.of("describing a shared memory segment by name",
                    "on macOS open it and use the segment's byteSize()");
        }
        Optional<ShmSegmentInfo> i = info(DEV_SHM.resolve(name.substring(1)), name, false);
        if (i.isPresent()) {
            return i;
        }
        Optional<Path> mount = HugePages.mount();
        return mount.isPresent() ? info(mount.get().resolve(name.substring(1)), name, true) : Optional.empty();
    }

    private static void scan(Path dir, String prefix, boolean huge, List<ShmSegmentInfo> out) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = "/" + p.getFileName();
                if (name.startsWith(prefix)) {
                    info(p, name, huge).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            // an unreadable directory lists nothing; the caller still sees the other one
        }
    }

    private static Optional<ShmSegmentInfo> info(Path p, String name, boolean huge) {
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new ShmSegmentInfo(name, a.size(), a.owner().getName(), a.group().getName(),
                    modeBits(a.permissions()), a.lastModifiedTime().toInstant(), huge, p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static int modeBits(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= switch (p) {
                case OWNER_READ -> 0400;
                case OWNER_WRITE -> 0200;
                case OWNER_EXECUTE -> 0100;
                case GROUP_READ -> 040;
                case GROUP_WRITE -> 020;
                case GROUP_EXECUTE -> 010;
                case OTHERS_READ -> 04;
                case OTHERS_WRITE -> 02;
                case OTHERS_EXECUTE -> 01;
            };
        }
        return m;
    }

    // ---------------------------------------------------------------- internals

    /** Where a name lives: a POSIX shm object, or a file on the hugetlbfs mount. */
    private record Target(String nativeName, boolean file, long unit) {}

    private static Target target(String name, boolean huge) {
        if (!huge) {
            return new Target(name, false, na_shm_h.na_shm_page_size());
        }
        if (!Platform.isLinux()) {
            throw UnsupportedPlatformException.of("huge-page shared memory",
                    "macOS has no hugetlbfs; use normal pages");
        }
        HugePages.Status s = HugePages.status();
        if (s.pageSize() <= 0) {
            throw new ShmException("hugetlbfs", name, Errno.ENOSYS, "kernel without huge pages",
                    "this kernel has no hugetlbfs support; create the segment without huge pages");
        }
        Path mount = s.mount().orElseThrow(() -> new ShmException("hugetlbfs", name, Errno.ENOENT,
                "no hugetlbfs mount in /proc/mounts",
                "mount one as root: mkdir -p /dev/hugepages && mount -t hugetlbfs none /dev/hugepages"));
        return new Target(mount.resolve(name.substring(1)).toString(), true, s.pageSize());
    }

    private static void checkHugePagesFor(String name, long bytes, long pageSize) {
        HugePages.Status s = HugePages.status();
        long need = bytes / pageSize;
        if (s.available() < need) {
            throw new ShmException("hugetlbfs", name, Errno.ENOMEM,
                    need + " huge pages of " + (pageSize >> 10) + " kB needed, " + s.available() + " available (HugePages_Total="
                            + s.total() + ", HugePages_Free=" + s.free() + ", HugePages_Rsvd=" + s.reservedForMappings() + ")",
                    "reserve more as root: echo " + (s.total() + need - s.available())
                            + " > /proc/sys/vm/nr_hugepages, or create the segment without huge pages");
        }
    }

    private static long roundUp(String name, long size, long unit) {
        long r = (size + unit - 1) / unit * unit;
        if (r < size || size > Long.MAX_VALUE - unit) {
            throw new IllegalArgumentException("invalid size " + size + " for shared memory segment \"" + name + "\": too large");
        }
        return r;
    }

    private static void checkArena(Arena arena) {
        if (arena == null) {
            throw new NullPointerException("arena is null: pass the Arena that will own the mapping");
        }
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException("the arena is already closed: pass an open Arena to own the mapping");
        }
    }

    /**
     * shm_open/open, size (create) or fstat (open), mmap, optional mlock, close the fd. On failure
     * unmaps, closes, and unlinks only what this call created.
     */
    private static MemorySegment openAndMap(String name, Target t, int flags, ShmOptions options, long createSize,
                                            Arena arena) {
        boolean creating = createSize > 0;
        String openCall = t.file ? "open" : "shm_open";
        long addr = 0;
        long mapped = 0;
        boolean created = false;
        int fd;
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment cname = tmp.allocateFrom(t.nativeName);
            MemorySegment createdOut = tmp.allocate(ValueLayout.JAVA_INT);
            fd = t.file ? na_shm_h.na_shm_open_file(cname, flags, options.mode(), createdOut)
                    : na_shm_h.na_shm_open(cname, flags, options.mode(), createdOut);
            if (fd < 0) {
                throw error(openCall, name, -fd, creating ? "create" : options.readOnly() ? "open read-only" : "open");
            }
            created = createdOut.get(ValueLayout.JAVA_INT, 0) == 1;
            try {
                long size;
                MemorySegment st = na_shm_stat.allocate(tmp);
                int r = na_shm_h.na_shm_fstat(fd, st);
                if (r < 0) {
                    throw error("fstat", name, -r, null);
                }
                long existing = na_shm_stat.size(st);
                if (creating && (created || existing == 0)) {
                    r = na_shm_h.na_shm_resize(fd, createSize, options.reserve() ? 1 : 0);
                    if (r < 0) {
                        throw error(options.reserve() ? "posix_fallocate" : "ftruncate", name, -r, "size");
                    }
                    size = createSize;
                } else if (creating) {
                    if (existing != createSize) {
                        throw new ShmException(openCall, name, Errno.EEXIST,
                                "exists with size " + existing + " bytes, not the " + createSize + " requested",
                                "open it with SharedMemory.open, or remove it first (nautilus shm rm " + name + ")");
                    }
                    size = existing;
                } else {
                    if (existing <= 0) {
                        throw new ShmException("fstat", name, Errno.EINVAL, "segment has size 0",
                                "its creator has not sized it yet (or failed half-way); retry, or remove it (nautilus shm rm "
                                        + name + ")");
                    }
                    size = existing;
                }
                MemorySegment addrOut = tmp.allocate(ValueLayout.ADDRESS);
                int mflags = (options.readOnly() ? 0 : NA_SHM_MAP_WRITE()) | (options.prefault() ? NA_SHM_MAP_PREFAULT() : 0);
                r = na_shm_h.na_shm_map(fd, size, mflags, addrOut);
                if (r < 0) {
                    throw error("mmap", name, -r, options.hugePages() || t.file ? "huge" : null);
                }
                addr = addrOut.get(ValueLayout.ADDRESS, 0).address();
                mapped = size;
                if (options.lockInMemory()) {
                    r = na_shm_h.na_shm_lock(MemorySegment.ofAddress(addr), size);
                    if (r < 0) {
                        throw error("mlock", name, -r, "lock");
                    }
                }
                final long length = size;
                MemorySegment seg = MemorySegment.ofAddress(addr)
                        .reinterpret(length, arena, s -> na_shm_h.na_shm_unmap(s, length));
                addr = 0; // owned by the arena now
                return options.readOnly() ? seg.asReadOnly() : seg;
            } catch (RuntimeException | Error e) {
                if (addr != 0) {
                    na_shm_h.na_shm_unmap(MemorySegment.ofAddress(addr), mapped);
                }
                if (created) {
                    if (t.file) {
                        na_shm_h.na_shm_unlink_file(cname);
                    } else {
                        na_shm_h.na_shm_unlink(cname);
                    }
                }
                throw e;
            } finally {
                na_shm_h.na_shm_close(fd);
            }
        }
    }

    static String strerror(int errno) {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment buf = tmp.allocate(256);
            int n = na_shm_h.na_shm_strerror(errno, buf, 256);
            return n > 0 ? buf.getString(0) : "";
        } catch (RuntimeException | LinkageError e) {
            return "";
        }
    }

    static ShmException error(String call, String name, int errno, String context) {
        return new ShmException(call, name, errno, strerror(errno), hint(call, name, errno, context));
    }

    private static String hint(String call, String name, int errno, String context) {
        if (errno == Errno.EACCES || (errno == Errno.EPERM && !"lock".equals(context))) {
            return "permission denied: the segment belongs to another user or its mode forbids this access"
                    + (Platform.isLinux() ? " (check: nautilus shm inspect " + name + ", or ls -l /dev/shm)" : "")
                    + "; open it read-only, run as its owner, or have the creator use a wider mode such as 0660";
        }
        if (errno == Errno.ENOENT) {
            return "no segment of that name exists: create it first, or check the name (nautilus shm list)";
        }
        if (errno == Errno.EEXIST) {
            return "a segment of that name already exists: open it with SharedMemory.open, create with "
                    + "withExclusive(false) to reuse it, or remove it (nautilus shm rm " + name + ")";
        }
        if (errno == Errno.ENOSPC) {
            return "not enough room in " + (Platform.isLinux() ? "/dev/shm (df -h /dev/shm)" : "shared memory")
                    + ": remove stale segments (nautilus shm list / rm) or enlarge it (mount -o remount,size=8G /dev/shm)";
        }
        if (errno == Errno.EMFILE || errno == Errno.ENFILE) {
            return "too many open files: raise the limit (ulimit -n) or close unused descriptors";
        }
        if (errno == Errno.ENAMETOOLONG) {
            return "the name is too long for this platform (limit " + ShmNames.maxLength() + " including '/')";
        }
        if ("lock".equals(context) && (errno == Errno.ENOMEM || errno == Errno.EPERM || errno == Errno.EAGAIN)) {
            return "mlock needs CAP_IPC_LOCK or a locked-memory limit at least the segment size: raise it with "
                    + "ulimit -l (or memlock in /etc/security/limits.conf), or create without withLockInMemory";
        }
        if (errno == Errno.ENOMEM) {
            return "huge".equals(context)
                    ? "not enough free huge pages: reserve more (echo N > /proc/sys/vm/nr_hugepages) or use normal pages"
                    : "out of memory or address space for a mapping of this size: use a smaller segment";
        }
        if (errno == Errno.EINVAL) {
            return "size".equals(context)
                    ? "the size is not valid for this segment (too large, or the segment is already sized on macOS)"
                    : "invalid argument: check the name (ShmNames rules) and size";
        }
        if (errno == Errno.EFBIG) {
            return "the size exceeds what the file system allows";
        }
        return "";
    }
}
