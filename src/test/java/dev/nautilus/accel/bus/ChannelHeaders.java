package dev.nautilus.accel.bus;

import dev.nautilus.accel.shm.SharedMemory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Test helper for tools outside the bus package: rewrites a channel header as another process
 * would have left it (the checksum is package-private, so the rewrite lives here).
 */
public final class ChannelHeaders {
    private ChannelHeaders() {}

    /**
     * Makes a channel look created by another process, recomputing the header checksum as the
     * creator does.
     *
     * @param segmentName the channel's segment, e.g. {@code /ns.orders}
     * @param pid the creator process id to write
     */
    public static void setCreatorPid(String segmentName, long pid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = SharedMemory.open(segmentName, a);
            s.set(ValueLayout.JAVA_LONG, ChannelDescriptor.CREATOR_PID_OFFSET, pid);
            s.set(ValueLayout.JAVA_LONG, ChannelDescriptor.CHECKSUM_OFFSET, Channel.checksum(s));
        }
    }

    /**
     * @return the id of a process that has exited (and been reaped) just now
     * @throws IOException when no process can be started
     * @throws InterruptedException when interrupted while waiting for it
     */
    public static long deadPid() throws IOException, InterruptedException {
        Process gone = new ProcessBuilder("true").start();
        if (!gone.waitFor(10, TimeUnit.SECONDS)) {
            gone.destroyForcibly();
            throw new IllegalStateException("'true' did not exit within 10 s");
        }
        return gone.pid();
    }
}
