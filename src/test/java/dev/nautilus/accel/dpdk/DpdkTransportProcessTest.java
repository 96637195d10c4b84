package dev.nautilus.accel.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.cli.TransportBenchChild;
import dev.nautilus.accel.testutil.ChildJvm;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link DpdkMessageTransport} between this JVM and a child JVM over memif (net_memif2 <-> the child's client). */
@Timeout(120)
class DpdkTransportProcessTest {
    @Test
    void shouldEchoEveryMessageAcrossProcessesInOrder() throws Exception {
        Eal eal = TestEal.get();
        eal.registerCurrentThread();
        Mempool pool = Mempool.lookup(eal, "test-xproc").orElseGet(() -> Mempool.create(eal, "test-xproc", 4095));
        EthPort port = EthPort.byName(eal, "net_memif2");
        port.startSingleQueue(pool, 1024);
        int n = 5000;
        // the echo side of `nautilus bench transport`, on the interface id of net_memif2 (1), no pinning
        try (ChildJvm child = ChildJvm.start(TransportBenchChild.class, TestEal.MEMIF_SOCKET, String.valueOf(n), "-1",
                String.valueOf(ProcessHandle.current().pid()), "0", "1");
             DpdkMessageTransport t = DpdkMessageTransport.open(port, pool, 1)) {
            String line;
            do {
                line = child.nextLine(60_000); // EAL may log first
            } while (!line.equals("ready") && !line.startsWith("failed"));
            assertEquals("ready", line, child::output);
            // both ends must see the link before the first frame: a memif server that sends while its
            // client is still setting up its rings loses those frames
            assertTrue(port.awaitLinkUp(java.time.Duration.ofSeconds(30)), "this side's memif link came up");
            Thread.sleep(200);
            int sent = 0;
            long[] got = {0};
            long[] bad = {0};
            long deadline = System.nanoTime() + 60_000_000_000L;
            MemorySegment payload = MemorySegment.ofArray(new long[4]);
            while (got[0] < n && System.nanoTime() < deadline) {
                while (sent < n && sent - got[0] < 256) { // at most 256 in flight
                    payload.set(ValueLayout.JAVA_LONG, 0, sent);
                    if (!t.offer(2, sent % 3, 1 + sent % 5, payload)) {
                        break;
                    }
                    sent++;
                }
                t.flush();
                t.poll((source, priority, type, buf, off, len) -> {
                    long v = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, off);
                    if (source != 2 || len != 32 || type != 1 + v % 5 || priority != v % 3) {
                        bad[0]++;
                    }
                    got[0]++;
                });
            }
            assertEquals(n, got[0], () -> "echoes received; child said:\n" + child.output());
            assertEquals(0, bad[0], "every echo carries its source, priority, type and payload");
            assertEquals(0, t.lost());
            assertEquals(n, t.sequences(0).received(2) + t.sequences(1).received(2) + t.sequences(2).received(2));
            assertEquals(0, child.waitFor(30_000), child::output);
            assertTrue(child.output().contains("done " + n + " lost 0"), child::output);
        } finally {
            port.stop();
        }
    }
}
