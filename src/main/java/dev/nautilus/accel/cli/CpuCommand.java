package dev.nautilus.accel.cli;

import dev.nautilus.accel.affinity.CpuCache;
import dev.nautilus.accel.affinity.CpuReservation;
import dev.nautilus.accel.affinity.CpuTopology;
import dev.nautilus.accel.affinity.LogicalCpu;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nautilus cpu}: the CPU topology (from /sys and /proc) with current reservations. Needs no
 * native code.
 */
@Command(name = "cpu", description = {
    "Show the CPU topology: each CPU's core, package, NUMA node, SMT siblings, caches, isolation, core type,"
            + " and who holds a reservation on it (CpuReservation)."})
public final class CpuCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    private boolean json;

    @Option(names = "--root", paramLabel = "DIR", hidden = true,
            description = "Read a captured /sys and /proc under DIR instead of the live ones (for tests).")
    private Path root;

    @Option(names = "--lock-dir", paramLabel = "DIR",
            description = "Reservation lock directory (default: the one CpuReservation uses).")
    private Path lockDir;

    /** Creates the command (picocli does). */
    public CpuCommand() {}

    /** @return {@value Nautilus#OK} */
    @Override
    public Integer call() {
        CpuTopology t = root == null ? CpuTopology.read() : CpuTopology.read(root);
        Map<Integer, CpuReservation.Holder> held = new HashMap<>();
        for (CpuReservation.Holder h : lockDir == null ? CpuReservation.holders() : CpuReservation.holders(lockDir)) {
            held.put(h.cpu(), h);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(toJson(t, held)));
        } else {
            out.print(t.describe());
            out.println();
            Table table = new Table("CPU", "CORE", "PKG", "NODE", "SIBLINGS", "L1D", "L1I", "L2", "L3", "ISOLATED", "TYPE",
                    "RESERVED BY").alignRight(0).alignRight(1).alignRight(2).alignRight(3);
            for (LogicalCpu c : t.logicalCpus()) {
                table.add(Integer.toString(c.id()), num(c.coreId()), num(c.packageId()), num(c.node()),
                        c.siblings().isEmpty() ? "?" : c.siblings().toString(),
                        cache(c, 1, CpuCache.Type.DATA), cache(c, 1, CpuCache.Type.INSTRUCTION), cache(c, 2, null), cache(c, 3, null),
                        t.isolated().contains(c.id()) ? "yes" : "-", c.coreType().name().toLowerCase(java.util.Locale.ROOT),
                        holder(held.get(c.id())));
            }
            table.print(out);
        }
        out.flush();
        return Nautilus.OK;
    }

    private static String num(int v) {
        return v == LogicalCpu.UNKNOWN ? "?" : Integer.toString(v);
    }

    private static String cache(LogicalCpu c, int level, CpuCache.Type type) {
        for (CpuCache k : c.caches()) {
            boolean match = type == null ? k.type() != CpuCache.Type.INSTRUCTION : k.type() == type;
            if (k.level() == level && match) {
                return Sizes.human(k.sizeBytes()) + (k.sharedCpus().size() > 1 ? " /" + k.sharedCpus() : "");
            }
        }
        return "?";
    }

    private static String holder(CpuReservation.Holder h) {
        if (h == null) {
            return "-";
        }
        return "pid " + h.pid() + (h.tid() > 0 ? " tid " + h.tid() : "") + (h.threadName() == null || h.threadName().isEmpty()
                ? "" : " (" + h.threadName() + ")");
    }

    private static Map<String, Object> toJson(CpuTopology t, Map<Integer, CpuReservation.Holder> held) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", t.modelName().orElse(null));
        doc.put("online", t.cpus().toString());
        doc.put("possible", t.possibleCpus().toString());
        doc.put("isolated", t.isolated().toString());
        doc.put("nohzFull", t.nohzFull().toString());
        doc.put("hybrid", t.isHybrid());
        doc.put("smt", t.hasSmt());
        List<Object> cpus = new ArrayList<>();
        for (LogicalCpu c : t.logicalCpus()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cpu", c.id());
            m.put("core", c.coreId());
            m.put("package", c.packageId());
            m.put("node", c.node());
            m.put("siblings", c.siblings().toString());
            m.put("type", c.coreType().name().toLowerCase(java.util.Locale.ROOT));
            m.put("isolated", t.isolated().contains(c.id()));
            List<Object> caches = new ArrayList<>();
            for (CpuCache k : c.caches()) {
                Map<String, Object> km = new LinkedHashMap<>();
                km.put("level", k.level());
                km.put("type", k.type().name().toLowerCase(java.util.Locale.ROOT));
                km.put("size", k.sizeBytes());
                km.put("sharedWith", k.sharedCpus().toString());
                caches.add(km);
            }
            m.put("caches", caches);
            CpuReservation.Holder h = held.get(c.id());
            if (h != null) {
                Map<String, Object> hm = new LinkedHashMap<>();
                hm.put("pid", h.pid());
                hm.put("tid", h.tid());
                hm.put("thread", h.threadName());
                m.put("reservedBy", hm);
            } else {
                m.put("reservedBy", null);
            }
            cpus.add(m);
        }
        doc.put("cpus", cpus);
        return doc;
    }
}
