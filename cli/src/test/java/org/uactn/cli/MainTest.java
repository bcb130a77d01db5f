// Runs the uactn command line in-process with captured output: exit codes and what each command reports.
package org.uactn.cli;

import org.junit.jupiter.api.Test;
import org.uactn.core.backend.cpu.Parallel;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    /** Exit code and both output streams of one in-process run. */
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void infoListsRuntimeAndBackends() {
        Run r = run("info");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("jdk.incubator.vector loaded"), r.out());
        assertTrue(r.out().contains("worker threads: " + Parallel.threads()), r.out());
        assertTrue(r.out().contains("\n  cpu: available, 1 device(s): cpu"), r.out());
        assertTrue(r.out().contains("\n  cuda: "), r.out());
        assertTrue(r.out().matches("(?s).*\nops: \\d+ registered.*"), r.out());
    }

    @Test
    void versionNamesTheProjectVersion() {
        Run r = run("--version");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s)uactn \\d+\\.\\d+\\.\\d+.*"), r.out());
        assertTrue(r.out().contains("Java " + Runtime.version()), r.out());
    }

    @Test
    void gradcheckOfOneOpPasses() {
        Run r = run("gradcheck", "--op", "add", "--seed", "7");
        assertEquals(0, r.exit(), r.out() + r.err());
        String row = r.out().lines().filter(l -> l.startsWith("add ")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        assertTrue(row.endsWith("PASS"), row);
        assertTrue(r.out().contains("1 op(s) on cpu, seed 7: 1 passed, 0 failed"), r.out());
    }

    @Test
    void gradcheckOfAnOpWithoutGradientRunsTheForwardOnly() {
        Run r = run("gradcheck", "--op", "eq");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("PASS (no gradient; forward only)"), r.out());
    }

    @Test
    void unknownOpIsAUsageErrorListingTheKnownOps() {
        Run r = run("gradcheck", "--op", "nope");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown op 'nope'"), r.err());
        assertTrue(r.err().contains("known ops: ") && r.err().contains("add"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace expected: " + r.err());
        assertEquals("", r.out());
    }

    @Test
    void unavailableDeviceIsAUsageErrorWithTheReason() {
        Run r = run("gradcheck", "--op", "add", "--device", "tpu");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--device tpu: no backend for device type 'tpu'"), r.err());

        Run bad = run("gradcheck", "--device", "cuda:x");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("bad device 'cuda:x'"), bad.err());
    }

    @Test
    void badOptionsAreUsageErrorsWithoutStackTraces() {
        for (String[] args : new String[][] {
                {"--bogus"}, {"info", "--bogus"}, {"gradcheck", "--seed", "abc"}, {"--threads", "0", "info"},
                {"gradcheck", "--threads", "-3"}, {"nosuchcommand"}, {}}) {
            Run r = run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertFalse(r.err().isBlank(), String.join(" ", args));
            assertFalse(r.err().contains("\tat "), "no stack trace expected: " + r.err());
        }
        assertTrue(run("--threads", "0", "info").err().contains("--threads must be at least 1, got 0"));
    }

    @Test
    void threadsOptionSetsTheWorkerPoolFromEitherPosition() {
        int before = Parallel.threads();
        try {
            assertEquals(0, run("--threads", "3", "info").exit());
            assertEquals(3, Parallel.threads());
            Run r = run("info", "--threads", "2");
            assertEquals(0, r.exit(), r.err());
            assertEquals(2, Parallel.threads());
            assertTrue(r.out().contains("worker threads: 2"), r.out());
        } finally {
            Parallel.setThreads(before);
        }
    }
}
