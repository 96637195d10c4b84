package dev.nautilus.accel.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code nautilus risk}: the group of risk commands (var). */
@Command(name = "risk", description = "Value at risk and expected shortfall of a portfolio (dev.nautilus.accel.risk).",
        subcommands = {RiskVarCommand.class})
public final class RiskCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Creates the command (picocli does). */
    public RiskCommand() {}

    /**
     * Without a subcommand there is nothing to do: a usage error that names them.
     *
     * @return never returns normally
     * @throws ParameterException always
     */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no risk command given; choose one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
