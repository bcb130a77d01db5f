// The worked GELU example: registered through OpProvider, gradient-checked, and equal to PyTorch's values.
package org.uactn.core.ops.example;

import org.junit.jupiter.api.Test;
import org.uactn.core.gradcheck.GradCheck;
import org.uactn.core.nn.Module;
import org.uactn.core.nn.Sequential;
import org.uactn.core.ops.OpRegistry;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeluTest {
    private static final double[] X = {-1, 0, 0.5, 2};
    // torch.nn.functional.gelu(torch.tensor([-1., 0., 0.5, 2.], dtype=torch.float64), approximate='tanh'),
    // computed with /usr/bin/python3 (torch 1.13).
    private static final double[] TORCH_GELU_TANH = {-0.15880800939172324, 0.0, 0.34571400982514394, 1.954597694087775};
    // The gradient of its sum with respect to x, same session.
    private static final double[] TORCH_GELU_TANH_GRAD = {-0.08296408384578252, 0.5, 0.8673699035346424, 1.0860992566236183};
    // torch.nn.functional.gelu(...) with the default exact erf form, same session: the approximation is within 2e-4 of it.
    private static final double[] TORCH_GELU_ERF = {-0.15865525393145702, 0.0, 0.34573123063700656, 1.9544997361036416};

    @Test
    void registeredThroughTheOpProvider() {
        assertTrue(OpRegistry.names().contains("gelu"), OpRegistry.names().toString());
        assertEquals("gelu", OpRegistry.get("gelu").name());
    }

    @Test
    void passesTheGradientCheck() {
        for (long seed : new long[] {0, 1, 2}) {
            GradCheck.Result r = GradCheck.check(OpRegistry.get("gelu"), Device.CPU, seed);
            assertTrue(r.passed(), "seed " + seed + ": " + r);
        }
    }

    @Test
    void valuesAndGradientMatchPyTorch() {
        Tensor x = Tensor.of(X.clone(), 4).requiresGrad(true);
        Tensor y = GeluOps.gelu(x);
        assertArrayEquals(TORCH_GELU_TANH, y.toDoubleArray(), 1e-12);
        assertArrayEquals(TORCH_GELU_ERF, y.toDoubleArray(), 2e-4);
        assertEquals("gelu", y.gradFn().opName());
        y.sum().backward();
        assertArrayEquals(TORCH_GELU_TANH_GRAD, x.grad().toDoubleArray(), 1e-12);

        float[] xf = {-1f, 0f, 0.5f, 2f};
        float[] yf = GeluOps.gelu(Tensor.of(xf, 2, 2)).toFloatArray();
        for (int i = 0; i < 4; i++) assertEquals(TORCH_GELU_TANH[i], yf[i], 1e-6, "float32 element " + i);
    }

    @Test
    void layerAppliesTheOpAndHasNoParameters() {
        Module model = new Sequential(new GELU());
        Tensor x = Tensor.of(X.clone(), 1, 4);
        assertArrayEquals(TORCH_GELU_TANH, model.forward(x).toDoubleArray(), 1e-12);
        assertEquals(0, model.numParameters());
        assertEquals("Sequential(\n  (0): GELU(approximate='tanh')\n)", model.toString());
    }

    @Test
    void rejectsIntegerInputNamingTheOpAndShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> GeluOps.gelu(Tensor.ofLong(new long[] {1, 2}, 2)));
        assertTrue(e.getMessage().startsWith("gelu: ") && e.getMessage().contains("int64") && e.getMessage().contains("[2]"), e.getMessage());
    }
}
