package dev.nautilus.accel.cli;

import dev.nautilus.accel.affinity.Affinity;
import dev.nautilus.accel.affinity.AffinityException;
import dev.nautilus.accel.affinity.CpuSet;
import dev.nautilus.accel.affinity.RealtimeScheduling;
import dev.nautilus.accel.affinity.SchedulingPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nautilus affinity}: show where threads may run, or run a command pinned (taskset + chrt). */
@Command(name = "affinity", description = "Show threads' CPU affinity and scheduling, or run a command pinned.",
        subcommands = {AffinityCommand.Show.class, AffinityCommand.Run.class})
public final class AffinityCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Creates the command (picocli does). */
    public AffinityCommand() {}

    /**
     * @return never returns normally
     * @throws ParameterException always: a subcommand is needed
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no affinity command given; choose one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** {@code nautilus affinity show PID|TID}. */
    @Command(name = "show", description = {
        "Show each thread of a process (or one thread): allowed CPUs, last CPU, policy, priority, nice.",
        "Reads /proc/PID/task; the scheduling comes from sched_getscheduler."})
    public static final class Show implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "PID|TID", description = "A process id (all its threads) or a thread id.")
        private long id;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        private boolean json;

        /** Creates the command (picocli does). */
        public Show() {}

        /**
         * @return {@value Nautilus#OK}, or {@value Nautilus#FAILURE} when there is no such process
         */
        @Override
        public Integer call() throws IOException {
            Affinity.ensureAvailable();
            if (id <= 0) {
                throw new IllegalArgumentException("invalid id " + id + ": give a process or thread id > 0");
            }
            Path proc = Path.of("/proc", Long.toString(id));
            if (!Files.isDirectory(proc)) {
                throw new CommandFailedException("no process or thread " + id + " (ps -eLf lists them)");
            }
            List<Long> tids = new ArrayList<>();
            String tgid = status(proc, "Tgid");
            if (Long.toString(id).equals(tgid)) {
                try (Stream<Path> s = Files.list(proc.resolve("task"))) {
                    s.map(p -> Long.parseLong(p.getFileName().toString())).sorted().forEach(tids::add);
                }
            } else {
                tids.add(id);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (long tid : tids) {
                Path task = proc.resolve("task").resolve(Long.toString(tid));
                if (!Files.isDirectory(task)) {
                    task = proc; // a thread id given directly: /proc/TID is its task
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("tid", tid);
                row.put("name", read(task.resolve("comm")));
                try {
                    row.put("cpus", Affinity.affinityOf(tid).toString());
                    RealtimeScheduling.Scheduling sch = RealtimeScheduling.get(tid);
                    row.put("policy", sch.policy().name());
                    row.put("priority", sch.priority());
                    row.put("nice", RealtimeScheduling.nice(tid));
                } catch (AffinityException e) {
                    continue; // the thread exited meanwhile
                }
                row.put("lastCpu", lastCpu(task));
                rows.add(row);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("pid", tgid == null ? null : Long.parseLong(tgid));
                doc.put("threads", rows);
                out.println(Json.write(doc));
            } else {
                out.println("process " + tgid + " (" + read(proc.resolve("comm")) + "), " + rows.size() + " thread"
                        + (rows.size() == 1 ? "" : "s") + ", online CPUs " + Affinity.onlineCpus());
                Table t = new Table("TID", "NAME", "CPUS", "LAST", "POLICY", "PRIO", "NICE")
                        .alignRight(0).alignRight(3).alignRight(5).alignRight(6);
                for (Map<String, Object> r : rows) {
                    t.add(String.valueOf(r.get("tid")), String.valueOf(r.get("name")), String.valueOf(r.get("cpus")),
                            String.valueOf(r.get("lastCpu")), String.valueOf(r.get("policy")),
                            String.valueOf(r.get("priority")), String.valueOf(r.get("nice")));
                }
                t.print(out);
            }
            out.flush();
            return Nautilus.OK;
        }

        private static String status(Path proc, String key) throws IOException {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith(key + ":")) {
                    return line.substring(key.length() + 1).strip();
                }
            }
            return null;
        }

        private static String read(Path p) {
            try {
                return Files.readString(p).strip();
            } catch (IOException e) {
                return "?";
            }
        }

        private static int lastCpu(Path task) {
            String stat = read(task.resolve("stat"));
            int close = stat.lastIndexOf(')');
            if (close < 0) {
                return -1;
            }
            String[] f = stat.substring(close + 2).split(" ");
            return f.length > 36 ? Integer.parseInt(f[36]) : -1; // field 39: processor
        }
    }

    /** {@code nautilus affinity run --cpus LIST [--fifo N|--rr N] [--nice N] [--mlock] -- COMMAND ARGS...}. */
    @Command(name = "run", description = {
        "Run a command pinned to CPUs, optionally with real-time scheduling (like taskset and chrt together).",
        "This process is replaced by the command (exec), so the command's exit code is the result.",
        "--mlock raises RLIMIT_MEMLOCK to unlimited for the command: memory locks do not survive exec, so",
        "the command must call mlockall itself (Affinity.lockAllMemory in Java)."})
    public static final class Run implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--cpus", required = true, paramLabel = "LIST", description = "CPUs, e.g. 2-3,6.")
        private String cpus;

        @Option(names = "--fifo", paramLabel = "PRIO", description = "SCHED_FIFO with this priority (1..99).")
        private Integer fifo;

        @Option(names = "--rr", paramLabel = "PRIO", description = "SCHED_RR with this priority (1..99).")
        private Integer rr;

        @Option(names = "--nice", paramLabel = "N", description = "Nice value -20..19 (SCHED_OTHER).")
        private Integer nice;

        @Option(names = "--mlock", description = "Allow the command to lock all its memory (RLIMIT_MEMLOCK unlimited).")
        private boolean mlock;

        @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments (after --).")
        private List<String> command = new ArrayList<>();

        /** Creates the command (picocli does). */
        public Run() {}

        /**
         * Pins, sets the scheduling, then replaces this process with the command.
         *
         * @return only on failure: {@value Nautilus#FAILURE}
         */
        @Override
        public Integer call() {
            Affinity.ensureAvailable();
            if (fifo != null && rr != null) {
                throw new IllegalArgumentException("--fifo and --rr exclude each other: choose one policy");
            }
            if ((fifo != null || rr != null) && nice != null) {
                throw new IllegalArgumentException("--nice applies to SCHED_OTHER only: drop it with --fifo or --rr");
            }
            CpuSet set = CpuSet.parse(cpus);
            Affinity.pinCurrentThread(set);
            if (fifo != null) {
                RealtimeScheduling.setCurrentThread(SchedulingPolicy.FIFO, fifo);
            } else if (rr != null) {
                RealtimeScheduling.setCurrentThread(SchedulingPolicy.RR, rr);
            } else if (nice != null) {
                RealtimeScheduling.setNice(0, nice);
            }
            if (mlock) {
                Affinity.allowUnlimitedMemoryLock();
            }
            spec.commandLine().getOut().flush();
            Affinity.exec(command);
            return Nautilus.FAILURE; // not reached: exec returns only by throwing
        }
    }
}
