// `uactn gradcheck`: finite-difference gradient checks of every registered op (or the named ones)
// on one device, as an aligned table; exit 0 only when every op passes.
package org.uactn.cli;

import org.uactn.core.backend.Backends;
import org.uactn.core.gradcheck.GradCheck;
import org.uactn.core.ops.OpRegistry;
import org.uactn.core.ops.OpSpec;
import org.uactn.core.tensor.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Checks every registered op's gradient against finite differences (float64).")
final class GradCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--op", paramLabel = "NAME",
            description = "Check only this op (repeatable); default: all registered ops.")
    List<String> ops = new ArrayList<>();

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
            description = "Device to run on: cpu, cuda, cuda:1 (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the sample inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    /** One table row: the op's result, or the exception that stopped its check. */
    private record Row(OpSpec spec, GradCheck.Result result, String error) {
        boolean passed() { return error == null && result.passed(); }
    }

    @Override
    public Integer call() {
        List<OpSpec> specs = selectOps();
        Device dev = selectDevice();
        PrintWriter out = spec.commandLine().getOut();

        List<Row> rows = new ArrayList<>();
        for (OpSpec s : specs) rows.add(run(s, dev));

        int width = "op".length();
        for (Row r : rows) width = Math.max(width, r.spec.name().length());
        String format = "%-" + width + "s  %12s  %12s  %s%n";
        out.printf(Locale.ROOT, format, "op", "max abs err", "max rel err", "result");
        int failed = 0;
        for (Row r : rows) {
            String abs = "-", rel = "-", verdict;
            if (r.error != null) {
                verdict = "FAIL  " + r.error;
            } else {
                if (r.spec.differentiable()) {
                    abs = String.format(Locale.ROOT, "%.3e", r.result.maxAbsError());
                    rel = String.format(Locale.ROOT, "%.3e", r.result.maxRelError());
                }
                verdict = r.result.passed() ? (r.spec.differentiable() ? "PASS" : "PASS (no gradient; forward only)")
                        : "FAIL  " + r.result.detail();
            }
            if (!r.passed()) failed++;
            out.printf(Locale.ROOT, format, r.spec.name(), abs, rel, verdict);
        }
        out.printf(Locale.ROOT, "%n%d op(s) on %s, seed %d: %d passed, %d failed%n",
                rows.size(), dev, seed, rows.size() - failed, failed);
        out.flush();
        return failed == 0 ? 0 : Main.EXIT_FAILURE;
    }

    private List<OpSpec> selectOps() {
        if (ops.isEmpty()) return OpRegistry.all();
        List<OpSpec> chosen = new ArrayList<>();
        for (String name : ops) {
            try {
                chosen.add(OpRegistry.get(name));
            } catch (IllegalArgumentException unknown) {
                throw new ParameterException(spec.commandLine(), unknown.getMessage());
            }
        }
        return chosen;
    }

    private Device selectDevice() {
        try {
            Device d = Device.parse(device);
            Backends.get(d); // fails here, with the reason, rather than once per op
            return d;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ParameterException(spec.commandLine(), "--device " + device + ": " + e.getMessage());
        }
    }

    /** A check that throws (a missing kernel, a shape bug) is that op's failure, not the end of the run. */
    private Row run(OpSpec s, Device dev) {
        try {
            return new Row(s, GradCheck.check(s, dev, seed), null);
        } catch (RuntimeException | AssertionError | LinkageError e) {
            String msg = e.getMessage();
            return new Row(s, null, e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg.lines().findFirst().orElse("")));
        }
    }
}
