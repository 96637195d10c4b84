package dev.nautilus.accel.cli;

import dev.nautilus.accel.affinity.Affinity;
import dev.nautilus.accel.affinity.CpuSet;
import dev.nautilus.accel.dpdk.DpdkMessageTransport;
import dev.nautilus.accel.dpdk.Eal;
import dev.nautilus.accel.dpdk.EalOptions;
import dev.nautilus.accel.dpdk.EthPort;
import dev.nautilus.accel.dpdk.Mempool;
import dev.nautilus.accel.dpdk.TransportHandler;

/**
 * The echo side of {@code nautilus bench transport}, in its own JVM (EAL runs once per process):
 * a memif client on the parent's socket, engine 2, echoing every message back to its source.
 * Prints {@code ready} when its link is up. After COUNT echoes it receives ONE_WAY_WARMUP + ONE_WAY
 * messages without answering and prints {@code sink N NANOS lost L}: N = ONE_WAY messages, timed
 * from the arrival of the first one after the warm-up to the arrival of the last (the warm-up
 * lets the JIT compile the receive path before the clock starts).
 * Exits when done, when the parent's messages stop for 10 s, or when the parent is gone.
 * Arguments: SOCKET COUNT CPU (-1: not pinned) PARENT_PID [ONE_WAY [MEMIF_ID [ONE_WAY_WARMUP]]]
 * (defaults 0; the DPDK tests use it as their echo process, on a memif interface id of their own).
 */
public final class TransportBenchChild {
    private TransportBenchChild() {}

    /**
     * @param args SOCKET COUNT CPU PARENT_PID [ONE_WAY [MEMIF_ID [ONE_WAY_WARMUP [POLL_SPINS]]]]
     */
    public static void main(String[] args) throws InterruptedException {
        String socket = args[0];
        long count = Long.parseLong(args[1]);
        int cpu = Integer.parseInt(args[2]);
        ProcessHandle parent = ProcessHandle.of(Long.parseLong(args[3])).orElse(null);
        long oneWay = args.length > 4 ? Long.parseLong(args[4]) : 0;
        int memifId = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        long oneWayWarmup = args.length > 6 ? Long.parseLong(args[6]) : 0;
        int pollSpins = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        Eal eal = Eal.init(memifOptions("client", socket, cpu, memifId));
        EthPort port = EthPort.byName(eal, "net_memif0");
        Mempool pool = start(eal, cpu, "pong", port);
        if (!port.awaitLinkUp(java.time.Duration.ofSeconds(30))) {
            System.out.println("failed: the memif link to " + socket + " did not come up in 30 s");
            System.exit(1);
        }
        System.out.println("ready");
        System.out.flush();
        long[] echoed = {0};
        try (DpdkMessageTransport t = DpdkMessageTransport.open(port, pool, 2)) {
            long lastProgress = System.nanoTime();
            long seen = 0;
            // one handler for the whole run: a lambda made inside the loop would be allocated on every poll
            TransportHandler echo = (source, priority, type, buf, off, len) -> {
                while (!t.offer(source, priority, type, buf, off, len)) {
                    t.flush();
                }
                echoed[0]++;
            };
            for (long spins = 0; echoed[0] < count; spins++) {
                t.poll(echo, pollSpins);
                if (t.pending() > 0) {
                    t.flush();
                }
                if ((spins & 0xFFFF) == 0) {
                    long now = System.nanoTime();
                    if (echoed[0] != seen) {
                        seen = echoed[0];
                        lastProgress = now;
                    } else if (now - lastProgress > 10_000_000_000L || (parent != null && !parent.isAlive())) {
                        System.out.println("failed: no message for 10 s (or the parent is gone) after " + echoed[0]);
                        System.exit(1);
                    }
                }
            }
            while (t.pending() > 0) {
                t.flush();
            }
            System.out.println("done " + echoed[0] + " lost " + t.lost());
            System.out.flush();
            if (oneWay > 0) {
                sink(t, oneWayWarmup, oneWay, parent);
            }
        }
        System.exit(0);
    }

    /**
     * Registers this thread with EAL, pins it to {@code cpu} (-1: not pinned) and starts the port
     * with one queue pair of 1024 descriptors on a new pool of 8191 mbufs.
     *
     * @return the pool
     */
    static Mempool start(Eal eal, int cpu, String poolName, EthPort port) {
        eal.registerCurrentThread();
        if (cpu >= 0) {
            Affinity.pinCurrentThread(CpuSet.of(cpu));
        }
        Mempool pool = Mempool.create(eal, poolName, 8191);
        port.startSingleQueue(pool, 1024);
        return pool;
    }

    /**
     * @param role {@code server} (the measuring process, it owns the socket) or {@code client}
     * @param socket the memif control socket
     * @param cpu EAL's lcore, or -1 for EAL's default
     * @param id the memif interface id (a server socket can hold several)
     * @return EAL options for one side of the benchmark's memif pair, with a file prefix of its own
     */
    static EalOptions memifOptions(String role, String socket, int cpu, int id) {
        EalOptions o = EalOptions.virtualDevices("net_memif0,role=" + role + ",id=" + id + ",socket=" + socket)
                .withFilePrefix("na-tp-" + role + "-" + ProcessHandle.current().pid());
        return cpu >= 0 ? o.withCores(String.valueOf(cpu)) : o;
    }

    /**
     * Receives {@code warmup + n} messages without answering; prints how long the last {@code n}
     * took, from the first of them to the last.
     */
    private static void sink(DpdkMessageTransport t, long warmup, long n, ProcessHandle parent) {
        long total = warmup + n;
        long[] state = new long[3]; // received, arrival of message number `warmup` (0-based), last arrival
        long lastProgress = System.nanoTime();
        long seen = 0;
        TransportHandler count = (source, priority, type, buf, off, len) -> {
            long now = System.nanoTime();
            if (state[0]++ == warmup) {
                state[1] = now;
            }
            state[2] = now;
        };
        for (long spins = 0; state[0] < total; spins++) {
            t.poll(count); // no wait in C: frames come in larger bursts (8.5 against 5.6 M/s with 256 spins, 03:15 UTC)
            if ((spins & 0xFFFF) == 0) {
                long now = System.nanoTime();
                if (state[0] != seen) {
                    seen = state[0];
                    lastProgress = now;
                } else if (now - lastProgress > 10_000_000_000L || (parent != null && !parent.isAlive())) {
                    System.out.println("failed: one-way messages stopped after " + state[0] + " (lost " + t.lost() + ")");
                    System.exit(1);
                }
            }
        }
        System.out.println("sink " + (state[0] - warmup) + " " + (state[2] - state[1]) + " lost " + t.lost());
        System.out.flush();
    }
}
