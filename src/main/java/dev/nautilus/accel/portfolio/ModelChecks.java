package dev.nautilus.accel.portfolio;

/** Argument checks shared by the models of this package; every message says what to fix. */
final class ModelChecks {
    private ModelChecks() {}

    static void index(int i, int n) {
        if (i < 0 || i >= n) {
            throw new IllegalArgumentException("variable index " + i + " is out of range: the model has " + n
                    + " variables (0.." + (n - 1) + ")");
        }
    }

    static void finite(double v, String what) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " is " + v + ": coefficients must be finite numbers");
        }
    }
}
