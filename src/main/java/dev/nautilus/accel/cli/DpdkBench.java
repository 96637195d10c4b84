package dev.nautilus.accel.cli;

import dev.nautilus.accel.dpdk.MacAddress;
import dev.nautilus.accel.dpdk.Mempool;
import dev.nautilus.accel.dpdk.PacketBatch;
import dev.nautilus.accel.dpdk.Packets;
import dev.nautilus.accel.dpdk.RxQueue;
import dev.nautilus.accel.dpdk.TxQueue;
import dev.nautilus.accel.dpdk.UdpFrameTemplate;
import java.lang.foreign.MemorySegment;

/**
 * The tx-&gt;rx loop of {@code nautilus bench dpdk}, on a port whose transmit side loops back to
 * its receive side (net_ring): each iteration allocates a burst, optionally builds an
 * Ethernet/IPv4/UDP frame with software checksums in every packet ("touch"), sends it, receives
 * what arrived and (touch) verifies both checksums of each received frame, then frees it. The same loop as the C
 * program {@code na_dpdk_bench}, through the same shim functions.
 */
final class DpdkBench {
    private static final UdpFrameTemplate FLOW = new UdpFrameTemplate(MacAddress.parse("02:00:00:00:00:01"),
            MacAddress.parse("02:00:00:00:00:02"), 0x0A000001, 0x0A000002, 1234, 5678);

    /**
     * One measured case.
     *
     * @param size frame length in bytes (pkt_len, FCS not included)
     * @param burst packets per tx/rx call
     * @param touch whether packet data is written before tx and read after rx
     */
    record Case(int size, int burst, boolean touch) {}

    /**
     * @param c the case
     * @param packets packets received in the measured time
     * @param nanos measured time
     * @param txShort bursts the port took only part of (the rest were freed)
     * @param badChecksums received frames whose IPv4 or UDP checksum did not verify (touch)
     */
    record Result(Case c, long packets, long nanos, long txShort, long badChecksums) {
        double mpps() {
            return packets * 1e3 / nanos;
        }

        /** @return frame bits per second in Gbit/s (no preamble, inter-frame gap or FCS) */
        double gbps() {
            return packets * (double) c.size() * 8 / nanos;
        }
    }

    private final Mempool pool;
    private final RxQueue rx;
    private final TxQueue tx;

    DpdkBench(Mempool pool, RxQueue rx, TxQueue tx) {
        this.pool = pool;
        this.rx = rx;
        this.tx = tx;
    }

    /**
     * Runs a case: warm-up, then the measured time.
     *
     * @param c the case
     * @param warmupNanos not measured (JIT compilation)
     * @param nanos measured
     * @param progress progress line, or null
     * @return the result
     */
    Result run(Case c, long warmupNanos, long nanos, BusBench.Progress progress) {
        try (PacketBatch out = PacketBatch.of(pool, c.burst()); PacketBatch in = PacketBatch.of(pool, c.burst())) {
            loop(c, out, in, warmupNanos, null);
            return loop(c, out, in, nanos, progress);
        }
    }

    private Result loop(Case c, PacketBatch out, PacketBatch in, long nanos, BusBench.Progress progress) {
        int burst = c.burst();
        int size = c.size();
        boolean touch = c.touch();
        int payload = size - Packets.UDP_HEADERS_LENGTH;
        MemorySegment mem = out.memory();
        long received = 0;
        long txShort = 0;
        long bad = 0;
        int id = 0;
        long start = System.nanoTime();
        long end = start + nanos;
        long now = start;
        for (long i = 1; ; i++) {
            if (out.allocate(burst)) {
                if (touch) {
                    writeFrames(mem, out, burst, payload, id);
                    id += burst;
                }
                out.setLengths(size);
                tx.send(out);
                if (!out.isEmpty()) {
                    txShort++;
                    out.free();
                }
            }
            rx.receive(in);
            int n = in.size();
            if (touch) {
                bad += verifyFrames(mem, in, n);
            }
            received += n;
            in.free();
            if ((i & 255) == 0) {
                now = System.nanoTime();
                if (progress != null) {
                    progress.update((now - start) / 1_000_000);
                }
                if (now >= end) {
                    break;
                }
            }
        }
        return new Result(c, received, now - start, txShort, bad);
    }

    /**
     * Builds the headers and checksums of the first {@code n} packets of a batch, identifications
     * from {@code id}. A method of its own (as {@link #verifyFrames}), compiled as such rather than
     * inside the long-running loop's on-stack-replacement compilation.
     */
    private static void writeFrames(MemorySegment mem, PacketBatch out, int n, int payload, int id) {
        for (int p = 0; p < n; p++) {
            FLOW.write(mem, out.offset(p), payload, id + p);
        }
    }

    /** @return how many of the first {@code n} packets of a batch fail the checksum check */
    private static int verifyFrames(MemorySegment mem, PacketBatch in, int n) {
        int bad = 0;
        for (int p = 0; p < n; p++) {
            if (!UdpFrameTemplate.verify(mem, in.offset(p), in.length(p))) {
                bad++;
            }
        }
        return bad;
    }
}
