package dev.nautilus.accel.portfolio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DataLoadersTest {
    @TempDir
    Path dir;

    @Test
    void shouldLoadPort1WithCovarianceFromCorrelations() {
        PortfolioProblem p = TestData.port1();
        assertEquals(31, p.size());
        assertEquals(0.001309, p.expectedReturn(0), 0);
        assertEquals(0.043208 * 0.043208, p.covariance(0, 0), 1e-15);
        assertEquals(p.covariance(3, 7), p.covariance(7, 3));
    }

    @Test
    void shouldLoadTheFrontierBqpAndGsetFiles() {
        EfficientFrontier f = EfficientFrontier.load(TestData.file("portef1.txt"));
        assertEquals(2000, f.size());
        assertEquals(0.0108650000, f.returns()[0]);
        List<QuboModel> bqp = BqpInstances.load(TestData.file("bqp50.txt"));
        assertEquals(10, bqp.size());
        assertEquals(50, bqp.get(0).size());
        // "1 4 39": maximise 2*39 x1 x4, i.e. minimise -78 x1 x4
        assertEquals(-78, bqp.get(0).coupling(0, 3));
        MaxCutGraph g = MaxCutGraph.load(TestData.file("g11.rud"));
        assertEquals(800, g.vertices());
        assertEquals(1600, g.edges());
        byte[] s = new byte[800];
        java.util.Arrays.fill(s, (byte) 1);
        assertEquals(0, g.cut(s));
        assertEquals(-0.0, g.toIsing().energy(s) + g.cut(s), 1e-9);
    }

    @Test
    void shouldRejectMissingEmptyAndTruncatedFiles() throws IOException {
        Path missing = dir.resolve("nope.txt");
        DataFormatException e1 = assertThrows(DataFormatException.class, () -> PortfolioProblem.loadOrLibrary(missing));
        assertTrue(e1.getMessage().contains("does not exist"), e1.getMessage());
        Path empty = write("empty.txt", "");
        DataFormatException e2 = assertThrows(DataFormatException.class, () -> PortfolioProblem.loadOrLibrary(empty));
        assertEquals(empty + " is empty; expected an OR-Library portfolio file (number of assets first)", e2.getMessage());
        Path truncated = write("trunc.txt", "3\n.1 .2\n.1 .3\n");
        DataFormatException e3 = assertThrows(DataFormatException.class, () -> PortfolioProblem.loadOrLibrary(truncated));
        assertTrue(e3.getMessage().contains("the file ends (after line 3) where the mean return of asset 3 was expected"), e3.getMessage());
        Path fewPairs = write("pairs.txt", "2\n.1 .2\n.1 .3\n1 1 1.0\n1 2 0.5\n");
        DataFormatException e4 = assertThrows(DataFormatException.class, () -> PortfolioProblem.loadOrLibrary(fewPairs));
        assertTrue(e4.getMessage().contains("2 correlation lines but 2 assets need 3"), e4.getMessage());
        Path bqpShort = write("bqp.txt", "2\n3 2\n1 1 5\n1 2 -3\n3 2\n1 2 4\n");
        DataFormatException e5 = assertThrows(DataFormatException.class, () -> BqpInstances.load(bqpShort));
        assertTrue(e5.getMessage().contains("the file ends (after line 6) where entry 2 of 2 of instance 2 of 2"), e5.getMessage());
        Path bqpLong = write("bqp2.txt", "1\n3 1\n1 1 5\n1 2 -3\n");
        DataFormatException e6 = assertThrows(DataFormatException.class, () -> BqpInstances.load(bqpLong));
        assertTrue(e6.getMessage().contains("line 4: more data after the 1 instances the header declares"), e6.getMessage());
        Path gset = write("g.rud", "3 2\n1 2 1\n");
        DataFormatException e7 = assertThrows(DataFormatException.class, () -> MaxCutGraph.load(gset));
        assertTrue(e7.getMessage().contains("where edge 2 of 2 was expected"), e7.getMessage());
        Path gRange = write("g2.rud", "3 1\n1 4 1\n");
        DataFormatException e8 = assertThrows(DataFormatException.class, () -> MaxCutGraph.load(gRange));
        assertTrue(e8.getMessage().contains("line 2: edge 1 of 1: vertex pair (1, 4) is out of range 1..3"), e8.getMessage());
    }

    @Test
    void shouldRejectNonNumbersAndNaNInFiles() throws IOException {
        Path nan = write("nan.txt", "1\nNaN .2\n1 1 1\n");
        DataFormatException e1 = assertThrows(DataFormatException.class, () -> PortfolioProblem.loadOrLibrary(nan));
        assertEquals(nan + " line 2: the mean return of asset 1 is 'NaN', not a finite number", e1.getMessage());
        Path word = write("word.txt", "x\n");
        DataFormatException e2 = assertThrows(DataFormatException.class, () -> PortfolioProblem.loadOrLibrary(word));
        assertEquals(word + " line 1: the number of assets is 'x', not an integer", e2.getMessage());
        Path corr = write("corr.txt", "1\n.1 .2\n1 1 1.5\n");
        DataFormatException e3 = assertThrows(DataFormatException.class, () -> PortfolioProblem.loadOrLibrary(corr));
        assertEquals(corr + " line 3: correlation 1.5 is outside [-1, 1]", e3.getMessage());
    }

    @Test
    void shouldRejectBadCovarianceMatrices() {
        IllegalArgumentException asym = assertThrows(IllegalArgumentException.class,
                () -> new PortfolioProblem(new double[] {0.1, 0.2}, new double[][] {{1, 0.5}, {0.4, 1}}));
        assertEquals("the covariance matrix is not symmetric: (0, 1) = 0.5 but (1, 0) = 0.4; pass a symmetric matrix", asym.getMessage());
        IllegalArgumentException psd = assertThrows(IllegalArgumentException.class,
                () -> new PortfolioProblem(new double[] {0.1, 0.2}, new double[][] {{1, 2}, {2, 1}}));
        assertTrue(psd.getMessage().startsWith("the covariance matrix is not positive semidefinite: elimination pivot -3.0 < 0 at asset 1"),
                psd.getMessage());
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                () -> new PortfolioProblem(new double[] {0.1, 0.2, 0.3}, new double[][] {{1, 0}, {0, 1}}));
        assertEquals("dimension mismatch: 3 expected returns but the covariance matrix has 2 rows; both must describe the same assets",
                dim.getMessage());
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> new PortfolioProblem(new double[] {0.1, 0.2}, new double[][] {{1, 0}, {0}}));
        assertTrue(ragged.getMessage().startsWith("dimension mismatch: covariance row 1 has 1 entries, expected 2"), ragged.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> new PortfolioProblem(new double[] {0.1, Double.NaN}, new double[][] {{1, 0}, {0, 1}}));
        assertEquals("expected return of asset 1 is NaN: coefficients must be finite numbers", nan.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new PortfolioProblem(new double[0], new double[0][]));
        assertTrue(none.getMessage().contains("at least one asset"), none.getMessage());
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
