package dev.nautilus.accel.dpdk;


/**
 * Child JVM for {@link DpdkTransportProcessTest}: a memif client (id 1) on the parent's socket,
 * engine 2, echoing every message back to its source until COUNT were echoed. Prints
 * {@code ready} once its link is up and {@code done N} at the end; gives up after 60 s.
 * Arguments: SOCKET COUNT.
 */
public final class TransportEchoChild {
    private TransportEchoChild() {}

    public static void main(String[] args) throws InterruptedException {
        String socket = args[0];
        long count = Long.parseLong(args[1]);
        Eal eal = Eal.init(EalOptions.virtualDevices("net_memif0,role=client,id=1,socket=" + socket)
                .withFilePrefix("na-echo-" + ProcessHandle.current().pid()));
        eal.registerCurrentThread();
        Mempool pool = Mempool.create(eal, "echo", 4095);
        EthPort port = EthPort.byName(eal, "net_memif0");
        port.startSingleQueue(pool, 1024);
        long deadline = System.nanoTime() + 60_000_000_000L;
        if (!port.awaitLinkUp(java.time.Duration.ofSeconds(60))) {
            System.out.println("no link");
            System.exit(1);
        }
        System.out.println("ready");
        System.out.flush();
        long[] echoed = {0};
        try (DpdkMessageTransport t = DpdkMessageTransport.open(port, pool, 2)) {
            while (echoed[0] < count && System.nanoTime() < deadline) {
                t.poll((source, priority, type, buf, off, len) -> {
                    while (!t.offer(source, priority, type, buf, off, len)) {
                        t.flush();
                    }
                    echoed[0]++;
                });
                t.flush();
            }
            while (t.pending() > 0 && System.nanoTime() < deadline) {
                t.flush();
            }
            System.out.println("done " + echoed[0] + " lost " + t.lost());
        }
        eal.close();
        System.exit(echoed[0] == count ? 0 : 1);
    }
}
