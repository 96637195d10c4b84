#!/usr/bin/env python3
"""Writes the SYNTHETIC topology fixtures next to this script.

Each fixture is a directory that mirrors / (sys/devices/system/cpu/..., sys/devices/system/node/...,
sys/devices/cpu_core|cpu_atom/cpus, proc/cpuinfo) in the file formats the Linux kernel uses; only
the files CpuTopology reads are written (no hex masks). They are made up, each modelled on a real
class of machine that its README.md names. The REAL capture (this-vm-2cpu) is not generated: it
was copied from /sys and /proc. Rerun after changing a shape:
    python3 src/test/resources/topology/generate-synthetic.py
"""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))


def cpulist(cpus):
    """Linux list syntax: 0-3,8,10-11 (empty string for no CPUs)."""
    cpus = sorted(set(cpus))
    out, i = [], 0
    while i < len(cpus):
        j = i
        while j + 1 < len(cpus) and cpus[j + 1] == cpus[j] + 1:
            j += 1
        out.append(str(cpus[i]) if i == j else "%d-%d" % (cpus[i], cpus[j]))
        i = j + 1
    return ",".join(out)


class Fixture:
    def __init__(self, name):
        self.root = os.path.join(HERE, name)
        if os.path.isdir(self.root):
            shutil.rmtree(self.root)

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def cpu(self, n, rel, text):
        self.write("sys/devices/system/cpu/cpu%d/%s" % (n, rel), text + "\n")

    def system(self, online, possible, isolated="", nohz_full=None, smt="on"):
        self.write("sys/devices/system/cpu/online", cpulist(online) + "\n")
        self.write("sys/devices/system/cpu/possible", cpulist(possible) + "\n")
        self.write("sys/devices/system/cpu/present", cpulist(possible) + "\n")
        self.write("sys/devices/system/cpu/offline", cpulist(set(possible) - set(online)) + "\n")
        self.write("sys/devices/system/cpu/isolated", cpulist(isolated) + "\n")
        self.write("sys/devices/system/cpu/kernel_max", "8191\n")
        if nohz_full is not None:
            self.write("sys/devices/system/cpu/nohz_full", nohz_full + "\n")
        self.write("sys/devices/system/cpu/smt/control", smt + "\n")
        self.write("sys/devices/system/cpu/smt/active", ("1" if smt == "on" else "0") + "\n")
        for n in possible:
            if n != 0:
                self.cpu(n, "online", "1" if n in online else "0")

    def topology(self, n, core_id, package, die, siblings, package_cpus, core_cpus_list=True):
        t = "topology/"
        self.cpu(n, t + "core_id", str(core_id))
        self.cpu(n, t + "physical_package_id", str(package))
        self.cpu(n, t + "die_id", str(die))
        self.cpu(n, t + "thread_siblings_list", cpulist(siblings))
        self.cpu(n, t + "core_siblings_list", cpulist(package_cpus))
        if core_cpus_list:
            self.cpu(n, t + "core_cpus_list", cpulist(siblings))
            self.cpu(n, t + "package_cpus_list", cpulist(package_cpus))

    def cache(self, n, index, level, kind, size_k, shared, line=64, cache_id=None):
        c = "cache/index%d/" % index
        self.cpu(n, c + "level", str(level))
        self.cpu(n, c + "type", kind)
        self.cpu(n, c + "size", "%dK" % size_k)
        self.cpu(n, c + "shared_cpu_list", cpulist(shared))
        self.cpu(n, c + "coherency_line_size", str(line))
        if cache_id is not None:
            self.cpu(n, c + "id", str(cache_id))

    def nodes(self, cpus_by_node, distances):
        ids = sorted(cpus_by_node)
        self.write("sys/devices/system/node/online", cpulist(ids) + "\n")
        self.write("sys/devices/system/node/possible", cpulist(ids) + "\n")
        self.write("sys/devices/system/node/has_cpu", cpulist(ids) + "\n")
        for node in ids:
            self.write("sys/devices/system/node/node%d/cpulist" % node, cpulist(cpus_by_node[node]) + "\n")
            self.write("sys/devices/system/node/node%d/distance" % node, " ".join(map(str, distances[node])) + "\n")

    def cpuinfo_x86(self, cpus, model, facts):
        blocks = []
        for n in cpus:
            package, core, siblings, cores = facts(n)
            blocks.append(
                "processor\t: %d\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel name\t: %s\n"
                "physical id\t: %d\nsiblings\t: %d\ncore id\t\t: %d\ncpu cores\t: %d\n"
                "flags\t\t: fpu tsc msr pae cx8 apic sep pge cmov ht syscall nx lm constant_tsc nonstop_tsc"
                " sse4_2 avx2\n" % (n, model, package, siblings, core, cores))
        self.write("proc/cpuinfo", "\n".join(blocks) + "\n")

    def readme(self, text):
        self.write("README.md", text.strip() + "\n")


def server_2s():
    """2 x Xeon Gold 6244 (Cascade Lake, 8 cores, HT): the classic 2-socket trading server."""
    f = Fixture("server-2s-numa-smt")
    cpus = list(range(32))
    isolated = [6, 7, 14, 15, 22, 23, 30, 31]
    f.system(cpus, cpus, isolated=isolated, nohz_full=cpulist(isolated))
    core_ids = [0, 1, 2, 3, 8, 9, 10, 11]  # Xeon core ids have gaps and repeat on each socket
    socket = lambda n: (n % 16) // 8
    socket_cpus = lambda s: [c for c in cpus if socket(c) == s]
    for n in cpus:
        s = socket(n)
        i = n % 8
        siblings = [s * 8 + i, 16 + s * 8 + i]
        f.topology(n, core_ids[i], s, 0, siblings, socket_cpus(s))
        f.cache(n, 0, 1, "Data", 32, siblings, cache_id=core_ids[i])
        f.cache(n, 1, 1, "Instruction", 32, siblings, cache_id=core_ids[i])
        f.cache(n, 2, 2, "Unified", 1024, siblings, cache_id=core_ids[i])
        f.cache(n, 3, 3, "Unified", 25344, socket_cpus(s), cache_id=s)
    f.nodes({0: socket_cpus(0), 1: socket_cpus(1)}, {0: [10, 21], 1: [21, 10]})
    f.cpuinfo_x86(cpus, "Intel(R) Xeon(R) Gold 6244 CPU @ 3.60GHz",
                  lambda n: (socket(n), core_ids[n % 8], 16, 8))
    f.readme("""
# server-2s-numa-smt — SYNTHETIC

Made up by `../generate-synthetic.py`, modelled on a 2-socket low-latency trading server:
2 x Intel Xeon Gold 6244 (Cascade Lake, 8 cores, Hyper-Threading), one NUMA node per socket,
booted with `isolcpus=6-7,14-15,22-23,30-31 nohz_full=6-7,14-15,22-23,30-31`.

- 32 CPUs online (0-31); CPUs 0-7 are socket 0's cores, 8-15 socket 1's, 16-31 their SMT
  siblings (CPU n and n+16 share a core), the numbering Linux uses on Intel servers.
- `core_id` values are 0,1,2,3,8,9,10,11 on each socket (gaps, and repeated across sockets, as
  on real Xeons): a physical core is identified by its sibling list, not by `core_id`.
- NUMA node 0 = 0-7,16-23, node 1 = 8-15,24-31; distances 10/21.
- Caches: L1d 32K, L1i 32K and L2 1024K per core (shared by the 2 siblings), L3 25344K per socket.
- No `cpu_capacity`, no `cpu_core`/`cpu_atom`: not hybrid.
""")


def hybrid_desktop():
    """Intel Core i9-12900K (Alder Lake): 8 P-cores with HT + 8 E-cores in 2 clusters of 4."""
    f = Fixture("intel-hybrid-desktop")
    cpus = list(range(24))
    f.system(cpus, cpus)
    for n in cpus:
        if n < 16:
            k = n // 2
            siblings = [2 * k, 2 * k + 1]
            core_id = 4 * k
            f.topology(n, core_id, 0, 0, siblings, cpus)
            f.cache(n, 0, 1, "Data", 48, siblings)
            f.cache(n, 1, 1, "Instruction", 32, siblings)
            f.cache(n, 2, 2, "Unified", 1280, siblings)
        else:
            siblings = [n]
            core_id = 32 + (n - 16)
            cluster = list(range(16, 20)) if n < 20 else list(range(20, 24))
            f.topology(n, core_id, 0, 0, siblings, cpus)
            f.cache(n, 0, 1, "Data", 32, siblings)
            f.cache(n, 1, 1, "Instruction", 64, siblings)
            f.cache(n, 2, 2, "Unified", 2048, cluster)
        f.cache(n, 3, 3, "Unified", 30720, cpus)
    f.write("sys/devices/cpu_core/cpus", "0-15\n")
    f.write("sys/devices/cpu_atom/cpus", "16-23\n")
    f.nodes({0: cpus}, {0: [10]})
    f.cpuinfo_x86(cpus, "12th Gen Intel(R) Core(TM) i9-12900K",
                  lambda n: (0, 4 * (n // 2) if n < 16 else 32 + n - 16, 24, 16))
    f.readme("""
# intel-hybrid-desktop — SYNTHETIC

Made up by `../generate-synthetic.py`, modelled on an Intel hybrid desktop CPU, the
Core i9-12900K (Alder Lake): 8 performance cores with Hyper-Threading and 8 efficiency cores.

- 24 CPUs online: 0-15 are the P-cores' threads (siblings 0,1 / 2,3 / ... / 14,15, as Linux
  numbers them on Alder Lake), 16-23 the E-cores (no SMT).
- `/sys/devices/cpu_core/cpus` = 0-15 and `/sys/devices/cpu_atom/cpus` = 16-23: the hybrid PMU
  files the kernel creates, which say which CPU is a performance or an efficiency core.
- Caches: P-core L1d 48K, L1i 32K, L2 1280K per core; E-core L1d 32K, L1i 64K, and one L2 of
  2048K per cluster of 4 E-cores (16-19, 20-23); one L3 of 30720K for all 24 CPUs.
- One package, one NUMA node, nothing isolated, no `nohz_full` file.
""")


def arm_big_little():
    """An octa-core big.LITTLE phone SoC (HiSilicon Kirin 970 class): 4 x A53 + 4 x A73."""
    f = Fixture("arm-big-little")
    cpus = list(range(8))
    f.system(cpus, cpus, smt="notsupported")
    for n in cpus:
        big = n >= 4
        cluster = list(range(4, 8)) if big else list(range(0, 4))
        f.topology(n, n % 4, 0, -1, [n], cpus)
        f.cpu(n, "topology/cluster_id", "1" if big else "0")
        f.cpu(n, "topology/cluster_cpus_list", cpulist(cluster))
        f.cpu(n, "cpu_capacity", "1024" if big else "446")
        f.cache(n, 0, 1, "Data", 64 if big else 32, [n])
        f.cache(n, 1, 1, "Instruction", 64 if big else 32, [n])
        f.cache(n, 2, 2, "Unified", 2048 if big else 1024, cluster)
    f.nodes({0: cpus}, {0: [10]})
    blocks = []
    for n in cpus:
        part = "0xd09" if n >= 4 else "0xd03"
        blocks.append("processor\t: %d\nBogoMIPS\t: 3.84\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32\n"
                      "CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: %s\n"
                      "CPU revision\t: 2\n" % (n, part))
    f.write("proc/cpuinfo", "\n".join(blocks) + "\nHardware\t: Hisilicon Kirin970\n")
    f.readme("""
# arm-big-little — SYNTHETIC

Made up by `../generate-synthetic.py`, modelled on an ARM big.LITTLE phone SoC of the
HiSilicon Kirin 970 class (also the shape of many SBCs): 4 little Cortex-A53 cores and 4 big
Cortex-A73 cores, each cluster sharing one L2, no L3, no SMT, one NUMA node.

- `cpuN/cpu_capacity`: 446 for the little CPUs 0-3, 1024 for the big CPUs 4-7 (the highest
  capacity marks the performance cores).
- `core_id` is the index within the cluster (0-3 twice), `physical_package_id` 0, `die_id` -1
  (the kernel's "no die" on arm64), `cluster_id` 0/1 with `cluster_cpus_list`.
- Caches: little L1d/L1i 32K, big L1d/L1i 64K (per core); L2 1024K shared by 0-3, 2048K by 4-7.
- `/proc/cpuinfo` in the arm64 format: no `model name`, a `Hardware` line as Android vendor
  kernels print it.
""")


def laptop_nosmt():
    """A 4-core/8-thread laptop (i7-8550U) booted with nosmt: the SMT siblings 4-7 are offline."""
    f = Fixture("laptop-offline-cpus")
    possible = list(range(8))
    online = [0, 1, 2, 3]
    f.system(online, possible, nohz_full="(null)", smt="off")
    for n in online:
        # Only online CPUs have topology/ and cache/ directories, and the sibling lists name
        # online CPUs only. An older (4.x) kernel: no core_cpus_list / package_cpus_list.
        f.topology(n, n, 0, 0, [n], online, core_cpus_list=False)
        f.cache(n, 0, 1, "Data", 32, [n])
        f.cache(n, 1, 1, "Instruction", 32, [n])
        f.cache(n, 2, 2, "Unified", 256, [n])
        f.cache(n, 3, 3, "Unified", 8192, online)
    f.cpuinfo_x86(online, "Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz", lambda n: (0, n, 4, 4))
    f.readme("""
# laptop-offline-cpus — SYNTHETIC

Made up by `../generate-synthetic.py`, modelled on a 4-core/8-thread laptop
(Intel Core i7-8550U) booted with `nosmt`, as latency tuning guides suggest: the SMT siblings,
CPUs 4-7, are possible and present but offline.

- `possible` 0-7, `online` 0-3, `offline` 4-7; `cpu4..7/online` are 0 and, as on a real kernel,
  offline CPUs have no `topology/` or `cache/` directory.
- An older (4.x) kernel: only `thread_siblings_list`, no `core_cpus_list`.
- `smt/control` is `off`; `nohz_full` reads `(null)`, which kernels print when no CPU is
  nohz_full; nothing isolated.
- Kernel without NUMA support: no `/sys/devices/system/node` at all (the NUMA node is unknown).
- Caches: L1d/L1i 32K, L2 256K per core, L3 8192K shared by the online CPUs.
""")


if __name__ == "__main__":
    server_2s()
    hybrid_desktop()
    arm_big_little()
    laptop_nosmt()
