package dev.nautilus.accel.dpdk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Child JVM for {@link EalProcessTest}: one EAL scenario per process, printing what happened.
 * {@code unknown-vdev}: init with a vdev no driver has; {@code cleanup}: init, close, init again;
 * {@code small-mbufs}: a message transport over mbufs too small for full-size frames.
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
            case "small-mbufs" -> {
                // a transport on a port whose pool has room for frames of 300 bytes: longer payloads are refused
                // before anything is written (an mbuf's neighbour in the pool stays intact), shorter ones go through
                Eal eal = Eal.init(EalOptions.virtualDevices("net_ring0"));
                eal.registerCurrentThread();
                Mempool tiny = Mempool.create(eal, "tiny", 255, 0, 128 + 59);
                Mempool small = Mempool.create(eal, "small", 255, 0, 128 + 300);
                EthPort port = EthPort.byName(eal, "net_ring0");
                port.startSingleQueue(small, 64);
                try {
                    DpdkMessageTransport.open(port, tiny, 1);
                    System.out.println("UNEXPECTED: opened on tiny mbufs");
                } catch (IllegalArgumentException e) {
                    System.out.println("tiny: " + e.getMessage());
                }
                int inUse = small.inUse();
                try (DpdkMessageTransport t = DpdkMessageTransport.open(port, small, 1)) {
                    MemorySegment payload = MemorySegment.ofArray(new byte[1000]);
                    try {
                        t.offer(1, TransportFrame.PRIORITY_NORMAL, 1, payload, 0, 261);
                        System.out.println("UNEXPECTED: 261 bytes offered");
                    } catch (IllegalArgumentException e) {
                        System.out.println("long: " + e.getMessage());
                    }
                    System.out.println("pending " + t.pending());
                    payload.set(ValueLayout.JAVA_BYTE, 259, (byte) 7);
                    System.out.println("offered 260: " + t.offer(1, TransportFrame.PRIORITY_NORMAL, 1, payload, 0, 260));
                    t.flush();
                    int[] got = {-1, -1};
                    for (int i = 0; i < 1000 && got[0] < 0; i++) {
                        t.poll((source, priority, type, buf, off, len) -> {
                            got[0] = len;
                            got[1] = buf.get(ValueLayout.JAVA_BYTE, off + 259);
                        });
                    }
                    System.out.println("received " + got[0] + " bytes, last " + got[1]);
                }
                System.out.println("in use after close " + (small.inUse() - inUse));
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
