// The self re-launch behind `java -jar uactn.jar`: the child JVM gets the engine flags and its exit code comes back.
package org.uactn.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JvmSetupTest {
    /** Child-side probe: exit code 40 + args.length when the Vector API module is loaded, 3 when not. */
    public static final class Probe {
        public static void main(String[] args) {
            boolean ok = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && Boolean.getBoolean("uactn.relaunched");
            System.exit(ok ? 40 + args.length : 3);
        }
    }

    @Test
    void relaunchedChildHasTheVectorModuleAndItsExitCodeIsReturned() throws Exception {
        assertEquals(42, JvmSetup.relaunch(Probe.class, new String[] {"a", "b c"}));
    }

    @Test
    void thisJvmNeedsNoRelaunch() {
        // Surefire starts tests with the engine flags (uactn.jvm.flags in the parent pom).
        assertEquals(false, JvmSetup.shouldRelaunch());
    }

    @Test
    void jmhForksGetTheEngineFlags() {
        String flags = "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:-OptoRegScheduling";
        assertEquals(List.of("-jvmArgsAppend", flags, "-l"), JmhCommand.withEngineFlags(List.of("-l")));
        assertEquals(List.of("Bench", "-jvmArgsAppend", flags + " -Xmx2g", "-f", "1"),
                JmhCommand.withEngineFlags(List.of("Bench", "-jvmArgsAppend", "-Xmx2g", "-f", "1")));
        assertEquals(List.of("-jvmArgsAppend=" + flags + " -Xss4m"), JmhCommand.withEngineFlags(List.of("-jvmArgsAppend=-Xss4m")));
    }
}
