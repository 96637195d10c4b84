package dev.nautilus.accel.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM that the benchmarks and doctor start: this JVM's java, native
 * access, every {@code -Dnautilus.*} property of this JVM (library locations, disabled modules),
 * this class path, then the main class and its arguments.
 */
final class JavaCommand {
    private JavaCommand() {}

    /**
     * @param jvmArgs more JVM options, after the inherited ones
     * @param main the child's main class
     * @param args its arguments
     * @return the command
     */
    static List<String> of(List<String> jvmArgs, Class<?> main, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("nautilus.")) {
                cmd.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        return cmd;
    }

    /** @return this JVM's java launcher */
    static String javaExecutable() {
        Path p = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(p)) {
            return p.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }
}
