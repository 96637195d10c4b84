package dev.nautilus.accel.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints one table from the {@code --json} outputs of {@link CrossProcessPingPong} and
 * {@link RedisPubSubEcho} (as {@code scripts/bench-compare.sh} saves them): transport, p50, p99,
 * p99.9, max, and each transport's p50 divided by the bus's p50. Only numbers from those files.
 *
 * <pre>{@code
 * java -cp target/bench/benchmarks.jar dev.nautilus.accel.compare.CompareTable shm.json redis.json
 * }</pre>
 */
public final class CompareTable {
    private static final Pattern SETUP = Pattern.compile("\"setup\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern BENCHMARK = Pattern.compile("\"benchmark\"\\s*:\\s*\"([^\"]*)\"");

    private CompareTable() {}

    /**
     * @param args the JSON files
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: CompareTable RESULT.json... (the --json output of CrossProcessPingPong and RedisPubSubEcho)");
            System.exit(2);
        }
        List<RoundTrips> rows = new ArrayList<>();
        List<String> setups = new ArrayList<>();
        for (String f : args) {
            String text;
            try {
                text = Files.readString(Path.of(f), StandardCharsets.UTF_8);
            } catch (IOException e) {
                System.err.println("error: cannot read " + f + ": " + e.getMessage());
                System.exit(1);
                return;
            }
            Matcher b = BENCHMARK.matcher(text);
            Matcher s = SETUP.matcher(text);
            setups.add((b.find() ? b.group(1) : f) + ": " + (s.find() ? s.group(1).replace("\\\"", "\"") : "(no setup)"));
            for (String line : text.split("\n")) {
                if (line.contains("\"p50_us\"")) {
                    rows.add(RoundTrips.parse(line));
                }
            }
        }
        RoundTrips bus = rows.stream().filter(r -> r.transport().equals("bus")).findFirst().orElse(null);
        System.out.println("Round trip between two processes, microseconds");
        for (String s : setups) {
            System.out.println("  " + s);
        }
        System.out.println();
        TextTable t = new TextTable("transport", "round trips", "p50", "p99", "p99.9", "max", "vs bus p50");
        for (RoundTrips r : rows) {
            t.add(r.transport(), String.valueOf(r.count()), RoundTrips.fmt(r.p50()), RoundTrips.fmt(r.p99()),
                    RoundTrips.fmt(r.p999()), RoundTrips.fmt(r.max()),
                    bus == null ? "-" : String.format(Locale.ROOT, "%.2fx", r.p50() / bus.p50()));
        }
        t.print(System.out);
        if (bus != null) {
            System.out.println("vs bus p50: this transport's p50 / the bus's p50, both measured above (above 1: slower than the bus)");
        }
        RoundTrips agrona = rows.stream().filter(r -> r.transport().equals("agrona")).findFirst().orElse(null);
        if (agrona != null) {
            List<String> parts = new ArrayList<>();
            for (RoundTrips r : rows) {
                if (r != agrona && !r.transport().equals("redis")) {
                    parts.add(String.format(Locale.ROOT, "%s p50 %.2fx, p99.9 %.2fx", r.transport(), r.p50() / agrona.p50(),
                            r.p999() / agrona.p999()));
                }
            }
            if (!parts.isEmpty()) {
                System.out.println("vs agrona (same run; below 1: lower latency than Agrona): " + String.join("; ", parts));
            }
        }
        RoundTrips bare = rows.stream().filter(r -> r.transport().equals("bare")).findFirst().orElse(null);
        if (bare != null) {
            List<String> parts = new ArrayList<>();
            for (RoundTrips r : rows) {
                if (r != bare && !r.transport().equals("redis")) {
                    parts.add(String.format(Locale.ROOT, "%s %.2fx", r.transport(), r.p50() / bare.p50()));
                }
            }
            System.out.println("p50 vs bare (the same run's cache-line ping-pong, the floor): " + String.join("; ", parts));
        }
    }
}
