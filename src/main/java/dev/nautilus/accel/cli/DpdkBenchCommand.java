package dev.nautilus.accel.cli;

import dev.nautilus.accel.affinity.Affinity;
import dev.nautilus.accel.affinity.CpuSet;
import dev.nautilus.accel.dpdk.Dpdk;
import dev.nautilus.accel.dpdk.Eal;
import dev.nautilus.accel.dpdk.EalOptions;
import dev.nautilus.accel.dpdk.EthPort;
import dev.nautilus.accel.dpdk.Mempool;
import dev.nautilus.accel.dpdk.Packets;
import dev.nautilus.accel.dpdk.RxQueue;
import dev.nautilus.accel.dpdk.TxQueue;
import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.nativeaccess.Version;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nautilus bench dpdk}: packets per second through a loopback port, from Java. */
@Command(name = "dpdk", sortOptions = false, description = {
    "Measure a tx->rx loop on a port whose tx loops back to its rx (net_ring): Mpps and Gbit/s per frame size"
            + " and burst size, with and without touching the data (--touch: build Ethernet/IPv4/UDP headers with"
            + " software checksums before tx, read the payload after rx).",
    "EAL arguments go after --; without them: --no-huge --no-pci --no-shconf -m 256 --vdev=net_ring0 -l 0.",
    "Gbit/s counts frame bytes only (no preamble, inter-frame gap or FCS). Compare with the C program"
            + " native/build/<platform>/na_dpdk_bench (same loop, same shim)."})
public final class DpdkBenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES", defaultValue = "64",
            description = "Frame lengths, comma-separated, 60 to 1514 (default: ${DEFAULT-VALUE}).")
    private List<Integer> sizes = new ArrayList<>();

    @Option(names = "--bursts", split = ",", paramLabel = "N", defaultValue = "32",
            description = "Packets per burst, comma-separated, 1 to 512 (default: ${DEFAULT-VALUE}).")
    private List<Integer> bursts = new ArrayList<>();

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "2",
            description = "Measured time per case (default: ${DEFAULT-VALUE}).")
    private double seconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "1",
            description = "Warm-up per case, not measured (default: ${DEFAULT-VALUE}).")
    private double warmup;

    @Option(names = "--touch", description = "Only the cases that touch packet data (default: both without and with).")
    private boolean touchOnly;

    @Option(names = "--no-touch", description = "Only the cases that do not touch packet data.")
    private boolean noTouch;

    @Option(names = "--port", paramLabel = "NAME", defaultValue = "net_ring0",
            description = "Port (device name) whose tx loops back to its rx (default: ${DEFAULT-VALUE}).")
    private String portName;

    @Option(names = "--cpu", paramLabel = "N", defaultValue = "-1",
            description = "Pin the measuring thread to this CPU (default: not pinned; the C program runs on EAL's first lcore).")
    private int cpu;

    @Option(names = "--json", description = "Print one JSON object; no progress.")
    private boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress line on standard error.")
    private boolean quiet;

    @Parameters(paramLabel = "EAL_ARGS", arity = "0..*", description = "EAL arguments (after --).")
    private List<String> ealArgs = new ArrayList<>();

    /** Creates the command (picocli does). */
    public DpdkBenchCommand() {}

    @Override
    public Integer call() {
        if (!(seconds > 0) || seconds > 3600 || !(warmup >= 0) || warmup > 3600) {
            throw usage("invalid --seconds " + seconds + " or --warmup " + warmup + ": use 0 < seconds <= 3600, 0 <= warmup <= 3600");
        }
        for (int s : sizes) {
            if (s < 60 || s > 1514) {
                throw usage("invalid --sizes value " + s + ": frame lengths are 60 to 1514 bytes (FCS not included)");
            }
        }
        for (int b : bursts) {
            if (b < 1 || b > 512) {
                throw usage("invalid --bursts value " + b + ": bursts are 1 to 512 packets");
            }
        }
        if (touchOnly && noTouch) {
            throw usage("--touch and --no-touch exclude each other");
        }
        int cpus = Runtime.getRuntime().availableProcessors(); // before pinning narrows it to one
        if (cpu >= 0) {
            Affinity.ensureAvailable();
            if (!Affinity.onlineCpus().contains(cpu)) {
                throw usage("invalid --cpu " + cpu + ": online CPUs are " + Affinity.onlineCpus());
            }
        }
        Eal eal = DpdkSupport.init(ealArgs, EalOptions.virtualDevices("net_ring0"));
        eal.registerCurrentThread();
        if (cpu >= 0) {
            Affinity.pinCurrentThread(CpuSet.of(cpu));
        }
        EthPort port = EthPort.byName(eal, portName);
        int maxBurst = bursts.stream().mapToInt(Integer::intValue).max().orElse(32);
        Mempool pool = Mempool.create(eal, "na-bench", Math.max(8191, maxBurst * 8 * 4 - 1));
        port.startSingleQueue(pool, 1024);
        RxQueue rx = port.rxQueue(0);
        TxQueue tx = port.txQueue(0);
        DpdkBench bench = new DpdkBench(pool, rx, tx);
        List<DpdkBench.Result> results = new ArrayList<>();
        BusBench.Progress progress = new BusBench.Progress(json || quiet ? null : spec.commandLine().getErr());
        for (int size : sizes) {
            for (int burst : bursts) {
                for (boolean touch : touchOnly ? new boolean[] {true} : noTouch ? new boolean[] {false} : new boolean[] {false, true}) {
                    DpdkBench.Case c = new DpdkBench.Case(size, burst, touch);
                    progress.start(String.format(Locale.ROOT, "%d B, burst %d%s, ms", size, burst, touch ? ", touch" : ""),
                            (long) (seconds * 1000));
                    results.add(bench.run(c, (long) (warmup * 1e9), (long) (seconds * 1e9), progress));
                    progress.end();
                }
            }
        }
        port.close();
        pool.close();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(toJson(eal, port.name(), results)));
        } else {
            out.println("nautilus bench dpdk: tx->rx loop on " + port.name() + " from one Java thread (lcore "
                    + eal.currentLcore() + (cpu >= 0 ? ", pinned to CPU " + cpu : ", not pinned") + "), " + seconds
                    + " s per case after " + warmup + " s warm-up");
            out.println("EAL      " + eal.options());
            out.println("machine  " + cpus + " CPUs, " + Platform.id() + ", Java "
                    + Runtime.version() + ", " + Dpdk.version());
            Table t = new Table("FRAME B", "BURST", "TOUCH", "MPPS", "GBIT/S", "PACKETS", "SHORT TX", "BAD CSUM");
            for (int i : new int[] {0, 1, 3, 4, 5, 6, 7}) {
                t.alignRight(i);
            }
            for (DpdkBench.Result r : results) {
                t.add(Integer.toString(r.c().size()), Integer.toString(r.c().burst()), r.c().touch() ? "yes" : "no",
                        String.format(Locale.ROOT, "%.2f", r.mpps()), String.format(Locale.ROOT, "%.2f", r.gbps()),
                        Long.toString(r.packets()), Long.toString(r.txShort()),
                        r.c().touch() ? Long.toString(r.badChecksums()) : "-");
            }
            t.print(out);
            out.println("touch: Ethernet/IPv4/UDP headers (" + Packets.UDP_HEADERS_LENGTH
                    + " B) with software IPv4 and UDP checksums before tx (UdpFrameTemplate), both checksums verified after rx");
        }
        out.flush();
        return Nautilus.OK;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private Map<String, Object> toJson(Eal eal, String port, List<DpdkBench.Result> results) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "dpdk-loopback");
        doc.put("version", Version.get());
        doc.put("platform", Platform.id());
        doc.put("java", Runtime.version().toString());
        doc.put("dpdk", Dpdk.version());
        doc.put("eal", eal.options().toArgs());
        doc.put("port", port);
        doc.put("cpu", cpu);
        doc.put("secondsPerCase", seconds);
        List<Object> rows = new ArrayList<>();
        for (DpdkBench.Result r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("size", r.c().size());
            row.put("burst", r.c().burst());
            row.put("touch", r.c().touch());
            row.put("packets", r.packets());
            row.put("seconds", r.nanos() / 1e9);
            row.put("mpps", Math.round(r.mpps() * 1000) / 1000.0);
            row.put("gbps", Math.round(r.gbps() * 1000) / 1000.0);
            row.put("shortTx", r.txShort());
            if (r.c().touch()) {
                row.put("badChecksums", r.badChecksums());
            }
            rows.add(row);
        }
        doc.put("results", rows);
        return doc;
    }
}
