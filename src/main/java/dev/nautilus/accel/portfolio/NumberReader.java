package dev.nautilus.accel.portfolio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the numbers of a whitespace (or comma) separated text file one at a time, remembering
 * the line of each for error messages. Files ending in {@code .gz} are decompressed. Not
 * thread-safe; owns its reader until {@link #close()}.
 */
final class NumberReader implements AutoCloseable {
    private final String name;
    private final BufferedReader in;
    private String[] tokens = new String[0];
    private int next;
    private int line;

    private NumberReader(String name, BufferedReader in) {
        this.name = name;
        this.in = in;
    }

    static NumberReader open(Path file) {
        try {
            InputStream s = Files.newInputStream(file);
            if (file.getFileName().toString().endsWith(".gz")) {
                s = new GZIPInputStream(s);
            }
            return new NumberReader(file.toString(), new BufferedReader(new InputStreamReader(s, StandardCharsets.US_ASCII)));
        } catch (NoSuchFileException e) {
            throw new DataFormatException("data file " + file + " does not exist; pass an existing file (public sets are in ../shared/data)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** @return true if another number follows (blank lines skipped) */
    boolean hasNext() {
        while (next >= tokens.length) {
            String l;
            try {
                l = in.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name + " at line " + line + ": " + e.getMessage(), e);
            }
            if (l == null) {
                return false;
            }
            line++;
            String t = l.strip();
            tokens = t.isEmpty() ? new String[0] : t.split("[\\s,]+");
            next = 0;
        }
        return true;
    }

    /** @return the line number of the next number, or of the last line read */
    int line() {
        return line;
    }

    String name() {
        return name;
    }

    double nextDouble(String what) {
        String t = nextToken(what);
        try {
            double v = Double.parseDouble(t);
            if (!Double.isFinite(v)) {
                throw fail(what + " is '" + t + "', not a finite number");
            }
            return v;
        } catch (NumberFormatException e) {
            throw fail(what + " is '" + t + "', not a number");
        }
    }

    int nextInt(String what) {
        String t = nextToken(what);
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw fail(what + " is '" + t + "', not an integer");
        }
    }

    private String nextToken(String what) {
        if (!hasNext()) {
            throw new DataFormatException(name + ": the file ends (after line " + line + ") where " + what
                    + " was expected; the file is truncated or its header counts are wrong");
        }
        return tokens[next++];
    }

    DataFormatException fail(String message) {
        return new DataFormatException(name + " line " + line + ": " + message);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
