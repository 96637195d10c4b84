package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SystemInfoTest {

    @Test
    void shouldReadTheCpuModelOfX86AndArmCpuinfo() {
        String x86 = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13 64-Core Processor\n"
                + "processor\t: 1\nmodel name\t: AMD EPYC 7B13 64-Core Processor\n";
        String arm = "processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\n\nHardware\t: BCM2835\nModel\t: Raspberry Pi 4\n";

        assertEquals(Optional.of("AMD EPYC 7B13 64-Core Processor"), SystemInfo.cpuModel(x86));
        assertEquals(Optional.of("BCM2835"), SystemInfo.cpuModel(arm));
        assertEquals(Optional.empty(), SystemInfo.cpuModel("processor\t: 0\nBogoMIPS\t: 50.00\n"));
    }

    @Test
    void shouldCountKernelCpuLists() {
        assertEquals(Optional.of(1), SystemInfo.countCpuList("0"));
        assertEquals(Optional.of(8), SystemInfo.countCpuList("0-7\n"));
        assertEquals(Optional.of(9), SystemInfo.countCpuList("0-3,8-11,16"));
        assertEquals(Optional.empty(), SystemInfo.countCpuList("3-1"));
        assertEquals(Optional.empty(), SystemInfo.countCpuList("zero"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void shouldReadThisLinuxMachine() {
        SystemInfo.Os os = SystemInfo.os();
        SystemInfo.Cpu cpu = SystemInfo.cpu();

        assertEquals(Optional.of(System.getProperty("os.version")), os.kernel());
        assertEquals(Runtime.getRuntime().availableProcessors(), cpu.logical());
        assertTrue(cpu.onlineCount().orElseThrow() >= 1, cpu.toString());
        SystemInfo.DevShm shm = SystemInfo.devShm().orElseThrow();
        assertTrue(shm.total() > 0 && shm.used() >= 0 && shm.used() <= shm.total(), shm.toString());
    }
}
