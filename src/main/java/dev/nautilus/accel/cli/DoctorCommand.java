package dev.nautilus.accel.cli;

import dev.nautilus.accel.cli.ModuleCatalog.ModuleState;
import dev.nautilus.accel.cli.ModuleCatalog.Status;
import dev.nautilus.accel.nativeaccess.NativeAccess;
import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.nativeaccess.Version;
import dev.nautilus.accel.affinity.CpuReservation;
import dev.nautilus.accel.affinity.CpuTopology;
import dev.nautilus.accel.dpdk.Dpdk;
import dev.nautilus.accel.shm.HugePages;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nautilus doctor}: what this machine and JVM offer nautilus-accel (system, JDK, native
 * modules, {@code /dev/shm}, huge pages, real-time scheduling permission), as aligned text or
 * one JSON object, and with {@code --require} a check that modules are available.
 */
@Command(name = "doctor", description = {
    "Show what this machine and JVM offer nautilus-accel: system, JDK, native modules, /dev/shm,"
            + " huge pages and real-time scheduling permission.",
    "With --require, exit 1 unless every listed module is available."})
public final class DoctorCommand implements Callable<Integer> {
    private static final int LABEL = 16;

    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Option(names = "--no-dpdk-test", negatable = false,
            description = "Skip the DPDK vdev loopback test (a child JVM, about a second).")
    private boolean noDpdkTest;

    @Option(names = "--require", split = ",", paramLabel = "MODULE",
            description = "Exit 1 unless these modules are available (comma-separated; known: ${COMPLETION-CANDIDATES}).",
            completionCandidates = ModuleNames.class)
    private List<String> require = new ArrayList<>();

    /** Creates the command (picocli does). */
    public DoctorCommand() {}

    /** The module names, for the {@code --require} help. */
    static final class ModuleNames implements Iterable<String> {
        /** Creates the list (picocli does). */
        ModuleNames() {}

        @Override
        public java.util.Iterator<String> iterator() {
            return ModuleCatalog.names().iterator();
        }
    }

    /**
     * Prints the report, then checks {@code --require}.
     *
     * @return {@value Nautilus#OK}, or {@value Nautilus#FAILURE} when a required module is not available
     * @throws ParameterException for an unknown module name in {@code --require}
     */
    @Override
    public Integer call() {
        Set<String> required = new LinkedHashSet<>();
        for (String r : require) {
            String name = r.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!ModuleCatalog.isKnown(name)) {
                throw new ParameterException(spec.commandLine(), "unknown module '" + name + "' in --require; known modules: "
                        + String.join(", ", ModuleCatalog.names()));
            }
            required.add(name);
        }

        Report report = Report.gather(!noDpdkTest);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(report.toJson()));
        } else {
            report.print(out);
        }
        out.flush();

        int code = Nautilus.OK;
        for (String name : required) {
            ModuleState s = ModuleCatalog.state(name);
            if (s.status() != Status.AVAILABLE) {
                ErrorHandler.print(spec.commandLine().getErr(), "required module " + name + " is not available: "
                        + s.cause().orElse(s.status().label()));
                code = Nautilus.FAILURE;
            }
        }
        return code;
    }

    /** All facts, gathered once, printed as text or JSON. */
    private record Report(SystemInfo.Os os, SystemInfo.Cpu cpu, boolean nativeAccess, List<ModuleState> modules,
                          Optional<SystemInfo.DevShm> devShm, HugePages.Status hugePages,
                          RealtimePermission.Result realtime, Optional<CpuTopology> topology, String topologyProblem,
                          List<CpuReservation.Holder> reservations, Optional<String> dpdkVersion,
                          Optional<DpdkSelfTest.Result> dpdkTest, String dpdkNote) {
        static Report gather(boolean dpdkTest) {
            CpuTopology t = null;
            String problem = null;
            if (Platform.isLinux()) {
                try {
                    t = CpuTopology.read();
                } catch (RuntimeException e) {
                    problem = e.getMessage();
                }
            } else {
                problem = "CPU topology is read from Linux sysfs; not available on " + Platform.os();
            }
            List<CpuReservation.Holder> held;
            try {
                held = CpuReservation.holders();
            } catch (RuntimeException e) {
                held = List.of();
            }
            Optional<String> dpdkVersion = Optional.empty();
            Optional<DpdkSelfTest.Result> test = Optional.empty();
            String note;
            if (Dpdk.isAvailable()) {
                dpdkVersion = Optional.of(Dpdk.version());
                if (dpdkTest) {
                    test = Optional.of(DpdkSelfTest.runInChild(60));
                    note = "loopback of 128 packets through --vdev=" + DpdkSelfTest.VDEV + " --no-huge, in a child JVM";
                } else {
                    note = "vdev test skipped (--no-dpdk-test)";
                }
            } else {
                note = "module dpdk unavailable (see Modules)";
            }
            return new Report(SystemInfo.os(), SystemInfo.cpu(), NativeAccess.isEnabled(), ModuleCatalog.states(),
                    SystemInfo.devShm(), HugePages.status(), RealtimePermission.check(), Optional.ofNullable(t), problem, held,
                    dpdkVersion, test, note);
        }

        Map<String, Object> toJson() {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("version", Version.get());
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", os.name());
            o.put("version", os.version());
            o.put("distribution", os.distribution().orElse(null));
            o.put("kernel", os.kernel().orElse(null));
            root.put("os", o);
            root.put("arch", Platform.arch());
            root.put("platform", Platform.id());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("model", cpu.model().orElse(null));
            c.put("logical", cpu.logical());
            c.put("online", cpu.online().orElse(null));
            c.put("onlineCount", cpu.onlineCount().orElse(null));
            root.put("cpu", c);
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("version", System.getProperty("java.version"));
            j.put("vendor", System.getProperty("java.vendor"));
            j.put("home", System.getProperty("java.home"));
            root.put("jdk", j);
            Map<String, Object> na = new LinkedHashMap<>();
            na.put("enabled", nativeAccess);
            na.put("flag", NativeAccess.flag());
            root.put("nativeAccess", na);
            List<Object> mods = new ArrayList<>();
            for (ModuleState m : modules) {
                Map<String, Object> mo = new LinkedHashMap<>();
                mo.put("name", m.name());
                mo.put("status", m.status().label());
                mo.put("description", m.description());
                mo.put("cause", m.cause().orElse(null));
                mo.put("library", m.library().map(Path::toString).orElse(null));
                mods.add(mo);
            }
            root.put("modules", mods);
            root.put("devShm", devShm.map(d -> {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("path", SystemInfo.DEV_SHM.toString());
                s.put("total", d.total());
                s.put("used", d.used());
                s.put("free", d.free());
                s.put("segments", d.segments());
                return (Object) s;
            }).orElse(null));
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("pageSize", hugePages.pageSize());
            h.put("total", hugePages.total());
            h.put("free", hugePages.free());
            h.put("reserved", hugePages.reservedForMappings());
            h.put("available", hugePages.available());
            h.put("mount", hugePages.mount().map(Path::toString).orElse(null));
            root.put("hugePages", h);
            Map<String, Object> rt = new LinkedHashMap<>();
            rt.put("permitted", realtime.permitted().orElse(null));
            rt.put("reason", realtime.reason());
            rt.put("fix", realtime.fix().orElse(null));
            root.put("realtime", rt);
            Map<String, Object> topo = new LinkedHashMap<>();
            topology.ifPresent(t -> {
                topo.put("cores", t.cores().size());
                topo.put("smt", t.hasSmt());
                topo.put("numaNodes", t.nodes().size());
                topo.put("isolated", t.isolated().toString());
                topo.put("nohzFull", t.nohzFull().toString());
                topo.put("hybrid", t.isHybrid());
                topo.put("performance", t.performanceCpus().toString());
                topo.put("efficiency", t.efficiencyCpus().toString());
            });
            topo.put("problem", topologyProblem);
            List<Object> res = new ArrayList<>();
            for (CpuReservation.Holder holder : reservations) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("cpu", holder.cpu());
                m.put("pid", holder.pid());
                m.put("tid", holder.tid());
                m.put("thread", holder.threadName());
                res.add(m);
            }
            topo.put("reservations", res);
            root.put("topology", topo);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("version", dpdkVersion.orElse(null));
            d.put("vdevTest", dpdkTest.map(x -> x.passed() ? "passed" : "failed").orElse("not run"));
            d.put("vdevTestResult", dpdkTest.map(DpdkSelfTest.Result::line).orElse(null));
            d.put("note", dpdkNote);
            root.put("dpdk", d);
            return root;
        }

        void print(PrintWriter out) {
            out.println("nautilus-accel " + Version.get() + " on " + Platform.id());

            section(out, "System");
            row(out, "OS", os.name() + " " + os.version() + os.distribution().map(d -> " (" + d + ")").orElse(""));
            row(out, "kernel", os.kernel().orElse("unknown"));
            row(out, "platform", Platform.id());
            row(out, "CPU", cpu.model().orElse("unknown"));
            row(out, "logical CPUs", cpu.logical() + " (available to this JVM)");
            row(out, "online CPUs", cpu.online().map(l -> l + cpu.onlineCount().map(n -> " (" + n + ")").orElse(""))
                    .orElse(Platform.isLinux() ? "unknown (/sys/devices/system/cpu/online unreadable)" : "not reported on " + Platform.os()));

            section(out, "JDK");
            row(out, "version", System.getProperty("java.version"));
            row(out, "vendor", System.getProperty("java.vendor"));
            row(out, "home", System.getProperty("java.home"));
            row(out, "native access", nativeAccess ? "enabled"
                    : "NOT enabled: start java with " + NativeAccess.flag());

            section(out, "Modules");
            int nameWidth = modules.stream().mapToInt(m -> m.name().length()).max().orElse(0);
            int statusWidth = 0;
            for (Status s : Status.values()) {
                statusWidth = Math.max(statusWidth, s.label().length());
            }
            for (ModuleState m : modules) {
                out.println("  " + pad(m.name(), Math.max(nameWidth, LABEL)) + "  " + pad(m.status().label(), statusWidth)
                        + "  " + m.description());
                String indent = " ".repeat(2 + Math.max(nameWidth, LABEL) + 2);
                m.library().ifPresent(p -> out.println(indent + "library  " + p));
                m.cause().ifPresent(c -> out.println(indent + "cause    " + c.replace("\n", "\n" + indent + "         ")));
            }

            section(out, "/dev/shm");
            if (devShm.isPresent()) {
                SystemInfo.DevShm d = devShm.get();
                row(out, "size", Sizes.exactAndHuman(d.total()));
                row(out, "used", Sizes.exactAndHuman(d.used()));
                row(out, "free", Sizes.exactAndHuman(d.free()));
                row(out, "segments", d.segments() + (d.segments() > 0 ? " (nautilus shm list shows them)" : ""));
            } else {
                row(out, "present", Platform.isLinux() ? "no (/dev/shm is missing or unreadable)"
                        : "no (" + Platform.os() + " keeps POSIX shared memory in the kernel)");
            }

            section(out, "Huge pages");
            if (hugePages.pageSize() <= 0) {
                row(out, "supported", "no" + (Platform.isLinux() ? " (no Hugepagesize in /proc/meminfo)" : " (Linux only)"));
            } else {
                row(out, "page size", Sizes.exactAndHuman(hugePages.pageSize()));
                row(out, "total", hugePages.total() + (hugePages.total() == 0
                        ? " (reserve some as root: echo 64 > /proc/sys/vm/nr_hugepages)" : ""));
                row(out, "free", String.valueOf(hugePages.free()));
                row(out, "available", String.valueOf(hugePages.available()));
                row(out, "mount", hugePages.mount().map(Path::toString)
                        .orElse("none (as root: mkdir -p /dev/hugepages && mount -t hugetlbfs none /dev/hugepages)"));
            }

            section(out, "DPDK");
            row(out, "version", dpdkVersion.orElse("-"));
            row(out, "vdev test", dpdkTest.map(x -> x.line()).orElse("not run: " + dpdkNote));
            dpdkTest.ifPresent(x -> row(out, "how", dpdkNote));

            section(out, "Real-time scheduling");
            row(out, "permitted", realtime.permitted().map(p -> p ? "yes: " : "no: ").orElse("unknown: ") + realtime.reason());
            realtime.fix().ifPresent(f -> row(out, "fix", f));

            section(out, "CPU topology");
            if (topology.isEmpty()) {
                row(out, "unknown", topologyProblem == null ? "" : topologyProblem);
            } else {
                CpuTopology t = topology.get();
                row(out, "cores", t.cores().size() + " physical, " + (t.hasSmt() ? "SMT" : "no SMT") + ", "
                        + t.nodes().size() + " NUMA node" + (t.nodes().size() == 1 ? "" : "s"));
                row(out, "isolated CPUs", t.isolated().isEmpty() ? "none (isolcpus= on the kernel command line)" : t.isolated().toString());
                row(out, "nohz_full CPUs", t.nohzFull().isEmpty() ? "none" : t.nohzFull().toString());
                row(out, "core types", t.isHybrid() ? "hybrid: performance " + t.performanceCpus() + ", efficiency "
                        + t.efficiencyCpus() : "uniform");
                row(out, "reservations", reservations.isEmpty() ? "none held" : reservations.size() + " held (nautilus cpu shows them)");
            }
        }

        private static void section(PrintWriter out, String title) {
            out.println();
            out.println(title);
        }

        private static void row(PrintWriter out, String label, String value) {
            out.println("  " + pad(label, LABEL) + "  " + value);
        }

        private static String pad(String s, int width) {
            return s.length() >= width ? s : s + " ".repeat(width - s.length());
        }
    }
}
