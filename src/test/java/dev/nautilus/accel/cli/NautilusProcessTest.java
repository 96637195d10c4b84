package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.nativeaccess.Version;
import dev.nautilus.accel.testutil.JavaProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code nautilus} as a real process: exit codes, and JVM settings that are decided once per JVM. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NautilusProcessTest {
    private static final String MAIN = Nautilus.class.getName();
    private static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static JavaProcess.Result nautilus(List<String> jvmArgs, String... args) throws Exception {
        return JavaProcess.run(MAIN, jvmArgs, List.of(args), TIMEOUT);
    }

    @Test
    void shouldExitZeroWhenShmIsRequiredAndNativeAccessIsEnabled() throws Exception {
        JavaProcess.Result r = nautilus(List.of(NATIVE_ACCESS), "doctor", "--require", "shm");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(Pattern.compile("(?m)^  shm +available ").matcher(r.stdout()).find(), r::toString);
        assertEquals("", r.stderr(), r::toString);
    }

    @Test
    void shouldExitOneWhenRequiredShmIsDisabledByProperty() throws Exception {
        JavaProcess.Result r = nautilus(List.of(NATIVE_ACCESS, "-Dnautilus.shm.disabled=true"), "doctor", "--require", "shm");

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("nautilus: error: required module shm is not available: module shm is disabled by"
                + " -Dnautilus.shm.disabled=true; remove that property to use it\n", r.stderr());
        assertTrue(Pattern.compile("(?m)^  shm +unavailable ").matcher(r.stdout()).find(), r::toString);
    }

    @Test
    void shouldNameTheExactFlagWhenNativeAccessIsNotEnabled() throws Exception {
        JavaProcess.Result r = nautilus(List.of(), "doctor");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("native access     NOT enabled: start java with --enable-native-access=ALL-UNNAMED\n"),
                r::toString);
        assertTrue(Pattern.compile("(?m)^  shm +unavailable ").matcher(r.stdout()).find(), r::toString);
        assertTrue(r.stdout().contains("cause    module shm is unavailable: native access is not enabled for nautilus-accel:"
                + " start java with --enable-native-access=ALL-UNNAMED"), r::toString);
    }

    @Test
    void shouldPrintTheVersion() throws Exception {
        JavaProcess.Result r = nautilus(List.of(), "--version");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().startsWith("nautilus-accel " + Version.get() + "\nJDK " + System.getProperty("java.version")),
                r::toString);
    }

    @Test
    void shouldPrintOneErrorLineAndNoStackTraceForABadName() throws Exception {
        JavaProcess.Result r = nautilus(List.of(NATIVE_ACCESS), "shm", "rm", "noslash");

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("nautilus: error: invalid shared memory name \"noslash\": it must start with '/' (e.g. \"/noslash\")\n",
                r.stderr());
        assertFalse(r.output().contains("Exception"), r::toString);
    }
}
