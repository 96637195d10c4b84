package dev.nautilus.accel.cli;

import dev.nautilus.accel.dpdk.Eal;
import dev.nautilus.accel.dpdk.EalOptions;
import dev.nautilus.accel.dpdk.EthPort;
import dev.nautilus.accel.dpdk.PortInfo;
import dev.nautilus.accel.dpdk.PortStats;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nautilus dpdk}: DPDK ports of this machine. */
@Command(name = "dpdk", description = "DPDK ports (needs the dpdk module: see 'nautilus doctor').",
        subcommands = {DpdkCommand.Ports.class})
public final class DpdkCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Creates the command (picocli does). */
    public DpdkCommand() {}

    /**
     * @return never returns normally
     * @throws ParameterException always: a subcommand is needed
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no dpdk command given; choose one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** {@code nautilus dpdk ports [-- EAL ARGS]}. */
    @Command(name = "ports", sortOptions = false, description = {
        "Initialise EAL with the arguments after -- and list its ports: driver, MAC, link, queues, offloads, counters.",
        "Without EAL arguments: --no-huge --no-pci --no-shconf -m 256 --vdev=net_ring0 (a loopback test port).",
        "Example: nautilus dpdk ports -- -a 0000:3b:00.0"})
    public static final class Ports implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--json", description = "Print one JSON object.")
        private boolean json;

        @Parameters(paramLabel = "EAL_ARGS", arity = "0..*", description = "EAL arguments (after --).")
        private List<String> ealArgs = new ArrayList<>();

        /** Creates the command (picocli does). */
        public Ports() {}

        @Override
        public Integer call() {
            Eal eal = DpdkSupport.init(ealArgs, EalOptions.virtualDevices("net_ring0"));
            List<EthPort> ports = EthPort.list(eal);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Object> rows = new ArrayList<>();
                for (EthPort p : ports) {
                    rows.add(toJson(p.info(), p.stats()));
                }
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("dpdk", dev.nautilus.accel.dpdk.Dpdk.version());
                doc.put("eal", eal.options().toArgs());
                doc.put("ports", rows);
                out.println(Json.write(doc));
            } else {
                out.println(dev.nautilus.accel.dpdk.Dpdk.version() + ", EAL " + eal.options());
                if (ports.isEmpty()) {
                    out.println("no ports: give EAL a device (-a PCI_ADDRESS, bound to vfio-pci) or a vdev (--vdev=net_ring0)");
                } else {
                    Table t = new Table("ID", "NAME", "DRIVER", "MAC", "LINK", "MBIT/S", "RXQ", "TXQ", "RX OFFLOADS",
                            "TX OFFLOADS", "RX PKTS", "TX PKTS");
                    for (EthPort p : ports) {
                        PortInfo i = p.info();
                        PortStats s = p.stats();
                        t.add(Integer.toString(i.id()), i.name(), i.driver(), i.mac().toString(), i.linkUp() ? "up" : "down",
                                Integer.toString(i.linkSpeedMbps()), i.rxQueues() + "/" + i.maxRxQueues(),
                                i.txQueues() + "/" + i.maxTxQueues(), i.rxOffloadNames(), i.txOffloadNames(),
                                Long.toString(s.rxPackets()), Long.toString(s.txPackets()));
                    }
                    t.print(out);
                }
            }
            out.flush();
            return Nautilus.OK;
        }

        static Map<String, Object> toJson(PortInfo i, PortStats s) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id());
            m.put("name", i.name());
            m.put("driver", i.driver());
            m.put("mac", i.mac().toString());
            m.put("socket", i.socketId());
            m.put("linkUp", i.linkUp());
            m.put("linkSpeedMbps", i.linkSpeedMbps());
            m.put("fullDuplex", i.fullDuplex());
            m.put("rxQueues", i.rxQueues());
            m.put("txQueues", i.txQueues());
            m.put("maxRxQueues", i.maxRxQueues());
            m.put("maxTxQueues", i.maxTxQueues());
            m.put("rxDescriptors", List.of(i.rxDescriptorsMin(), i.rxDescriptorsMax(), i.rxDescriptorsAlign()));
            m.put("txDescriptors", List.of(i.txDescriptorsMin(), i.txDescriptorsMax(), i.txDescriptorsAlign()));
            m.put("rxOffloads", i.rxOffloadNames());
            m.put("txOffloads", i.txOffloadNames());
            m.put("mtu", i.mtu());
            m.put("promiscuous", i.promiscuous());
            m.put("started", i.started());
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("rxPackets", s.rxPackets());
            st.put("txPackets", s.txPackets());
            st.put("rxBytes", s.rxBytes());
            st.put("txBytes", s.txBytes());
            st.put("rxMissed", s.rxMissed());
            st.put("rxErrors", s.rxErrors());
            st.put("txErrors", s.txErrors());
            st.put("rxNoMbuf", s.rxNoMbuf());
            m.put("stats", st);
            return m;
        }
    }
}
