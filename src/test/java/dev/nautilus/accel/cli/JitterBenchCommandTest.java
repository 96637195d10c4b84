package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.testutil.JsonReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class JitterBenchCommandTest {
    @Test
    @SuppressWarnings("unchecked")
    void shouldMeasureEveryModeAndReportPercentilesAsJson() {
        assumeTrue(Platform.isLinux());
        CliRun r = CliRun.of("bench", "jitter", "--seconds", "0.3", "--json");
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Object> doc = JsonReader.parseObject(r.out());
        List<Object> modes = (List<Object>) doc.get("modes");
        assertEquals(3, modes.size());
        for (Object o : modes) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (m.containsKey("skipped")) {
                assertEquals("pinned+fifo", m.get("mode"), "only FIFO may be skipped (no permission)");
                assertTrue(((String) m.get("skipped")).contains("EPERM"), m.toString());
                continue;
            }
            long samples = ((Number) m.get("samples")).longValue();
            long p50 = ((Number) m.get("p50Ns")).longValue();
            long p99 = ((Number) m.get("p99Ns")).longValue();
            long max = ((Number) m.get("maxNs")).longValue();
            assertTrue(samples > 1000, m.toString());
            assertTrue(p50 > 0 && p50 <= p99 && p99 <= max, m.toString());
            assertTrue(((Number) m.get("over1us")).longValue() >= ((Number) m.get("over100us")).longValue(), m.toString());
        }
        assertTrue(r.err().isEmpty(), "no progress line with --json: " + r.err());
    }

    @Test
    void shouldPrintATableWithTheRatio() {
        assumeTrue(Platform.isLinux());
        CliRun r = CliRun.of("bench", "jitter", "--seconds", "0.2", "--modes", "unpinned,pinned", "-q");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("MODE") && r.out().contains("P99.99 NS"), r::toString);
        assertTrue(r.out().contains("p99.99 unpinned / pinned: "), r::toString);
    }

    @Test
    void shouldRejectBadOptions() {
        CliRun mode = CliRun.of("bench", "jitter", "--modes", "turbo");
        assertEquals(2, mode.exitCode(), mode::toString);
        assertTrue(mode.err().startsWith("nautilus: error: unknown --modes value 'turbo': use unpinned, pinned, pinned+fifo"), mode::toString);
        CliRun cpu = CliRun.of("bench", "jitter", "--cpu", "999");
        assertEquals(2, cpu.exitCode(), cpu::toString);
        assertTrue(cpu.err().contains("CPU 999 is not online"), cpu::toString);
        CliRun prio = CliRun.of("bench", "jitter", "--priority", "0");
        assertEquals(2, prio.exitCode(), prio::toString);
        CliRun secs = CliRun.of("bench", "jitter", "--seconds", "0");
        assertEquals(2, secs.exitCode(), secs::toString);
    }
}
