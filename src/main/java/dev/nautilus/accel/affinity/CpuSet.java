package dev.nautilus.accel.affinity;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * An immutable set of CPU numbers of any size (not limited to glibc's 1024), with the Linux list
 * syntax: {@code "0-3,8,10-11"} ({@link #parse}, {@link #toString}). Thread-safe.
 */
public final class CpuSet {
    /** The empty set. */
    public static final CpuSet EMPTY = new CpuSet(new long[0]);
    /** Largest CPU number accepted (Linux's NR_CPUS can be up to 8192). */
    public static final int MAX_CPU = 65535;

    private final long[] words;

    private CpuSet(long[] words) {
        int n = words.length;
        while (n > 0 && words[n - 1] == 0) {
            n--;
        }
        this.words = n == words.length ? words : Arrays.copyOf(words, n);
    }

    /**
     * @param cpus CPU numbers, 0 to {@link #MAX_CPU}
     * @return the set
     * @throws IllegalArgumentException for a negative or too large number
     */
    public static CpuSet of(int... cpus) {
        long[] w = new long[0];
        for (int c : cpus) {
            w = set(w, check(c));
        }
        return new CpuSet(w);
    }

    /**
     * @param from first CPU, inclusive
     * @param to last CPU, inclusive, &gt;= from
     * @return the set {@code from..to}
     */
    public static CpuSet range(int from, int to) {
        check(from);
        check(to);
        if (to < from) {
            throw new IllegalArgumentException("invalid CPU range " + from + "-" + to + ": the end is before the start");
        }
        long[] w = new long[to / 64 + 1];
        for (int c = from; c <= to; c++) {
            w[c >>> 6] |= 1L << c;
        }
        return new CpuSet(w);
    }

    /**
     * Parses the Linux CPU list syntax: comma-separated numbers and ranges, e.g.
     * {@code "0-3,8,10-11"}; an optional stride as in {@code "0-15:2"}; whitespace around items is
     * ignored; an empty string (or only a newline, as sysfs writes) is the empty set.
     *
     * @param list the list
     * @return the set
     * @throws IllegalArgumentException naming the malformed item
     */
    public static CpuSet parse(String list) {
        if (list == null) {
            throw new IllegalArgumentException("CPU list is null");
        }
        String s = list.strip();
        if (s.isEmpty()) {
            return EMPTY;
        }
        long[] w = new long[0];
        for (String raw : s.split(",", -1)) {
            String item = raw.strip();
            try {
                int colon = item.indexOf(':');
                int stride = 1;
                String range = item;
                if (colon >= 0) {
                    stride = Integer.parseInt(item.substring(colon + 1));
                    range = item.substring(0, colon);
                    if (stride < 1) {
                        throw new NumberFormatException();
                    }
                }
                int dash = range.indexOf('-');
                int from;
                int to;
                if (dash < 0) {
                    from = to = Integer.parseInt(range);
                } else {
                    from = Integer.parseInt(range.substring(0, dash));
                    to = Integer.parseInt(range.substring(dash + 1));
                }
                if (from < 0 || to < from || to > MAX_CPU || (colon >= 0 && dash < 0)) {
                    throw new NumberFormatException();
                }
                for (int c = from; c <= to; c += stride) {
                    w = set(w, c);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed CPU list \"" + list + "\": item \"" + item
                        + "\" is not a CPU number or range (use e.g. \"0-3,8,10-11\"; CPUs 0 to " + MAX_CPU + ")");
            }
        }
        return new CpuSet(w);
    }

    /**
     * Builds a set from a native mask: bit {@code c % 64} of word {@code c / 64} is CPU {@code c}.
     *
     * @param words the mask words
     * @return the set
     */
    public static CpuSet fromWords(long[] words) {
        return new CpuSet(words.clone());
    }

    private static int check(int c) {
        if (c < 0 || c > MAX_CPU) {
            throw new IllegalArgumentException("invalid CPU number " + c + ": CPUs are numbered 0 to " + MAX_CPU);
        }
        return c;
    }

    private static long[] set(long[] w, int c) {
        if (c >>> 6 >= w.length) {
            w = Arrays.copyOf(w, (c >>> 6) + 1);
        }
        w[c >>> 6] |= 1L << c;
        return w;
    }

    /**
     * @param cpu a CPU number
     * @return whether it is in the set
     */
    public boolean contains(int cpu) {
        return cpu >= 0 && (cpu >>> 6) < words.length && (words[cpu >>> 6] & (1L << cpu)) != 0;
    }

    /** @return how many CPUs the set holds */
    public int size() {
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** @return true when the set holds no CPU */
    public boolean isEmpty() {
        return words.length == 0;
    }

    /** @return the lowest CPU, or -1 when empty */
    public int first() {
        for (int i = 0; i < words.length; i++) {
            if (words[i] != 0) {
                return i * 64 + Long.numberOfTrailingZeros(words[i]);
            }
        }
        return -1;
    }

    /** @return the highest CPU, or -1 when empty */
    public int last() {
        return words.length == 0 ? -1 : (words.length - 1) * 64 + 63 - Long.numberOfLeadingZeros(words[words.length - 1]);
    }

    /** @return the CPUs in ascending order */
    public IntStream stream() {
        return IntStream.rangeClosed(0, Math.max(-1, last())).filter(this::contains);
    }

    /** @return the CPUs in ascending order */
    public int[] toArray() {
        return stream().toArray();
    }

    /**
     * @param other another set
     * @return CPUs in either set
     */
    public CpuSet union(CpuSet other) {
        long[] w = Arrays.copyOf(words, Math.max(words.length, other.words.length));
        for (int i = 0; i < other.words.length; i++) {
            w[i] |= other.words[i];
        }
        return new CpuSet(w);
    }

    /**
     * @param other another set
     * @return CPUs in both sets
     */
    public CpuSet intersect(CpuSet other) {
        long[] w = new long[Math.min(words.length, other.words.length)];
        for (int i = 0; i < w.length; i++) {
            w[i] = words[i] & other.words[i];
        }
        return new CpuSet(w);
    }

    /**
     * @param other another set
     * @return CPUs of this set that are not in the other
     */
    public CpuSet minus(CpuSet other) {
        long[] w = words.clone();
        for (int i = 0; i < Math.min(w.length, other.words.length); i++) {
            w[i] &= ~other.words[i];
        }
        return new CpuSet(w);
    }

    /**
     * @param other another set
     * @return whether every CPU of this set is in the other
     */
    public boolean isSubsetOf(CpuSet other) {
        return minus(other).isEmpty();
    }

    /**
     * @param minWords the least number of words to return (native masks have a fixed size)
     * @return the mask words, at least {@code minWords} long
     */
    public long[] toWords(int minWords) {
        return Arrays.copyOf(words, Math.max(minWords, words.length));
    }

    /** @return the Linux list syntax, e.g. {@code "0-3,8,10-11"}; empty string for the empty set */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int c = first();
        int last = last();
        while (c >= 0 && c <= last) {
            int end = c;
            while (contains(end + 1)) {
                end++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(c);
            if (end > c) {
                sb.append('-').append(end);
            }
            c = end + 1;
            while (c <= last && !contains(c)) {
                c++;
            }
            if (c > last) {
                break;
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet s && Arrays.equals(words, s.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }
}
