package dev.nautilus.accel.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nautilus.accel.bindings.dpdk.na_dpdk_h;
import dev.nautilus.accel.bindings.dpdk.na_dpdk_port_info;
import dev.nautilus.accel.bindings.dpdk.na_dpdk_stats;
import dev.nautilus.accel.bindings.shm.na_shm_h;
import dev.nautilus.accel.bindings.shm.na_shm_stat;
import dev.nautilus.accel.nativeaccess.NativeLoader;
import dev.nautilus.accel.dpdk.Dpdk;
import dev.nautilus.accel.shm.SharedMemory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Stale bindings cannot land: every function and constant declared in native/include/*.h must
 * have a generated binding, every binding must be exported by the built library, and the struct
 * layouts jextract computed must match what the compiled shim reports.
 */
class BindingsTest {
    private static final Path INCLUDE = basedir().resolve("native/include");
    private static final Pattern FUNCTION = Pattern.compile("^[A-Za-z_][\\w \\t\\*]*?\\b(na_\\w+)\\s*\\([^;{]*\\)\\s*;",
            Pattern.MULTILINE);
    private static final Pattern CONSTANT = Pattern.compile("^#define\\s+(NA_\\w+)\\s+\\S", Pattern.MULTILINE);

    static Path basedir() {
        return Path.of(System.getProperty("nautilus.test.basedir", "."));
    }

    record Header(String module, Path path, List<String> functions, List<String> constants) {}

    static List<Header> headers() throws IOException {
        List<Header> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(INCLUDE)) {
            for (Path h : s.filter(p -> p.getFileName().toString().matches("na_\\w+\\.h")).sorted().toList()) {
                String text = stripComments(Files.readString(h));
                List<String> fns = new ArrayList<>();
                Matcher m = FUNCTION.matcher(text);
                while (m.find()) {
                    fns.add(m.group(1));
                }
                List<String> consts = new ArrayList<>();
                Matcher c = CONSTANT.matcher(text);
                while (c.find()) {
                    consts.add(c.group(1));
                }
                String name = h.getFileName().toString();
                out.add(new Header(name.substring(3, name.length() - 2), h, fns, consts));
            }
        }
        return out;
    }

    private static String stripComments(String s) {
        return s.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\n]*", "");
    }

    private static Class<?> headerClass(Header h) {
        String cls = "dev.nautilus.accel.bindings." + h.module() + ".na_" + h.module() + "_h";
        try {
            return Class.forName(cls, false, BindingsTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return fail(h.path() + " has no generated bindings class " + cls + ": run 'make bindings' and commit");
        }
    }

    @Test
    void shouldFindTheShmHeaderAndItsFunctions() throws IOException {
        Header shm = headers().stream().filter(h -> h.module().equals("shm")).findFirst().orElseThrow();
        assertTrue(shm.functions().contains("na_shm_open"), shm.functions().toString());
        assertTrue(shm.functions().contains("na_futex_wait"), shm.functions().toString());
        assertTrue(shm.functions().size() >= 18, shm.functions().toString());
    }

    @Test
    void shouldHaveAGeneratedBindingForEveryDeclaredFunctionAndConstant() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Header h : headers()) {
            Class<?> c = headerClass(h);
            TreeSet<String> methods = new TreeSet<>();
            for (Method m : c.getMethods()) {
                if (Modifier.isStatic(m.getModifiers())) {
                    methods.add(m.getName());
                }
            }
            for (String f : h.functions()) {
                if (!methods.contains(f)) {
                    missing.add(h.path().getFileName() + ": function " + f);
                }
            }
            for (String k : h.constants()) {
                if (k.endsWith("_H")) {
                    continue; // include guard
                }
                if (!methods.contains(k)) {
                    missing.add(h.path().getFileName() + ": constant " + k);
                }
            }
        }
        assertTrue(missing.isEmpty(), "declared in native/include but not bound (add to bindings/jextract/<module>.args, "
                + "run 'make bindings', commit): " + missing);
    }

    @Test
    void shouldExportEveryBoundFunctionFromTheBuiltLibrary() throws IOException {
        assertTrue(SharedMemory.isAvailable(), () -> SharedMemory.unavailabilityCause().orElseThrow().getMessage());
        Dpdk.isAvailable(); // loads libna_dpdk where it was built
        for (Header h : headers()) {
            Path lib = NativeLoader.getDefault().loadedPath("na_" + h.module());
            if (lib == null) {
                continue; // module not built on this machine (e.g. DPDK absent)
            }
            try (Arena arena = Arena.ofConfined()) {
                SymbolLookup lookup = SymbolLookup.libraryLookup(lib, arena);
                for (String f : h.functions()) {
                    assertTrue(lookup.find(f).isPresent(), lib + " does not export " + f + ": rebuild with 'make native'");
                }
                assertFalse(lookup.find("to_oflags").isPresent(), "internal helpers stay hidden");
            }
        }
    }

    @Test
    void shouldAgreeWithTheShimOnStructLayouts() {
        SharedMemory.ensureAvailable();
        assertEquals(na_shm_h.na_shm_layout(na_shm_h.NA_SHM_LAYOUT_STAT_SIZE()), na_shm_stat.sizeof());
        assertEquals(na_shm_h.na_shm_layout(na_shm_h.NA_SHM_LAYOUT_STAT_SIZE_OFFSET()), na_shm_stat.size$offset());
        assertEquals(na_shm_h.na_shm_layout(na_shm_h.NA_SHM_LAYOUT_STAT_MODE_OFFSET()), na_shm_stat.mode$offset());
        assertEquals(na_shm_h.na_shm_layout(na_shm_h.NA_SHM_LAYOUT_STAT_UID_OFFSET()), na_shm_stat.uid$offset());
        assertEquals(na_shm_h.na_shm_layout(na_shm_h.NA_SHM_LAYOUT_STAT_GID_OFFSET()), na_shm_stat.gid$offset());
        assertEquals(na_shm_h.na_shm_layout(na_shm_h.NA_SHM_LAYOUT_STAT_MTIME_OFFSET()), na_shm_stat.mtime_ns$offset());
        assertTrue(na_shm_h.na_shm_layout(99) < 0, "unknown queries are rejected");
    }

    @Test
    void shouldAgreeWithTheDpdkShimOnStructLayouts() {
        Assumptions.assumeTrue(Dpdk.isAvailable(), () -> "DPDK is not available here: "
                + Dpdk.unavailabilityCause().map(Throwable::getMessage).orElse(""));
        assertEquals(na_dpdk_h.na_dpdk_layout(na_dpdk_h.NA_DPDK_LAYOUT_PORT_INFO_SIZE()), na_dpdk_port_info.sizeof());
        assertEquals(na_dpdk_h.na_dpdk_layout(na_dpdk_h.NA_DPDK_LAYOUT_STATS_SIZE()), na_dpdk_stats.sizeof());
        assertEquals(na_dpdk_h.na_dpdk_layout(na_dpdk_h.NA_DPDK_LAYOUT_PORT_INFO_RX_OFFLOAD_CAPA_OFFSET()),
                na_dpdk_port_info.rx_offload_capa$offset());
        assertEquals(na_dpdk_h.na_dpdk_layout(na_dpdk_h.NA_DPDK_LAYOUT_PORT_INFO_LINK_SPEED_OFFSET()),
                na_dpdk_port_info.link_speed$offset());
        assertEquals(na_dpdk_h.na_dpdk_layout(na_dpdk_h.NA_DPDK_LAYOUT_STATS_RX_NOMBUF_OFFSET()), na_dpdk_stats.rx_nombuf$offset());
        assertTrue(na_dpdk_h.na_dpdk_layout(99) < 0, "unknown queries are rejected");
        assertEquals(na_dpdk_h.NA_DPDK_ABI_VERSION(), na_dpdk_h.na_dpdk_abi_version());
        assertEquals(0, na_dpdk_h.na_dpdk_check_constants(), "NA_DPDK_* offload values equal DPDK's");
    }

    @Test
    void shouldMatchTheAbiVersionTheBindingsWereGeneratedFrom() {
        SharedMemory.ensureAvailable();
        assertEquals(na_shm_h.NA_SHM_ABI_VERSION(), na_shm_h.na_shm_abi_version());
    }
}
