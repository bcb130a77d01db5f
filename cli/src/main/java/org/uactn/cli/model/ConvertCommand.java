// `uactn model convert IN OUT.safetensors`: rewrites a PyTorch checkpoint (or safetensors file) as safetensors.
package org.uactn.cli.model;

import org.uactn.core.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Converts a PyTorch state dict (.pth/.pt zip checkpoint, read without executing any pickle code)",
                "into a safetensors file with the same tensor names, shapes and values (written atomically)."})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "The checkpoint to read (.pth, .pt or .safetensors).")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The safetensors file to write.")
    Path out;

    @Override
    public Integer call() {
        Map<String, Tensor> state = ModelFiles.readWeights(in);
        long elements = 0;
        for (Tensor t : state.values()) elements += t.numel();
        ModelFiles.writeSafetensors(out, state, Map.of("source", in.getFileName().toString(), "converted_by", "uactn model convert"));
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%s: %d tensors, %d elements -> %s%n", in, state.size(), elements, out);
        w.flush();
        return 0;
    }
}
