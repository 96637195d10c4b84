package dev.nautilus.accel.affinity;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An exclusive reservation of CPUs, or of whole physical cores (all their SMT siblings), across
 * every process that uses the same lock directory, released by {@link #close()} or, if the
 * process dies, by the kernel.
 *
 * <pre>{@code
 * CpuTopology topology = CpuTopology.read();
 * try (CpuReservation cpu = CpuReservation.reserve(ReservationStrategy.PREFER_ISOLATED, topology)) {
 *     cpu.pinCurrentThread();          // throws if it cannot: never silently unpinned
 *     runHotLoop();
 * }
 * }</pre>
 *
 * <p><b>How.</b> One OS file lock per CPU: {@code <lock directory>/cpu<N>.lock}, locked with
 * {@link java.nio.channels.FileChannel#tryLock()}; the file names the holder (pid, thread id,
 * thread name, since when) for {@link #holders()}, for {@code nautilus cpu} and for the message
 * of a reservation that finds no free CPU. Within one JVM a process-wide registry makes a second
 * reservation of a held CPU fail too. Processes see each other's reservations only when they use
 * the same lock directory: {@code -Dnautilus.affinity.lockDir=DIR} when set, else
 * {@code $XDG_RUNTIME_DIR/nautilus-accel/cpus}, else {@code /run/nautilus-accel/cpus} where
 * writable (root), else {@code <java.io.tmpdir>/nautilus-accel-<user>/cpus}. For several users,
 * point all of them at one directory that each can write.
 *
 * <p>A reservation is a promise between cooperating processes, not a kernel fence: it does not
 * stop other programs from running on the CPU (isolate CPUs with {@code isolcpus} or cgroup
 * cpusets for that), and closing it does not unpin threads pinned with it.
 *
 * <p>Reserving reads lock files and takes file locks: not for hot paths. Thread-safe; a
 * reservation may be closed from any thread, more than once.
 */
public final class CpuReservation implements AutoCloseable {
    private final CpuLocks locks;
    private final CpuSet cpus;
    private final boolean wholeCores;
    private final List<CpuLocks.Held> held;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CpuReservation(CpuLocks locks, CpuSet cpus, boolean wholeCores, List<CpuLocks.Held> held) {
        this.locks = locks;
        this.cpus = cpus;
        this.wholeCores = wholeCores;
        this.held = List.copyOf(held);
    }

    // ------------------------------------------------------------------ reserving

    /**
     * Reserves one CPU with a strategy that takes no reference ({@link ReservationStrategy#ANY},
     * {@link ReservationStrategy#PREFER_ISOLATED}, {@link ReservationStrategy#PREFER_PERFORMANCE}),
     * in the default lock directory.
     *
     * @param strategy how to choose
     * @param topology the machine's CPUs ({@link CpuTopology#read()})
     * @return the reservation; close it
     * @throws CpuReservationException when every candidate CPU is reserved, naming the holders
     * @throws IllegalArgumentException for a relative strategy (use {@link #request})
     */
    public static CpuReservation reserve(ReservationStrategy strategy, CpuTopology topology) {
        return request(topology).strategy(strategy).reserve();
    }

    /**
     * Reserves one CPU placed relative to another reservation ({@link ReservationStrategy#SAME_CORE},
     * {@link ReservationStrategy#DIFFERENT_CORE}, {@link ReservationStrategy#SAME_NUMA_NODE},
     * {@link ReservationStrategy#DIFFERENT_NUMA_NODE}), in that reservation's lock directory.
     *
     * @param strategy a relative strategy
     * @param topology the machine's CPUs
     * @param reference the reservation to place the new one relative to
     * @return the reservation; close it
     * @throws CpuReservationException when every candidate CPU is reserved, naming the holders
     * @throws IllegalArgumentException when no CPU of the machine fits the strategy
     */
    public static CpuReservation reserve(ReservationStrategy strategy, CpuTopology topology, CpuReservation reference) {
        return request(topology).strategy(strategy).relativeTo(reference).lockDirectory(reference.lockDirectory()).reserve();
    }

    /**
     * Reserves one given CPU of the live machine in the default lock directory.
     *
     * @param cpu an online CPU
     * @return the reservation; close it
     * @throws IllegalArgumentException for a CPU that does not exist or is offline
     * @throws CpuReservationException when it is reserved, naming the holder
     */
    public static CpuReservation reserveCpu(int cpu) {
        return request(CpuTopology.read()).reserveCpu(cpu);
    }

    /**
     * Reserves the whole physical core (every SMT sibling) of a given CPU of the live machine in
     * the default lock directory.
     *
     * @param cpu an online CPU of the core
     * @return the reservation; close it
     * @throws IllegalArgumentException for a CPU that does not exist or is offline
     * @throws CpuReservationException when a CPU of the core is reserved, naming the holder
     */
    public static CpuReservation reserveCore(int cpu) {
        return request(CpuTopology.read()).reserveCore(cpu);
    }

    /**
     * Starts a reservation with every option: strategy, reference, whole cores, count, lock directory.
     *
     * <pre>{@code
     * CpuReservation.request(topology).strategy(DIFFERENT_NUMA_NODE).relativeTo(feed).wholeCores().reserve();
     * }</pre>
     *
     * @param topology the machine's CPUs
     * @return a request (ANY, one CPU, default lock directory)
     */
    public static Request request(CpuTopology topology) {
        return new Request(Objects.requireNonNull(topology, "topology"));
    }

    /**
     * @return the reservations held now in the default lock directory, by any process, ordered by
     *     CPU (stale files of dead holders are not listed)
     */
    public static List<Holder> holders() {
        return holders(defaultLockDirectory());
    }

    /**
     * @param lockDirectory a lock directory
     * @return the reservations held now in it, ordered by CPU; empty when it does not exist
     */
    public static List<Holder> holders(Path lockDirectory) {
        return CpuLocks.in(lockDirectory).holders();
    }

    /**
     * @return the lock directory used when none is given: {@code -Dnautilus.affinity.lockDir},
     *     {@code $XDG_RUNTIME_DIR/nautilus-accel/cpus}, {@code /run/nautilus-accel/cpus} when
     *     writable, or {@code <java.io.tmpdir>/nautilus-accel-<user>/cpus}
     */
    public static Path defaultLockDirectory() {
        return CpuLocks.defaultDirectory();
    }

    // ------------------------------------------------------------------ the reservation

    /** @return the reserved CPUs */
    public CpuSet cpus() {
        return cpus;
    }

    /** @return whether whole physical cores were reserved (every SMT sibling of each) */
    public boolean isWholeCore() {
        return wholeCores;
    }

    /** @return the lock directory this reservation lives in */
    public Path lockDirectory() {
        return locks.directory();
    }

    /** @return whether it is still held (not closed) */
    public boolean isHeld() {
        return !closed.get();
    }

    /**
     * Pins the calling thread to all reserved CPUs ({@link Affinity#pinCurrentThread}).
     *
     * @throws IllegalStateException when the reservation is closed
     * @throws IllegalArgumentException when a reserved CPU is not online on this machine (e.g. a
     *     reservation made on another machine's topology)
     * @throws AffinityException when the kernel refuses (e.g. CPUs outside this process's cpuset)
     * @throws dev.nautilus.accel.nativeaccess.UnsupportedPlatformException where threads cannot be pinned (macOS)
     */
    public void pinCurrentThread() {
        requireHeld();
        Affinity.pinCurrentThread(cpus);
    }

    /**
     * Pins the calling thread to one reserved CPU, e.g. the first CPU of a reserved core whose
     * siblings are to stay idle.
     *
     * @param cpu one of {@link #cpus()}
     * @throws IllegalArgumentException when the CPU is not part of the reservation
     * @throws IllegalStateException when the reservation is closed
     * @throws AffinityException when the kernel refuses
     */
    public void pinCurrentThread(int cpu) {
        requireHeld();
        if (!cpus.contains(cpu)) {
            throw new IllegalArgumentException("CPU " + cpu + " is not part of this reservation (CPUs " + cpus
                    + "): pin to a reserved CPU");
        }
        Affinity.pinCurrentThread(CpuSet.of(cpu));
    }

    private void requireHeld() {
        if (closed.get()) {
            throw new IllegalStateException("the reservation of CPU" + (cpus.size() > 1 ? "s " : " ") + cpus
                    + " is closed: reserve again before pinning");
        }
    }

    /** Releases the CPUs (threads pinned with this reservation stay pinned). Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            CpuLocks.release(held);
        }
    }

    /** @return e.g. {@code CpuReservation[CPUs 2,18, whole core, /run/nautilus-accel/cpus]} */
    @Override
    public String toString() {
        return "CpuReservation[CPU" + (cpus.size() > 1 ? "s " : " ") + cpus + (wholeCores ? ", whole core" : "")
                + (closed.get() ? ", closed" : "") + ", " + locks.directory() + "]";
    }

    // ------------------------------------------------------------------ holders

    /**
     * Who holds a CPU, as its lock file says (and, on Linux, as {@code /proc/locks} confirms).
     *
     * @param cpu the CPU
     * @param pid the holding process (confirmed by the kernel's lock table on Linux), or -1 when unknown
     * @param tid the kernel thread id that reserved it, or -1 when unknown
     * @param threadName the Java name of that thread, empty when unknown
     * @param since when it was reserved, or null when unknown
     * @param lockFile the lock file
     */
    public record Holder(int cpu, long pid, long tid, String threadName, Instant since, Path lockFile) {
        /** @return whether this JVM holds it */
        public boolean isThisProcess() {
            return pid == ProcessHandle.current().pid();
        }

        /** @return e.g. {@code pid 1234 (tid 1240, thread "feed", since 2026-01-02T03:04:05Z)} */
        String who() {
            List<String> parts = new ArrayList<>();
            if (tid > 0) {
                parts.add("tid " + tid);
            }
            if (!threadName.isEmpty()) {
                parts.add("thread \"" + threadName + "\"");
            }
            if (since != null) {
                parts.add("since " + since);
            }
            return (pid > 0 ? "pid " + pid : "an unknown process") + (isThisProcess() ? ", this process" : "")
                    + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
        }

        /** @return e.g. {@code CPU 3: pid 1234 (tid 1240, thread "feed", since 2026-01-02T03:04:05Z)} */
        @Override
        public String toString() {
            return "CPU " + cpu + ": " + who();
        }
    }

    // ------------------------------------------------------------------ request

    /**
     * The options of one reservation: strategy (default {@link ReservationStrategy#ANY}),
     * reference CPUs for relative strategies, whole cores or single CPUs (default), how many
     * (default 1) and the lock directory (default {@link #defaultLockDirectory()}). Not thread-safe;
     * each call of a terminal method ({@link #reserve()}, {@link #reserveCpu}, {@link #reserveCore})
     * makes a new reservation.
     */
    public static final class Request {
        private final CpuTopology topology;
        private ReservationStrategy strategy = ReservationStrategy.ANY;
        private CpuSet reference;
        private boolean wholeCores;
        private int count = 1;
        private Path lockDirectory;
        private CpuSet allowed;

        private Request(CpuTopology topology) {
            this.topology = topology;
        }

        /**
         * @param s how to choose
         * @return this request
         */
        public Request strategy(ReservationStrategy s) {
            this.strategy = Objects.requireNonNull(s, "strategy");
            return this;
        }

        /**
         * @param r the reservation a relative strategy places the new one against
         * @return this request
         */
        public Request relativeTo(CpuReservation r) {
            return relativeTo(r.cpus());
        }

        /**
         * @param cpus online CPUs a relative strategy places the new reservation against
         * @return this request
         */
        public Request relativeTo(CpuSet cpus) {
            this.reference = Objects.requireNonNull(cpus, "cpus");
            return this;
        }

        /**
         * Reserves whole physical cores: every SMT sibling of each, so no other thread runs on
         * the core's other hardware threads. Without SMT a core is one CPU.
         *
         * @return this request
         */
        public Request wholeCores() {
            this.wholeCores = true;
            return this;
        }

        /**
         * @param n how many CPUs (or whole cores), at least 1; all or none are reserved
         * @return this request
         */
        public Request count(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("invalid count " + n + ": reserve at least 1 CPU");
            }
            this.count = n;
            return this;
        }

        /**
         * @param dir the lock directory, shared by the processes that must not take the same CPUs;
         *     null for the default
         * @return this request
         */
        public Request lockDirectory(Path dir) {
            this.lockDirectory = dir;
            return this;
        }

        /** Only CPUs (or cores) inside this set are candidates; for {@link Workload}. */
        Request restrictTo(CpuSet cpus) {
            this.allowed = cpus;
            return this;
        }

        /**
         * Reserves a given online CPU.
         *
         * @param cpu the CPU
         * @return the reservation
         * @throws IllegalArgumentException for a CPU that does not exist or is offline
         * @throws CpuReservationException when it is reserved, naming the holder
         */
        public CpuReservation reserveCpu(int cpu) {
            topology.requireOnline(cpu);
            return reserveExactly(CpuSet.of(cpu), false, "CPU " + cpu);
        }

        /**
         * Reserves the whole physical core of a given online CPU (every SMT sibling).
         *
         * @param cpu a CPU of the core
         * @return the reservation
         * @throws IllegalArgumentException for a CPU that does not exist or is offline
         * @throws CpuReservationException when a CPU of the core is reserved, naming the holder
         */
        public CpuReservation reserveCore(int cpu) {
            CpuSet core = topology.siblingsOf(cpu);
            return reserveExactly(core, true, "the core of CPU " + cpu + " (CPU" + (core.size() > 1 ? "s " : " ") + core + ")");
        }

        private CpuReservation reserveExactly(CpuSet set, boolean core, String what) {
            CpuLocks locks = CpuLocks.in(lockDirectory);
            synchronized (CpuLocks.MONITOR) {
                Optional<List<CpuLocks.Held>> got = locks.tryLockAll(set);
                if (got.isPresent()) {
                    return new CpuReservation(locks, set, core, got.get());
                }
                List<Holder> in = holdersOf(locks, set);
                throw new CpuReservationException(what + " is not free: " + describe(in, set)
                        + ". Close that reservation or stop its process, or reserve another CPU (CpuReservation.holders() and "
                        + "`nautilus cpu` list the holders; lock directory " + locks.directory() + ")", in);
            }
        }

        /**
         * Reserves {@link #count(int)} CPUs or whole cores chosen by the strategy.
         *
         * @return the reservation
         * @throws IllegalArgumentException when the request can never be met on this machine
         *     (more than exist, no CPU fits the strategy, a reference missing or not allowed)
         * @throws CpuReservationException when the candidates are reserved, naming the holders
         */
        public CpuReservation reserve() {
            List<CpuSet> candidates = candidates();
            CpuLocks locks = CpuLocks.in(lockDirectory);
            synchronized (CpuLocks.MONITOR) {
                List<CpuLocks.Held> got = new ArrayList<>();
                CpuSet taken = CpuSet.EMPTY;
                int acquired = 0;
                for (CpuSet unit : rank(candidates, locks.heldCpus())) {
                    if (acquired == count) {
                        break;
                    }
                    Optional<List<CpuLocks.Held>> h = locks.tryLockAll(unit);
                    if (h.isPresent()) {
                        got.addAll(h.get());
                        taken = taken.union(unit);
                        acquired++;
                    }
                }
                if (acquired == count) {
                    return new CpuReservation(locks, taken, wholeCores, got);
                }
                CpuLocks.release(got);
                throw busy(candidates, locks, acquired);
            }
        }

        /** Checks, without locking, that a reservation could be made now; for early failure. */
        void checkAvailable() {
            List<CpuSet> candidates = candidates();
            CpuLocks locks = CpuLocks.in(lockDirectory);
            CpuSet held = locks.heldCpus();
            int free = (int) candidates.stream().filter(u -> u.intersect(held).isEmpty()).count();
            if (free < count) {
                throw busy(candidates, locks, free);
            }
        }

        private CpuReservationException busy(List<CpuSet> candidates, CpuLocks locks, int free) {
            CpuSet all = CpuSet.EMPTY;
            for (CpuSet u : candidates) {
                all = all.union(u);
            }
            List<Holder> in = holdersOf(locks, all);
            String unit = wholeCores ? "whole core" : "CPU";
            String head = count == 1 ? "no free " + unit + " for " + strategy
                    : "only " + free + " of " + count + " " + unit + "s free for " + strategy;
            return new CpuReservationException(head + referenceText() + " (candidates: " + describeUnits(candidates) + "): "
                    + describe(in, all) + ". Close one of these reservations or stop its process (CpuReservation.holders() "
                    + "and `nautilus cpu` list them), or use another strategy; lock directory " + locks.directory(), in);
        }

        /** @return the units (CPUs or cores) the strategy allows, before looking at locks */
        List<CpuSet> candidates() {
            if (strategy.isRelative() && reference == null) {
                throw new IllegalArgumentException(strategy + " places a CPU relative to another: give the reference with "
                        + "relativeTo(reservation or CPUs)");
            }
            if (!strategy.isRelative() && reference != null) {
                throw new IllegalArgumentException(strategy + " takes no reference CPUs (relativeTo " + reference + "); use "
                        + "SAME_CORE, DIFFERENT_CORE, SAME_NUMA_NODE or DIFFERENT_NUMA_NODE");
            }
            if (strategy == ReservationStrategy.SAME_CORE && wholeCores) {
                throw new IllegalArgumentException("SAME_CORE reserves an SMT sibling of the reference and cannot reserve whole "
                        + "cores; drop wholeCores() or use reserveCore(cpu)");
            }
            if (reference != null) {
                if (reference.isEmpty()) {
                    throw new IllegalArgumentException("empty reference CPU set for " + strategy + ": give the CPUs to place against");
                }
                for (int c : reference.toArray()) {
                    topology.requireOnline(c);
                }
            }
            List<CpuSet> units = new ArrayList<>();
            if (wholeCores) {
                units.addAll(topology.cores());
            } else {
                for (int c : topology.cpus().toArray()) {
                    units.add(CpuSet.of(c));
                }
            }
            if (allowed != null) {
                units.removeIf(u -> !u.isSubsetOf(allowed));
            }
            if (units.size() < count) {
                throw new IllegalArgumentException("cannot reserve " + count + (wholeCores ? " whole cores" : " CPUs")
                        + ": this machine has " + units.size() + (wholeCores ? " physical cores" : " online CPUs")
                        + (allowed != null ? " of the kind wanted" : "") + " (" + describeUnits(units) + ")");
            }
            int total = units.size();
            if (reference != null) {
                units.removeIf(u -> !u.intersect(reference).isEmpty());
                CpuSet refCores = coresOf(reference);
                switch (strategy) {
                    case SAME_CORE -> units.removeIf(u -> !u.isSubsetOf(refCores));
                    case DIFFERENT_CORE -> units.removeIf(u -> !u.intersect(refCores).isEmpty());
                    case SAME_NUMA_NODE -> {
                        int node = singleNode(reference);
                        units.removeIf(u -> !u.isSubsetOf(topology.cpusOfNode(node)));
                    }
                    case DIFFERENT_NUMA_NODE -> {
                        int node = singleNode(reference);
                        units.removeIf(u -> u.stream().anyMatch(c -> topology.nodeOf(c) < 0 || topology.nodeOf(c) == node));
                    }
                    default -> { }
                }
            }
            if (units.size() < count) {
                throw new IllegalArgumentException((units.isEmpty() ? "no " : "only " + units.size() + " ")
                        + (wholeCores ? "whole core" : "CPU") + (units.size() > 1 ? "s fit " : " fits ") + strategy + referenceText()
                        + (count > 1 ? " (wanted " + count + ")" : "") + ": " + whyNone(total));
            }
            return units;
        }

        private String whyNone(int total) {
            return switch (strategy) {
                case SAME_CORE -> topology.hasSmt()
                        ? "the reference's core is " + coresOf(reference) + " and has no other CPU"
                        : "this machine has no SMT (every core is one CPU), so no CPU shares a core with another";
                case DIFFERENT_CORE -> "every other CPU is on the reference's core " + coresOf(reference);
                case SAME_NUMA_NODE -> "NUMA node " + singleNode(reference) + " has CPUs " + topology.cpusOfNode(singleNode(reference))
                        + " only";
                case DIFFERENT_NUMA_NODE -> topology.nodes().size() <= 1
                        ? "this machine has " + (topology.nodes().isEmpty() ? "no NUMA nodes" : "one NUMA node ("
                                + topology.nodes().get(0) + ")") + ", so no CPU is on another node"
                        : "the other NUMA nodes have no " + (wholeCores ? "whole core" : "CPU") + " left of the kind wanted";
                default -> "this machine has " + total + (wholeCores ? " physical cores" : " online CPUs");
            };
        }

        private int singleNode(CpuSet cpus) {
            int node = -2;
            for (int c : cpus.toArray()) {
                int n = topology.nodeOf(c);
                if (n < 0) {
                    throw new IllegalArgumentException(strategy + " needs the NUMA node of CPU " + c + ", which is unknown (no "
                            + topology.root().resolve("sys/devices/system/node") + " or CPU " + c + " in no node's cpulist: a "
                            + "kernel without NUMA); use SAME_CORE or DIFFERENT_CORE instead");
                }
                if (node != -2 && n != node) {
                    throw new IllegalArgumentException(strategy + " needs reference CPUs on one NUMA node, but " + cpus
                            + " span several; reserve relative to one of them");
                }
                node = n;
            }
            return node;
        }

        private CpuSet coresOf(CpuSet cpus) {
            CpuSet s = CpuSet.EMPTY;
            for (int c : cpus.toArray()) {
                s = s.union(topology.siblingsOf(c));
            }
            return s;
        }

        private String referenceText() {
            return reference == null ? "" : " relative to CPU" + (reference.size() > 1 ? "s " : " ") + reference;
        }

        /** Orders the candidates: strategy preference, then idle cores, then CPU 0 last, then by number. */
        List<CpuSet> rank(List<CpuSet> candidates, CpuSet held) {
            CpuSet isolated = topology.isolated();
            CpuSet nohz = topology.nohzFull();
            CpuSet perf = topology.performanceCpus();
            int refNode = reference != null && strategy == ReservationStrategy.DIFFERENT_CORE
                    ? topology.nodeOf(reference.first()) : -1;
            CpuSet refCores = reference == null ? CpuSet.EMPTY : coresOf(reference);
            List<CpuSet> out = new ArrayList<>(candidates);
            out.sort(Comparator.comparing((CpuSet u) -> key(u, held, isolated, nohz, perf, refNode, refCores), Arrays::compare));
            return out;
        }

        private int[] key(CpuSet u, CpuSet held, CpuSet isolated, CpuSet nohz, CpuSet perf, int refNode, CpuSet refCores) {
            int tier = switch (strategy) {
                case PREFER_ISOLATED -> (u.isSubsetOf(isolated) ? (u.isSubsetOf(nohz) ? 0 : 1) : 2) * 2 + (u.isSubsetOf(perf) ? 0 : 1);
                case PREFER_PERFORMANCE -> (u.isSubsetOf(perf) ? 0 : 1) * 2 + (u.isSubsetOf(isolated) ? 0 : 1);
                case DIFFERENT_CORE -> refNode >= 0 && u.stream().allMatch(c -> topology.nodeOf(c) == refNode) ? 0 : 1;
                case SAME_NUMA_NODE -> u.intersect(refCores).isEmpty() ? 0 : 1;
                default -> 0;
            };
            CpuSet core = coresOf(u);
            int heldNow = u.intersect(held).isEmpty() ? 0 : 1; // try those last: they are likely still held
            int busySibling = core.intersect(held).isEmpty() ? 0 : 1;
            return new int[] {heldNow, tier, busySibling, u.contains(0) ? 1 : 0, u.first()};
        }

        private static String describeUnits(List<CpuSet> units) {
            if (units.isEmpty()) {
                return "none";
            }
            boolean single = units.stream().allMatch(u -> u.size() == 1);
            if (single) {
                CpuSet all = CpuSet.EMPTY;
                for (CpuSet u : units) {
                    all = all.union(u);
                }
                return "CPU" + (all.size() > 1 ? "s " : " ") + all;
            }
            return "cores " + String.join(" ", units.stream().map(CpuSet::toString).toList());
        }

        private static List<Holder> holdersOf(CpuLocks locks, CpuSet cpus) {
            List<Holder> out = new ArrayList<>();
            for (int c : cpus.toArray()) {
                locks.holderOf(c).ifPresent(out::add);
            }
            return out;
        }

        private static String describe(List<Holder> holders, CpuSet cpus) {
            if (holders.isEmpty()) {
                return "CPU" + (cpus.size() > 1 ? "s " : " ") + cpus + " were reserved a moment ago and are free now: try again";
            }
            return String.join(", ", holders.stream().map(h -> "CPU " + h.cpu() + " is reserved by " + h.who()).toList());
        }
    }
}
