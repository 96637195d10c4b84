package dev.nautilus.accel.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.nativeaccess.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CpuTopologyTest {
    private static final long K = 1024;

    @Test
    void shouldReadTheRealCaptureOfThisVmWithWhatItLacksAsUnknown() {
        CpuTopology t = Fixtures.read(Fixtures.THIS_VM);
        assertEquals(CpuSet.parse("0-1"), t.cpus());
        assertEquals(CpuSet.parse("0-1"), t.possibleCpus());
        assertTrue(t.offlineCpus().isEmpty());
        assertEquals(List.of(CpuSet.of(0), CpuSet.of(1)), t.cores());
        assertFalse(t.hasSmt());
        assertEquals(CpuSet.of(1), t.siblingsOf(1));
        assertEquals(List.of(0), t.packages());
        assertEquals(0, t.packageOf(1));
        assertEquals(List.of(0), t.nodes());
        assertEquals(0, t.nodeOf(1));
        assertEquals(CpuSet.parse("0-1"), t.cpusOfNode(0));
        LogicalCpu one = t.cpu(1);
        assertEquals(1, one.coreId());
        assertEquals(0, one.dieId());
        assertEquals(1024, one.capacity());
        // no cache directory on this VM: unknown, not an error
        assertTrue(t.cachesOf(0).isEmpty());
        assertFalse(t.sharesCache(0, 1, 3));
        assertTrue(t.isolated().isEmpty());
        assertTrue(t.nohzFull().isEmpty(), "no nohz_full file: none");
        assertFalse(t.isHybrid(), "equal cpu_capacity everywhere is not hybrid");
        assertEquals(CoreType.UNIFORM, t.coreTypeOf(0));
        assertEquals(t.cpus(), t.performanceCpus());
        assertTrue(t.efficiencyCpus().isEmpty());
        assertEquals(Optional.of("AMD EPYC"), t.modelName());
        assertEquals("""
                model: AMD EPYC
                CPUs: 2 online (0-1), possible 0-1, offline none
                cores: 2 physical, no SMT
                packages: 1 (0: 0-1)
                NUMA nodes: 1 (0: 0-1)
                core types: uniform (not hybrid)
                isolated: none; nohz_full: none
                caches of CPU 0: unknown
                """, t.describe());
    }

    @Test
    void shouldReadATwoSocketServerWithSmtNumaCachesAndIsolatedCpus() {
        CpuTopology t = Fixtures.read(Fixtures.SERVER);
        assertEquals(CpuSet.parse("0-31"), t.cpus());
        assertTrue(t.hasSmt());
        assertEquals(16, t.cores().size());
        assertEquals(CpuSet.of(0, 16), t.cores().get(0));
        assertEquals(CpuSet.of(3, 19), t.siblingsOf(19));
        assertEquals(CpuSet.of(9, 25), t.siblingsOf(9));
        // core_id repeats across sockets: CPUs 0 and 8 have core id 0 but are different cores
        assertEquals(t.cpu(0).coreId(), t.cpu(8).coreId());
        assertFalse(t.siblingsOf(0).contains(8));
        assertEquals(8, t.cpu(4).coreId(), "core ids with gaps, as on real Xeons");
        assertEquals(List.of(0, 1), t.packages());
        assertEquals(1, t.packageOf(24));
        assertEquals(CpuSet.parse("8-15,24-31"), t.cpusOfPackage(1));
        assertEquals(List.of(0, 1), t.nodes());
        assertEquals(CpuSet.parse("8-15,24-31"), t.cpusOfNode(1));
        assertEquals(0, t.nodeOf(20));
        assertEquals(1, t.nodeOf(31));
        assertEquals("NUMA node 2 does not exist (nodes: 0,1)",
                assertThrows(IllegalArgumentException.class, () -> t.cpusOfNode(2)).getMessage());

        List<CpuCache> caches = t.cachesOf(0);
        assertEquals(List.of(
                new CpuCache(1, CpuCache.Type.DATA, 32 * K, 64, CpuSet.of(0, 16)),
                new CpuCache(1, CpuCache.Type.INSTRUCTION, 32 * K, 64, CpuSet.of(0, 16)),
                new CpuCache(2, CpuCache.Type.UNIFIED, 1024 * K, 64, CpuSet.of(0, 16)),
                new CpuCache(3, CpuCache.Type.UNIFIED, 25344 * K, 64, CpuSet.parse("0-7,16-23"))), caches);
        assertEquals("L3 unified 25344K shared by 0-7,16-23", caches.get(3).toString());
        assertTrue(t.sharesCache(0, 16, 1));
        assertTrue(t.sharesCache(0, 16, 2));
        assertFalse(t.sharesCache(0, 1, 2));
        assertTrue(t.sharesCache(0, 7, 3));
        assertTrue(t.sharesCache(5, 21, 3));
        assertFalse(t.sharesCache(0, 8, 3), "other socket, other L3");

        assertEquals(CpuSet.parse("6-7,14-15,22-23,30-31"), t.isolated());
        assertEquals(CpuSet.parse("6-7,14-15,22-23,30-31"), t.nohzFull());
        assertFalse(t.isHybrid());
        assertEquals(t.cpus(), t.performanceCpus());
        assertEquals(Optional.of("Intel(R) Xeon(R) Gold 6244 CPU @ 3.60GHz"), t.modelName());
        assertEquals("""
                model: Intel(R) Xeon(R) Gold 6244 CPU @ 3.60GHz
                CPUs: 32 online (0-31), possible 0-31, offline none
                cores: 16 physical, SMT (up to 2 threads per core)
                packages: 2 (0: 0-7,16-23; 1: 8-15,24-31)
                NUMA nodes: 2 (0: 0-7,16-23; 1: 8-15,24-31)
                core types: uniform (not hybrid)
                isolated: 6-7,14-15,22-23,30-31; nohz_full: 6-7,14-15,22-23,30-31
                caches of CPU 0: L1 data 32K shared by 0,16; L1 instruction 32K shared by 0,16; \
                L2 unified 1M shared by 0,16; L3 unified 25344K shared by 0-7,16-23
                """, t.describe());
    }

    @Test
    void shouldTellPerformanceFromEfficiencyCoresOnAnIntelHybridDesktop() {
        CpuTopology t = Fixtures.read(Fixtures.HYBRID);
        assertTrue(t.isHybrid());
        assertEquals(CpuSet.parse("0-15"), t.performanceCpus());
        assertEquals(CpuSet.parse("16-23"), t.efficiencyCpus());
        assertEquals(CoreType.PERFORMANCE, t.coreTypeOf(3));
        assertEquals(CoreType.EFFICIENCY, t.coreTypeOf(20));
        assertEquals(16, t.cores().size(), "8 P-cores with 2 threads + 8 E-cores");
        assertEquals(CpuSet.of(2, 3), t.siblingsOf(2));
        assertEquals(CpuSet.of(17), t.siblingsOf(17));
        assertTrue(t.hasSmt());
        assertTrue(t.sharesCache(16, 19, 2), "E-core cluster shares its L2");
        assertFalse(t.sharesCache(16, 20, 2));
        assertFalse(t.sharesCache(0, 2, 2), "P-cores have their own L2");
        assertTrue(t.sharesCache(0, 23, 3));
        assertEquals(2048 * K, t.cachesOf(16).get(2).sizeBytes());
        assertEquals(48 * K, t.cachesOf(0).get(0).sizeBytes());
        assertEquals(Optional.of("12th Gen Intel(R) Core(TM) i9-12900K"), t.modelName());
        assertTrue(t.isolated().isEmpty());
        assertTrue(t.describe().contains("core types: hybrid, performance 0-15, efficiency 16-23\n"), t.describe());
    }

    @Test
    void shouldTellBigFromLittleCoresByCapacityOnArm() {
        CpuTopology t = Fixtures.read(Fixtures.ARM);
        assertTrue(t.isHybrid());
        assertEquals(CpuSet.parse("4-7"), t.performanceCpus());
        assertEquals(CpuSet.parse("0-3"), t.efficiencyCpus());
        assertEquals(446, t.cpu(2).capacity());
        assertEquals(1024, t.cpu(6).capacity());
        assertEquals(CoreType.EFFICIENCY, t.coreTypeOf(0));
        assertEquals(CoreType.PERFORMANCE, t.coreTypeOf(7));
        assertFalse(t.hasSmt());
        assertEquals(8, t.cores().size());
        assertEquals(t.cpu(1).coreId(), t.cpu(5).coreId(), "core ids repeat per cluster");
        assertEquals(LogicalCpu.UNKNOWN, t.cpu(0).dieId(), "the kernel's -1 is unknown");
        assertTrue(t.sharesCache(0, 3, 2), "little cluster L2");
        assertTrue(t.sharesCache(4, 7, 2), "big cluster L2");
        assertFalse(t.sharesCache(3, 4, 2));
        assertFalse(t.sharesCache(0, 4, 3), "no L3");
        assertEquals(Optional.of("Hisilicon Kirin970"), t.modelName(), "arm64 has no model name: Hardware");
    }

    @Test
    void shouldReadAMachineWithOfflineCpusAndNoNumaSupport() {
        CpuTopology t = Fixtures.read(Fixtures.OFFLINE);
        assertEquals(CpuSet.parse("0-3"), t.cpus());
        assertEquals(CpuSet.parse("0-7"), t.possibleCpus());
        assertEquals(CpuSet.parse("4-7"), t.offlineCpus());
        assertTrue(t.isOnline(3));
        assertFalse(t.isOnline(4));
        assertEquals(4, t.cores().size());
        assertEquals(CpuSet.of(0), t.siblingsOf(0), "thread_siblings_list when there is no core_cpus_list");
        assertFalse(t.hasSmt(), "siblings offline: no SMT now");
        assertTrue(t.nohzFull().isEmpty(), "(null) means none");
        assertTrue(t.nodes().isEmpty());
        assertEquals(LogicalCpu.UNKNOWN, t.nodeOf(0));
        assertTrue(t.sharesCache(0, 3, 3));
        assertEquals(Optional.of("Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz"), t.modelName());

        assertEquals("CPU 5 is offline (online: 0-3); bring it online (echo 1 > /sys/devices/system/cpu/cpu5/online, as root) "
                + "or pick an online CPU", assertThrows(IllegalArgumentException.class, () -> t.siblingsOf(5)).getMessage());
        assertEquals("CPU 9 does not exist on this machine (possible CPUs: 0-7; online: 0-3); pick an online CPU",
                assertThrows(IllegalArgumentException.class, () -> t.cpu(9)).getMessage());
        assertEquals("invalid CPU number -1: CPUs are numbered from 0 (online: 0-3)",
                assertThrows(IllegalArgumentException.class, () -> t.nodeOf(-1)).getMessage());
        assertEquals("NUMA node 0 does not exist or is unknown: there is no " + Fixtures.root(Fixtures.OFFLINE)
                + "/sys/devices/system/node (a kernel without NUMA support)",
                assertThrows(IllegalArgumentException.class, () -> t.cpusOfNode(0)).getMessage());
        assertTrue(t.describe().contains("NUMA nodes: unknown\n"), t.describe());
    }

    @Test
    void shouldReadTheLiveMachine() {
        CpuTopology t = CpuTopology.read();
        System.out.println("live topology:\n" + t.describe() + t);
        assertFalse(t.cpus().isEmpty());
        assertEquals(Path.of("/"), t.root());
        if (Platform.isLinux()) {
            assertEquals(Affinity.onlineCpus(), t.cpus());
        }
        int covered = t.cores().stream().mapToInt(CpuSet::size).sum();
        assertEquals(t.cpus().size(), covered, "every online CPU is in exactly one core");
    }

    @Test
    void shouldNameTheFileAndItsContentWhenAFileIsMalformed(@TempDir Path dir) throws IOException {
        Path root = Fixtures.copy(Fixtures.SERVER, dir.resolve("server"));
        Path coreId = root.resolve("sys/devices/system/cpu/cpu3/topology/core_id");
        Files.writeString(coreId, "x3\n");
        TopologyException e = assertThrows(TopologyException.class, () -> CpuTopology.read(root));
        assertEquals("malformed " + coreId + ": \"x3\" is not a whole number (the kernel writes a decimal number there); if "
                + "this directory is a captured or hand-made topology, fix or re-capture that file", e.getMessage());
        assertEquals(coreId, e.file());
        assertEquals("x3\n", e.content());
        Files.writeString(coreId, "3\n");

        Path cpulist = root.resolve("sys/devices/system/node/node1/cpulist");
        Files.writeString(cpulist, "8-x\n");
        assertTrue(assertThrows(TopologyException.class, () -> CpuTopology.read(root)).getMessage()
                .startsWith("malformed " + cpulist + ": \"8-x\" is not a CPU list (the kernel writes e.g. 0-3,8,10-11)"));
        Files.writeString(cpulist, "8-15,24-31\n");

        Path size = root.resolve("sys/devices/system/cpu/cpu2/cache/index3/size");
        Files.writeString(size, "lots\n");
        assertTrue(assertThrows(TopologyException.class, () -> CpuTopology.read(root)).getMessage()
                .startsWith("malformed " + size + ": \"lots\" is not a cache size (the kernel writes e.g. 32K or 1024K)"));
        Files.writeString(size, "25344K\n");

        Path type = root.resolve("sys/devices/system/cpu/cpu2/cache/index0/type");
        Files.writeString(type, "Victim\n");
        assertTrue(assertThrows(TopologyException.class, () -> CpuTopology.read(root)).getMessage()
                .startsWith("malformed " + type + ": \"Victim\" is not a cache type (Data, Instruction or Unified)"));
        Files.writeString(type, "Data\n");

        Path nohz = root.resolve("sys/devices/system/cpu/nohz_full");
        Files.writeString(nohz, "all of them\n");
        assertTrue(assertThrows(TopologyException.class, () -> CpuTopology.read(root)).getMessage()
                .startsWith("malformed " + nohz + ": \"all of them\" is not a CPU list"));
        Files.writeString(nohz, "6-7\n");
        assertEquals(CpuSet.parse("6-7"), CpuTopology.read(root).nohzFull(), "repaired");
    }

    @Test
    void shouldRejectSiblingListsThatContradictEachOther(@TempDir Path dir) throws IOException {
        Path root = Fixtures.copy(Fixtures.SERVER, dir.resolve("server"));
        Path cpu3 = root.resolve("sys/devices/system/cpu/cpu3/topology/core_cpus_list");
        Files.writeString(cpu3, "3,4\n");
        TopologyException e = assertThrows(TopologyException.class, () -> CpuTopology.read(root));
        assertEquals("inconsistent SMT siblings under " + root + ": CPU 3 lists 3-4 as its core but CPU 4 lists 4,20 "
                + "(core_cpus_list / thread_siblings_list); fix or re-capture those files", e.getMessage());
    }

    @Test
    void shouldReadMissingFilesAsUnknown(@TempDir Path dir) throws IOException {
        Path root = Fixtures.copy(Fixtures.SERVER, dir.resolve("server"));
        Files.delete(root.resolve("proc/cpuinfo"));
        Files.delete(root.resolve("sys/devices/system/cpu/isolated"));
        Files.delete(root.resolve("sys/devices/system/cpu/online"));
        Files.delete(root.resolve("sys/devices/system/cpu/possible"));
        Files.delete(root.resolve("sys/devices/system/cpu/present"));
        Files.writeString(root.resolve("sys/devices/system/cpu/cpu31/online"), "0\n");
        for (String f : new String[] {"core_id", "core_cpus_list", "thread_siblings_list", "physical_package_id"}) {
            Files.delete(root.resolve("sys/devices/system/cpu/cpu5/topology/" + f));
        }
        Files.delete(root.resolve("sys/devices/system/cpu/cpu5/cache/index3/size"));
        CpuTopology t = CpuTopology.read(root);
        assertEquals(Optional.empty(), t.modelName());
        assertTrue(t.isolated().isEmpty());
        assertEquals(CpuSet.parse("0-30"), t.cpus(), "online from the cpuN/online files when the list is missing");
        assertEquals(CpuSet.parse("0-31"), t.possibleCpus());
        assertEquals(LogicalCpu.UNKNOWN, t.cpu(5).coreId());
        assertEquals(LogicalCpu.UNKNOWN, t.packageOf(5));
        assertEquals(CpuSet.of(5, 21), t.cpu(5).siblings(), "unknown siblings: what the sibling's list says");
        assertEquals(CpuSet.of(15), t.siblingsOf(15), "offline siblings do not count");
        assertEquals(-1, t.cachesOf(5).get(3).sizeBytes());
    }

    @Test
    void shouldSayWhenADirectoryHoldsNoCpuInformation(@TempDir Path dir) {
        TopologyException e = assertThrows(TopologyException.class, () -> CpuTopology.read(dir));
        assertEquals("no CPU information under " + dir + ": neither " + dir + "/sys/devices/system/cpu/online nor " + dir
                + "/sys/devices/system/cpu/cpuN directories exist; pass the directory that stands for / (it must contain "
                + "sys/devices/system/cpu)", e.getMessage());
    }
}
