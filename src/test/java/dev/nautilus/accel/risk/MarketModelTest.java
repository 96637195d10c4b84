package dev.nautilus.accel.risk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MarketModelTest {
    @Test
    void shouldLoadTheOrLibraryFileIntoACovariance() {
        MarketModel m = RiskTestData.port1Model();
        assertEquals(31, m.dimension());
        assertEquals(0.001309, m.mean()[0]);
        assertEquals(0.043208 * 0.043208, m.covariance()[0][0], 1e-18);
        assertEquals(0.043208 * 0.040258 * 0.562289, m.covariance()[0][1], 1e-18);
        assertEquals(m.covariance()[0][1], m.covariance()[1][0]);
        double[][] l = m.cholesky();
        double[][] c = m.covariance();
        for (int i = 0; i < 31; i++) {
            for (int j = 0; j < 31; j++) {
                double s = 0;
                for (int k = 0; k < 31; k++) {
                    s += l[i][k] * l[j][k];
                }
                assertEquals(c[i][j], s, 1e-15);
            }
        }
    }

    @Test
    void shouldRejectACovarianceThatIsNotPositiveSemiDefinite() {
        double[][] bad = {{1, 0.9, 0.9}, {0.9, 1, -0.9}, {0.9, -0.9, 1}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MarketModel.fromCorrelation("bad", new double[3], new double[] {1, 1, 1}, bad));
        assertTrue(e.getMessage().contains("bad: covariance matrix is not positive semi-definite (Cholesky pivot 3"), e.getMessage());
    }

    @Test
    void shouldAcceptASingularButValidCovariance() {
        double[][] perfect = {{1, 1}, {1, 1}};
        MarketModel m = MarketModel.fromCorrelation("twins", new double[2], new double[] {0.1, 0.2}, perfect);
        assertEquals(0.15, m.portfolioSd(new double[] {0.5, 0.5}), 1e-15);
    }

    @Test
    void shouldRejectDimensionMismatchesAndNaN() {
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                () -> new MarketModel("m", new double[2], new double[3][3]));
        assertEquals("m: dimension mismatch: 2 means but a 3-row covariance matrix; both must have one entry per asset", dim.getMessage());
        MarketModel m = RiskTestData.port1Model();
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class, () -> new ParametricEngine(m, new double[30]));
        assertTrue(w.getMessage().startsWith("dimension mismatch: 30 weights for the 31 assets of "), w.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> new MarketModel("m", new double[] {Double.NaN}, new double[][] {{1}}));
        assertEquals("m: mean of asset 1 is NaN; it must be a finite number", nan.getMessage());
        IllegalArgumentException corr = assertThrows(IllegalArgumentException.class,
                () -> MarketModel.fromCorrelation("c", new double[2], new double[] {1, 1}, new double[][] {{1, 1.5}, {1.5, 1}}));
        assertEquals("c: correlation of assets 1 and 2 is 1.5; it must be in [-1, 1]", corr.getMessage());
    }

    @Test
    void shouldNameFileAndLineOfMalformedData() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> OrLibraryPortfolioFile.parse("p.txt", List.of(" 2", " .01 .02", " NaN .03", " 1 1 1", " 1 2 .5", " 2 2 1")));
        assertEquals("p.txt:3: value 'NaN' is not a finite number (NaN in data?)", nan.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> OrLibraryPortfolioFile.parse("p.txt", List.of(" 2", " .01 .02", " .01 .03", " 1 1 1", " 2 2 1")));
        assertEquals("p.txt: correlation of assets 1 and 2 is missing; the file must list every pair i <= j", missing.getMessage());
        IllegalArgumentException idx = assertThrows(IllegalArgumentException.class,
                () -> OrLibraryPortfolioFile.parse("p.txt", List.of(" 2", " .01 .02", " .01 .03", " 1 3 1")));
        assertEquals("p.txt:4: asset indices 1 3 1 must be integers in 1..2", idx.getMessage());
        UncheckedIOException io = assertThrows(UncheckedIOException.class, () -> OrLibraryPortfolioFile.read(Path.of("/nonexistent/port9.txt")));
        assertTrue(io.getMessage().startsWith("cannot read portfolio file /nonexistent/port9.txt"), io.getMessage());
    }
}
