package dev.nautilus.accel.affinity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable snapshot of the machine's CPUs as Linux describes them in {@code /sys} and
 * {@code /proc}: which CPUs are online, which share a physical core (SMT siblings), a package,
 * a NUMA node or a cache, which are isolated ({@code isolcpus}) or tick-less ({@code nohz_full}),
 * and which are performance or efficiency cores on hybrid processors.
 *
 * <pre>{@code
 * CpuTopology t = CpuTopology.read();
 * t.siblingsOf(3);                // 3,19: the other hardware thread of CPU 3's core
 * t.cpusOfNode(t.nodeOf(3));      // the CPUs near CPU 3's memory
 * t.sharesCache(3, 5, 3);         // whether CPUs 3 and 5 share an L3
 * }</pre>
 *
 * <p>What the kernel does not provide is unknown, never an error: a VM without
 * {@code cpuN/cache/} has no caches, a kernel without NUMA has node {@code -1}, a missing
 * {@code nohz_full} is an empty set. A file with content the kernel never writes there is a
 * {@link TopologyException} naming the file and quoting the content.
 *
 * <p>Files read, under the root: {@code sys/devices/system/cpu/{online,possible,isolated,nohz_full}},
 * {@code sys/devices/system/cpu/cpuN/{online,cpu_capacity}}, {@code cpuN/topology/{core_id,
 * physical_package_id,die_id,core_cpus_list,thread_siblings_list}}, {@code cpuN/cache/indexK/{level,
 * type,size,coherency_line_size,shared_cpu_list}}, {@code sys/devices/system/node/nodeN/cpulist},
 * {@code sys/devices/cpu_core/cpus}, {@code sys/devices/cpu_atom/cpus} and {@code proc/cpuinfo}.
 *
 * <p>The snapshot does not change when CPUs go on- or offline later: read again. Reading costs a
 * few hundred small file reads; not for hot paths. Thread-safe (immutable).
 */
public final class CpuTopology {
    private static final String CPU = "sys/devices/system/cpu/";
    private static final String NODE = "sys/devices/system/node/";

    private final Path root;
    private final CpuSet online;
    private final CpuSet possible;
    private final Map<Integer, LogicalCpu> cpus;
    private final List<CpuSet> cores;
    private final Map<Integer, CpuSet> nodes;
    private final CpuSet isolated;
    private final CpuSet nohzFull;
    private final boolean hybrid;
    private final CpuSet performance;
    private final CpuSet efficiency;
    private final Optional<String> modelName;

    private CpuTopology(Path root, CpuSet online, CpuSet possible, Map<Integer, LogicalCpu> cpus, Map<Integer, CpuSet> nodes,
            CpuSet isolated, CpuSet nohzFull, boolean hybrid, Optional<String> modelName) {
        this.root = root;
        this.online = online;
        this.possible = possible;
        this.cpus = Collections.unmodifiableMap(cpus);
        this.nodes = Collections.unmodifiableMap(nodes);
        this.isolated = isolated;
        this.nohzFull = nohzFull;
        this.hybrid = hybrid;
        this.modelName = modelName;
        Set<CpuSet> distinct = new LinkedHashSet<>();
        CpuSet perf = CpuSet.EMPTY;
        CpuSet eff = CpuSet.EMPTY;
        for (LogicalCpu c : cpus.values()) {
            distinct.add(c.siblings());
            if (c.coreType() == CoreType.PERFORMANCE || c.coreType() == CoreType.UNIFORM) {
                perf = perf.union(CpuSet.of(c.id()));
            } else if (c.coreType() == CoreType.EFFICIENCY) {
                eff = eff.union(CpuSet.of(c.id()));
            }
        }
        List<CpuSet> sorted = new ArrayList<>(distinct);
        sorted.sort((a, b) -> Integer.compare(a.first(), b.first()));
        this.cores = List.copyOf(sorted);
        this.performance = perf;
        this.efficiency = eff;
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads the live machine's topology from {@code /sys} and {@code /proc}. Where there is no
     * {@code /sys} (not Linux), the CPUs are 0..{@link Runtime#availableProcessors()}-1 and
     * everything else is unknown.
     *
     * @return the snapshot
     * @throws TopologyException when a kernel file holds something unexpected
     */
    public static CpuTopology read() {
        return read(Path.of("/"), true);
    }

    /**
     * Reads a topology from a directory that mirrors {@code /}: {@code root/sys/devices/system/cpu/...},
     * {@code root/sys/devices/system/node/...}, {@code root/proc/cpuinfo}, e.g. a capture of
     * another machine.
     *
     * @param root the directory standing for {@code /}
     * @return the snapshot
     * @throws TopologyException when a file holds something unexpected, or when there is no CPU
     *     information under the root at all (neither {@code sys/devices/system/cpu/online} nor
     *     {@code cpuN} directories)
     */
    public static CpuTopology read(Path root) {
        return read(root, false);
    }

    private static CpuTopology read(Path root, boolean live) {
        SysfsFiles fs = new SysfsFiles(root);
        List<Integer> cpuDirs = fs.numberedEntries(CPU, "cpu");
        CpuSet online = fs.cpuList(CPU + "online").orElse(null);
        if (online == null) {
            CpuSet scanned = CpuSet.EMPTY;
            for (int n : cpuDirs) {
                String flag = fs.text(CPU + "cpu" + n + "/online").map(String::strip).orElse("1");
                if (!flag.equals("0")) {
                    scanned = scanned.union(CpuSet.of(n));
                }
            }
            online = scanned;
        }
        if (online.isEmpty()) {
            if (!live) {
                throw new TopologyException(fs.path(CPU), "no CPU information under " + root + ": neither " + fs.path(CPU + "online")
                        + " nor " + fs.path(CPU + "cpuN") + " directories exist; pass the directory that stands for / (it must "
                        + "contain sys/devices/system/cpu)");
            }
            online = CpuSet.range(0, Runtime.getRuntime().availableProcessors() - 1);
        }
        CpuSet possible = fs.cpuList(CPU + "possible").orElse(CpuSet.EMPTY).union(online)
                .union(fs.cpuList(CPU + "present").orElse(CpuSet.EMPTY));
        for (int n : cpuDirs) {
            possible = possible.union(CpuSet.of(n));
        }

        Map<Integer, CpuSet> nodes = new TreeMap<>();
        for (int node : fs.numberedEntries(NODE, "node")) {
            nodes.put(node, fs.cpuList(NODE + "node" + node + "/cpulist").orElse(CpuSet.EMPTY).intersect(online));
        }

        CpuSet isolated = fs.cpuList(CPU + "isolated").orElse(CpuSet.EMPTY).intersect(online);
        CpuSet nohzFull = fs.text(CPU + "nohz_full")
                .map(s -> s.strip().equals("(null)") ? CpuSet.EMPTY : SysfsFiles.parseCpuList(fs.path(CPU + "nohz_full"), s))
                .orElse(CpuSet.EMPTY).intersect(online);

        // Core types: Intel hybrid PMUs first, then ARM capacities.
        Optional<CpuSet> pCores = fs.cpuList("sys/devices/cpu_core/cpus");
        Optional<CpuSet> eCores = fs.cpuList("sys/devices/cpu_atom/cpus");
        Map<Integer, Integer> capacity = new TreeMap<>();
        TreeSet<Integer> distinctCapacities = new TreeSet<>();
        for (int c : online.toArray()) {
            int cap = fs.integer(CPU + "cpu" + c + "/cpu_capacity");
            capacity.put(c, cap);
            if (cap >= 0) {
                distinctCapacities.add(cap);
            }
        }
        boolean intelHybrid = pCores.isPresent() || eCores.isPresent();
        boolean capacityHybrid = !intelHybrid && distinctCapacities.size() > 1;

        Map<Integer, CpuSet> listed = new TreeMap<>();
        for (int c : online.toArray()) {
            String dir = CPU + "cpu" + c + "/topology/";
            Optional<CpuSet> s = fs.cpuList(dir + "core_cpus_list").or(() -> fs.cpuList(dir + "thread_siblings_list"));
            if (s.isPresent()) {
                listed.put(c, s.get().intersect(online).union(CpuSet.of(c)));
            }
        }
        Map<Integer, LogicalCpu> cpus = new TreeMap<>();
        for (int c : online.toArray()) {
            String dir = CPU + "cpu" + c + "/";
            CpuSet siblings = listed.get(c);
            if (siblings == null) { // unknown: what its siblings say, else a core of its own
                siblings = listed.values().stream().filter(s -> s.contains(c)).findFirst().orElse(CpuSet.of(c));
            }
            int node = LogicalCpu.UNKNOWN;
            for (Map.Entry<Integer, CpuSet> e : nodes.entrySet()) {
                if (e.getValue().contains(c)) {
                    node = e.getKey();
                    break;
                }
            }
            CoreType type;
            if (intelHybrid) {
                type = pCores.orElse(CpuSet.EMPTY).contains(c) ? CoreType.PERFORMANCE
                        : eCores.orElse(CpuSet.EMPTY).contains(c) ? CoreType.EFFICIENCY : CoreType.UNKNOWN;
            } else if (capacityHybrid) {
                int cap = capacity.get(c);
                type = cap < 0 ? CoreType.UNKNOWN : cap == distinctCapacities.last() ? CoreType.PERFORMANCE : CoreType.EFFICIENCY;
            } else {
                type = CoreType.UNIFORM;
            }
            List<CpuCache> caches = new ArrayList<>();
            for (int k : fs.numberedEntries(dir + "cache", "index")) {
                String idx = dir + "cache/index" + k + "/";
                caches.add(new CpuCache(fs.integer(idx + "level"), fs.cacheType(idx + "type"), fs.size(idx + "size"),
                        fs.integer(idx + "coherency_line_size"),
                        fs.cpuList(idx + "shared_cpu_list").orElse(CpuSet.EMPTY).intersect(online)));
            }
            cpus.put(c, new LogicalCpu(c, fs.integer(dir + "topology/core_id"), fs.integer(dir + "topology/physical_package_id"),
                    fs.integer(dir + "topology/die_id"), node, siblings, type, capacity.get(c), caches));
        }
        for (LogicalCpu c : cpus.values()) {
            for (int s : c.siblings().toArray()) {
                if (!cpus.get(s).siblings().equals(c.siblings())) {
                    throw new TopologyException(fs.path(CPU + "cpu" + c.id() + "/topology"), "inconsistent SMT siblings under "
                            + root + ": CPU " + c.id() + " lists " + c.siblings() + " as its core but CPU " + s + " lists "
                            + cpus.get(s).siblings() + " (core_cpus_list / thread_siblings_list); fix or re-capture those files");
                }
            }
        }
        return new CpuTopology(root, online, possible, cpus, nodes, isolated, nohzFull, intelHybrid || capacityHybrid,
                modelName(fs.text("proc/cpuinfo")));
    }

    private static Optional<String> modelName(Optional<String> cpuinfo) {
        if (cpuinfo.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> first = new LinkedHashMap<>();
        for (String line : cpuinfo.get().split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                if (!value.isEmpty()) {
                    first.putIfAbsent(key, value);
                }
            }
        }
        for (String key : List.of("model name", "Hardware", "Model", "cpu model", "cpu")) {
            if (first.containsKey(key)) {
                return Optional.of(first.get(key));
            }
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ CPUs

    /** @return the directory this snapshot was read from ({@code /} for the live machine) */
    public Path root() {
        return root;
    }

    /** @return the online CPUs (those the scheduler can run threads on) */
    public CpuSet cpus() {
        return online;
    }

    /** @return the CPUs the kernel could ever bring online ({@code possible}), online or not */
    public CpuSet possibleCpus() {
        return possible;
    }

    /** @return the possible CPUs that are offline now */
    public CpuSet offlineCpus() {
        return possible.minus(online);
    }

    /**
     * @param cpu a CPU number
     * @return whether it is online
     */
    public boolean isOnline(int cpu) {
        return online.contains(cpu);
    }

    /**
     * @param cpu an online CPU
     * @return what the kernel says about it
     * @throws IllegalArgumentException for a CPU that does not exist or is offline, naming the online ones
     */
    public LogicalCpu cpu(int cpu) {
        requireOnline(cpu);
        return cpus.get(cpu);
    }

    /** @return every online CPU's description, ascending */
    public List<LogicalCpu> logicalCpus() {
        return List.copyOf(cpus.values());
    }

    /**
     * Checks that a CPU exists and is online.
     *
     * @param cpu a CPU number
     * @throws IllegalArgumentException saying whether it does not exist or is offline, and which are online
     */
    public void requireOnline(int cpu) {
        if (cpu < 0) {
            throw new IllegalArgumentException("invalid CPU number " + cpu + ": CPUs are numbered from 0 (online: " + online + ")");
        }
        if (!possible.contains(cpu)) {
            throw new IllegalArgumentException("CPU " + cpu + " does not exist on this machine (possible CPUs: " + possible
                    + "; online: " + online + "); pick an online CPU");
        }
        if (!online.contains(cpu)) {
            throw new IllegalArgumentException("CPU " + cpu + " is offline (online: " + online + "); bring it online (echo 1 > "
                    + "/sys/devices/system/cpu/cpu" + cpu + "/online, as root) or pick an online CPU");
        }
    }

    // ------------------------------------------------------------------ cores and packages

    /**
     * @return the physical cores: each a set of SMT siblings (one CPU per core without SMT),
     *     ordered by their lowest CPU
     */
    public List<CpuSet> cores() {
        return cores;
    }

    /**
     * @param cpu an online CPU
     * @return the online CPUs of its physical core, itself included
     */
    public CpuSet siblingsOf(int cpu) {
        return cpu(cpu).siblings();
    }

    /** @return whether some physical core has more than one online hardware thread */
    public boolean hasSmt() {
        return cores.size() < online.size();
    }

    /**
     * @param cpu an online CPU
     * @return its package (socket) number, or -1 when unknown
     */
    public int packageOf(int cpu) {
        return cpu(cpu).packageId();
    }

    /** @return the package numbers the online CPUs report, ascending (empty when unknown) */
    public List<Integer> packages() {
        TreeSet<Integer> ids = new TreeSet<>();
        for (LogicalCpu c : cpus.values()) {
            if (c.packageId() >= 0) {
                ids.add(c.packageId());
            }
        }
        return List.copyOf(ids);
    }

    /**
     * @param pkg a package number
     * @return its online CPUs (empty for an unknown package)
     */
    public CpuSet cpusOfPackage(int pkg) {
        CpuSet s = CpuSet.EMPTY;
        for (LogicalCpu c : cpus.values()) {
            if (c.packageId() == pkg && pkg >= 0) {
                s = s.union(CpuSet.of(c.id()));
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ NUMA

    /** @return the NUMA node numbers, ascending; empty on a kernel without NUMA */
    public List<Integer> nodes() {
        return List.copyOf(nodes.keySet());
    }

    /**
     * @param cpu an online CPU
     * @return its NUMA node, or -1 when unknown
     */
    public int nodeOf(int cpu) {
        return cpu(cpu).node();
    }

    /**
     * @param node a NUMA node number
     * @return its online CPUs (empty for a memory-only node)
     * @throws IllegalArgumentException for a node that does not exist, naming those that do
     */
    public CpuSet cpusOfNode(int node) {
        CpuSet s = nodes.get(node);
        if (s == null) {
            throw new IllegalArgumentException("NUMA node " + node + " does not exist " + (nodes.isEmpty()
                    ? "or is unknown: there is no " + root.resolve(NODE) + " (a kernel without NUMA support)"
                    : "(nodes: " + String.join(",", nodes.keySet().stream().map(String::valueOf).toList()) + ")"));
        }
        return s;
    }

    // ------------------------------------------------------------------ caches

    /**
     * @param cpu an online CPU
     * @return its caches, lowest level first (empty when the kernel exposes none, as in many VMs)
     */
    public List<CpuCache> cachesOf(int cpu) {
        return cpu(cpu).caches();
    }

    /**
     * @param a an online CPU
     * @param b another online CPU
     * @param level a cache level, 1..
     * @return whether a data or unified cache of that level is shared by both; false when unknown
     */
    public boolean sharesCache(int a, int b, int level) {
        requireOnline(b);
        for (CpuCache c : cachesOf(a)) {
            if (c.level() == level && c.type() != CpuCache.Type.INSTRUCTION && c.sharedCpus().contains(a)
                    && c.sharedCpus().contains(b)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ isolation and core types

    /** @return the online CPUs isolated from the scheduler ({@code isolcpus=}); empty when none or unknown */
    public CpuSet isolated() {
        return isolated;
    }

    /** @return the online CPUs without a periodic tick ({@code nohz_full=}); empty when none or unknown */
    public CpuSet nohzFull() {
        return nohzFull;
    }

    /** @return whether the cores are of different kinds (Intel P/E-cores, ARM big.LITTLE) */
    public boolean isHybrid() {
        return hybrid;
    }

    /**
     * @param cpu an online CPU
     * @return its core type ({@link CoreType#UNIFORM} when the machine is not hybrid)
     */
    public CoreType coreTypeOf(int cpu) {
        return cpu(cpu).coreType();
    }

    /**
     * @return the performance cores' CPUs on a hybrid machine; every online CPU where all cores
     *     are alike
     */
    public CpuSet performanceCpus() {
        return performance;
    }

    /** @return the efficiency cores' CPUs on a hybrid machine; empty where all cores are alike */
    public CpuSet efficiencyCpus() {
        return efficiency;
    }

    /**
     * @return the processor's name from {@code /proc/cpuinfo} ({@code model name}; on ARM
     *     {@code Hardware} or {@code Model}), empty when unknown
     */
    public Optional<String> modelName() {
        return modelName;
    }

    // ------------------------------------------------------------------ text

    /**
     * @return a few lines for people: model, CPUs, cores and SMT, packages, NUMA nodes, core types,
     *     isolated and nohz_full CPUs, and CPU 0's caches, e.g. for {@code nautilus cpu}
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("model: ").append(modelName.orElse("unknown")).append('\n');
        sb.append("CPUs: ").append(online.size()).append(" online (").append(online).append("), possible ").append(possible)
                .append(", offline ").append(offlineCpus().isEmpty() ? "none" : offlineCpus().toString()).append('\n');
        sb.append("cores: ").append(cores.size()).append(" physical, ")
                .append(hasSmt() ? "SMT (up to " + cores.stream().mapToInt(CpuSet::size).max().orElse(1) + " threads per core)"
                        : "no SMT").append('\n');
        List<Integer> pkgs = packages();
        sb.append("packages: ").append(pkgs.isEmpty() ? "unknown" : pkgs.size() + " " + describeGroups(pkgs, true)).append('\n');
        sb.append("NUMA nodes: ").append(nodes.isEmpty() ? "unknown" : nodes.size() + " " + describeGroups(nodes(), false))
                .append('\n');
        sb.append("core types: ").append(hybrid ? "hybrid, performance " + performance + ", efficiency "
                + (efficiency.isEmpty() ? "none" : efficiency.toString()) : "uniform (not hybrid)").append('\n');
        sb.append("isolated: ").append(isolated.isEmpty() ? "none" : isolated.toString()).append("; nohz_full: ")
                .append(nohzFull.isEmpty() ? "none" : nohzFull.toString()).append('\n');
        List<CpuCache> caches = cachesOf(online.first());
        sb.append("caches of CPU ").append(online.first()).append(": ").append(caches.isEmpty() ? "unknown"
                : String.join("; ", caches.stream().map(CpuCache::toString).toList())).append('\n');
        return sb.toString();
    }

    private String describeGroups(List<Integer> ids, boolean packages) {
        List<String> parts = new ArrayList<>();
        for (int id : ids) {
            parts.add(id + ": " + (packages ? cpusOfPackage(id) : cpusOfNode(id)));
        }
        return "(" + String.join("; ", parts) + ")";
    }

    /** @return a one-line summary, e.g. {@code CpuTopology[AMD EPYC, online 0-1, 2 cores, 1 node]} */
    @Override
    public String toString() {
        return "CpuTopology[" + modelName.orElse("unknown model") + ", online " + online + ", " + cores.size() + " cores"
                + (hasSmt() ? " with SMT" : "") + ", " + (nodes.isEmpty() ? "NUMA unknown" : nodes.size() + " NUMA node"
                + (nodes.size() == 1 ? "" : "s")) + (hybrid ? ", hybrid" : "") + (isolated.isEmpty() ? "" : ", isolated " + isolated)
                + ", from " + root + "]";
    }
}
