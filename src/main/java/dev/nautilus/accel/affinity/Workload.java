package dev.nautilus.accel.affinity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a thread does, which decides where a {@link PinnedThreadFactory} puts it.
 */
public enum Workload {
    /**
     * A hot path (market data, order entry): the thread gets a whole physical core of its own, an
     * isolated or a performance core, reserved across processes for as long as it runs, with no
     * busy SMT sibling (every sibling of the core is reserved with it and left idle). It is pinned
     * to the core's first CPU. Isolated cores come first (nohz_full ones before others), then
     * performance cores; efficiency cores are never used unless isolated.
     */
    LATENCY_CRITICAL,
    /**
     * Housekeeping, logging, persistence: no reservation. The thread is pinned, shared with other
     * background threads, to CPUs nobody has reserved: the efficiency cores' free CPUs on a hybrid
     * machine, else the free CPUs whose core has no reserved CPU, else any free CPU; never isolated
     * CPUs (unless every CPU is isolated). Where it is pinned is decided when the thread starts;
     * later reservations by others do not move it.
     */
    BACKGROUND;

    /** The reservation request of a LATENCY_CRITICAL thread. */
    static CpuReservation.Request latencyRequest(CpuTopology topology, Path lockDirectory) {
        return CpuReservation.request(topology).strategy(ReservationStrategy.PREFER_ISOLATED).wholeCores()
                .restrictTo(topology.isolated().union(topology.performanceCpus())).lockDirectory(lockDirectory);
    }

    /**
     * The CPUs a BACKGROUND thread may run on now.
     *
     * @throws CpuReservationException when every candidate CPU is reserved, naming the holders
     */
    static CpuSet backgroundCpus(CpuTopology topology, List<CpuReservation.Holder> holders) {
        CpuSet held = CpuSet.EMPTY;
        for (CpuReservation.Holder h : holders) {
            held = held.union(CpuSet.of(h.cpu()));
        }
        CpuSet base = topology.cpus().minus(topology.isolated());
        if (base.isEmpty()) {
            base = topology.cpus();
        }
        CpuSet free = base.minus(held);
        if (free.isEmpty()) {
            List<CpuReservation.Holder> in = new ArrayList<>();
            for (CpuReservation.Holder h : holders) {
                if (base.contains(h.cpu())) {
                    in.add(h);
                }
            }
            throw new CpuReservationException("no CPU left for BACKGROUND threads: every online CPU"
                    + (topology.isolated().isEmpty() ? "" : " outside the isolated ones (" + topology.isolated() + ")") + " is reserved: "
                    + String.join(", ", in.stream().map(h -> "CPU " + h.cpu() + " by " + h.who()).toList())
                    + ". Close a reservation or run this work on an unpinned thread", in);
        }
        CpuSet efficient = topology.efficiencyCpus().intersect(free);
        if (!efficient.isEmpty()) {
            return efficient;
        }
        CpuSet idleCores = CpuSet.EMPTY;
        for (int c : free.toArray()) {
            if (topology.siblingsOf(c).intersect(held).isEmpty()) {
                idleCores = idleCores.union(CpuSet.of(c));
            }
        }
        return idleCores.isEmpty() ? free : idleCores;
    }
}
