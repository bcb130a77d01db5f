// Entry point of the uactn command line: ensures the engine's JVM flags, then runs the picocli
// command tree with uactn's exit-code conventions (0 ok, 1 failure, 2 bad usage or input).
package org.uactn.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

public final class Main {
    /** Exit code of a command that ran and found a failure (e.g. a gradient check that did not pass). */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for bad usage or input: unknown options, unknown ops, unavailable devices. */
    public static final int EXIT_USAGE = 2;

    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        if (JvmSetup.shouldRelaunch()) {
            try {
                System.exit(JvmSetup.relaunch(Main.class, args));
            } catch (java.io.IOException e) {
                System.err.println("uactn: could not restart java with " + String.join(" ", JvmSetup.ENGINE_FLAGS) + ": " + e.getMessage()
                        + "\nRun it yourself with those flags, or use the ./uactn launcher.");
                System.exit(EXIT_USAGE);
            }
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command tree; tests run it in-process with their own output writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new UactnCommand());
        cl.setParameterExceptionHandler(Main::onBadUsage);
        cl.setExecutionExceptionHandler(Main::onExecutionError);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // Everything after `uactn jmh` belongs to JMH, including options picocli does not know.
        cl.getSubcommands().get("jmh").setStopAtUnmatched(true);
        return cl;
    }

    private static int onBadUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("uactn: " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        }
        err.flush();
        return EXIT_USAGE;
    }

    /**
     * Bad input found while running (IllegalArgumentException, the engine's convention) is a usage
     * error: its message says what is wrong, a stack trace would only hide it. Anything else is a
     * bug and keeps its stack trace.
     */
    private static int onExecutionError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof IllegalArgumentException) {
            err.println("uactn: " + e.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        err.println("uactn: internal error in '" + cmd.getCommandSpec().qualifiedName() + "':");
        e.printStackTrace(err);
        err.flush();
        return EXIT_FAILURE;
    }
}
