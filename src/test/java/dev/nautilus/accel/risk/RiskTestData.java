package dev.nautilus.accel.risk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Test data: OR-Library port1 (Hang Seng, 31 assets) copied into the test resources. */
final class RiskTestData {
    private RiskTestData() {}

    static Path port1() {
        try {
            return Path.of(RiskTestData.class.getResource("port1.txt").toURI());
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    static MarketModel port1Model() {
        return OrLibraryPortfolioFile.read(port1());
    }
}
