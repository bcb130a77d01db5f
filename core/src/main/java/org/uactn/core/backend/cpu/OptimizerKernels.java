// CPU kernels for the fused optimiser updates (Backend.sgdStep / adamStep): one pass over each
// parameter instead of the five to ten tensor ops and temporaries the unfused update needs.
package org.uactn.core.backend.cpu;

import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.Arrays;

/**
 * Every operand is a contiguous run (of any storage offset) of one shape and dtype. Float32 work
 * is done in float with the scalars rounded to float first, as PyTorch does, so results match
 * the unfused tensor-op path bit for bit; the operation order follows PyTorch's single-tensor
 * optimisers (add(alpha): a + alpha * b; addcmul: a + value * b * c; addcdiv: a + value * b / c).
 */
final class OptimizerKernels {
    private OptimizerKernels() {}

    /** Roughly the number of element operations per parameter element, for Parallel's split. */
    private static final long SGD_COST = 6, ADAM_COST = 16;

    static void sgdStep(Tensor param, Tensor grad, Tensor buf, double lr, double momentum, double dampening,
                        double weightDecay, boolean nesterov, boolean maximize, boolean firstStep) {
        String op = "sgd_step";
        check(op, "grad", param, grad);
        if (momentum != 0) {
            if (buf == null) throw new IllegalArgumentException(op + ": momentum " + momentum + " needs a momentum buffer, got null");
            check(op, "momentum_buffer", param, buf);
        }
        int n = param.numel();
        int po = param.offset(), go = grad.offset(), bo = buf == null ? 0 : buf.offset();
        boolean useBuf = momentum != 0;
        if (param.dtype() == DType.FLOAT32) {
            float[] p = f32(param), g = f32(grad), b = useBuf ? f32(buf) : null;
            float flr = (float) -lr, fm = (float) momentum, fd = (float) (1 - dampening), fwd = (float) weightDecay;
            Parallel.forRange(n, SGD_COST, (s, e) -> {
                for (int i = s; i < e; i++) {
                    float d = maximize ? -g[go + i] : g[go + i];
                    if (fwd != 0) d = d + fwd * p[po + i];
                    if (useBuf) {
                        float v = firstStep ? d : fm * b[bo + i] + fd * d;
                        b[bo + i] = v;
                        d = nesterov ? d + fm * v : v;
                    }
                    p[po + i] = p[po + i] + flr * d;
                }
            });
        } else {
            double[] p = f64(param), g = f64(grad), b = useBuf ? f64(buf) : null;
            double nlr = -lr, dm = 1 - dampening;
            Parallel.forRange(n, SGD_COST, (s, e) -> {
                for (int i = s; i < e; i++) {
                    double d = maximize ? -g[go + i] : g[go + i];
                    if (weightDecay != 0) d = d + weightDecay * p[po + i];
                    if (useBuf) {
                        double v = firstStep ? d : momentum * b[bo + i] + dm * d;
                        b[bo + i] = v;
                        d = nesterov ? d + momentum * v : v;
                    }
                    p[po + i] = p[po + i] + nlr * d;
                }
            });
        }
    }

    static void adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq,
                         double lr, double beta1, double beta2, double eps, double weightDecay,
                         boolean decoupled, boolean amsgrad, boolean maximize, long step) {
        String op = decoupled ? "adamw_step" : "adam_step";
        check(op, "grad", param, grad);
        check(op, "exp_avg", param, expAvg);
        check(op, "exp_avg_sq", param, expAvgSq);
        if (amsgrad) {
            if (maxExpAvgSq == null) throw new IllegalArgumentException(op + ": amsgrad needs max_exp_avg_sq, got null");
            check(op, "max_exp_avg_sq", param, maxExpAvgSq);
        }
        if (step < 1) throw new IllegalArgumentException(op + ": step must be >= 1, got " + step);
        double bc1 = 1 - Math.pow(beta1, step), bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        double negStepSize = -(lr / bc1), decay = 1 - lr * weightDecay;
        boolean l2 = !decoupled && weightDecay != 0;
        int n = param.numel();
        int po = param.offset(), go = grad.offset(), mo = expAvg.offset(), vo = expAvgSq.offset();
        int xo = amsgrad ? maxExpAvgSq.offset() : 0;
        if (param.dtype() == DType.FLOAT32) {
            float[] p = f32(param), g = f32(grad), m = f32(expAvg), v = f32(expAvgSq), x = amsgrad ? f32(maxExpAvgSq) : null;
            float fb1 = (float) beta1, fc1 = (float) (1 - beta1), fb2 = (float) beta2, fc2 = (float) (1 - beta2);
            float fwd = (float) weightDecay, fdecay = (float) decay, fbc2 = (float) bc2Sqrt, feps = (float) eps, fstep = (float) negStepSize;
            Parallel.forRange(n, ADAM_COST, (s, e) -> {
                for (int i = s; i < e; i++) {
                    float gi = maximize ? -g[go + i] : g[go + i];
                    float pi = p[po + i];
                    if (decoupled) pi = pi * fdecay;
                    else if (l2) gi = gi + fwd * pi;
                    float mi = fb1 * m[mo + i] + fc1 * gi;
                    float vi = fb2 * v[vo + i] + fc2 * gi * gi;
                    m[mo + i] = mi;
                    v[vo + i] = vi;
                    float second = vi;
                    if (amsgrad) {
                        second = Math.max(x[xo + i], vi);
                        x[xo + i] = second;
                    }
                    float denom = (float) Math.sqrt(second) / fbc2 + feps;
                    p[po + i] = pi + fstep * mi / denom;
                }
            });
        } else {
            double[] p = f64(param), g = f64(grad), m = f64(expAvg), v = f64(expAvgSq), x = amsgrad ? f64(maxExpAvgSq) : null;
            double c1 = 1 - beta1, c2 = 1 - beta2;
            Parallel.forRange(n, ADAM_COST, (s, e) -> {
                for (int i = s; i < e; i++) {
                    double gi = maximize ? -g[go + i] : g[go + i];
                    double pi = p[po + i];
                    if (decoupled) pi = pi * decay;
                    else if (l2) gi = gi + weightDecay * pi;
                    double mi = beta1 * m[mo + i] + c1 * gi;
                    double vi = beta2 * v[vo + i] + c2 * gi * gi;
                    m[mo + i] = mi;
                    v[vo + i] = vi;
                    double second = vi;
                    if (amsgrad) {
                        second = Math.max(x[xo + i], vi);
                        x[xo + i] = second;
                    }
                    double denom = Math.sqrt(second) / bc2Sqrt + eps;
                    p[po + i] = pi + negStepSize * mi / denom;
                }
            });
        }
    }

    private static void check(String op, String name, Tensor param, Tensor t) {
        if (!param.dtype().isFloating()) throw new IllegalArgumentException(op + ": parameter must be float32 or float64, got " + param.dtype());
        if (t == null) throw new IllegalArgumentException(op + ": " + name + " must not be null");
        if (t.dtype() != param.dtype() || !Arrays.equals(t.shape(), param.shape())) {
            throw new IllegalArgumentException(op + ": " + name + " " + Shapes.str(t.shape()) + " " + t.dtype()
                    + " does not match the parameter " + Shapes.str(param.shape()) + " " + param.dtype());
        }
        if (!param.isContiguous() || !t.isContiguous()) {
            throw new IllegalArgumentException(op + ": parameter and " + name + " must be contiguous, got strides "
                    + Shapes.str(param.strides()) + " and " + Shapes.str(t.strides()));
        }
        if (!(param.storage() instanceof CpuStorage) || !(t.storage() instanceof CpuStorage)) {
            throw new IllegalArgumentException(op + ": parameter and " + name + " must be on the cpu, got " + param.device() + " and " + t.device());
        }
    }

    private static float[] f32(Tensor t) { return ((CpuStorage) t.storage()).f32(); }

    private static double[] f64(Tensor t) { return ((CpuStorage) t.storage()).f64(); }
}
