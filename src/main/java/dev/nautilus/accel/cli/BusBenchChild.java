package dev.nautilus.accel.cli;

import static dev.nautilus.accel.cli.BusBenchControl.INT;
import static dev.nautilus.accel.cli.BusBenchControl.LONG;

import dev.nautilus.accel.bus.Channel;
import dev.nautilus.accel.affinity.Affinity;
import dev.nautilus.accel.affinity.CpuSet;
import dev.nautilus.accel.bus.MessageBus;
import dev.nautilus.accel.bus.MessageHandler;
import dev.nautilus.accel.bus.Publisher;
import dev.nautilus.accel.bus.Ring;
import dev.nautilus.accel.bus.Subscriber;
import dev.nautilus.accel.shm.SharedMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * The other process of {@code nautilus bench bus}: started by {@link BusBench} as
 * {@code java ... dev.nautilus.accel.cli.BusBenchChild NAMESPACE PARENT_PID}, it opens the
 * benchmark's channels and control segment ({@link BusBenchControl}) and does what the parent
 * commands: echo ping messages to pong, answer the baseline's cache-line ping-pong, or publish
 * messages as fast as it can.
 *
 * <p>It never outlives the benchmark: it exits on the stop command, when the parent raises the
 * abort flag, and when the parent process is gone (checked about every 100 ms while it waits),
 * so a benchmark killed with {@code SIGKILL} leaves no process spinning behind it.
 *
 * <p>Exit codes: 0 stopped or aborted, 1 error (message on standard error), 2 bad arguments,
 * 3 the parent process is gone.
 */
public final class BusBenchChild {
    /** Exit code when the parent process is gone. */
    static final int PARENT_GONE = 3;
    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final MemorySegment control;
    private final ProcessHandle parent;
    private final Channel ping;
    private final Channel pong;
    private final Channel throughput;
    private Publisher pongPublisher;
    private Publisher throughputPublisher;
    private long nextCheck = System.nanoTime() + CHECK_NANOS;

    private BusBenchChild(MemorySegment control, ProcessHandle parent, MessageBus bus) {
        this.control = control;
        this.parent = parent;
        this.ping = bus.openChannel(BusBench.PING);
        this.pong = bus.openChannel(BusBench.PONG);
        this.throughput = bus.openChannel(BusBench.THROUGHPUT);
    }

    /**
     * Runs the child until stopped.
     *
     * @param args the benchmark namespace (e.g. {@code /nautilus-bench-1234}) and the parent's process id
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: BusBenchChild NAMESPACE PARENT_PID (started by nautilus bench bus)");
            System.exit(2);
        }
        int code;
        try {
            code = run(args[0], Long.parseLong(args[1]));
        } catch (RuntimeException | Error e) {
            System.err.println("nautilus bench bus child: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    /** System property: the CPU the child pins its main thread to (set by the parent for {@code --cpus}). */
    static final String CPU_PROPERTY = "nautilus.bench.childCpu";

    private static int run(String namespace, long parentPid) {
        String cpu = System.getProperty(CPU_PROPERTY);
        if (cpu != null) {
            Affinity.pinCurrentThread(CpuSet.of(Integer.parseInt(cpu)));
        }
        ProcessHandle parent = ProcessHandle.of(parentPid).orElse(null);
        if (parent == null || !parent.isAlive()) {
            return PARENT_GONE;
        }
        if (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != parentPid) {
            System.err.println("nautilus bench bus child: process " + parentPid + " is not this process's parent");
            return 2;
        }
        try (Arena arena = Arena.ofConfined(); MessageBus bus = MessageBus.open(namespace)) {
            MemorySegment control = SharedMemory.open(BusBench.controlName(namespace), arena);
            BusBenchChild child = new BusBenchChild(control, parent, bus);
            try {
                LONG.setRelease(control, BusBenchControl.CHILD_PID, ProcessHandle.current().pid());
                return child.serve();
            } finally {
                child.closePublishers();
            }
        }
    }

    private int serve() {
        long done = 0;
        long idle = 0;
        while (true) {
            long seq = (long) LONG.getAcquire(control, BusBenchControl.COMMAND_SEQ);
            if (seq != done) {
                int code = control.get(ValueLayout.JAVA_INT, BusBenchControl.COMMAND_CODE);
                if (code == BusBenchControl.STOP) {
                    return 0;
                }
                boolean finished = switch (code) {
                    case BusBenchControl.ECHO -> echo(seq);
                    case BusBenchControl.BASELINE -> baseline(seq);
                    case BusBenchControl.PUBLISH -> publish(seq);
                    default -> throw new IllegalStateException("unknown command " + code);
                };
                if (!finished) {
                    return stopReason();
                }
                LONG.setRelease(control, BusBenchControl.DONE_SEQ, seq);
                done = seq;
                idle = 0;
                continue;
            }
            // idle between commands: stay responsive for a moment, then poll every millisecond
            if (++idle < 10_000) {
                Thread.onSpinWait();
            } else if (idle < 10_100) {
                Thread.yield();
            } else {
                sleepMillis();
            }
            if (mustStop()) {
                return stopReason();
            }
        }
    }

    /** Echoes every ping message to pong, payload copied, until COUNT were echoed. */
    private boolean echo(long seq) {
        long count = control.get(ValueLayout.JAVA_LONG, BusBenchControl.COUNT);
        if (pongPublisher == null) {
            pongPublisher = pong.publisher();
        }
        Echo echo = new Echo(pongPublisher);
        try (Subscriber sub = ping.subscribe(BusBenchControl.strategy(control), BusBenchControl.lanes(control))) {
            LONG.setRelease(control, BusBenchControl.READY_SEQ, seq);
            for (long calls = 1; echo.count < count; calls++) {
                if (sub.receive(echo, 64, CHECK_NANOS) == 0 ? mustStop() : (calls & 0x3FF) == 0 && aborted()) {
                    return false; // while busy only the abort word is read: a dead parent stops sending anyway
                }
            }
        }
        return true;
    }

    /** The echo handler: copies each message into a claim on pong and commits it. */
    private static final class Echo implements MessageHandler {
        private final Publisher publisher;
        private final MemorySegment buffer;
        long count;

        Echo(Publisher publisher) {
            this.publisher = publisher;
            this.buffer = publisher.buffer(BusBench.LANE);
        }

        @Override
        public void onMessage(int typeId, MemorySegment src, long offset, int length) {
            long at;
            while ((at = publisher.tryClaim(BusBench.LANE, typeId, length)) == Ring.INSUFFICIENT_CAPACITY) {
                Thread.onSpinWait(); // the parent reads pong before it sends again: never for long
            }
            MemorySegment.copy(src, offset, buffer, at, length);
            publisher.commit(BusBench.LANE, at);
            count++;
        }
    }

    /** Answers baseline round trips: waits for ping to become n, stores n in pong. */
    private boolean baseline(long seq) {
        long count = control.get(ValueLayout.JAVA_LONG, BusBenchControl.COUNT);
        LONG.setRelease(control, BusBenchControl.READY_SEQ, seq);
        for (long n = 1; n <= count; n++) {
            int spins = 0;
            while ((long) LONG.getAcquire(control, BusBenchControl.BASELINE_PING) != n) {
                Thread.onSpinWait();
                if ((++spins & 0xFFFF) == 0 && mustStop()) {
                    return false;
                }
            }
            LONG.setRelease(control, BusBenchControl.BASELINE_PONG, n);
            if ((n & 0xFFF) == 0 && aborted()) {
                return false; // the parent may keep pinging while it shuts down: look at the abort word now and then
            }
        }
        return true;
    }

    /** Publishes COUNT messages (sequence number first) of the payload size, spinning while the lane is full. */
    private boolean publish(long seq) {
        long count = control.get(ValueLayout.JAVA_LONG, BusBenchControl.COUNT);
        int size = control.get(ValueLayout.JAVA_INT, BusBenchControl.PAYLOAD_SIZE);
        if (throughputPublisher == null) {
            throughputPublisher = throughput.publisher();
        }
        Publisher p = throughputPublisher;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment msg = arena.allocate(size, 8);
            for (int i = 16; i < size; i++) {
                msg.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            LONG.setRelease(control, BusBenchControl.READY_SEQ, seq);
            LONG.setRelease(control, BusBenchControl.PUBLISH_START_NANOS, System.nanoTime());
            for (long n = 0; n < count; n++) {
                if ((n & 0xFFFF) == 0xFFFF && aborted()) {
                    return false;
                }
                msg.set(ValueLayout.JAVA_LONG, 0, n);
                int full = 0;
                while (!p.offer(BusBench.LANE, BusBenchControl.TYPE_ID, msg)) {
                    Thread.onSpinWait();
                    if ((++full & 0xFFFF) == 0 && mustStop()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** @return true when the parent raised the abort flag */
    private boolean aborted() {
        return (int) INT.getAcquire(control, BusBenchControl.ABORT) != 0;
    }

    /** @return true when the parent aborted or is gone; checks the parent process at most every 100 ms */
    private boolean mustStop() {
        if (aborted()) {
            return true;
        }
        long now = System.nanoTime();
        if (now < nextCheck) {
            return false;
        }
        nextCheck = now + CHECK_NANOS;
        return parentGone();
    }

    /**
     * @return true when the parent process has exited: it is not alive, or this process was
     *     handed to another parent (which happens at once, while a dead parent may linger unreaped)
     */
    private boolean parentGone() {
        return !parent.isAlive() || ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != parent.pid();
    }

    private int stopReason() {
        return aborted() ? 0 : PARENT_GONE;
    }

    private void closePublishers() {
        if (pongPublisher != null) {
            pongPublisher.close();
        }
        if (throughputPublisher != null) {
            throughputPublisher.close();
        }
    }

    private static void sleepMillis() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
