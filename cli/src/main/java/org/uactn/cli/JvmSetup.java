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
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
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
