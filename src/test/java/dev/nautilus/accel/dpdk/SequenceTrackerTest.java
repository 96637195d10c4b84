package dev.nautilus.accel.dpdk;

import static dev.nautilus.accel.dpdk.SequenceTracker.DUPLICATE;
import static dev.nautilus.accel.dpdk.SequenceTracker.DUPLICATE_OR_LATE;
import static dev.nautilus.accel.dpdk.SequenceTracker.GAP;
import static dev.nautilus.accel.dpdk.SequenceTracker.IN_ORDER;
import static dev.nautilus.accel.dpdk.SequenceTracker.LATE;
import static dev.nautilus.accel.dpdk.SequenceTracker.RESTART;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.testutil.Allocations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SequenceTrackerTest {
    /** A small tracker shared by the scenario tests (64 bytes a source). */
    private final SequenceTracker tracker = new SequenceTracker(16);

    /** Feeds sequence numbers from one source and checks each result, by name for readable failures. */
    private void expect(int source, long[] sequences, int... results) {
        assertEquals(sequences.length, results.length, "test data");
        for (int i = 0; i < sequences.length; i++) {
            assertEquals(SequenceTracker.resultName(results[i]),
                    SequenceTracker.resultName(tracker.accept(source, sequences[i])),
                    "sequence " + sequences[i] + " (event " + i + ") from source " + source);
        }
    }

    private static long[] seq(long... sequences) {
        return sequences;
    }

    /** Expected counters of one source: received, lost, reordered, duplicates, duplicates or late, restarts. */
    private void assertCounters(int source, long received, long lost, long reordered, long duplicates,
                                long duplicatesOrLate, long restarts) {
        assertEquals(List.of(received, lost, reordered, duplicates, duplicatesOrLate, restarts),
                List.of(tracker.received(source), tracker.lost(source), tracker.reordered(source),
                        tracker.duplicates(source), tracker.duplicatesOrLate(source), tracker.restarts(source)),
                "received, lost, reordered, duplicates, duplicates or late, restarts of source " + source);
    }

    @Test
    void shouldCountAnInOrderStream() {
        for (long s = 1; s <= 10_000; s++) {
            assertEquals(IN_ORDER, tracker.accept(3, s));
        }
        assertEquals(10_000, tracker.highest(3));
        assertCounters(3, 10_000, 0, 0, 0, 0, 0);
        assertEquals(0, tracker.highest(2), "other sources untouched");
        assertEquals(10_000, tracker.totalReceived());
        assertEquals(0, tracker.totalLost());
    }

    @Test
    void shouldCountASingleLoss() {
        expect(0, seq(1, 2, 4, 5), IN_ORDER, IN_ORDER, GAP, IN_ORDER);
        assertCounters(0, 4, 1, 0, 0, 0, 0);
        assertEquals(5, tracker.highest(0));
    }

    @Test
    void shouldCountABurstLossAndALossBeforeTheFirstFrame() {
        expect(1, seq(1, 2, 10, 11, 200, 201), IN_ORDER, IN_ORDER, GAP, IN_ORDER, GAP, IN_ORDER);
        assertCounters(1, 6, 7 + 188, 0, 0, 0, 0);
        // a source whose first frame is 5: 1 to 4 are counted lost, and can still arrive
        expect(2, seq(5, 3), GAP, LATE);
        assertCounters(2, 2, 3, 1, 0, 0, 0);
        assertEquals(7 + 188 + 3, tracker.totalLost());
    }

    @Test
    void shouldCountNeighboursSwappedAsReordered() {
        expect(4, seq(1, 3, 2, 4, 6, 5, 7), IN_ORDER, GAP, LATE, IN_ORDER, GAP, LATE, IN_ORDER);
        assertCounters(4, 7, 0, 2, 0, 0, 0);
        // 1 swapped with 2: the first frame arrives late, which is not a restart
        expect(5, seq(2, 1, 3), GAP, LATE, IN_ORDER);
        assertCounters(5, 3, 0, 1, 0, 0, 0);
    }

    @Test
    void shouldTakeBackALossWhenTheFrameArrivesLate() {
        expect(6, seq(1, 5), IN_ORDER, GAP);
        assertEquals(3, tracker.lost(6));
        expect(6, seq(3), LATE);
        assertEquals(2, tracker.lost(6), "the loss count goes back down");
        expect(6, seq(2, 4, 6), LATE, LATE, IN_ORDER);
        assertCounters(6, 6, 0, 3, 0, 0, 0);
        assertEquals(0, tracker.totalLost());
        assertEquals(3, tracker.totalReordered());
    }

    @Test
    void shouldRecogniseLateArrivalsExactlyWithinTheWindowOnly() {
        // 1, then 67: 2 to 66 missing; the window reaches 64 below the highest (3 to 66)
        expect(7, seq(1, 67), IN_ORDER, GAP);
        assertEquals(65, tracker.lost(7));
        expect(7, seq(3, 66, 3), LATE, LATE, DUPLICATE);
        expect(7, seq(2), DUPLICATE_OR_LATE);
        assertCounters(7, 6, 63, 2, 1, 1, 0);
        // gap of exactly the window: the old highest lands in the last bit
        expect(8, seq(1, 2, 66), IN_ORDER, IN_ORDER, GAP);
        expect(8, seq(2, 3, 65, 65, 1, 2), DUPLICATE, LATE, LATE, DUPLICATE, RESTART, IN_ORDER);
        assertCounters(8, 9, 61, 2, 2, 0, 1);
        // a jump far past the window, then a late arrival at its far edge
        expect(9, seq(1, 1001, 937, 936, 1000), IN_ORDER, GAP, LATE, DUPLICATE_OR_LATE, LATE);
        assertCounters(9, 5, 997, 2, 0, 1, 0);
    }

    @Test
    void shouldCountDuplicates() {
        expect(10, seq(1, 2, 3, 3, 2, 4, 4, 2), IN_ORDER, IN_ORDER, IN_ORDER, DUPLICATE, DUPLICATE, IN_ORDER, DUPLICATE,
                DUPLICATE);
        assertCounters(10, 8, 0, 0, 4, 0, 0);
        // a late arrival is new once: its second copy is a duplicate
        expect(11, seq(1, 3, 2, 2), IN_ORDER, GAP, LATE, DUPLICATE);
        assertCounters(11, 4, 0, 1, 1, 0, 0);
        assertTrue(SequenceTracker.isNew(IN_ORDER) && SequenceTracker.isNew(GAP) && SequenceTracker.isNew(LATE)
                && SequenceTracker.isNew(RESTART));
        assertFalse(SequenceTracker.isNew(DUPLICATE) || SequenceTracker.isNew(DUPLICATE_OR_LATE) || SequenceTracker.isNew(0));
    }

    @Test
    void shouldReportASenderRestart() {
        expect(12, seq(1, 2, 3, 5, 1, 2, 3), IN_ORDER, IN_ORDER, IN_ORDER, GAP, RESTART, IN_ORDER, IN_ORDER);
        assertCounters(12, 7, 1, 0, 0, 0, 1);
        assertEquals(3, tracker.highest(12));
        expect(12, seq(4), IN_ORDER);
        assertEquals(1, tracker.lost(12), "the old stream's loss stays counted; 4 is the new stream's");
        // far past the window, 1 again is a restart too, not a very late arrival
        for (long s = 5; s <= 1000; s++) {
            tracker.accept(12, s);
        }
        expect(12, seq(1, 2), RESTART, IN_ORDER);
        // a repeated first frame reads as a restart (the state is the same either way)
        expect(13, seq(1, 1, 2), IN_ORDER, RESTART, IN_ORDER);
        assertEquals(3, tracker.totalRestarts());
        assertEquals(2, tracker.restarts(12));
    }

    @Test
    void shouldResetASourceAndKeepTotalsTheSumOfSources() {
        expect(14, seq(1, 3, 3, 7), IN_ORDER, GAP, DUPLICATE, GAP);
        expect(15, seq(1, 4, 2, 1), IN_ORDER, GAP, LATE, RESTART);
        assertEquals(8, tracker.totalReceived());
        assertEquals(4 + 1, tracker.totalLost());
        tracker.reset(14);
        assertCounters(14, 0, 0, 0, 0, 0, 0);
        assertEquals(0, tracker.highest(14));
        assertEquals(4, tracker.totalReceived());
        assertEquals(1, tracker.totalLost());
        assertEquals(0, tracker.totalDuplicates());
        assertEquals(1, tracker.totalReordered());
        assertEquals(1, tracker.totalRestarts());
        expect(14, seq(1, 2), IN_ORDER, IN_ORDER); // 1 after a reset is not a restart
        assertEquals(1, tracker.totalRestarts());
        tracker.reset(15);
        assertEquals(2, tracker.totalReceived());
        assertEquals(0, tracker.totalLost() + tracker.totalReordered() + tracker.totalRestarts());
    }

    @Test
    void shouldSummariseTheTotals() {
        assertEquals("SequenceTracker[sources 0 of 16: received 0, lost 0, reordered 0, duplicates 0, duplicates or late 0, "
                + "restarts 0]", tracker.toString());
        expect(0, seq(1, 3, 2, 2), IN_ORDER, GAP, LATE, DUPLICATE);
        expect(15, seq(2, 200, 100, 1), GAP, GAP, DUPLICATE_OR_LATE, RESTART);
        assertEquals("SequenceTracker[sources 2 of 16: received 8, lost 198, reordered 1, duplicates 1, duplicates or late 1, "
                + "restarts 1]", tracker.toString());
        assertEquals("SequenceTracker[sources 0 of 65535: received 0, lost 0, reordered 0, duplicates 0, duplicates or late 0, "
                + "restarts 0]", new SequenceTracker().toString());
        assertEquals("DUPLICATE_OR_LATE", SequenceTracker.resultName(DUPLICATE_OR_LATE));
        assertEquals("unknown result 0", SequenceTracker.resultName(0));
    }

    @Test
    void shouldRefuseBadSourceIdsAndSequenceNumbers() {
        assertEquals("invalid source engine id 16: this tracker follows sources 0 to 15 (create it with new "
                        + "SequenceTracker(n) for ids 0 to n - 1, at most 65535)",
                assertThrows(IllegalArgumentException.class, () -> tracker.accept(16, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> tracker.accept(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> tracker.lost(16));
        assertThrows(IllegalArgumentException.class, () -> tracker.reset(-1));
        assertEquals("invalid sequence number 0 from source engine 3: sequence numbers start at 1 (TransportFrame.validate "
                        + "refuses such frames: check received frames before tracking them)",
                assertThrows(IllegalArgumentException.class, () -> tracker.accept(3, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> tracker.accept(3, Long.MIN_VALUE));
        assertEquals(0, tracker.totalReceived(), "nothing counted for refused calls");
        assertEquals(0, tracker.received(3));

        SequenceTracker all = new SequenceTracker();
        assertEquals(65535, all.sources());
        assertEquals(IN_ORDER, all.accept(TransportFrame.MAX_SOURCE_ENGINE, 1));
        assertEquals("invalid source engine id 65535: this tracker follows sources 0 to 65534 (65535 is "
                        + "TransportFrame.BROADCAST, never a source)",
                assertThrows(IllegalArgumentException.class, () -> all.accept(TransportFrame.BROADCAST, 1)).getMessage());
        assertEquals("invalid number of sources 0: a tracker follows 1 to 65535 source engines (ids 0 to sources - 1; "
                        + "engine id 65535 is the broadcast address)",
                assertThrows(IllegalArgumentException.class, () -> new SequenceTracker(0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SequenceTracker(65536));
        assertEquals(IN_ORDER, new SequenceTracker(1).accept(0, 1));
    }

    @Test
    void shouldHandleTheLargestSequenceNumbers() {
        expect(1, seq(Long.MAX_VALUE - 1, Long.MAX_VALUE, Long.MAX_VALUE - 2, Long.MAX_VALUE - 100, 1),
                GAP, IN_ORDER, LATE, DUPLICATE_OR_LATE, RESTART);
        assertEquals(Long.MAX_VALUE - 3, tracker.lost(1));
    }

    /**
     * The reference: one source's stream as a set of the sequence numbers seen since the last
     * restart. Lost is not counted as it goes but derived: the numbers up to the highest that are
     * not in the set, plus those of earlier streams.
     */
    private static final class Model {
        Set<Long> seen = new HashSet<>();
        long highest;
        long lostBefore;
        long received;
        long reordered;
        long duplicates;
        long duplicatesOrLate;
        long restarts;

        int accept(long s) {
            received++;
            if (s > highest) {
                int result = s == highest + 1 ? IN_ORDER : GAP;
                highest = s;
                seen.add(s);
                return result;
            }
            boolean inWindow = highest - s <= SequenceTracker.WINDOW;
            if (inWindow && !seen.contains(s)) {
                seen.add(s);
                reordered++;
                return LATE;
            }
            if (s == 1) {
                lostBefore = lost();
                seen = new HashSet<>(Set.of(1L));
                highest = 1;
                restarts++;
                return RESTART;
            }
            if (inWindow) {
                duplicates++;
                return DUPLICATE;
            }
            duplicatesOrLate++;
            return DUPLICATE_OR_LATE;
        }

        long lost() {
            return lostBefore + highest - seen.size();
        }

        List<Long> counters() {
            return List.of(received, lost(), reordered, duplicates, duplicatesOrLate, restarts);
        }
    }

    private static List<Long> counters(SequenceTracker t, int source) {
        return List.of(t.received(source), t.lost(source), t.reordered(source), t.duplicates(source),
                t.duplicatesOrLate(source), t.restarts(source));
    }

    @Test
    void shouldAgreeWithAReferenceModelOnARandomisedStream() {
        Random random = new Random(20_240_611);
        int[] sources = {0, 1, 2, 777, 65534};
        SequenceTracker t = new SequenceTracker();
        Map<Integer, Model> models = new HashMap<>();
        Map<Integer, long[]> next = new HashMap<>();
        Map<Integer, List<Long>> delayed = new HashMap<>();
        for (int source : sources) {
            models.put(source, new Model());
            next.put(source, new long[] {1});
            delayed.put(source, new ArrayList<>());
        }
        int[] results = new int[RESTART + 1];
        for (int event = 0; event < 100_000; event++) {
            int source = sources[random.nextInt(sources.length)];
            long[] n = next.get(source);
            List<Long> held = delayed.get(source);
            double r = random.nextDouble();
            long s;
            if (r < 0.80) {
                s = n[0]++;
                double fate = random.nextDouble();
                if (fate < 0.04) {
                    continue; // lost on the way
                }
                if (fate < 0.14) {
                    held.add(s); // overtaken by later frames
                    continue;
                }
            } else if (r < 0.90) {
                if (held.isEmpty()) {
                    continue;
                }
                s = held.remove(random.nextInt(held.size()));
            } else if (r < 0.95) {
                s = Math.max(1, n[0] - 1 - random.nextInt(80)); // a copy of a recent frame (or of one never sent)
            } else if (r < 0.96) {
                n[0] += 1 + random.nextInt(150); // a burst lost
                continue;
            } else if (r < 0.962) {
                n[0] = 1; // the sender restarts; frames it held back may still arrive
                continue;
            } else if (r < 0.97) {
                s = Math.max(1, n[0] - 1 - random.nextInt(1000)); // an old frame
            } else {
                s = n[0]++; // a frame that was never held back
            }
            Model model = models.get(source);
            int expected = model.accept(s);
            int actual = t.accept(source, s);
            if (expected != actual) {
                assertEquals(SequenceTracker.resultName(expected), SequenceTracker.resultName(actual),
                        "event " + event + ": sequence " + s + " from source " + source + " after highest "
                                + model.highest);
            }
            results[actual]++;
            assertEquals(model.highest, t.highest(source), "event " + event);
            if (event % 997 == 0) {
                assertEquals(model.counters(), counters(t, source), "event " + event + ", source " + source);
            }
        }
        long received = 0;
        long lost = 0;
        long reordered = 0;
        for (int source : sources) {
            Model model = models.get(source);
            assertEquals(model.counters(), counters(t, source), "source " + source + " at the end");
            received += model.received;
            lost += model.lost();
            reordered += model.reordered;
        }
        assertEquals(received, t.totalReceived());
        assertEquals(lost, t.totalLost());
        assertEquals(reordered, t.totalReordered());
        for (int result = IN_ORDER; result <= RESTART; result++) {
            assertTrue(results[result] >= 20, SequenceTracker.resultName(result) + " occurred " + results[result]
                    + " times: the stream must exercise every result");
        }
    }

    @Test
    void shouldNotAllocateOnTheHotPath() {
        SequenceTracker t = new SequenceTracker();
        long[] sequence = {1};
        Allocations.assertNoAllocation("sequence tracking", () -> {
            long sink = 0;
            for (int i = 0; i < 50_000; i++) {
                sequence[0] += (i & 15) == 0 ? 3 : 1;
                sink += t.accept(i & 1023, (i & 31) == 7 ? sequence[0] - 2 : sequence[0]);
                sink += t.lost(i & 1023);
            }
            return sink;
        });
    }

    @Test
    void shouldKeepEachSourcesCountsWhileSourcesAlternate() {
        // the last source's in-order state is kept apart from the others': every reading must see it
        assertEquals(IN_ORDER, tracker.accept(1, 1));
        assertEquals(IN_ORDER, tracker.accept(1, 2));
        assertEquals(2, tracker.highest(1));
        assertEquals(2, tracker.received(1));
        assertEquals(IN_ORDER, tracker.accept(2, 1));
        assertEquals(IN_ORDER, tracker.accept(1, 3));
        assertEquals(GAP, tracker.accept(2, 3));
        assertEquals(1, tracker.lost(2));
        assertEquals(LATE, tracker.accept(2, 2));
        assertEquals(DUPLICATE, tracker.accept(1, 3));
        assertEquals(IN_ORDER, tracker.accept(1, 4));
        assertEquals(4, tracker.highest(1));
        assertEquals(5, tracker.received(1), "duplicates count as received");
        assertEquals(3, tracker.highest(2));
        assertEquals(3, tracker.received(2));
        assertEquals(0, tracker.lost(2));
        assertEquals(1, tracker.reordered(2));
        assertEquals(8, tracker.totalReceived());
        assertTrue(tracker.toString().contains("sources 2 of 16"), tracker.toString());
        tracker.reset(1); // the current source
        assertEquals(0, tracker.received(1));
        assertEquals(0, tracker.highest(1));
        assertEquals(3, tracker.totalReceived());
        assertEquals(IN_ORDER, tracker.accept(1, 1), "counts again from 1 after a reset");
        assertEquals(IN_ORDER, tracker.accept(1, 2));
        assertEquals(3, tracker.received(2));
        assertEquals(5, tracker.totalReceived());
        assertEquals(IN_ORDER, tracker.accept(2, 4));
        assertEquals(DUPLICATE, tracker.accept(1, 2), "source 1's state survived source 2's frame");
    }
}
