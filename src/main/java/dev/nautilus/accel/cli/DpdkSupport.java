package dev.nautilus.accel.cli;

import dev.nautilus.accel.dpdk.Dpdk;
import dev.nautilus.accel.dpdk.Eal;
import dev.nautilus.accel.dpdk.EalOptions;
import java.util.List;

/** EAL start-up shared by the DPDK commands: the arguments after {@code --}, or a default. */
final class DpdkSupport {
    private DpdkSupport() {}

    /**
     * @param ealArgs the arguments after {@code --} (may be empty)
     * @param fallback the options to use when there are none
     * @return the running EAL
     */
    static Eal init(List<String> ealArgs, EalOptions fallback) {
        Dpdk.ensureAvailable();
        EalOptions o = ealArgs == null || ealArgs.isEmpty() ? fallback
                : EalOptions.defaults().withExtraArgs(ealArgs.toArray(String[]::new));
        return Eal.init(o);
    }
}
