// The JVM flags the engine needs, and the self re-launch that supplies them to `java -jar uactn.jar`
// (the Vector API's incubator module cannot be requested from a jar manifest).
package org.uactn.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

final class JvmSetup {
    /** Must match uactn.jvm.flags in the parent pom and the ./uactn launcher. */
    static final List<String> ENGINE_FLAGS = List.of(
            "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:-OptoRegScheduling");

    /**
     * Garbage-collector settings for a small resident set (docs/performance.md, "Memory"): G1 let the heap
     * grow to 3 GiB for a ResNet-18 step whose live set is under 1 GiB. Generational ZGC with a soft heap
     * target collects to stay near it but may grow up to the usual maximum when the live set needs more,
     * so no workload-specific -Xmx is needed. Skipped when the user picks a collector or a soft target.
     */
    static final List<String> MEMORY_FLAGS = List.of("-XX:+UseZGC", "-XX:SoftMaxHeapSize=1g");

    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** Set on the child JVM so that a child that still lacks the module never launches another. */
    private static final String RELAUNCHED_PROPERTY = "uactn.relaunched";

    private JvmSetup() {}

    static boolean vectorModuleLoaded() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * True when this JVM lacks the Vector API module but the runtime image has it, so a child JVM
     * started with {@link #ENGINE_FLAGS} would get it.
     */
    static boolean shouldRelaunch() {
        return !vectorModuleLoaded()
                && !Boolean.getBoolean(RELAUNCHED_PROPERTY)
                && ModuleFinder.ofSystem().find(VECTOR_MODULE).isPresent();
    }

    /** Whether a JVM flag selects a collector or sets the soft heap target (then MEMORY_FLAGS would conflict). */
    static boolean choosesGc(String flag) {
        return (flag.startsWith("-XX:+Use") && flag.endsWith("GC")) || flag.startsWith("-XX:SoftMaxHeapSize");
    }

    /**
     * Runs {@code mainClass} with args in a child JVM (same java binary, engine flags first, then
     * this JVM's own flags so that user settings such as -Xmx win), sharing this process's
     * standard streams, and returns the child's exit code.
     */
    static int relaunch(Class<?> mainClass, String[] args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(ENGINE_FLAGS);
        List<String> userFlags = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (userFlags.stream().noneMatch(JvmSetup::choosesGc)) command.addAll(MEMORY_FLAGS);
        command.addAll(userFlags);
        command.add("-D" + RELAUNCHED_PROPERTY + "=true");
        // For `java -jar uactn.jar` the class path is exactly the jar.
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        // If this JVM is terminated (SIGTERM), do not leave the child running on its own.
        Thread reaper = new Thread(child::destroy, "uactn-child-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            return child.waitFor();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
