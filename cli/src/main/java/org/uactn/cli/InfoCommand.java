// `uactn info`: what this installation runs on — version, Java runtime and flags, CPU threads,
// and every backend found through the BackendProvider SPI with why it is or is not usable.
package org.uactn.cli;

import org.uactn.core.backend.BackendProvider;
import org.uactn.core.backend.Backends;
import org.uactn.core.backend.cpu.Parallel;
import org.uactn.core.ops.OpRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Shows the version, Java runtime, CPU threads and the available backends.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("uactn " + VersionProvider.version());
        out.println();
        out.println("java:");
        out.println("  version:        " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        out.println("  vm:             " + System.getProperty("java.vm.name") + ", " + System.getProperty("java.home"));
        out.println("  vector api:     " + (JvmSetup.vectorModuleLoaded()
                ? "jdk.incubator.vector loaded"
                : "jdk.incubator.vector NOT loaded (start java with --add-modules jdk.incubator.vector)"));
        out.println("  native access:  " + (InfoCommand.class.getModule().isNativeAccessEnabled() ? "enabled" : "restricted"));
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        out.println("  jvm flags:      " + (jvmArgs.isEmpty() ? "(none)" : String.join(" ", jvmArgs)));
        out.println("  max heap:       " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        out.println();
        out.println("cpu:");
        out.println("  processors:     " + Runtime.getRuntime().availableProcessors());
        out.println("  worker threads: " + Parallel.threads());
        out.println();
        out.println("backends:");
        boolean cuda = false;
        for (BackendProvider p : Backends.providers()) {
            out.println("  " + describe(p));
            cuda |= p.deviceType().equals("cuda");
        }
        if (!cuda) out.println("  cuda: not available: no CUDA backend on the class path");
        out.println();
        out.println("ops: " + opSummary());
        out.flush();
        return 0;
    }

    /** One line per backend; a provider that misbehaves is reported, not allowed to abort the listing. */
    private static String describe(BackendProvider p) {
        String type = p.deviceType();
        try {
            if (!p.isAvailable()) return type + ": not available: " + p.unavailableReason();
            return type + ": available, " + p.deviceCount() + " device(s): " + p.describe();
        } catch (RuntimeException | LinkageError e) {
            return type + ": error while describing the backend: " + e;
        }
    }

    private static String opSummary() {
        try {
            return OpRegistry.names().size() + " registered (check their gradients with 'uactn gradcheck')";
        } catch (RuntimeException e) {
            return "the op registry failed to load: " + e.getMessage();
        }
    }
}
