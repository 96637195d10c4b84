package dev.nautilus.accel.compare;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Round-trip latency of one transport, in microseconds, from an HdrHistogram of nanoseconds
 * (3 significant digits). Immutable.
 *
 * @param transport e.g. {@code agrona}, {@code ring}, {@code bus}, {@code redis}
 * @param count recorded round trips
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param max largest
 * @param mean mean
 */
record RoundTrips(String transport, long count, double p50, double p90, double p99, double p999, double max, double mean) {
    /** Round trips longer than this (60 s) are recorded as this. */
    static final long HIGHEST_NANOS = 60_000_000_000L;

    /** @return an empty histogram for round trips in nanoseconds */
    static Histogram histogram() {
        return new Histogram(HIGHEST_NANOS, 3);
    }

    static RoundTrips of(String transport, Histogram h) {
        return new RoundTrips(transport, h.getTotalCount(), us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)),
                us(h.getValueAtPercentile(99)), us(h.getValueAtPercentile(99.9)), us(h.getMaxValue()), h.getMean() / 1000.0);
    }

    private static double us(long nanos) {
        return nanos / 1000.0;
    }

    /** @return one JSON object on one line (the form {@link #parse} reads) */
    String toJson() {
        return String.format(Locale.ROOT, "{\"transport\":\"%s\",\"count\":%d,\"p50_us\":%.3f,\"p90_us\":%.3f,"
                + "\"p99_us\":%.3f,\"p999_us\":%.3f,\"max_us\":%.3f,\"mean_us\":%.3f}", transport, count, p50, p90, p99,
                p999, max, mean);
    }

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(\"[^\"]*\"|-?[0-9.eE+-]+)");

    /**
     * @param json one object as {@link #toJson} writes it
     * @return the round trips
     * @throws IllegalArgumentException when a field is missing
     */
    static RoundTrips parse(String json) {
        java.util.Map<String, String> f = new java.util.HashMap<>();
        Matcher m = FIELD.matcher(json);
        while (m.find()) {
            f.put(m.group(1), m.group(2));
        }
        try {
            return new RoundTrips(f.get("transport").replace("\"", ""), Long.parseLong(f.get("count")), d(f, "p50_us"),
                    d(f, "p90_us"), d(f, "p99_us"), d(f, "p999_us"), d(f, "max_us"), d(f, "mean_us"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a round-trip result: " + json);
        }
    }

    private static double d(java.util.Map<String, String> f, String k) {
        return Double.parseDouble(f.get(k));
    }

    /**
     * @param s any text
     * @return it as a JSON string literal
     */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /**
     * @param micros a latency
     * @return it with 2 decimals below 100 us, 1 below 10 ms, none above
     */
    static String fmt(double micros) {
        return String.format(Locale.ROOT, micros < 100 ? "%.2f" : micros < 10_000 ? "%.1f" : "%.0f", micros);
    }
}
