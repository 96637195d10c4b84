package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.shm.SharedMemory;
import dev.nautilus.accel.testutil.JsonReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code nautilus bench bus} run in this JVM with tiny counts: a real child JVM, real channels;
 * checks the results are plausible and that nothing (segment, process) is left behind.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BusBenchCommandTest {
    private static final String[] TINY = {"--warmup", "1000", "--round-trips", "5000", "--messages", "100000"};

    private static CliRun bench(String... args) {
        String[] all = new String[2 + TINY.length + args.length];
        all[0] = "bench";
        all[1] = "bus";
        System.arraycopy(TINY, 0, all, 2, TINY.length);
        System.arraycopy(args, 0, all, 2 + TINY.length, args.length);
        return CliRun.of(all);
    }

    private static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof Number, key + " is a number in " + m);
        return ((Number) v).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static void assertPlausibleLatency(Map<String, Object> l, long roundTrips) {
        assertEquals(roundTrips, (long) num(l, "roundTrips"), l::toString);
        double p50 = num(l, "p50");
        assertTrue(p50 > 0, "p50 > 0: " + l);
        assertTrue(num(l, "p90") >= p50, "p90 >= p50: " + l);
        assertTrue(num(l, "p99") >= num(l, "p90"), "p99 >= p90: " + l);
        assertTrue(num(l, "p999") >= num(l, "p99"), "p99.9 >= p99: " + l);
        assertTrue(num(l, "max") >= num(l, "p999"), "max >= p99.9: " + l);
        assertTrue(num(l, "mean") > 0 && num(l, "mean") <= num(l, "max"), "0 < mean <= max: " + l);
    }

    private static void assertNothingLeft(String namespace, long childPid) {
        assertEquals(List.of(), SharedMemory.list(namespace + "."), "no segment of the bench namespace remains");
        assertFalse(ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false), "the child process is gone");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldMeasureBaselinePingPongAndThroughputAsJsonAndLeaveNothingBehind() {
        CliRun r = bench("--sizes", "32", "--json");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err(), "no progress line with --json");
        Map<String, Object> doc = JsonReader.parseObject(r.out());
        assertEquals("bus", doc.get("benchmark"));
        Map<String, Object> machine = map(doc.get("machine"));
        assertEquals(Runtime.getRuntime().availableProcessors(), (int) num(machine, "cpus"));
        assertEquals(System.getProperty("java.version"), machine.get("javaVersion"));
        assertEquals(dev.nautilus.accel.nativeaccess.Platform.id(), machine.get("platform"));
        assertEquals(dev.nautilus.accel.affinity.Affinity.onlineCpus().size() >= 2, doc.get("pinned"));
        assertEquals("us", doc.get("latencyUnit"));
        String namespace = (String) doc.get("namespace");
        assertTrue(namespace.matches("/nautilus-bench-" + ProcessHandle.current().pid() + "(-\\d+)?"), namespace);
        long childPid = (long) num(doc, "childPid");
        assertTrue(childPid > 0 && childPid != ProcessHandle.current().pid(), doc::toString);

        Map<String, Object> settings = map(doc.get("settings"));
        assertEquals(List.of(32L), ((List<Object>) settings.get("sizes")).stream().map(o -> ((Number) o).longValue()).toList());
        assertEquals(List.of("busy-spin"), settings.get("strategies"));
        assertEquals("ONE_TO_ONE", settings.get("variant"));

        Map<String, Object> baseline = map(doc.get("baseline"));
        assertPlausibleLatency(baseline, 5000);
        assertEquals(1.0, num(baseline, "p50VsBaseline"));

        List<Object> pingPong = (List<Object>) doc.get("pingPong");
        assertEquals(2, pingPong.size(), "one row per lanes-read mode (one, then all)\n" + r);
        for (int i = 0; i < 2; i++) {
            Map<String, Object> pp = map(pingPong.get(i));
            assertEquals(32, (int) num(pp, "size"));
            assertEquals("busy-spin", pp.get("strategy"));
            assertEquals(i == 0 ? "one" : "all", pp.get("lanesRead"));
            assertPlausibleLatency(pp, 5000);
            assertEquals(num(pp, "p50") / num(baseline, "p50"), num(pp, "p50VsBaseline"), 1e-9);
        }

        List<Object> throughput = (List<Object>) doc.get("throughput");
        assertEquals(1, throughput.size(), r::toString);
        Map<String, Object> tp = map(throughput.get(0));
        assertEquals(32, (int) num(tp, "size"));
        assertEquals(100_000, (long) num(tp, "messages"));
        assertTrue(num(tp, "seconds") > 0, tp::toString);
        assertTrue(num(tp, "messagesPerSecond") > 0, tp::toString);
        assertEquals(num(tp, "messagesPerSecond") * 32 / 1e6, num(tp, "megabytesPerSecond"), 1e-6);

        assertNothingLeft(namespace, childPid);
    }

    @Test
    void shouldRejectBadCpuChoicesAsUsageErrors() {
        CliRun one = CliRun.of("bench", "bus", "--cpus", "0");
        assertEquals(2, one.exitCode(), one::toString);
        assertTrue(one.err().startsWith("nautilus: error: invalid --cpus [0]: give two different CPUs"), one::toString);
        CliRun same = CliRun.of("bench", "bus", "--cpus", "0,0");
        assertEquals(2, same.exitCode(), same::toString);
        CliRun offline = CliRun.of("bench", "bus", "--cpus", "0,999");
        assertEquals(2, offline.exitCode(), offline::toString);
        assertTrue(offline.err().contains("CPU 999 is not online"), offline::toString);
        CliRun both = CliRun.of("bench", "bus", "--cpus", "0,1", "--no-pin");
        assertEquals("nautilus: error: --cpus and --no-pin exclude each other\n", both.err().lines().findFirst().orElse("") + "\n");
    }

    @Test
    void shouldPrintBothTablesWithEveryStrategyAndSizeAndAProgressLine() {
        CliRun r = bench("--sizes", "16,64", "--strategy", "busy-spin,yield,sleep", "--spins", "100",
                "--variant", "many-to-one", "--no-pin");

        assertEquals(0, r.exitCode(), r::toString);
        String out = r.out();
        assertTrue(out.contains("\nthreads     NOT pinned to CPUs (--no-pin, or fewer than 2 CPUs)"), r::toString);
        assertTrue(out.contains("\nstrategies  busy-spin = busy-spin; yield = spin-then-yield(100);"
                + " sleep = spin-then-sleep(100, 100, PT0.1S)\n"), r::toString);
        assertTrue(Pattern.compile("(?m)^TEST +SIZE +STRATEGY +LANES READ +ROUND TRIPS +P50 +P90 +P99 +P99\\.9 +MAX +MEAN +P50 VS BASELINE$")
                .matcher(out).find(), r::toString);
        String us = " +\\d+\\.\\d\\d";
        assertTrue(Pattern.compile("(?m)^baseline +- +busy-spin +- +5000" + us.repeat(6) + " +1\\.00x$").matcher(out).find(),
                r::toString);
        for (String strategy : List.of("busy-spin", "yield", "sleep")) {
            for (String size : List.of("16 B", "64 B")) {
                for (String lanes : List.of("all", "one")) {
                    assertTrue(Pattern.compile("(?m)^bus ping-pong +" + size + " +" + strategy + " +" + lanes + " +5000"
                            + us.repeat(6) + " +\\d+\\.\\d\\dx$").matcher(out).find(), strategy + " " + size + " " + lanes + "\n" + r);
                }
            }
        }
        assertTrue(out.contains("One-way throughput (the child publishes as fast as it can on a MANY_TO_ONE channel"), r::toString);
        assertTrue(Pattern.compile("(?m)^ *SIZE +STRATEGY +MESSAGES +SECONDS +MSG/S +MB/S$").matcher(out).find(), r::toString);
        assertTrue(Pattern.compile("(?m)^ *16 B +sleep +100000 +\\d+\\.\\d{3} +[\\d,]+ +[\\d,]+\\.\\d$").matcher(out).find(),
                r::toString);
        assertTrue(Pattern.compile("(?m)^ *64 B +yield +50000 +").matcher(out).find(), "64 B sends 100000 * 32 / 64\n" + r);
        assertTrue(r.err().contains("\rping-pong 16 B busy-spin, all lanes: 0/6000"), r::toString);
        assertTrue(r.err().contains("\rping-pong 16 B sleep, one lane: 0/6000"), r::toString);
        assertTrue(r.err().contains("\rthroughput 64 B sleep: 0/50000"), r::toString);
        assertFalse(r.err().contains("nautilus: error"), r::toString);
    }

    @Test
    void shouldPrintNoProgressWhenQuiet() {
        CliRun r = bench("--sizes", "16", "--quiet");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err());
        assertTrue(r.out().contains("bus ping-pong  16 B"), r::toString);
    }

    @Test
    void shouldRejectASizeTooSmallForTheTimestamp() {
        CliRun r = CliRun.of("bench", "bus", "--sizes", "32,8");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: invalid --sizes value 8: a message needs at least 16 bytes"
                + " (its send time and sequence number)\n"), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void shouldRejectASizeAboveTheLanesLargestMessage() {
        CliRun r = CliRun.of("bench", "bus", "--sizes", "8193");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: invalid --sizes value 8193: the benchmark's ping-pong lane (NORMAL,"
                + " 64.0 KiB) takes messages of at most 8192 bytes\n"), r::toString);
    }

    @Test
    void shouldRejectASizeThatIsNotANumber() {
        CliRun r = CliRun.of("bench", "bus", "--sizes", "32,big");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: Invalid value for option '--sizes' (BYTES): 'big' is not an int\n"),
                r::toString);
    }

    @Test
    void shouldRejectAnUnknownLanesChoice() {
        CliRun r = CliRun.of("bench", "bus", "--lanes", "all,some");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: unknown --lanes 'some': use all, one, or all,one\n"), r::toString);
    }

    @Test
    void shouldRejectAnUnknownStrategyOrVariant() {
        CliRun strategy = CliRun.of("bench", "bus", "--strategy", "busy-spin,nap");
        CliRun variant = CliRun.of("bench", "bus", "--variant", "one-to-many");

        assertEquals(2, strategy.exitCode(), strategy::toString);
        assertTrue(strategy.err().startsWith("nautilus: error: unknown --strategy 'nap': use busy-spin, yield, sleep\n"),
                strategy::toString);
        assertEquals(2, variant.exitCode(), variant::toString);
        assertTrue(variant.err().startsWith("nautilus: error: unknown --variant 'one-to-many': use one-to-one or many-to-one\n"),
                variant::toString);
    }

    @Test
    void shouldRejectCountsOutOfRange() {
        CliRun roundTrips = CliRun.of("bench", "bus", "--round-trips", "0");
        CliRun warmup = CliRun.of("bench", "bus", "--warmup", "-1");
        CliRun messages = CliRun.of("bench", "bus", "--messages", "0");

        assertEquals(2, roundTrips.exitCode(), roundTrips::toString);
        assertTrue(roundTrips.err().startsWith("nautilus: error: invalid --round-trips 0: it must be 1 or more\n"),
                roundTrips::toString);
        assertEquals(2, warmup.exitCode(), warmup::toString);
        assertTrue(warmup.err().startsWith("nautilus: error: invalid --warmup -1: it must be 0 or more\n"), warmup::toString);
        assertEquals(2, messages.exitCode(), messages::toString);
        assertTrue(messages.err().startsWith("nautilus: error: invalid --messages 0: it must be 1 or more\n"), messages::toString);
    }
}
