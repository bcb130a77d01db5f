// The root `uactn` command: global options (--threads, --version, --help) and the subcommand list.
package org.uactn.cli;

import org.uactn.core.backend.cpu.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "uactn",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A deep-learning engine in Java, and the UACTN sketch-based 3-D shape retrieval system built on it.",
        subcommands = {InfoCommand.class, GradCheckCommand.class, JmhCommand.class, SelftestCommand.class, BenchCommand.class, org.uactn.cli.model.ModelCommand.class, RenderCommand.class, DatasetCommand.class, SynthCommand.class},
        footer = {"", "Exit codes: 0 success, 1 a check or job failed, 2 bad usage or input."})
final class UactnCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    // Inherited, so `uactn --threads 2 gradcheck` and `uactn gradcheck --threads 2` both work.
    @Option(names = "--threads", paramLabel = "N", scope = ScopeType.INHERIT,
            description = "CPU worker threads (default: UACTN_THREADS, -Duactn.threads or all processors).")
    void setThreads(int n) {
        if (n < 1) throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + n);
        Parallel.setThreads(n);
    }

    @Override
    public Integer call() {
        // A bare `uactn` names no job: show what there is, as a usage error.
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.EXIT_USAGE;
    }
}
