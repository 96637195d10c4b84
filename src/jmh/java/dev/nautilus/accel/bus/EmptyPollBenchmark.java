package dev.nautilus.accel.bus;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of finding nothing: one {@link Subscriber#poll} of an empty channel whose subscriber
 * reads every lane, one whose subscriber reads one lane, and one {@link Ring#read} of an empty
 * ring. A busy-spinning subscriber runs this between messages, so it sets how soon a message is
 * seen (and, across processes, what the round trip costs beyond the cache-line transfers).
 *
 * <p>Run: {@code make bench BENCH=EmptyPollBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class EmptyPollBenchmark {
    MessageBus bus;
    Subscriber sub;
    Subscriber oneLane;
    Ring ring;
    final MessageHandler handler = (t, b, o, l) -> { };

    /** Creates two empty channels (one subscriber each) and an empty heap ring. */
    @Setup(Level.Trial)
    public void setup() {
        bus = MessageBus.open("/jmh-poll-" + ProcessHandle.current().pid());
        Channel c = bus.createChannel("c", ChannelConfig.defaults().withVariant(RingVariant.ONE_TO_ONE));
        sub = c.subscribe(WaitStrategy.busySpin());
        Channel d = bus.createChannel("d", ChannelConfig.defaults().withVariant(RingVariant.ONE_TO_ONE));
        oneLane = d.subscribe(WaitStrategy.busySpin(), java.util.EnumSet.of(Lane.NORMAL));
        ring = OneToOneRing.create(MemorySegment.ofArray(new long[(int) RingDescriptor.segmentSize(65536) / 8]));
    }

    /** Closes the subscribers and removes the channels. */
    @TearDown(Level.Trial)
    public void tearDown() {
        sub.close();
        oneLane.close();
        bus.removeChannel("c");
        bus.removeChannel("d");
        bus.close();
    }

    /** @return 0: a poll of every lane of an empty channel */
    @Benchmark
    public int subscriberPoll() {
        return sub.poll(handler, 1);
    }

    /** @return 0: a poll of a subscriber that reads one lane */
    @Benchmark
    public int subscriberPollOneLane() {
        return oneLane.poll(handler, 1);
    }

    /** @return 0: a read of an empty ring */
    @Benchmark
    public int ringRead() {
        return ring.read(handler, 1);
    }
}
