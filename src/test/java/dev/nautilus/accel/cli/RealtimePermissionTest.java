package dev.nautilus.accel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Real-time permission decided from captured /proc/self/status and /proc/self/limits text. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RealtimePermissionTest {
    private static final String LIMITS_RTPRIO_0 = """
            Limit                     Soft Limit           Hard Limit           Units
            Max nice priority         0                    0
            Max realtime priority     0                    0
            Max realtime timeout      unlimited            unlimited            us
            """;
    private static final String LIMITS_RTPRIO_99 = LIMITS_RTPRIO_0.replace(
            "Max realtime priority     0                    0", "Max realtime priority     99                   99");

    private static String status(int euid, String capEff) {
        return "Name:\tjava\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t" + euid + "\t" + euid + "\t" + euid + "\t" + euid
                + "\nGid:\t0\t0\t0\t0\nCapInh:\t0000000000000000\nCapPrm:\t" + capEff + "\nCapEff:\t" + capEff + "\n";
    }

    @Test
    void shouldPermitRootWithAllCapabilities() {
        RealtimePermission.Result r = RealtimePermission.decide(status(0, "000001ffffffffff"), LIMITS_RTPRIO_0);

        assertEquals(Optional.of(true), r.permitted());
        assertEquals("running as root (euid 0) with CAP_SYS_NICE", r.reason());
        assertEquals(Optional.empty(), r.fix());
    }

    @Test
    void shouldRefuseContainerRootWithoutCapSysNice() {
        // docker's default capability set: no CAP_SYS_NICE (bit 23)
        RealtimePermission.Result r = RealtimePermission.decide(status(0, "00000000a80425fb"), LIMITS_RTPRIO_0);

        assertEquals(Optional.of(false), r.permitted());
        assertTrue(r.reason().startsWith("running as root (euid 0) but without CAP_SYS_NICE"), r.reason());
        assertTrue(r.fix().orElseThrow().contains("--cap-add=SYS_NICE"), r.fix().toString());
    }

    @Test
    void shouldPermitAUserWithCapSysNice() {
        RealtimePermission.Result r = RealtimePermission.decide(status(1000, "0000000000800000"), LIMITS_RTPRIO_0);

        assertEquals(Optional.of(true), r.permitted());
        assertEquals("CAP_SYS_NICE is in the effective capabilities", r.reason());
    }

    @Test
    void shouldPermitAUserWithAnRtprioLimit() {
        RealtimePermission.Result r = RealtimePermission.decide(status(1000, "0000000000000000"), LIMITS_RTPRIO_99);

        assertEquals(Optional.of(true), r.permitted());
        assertEquals("RLIMIT_RTPRIO allows priorities up to 99 ('Max realtime priority' in /proc/self/limits)", r.reason());
    }

    @Test
    void shouldRefuseAPlainUserAndSayHowToFixIt() {
        RealtimePermission.Result r = RealtimePermission.decide(status(1000, "0000000000000000"), LIMITS_RTPRIO_0);

        assertEquals(Optional.of(false), r.permitted());
        assertEquals("not root (euid 1000), no CAP_SYS_NICE, RLIMIT_RTPRIO is 0", r.reason());
        String fix = r.fix().orElseThrow();
        assertTrue(fix.startsWith("run as root"), fix);
        assertTrue(fix.contains("setcap cap_sys_nice"), fix);
        assertTrue(fix.contains("rtprio") && fix.contains("/etc/security/limits.conf"), fix);
    }

    @Test
    void shouldTrustRootWhenTheKernelDoesNotReportCapabilities() {
        RealtimePermission.Result r = RealtimePermission.decide("Uid:\t0\t0\t0\t0\n", "");

        assertEquals(Optional.of(true), r.permitted());
        assertEquals("running as root (euid 0)", r.reason());
    }

    @Test
    void shouldUseTheEffectiveNotTheRealUid() {
        String setuidRoot = "Uid:\t1000\t0\t0\t0\nCapEff:\t0000000000000000\n";

        RealtimePermission.Result r = RealtimePermission.decide(setuidRoot, LIMITS_RTPRIO_0);

        assertTrue(r.reason().startsWith("running as root (euid 0)"), r.reason());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void shouldDecideForThisProcessOnLinux() {
        RealtimePermission.Result r = RealtimePermission.check();

        assertTrue(r.permitted().isPresent(), r.toString());
        assertEquals(r.permitted().get(), r.fix().isEmpty(), "a fix exactly when not permitted: " + r);
    }
}
