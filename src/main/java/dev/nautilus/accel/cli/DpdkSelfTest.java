package dev.nautilus.accel.cli;

import dev.nautilus.accel.dpdk.Eal;
import dev.nautilus.accel.dpdk.EalOptions;
import dev.nautilus.accel.dpdk.EthPort;
import dev.nautilus.accel.dpdk.Mempool;
import dev.nautilus.accel.dpdk.PacketBatch;
import dev.nautilus.accel.dpdk.RxQueue;
import dev.nautilus.accel.dpdk.TxQueue;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The DPDK check of {@code nautilus doctor}: in a child JVM (EAL runs once per process, and
 * never again after cleanup), loop 128 packets through a {@code net_ring0} vdev without
 * hugepages and check every payload. {@link #main} prints one line and exits 0 when it passed.
 */
public final class DpdkSelfTest {
    static final String VDEV = "net_ring0";
    private static final int PACKETS = 128;

    private DpdkSelfTest() {}

    /**
     * Runs the loop (started by {@link #runInChild}).
     *
     * @param args none
     */
    public static void main(String[] args) {
        try {
            System.out.println(run());
            System.exit(0);
        } catch (RuntimeException | AssertionError e) {
            System.out.println("failed: " + e.getMessage());
            System.exit(1);
        }
    }

    private static String run() {
        Eal eal = Eal.init(EalOptions.virtualDevices(VDEV));
        eal.registerCurrentThread();
        Mempool pool = Mempool.create(eal, "na-selftest", 1023);
        EthPort port = EthPort.byName(eal, VDEV);
        port.startSingleQueue(pool, 256);
        RxQueue rx = port.rxQueue(0);
        TxQueue tx = port.txQueue(0);
        long expect = 0;
        try (PacketBatch out = PacketBatch.of(pool, 32); PacketBatch in = PacketBatch.of(pool, 32)) {
            for (int b = 0; b < PACKETS / 32; b++) {
                if (!out.allocate(32)) {
                    throw new IllegalStateException("the mempool had no 32 free mbufs");
                }
                for (int i = 0; i < 32; i++) {
                    out.memory().set(ValueLayout.JAVA_LONG_UNALIGNED, out.offset(i), b * 32L + i);
                    out.setLength(i, 64);
                }
                while (!out.isEmpty()) {
                    tx.send(out);
                }
                for (int spins = 0; expect < (b + 1) * 32L && spins < 1_000_000; spins++) {
                    rx.receive(in);
                    for (int i = 0; i < in.size(); i++) {
                        long got = in.memory().get(ValueLayout.JAVA_LONG_UNALIGNED, in.offset(i));
                        if (got != expect || in.length(i) != 64) {
                            throw new IllegalStateException("packet " + expect + " came back as " + got + " (" + in.length(i) + " B)");
                        }
                        expect++;
                    }
                    in.free();
                }
            }
        }
        if (expect != PACKETS) {
            throw new IllegalStateException("only " + expect + " of " + PACKETS + " packets came back");
        }
        String driver = port.info().driver();
        port.close();
        int inUse = pool.inUse();
        pool.close();
        return "ok: " + PACKETS + " packets looped through " + VDEV + " (" + driver + "), payloads intact, "
                + inUse + " mbufs left in use";
    }

    /**
     * Runs {@link #main} in a child JVM.
     *
     * @param timeoutSeconds longest wait
     * @return the child's line ("ok: ..." or "failed: ..."), and whether it passed
     */
    static Result runInChild(long timeoutSeconds) {
        List<String> cmd = JavaCommand.of(List.of(), DpdkSelfTest.class, List.of());
        Process p = null;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            Process proc = p;
            StringBuilder text = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    text.append(new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the child died
                }
            }, "dpdk-selftest-output");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(false, "failed: no answer within " + timeoutSeconds + " s");
            }
            reader.join(5000);
            String last = "";
            for (String line : text.toString().split("\n")) {
                if (line.startsWith("ok: ") || line.startsWith("failed: ")) {
                    last = line;
                }
            }
            if (last.isEmpty()) {
                String all = text.toString().strip();
                last = "failed: exit " + p.exitValue() + (all.isEmpty() ? "" : ": " + all.lines().reduce((a, b) -> b).orElse(""));
            }
            return new Result(p.exitValue() == 0 && last.startsWith("ok: "), last);
        } catch (IOException e) {
            return new Result(false, "failed: cannot start a child JVM: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "failed: interrupted");
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }

    /**
     * @param passed whether every packet came back intact
     * @param line what the child said
     */
    record Result(boolean passed, String line) {}
}
