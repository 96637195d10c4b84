package dev.nautilus.accel.portfolio;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads OR-Library unconstrained binary quadratic programming files ({@code bqp50.txt} ..
 * {@code bqp500.gz}): the number of instances, then per instance "n nonzeros" and that many
 * "i j q" lines (1-based, {@code i <= j}). Each instance maximises
 * {@code sum_i q_ii x_i + 2 sum_{i<j} q_ij x_i x_j}; it is returned as the QUBO that
 * <em>minimises</em> the negated objective ({@code Q_ii = -q_ii}, {@code Q_ij = -2 q_ij}), so a
 * best-known value {@code v} is the energy {@code -v}.
 *
 * <p>Stateless and thread-safe.
 */
public final class BqpInstances {
    private BqpInstances() {}

    /**
     * @param file a bqp file ({@code .gz} is decompressed)
     * @return the instances, in file order
     * @throws DataFormatException for a missing, empty or truncated file, a count that does not
     *     match the data, or an index out of range (the message names file and line)
     */
    public static List<QuboModel> load(Path file) {
        try (NumberReader r = NumberReader.open(file)) {
            if (!r.hasNext()) {
                throw new DataFormatException(file + " is empty; expected an OR-Library bqp file (number of instances first)");
            }
            int count = r.nextInt("the number of instances");
            if (count < 1) {
                throw r.fail("number of instances " + count + " must be at least 1");
            }
            List<QuboModel> out = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                String inst = "instance " + (k + 1) + " of " + count;
                int n = r.nextInt("the size of " + inst);
                int nnz = r.nextInt("the nonzero count of " + inst);
                if (n < 1 || nnz < 0) {
                    throw r.fail(inst + ": size " + n + " and nonzero count " + nnz + " must be positive");
                }
                QuboModel.Builder b = QuboModel.builder(n);
                for (int e = 0; e < nnz; e++) {
                    String what = "entry " + (e + 1) + " of " + nnz + " of " + inst;
                    int i = r.nextInt(what);
                    int j = r.nextInt(what);
                    double q = r.nextDouble(what);
                    if (i < 1 || i > n || j < 1 || j > n) {
                        throw r.fail(what + ": index pair (" + i + ", " + j + ") is out of range 1.." + n);
                    }
                    b.add(i - 1, j - 1, i == j ? -q : -2 * q);
                }
                out.add(b.build());
            }
            if (r.hasNext()) {
                throw r.fail("more data after the " + count + " instances the header declares; the instance count or a nonzero count is wrong");
            }
            return out;
        }
    }
}
