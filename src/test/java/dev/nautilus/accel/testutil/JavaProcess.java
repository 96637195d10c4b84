package dev.nautilus.accel.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM (this JVM's {@code java}, this JVM's class path) and returns
 * its exit code and output, for tests that need a fresh process: a different
 * {@code --enable-native-access}, a system property read once per JVM, a crash, an exit code.
 *
 * <p>The child gets, before the given JVM arguments (which therefore win):
 * {@code -Dnautilus.test.basedir} and every {@code -Dnautilus.native.*} property of this JVM, so
 * it finds the native libraries the way this JVM does. It does not get
 * {@code --enable-native-access} unless the caller passes it.
 *
 * <p>Output goes to temporary files (no pipe can fill up and block the child); they are read
 * after the child exits and deleted. A child that outlives the timeout is killed and the call
 * fails with what it printed so far. Thread-safe; each call starts its own process.
 */
public final class JavaProcess {
    /**
     * What a child JVM did.
     *
     * @param exitCode its exit status
     * @param stdout everything it wrote to standard output (UTF-8)
     * @param stderr everything it wrote to standard error (UTF-8)
     */
    public record Result(int exitCode, String stdout, String stderr) {
        /** @return stdout then stderr, for assertions that do not care which stream */
        public String output() {
            return stdout + stderr;
        }

        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    private JavaProcess() {}

    /**
     * The command line of a child JVM: this JVM's java, the {@code nautilus.test.basedir} and
     * {@code nautilus.native.*} properties of this JVM (so the child finds the natives the same
     * way), the given JVM options, class path, main class and arguments.
     *
     * @param jvmArgs JVM options
     * @param classPath the child's class path
     * @param mainClass the main class's name
     * @param args its arguments
     * @return the command
     */
    public static List<String> command(List<String> jvmArgs, String classPath, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.equals("nautilus.test.basedir") || key.startsWith("nautilus.native.")) {
                command.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * Starts {@code java [inherited -D...] jvmArgs -cp <this class path> mainClass args} and waits.
     *
     * @param mainClass fully qualified main class, e.g. {@code dev.nautilus.accel.cli.Nautilus}
     * @param jvmArgs JVM options, e.g. {@code --enable-native-access=ALL-UNNAMED}, {@code -Dx=y}
     * @param args program arguments
     * @param timeout longest wait; the child is killed after it
     * @return its exit code and output
     * @throws AssertionError when the child does not exit in time (with the output so far)
     * @throws IOException when it cannot be started or its output cannot be read
     * @throws InterruptedException when this thread is interrupted while waiting (the child is killed)
     */
    public static Result run(String mainClass, List<String> jvmArgs, List<String> args, Duration timeout)
            throws IOException, InterruptedException {
        Objects.requireNonNull(mainClass, "mainClass");
        List<String> command = command(jvmArgs, System.getProperty("java.class.path"), mainClass, args);

        Path out = Files.createTempFile("javaprocess-", ".out");
        Path err = Files.createTempFile("javaprocess-", ".err");
        Process p = null;
        try {
            p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            p.getOutputStream().close(); // no input: a child reading stdin sees end of file
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("child JVM did not exit within " + timeout + ": " + String.join(" ", command)
                        + "\n--- stdout ---\n" + Files.readString(out, StandardCharsets.UTF_8)
                        + "--- stderr ---\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
