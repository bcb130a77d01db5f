// `uactn model`: the command group for the model zoo (convert, summary, forward, backward).
package org.uactn.cli.model;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Model zoo tools: convert checkpoints, summarise, run forward and backward passes from the command line.",
        subcommands = {ConvertCommand.class, SummaryCommand.class, ForwardCommand.class, BackwardCommand.class})
public final class ModelCommand implements Callable<Integer> {
    /** Bad usage or input (mirrors org.uactn.cli.Main.EXIT_USAGE, which is not visible from this package). */
    static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // `uactn model` alone names no job: list the subcommands, as a usage error.
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }
}
