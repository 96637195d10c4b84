package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.cli.ModuleCatalog.ModuleState;
import dev.nautilus.accel.cli.ModuleCatalog.Status;
import dev.nautilus.accel.shm.SharedMemory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ModuleCatalogTest {

    @Test
    void shouldListBuiltAndPlannedModulesInOrder() {
        assertEquals(List.of("shm", "affinity", "dpdk", "metal", "coreml", "cuda"), ModuleCatalog.names());
        assertTrue(ModuleCatalog.isKnown("cuda"));
        assertFalse(ModuleCatalog.isKnown("nosuch"));
    }

    @Test
    void shouldReportShmAsTheSharedMemoryModuleSays() {
        ModuleState shm = ModuleCatalog.state("shm");

        assertEquals(Status.AVAILABLE, shm.status());
        assertEquals(Optional.empty(), shm.cause());
        assertEquals(SharedMemory.module().libraryPath(), shm.library());
        assertEquals(SharedMemory.module().description(), shm.description());
    }

    @Test
    void shouldReportPlannedModulesAsNotBuiltWithoutALibrary() {
        ModuleState metal = ModuleCatalog.state("metal");

        assertEquals(Status.NOT_BUILT, metal.status());
        assertEquals("not built", metal.status().label());
        assertEquals(Optional.of("not built yet (macOS only)"), metal.cause());
        assertEquals(Optional.empty(), metal.library());
    }

    @Test
    void shouldRejectAnUnknownModuleNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModuleCatalog.state("nosuch"));
        assertEquals("unknown module 'nosuch'; known modules: shm, affinity, dpdk, metal, coreml, cuda", e.getMessage());
    }
}
