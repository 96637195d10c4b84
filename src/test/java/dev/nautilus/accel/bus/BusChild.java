package dev.nautilus.accel.bus;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

/**
 * Child-process side of the bus tests. Commands:
 * <ul>
 *   <li>{@code publish NS CHANNEL PRODUCER COUNT LANE}: COUNT messages (producer id, sequence),
 *       retrying while the lane is full; prints "done"</li>
 *   <li>{@code claim-and-hang NS CHANNEL}: claims a NORMAL message, prints "claimed", never commits</li>
 *   <li>{@code subscribe-and-hang NS CHANNEL}: subscribes, prints "subscribed", sleeps</li>
 *   <li>{@code receive NS CHANNEL COUNT}: subscribes (sleeping strategy), prints "subscribed", receives COUNT messages
 *       checking their sequence, prints "received COUNT"</li>
 * </ul>
 */
public final class BusChild {
    private BusChild() {}

    public static void main(String[] args) throws Exception {
        try (MessageBus bus = MessageBus.open(args[1])) {
            Channel ch = bus.openChannel(args[2]);
            switch (args[0]) {
                case "publish" -> {
                    int producer = Integer.parseInt(args[3]);
                    long count = Long.parseLong(args[4]);
                    Lane lane = Lane.valueOf(args[5]);
                    try (Publisher p = ch.publisher(); Arena a = Arena.ofConfined()) {
                        MemorySegment msg = a.allocate(16);
                        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                        for (long seq = 0; seq < count; seq++) {
                            msg.set(ValueLayout.JAVA_LONG, 0, producer);
                            msg.set(ValueLayout.JAVA_LONG, 8, seq);
                            while (!p.offer(lane, 1 + producer, msg)) {
                                if (System.nanoTime() > deadline) {
                                    throw new IllegalStateException("lane stayed full at seq " + seq);
                                }
                                Thread.onSpinWait();
                            }
                        }
                    }
                    System.out.println("done");
                }
                case "claim-and-hang" -> {
                    Publisher p = ch.publisher();
                    long off = p.tryClaim(Lane.NORMAL, 9, 24);
                    System.out.println(off >= 0 ? "claimed" : "full");
                    System.out.flush();
                    Thread.sleep(Duration.ofMinutes(5));
                }
                case "subscribe-and-hang" -> {
                    ch.subscribe(WaitStrategy.busySpin());
                    System.out.println("subscribed");
                    System.out.flush();
                    Thread.sleep(Duration.ofMinutes(5));
                }
                case "receive" -> {
                    long count = Long.parseLong(args[3]);
                    try (Subscriber s = ch.subscribe(WaitStrategy.defaultSleeping())) {
                        System.out.println("subscribed");
                        System.out.flush();
                        long[] next = {0};
                        String[] error = {null};
                        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                        while (next[0] < count && System.nanoTime() < deadline) {
                            s.receive((t, b, o, l) -> {
                                long seq = b.get(ValueLayout.JAVA_LONG_UNALIGNED, o + 8);
                                if (seq != next[0] && error[0] == null) {
                                    error[0] = "expected " + next[0] + " got " + seq;
                                }
                                next[0]++;
                            }, 256, Duration.ofSeconds(1).toNanos());
                        }
                        System.out.println(error[0] != null ? "error " + error[0] : "received " + next[0]);
                    }
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
    }
}
