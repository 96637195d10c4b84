package dev.nautilus.accel.bus;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.shm.SharedMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An idle sleeping subscriber uses ~0% CPU; a busy-spinning one uses a core. CPU time of the
 * subscriber's own thread from /proc/thread-self/stat (utime + stime, clock ticks); lenient bounds.
 */
@Timeout(60)
class IdleCpuTest {
    private static final long WINDOW_MS = 1500;

    static long threadCpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
    }

    private static double idleCpuShare(WaitStrategy strategy) throws Exception {
        String ns = "/na-idle-" + ProcessHandle.current().pid() + "-" + strategy.kind();
        try (MessageBus bus = MessageBus.open(ns)) {
            Channel ch = bus.createChannel("quiet", ChannelConfig.defaults().withRemoveOnClose(true));
            try (Subscriber s = ch.subscribe(strategy)) {
                s.receive((t, b, o, l) -> { }, 1, TimeUnit.MILLISECONDS.toNanos(200)); // warm up, fall asleep
                long ticks0 = threadCpuTicks();
                long t0 = System.nanoTime();
                s.receive((t, b, o, l) -> { }, 1, TimeUnit.MILLISECONDS.toNanos(WINDOW_MS));
                long wallTicks = (System.nanoTime() - t0) / 10_000_000; // 100 ticks per second
                return (threadCpuTicks() - ticks0) / (double) Math.max(1, wallTicks);
            }
        } finally {
            SharedMemory.list(ns + ".").forEach(i -> SharedMemory.unlink(i.name()));
        }
    }

    @Test
    void shouldUseAlmostNoCpuWhileSleepingAndAFullCoreWhileSpinning() throws Exception {
        assumeTrue(Platform.isLinux() && Files.exists(Path.of("/proc/thread-self/stat")));
        double sleeping = idleCpuShare(WaitStrategy.spinThenSleep(1000, 10, Duration.ofMillis(100)));
        double spinning = idleCpuShare(WaitStrategy.busySpin());
        assertTrue(sleeping < 0.05, "sleeping subscriber used " + Math.round(sleeping * 100) + "% of a core");
        assertTrue(spinning > 0.5, "busy-spin subscriber used only " + Math.round(spinning * 100) + "% of a core");
    }
}
