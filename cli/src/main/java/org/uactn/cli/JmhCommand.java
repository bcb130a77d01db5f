// `uactn jmh ...`: runs the JMH benchmarks compiled into this jar (package org.uactn.cli.jmh),
// making sure forked benchmark JVMs get the engine's flags too.
package org.uactn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "jmh",
        description = {"Runs the JMH benchmarks built into uactn.jar; every argument goes to JMH",
                "(e.g. 'uactn jmh -l' lists them, 'uactn jmh -h' shows JMH's options,",
                "'uactn jmh Matmul -f 1 -wi 2 -i 3' runs those matching a pattern)."})
final class JmhCommand implements Callable<Integer> {
    private static final String APPEND = "-jvmArgsAppend";

    @Unmatched
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean help = args.contains("-h") || args.contains("-help");
        if (!help && JmhCommand.class.getResource("/META-INF/BenchmarkList") == null) {
            // JMH would fail with a stack trace; say plainly what is missing instead.
            spec.commandLine().getErr().println("uactn jmh: no JMH benchmarks in this build (META-INF/BenchmarkList is not on the class path)");
            return Main.EXIT_FAILURE;
        }
        // JMH reports its own option errors and calls System.exit(1) for them.
        org.openjdk.jmh.Main.main(withEngineFlags(args).toArray(String[]::new));
        return 0;
    }

    /**
     * The arguments with the engine's JVM flags added to JMH's -jvmArgsAppend (merged into the
     * user's own -jvmArgsAppend when given, so that there is a single one).
     */
    static List<String> withEngineFlags(List<String> jmhArgs) {
        String flags = String.join(" ", JvmSetup.ENGINE_FLAGS);
        List<String> out = new ArrayList<>(jmhArgs);
        for (int i = 0; i < out.size(); i++) {
            String a = out.get(i);
            if (a.equals(APPEND) && i + 1 < out.size()) {
                out.set(i + 1, flags + " " + out.get(i + 1));
                return out;
            }
            if (a.startsWith(APPEND + "=")) {
                out.set(i, APPEND + "=" + flags + " " + a.substring(APPEND.length() + 1));
                return out;
            }
        }
        out.add(0, flags);
        out.add(0, APPEND);
        return out;
    }
}
