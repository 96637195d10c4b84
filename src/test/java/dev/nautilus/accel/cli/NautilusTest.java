package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nautilus.accel.nativeaccess.NativeUnavailableException;
import dev.nautilus.accel.nativeaccess.Platform;
import dev.nautilus.accel.nativeaccess.Version;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NautilusTest {

    @Test
    void shouldPrintVersionJdkAndPlatform() {
        CliRun r = CliRun.of("--version");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("nautilus-accel " + Version.get() + "\n"
                + "JDK " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")\n"
                + "platform " + Platform.id() + "\n", r.out());
    }

    @Test
    void shouldDocumentTheExitCodesInTheUsage() {
        CliRun r = CliRun.of("--help");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("Exit codes:\n"), r::toString);
        assertTrue(r.out().contains("  0   success\n"), r::toString);
        assertTrue(r.out().contains("  1   failure: an operation failed, or a required module is not available\n"), r::toString);
        assertTrue(r.out().contains("  2   usage error: unknown command or option, invalid argument\n"), r::toString);
        assertTrue(r.out().contains("doctor") && r.out().contains("shm"), r::toString);
    }

    @Test
    void shouldOfferHelpOnEverySubcommand() {
        for (String[] args : new String[][] {{"doctor", "--help"}, {"shm", "--help"}, {"shm", "list", "--help"},
                {"shm", "inspect", "--help"}, {"shm", "rm", "--help"}, {"bench", "--help"}, {"bench", "bus", "--help"}, {"affinity", "--help"},
                {"affinity", "show", "--help"}, {"affinity", "run", "--help"}, {"bench", "jitter", "--help"}, {"cpu", "--help"}}) {
            CliRun r = CliRun.of(args);
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.out().startsWith("Usage: nautilus " + String.join(" ", args).replace(" --help", "")), r::toString);
        }
    }

    @Test
    void shouldTreatAMissingCommandAsUsageError() {
        CliRun r = CliRun.of();

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("nautilus: error: no command given; choose one of: doctor, cpu, shm, affinity, dpdk, portfolio, risk, bench\nRun 'nautilus --help' for usage.\n", r.err());
    }

    @Test
    void shouldTreatAMissingShmCommandAsUsageError() {
        CliRun r = CliRun.of("shm");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: no shm command given; choose one of: list, inspect, rm\n"), r::toString);
    }

    @Test
    void shouldTreatAMissingBenchmarkAsUsageError() {
        CliRun r = CliRun.of("bench");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: no benchmark given; choose one of: bus, jitter, dpdk, transport, portfolio, risk\n"), r::toString);
    }

    @Test
    void shouldReportAnUnknownOptionAsUsageErrorWithoutStackTrace() {
        CliRun r = CliRun.of("doctor", "--bogus");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: Unknown option: '--bogus'\n"), r::toString);
        assertTrue(r.err().contains("Run 'nautilus doctor --help' for usage."), r::toString);
        assertFalse(r.err().contains("\tat "), r::toString);
    }

    @Test
    void shouldReportAnUnknownCommandAsUsageError() {
        CliRun r = CliRun.of("docter");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("nautilus: error: Unmatched argument at index 0: 'docter'\n"), r::toString);
        assertTrue(r.err().contains("doctor"), "suggests the closest command\n" + r);
    }

    @Test
    void shouldMapLibraryExceptionsToOneErrorLineAndExitCode() {
        assertEquals(2, handle(new IllegalArgumentException("invalid size -1")).exitCode());
        assertEquals("nautilus: error: invalid size -1\n", handle(new IllegalArgumentException("invalid size -1")).err());
        Handled unavailable = handle(new NativeUnavailableException("module shm is unavailable: because"));
        assertEquals(1, unavailable.exitCode());
        assertEquals("nautilus: error: module shm is unavailable: because\n", unavailable.err());
        Handled failed = handle(new CommandFailedException("no shared memory segment /x"));
        assertEquals(1, failed.exitCode());
        assertEquals("nautilus: error: no shared memory segment /x\n", failed.err());
    }

    @Test
    void shouldReportAnUnexpectedExceptionWithoutStackTrace() {
        Handled h = handle(new NullPointerException("boom"));

        assertEquals(1, h.exitCode());
        assertTrue(h.err().startsWith("nautilus: error: unexpected java.lang.NullPointerException: boom (rerun with"
                + " -Dnautilus.debug=true"), h.err());
        assertFalse(h.err().contains("\tat "), h.err());
    }

    private record Handled(int exitCode, String err) {}

    private static Handled handle(Exception e) {
        CommandLine cmd = Nautilus.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        int code = new ErrorHandler().handleExecutionException(e, cmd, cmd.parseArgs("doctor"));
        return new Handled(code, err.toString());
    }
}
