package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nautilus.accel.affinity.Affinity;
import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.testutil.JavaProcess;
import dev.nautilus.accel.testutil.JsonReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class AffinityCommandTest {
    private static final List<String> JVM = List.of("--enable-native-access=ALL-UNNAMED");

    @BeforeAll
    static void linux() {
        assumeTrue(Platform.isLinux());
    }

    @Test
    void shouldShowEveryThreadOfAProcess() {
        long pid = ProcessHandle.current().pid();
        CliRun r = CliRun.of("affinity", "show", Long.toString(pid));
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("process " + pid + " (java), "), r::toString);
        assertTrue(r.out().contains("TID  ") && r.out().contains("POLICY"), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(Long.toString(pid) + " ")), "the main thread is listed\n" + r);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldShowOneThreadAsJson() {
        long tid = Affinity.currentThreadId();
        CliRun r = CliRun.of("affinity", "show", "--json", Long.toString(tid));
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Object> doc = (Map<String, Object>) JsonReader.parse(r.out());
        List<Object> threads = (List<Object>) doc.get("threads");
        Map<String, Object> t = (Map<String, Object>) threads.get(0);
        assertEquals(tid, ((Number) t.get("tid")).longValue());
        assertEquals(Affinity.currentThreadAffinity().toString(), t.get("cpus"));
        assertEquals("OTHER", t.get("policy"));
    }

    @Test
    void shouldFailClearlyForAMissingProcess() {
        CliRun r = CliRun.of("affinity", "show", "999999999");
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("nautilus: error: no process or thread 999999999 (ps -eLf lists them)\n", r.err());
    }

    @Test
    void shouldRunACommandPinnedAndReturnItsExitCode() throws Exception {
        int cpu = Affinity.onlineCpus().last();
        JavaProcess.Result r = JavaProcess.run(Nautilus.class.getName(), JVM,
                List.of("affinity", "run", "--cpus", Integer.toString(cpu), "--",
                        "sh", "-c", "grep Cpus_allowed_list /proc/self/status; exit 7"), Duration.ofSeconds(60));
        assertEquals(7, r.exitCode(), r::toString);
        assertEquals("Cpus_allowed_list:\t" + cpu, r.stdout().strip());
    }

    @Test
    void shouldRunACommandUnderFifoWhenPermitted() throws Exception {
        JavaProcess.Result r = JavaProcess.run(Nautilus.class.getName(), JVM,
                List.of("affinity", "run", "--cpus", "0", "--fifo", "15", "--", "chrt", "-p", "0"), Duration.ofSeconds(60));
        assumeTrue(!r.stderr().contains("EPERM"), "not permitted here");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("SCHED_FIFO") && r.stdout().contains("priority: 15"), r::toString);
    }

    @Test
    void shouldRejectBadArgumentsWithUsageErrors() {
        CliRun both = CliRun.of("affinity", "run", "--cpus", "0", "--fifo", "5", "--rr", "5", "--", "true");
        assertEquals(2, both.exitCode(), both::toString);
        assertEquals("nautilus: error: --fifo and --rr exclude each other: choose one policy\n", both.err());
        CliRun list = CliRun.of("affinity", "run", "--cpus", "0-", "--", "true");
        assertEquals(2, list.exitCode(), list::toString);
        assertTrue(list.err().startsWith("nautilus: error: malformed CPU list \"0-\""), list::toString);
        CliRun prio = CliRun.of("affinity", "run", "--cpus", "0", "--rr", "0", "--", "true");
        assertEquals("nautilus: error: invalid priority 0 for SCHED_RR: it must be 1..99\n", prio.err());
        CliRun none = CliRun.of("affinity", "run", "--cpus", "0");
        assertEquals(2, none.exitCode(), none::toString);
    }

    @Test
    void shouldSayWhenTheCommandDoesNotExist() throws Exception {
        JavaProcess.Result r = JavaProcess.run(Nautilus.class.getName(), JVM,
                List.of("affinity", "run", "--cpus", "0", "--", "/no/such/program"), Duration.ofSeconds(60));
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stderr().startsWith("nautilus: error: execvp(calling thread) failed: ENOENT"), r::toString);
    }
}
