package dev.nautilus.accel.compare;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The command line of the comparison mains: {@code --name value}, {@code --name=value} and flags
 * ({@code --json}). Unknown options, missing values and numbers out of range are
 * {@link UsageException}s that name the option. Not thread-safe.
 */
final class Options {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Options() {}

    /**
     * @param args the command line
     * @param from index of the first option
     * @param valued options that take a value, e.g. {@code --size}
     * @param flagNames options without a value, e.g. {@code --json}
     * @return the parsed options
     * @throws UsageException for an unknown option or a missing value
     */
    static Options parse(String[] args, int from, Set<String> valued, Set<String> flagNames) {
        Options o = new Options();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument \"" + a + "\": options start with --");
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (valued.contains(name)) {
                String v;
                if (eq >= 0) {
                    v = a.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    v = args[++i];
                } else {
                    throw new UsageException("option " + name + " needs a value");
                }
                o.values.put(name, v);
            } else if (flagNames.contains(name)) {
                if (eq >= 0) {
                    throw new UsageException("option " + name + " takes no value");
                }
                o.flags.add(name);
            } else {
                Set<String> all = new TreeSet<>(valued);
                all.addAll(flagNames);
                throw new UsageException("unknown option \"" + name + "\"; the options are " + String.join(" ", all));
            }
        }
        return o;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String string(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    long number(String name, long dflt, long min, long max) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("invalid " + name + " \"" + v + "\": expected a whole number");
        }
        if (n < min || n > max) {
            throw new UsageException("invalid " + name + " " + n + ": it must be " + min + " to " + max);
        }
        return n;
    }

    /**
     * @param name an option with a comma-separated value
     * @param dflt the default list
     * @return the items, trimmed, empty ones dropped
     */
    List<String> list(String name, String dflt) {
        String v = values.getOrDefault(name, dflt);
        return List.of(v.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
