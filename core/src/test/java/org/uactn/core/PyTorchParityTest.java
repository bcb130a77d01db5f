package org.uactn.core;

import org.junit.jupiter.api.Test;
import org.uactn.core.io.Safetensors;
import org.uactn.core.ops.Activations;
import org.uactn.core.ops.Convolution;
import org.uactn.core.ops.LinearAlgebra;
import org.uactn.core.ops.LossReduction;
import org.uactn.core.ops.Losses;
import org.uactn.core.ops.Normalization;
import org.uactn.core.ops.Pooling;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Forward outputs and gradients of the engine's ops against PyTorch 1.13, read from fixtures made
 * by core/src/test/python/make_parity_fixtures.py (float64 references stored as float32).
 * Forward must agree within 1e-5 relative, gradients within 1e-4, both as a whole-tensor norm ratio
 * and per element (|a - b| <= tol * (|b| + max|b|)).
 */
class PyTorchParityTest {
    private static final Path DIR = Path.of("src/test/resources/fixtures/parity");
    private static final double FORWARD_TOL = 1e-5;
    private static final double GRAD_TOL = 1e-4;

    @Test
    void conv2dStride2Padding1Groups2() throws IOException {
        check("conv2d_stride2_pad1_groups2", List.of("x", "w", "b"), Map.of("stride", "2", "padding", "1", "groups", "2"),
                t -> Convolution.conv2d(t.get("x"), t.get("w"), t.get("b"), new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 2));
    }

    @Test
    void conv2dDilation2WithoutBias() throws IOException {
        check("conv2d_dilation2_nobias", List.of("x", "w"), Map.of("stride", "1", "padding", "1", "dilation", "2", "groups", "1"),
                t -> Convolution.conv2d(t.get("x"), t.get("w"), null, new int[] {1, 1}, new int[] {1, 1}, new int[] {2, 2}, 1));
    }

    @Test
    void batchNormTrainUpdatesRunningStats() throws IOException {
        Map<String, Tensor> t = check("batch_norm_train", List.of("x", "weight", "bias"),
                Map.of("training", "True", "momentum", "0.1", "eps", "1e-05"),
                f -> Normalization.batchNorm(f.get("x"), f.get("running_mean"), f.get("running_var"), f.get("weight"), f.get("bias"),
                        true, 0.1, 1e-5));
        compare("running_mean after update", t.get("running_mean"), t.get("running_mean_after"), FORWARD_TOL);
        compare("running_var after update", t.get("running_var"), t.get("running_var_after"), FORWARD_TOL);
    }

    @Test
    void batchNormEval() throws IOException {
        check("batch_norm_eval", List.of("x", "weight", "bias"), Map.of("training", "False", "eps", "1e-05"),
                f -> Normalization.batchNorm(f.get("x"), f.get("running_mean"), f.get("running_var"), f.get("weight"), f.get("bias"),
                        false, 0.1, 1e-5));
    }

    @Test
    void maxPool2dKernel3Stride2Padding1() throws IOException {
        check("max_pool2d_k3_s2_p1", List.of("x"), Map.of("kernel", "3", "stride", "2", "padding", "1", "ceil_mode", "False"),
                t -> Pooling.maxPool2d(t.get("x"), new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, false));
    }

    @Test
    void maxPool2dCeilMode() throws IOException {
        check("max_pool2d_k3_s2_ceil", List.of("x"), Map.of("kernel", "3", "stride", "2", "padding", "0", "ceil_mode", "True"),
                t -> Pooling.maxPool2d(t.get("x"), new int[] {3, 3}, new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, true));
    }

    @Test
    void avgPool2dCountIncludePad() throws IOException {
        check("avg_pool2d_k3_s2_p1_include_pad", List.of("x"), Map.of("count_include_pad", "True"),
                t -> Pooling.avgPool2d(t.get("x"), new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, false, true));
    }

    @Test
    void avgPool2dCountExcludePad() throws IOException {
        check("avg_pool2d_k3_s2_p1_exclude_pad", List.of("x"), Map.of("count_include_pad", "False"),
                t -> Pooling.avgPool2d(t.get("x"), new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, false, false));
    }

    @Test
    void avgPool2dCeilModeCountIncludePad() throws IOException {
        check("avg_pool2d_k3_s2_p1_ceil_include_pad", List.of("x"), Map.of("ceil_mode", "True", "count_include_pad", "True"),
                t -> Pooling.avgPool2d(t.get("x"), new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true, true));
    }

    @Test
    void adaptiveAvgPool2dUnevenBins() throws IOException {
        check("adaptive_avg_pool2d_7_to_3", List.of("x"), Map.of("output_size", "(3, 3)"),
                t -> Pooling.adaptiveAvgPool2d(t.get("x"), 3, 3));
    }

    @Test
    void linear() throws IOException {
        check("linear", List.of("x", "w", "b"), Map.of(), t -> LinearAlgebra.linear(t.get("x"), t.get("w"), t.get("b")));
    }

    @Test
    void logSoftmax() throws IOException {
        check("log_softmax_dim1", List.of("x"), Map.of("dim", "1"), t -> Activations.logSoftmax(t.get("x"), 1));
    }

    @Test
    void crossEntropyMeanWithLabelSmoothing() throws IOException {
        check("cross_entropy_mean_ls0.1", List.of("logits"), Map.of("reduction", "mean", "label_smoothing", "0.1"),
                t -> Losses.crossEntropy(t.get("logits"), t.get("target"), LossReduction.MEAN, 0.1));
    }

    @Test
    void crossEntropyMean() throws IOException {
        check("cross_entropy_mean", List.of("logits"), Map.of("reduction", "mean", "label_smoothing", "0.0"),
                t -> Losses.crossEntropy(t.get("logits"), t.get("target"), LossReduction.MEAN, 0.0));
    }

    @Test
    void normalizeP2Dim1() throws IOException {
        check("normalize_p2_dim1", List.of("x"), Map.of("p", "2.0", "dim", "1", "eps", "1e-12"),
                t -> Normalization.normalize(t.get("x"), 2.0, 1, 1e-12));
    }

    @Test
    void softmaxLastDim() throws IOException {
        check("softmax_dim_last", List.of("x"), Map.of("dim", "-1"), t -> Activations.softmax(t.get("x"), -1));
    }

    @Test
    void mseLossMean() throws IOException {
        check("mse_loss_mean", List.of("input", "target"), Map.of("reduction", "mean"),
                t -> Losses.mseLoss(t.get("input"), t.get("target"), LossReduction.MEAN));
    }

    @Test
    void matmulBatchedBroadcast() throws IOException {
        check("matmul_batched_broadcast", List.of("a", "b"), Map.of(), t -> LinearAlgebra.matmul(t.get("a"), t.get("b")));
    }

    /**
     * Loads a fixture, marks the named tensors as leaves needing gradients, runs the op, checks the
     * output, back-propagates the stored upstream gradient and checks every stored input gradient.
     * Returns the fixture's tensors (after the call) for case-specific checks.
     */
    private static Map<String, Tensor> check(String name, List<String> differentiable, Map<String, String> params,
                                             Function<Map<String, Tensor>, Tensor> op) throws IOException {
        Safetensors.Contents c = Safetensors.readWithMetadata(DIR.resolve(name + ".safetensors"));
        Map<String, Tensor> t = c.tensors();
        assertEquals(name, c.metadata().get("op"));
        // The Java call hard-codes the op's arguments; make sure they are the ones the fixture used.
        for (Map.Entry<String, String> p : params.entrySet()) {
            assertEquals(p.getValue(), c.metadata().get(p.getKey()), name + ": fixture parameter " + p.getKey());
        }
        List<String> stored = new ArrayList<>();
        for (String k : t.keySet()) if (k.startsWith("grad_") && !k.equals("grad_out")) stored.add(k.substring(5));
        assertEquals(stored, differentiable, name + ": the test must check every gradient the fixture holds");

        for (String k : differentiable) t.get(k).requiresGrad(true);
        Tensor out = op.apply(t);
        compare(name + " forward", out, t.get("out"), FORWARD_TOL);
        out.backward(t.get("grad_out"));
        for (String k : differentiable) {
            Tensor g = t.get(k).grad();
            assertNotNull(g, name + ": no gradient reached " + k);
            compare(name + " grad of " + k, g, t.get("grad_" + k), GRAD_TOL);
        }
        return t;
    }

    private static void compare(String what, Tensor actual, Tensor expected, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Shapes.str(actual.shape()) + " vs PyTorch " + Shapes.str(expected.shape()));
        double[] a = actual.toDoubleArray(), b = expected.toDoubleArray();
        double diff2 = 0, ref2 = 0, maxRef = 0;
        for (int i = 0; i < b.length; i++) {
            if (!Double.isFinite(a[i])) fail(what + ": element " + i + " is " + a[i] + " (PyTorch " + b[i] + ")");
            diff2 += (a[i] - b[i]) * (a[i] - b[i]);
            ref2 += b[i] * b[i];
            maxRef = Math.max(maxRef, Math.abs(b[i]));
        }
        double rel = ref2 == 0 ? Math.sqrt(diff2) : Math.sqrt(diff2 / ref2);
        if (rel > tol) fail(what + ": relative error " + rel + " > " + tol + firstDifference(a, b, tol, maxRef));
        for (int i = 0; i < b.length; i++) {
            if (Math.abs(a[i] - b[i]) > tol * (Math.abs(b[i]) + maxRef)) {
                fail(what + ": element " + i + " is " + a[i] + ", PyTorch " + b[i] + " (relative error over the tensor " + rel + ")");
            }
        }
    }

    private static String firstDifference(double[] a, double[] b, double tol, double maxRef) {
        int bad = 0, first = -1;
        for (int i = 0; i < b.length; i++) {
            if (Math.abs(a[i] - b[i]) > tol * (Math.abs(b[i]) + maxRef)) {
                bad++;
                if (first < 0) first = i;
            }
        }
        if (first < 0) return "";
        return "; " + bad + " of " + b.length + " elements differ, first at " + first + ": " + a[first] + " vs PyTorch " + b[first];
    }
}
