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
 * {@link OneToOneRing}: a message committed by the producer is, for a consumer reading at the
 * same time, either not there yet or there whole: never a zero or partly written payload, never
 * twice, never lost.
 *
 * <p>Actors: the producer claims, writes a long and an int in place, commits; the consumer reads
 * once. The arbiter then drains the ring. Results: r1 what the consumer saw, r2 what the arbiter
 * drained (1 = the whole message, 0 = nothing, {@code 4} torn and {@code 8} left in the ring added
 * for anything else), r3 where the record was ({@link RingFixture}: 0 fresh ring, 1 after padding
 * at the end, 2 ending the data region).
 */
@JCStressTest
@Description("one-to-one: claim, write, commit vs one read")
@Outcome(id = "1, 0, [012]", expect = ACCEPTABLE, desc = "the consumer read the whole message")
@Outcome(id = "0, 1, [012]", expect = ACCEPTABLE, desc = "the consumer came before the commit; the message arrived later, whole")
@Outcome(expect = FORBIDDEN, desc = "a torn, zero, lost or duplicated message")
@State
public class OneToOneClaimCommitReadTest {
    private final int place = RingFixture.nextPlace();
    private final OneToOneRing ring = RingFixture.oneToOne(place);

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
