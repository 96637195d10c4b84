package dev.nautilus.accel.dpdk;

/**
 * Child JVM for {@link EalProcessTest}: one EAL scenario per process, printing what happened.
 * {@code unknown-vdev}: init with a vdev no driver has; {@code cleanup}: init, close, init again.
 */
public final class EalChild {
    private EalChild() {}

    public static void main(String[] args) {
        switch (args[0]) {
            case "unknown-vdev" -> {
                try {
                    Eal.init(EalOptions.virtualDevices("net_nosuchdriver0"));
                    System.out.println("UNEXPECTED: init succeeded");
                } catch (DpdkException e) {
                    System.out.println("DpdkException: " + e.getMessage());
                }
            }
            case "cleanup" -> {
                Eal eal = Eal.init(EalOptions.virtualDevices("net_ring0"));
                Mempool pool = Mempool.create(eal, "child", 255, 0, Mempool.DEFAULT_DATA_ROOM);
                EthPort port = EthPort.byName(eal, "net_ring0");
                port.configure(1, 1);
                port.setupRxQueue(0, 64, pool);
                port.setupTxQueue(0, 64);
                port.start();
                eal.close();
                System.out.println("closed: port open " + port.isStarted() + ", pool open " + pool.isOpen());
                try {
                    pool.inUse();
                } catch (IllegalStateException e) {
                    System.out.println("after close: " + e.getMessage());
                }
                try {
                    Eal.init(EalOptions.virtualDevices("net_ring0"));
                } catch (IllegalStateException e) {
                    System.out.println("init again: " + e.getMessage());
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
