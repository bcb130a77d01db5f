// The fused SGD / Adam kernels against the same updates composed from ordinary tensor ops, on
// sizes that split across threads, views with storage offsets, both dtypes and every flag.
package org.uactn.core.backend.cpu;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.uactn.core.backend.Backend;
import org.uactn.core.ops.Pointwise;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerKernelsTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    /** Large enough for Parallel to split it into several chunks. */
    private static final int N = 70_001;

    private static Tensor random(Generator gen, DType dt, int n, double scale) {
        return Tensor.randn(gen, n).to(dt).mul(scale);
    }

    /** A contiguous view starting at offset 3 of a larger storage, holding a copy of t. */
    private static Tensor offsetCopy(Tensor t) {
        Tensor big = Tensor.zeros(t.dtype(), Device.CPU, t.numel() + 5);
        Tensor view = big.narrow(0, 3, t.numel());
        view.copyFrom(t);
        return view;
    }

    /** |e - a| <= rtol * max(1e-3, |e|) in float64; float32 rounding differences in near-zero values are absolute (floor 1). */
    private static void assertClose(Tensor expected, Tensor actual, double rtol, String what) {
        double floor = actual.dtype() == DType.FLOAT32 ? 1 : 1e-3;
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        assertEquals(e.length, a.length, what);
        int bad = 0;
        String first = "";
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= rtol * Math.max(floor, Math.abs(e[i])))) {
                if (bad++ == 0) first = " first at " + i + ": expected " + e[i] + " got " + a[i];
            }
        }
        assertEquals(0, bad, what + ": " + bad + " elements differ;" + first);
    }

    @ParameterizedTest
    @CsvSource({
            "FLOAT64, 0.0, 0.0, 0.0, false, false",
            "FLOAT64, 0.9, 0.1, 0.01, false, false",
            "FLOAT64, 0.9, 0.0, 0.001, true, false",
            "FLOAT64, 0.5, 0.2, 0.0, false, true",
            "FLOAT32, 0.9, 0.1, 0.01, false, false",
            "FLOAT32, 0.9, 0.0, 0.0, true, true"})
    void sgdMatchesTheTensorOpUpdate(DType dt, double momentum, double dampening, double wd, boolean nesterov, boolean maximize) {
        Generator gen = new Generator(7);
        double lr = 0.05;
        Tensor p = offsetCopy(random(gen, dt, N, 1));
        Tensor ref = p.copy();
        Tensor buf = momentum != 0 ? offsetCopy(Tensor.zeros(dt, Device.CPU, N)) : null;
        Tensor refBuf = null;
        for (int step = 0; step < 3; step++) {
            Tensor g = random(gen, dt, N, 0.3);
            CPU.sgdStep(p, g, buf, lr, momentum, dampening, wd, nesterov, maximize, step == 0);
            Tensor d = maximize ? g.neg() : g;
            if (wd != 0) d = d.add(ref.mul(wd));
            if (momentum != 0) {
                refBuf = step == 0 ? d.copy() : refBuf.mul(momentum).add(d.mul(1 - dampening));
                d = nesterov ? d.add(refBuf.mul(momentum)) : refBuf;
            }
            ref = ref.add(d.mul(-lr));
            double tol = dt == DType.FLOAT64 ? 1e-14 : 1e-6;
            assertClose(ref, p, tol, "sgd param, step " + step);
            if (buf != null) assertClose(refBuf, buf, tol, "sgd momentum buffer, step " + step);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "FLOAT64, 0.0, false, false, false",
            "FLOAT64, 0.1, false, true, false",
            "FLOAT64, 0.1, true, false, true",
            "FLOAT64, 0.05, true, true, false",
            "FLOAT32, 0.05, false, false, false",
            "FLOAT32, 0.01, true, true, true"})
    void adamMatchesTheTensorOpUpdate(DType dt, double wd, boolean decoupled, boolean amsgrad, boolean maximize) {
        Generator gen = new Generator(11);
        double lr = 0.01, b1 = 0.8, b2 = 0.99, eps = 1e-6;
        Tensor p = offsetCopy(random(gen, dt, N, 1));
        Tensor m = offsetCopy(Tensor.zeros(dt, Device.CPU, N)), v = Tensor.zeros(dt, Device.CPU, N);
        Tensor vmax = amsgrad ? Tensor.zeros(dt, Device.CPU, N) : null;
        Tensor ref = p.copy(), rm = Tensor.zeros(dt, Device.CPU, N), rv = Tensor.zeros(dt, Device.CPU, N), rmax = Tensor.zeros(dt, Device.CPU, N);
        for (int step = 1; step <= 4; step++) {
            Tensor g = random(gen, dt, N, 0.3);
            CPU.adamStep(p, g, m, v, vmax, lr, b1, b2, eps, wd, decoupled, amsgrad, maximize, step);
            Tensor gr = maximize ? g.neg() : g;
            if (decoupled) ref = ref.mul(1 - lr * wd);
            else if (wd != 0) gr = gr.add(ref.mul(wd));
            rm = rm.mul(b1).add(gr.mul(1 - b1));
            rv = rv.mul(b2).add(gr.mul(gr).mul(1 - b2));
            Tensor second = rv;
            if (amsgrad) second = rmax = Pointwise.maximum(rmax, rv);
            double bc1 = 1 - Math.pow(b1, step), bc2 = 1 - Math.pow(b2, step);
            Tensor denom = Pointwise.div(second.sqrt(), Tensor.scalar(Math.sqrt(bc2), dt, Device.CPU)).add(eps);
            ref = ref.add(Pointwise.div(rm, denom).mul(-lr / bc1));
            double tol = dt == DType.FLOAT64 ? 1e-13 : 2e-6;
            assertClose(ref, p, tol, "adam param, step " + step);
            assertClose(rm, m, tol, "adam exp_avg, step " + step);
            assertClose(rv, v, tol, "adam exp_avg_sq, step " + step);
            if (amsgrad) assertClose(rmax, vmax, tol, "adam max_exp_avg_sq, step " + step);
        }
    }

    @Test
    void float32UpdatesRoundLikeFloat32TensorOps() {
        // Same scalars rounded to float, same order: bit-identical to the composed float32 ops.
        Generator gen = new Generator(3);
        Tensor p = random(gen, DType.FLOAT32, 1000, 1), g = random(gen, DType.FLOAT32, 1000, 1);
        Tensor ref = p.add(g.mul(-0.1));
        CPU.sgdStep(p, g, null, 0.1, 0, 0, 0, false, false, true);
        float[] e = ref.toFloatArray(), a = p.toFloatArray();
        for (int i = 0; i < e.length; i++) assertEquals(Float.floatToIntBits(e[i]), Float.floatToIntBits(a[i]), "element " + i);
    }

    @Test
    void badOperandsAreRejectedWithTheirShapes() {
        Tensor p = Tensor.zeros(DType.FLOAT64, Device.CPU, 4, 3), g = Tensor.zeros(DType.FLOAT64, Device.CPU, 4, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> CPU.sgdStep(p, Tensor.zeros(DType.FLOAT64, Device.CPU, 3, 4), null, 0.1, 0, 0, 0, false, false, true));
        assertTrue(e.getMessage().contains("sgd_step") && e.getMessage().contains("[3, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CPU.sgdStep(p, g, null, 0.1, 0.9, 0, 0, false, false, true));
        assertThrows(IllegalArgumentException.class, () -> CPU.sgdStep(p, g.to(DType.FLOAT32), null, 0.1, 0, 0, 0, false, false, true));
        assertThrows(IllegalArgumentException.class, () -> CPU.sgdStep(Tensor.zeros(DType.FLOAT64, Device.CPU, 3, 4).t(), g, null, 0.1, 0, 0, 0, false, false, true));
        var a = assertThrows(IllegalArgumentException.class, () -> CPU.adamStep(p, g, Tensor.zeros(DType.FLOAT64, Device.CPU, 4, 3), Tensor.zeros(DType.FLOAT64, Device.CPU, 4, 3), null,
                0.1, 0.9, 0.999, 1e-8, 0, false, true, false, 1));
        assertTrue(a.getMessage().contains("max_exp_avg_sq"), a.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CPU.adamStep(p, g, Tensor.zeros(DType.FLOAT64, Device.CPU, 4, 3), Tensor.zeros(DType.FLOAT64, Device.CPU, 4, 3), null,
                0.1, 0.9, 0.999, 1e-8, 0, false, false, false, 0));
    }
}
