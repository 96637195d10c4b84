package dev.nautilus.accel.portfolio;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The public data files copied into test resources (so a fresh clone's tests are self-contained). */
final class TestData {
    /** Best-known values of bqp50-1..10 (OR-Library), maximisation. */
    static final double[] BQP50_BEST = {2098, 3702, 4626, 3544, 4012, 3693, 4520, 4216, 3780, 3507};

    private TestData() {}

    static Path file(String name) {
        URL url = TestData.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing from src/test/resources/dev/nautilus/accel/portfolio");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static PortfolioProblem port1() {
        return PortfolioProblem.loadOrLibrary(file("port1.txt"));
    }

    /** A random QUBO with every pair coupled, coefficients in [-1, 1). */
    static QuboModel randomQubo(int n, long seed, QuboModel.Storage storage) {
        Xoshiro256 r = new Xoshiro256(seed);
        QuboModel.Builder b = QuboModel.builder(n);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                b.add(i, j, 2 * r.nextDouble() - 1);
            }
        }
        b.addOffset(r.nextDouble());
        return b.build(storage);
    }

    static byte[] bits(long code, int n) {
        byte[] x = new byte[n];
        for (int i = 0; i < n; i++) {
            x[i] = (byte) ((code >>> i) & 1);
        }
        return x;
    }
}
