package dev.nautilus.accel.dpdk;

import java.util.Arrays;

/**
 * The receiving side of per-pair sequence numbers ({@link TransportFrame#sequence}): for each
 * source engine sending to this engine, which sequence numbers have arrived, so that loss,
 * reordering, duplicates and sender restarts are recognised and counted. One tracker per
 * receiving engine; source engine ids 0 to {@code sources - 1}, at most 65535 sources
 * (ids 0 to 65534, as {@link TransportFrame#MAX_SOURCE_ENGINE}).
 *
 * <p><b>How a sequence number is classified.</b> Per source the tracker keeps the highest
 * sequence number seen ({@link #highest}, 0 before the first) and a 64-bit window: bit
 * {@code i} says whether {@code highest - 1 - i} has arrived. {@link #accept} returns
 * <ul>
 *   <li>{@link #IN_ORDER}: {@code highest + 1}, the expected one;</li>
 *   <li>{@link #GAP}: above {@code highest + 1}; the numbers skipped are counted as lost
 *       (the first frame from a source is expected to be 1: a first frame 5 counts 1 to 4 lost);</li>
 *   <li>{@link #LATE}: 1 to 64 below {@code highest} and not seen yet: it fills a gap, so one
 *       loss is un-counted and one reorder counted;</li>
 *   <li>{@link #DUPLICATE}: {@code highest}, or 1 to 64 below it and already seen;</li>
 *   <li>{@link #DUPLICATE_OR_LATE}: more than 64 below {@code highest}, outside the window: a
 *       duplicate cannot be told from a late arrival there, so it is counted on its own
 *       ({@link #duplicatesOrLate}) and a loss counted for it stays counted;</li>
 *   <li>{@link #RESTART}: 1 again where it is not a late arrival filling a gap (that is: 1 was
 *       seen since the last restart, or is outside the window). The sender is taken to have
 *       restarted: the source's window starts over with {@code highest} 1, its counters carry
 *       on (losses of the old stream stay counted), and {@link #restarts} counts it.</li>
 * </ul>
 * Late arrivals up to 64 behind the highest are thus recognised exactly; {@link #isNew} tells
 * which results are the first copy of a message (deliver it) and which are not.
 *
 * <p>Limits of the scheme: a duplicate of frame 1 that arrives after frame 1 is taken for a
 * restart (harmless while nothing newer has arrived, otherwise the next frames count as a
 * gap); a restarted sender whose new frame 1 is lost is not recognised: its frames read as
 * duplicates until its numbers pass the old highest.
 *
 * <p><b>Counters.</b> Per source and in total: {@link #received} (every accepted frame, whatever
 * the result), {@link #lost} (currently missing: gaps minus late arrivals that filled them),
 * {@link #reordered} (late arrivals), {@link #duplicates}, {@link #duplicatesOrLate} and
 * {@link #restarts}. Each total is the sum of the per-source counters.
 *
 * <p><b>Costs.</b> The state of all sources is one {@code long[]} of 8 longs (64 bytes) per
 * source, allocated up front (4 MiB for 65535 sources): {@link #accept} touches that source's 64
 * bytes and the totals, does not allocate and does not lock (it allocates only when it throws).
 * Not thread-safe: confine a tracker to the thread that receives, and read its counters there
 * or after that thread has stopped.
 */
public final class SequenceTracker {
    /** Result of {@link #accept}: the expected sequence number, one above the highest. */
    public static final int IN_ORDER = 1;
    /** Result of {@link #accept}: above the expected one; the numbers between are counted lost. */
    public static final int GAP = 2;
    /** Result of {@link #accept}: within the window below the highest and not seen: fills a gap. */
    public static final int LATE = 3;
    /** Result of {@link #accept}: seen before (the highest, or within the window and marked). */
    public static final int DUPLICATE = 4;
    /** Result of {@link #accept}: below the window: either a duplicate or a very late arrival. */
    public static final int DUPLICATE_OR_LATE = 5;
    /** Result of {@link #accept}: sequence number 1 again: the sender restarted. */
    public static final int RESTART = 6;

    /** How far below the highest sequence number a late arrival is recognised: 64. */
    public static final int WINDOW = 64;
    /** Most sources a tracker follows: 65535, engine ids 0 to 65534. */
    public static final int MAX_SOURCES = TransportFrame.MAX_SOURCE_ENGINE + 1;

    // The longs of one source in state[], at source * STRIDE.
    private static final int STRIDE = 8;
    private static final int HIGHEST = 0;
    private static final int SEEN = 1;
    private static final int RECEIVED = 2;
    private static final int LOST = 3;
    private static final int REORDERED = 4;
    private static final int DUPLICATES = 5;
    private static final int DUPLICATES_OR_LATE = 6;
    private static final int RESTARTS = 7;
    /** The window of a source with nothing outstanding: every number below the highest is accounted for. */
    private static final long ALL_SEEN = -1L;

    private final int sources;
    private final long[] state;
    /**
     * The source of the last frame accepted (-1: none), whose highest sequence number, window and
     * received count live in the three fields below instead of in {@link #state} while frames keep
     * coming from it in order: the usual case then reads and writes fields only, no array slot
     * (about 4 ns per frame less in the message transport). Written back before any other use.
     * With no current source, currentHighest is -2: then no sequence number passes the usual
     * case's test (it would have to be -1, and must be 1 or more), whatever source id is given.
     */
    private int current = -1;
    private long currentHighest = -2;
    private long currentSeen;
    private long currentReceived;
    private long received;
    private long lost;
    private long reordered;
    private long duplicates;
    private long duplicatesOrLate;
    private long restarts;

    /** A tracker for every possible source, engine ids 0 to 65534 (4 MiB of state). */
    public SequenceTracker() {
        this(MAX_SOURCES);
    }

    /**
     * @param sources how many source engines to follow, 1 to {@link #MAX_SOURCES}: ids 0 to
     *                {@code sources - 1}; 64 bytes of state each
     * @throws IllegalArgumentException when the count is out of range
     */
    public SequenceTracker(int sources) {
        if (sources < 1 || sources > MAX_SOURCES) {
            throw new IllegalArgumentException("invalid number of sources " + sources + ": a tracker follows 1 to "
                    + MAX_SOURCES + " source engines (ids 0 to sources - 1; engine id 65535 is the broadcast address)");
        }
        this.sources = sources;
        this.state = new long[sources * STRIDE];
        for (int source = 0; source < sources; source++) {
            state[source * STRIDE + SEEN] = ALL_SEEN;
        }
    }

    /**
     * Records the arrival of a frame and classifies its sequence number (see the class comment).
     * Does not allocate.
     *
     * @param sourceEngine the frame's source engine id, 0 to {@link #sources()} - 1
     * @param sequence the frame's sequence number, 1 or more
     * @return {@link #IN_ORDER}, {@link #GAP}, {@link #LATE}, {@link #DUPLICATE},
     *         {@link #DUPLICATE_OR_LATE} or {@link #RESTART}
     * @throws IllegalArgumentException for a source id out of range or a sequence number below 1;
     *         nothing is counted then
     */
    public int accept(int sourceEngine, long sequence) {
        if (sourceEngine == current && sequence == currentHighest + 1 && sequence > 0) { // the usual case, small enough to inline
            currentReceived++;
            received++;
            currentHighest = sequence;
            currentSeen = (currentSeen << 1) | 1; // the old highest moves into the window, seen
            return IN_ORDER;
        }
        return acceptOther(sourceEngine, sequence);
    }

    /**
     * {@link #accept} for a frame from another source than the last one, or not the next one:
     * classified on {@link #state}, after which its source becomes the current one.
     */
    private int acceptOther(int sourceEngine, long sequence) {
        int base = base(sourceEngine);
        writeBack();
        int result = acceptInState(base, sourceEngine, sequence);
        long[] s = state;
        current = sourceEngine;
        currentHighest = s[base + HIGHEST];
        currentSeen = s[base + SEEN];
        currentReceived = s[base + RECEIVED];
        return result;
    }

    /** Moves the current source's fields back into {@link #state}. */
    private void writeBack() {
        int c = current;
        if (c >= 0) {
            int base = c * STRIDE;
            state[base + HIGHEST] = currentHighest;
            state[base + SEEN] = currentSeen;
            state[base + RECEIVED] = currentReceived;
            current = -1;
            currentHighest = -2;
        }
    }

    /** {@link #accept} on the source's slots of {@link #state}, whatever the sequence number. */
    private int acceptInState(int base, int sourceEngine, long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("invalid sequence number " + sequence + " from source engine "
                    + sourceEngine + ": sequence numbers start at 1 (TransportFrame.validate refuses such frames: "
                    + "check received frames before tracking them)");
        }
        long[] s = state;
        s[base + RECEIVED]++;
        received++;
        long highest = s[base + HIGHEST];
        long seen = s[base + SEEN];
        if (sequence > highest) {
            long ahead = sequence - highest; // 1 or more
            s[base + HIGHEST] = sequence;
            if (ahead == 1) {
                s[base + SEEN] = (seen << 1) | 1; // the old highest moves into the window, seen
                return IN_ORDER;
            }
            // the old highest moves to bit ahead - 1, the skipped numbers take bits 0 to ahead - 2
            s[base + SEEN] = ahead < WINDOW ? (seen << ahead) | (1L << (ahead - 1)) : ahead == WINDOW ? 1L << (WINDOW - 1) : 0;
            long skipped = ahead - 1;
            s[base + LOST] += skipped;
            lost += skipped;
            return GAP;
        }
        long behind = highest - sequence; // 0 or more
        if (behind > 0 && behind <= WINDOW) {
            long bit = 1L << (behind - 1);
            if ((seen & bit) == 0) {
                s[base + SEEN] = seen | bit;
                s[base + LOST]--;
                lost--;
                s[base + REORDERED]++;
                reordered++;
                return LATE;
            }
        }
        if (sequence == 1) {
            s[base + HIGHEST] = 1;
            s[base + SEEN] = ALL_SEEN;
            s[base + RESTARTS]++;
            restarts++;
            return RESTART;
        }
        if (behind <= WINDOW) {
            s[base + DUPLICATES]++;
            duplicates++;
            return DUPLICATE;
        }
        s[base + DUPLICATES_OR_LATE]++;
        duplicatesOrLate++;
        return DUPLICATE_OR_LATE;
    }

    /**
     * Forgets a source: its window (the next frame is expected to be 1 again, and is not counted
     * as a restart) and its counters, which are taken off the totals.
     *
     * @param sourceEngine 0 to {@link #sources()} - 1
     * @throws IllegalArgumentException for a source id out of range
     */
    public void reset(int sourceEngine) {
        int base = base(sourceEngine);
        writeBack();
        long[] s = state;
        received -= s[base + RECEIVED];
        lost -= s[base + LOST];
        reordered -= s[base + REORDERED];
        duplicates -= s[base + DUPLICATES];
        duplicatesOrLate -= s[base + DUPLICATES_OR_LATE];
        restarts -= s[base + RESTARTS];
        Arrays.fill(s, base, base + STRIDE, 0L);
        s[base + SEEN] = ALL_SEEN;
    }

    /**
     * @param result a value {@link #accept} returned
     * @return true when the sequence number had not been seen before, so the frame is the first
     *         copy of its message: {@link #IN_ORDER}, {@link #GAP}, {@link #LATE}, {@link #RESTART};
     *         false for {@link #DUPLICATE} and {@link #DUPLICATE_OR_LATE} (which may be new, but
     *         cannot be told from a duplicate: a transport that delivers at most once drops it)
     */
    public static boolean isNew(int result) {
        return result == IN_ORDER || result == GAP || result == LATE || result == RESTART;
    }

    /**
     * @param result a value {@link #accept} returned
     * @return its constant's name, e.g. {@code "IN_ORDER"}, or {@code "unknown result n"}
     */
    public static String resultName(int result) {
        return switch (result) {
            case IN_ORDER -> "IN_ORDER";
            case GAP -> "GAP";
            case LATE -> "LATE";
            case DUPLICATE -> "DUPLICATE";
            case DUPLICATE_OR_LATE -> "DUPLICATE_OR_LATE";
            case RESTART -> "RESTART";
            default -> "unknown result " + result;
        };
    }

    /** @return how many sources this tracker follows: ids 0 to this - 1 */
    public int sources() {
        return sources;
    }

    /**
     * @param sourceEngine 0 to {@link #sources()} - 1
     * @return the highest sequence number seen from the source since its last restart or reset,
     *         0 before the first frame; the next expected one is this + 1
     * @throws IllegalArgumentException for a source id out of range
     */
    public long highest(int sourceEngine) {
        int base = base(sourceEngine);
        return sourceEngine == current ? currentHighest : state[base + HIGHEST];
    }

    /**
     * @param sourceEngine 0 to {@link #sources()} - 1
     * @return frames accepted from the source, whatever the result
     * @throws IllegalArgumentException for a source id out of range
     */
    public long received(int sourceEngine) {
        int base = base(sourceEngine);
        return sourceEngine == current ? currentReceived : state[base + RECEIVED];
    }

    /**
     * @param sourceEngine 0 to {@link #sources()} - 1
     * @return sequence numbers from the source currently missing: skipped by gaps, less the late
     *         arrivals that filled them
     * @throws IllegalArgumentException for a source id out of range
     */
    public long lost(int sourceEngine) {
        return state[base(sourceEngine) + LOST];
    }

    /**
     * @param sourceEngine 0 to {@link #sources()} - 1
     * @return late arrivals from the source that filled a gap ({@link #LATE} results)
     * @throws IllegalArgumentException for a source id out of range
     */
    public long reordered(int sourceEngine) {
        return state[base(sourceEngine) + REORDERED];
    }

    /**
     * @param sourceEngine 0 to {@link #sources()} - 1
     * @return {@link #DUPLICATE} results for the source
     * @throws IllegalArgumentException for a source id out of range
     */
    public long duplicates(int sourceEngine) {
        return state[base(sourceEngine) + DUPLICATES];
    }

    /**
     * @param sourceEngine 0 to {@link #sources()} - 1
     * @return {@link #DUPLICATE_OR_LATE} results for the source: more than {@link #WINDOW} below the highest
     * @throws IllegalArgumentException for a source id out of range
     */
    public long duplicatesOrLate(int sourceEngine) {
        return state[base(sourceEngine) + DUPLICATES_OR_LATE];
    }

    /**
     * @param sourceEngine 0 to {@link #sources()} - 1
     * @return {@link #RESTART} results for the source
     * @throws IllegalArgumentException for a source id out of range
     */
    public long restarts(int sourceEngine) {
        return state[base(sourceEngine) + RESTARTS];
    }

    /** @return frames accepted from all sources */
    public long totalReceived() {
        return received;
    }

    /** @return sequence numbers currently missing, all sources */
    public long totalLost() {
        return lost;
    }

    /** @return late arrivals that filled a gap, all sources */
    public long totalReordered() {
        return reordered;
    }

    /** @return {@link #DUPLICATE} results, all sources */
    public long totalDuplicates() {
        return duplicates;
    }

    /** @return {@link #DUPLICATE_OR_LATE} results, all sources */
    public long totalDuplicatesOrLate() {
        return duplicatesOrLate;
    }

    /** @return {@link #RESTART} results, all sources */
    public long totalRestarts() {
        return restarts;
    }

    /**
     * @return a one-line summary of the totals, e.g. {@code SequenceTracker[sources 3 of 65535:
     *         received 1000, lost 2, reordered 5, duplicates 1, duplicates or late 0, restarts 0]},
     *         where the first number counts the sources that sent something since their last reset
     */
    @Override
    public String toString() {
        int active = 0;
        for (int base = 0; base < state.length; base += STRIDE) {
            if ((base == current * STRIDE ? currentReceived : state[base + RECEIVED]) != 0) {
                active++;
            }
        }
        return "SequenceTracker[sources " + active + " of " + sources + ": received " + received + ", lost " + lost
                + ", reordered " + reordered + ", duplicates " + duplicates + ", duplicates or late " + duplicatesOrLate
                + ", restarts " + restarts + "]";
    }

    private int base(int sourceEngine) {
        if (sourceEngine < 0 || sourceEngine >= sources) {
            throw new IllegalArgumentException("invalid source engine id " + sourceEngine + ": this tracker follows "
                    + "sources 0 to " + (sources - 1) + (sources < MAX_SOURCES
                    ? " (create it with new SequenceTracker(n) for ids 0 to n - 1, at most " + MAX_SOURCES + ")"
                    : " (65535 is TransportFrame.BROADCAST, never a source)"));
        }
        return sourceEngine * STRIDE;
    }
}
