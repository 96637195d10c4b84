package dev.nautilus.accel.risk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Sobol points in up to {@value #MAX_DIMENSION} dimensions with 32-bit resolution, optionally
 * randomised by a random linear matrix scramble (Matousek's LMS: each dimension's digits are
 * multiplied by a random non-singular lower-triangular binary matrix) followed by a random digital
 * shift. Each randomisation keeps the (t, m, s)-net structure, and makes every point uniform on
 * the unit cube, so independent randomisations give an unbiased estimate and its standard error.
 *
 * <p>Direction numbers: S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better
 * two-dimensional projections", SIAM J. Sci. Comput. 30, 2635-2654 (2008), file
 * new-joe-kuo-6.21201 (https://web.maths.unsw.edu.au/~fkuo/sobol/), first {@value #MAX_DIMENSION}
 * dimensions, embedded as the resource {@code new-joe-kuo-6.21201.d256.txt} (the same first
 * lines ship with Apache Commons Math as new-joe-kuo-6.1000). Points are produced in Gray-code
 * order (Antonov and Saleev), so any run of 2^m points starting at 0 is the same set as the first
 * 2^m points in natural order.
 *
 * <p>An instance (one randomisation) is immutable and thread-safe; {@link #fill} writes into the
 * caller's arrays and does not allocate.
 */
public final class SobolSequence {
    /** Dimensions available from the embedded table. */
    public static final int MAX_DIMENSION = 256;
    private static final int BITS = 32;
    private static final int[][] DIRECTIONS = load();

    private final int dimension;
    /** directions[j * 32 + k]: direction number k of dimension j, scrambled. */
    private final int[] directions;
    private final int[] shift;

    private SobolSequence(int dimension, int[] directions, int[] shift) {
        this.dimension = dimension;
        this.directions = directions;
        this.shift = shift;
    }

    /**
     * @param dimension number of coordinates, 1..{@value #MAX_DIMENSION}
     * @return the plain (unrandomised) sequence; its first point is the origin
     * @throws IllegalArgumentException for a dimension out of range
     */
    public static SobolSequence plain(int dimension) {
        check(dimension);
        int[] v = new int[dimension * BITS];
        for (int j = 0; j < dimension; j++) {
            System.arraycopy(DIRECTIONS[j], 0, v, j * BITS, BITS);
        }
        return new SobolSequence(dimension, v, new int[dimension]);
    }

    /**
     * @param dimension number of coordinates, 1..{@value #MAX_DIMENSION}
     * @param seed the randomisation's seed
     * @param linearScramble true for LMS followed by the digital shift, false for the shift only
     * @return one randomisation of the sequence
     * @throws IllegalArgumentException for a dimension out of range
     */
    public static SobolSequence scrambled(int dimension, long seed, boolean linearScramble) {
        check(dimension);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] v = new int[dimension * BITS];
        int[] shift = new int[dimension];
        int[] rows = new int[BITS];
        for (int j = 0; j < dimension; j++) {
            int[] plain = DIRECTIONS[j];
            if (linearScramble) {
                // row i produces output bit (31 - i) from input bits 31..(31 - i): lower triangular, unit diagonal
                for (int i = 0; i < BITS; i++) {
                    int above = i == 0 ? 0 : (int) (-1L << (BITS - i));
                    rows[i] = (1 << (BITS - 1 - i)) | (rng.nextInt() & above);
                }
                for (int k = 0; k < BITS; k++) {
                    int out = 0;
                    for (int i = 0; i < BITS; i++) {
                        out |= (Integer.bitCount(rows[i] & plain[k]) & 1) << (BITS - 1 - i);
                    }
                    v[j * BITS + k] = out;
                }
            } else {
                System.arraycopy(plain, 0, v, j * BITS, BITS);
            }
            shift[j] = rng.nextInt();
        }
        return new SobolSequence(dimension, v, shift);
    }

    private static void check(int dimension) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("Sobol dimension " + dimension + " is out of range 1.." + MAX_DIMENSION
                    + " (the embedded Joe-Kuo table has " + MAX_DIMENSION + " dimensions)");
        }
    }

    /** @return the number of coordinates */
    public int dimension() {
        return dimension;
    }

    /**
     * Sets {@code state} to the unshifted digits of point {@code index} (Gray-code order), ready
     * for {@link #fill}.
     *
     * @param index point number, &gt;= 0, below 2^32
     * @param state receives one int per dimension
     */
    public void seek(long index, int[] state) {
        long gray = index ^ (index >>> 1);
        for (int j = 0; j < dimension; j++) {
            int x = 0;
            for (int k = 0; k < BITS; k++) {
                if (((gray >>> k) & 1) != 0) {
                    x ^= directions[j * BITS + k];
                }
            }
            state[j] = x;
        }
    }

    /**
     * Writes point {@code index} into {@code u} (coordinates in (0, 1), the midpoint of each
     * 2^-32 cell so no coordinate is 0 or 1) and advances {@code state} to point index + 1.
     *
     * @param index the number of the point {@code state} holds
     * @param state the digits from {@link #seek} or the previous call; updated
     * @param u receives {@link #dimension()} coordinates
     */
    public void fill(long index, int[] state, double[] u) {
        int c = Long.numberOfTrailingZeros(index + 1);
        for (int j = 0; j < dimension; j++) {
            int x = state[j];
            u[j] = ((x ^ shift[j]) & 0xFFFFFFFFL) * 0x1.0p-32 + 0x1.0p-33;
            state[j] = x ^ directions[j * BITS + c];
        }
    }

    private static int[][] load() {
        int[][] v = new int[MAX_DIMENSION][BITS];
        for (int k = 0; k < BITS; k++) {
            v[0][k] = 1 << (BITS - 1 - k);
        }
        String resource = "new-joe-kuo-6.21201.d256.txt";
        try (InputStream in = SobolSequence.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Sobol direction numbers " + resource + " are missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            r.readLine(); // header "d s a m_i"
            for (int d = 1; d < MAX_DIMENSION; d++) {
                String[] f = r.readLine().strip().split("\\s+");
                int s = Integer.parseInt(f[1]);
                int a = Integer.parseInt(f[2]);
                int[] m = new int[s + 1];
                for (int i = 1; i <= s; i++) {
                    m[i] = Integer.parseInt(f[2 + i]);
                }
                // Joe and Kuo's recurrence, with V[i] (1-based) stored at v[d][i - 1]
                long[] vv = new long[BITS + 1];
                for (int i = 1; i <= Math.min(s, BITS); i++) {
                    vv[i] = ((long) m[i]) << (BITS - i);
                }
                for (int i = s + 1; i <= BITS; i++) {
                    long x = vv[i - s] ^ (vv[i - s] >>> s);
                    for (int k = 1; k <= s - 1; k++) {
                        x ^= ((a >>> (s - 1 - k)) & 1) * vv[i - k];
                    }
                    vv[i] = x;
                }
                for (int i = 1; i <= BITS; i++) {
                    v[d][i - 1] = (int) vv[i];
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Sobol direction numbers " + resource, e);
        }
        return v;
    }
}
