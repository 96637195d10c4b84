package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.testutil.JsonReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class PortfolioCommandTest {
    @TempDir
    Path dir;

    private static String resource(String name) {
        try {
            return Path.of(PortfolioCommandTest.class.getResource("/dev/nautilus/accel/portfolio/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldOptimizePort1WithSaAndMatchTheExactAnswerAsJson() {
        String port1 = resource("port1.txt");
        CliRun sa = CliRun.of("portfolio", "optimize", "--data", port1, "--assets", "6", "--solver", "sa", "--reads", "8",
                "--sweeps", "1000", "--seed", "3", "--threads", "2", "--json");
        assertEquals(0, sa.exitCode(), sa::toString);
        assertTrue(sa.err().isEmpty(), "no progress with --json: " + sa.err());
        Map<String, Object> doc = JsonReader.parseObject(sa.out());
        Map<String, Object> portfolio = (Map<String, Object>) doc.get("portfolio");
        assertEquals(Boolean.TRUE, portfolio.get("feasible"));
        assertEquals(6, ((Number) portfolio.get("holdings")).intValue());
        Map<String, Object> stats = (Map<String, Object>) doc.get("solverStatistics");
        assertEquals(8, ((List<Object>) stats.get("readEnergies")).size());
        CliRun exact = CliRun.of("portfolio", "optimize", "--data", port1, "--assets", "6", "--solver", "exact", "--json");
        assertEquals(0, exact.exitCode(), exact::toString);
        Map<String, Object> ex = (Map<String, Object>) JsonReader.parseObject(exact.out()).get("portfolio");
        assertEquals(((Number) ex.get("objective")).doubleValue(), ((Number) portfolio.get("objective")).doubleValue(), 1e-12);
        Map<String, Object> classical = (Map<String, Object>) doc.get("classical");
        assertTrue(((Number) classical.get("objective")).doubleValue() <= ((Number) ex.get("objective")).doubleValue());
    }

    @Test
    void shouldPrintATableForEverySolver() {
        String port1 = resource("port1.txt");
        for (String solver : List.of("sqa", "sb", "qp")) {
            CliRun r = CliRun.of("portfolio", "optimize", "--data", port1, "--assets", "4", "--solver", solver, "--reads", "2",
                    "--sweeps", "200", "-q");
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.out().contains("ASSET") && r.out().contains("expected return") && r.out().contains("feasible yes"), r::toString);
            assertTrue(solver.equals("qp") || r.out().contains("classical continuous optimum"), r::toString);
        }
    }

    @Test
    void shouldRejectBadInputWithClearMessages() throws IOException {
        String port1 = resource("port1.txt");
        CliRun k = CliRun.of("portfolio", "optimize", "--data", port1, "--assets", "40");
        assertEquals(2, k.exitCode(), k::toString);
        assertTrue(k.err().startsWith("nautilus: error: invalid --assets 40: " + port1 + " has 31 assets, so K must be 1..31"), k::toString);
        CliRun missing = CliRun.of("portfolio", "optimize", "--data", port1);
        assertEquals(2, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("--assets K is required with --solver sa"), missing::toString);
        Path truncated = dir.resolve("port.txt");
        Files.writeString(truncated, "3\n.1 .2\n");
        CliRun bad = CliRun.of("portfolio", "optimize", "--data", truncated.toString(), "--assets", "2");
        assertEquals(2, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("the file ends (after line 2) where the mean return of asset 2 was expected"), bad::toString);
        CliRun solver = CliRun.of("portfolio", "optimize", "--data", port1, "--assets", "2", "--solver", "magic");
        assertEquals(2, solver.exitCode(), solver::toString);
        CliRun reads = CliRun.of("portfolio", "optimize", "--data", port1, "--assets", "2", "--reads", "0");
        assertEquals(2, reads.exitCode(), reads::toString);
        assertTrue(reads.err().contains("invalid --reads 0"), reads::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldBenchTheSmallSectionsFromADataDirectory() throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("orlib"));
        Files.createDirectories(data.resolve("qubo"));
        Files.copy(Path.of(resource("port1.txt")), data.resolve("orlib/port1.txt"));
        Files.copy(Path.of(resource("bqp50.txt")), data.resolve("qubo/bqp50.txt"));
        CliRun r = CliRun.of("bench", "portfolio", "--data", data.toString(), "--only", "bqp,port1", "--bqp-sets", "bqp50",
                "--scale", "0.05", "--threads", "2", "--json");
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Object> doc = JsonReader.parseObject(r.out());
        List<Object> rows = (List<Object>) doc.get("rows");
        assertEquals(3 + 5, rows.size(), r::toString);
        Map<String, Object> sa = (Map<String, Object>) rows.get(0);
        assertEquals("sa", sa.get("solver"));
        assertTrue(((Number) sa.get("hitRate")).doubleValue() > 0.5, sa::toString);
        CliRun only = CliRun.of("bench", "portfolio", "--data", data.toString(), "--only", "turbo");
        assertEquals(2, only.exitCode(), only::toString);
        assertTrue(only.err().contains("unknown --only section 'turbo'"), only::toString);
        CliRun noDir = CliRun.of("bench", "portfolio", "--data", dir.resolve("nope").toString());
        assertEquals(2, noDir.exitCode(), noDir::toString);
        assertTrue(noDir.err().contains("is not a directory"), noDir::toString);
    }
}
