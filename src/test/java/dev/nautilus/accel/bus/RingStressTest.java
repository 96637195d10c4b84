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

    /**
     * One-to-one over stale data that looks committed: every payload (and, at the start, the whole
     * data region) is full of record headers of type 9, so a header slot the producer failed to
     * zero before publishing the record in front of it shows up as a type-9 message or a
     * sequence gap. Runs of 64-byte records (where the producer zeroes the next line's first word
     * ahead, after the header store) alternate with runs of mixed lengths.
     */
    @Test
    void oneToOneConsumerShouldNeverReadAStaleHeader() throws Exception {
        long capacity = 4096;
        int messages = 300_000;
        long fake = 16L | (9L << 32); // length 16, type 9 (little-endian; on big-endian it is still no valid message)
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(RingDescriptor.segmentSize(capacity), 4096);
            OneToOneRing consumer = OneToOneRing.create(seg);
            for (long i = 8; i < capacity; i += 8) {
                consumer.buffer().set(ValueLayout.JAVA_LONG, i, fake);
            }
            OneToOneRing producer = OneToOneRing.attach(seg);
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> sender = pool.submit(() -> {
                    for (long seq = 0; seq < messages; seq++) {
                        int len = staleTestLength(seq);
                        long off;
                        while ((off = producer.tryClaim(1, len)) < 0) {
                            if (System.nanoTime() > deadline) {
                                throw new AssertionError("producer stuck at " + seq);
                            }
                            if (Thread.currentThread().isInterrupted()) {
                                return null; // the consumer failed
                            }
                            Thread.onSpinWait();
                        }
                        MemorySegment buf = producer.buffer();
                        buf.set(ValueLayout.JAVA_LONG, off, seq);
                        for (int i = 8; i + 8 <= len; i += 8) {
                            buf.set(ValueLayout.JAVA_LONG, off + i, fake);
                        }
                        producer.commit(off);
                    }
                    return null;
                });
                long[] next = {0};
                String[] error = {null};
                MessageHandler h = (type, b, o, l) -> {
                    long seq = b.get(ValueLayout.JAVA_LONG, o);
                    if (error[0] == null && (type != 1 || seq != next[0] || l != staleTestLength(seq))) {
                        error[0] = "message " + next[0] + ": type " + type + ", seq " + seq + ", length " + l;
                    }
                    next[0]++;
                };
                while (next[0] < messages && error[0] == null) {
                    if (consumer.read(h, 64) == 0) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("consumer got " + next[0] + " of " + messages);
                        }
                        Thread.onSpinWait();
                    }
                }
                assertEquals(null, error[0]);
                sender.get(10, TimeUnit.SECONDS);
                assertEquals(0, consumer.read(h, 10), "nothing extra");
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            }
        }
    }

    /** Runs of 64 messages of 56 bytes (64-byte records), then 64 of 8 to 504 bytes. */
    private static int staleTestLength(long seq) {
        return (seq / 64) % 2 == 0 ? 56 : 8 + (int) ((seq * 40) % 497);
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
