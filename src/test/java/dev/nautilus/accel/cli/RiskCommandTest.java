package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.risk.MarketModel;
import dev.nautilus.accel.risk.OrLibraryPortfolioFile;
import dev.nautilus.accel.risk.ParametricEngine;
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
class RiskCommandTest {
    private static String port1() throws URISyntaxException {
        return Path.of(RiskCommandTest.class.getResource("/dev/nautilus/accel/risk/port1.txt").toURI()).toString();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldPrintTheClosedFormAsJson() throws Exception {
        CliRun r = CliRun.of("risk", "var", "--data", port1(), "--method", "parametric", "--levels", "0.95,0.99", "--json");
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Object> doc = JsonReader.parseObject(r.out());
        assertEquals("parametric", doc.get("method"));
        assertEquals(31, ((Number) doc.get("assets")).intValue());
        List<Object> est = (List<Object>) doc.get("estimates");
        assertEquals(2, est.size());
        MarketModel m = OrLibraryPortfolioFile.read(Path.of(port1()));
        double expected = new ParametricEngine(m, MarketModel.equalWeights(31)).estimate(0.99).at(0.99).valueAtRisk();
        assertEquals(expected, ((Number) ((Map<String, Object>) est.get(1)).get("var")).doubleValue(), 1e-15);
        assertTrue(r.err().isEmpty(), r::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldSimulateWithEveryMethodCloseToTheClosedForm() throws Exception {
        MarketModel m = OrLibraryPortfolioFile.read(Path.of(port1()));
        double exact = new ParametricEngine(m, MarketModel.equalWeights(31)).estimate(0.975).at(0.975).valueAtRisk();
        for (String method : new String[] {"mc", "rqmc", "is"}) {
            CliRun r = CliRun.of("risk", "var", "--data", port1(), "--method", method, "--levels", "0.975", "--scenarios", "16384",
                    "--threads", "2", "--seed", "3", "--json");
            assertEquals(0, r.exitCode(), r::toString);
            Map<String, Object> e = (Map<String, Object>) ((List<Object>) JsonReader.parseObject(r.out()).get("estimates")).get(0);
            double var = ((Number) e.get("var")).doubleValue();
            double se = ((Number) e.get("varStdError")).doubleValue();
            assertTrue(se > 0, r::toString);
            assertEquals(exact, var, 5 * se, method + ": " + r);
        }
        CliRun table = CliRun.of("risk", "var", "--data", port1(), "--method", "rqmc", "--ordering", "cholesky", "--scramble", "shift",
                "--scenarios", "8192", "-q");
        assertEquals(0, table.exitCode(), table::toString);
        assertTrue(table.out().contains("LEVEL") && table.out().contains("VAR SE") && table.out().contains("0.975"), table::toString);
    }

    @Test
    void shouldShowProgressOnStandardErrorUnlessQuiet() throws Exception {
        CliRun r = CliRun.of("risk", "var", "--data", port1(), "--method", "mc", "--scenarios", "20000", "--threads", "1");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.err().contains("risk var mc: blocks: "), r::toString);
        CliRun q = CliRun.of("risk", "var", "--data", port1(), "--method", "mc", "--scenarios", "20000", "--threads", "1", "-q");
        assertTrue(q.err().isEmpty(), q::toString);
    }

    @Test
    void shouldReadAHistoricalSeries(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("pnl.csv");
        Files.writeString(f, "date,pnl\n1,-3\n2,-10\n3,-1\n4,-7\n5,-5\n6,-2\n7,-9\n8,-4\n9,-8\n10,-6\n");
        CliRun r = CliRun.of("risk", "var", "--method", "historical", "--pnl", f.toString(), "--levels", "0.9",
                "--convention", "linear", "--json");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("\"var\": 9.1"), r::toString);
    }

    @Test
    void shouldExplainBadInput(@TempDir Path dir) throws Exception {
        CliRun level = CliRun.of("risk", "var", "--data", port1(), "--levels", "0.99,1.5");
        assertEquals(2, level.exitCode(), level::toString);
        assertTrue(level.err().startsWith("nautilus: error: confidence level 1.5 is outside (0, 1)"), level::toString);
        CliRun method = CliRun.of("risk", "var", "--data", port1(), "--method", "quantum");
        assertEquals(2, method.exitCode(), method::toString);
        assertTrue(method.err().startsWith("nautilus: error: unknown --method 'quantum': use parametric, historical, filtered, mc, rqmc or is"),
                method::toString);
        CliRun weights = CliRun.of("risk", "var", "--data", port1(), "--weights", "0.5,0.5");
        assertEquals(2, weights.exitCode(), weights::toString);
        assertTrue(weights.err().contains("--weights has 2 values but the portfolio file has 31 assets"), weights::toString);
        CliRun hist = CliRun.of("risk", "var", "--method", "historical");
        assertEquals(2, hist.exitCode(), hist::toString);
        assertTrue(hist.err().contains("needs a P&L series: give --pnl FILE"), hist::toString);
        CliRun few = CliRun.of("risk", "var", "--data", port1(), "--method", "mc", "--scenarios", "1000", "--levels", "0.999");
        assertEquals(2, few.exitCode(), few::toString);
        assertTrue(few.err().contains("too few scenarios for the 0.999 level"), few::toString);
        Path nan = dir.resolve("bad.txt");
        Files.writeString(nan, " 2\n .01 .02\n NaN .03\n 1 1 1\n 1 2 .5\n 2 2 1\n");
        CliRun data = CliRun.of("risk", "var", "--data", nan.toString());
        assertEquals(2, data.exitCode(), data::toString);
        assertTrue(data.err().contains("bad.txt:3: value 'NaN' is not a finite number"), data::toString);
        CliRun missing = CliRun.of("risk", "var", "--data", dir.resolve("none.txt").toString());
        assertEquals(1, missing.exitCode(), missing::toString);
        assertTrue(missing.err().startsWith("nautilus: error: cannot read portfolio file"), missing::toString);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldBenchmarkAndWriteConvergenceData() throws Exception {
        CliRun r = CliRun.of("bench", "risk", "--data", port1(), "--reps", "2", "--max-log2", "13", "--scenarios", "8192",
                "--evaluations", "100000", "--throughput-scenarios", "8192", "--threads", "2", "--json");
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, Object> doc = JsonReader.parseObject(r.out());
        assertTrue(((Number) ((Map<String, Object>) doc.get("parametric")).get("evaluationsPerSecondMedian")).doubleValue() > 0);
        Map<String, Object> acc = (Map<String, Object>) doc.get("accuracy");
        assertTrue(acc.containsKey("mc") && acc.containsKey("rqmc-pca"), r::toString);
        List<Object> conv = (List<Object>) doc.get("convergence");
        assertEquals(2, conv.size());
        Map<String, Object> oneD = (Map<String, Object>) conv.get(1);
        assertEquals(List.of(4096L, 8192L), ((List<Object>) oneD.get("n")).stream().map(o -> ((Number) o).longValue()).toList());
        assertTrue(((Map<String, Object>) oneD.get("rqmc")).containsKey("logLogSlope"), r::toString);
        CliRun bad = CliRun.of("bench", "risk", "--reps", "1");
        assertEquals(2, bad.exitCode(), bad::toString);
    }
}
