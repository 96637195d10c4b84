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

/** Diagnostic: the cost of one poll of an empty channel (three lanes) and of one empty ring read. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class EmptyPollBenchmark {
    MessageBus bus;
    Subscriber sub;
    Ring ring;
    final MessageHandler handler = (t, b, o, l) -> { };

    @Setup(Level.Trial)
    public void setup() {
        bus = MessageBus.open("/jmh-poll-" + ProcessHandle.current().pid());
        Channel c = bus.createChannel("c", ChannelConfig.defaults().withVariant(RingVariant.ONE_TO_ONE));
        sub = c.subscribe(WaitStrategy.busySpin());
        ring = OneToOneRing.create(MemorySegment.ofArray(new long[(int) RingDescriptor.segmentSize(65536) / 8]));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sub.close();
        bus.removeChannel("c");
        bus.close();
    }

    @Benchmark
    public int subscriberPoll() {
        return sub.poll(handler, 1);
    }

    @Benchmark
    public int ringRead() {
        return ring.read(handler, 1);
    }
}
