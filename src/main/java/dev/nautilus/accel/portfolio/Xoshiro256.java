package dev.nautilus.accel.portfolio;

/**
 * xoshiro256++ (Blackman and Vigna), seeded through SplitMix64: a fast 64-bit generator with a
 * period of 2^256 - 1 for the Monte Carlo loops of this package. Allocation-free.
 *
 * <p>Not thread-safe: one instance per thread.
 */
final class Xoshiro256 {
    private long s0;
    private long s1;
    private long s2;
    private long s3;

    /** @param seed any value; equal seeds give equal sequences */
    Xoshiro256(long seed) {
        long z = seed;
        z += 0x9E3779B97F4A7C15L;
        s0 = mix(z);
        z += 0x9E3779B97F4A7C15L;
        s1 = mix(z);
        z += 0x9E3779B97F4A7C15L;
        s2 = mix(z);
        z += 0x9E3779B97F4A7C15L;
        s3 = mix(z);
    }

    /**
     * The SplitMix64 finaliser: a bijective mix of 64 bits, used to derive independent seeds.
     *
     * @param z any value
     * @return its mix
     */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * @param base a base seed
     * @param index a stream index (a read number)
     * @return a seed for stream {@code index}, independent of how reads are spread over threads
     */
    static long streamSeed(long base, long index) {
        return mix(base + 0x9E3779B97F4A7C15L * (index + 1));
    }

    /** @return 64 random bits */
    long nextLong() {
        long result = Long.rotateLeft(s0 + s3, 23) + s0;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** @return a uniform double in [0, 1) with 53 random bits */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * @param bound exclusive upper bound, positive
     * @return a uniform int in [0, bound) (multiply-shift; bias below 2^-32 for bounds below 2^31)
     */
    int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }
}
