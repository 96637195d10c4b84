package dev.nautilus.accel.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.testutil.ChildJvm;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Publishers and subscribers in real child JVMs. */
@Timeout(180)
class BusCrossProcessTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final long CHILD_MS = 90_000;
    private String ns;
    private MessageBus bus;

    @BeforeEach
    void open() {
        ns = "/na-busxp-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        bus = MessageBus.open(ns);
    }

    @AfterEach
    void close() {
        bus.close();
        SharedMemory.list(ns + ".").forEach(i -> SharedMemory.unlink(i.name()));
    }

    private static ChannelConfig config() {
        return ChannelConfig.defaults().withLaneCapacity(Lane.NORMAL, 64 * 1024)
                .withUnblockTimeout(Duration.ofMillis(300));
    }

    @Test
    void shouldDeliverEveryMessageFromTwoPublisherProcessesInPerProducerOrder() throws Exception {
        Channel ch = bus.createChannel("md", config());
        int each = 100_000;
        try (Subscriber s = ch.subscribe(WaitStrategy.defaultSleeping());
             ChildJvm a = ChildJvm.start(BusChild.class, "publish", ns, "md", "0", String.valueOf(each), "NORMAL");
             ChildJvm b = ChildJvm.start(BusChild.class, "publish", ns, "md", "1", String.valueOf(each), "NORMAL")) {
            long[] next = new long[2];
            long[] total = {0};
            String[] error = {null};
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (total[0] < 2L * each && System.nanoTime() < deadline) {
                s.receive((t, buf, o, l) -> {
                    int id = (int) buf.get(ValueLayout.JAVA_LONG_UNALIGNED, o);
                    long seq = buf.get(ValueLayout.JAVA_LONG_UNALIGNED, o + 8);
                    if ((id != 0 && id != 1) || t != 1 + id || l != 16) {
                        error[0] = "bad message type " + t + " id " + id + " length " + l;
                    } else if (seq != next[id]++ && error[0] == null) {
                        error[0] = "producer " + id + ": expected " + (next[id] - 1) + " got " + seq;
                    }
                    total[0]++;
                }, 256, TimeUnit.SECONDS.toNanos(1));
            }
            assertEquals(0, a.waitFor(CHILD_MS), a.output());
            assertEquals(0, b.waitFor(CHILD_MS), b.output());
            assertEquals(null, error[0]);
            assertEquals(2L * each, total[0]);
            assertEquals(each, next[0]);
            assertEquals(each, next[1]);
        }
    }

    @Test
    void shouldDeliverToASubscriberInAnotherProcess() throws Exception {
        Channel ch = bus.createChannel("fills", config().withVariant(RingVariant.ONE_TO_ONE));
        int count = 20_000;
        try (ChildJvm child = ChildJvm.start(BusChild.class, "receive", ns, "fills", String.valueOf(count));
             Publisher p = ch.publisher()) {
            assertEquals("subscribed", child.nextLine(CHILD_MS));
            MemorySegment m = MemorySegment.ofArray(new long[2]);
            for (long seq = 0; seq < count; seq++) {
                m.set(ValueLayout.JAVA_LONG, 8, seq);
                while (!p.offer(Lane.NORMAL, 1, m)) {
                    Thread.onSpinWait();
                }
                if (seq % 2000 == 0) {
                    // idle gaps: the child falls asleep and must be woken (wait until it says so: a
                    // fixed pause is too short on a loaded machine)
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                    while (!ch.info().subscriberSleeping() && System.nanoTime() < deadline) {
                        Thread.sleep(1);
                    }
                }
            }
            assertEquals("received " + count, child.nextLine(CHILD_MS));
            assertEquals(0, child.waitFor(CHILD_MS), child.output());
            assertTrue(p.wakeups() > 0, "the sleeping child was woken by futex");
        }
    }

    @Test
    void shouldCarryOnAfterAPublisherIsKilledBetweenClaimAndCommit() throws Exception {
        Channel ch = bus.createChannel("crash", config());
        try (Subscriber s = ch.subscribe(WaitStrategy.spinThenSleep(100, 10, Duration.ofMillis(50)));
             Publisher p = ch.publisher()) {
            try (ChildJvm child = ChildJvm.start(BusChild.class, "claim-and-hang", ns, "crash")) {
                assertEquals("claimed", child.nextLine(CHILD_MS));
                child.kill(); // SIGKILL mid-claim
                assertTrue(!child.isAlive());
            }
            for (int i = 1; i <= 3; i++) {
                assertTrue(p.offer(Lane.NORMAL, 1, MemorySegment.ofArray(new long[] {i})));
            }
            List<Long> got = new ArrayList<>();
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
            while (got.size() < 3 && System.nanoTime() < deadline) {
                s.receive((t, b, o, l) -> got.add(b.get(ValueLayout.JAVA_LONG_UNALIGNED, o)), 10,
                        TimeUnit.MILLISECONDS.toNanos(200));
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(List.of(1L, 2L, 3L), got, "the messages behind the dead claim arrive");
            assertEquals(1, s.unblockedCount(Lane.NORMAL));
            assertTrue(ms >= 250, "not before the 300 ms unblock timeout: " + ms + " ms");
        }
    }

    @Test
    void shouldTakeOverTheSubscriberSlotOfAKilledProcess() throws Exception {
        Channel ch = bus.createChannel("slot", config());
        try (ChildJvm child = ChildJvm.start(BusChild.class, "subscribe-and-hang", ns, "slot")) {
            assertEquals("subscribed", child.nextLine(CHILD_MS));
            IllegalStateException busy = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> ch.subscribe(WaitStrategy.busySpin()));
            assertTrue(busy.getMessage().contains("already has a subscriber: process " + child.pid() + " (alive)"),
                    busy.getMessage());
            child.kill();
        }
        try (Subscriber s = ch.subscribe(WaitStrategy.busySpin())) {
            assertEquals(ProcessHandle.current().pid(), ch.info().subscriberPid());
        }
    }
}
