package dev.nautilus.accel.bus;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * {@link ManyToOneRing}: producers race for space (compare-and-set on the tail) while the consumer
 * reads. Each message is, for the consumer, absent or whole; together with what the arbiter drains
 * after every actor, each is delivered exactly once.
 *
 * <p>Results: bit 1 = producer 0's message whole, bit 2 = producer 1's message whole, {@code 4}
 * torn, zero, unknown or duplicated, {@code 8} something left in the ring; the last result is where
 * the first record was ({@link RingFixture}: 0 fresh ring, 1 after padding at the end, 2 ending the
 * data region). The shapes:
 * <ul>
 *   <li>{@link ProducerVsConsumer}: one producer, one consumer reading once (r1), the arbiter
 *       drains (r2): the compare-and-set claim against a concurrent read;</li>
 *   <li>{@link TwoProducers}: two producers; the arbiter drains (r1) and says whose message came
 *       first (r2): claims racing each other never overlap;</li>
 *   <li>{@link ProducerVsProducerThenConsumer}: producer 0, and a thread that commits producer 1's
 *       message and then reads once (r1); the arbiter drains (r2): a read while another producer
 *       is between claim and commit;</li>
 *   <li>{@link TwoProducersVsConsumer}: all three at once. It needs 3 CPUs: jcstress skips it on
 *       smaller machines (its "Scheduling classes" lines say "3 actors: No scheduling is
 *       possible").</li>
 * </ul>
 */
public final class ManyToOneClaimCommitReadTest {
    private ManyToOneClaimCommitReadTest() {}

    /** One producer, one consumer. */
    @JCStressTest
    @Description("many-to-one: one producer's claim, write, commit vs one read")
    @Outcome(id = "1, 0, [012]", expect = ACCEPTABLE, desc = "the consumer read the whole message")
    @Outcome(id = "0, 1, [012]", expect = ACCEPTABLE, desc = "the consumer came before the commit; the message arrived later, whole")
    @Outcome(expect = FORBIDDEN, desc = "a torn, zero, lost or duplicated message")
    @State
    public static class ProducerVsConsumer {
        private final int place = RingFixture.nextPlace();
        private final ManyToOneRing ring = RingFixture.manyToOne(place);

        @Actor
        public void producer() {
            RingFixture.produce(ring, 0, true);
        }

        @Actor
        public void consumer(III_Result r) {
            r.r1 = RingFixture.readOnce(ring);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r2 = RingFixture.drain(ring);
            r.r3 = place;
        }
    }

    /** Two producers; the arbiter is the consumer. */
    @JCStressTest
    @Description("many-to-one: two producers racing")
    @Outcome(id = "3, 1, [012]", expect = ACCEPTABLE, desc = "both delivered whole, producer 0's first")
    @Outcome(id = "3, 2, [012]", expect = ACCEPTABLE, desc = "both delivered whole, producer 1's first")
    @Outcome(expect = FORBIDDEN, desc = "a torn, zero, lost or duplicated message")
    @State
    public static class TwoProducers {
        private final int place = RingFixture.nextPlace();
        private final ManyToOneRing ring = RingFixture.manyToOne(place);

        @Actor
        public void producer0() {
            RingFixture.produce(ring, 0, true);
        }

        @Actor
        public void producer1() {
            RingFixture.produce(ring, 1, true);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            RingFixture.Seen seen = new RingFixture.Seen();
            r.r1 = RingFixture.drain(ring, seen);
            r.r2 = seen.first;
            r.r3 = place;
        }
    }

    /** Producer 0, and producer 1 that then reads once. */
    @JCStressTest
    @Description("many-to-one: producer vs producer-then-consumer")
    @Outcome(id = "3, 0, [012]", expect = ACCEPTABLE, desc = "the reader saw both messages")
    @Outcome(id = "2, 1, [012]", expect = ACCEPTABLE, desc = "the reader saw its own (claimed first); producer 0's arrived later")
    @Outcome(id = "0, 3, [012]", expect = ACCEPTABLE, desc = "producer 0 claimed first and had not committed: the reader saw nothing")
    @Outcome(expect = FORBIDDEN, desc = "a torn, zero, lost or duplicated message, or a read missing a message committed before it")
    @State
    public static class ProducerVsProducerThenConsumer {
        private final int place = RingFixture.nextPlace();
        private final ManyToOneRing ring = RingFixture.manyToOne(place);

        @Actor
        public void producer0() {
            RingFixture.produce(ring, 0, true);
        }

        @Actor
        public void producer1ThenConsumer(III_Result r) {
            RingFixture.produce(ring, 1, true);
            r.r1 = RingFixture.readOnce(ring);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r2 = RingFixture.drain(ring);
            r.r3 = place;
        }
    }

    /** Two producers and a consumer at once (needs 3 CPUs). */
    @JCStressTest
    @Description("many-to-one: two producers claim, write, commit vs one read")
    @Outcome(id = "3, 0, [012]", expect = ACCEPTABLE, desc = "the consumer read both messages")
    @Outcome(id = "1, 2, [012]", expect = ACCEPTABLE, desc = "the consumer read producer 0's; producer 1's arrived later")
    @Outcome(id = "2, 1, [012]", expect = ACCEPTABLE, desc = "the consumer read producer 1's (claimed first); producer 0's arrived later")
    @Outcome(id = "0, 3, [012]", expect = ACCEPTABLE, desc = "the consumer read nothing; both arrived later")
    @Outcome(expect = FORBIDDEN, desc = "a torn, zero, lost or duplicated message")
    @State
    public static class TwoProducersVsConsumer {
        private final int place = RingFixture.nextPlace();
        private final ManyToOneRing ring = RingFixture.manyToOne(place);

        @Actor
        public void producer0() {
            RingFixture.produce(ring, 0, true);
        }

        @Actor
        public void producer1() {
            RingFixture.produce(ring, 1, true);
        }

        @Actor
        public void consumer(III_Result r) {
            r.r1 = RingFixture.readOnce(ring);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r2 = RingFixture.drain(ring);
            r.r3 = place;
        }
    }
}
