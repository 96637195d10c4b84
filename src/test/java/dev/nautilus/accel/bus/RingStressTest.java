package dev.nautilus.accel.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Producers and a consumer on real threads; every message is checked: it arrives exactly once,
 * in per-producer order, with its payload intact.
 */
@Timeout(120)
class RingStressTest {
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(90);

    @Test
    void shouldDeliverEveryMessageOnceAndInOrderFromManyProducers() throws Exception {
        run(RingVariant.MANY_TO_ONE, 4, 250_000, 16 * 1024);
    }

    @Test
    void shouldDeliverEveryMessageOnceAndInOrderFromOneProducer() throws Exception {
        run(RingVariant.ONE_TO_ONE, 1, 1_000_000, 16 * 1024);
    }

    /** Payload: producer id (int), sequence (long), then (length-12) bytes derived from both. */
    private static void run(RingVariant variant, int producers, int perProducer, long capacity) throws Exception {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(RingDescriptor.segmentSize(capacity), 4096);
            Ring ring = variant == RingVariant.ONE_TO_ONE ? OneToOneRing.create(seg) : ManyToOneRing.create(seg);
            ExecutorService pool = Executors.newFixedThreadPool(producers);
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    int id = p;
                    futures.add(pool.submit(() -> {
                        for (long seq = 0; seq < perProducer; seq++) {
                            int len = 12 + (int) ((seq * 7 + id) % 53);
                            long off;
                            while ((off = ring.tryClaim(1 + id, len)) < 0) {
                                if (System.nanoTime() > deadline) {
                                    throw new AssertionError("producer " + id + " stuck at " + seq);
                                }
                                Thread.onSpinWait();
                            }
                            MemorySegment buf = ring.buffer();
                            buf.set(ValueLayout.JAVA_INT_UNALIGNED, off, id);
                            buf.set(ValueLayout.JAVA_LONG_UNALIGNED, off + 4, seq);
                            for (int i = 12; i < len; i++) {
                                buf.set(ValueLayout.JAVA_BYTE, off + i, (byte) (seq + id + i));
                            }
                            ring.commit(off);
                        }
                        return null;
                    }));
                }
                long[] next = new long[producers];
                long total = (long) producers * perProducer;
                long[] received = {0};
                String[] error = {null};
                MessageHandler h = (type, b, o, l) -> {
                    int id = b.get(ValueLayout.JAVA_INT_UNALIGNED, o);
                    long seq = b.get(ValueLayout.JAVA_LONG_UNALIGNED, o + 4);
                    if (error[0] == null) {
                        if (type != 1 + id || id < 0 || id >= producers) {
                            error[0] = "bad type " + type + " for producer " + id;
                        } else if (seq != next[id]) {
                            error[0] = "producer " + id + ": expected seq " + next[id] + " got " + seq;
                        } else if (l != 12 + (int) ((seq * 7 + id) % 53)) {
                            error[0] = "producer " + id + " seq " + seq + ": length " + l;
                        } else {
                            for (int i = 12; i < l; i++) {
                                if (b.get(ValueLayout.JAVA_BYTE, o + i) != (byte) (seq + id + i)) {
                                    error[0] = "producer " + id + " seq " + seq + ": payload byte " + i + " corrupt";
                                    break;
                                }
                            }
                        }
                    }
                    if (id >= 0 && id < producers) {
                        next[id]++;
                    }
                    received[0]++;
                };
                while (received[0] < total) {
                    if (ring.read(h, 256) == 0) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("consumer got " + received[0] + " of " + total);
                        }
                        Thread.onSpinWait();
                    }
                }
                for (Future<?> f : futures) {
                    f.get(10, TimeUnit.SECONDS);
                }
                assertEquals(null, error[0]);
                assertEquals(total, received[0]);
                for (int p = 0; p < producers; p++) {
                    assertEquals(perProducer, next[p], "producer " + p);
                }
                assertEquals(0, ring.read(h, 10), "nothing extra");
                assertEquals(0, ring.size());
                assertTrue(ring.consumerPosition() > 10 * capacity, "wrapped many times");
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }
}
