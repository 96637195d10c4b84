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
 * {@code abort}: an aborted message is never delivered, and does not hold up the committed
 * message behind it.
 *
 * <p>Producer 0's message is claimed, written and aborted; producer 1's is committed. Results: r1
 * what the consumer saw in one read, r2 what the arbiter drained (bit 2 = producer 1's message
 * whole, bit 1 = the aborted message was delivered, {@code 4} torn, {@code 8} left in the ring),
 * r3 where the first record was ({@link RingFixture}: 0 fresh ring, 1 after padding at the end, 2
 * ending the data region).
 */
public final class AbortTest {
    private AbortTest() {}

    /** One producer thread: abort a claim, then claim, write and commit another. */
    @JCStressTest
    @Description("one-to-one: aborted claim then committed claim vs one read")
    @Outcome(id = "2, 0, [012]", expect = ACCEPTABLE, desc = "the consumer read the committed message, skipping the aborted one")
    @Outcome(id = "0, 2, [012]", expect = ACCEPTABLE, desc = "the consumer read nothing; the committed message arrived later")
    @Outcome(expect = FORBIDDEN, desc = "the aborted message was delivered, or the committed one was torn, lost or duplicated")
    @State
    public static class OneToOne {
        private final int place = RingFixture.nextPlace();
        private final OneToOneRing ring = RingFixture.oneToOne(place);

        @Actor
        public void producer() {
            RingFixture.produce(ring, 0, false);
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

    /**
     * Two producers: one aborts; the other commits and then reads once (2 actors, so it runs on
     * 2 CPUs). Its read sees its own message unless the aborter claimed first and had not yet
     * aborted.
     */
    @JCStressTest
    @Description("many-to-one: one producer aborts, another commits then reads")
    @Outcome(id = "2, 0, [012]", expect = ACCEPTABLE, desc = "the reader read the committed message")
    @Outcome(id = "0, 2, [012]", expect = ACCEPTABLE, desc = "the aborter's claim came first and was still open: the reader saw nothing")
    @Outcome(expect = FORBIDDEN, desc = "the aborted message was delivered, or the committed one was torn, lost or duplicated")
    @State
    public static class ManyToOne {
        private final int place = RingFixture.nextPlace();
        private final ManyToOneRing ring = RingFixture.manyToOne(place);

        @Actor
        public void aborter() {
            RingFixture.produce(ring, 0, false);
        }

        @Actor
        public void committerThenConsumer(III_Result r) {
            RingFixture.produce(ring, 1, true);
            r.r1 = RingFixture.readOnce(ring);
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r2 = RingFixture.drain(ring);
            r.r3 = place;
        }
    }
}
