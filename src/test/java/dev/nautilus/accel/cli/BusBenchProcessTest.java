package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nautilus.accel.bus.ChannelInfo;
import dev.nautilus.accel.bus.Lane;
import dev.nautilus.accel.bus.MessageBus;
import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.shm.ShmSegmentInfo;
import dev.nautilus.accel.testutil.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code nautilus bench bus} as a real process stopped in the middle of its ping-pong: with
 * SIGTERM (as Ctrl-C) it removes its namespace and reaps its child; with SIGKILL its child still
 * exits by itself, and the channels left behind show up as stale.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class BusBenchProcessTest {
    /** Minutes of work: killed long before it ends. */
    private static final String[] LONG_RUN = {"bench", "bus", "--quiet", "--warmup", "0", "--round-trips", "300000",
        "--sizes", "16,32,64,128,256", "--strategy", "busy-spin,yield", "--messages", "1000000000"};
    private static final long WAIT_MS = 60_000;

    /** @return the bench's child process, once round trips flow on the ping channel */
    private static ProcessHandle childOnceRoundTripsFlow(ChildJvm bench, String ns) throws InterruptedException {
        ProcessHandle h = ProcessHandle.of(bench.pid()).orElseThrow();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (System.nanoTime() < deadline && bench.isAlive()) {
            Optional<ProcessHandle> child = h.children().findFirst();
            if (child.isPresent() && SharedMemory.find(ns + ".ping").isPresent()) {
                Optional<ChannelInfo> ping = inspect(ns + ".ping");
                if (ping.isPresent() && ping.get().lanes().get(Lane.NORMAL.ordinal()).producerPosition() > 0) {
                    return child.get();
                }
            }
            Thread.sleep(20);
        }
        fail("the bench did not reach its ping-pong within " + WAIT_MS + " ms; output:\n" + bench.output());
        return null;
    }

    private static Optional<ChannelInfo> inspect(String name) {
        try {
            return MessageBus.inspect(name);
        } catch (RuntimeException e) {
            return Optional.empty(); // removed meanwhile
        }
    }

    /** @return true while the process runs (a zombie waiting to be reaped does not run) */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitExit(long pid, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (running(pid) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static void cleanUp(String ns, ProcessHandle child) {
        if (child != null && running(child.pid())) {
            child.destroyForcibly();
        }
        for (ShmSegmentInfo s : SharedMemory.list(ns + ".")) {
            SharedMemory.unlink(s.name());
        }
    }

    @Test
    void shouldRemoveItsSegmentsAndReapItsChildWhenTerminated() throws Exception {
        ProcessHandle child = null;
        String ns = null;
        try (ChildJvm bench = ChildJvm.start(Nautilus.class, LONG_RUN)) {
            ns = "/nautilus-bench-" + bench.pid();
            child = childOnceRoundTripsFlow(bench, ns);

            assertTrue(ProcessHandle.of(bench.pid()).orElseThrow().destroy(), "SIGTERM sent");
            int code = bench.waitFor(WAIT_MS);

            assertTrue(code != 0, "stopped, not finished: exit code " + code + "\n" + bench.output());
            awaitExit(child.pid(), 10_000);
            assertFalse(running(child.pid()), "the child process is gone");
            assertEquals(List.of(), SharedMemory.list(ns + "."), "the shutdown hook removed the namespace");
        } finally {
            if (ns != null) {
                cleanUp(ns, child);
            }
        }
    }

    @Test
    void shouldHaveItsChildExitByItselfWhenKilledAndLeaveStaleChannels() throws Exception {
        ProcessHandle child = null;
        String ns = null;
        try (ChildJvm bench = ChildJvm.start(Nautilus.class, LONG_RUN)) {
            ns = "/nautilus-bench-" + bench.pid();
            child = childOnceRoundTripsFlow(bench, ns);

            bench.kill(); // SIGKILL: no shutdown hook, no finally

            awaitExit(child.pid(), 10_000);
            assertFalse(running(child.pid()), "the child noticed its parent died and exited");
            CliRun stale = CliRun.of("shm", "list", ns + ".", "--stale");
            assertTrue(stale.out().contains(ns + ".ping "), stale::toString);
            assertTrue(stale.out().contains(ns + ".pong "), stale::toString);
            assertTrue(stale.out().contains("3 stale channels, "), stale::toString);
            CliRun rm = CliRun.of("shm", "rm", "--stale", ns + ".");
            assertEquals("removed " + ns + ".ping\nremoved " + ns + ".pong\nremoved " + ns + ".throughput\n", rm.out(),
                    rm::toString);
        } finally {
            if (ns != null) {
                cleanUp(ns, child);
            }
        }
    }
}
