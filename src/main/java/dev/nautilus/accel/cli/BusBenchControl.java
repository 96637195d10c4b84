package dev.nautilus.accel.cli;

import dev.nautilus.accel.bus.Lane;
import dev.nautilus.accel.bus.WaitStrategy;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Set;

/**
 * The byte layout of the control segment ({@code <namespace>.control}) through which
 * {@code nautilus bench bus} drives its child process ({@link BusBenchChild}), and which holds
 * the two words of the bare cache-line ping-pong baseline.
 *
 * <pre>
 *   offset  size  field                                              written by
 *   ------  ----  -------------------------------------------------  ----------
 *        0     8  command sequence: 1, 2, 3, ... (release, last)     parent
 *        8     4  command code ({@link #ECHO}, {@link #BASELINE}, ...)  parent
 *       12     4  payload size in bytes                              parent
 *       16     8  count: messages or round trips, warm-up included   parent
 *       24     4  wait strategy kind ({@link WaitStrategy.Kind} ordinal)  parent
 *       28     4  spins                                              parent
 *       32     4  yields                                             parent
 *       40     8  longest sleep, ns                                  parent
 *       48     4  lanes the echo subscriber reads: 0 all, 1 the bench lane only  parent
 *      128     4  abort: 1 = stop what you do and exit               parent
 *      256     8  child process id, once it has opened the bus      child
 *      264     8  sequence of the command the child is ready for     child
 *      272     8  sequence of the command the child has finished     child
 *      280     8  System.nanoTime() before the first message published  child
 *      512     8  baseline ping: round trip number                   parent
 *      640     8  baseline pong: the number echoed                   child
 * </pre>
 *
 * Words written by different processes sit in different 128-byte blocks (two cache lines), so
 * the baseline's ping and pong words never share a line with each other or with anything else.
 * Nothing here is on the bus's hot path; the child polls the command word only while idle.
 */
final class BusBenchControl {
    /** Segment size in bytes. */
    static final long SIZE = 4096;

    /** Offset of the command sequence. */
    static final long COMMAND_SEQ = 0;
    /** Offset of the command code. */
    static final long COMMAND_CODE = 8;
    /** Offset of the payload size. */
    static final long PAYLOAD_SIZE = 12;
    /** Offset of the count. */
    static final long COUNT = 16;
    /** Offset of the wait strategy kind. */
    static final long STRATEGY_KIND = 24;
    /** Offset of the spins. */
    static final long STRATEGY_SPINS = 28;
    /** Offset of the yields. */
    static final long STRATEGY_YIELDS = 32;
    /** Offset of the longest sleep. */
    static final long STRATEGY_MAX_SLEEP = 40;
    /** Offset of the lanes the echo subscriber reads ({@link BusBench.Reading#code()}). */
    static final long READING = 48;
    /** Offset of the abort flag. */
    static final long ABORT = 128;
    /** Offset of the child's process id. */
    static final long CHILD_PID = 256;
    /** Offset of the ready sequence. */
    static final long READY_SEQ = 264;
    /** Offset of the done sequence. */
    static final long DONE_SEQ = 272;
    /** Offset of the publisher's start time. */
    static final long PUBLISH_START_NANOS = 280;
    /** Offset of the baseline ping word. */
    static final long BASELINE_PING = 512;
    /** Offset of the baseline pong word. */
    static final long BASELINE_PONG = 640;

    /** Command: subscribe to ping with the strategy, echo COUNT messages to pong. */
    static final int ECHO = 1;
    /** Command: answer COUNT baseline round trips (spin on ping, store pong). */
    static final int BASELINE = 2;
    /** Command: publish COUNT messages of the payload size on the throughput channel, as fast as possible. */
    static final int PUBLISH = 3;
    /** Command: exit. */
    static final int STOP = 4;

    /** Message type id of benchmark messages. */
    static final int TYPE_ID = 1;

    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

    private BusBenchControl() {}

    /**
     * Writes a command's strategy words.
     *
     * @param control the control segment
     * @param s the strategy
     */
    static void putStrategy(MemorySegment control, WaitStrategy s) {
        control.set(ValueLayout.JAVA_INT, STRATEGY_KIND, s.kind().ordinal());
        control.set(ValueLayout.JAVA_INT, STRATEGY_SPINS, s.spins());
        control.set(ValueLayout.JAVA_INT, STRATEGY_YIELDS, s.yields());
        control.set(ValueLayout.JAVA_LONG, STRATEGY_MAX_SLEEP, s.maxSleepNanos());
    }

    /**
     * @param control the control segment, after the command sequence was read with acquire
     * @return the lanes the parent wants the echo subscriber to read
     */
    static Set<Lane> lanes(MemorySegment control) {
        return BusBench.Reading.values()[control.get(ValueLayout.JAVA_INT, READING)].lanes();
    }

    /**
     * @param control the control segment, after the command sequence was read with acquire
     * @return the strategy the parent wrote
     */
    static WaitStrategy strategy(MemorySegment control) {
        WaitStrategy.Kind kind = WaitStrategy.Kind.values()[control.get(ValueLayout.JAVA_INT, STRATEGY_KIND)];
        int spins = control.get(ValueLayout.JAVA_INT, STRATEGY_SPINS);
        return switch (kind) {
            case BUSY_SPIN -> WaitStrategy.busySpin();
            case SPIN_THEN_YIELD -> WaitStrategy.spinThenYield(spins);
            case SPIN_THEN_SLEEP -> WaitStrategy.spinThenSleep(spins, control.get(ValueLayout.JAVA_INT, STRATEGY_YIELDS),
                    Duration.ofNanos(control.get(ValueLayout.JAVA_LONG, STRATEGY_MAX_SLEEP)));
        };
    }
}
