package dev.nautilus.accel.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nautilus bench}: the group of benchmarks (bus, jitter, dpdk). */
@Command(name = "bench", description = "Measure nautilus-accel on this machine.",
        subcommands = {BusBenchCommand.class, JitterBenchCommand.class, DpdkBenchCommand.class, TransportBenchCommand.class, PortfolioBenchCommand.class, RiskBenchCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Creates the command (picocli does). */
    public BenchCommand() {}

    /**
     * Without a benchmark there is nothing to do: a usage error that names them.
     *
     * @return never returns normally
     * @throws ParameterException always
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no benchmark given; choose one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
