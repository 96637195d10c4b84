package dev.nautilus.accel.portfolio;

import java.nio.file.Path;

/**
 * A weighted undirected graph for Max-Cut, as in the G-set (rudy generator) files: first line
 * "n m", then {@code m} lines "i j w" (1-based).
 *
 * <p>{@link #toIsing()} gives the model whose energy is the negated cut,
 * {@code E(s) = -W/2 + sum_edges (w/2) s_i s_j = -cut(s)}, so minimising it maximises the cut.
 * Immutable and thread-safe.
 */
public final class MaxCutGraph {
    private final int n;
    private final int[] from;
    private final int[] to;
    private final double[] weight;

    /**
     * @param n vertex count
     * @param from edge tails (0-based)
     * @param to edge heads (0-based)
     * @param weight edge weights
     * @throws IllegalArgumentException for mismatched lengths, a self loop or an index out of range
     */
    public MaxCutGraph(int n, int[] from, int[] to, double[] weight) {
        if (n < 1 || from.length != to.length || from.length != weight.length) {
            throw new IllegalArgumentException("a graph needs at least one vertex and equal-length edge arrays");
        }
        for (int e = 0; e < from.length; e++) {
            ModelChecks.index(from[e], n);
            ModelChecks.index(to[e], n);
            ModelChecks.finite(weight[e], "weight of edge " + e);
            if (from[e] == to[e]) {
                throw new IllegalArgumentException("edge " + e + " is a self loop at vertex " + from[e] + "; Max-Cut graphs have none");
            }
        }
        this.n = n;
        this.from = from.clone();
        this.to = to.clone();
        this.weight = weight.clone();
    }

    /**
     * @param file a G-set (rudy) file
     * @return the graph
     * @throws DataFormatException for a missing, empty, truncated or inconsistent file
     */
    public static MaxCutGraph load(Path file) {
        try (NumberReader r = NumberReader.open(file)) {
            if (!r.hasNext()) {
                throw new DataFormatException(file + " is empty; expected a G-set file (first line 'vertices edges')");
            }
            int n = r.nextInt("the vertex count");
            int m = r.nextInt("the edge count");
            if (n < 2 || m < 0) {
                throw r.fail("vertex count " + n + " must be at least 2 and edge count " + m + " non-negative");
            }
            int[] a = new int[m];
            int[] b = new int[m];
            double[] w = new double[m];
            for (int e = 0; e < m; e++) {
                String what = "edge " + (e + 1) + " of " + m;
                a[e] = r.nextInt(what) - 1;
                b[e] = r.nextInt(what) - 1;
                w[e] = r.nextDouble(what);
                if (a[e] < 0 || a[e] >= n || b[e] < 0 || b[e] >= n || a[e] == b[e]) {
                    throw r.fail(what + ": vertex pair (" + (a[e] + 1) + ", " + (b[e] + 1) + ") is out of range 1.." + n + " or a self loop");
                }
            }
            if (r.hasNext()) {
                throw r.fail("more data after the " + m + " edges the header declares; the edge count is wrong");
            }
            return new MaxCutGraph(n, a, b, w);
        }
    }

    /** @return the vertex count */
    public int vertices() {
        return n;
    }

    /** @return the edge count */
    public int edges() {
        return from.length;
    }

    /** @return the Ising model with {@code E(s) = -cut(s)} */
    public IsingModel toIsing() {
        IsingModel.Builder b = IsingModel.builder(n);
        double total = 0;
        for (int e = 0; e < from.length; e++) {
            b.coupling(from[e], to[e], weight[e] / 2);
            total += weight[e];
        }
        b.addOffset(-total / 2);
        return b.build();
    }

    /**
     * @param s a side (-1/+1) per vertex
     * @return the total weight of edges whose ends are on different sides
     */
    public double cut(byte[] s) {
        if (s.length != n) {
            throw new IllegalArgumentException("assignment has " + s.length + " sides but the graph has " + n + " vertices");
        }
        double c = 0;
        for (int e = 0; e < from.length; e++) {
            if (s[from[e]] != s[to[e]]) {
                c += weight[e];
            }
        }
        return c;
    }
}
