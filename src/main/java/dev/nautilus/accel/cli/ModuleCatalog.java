package dev.nautilus.accel.cli;

import dev.nautilus.accel.nativeaccess.NativeModule;
import dev.nautilus.accel.nativeaccess.NativeUnavailableException;
import dev.nautilus.accel.affinity.Affinity;
import dev.nautilus.accel.dpdk.Dpdk;
import dev.nautilus.accel.shm.SharedMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every native module nautilus-accel has or plans, in the order {@code nautilus doctor} shows
 * them. This is the one list to extend when a module lands: replace its {@link #planned} entry
 * by a {@link #built} one that returns the module's {@link NativeModule}.
 *
 * <p>Thread-safe; a built module's probe runs the first time its state is asked for.
 */
final class ModuleCatalog {
    /** What a module's state is on this machine. */
    enum Status {
        /** Built, loaded and its probe passed. */
        AVAILABLE("available"),
        /** Built, but cannot be used here; {@link ModuleState#cause()} says why. */
        UNAVAILABLE("unavailable"),
        /** Planned, no code yet. */
        NOT_BUILT("not built");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        /** @return the word doctor prints and {@code --json} writes: {@code available}, {@code unavailable}, {@code not built} */
        String label() {
            return label;
        }
    }

    /**
     * One module's state on this machine.
     *
     * @param name short name, e.g. {@code shm}
     * @param description what the module does
     * @param status available, unavailable or not built
     * @param cause why it cannot be used (empty when available)
     * @param library the shim library file loaded for it (empty when none was loaded)
     */
    record ModuleState(String name, String description, Status status, Optional<String> cause, Optional<Path> library) {}

    /** One catalog entry: a module's name and how to find out its state. */
    private record Entry(String name, String description, NativeModule module, String plan) {}

    private static final List<Entry> ENTRIES = List.of(
            built(SharedMemory.module()),
            built(Affinity.module()),
            built(Dpdk.module()),
            planned("metal", "Apple Metal GPU compute (macOS only)", "not built yet (macOS only)"),
            planned("coreml", "Apple Core ML inference (macOS only)", "not built yet (macOS only)"),
            planned("cuda", "NVIDIA CUDA GPU compute", "not built yet"));

    private ModuleCatalog() {}

    private static Entry built(NativeModule module) {
        return new Entry(module.name(), module.description(), module, null);
    }

    private static Entry planned(String name, String description, String plan) {
        return new Entry(name, description, null, plan);
    }

    /** @return the module names, in catalog order */
    static List<String> names() {
        return ENTRIES.stream().map(Entry::name).toList();
    }

    /**
     * @param name a module name, e.g. {@code shm}
     * @return true when it is a module of the catalog (built or planned)
     */
    static boolean isKnown(String name) {
        return ENTRIES.stream().anyMatch(e -> e.name().equals(name));
    }

    /** @return the state of every module, in catalog order (runs the probes not run yet) */
    static List<ModuleState> states() {
        List<ModuleState> out = new ArrayList<>(ENTRIES.size());
        for (Entry e : ENTRIES) {
            out.add(state(e));
        }
        return out;
    }

    /**
     * @param name a known module name
     * @return its state
     * @throws IllegalArgumentException for a name not in the catalog
     */
    static ModuleState state(String name) {
        for (Entry e : ENTRIES) {
            if (e.name().equals(name)) {
                return state(e);
            }
        }
        throw new IllegalArgumentException("unknown module '" + name + "'; known modules: " + String.join(", ", names()));
    }

    private static ModuleState state(Entry e) {
        if (e.module() == null) {
            return new ModuleState(e.name(), e.description(), Status.NOT_BUILT, Optional.of(e.plan()), Optional.empty());
        }
        NativeModule m = e.module();
        Optional<NativeUnavailableException> cause = m.unavailabilityCause();
        return new ModuleState(e.name(), m.description(), cause.isEmpty() ? Status.AVAILABLE : Status.UNAVAILABLE,
                cause.map(Throwable::getMessage), m.libraryPath());
    }
}
