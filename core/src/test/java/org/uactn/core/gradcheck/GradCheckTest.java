// The suite's gradient check over every registered op on the CPU, and checks that the checker itself catches wrong gradients.
package org.uactn.core.gradcheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.uactn.core.autograd.Graph;
import org.uactn.core.ops.OpRegistry;
import org.uactn.core.ops.OpSpec;
import org.uactn.core.ops.Pointwise;
import org.uactn.core.ops.Samples;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradCheckTest {
    static List<String> ops() {
        return OpRegistry.names();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void everyOpPassesOnCpu(String name) {
        GradCheck.Result r = GradCheck.check(OpRegistry.get(name), Device.CPU, 42);
        assertTrue(r.passed(), r.toString());
        assertEquals(name, r.op());
    }

    @Test
    void registryCoversEveryOpFamily() {
        List<String> names = OpRegistry.names();
        for (String op : List.of("cat", "stack", "sum", "mean", "max", "argmax", "matmul", "linear", "conv2d", "max_pool2d",
                "avg_pool2d", "adaptive_avg_pool2d", "batch_norm", "normalize", "softmax", "log_softmax", "dropout",
                "cross_entropy", "nll_loss", "mse_loss", "gather", "scatter", "scatter_add", "index_select", "one_hot")) {
            assertTrue(names.contains(op), op + " missing from " + names);
        }
    }

    @Test
    void aWrongBackwardFailsAndNamesTheElement() {
        // y = x^2 with a backward that forgets the factor 2 on every element.
        OpSpec wrong = OpSpec.of("bad_square", g -> new Tensor[] {Samples.uniform(g, 0.5, 1.5, 2, 3)}, in -> {
            Tensor x = in[0];
            Tensor out = Pointwise.mul(x.detach(), x.detach());
            return Graph.record("bad_square", out, gr -> new Tensor[] {Pointwise.mul(gr, x.detach())}, x);
        });
        GradCheck.Result r = GradCheck.check(wrong, Device.CPU, 3);
        assertFalse(r.passed(), r.toString());
        assertTrue(r.detail().contains("input 0") && r.detail().contains("[0, 0]"), r.detail());
        assertTrue(r.maxAbsError() > 0.1 && r.maxRelError() > 0.3, r.toString());
    }

    @Test
    void aMissingGradientCountsAsZeros() {
        // The op uses its input but records no backward at all: the analytic gradient is null.
        OpSpec cut = OpSpec.of("cut", g -> new Tensor[] {Samples.normal(g, 3)}, in -> Pointwise.mul(in[0].detach(), 2.0));
        GradCheck.Result r = GradCheck.check(cut, Device.CPU, 0);
        assertFalse(r.passed(), r.toString());
        // The numerical gradient is 2 R with |R| in [0.5, 1.5), so the worst element misses by 1 to 3.
        assertTrue(r.maxAbsError() >= 1.0 && r.maxAbsError() < 3.0, r.toString());
    }

    @Test
    void aCrashingOpIsAFailedResultNotAnException() {
        OpSpec boom = OpSpec.of("boom", g -> new Tensor[] {Samples.normal(g, 2)}, in -> {
            throw new IllegalArgumentException("boom: bad shape");
        });
        GradCheck.Result r = GradCheck.check(boom, Device.CPU, 0);
        assertFalse(r.passed());
        assertTrue(r.detail().contains("boom: bad shape"), r.detail());
    }

    @Test
    void nonDifferentiableOpsOnlyRunForward() {
        GradCheck.Result r = GradCheck.check(OpRegistry.get("argmax"), Device.CPU, 5);
        assertTrue(r.passed(), r.toString());
        assertEquals(0.0, r.maxAbsError());
    }
}
