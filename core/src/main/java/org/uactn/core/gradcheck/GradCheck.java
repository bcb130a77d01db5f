package org.uactn.core.gradcheck;

import org.uactn.core.autograd.GradMode;
import org.uactn.core.ops.OpSpec;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.Arrays;

/**
 * Finite-difference gradient checks of registered ops in float64 (PyTorch's gradcheck, per op).
 * The op's output is contracted with a fixed random weighting R, so one backward pass checks the
 * whole Jacobian against central differences of f = sum(out * R).
 */
public final class GradCheck {
    /** Step of the central differences. */
    public static final double EPS = 1e-6;
    public static final double ATOL = 1e-5;
    public static final double RTOL = 1e-3;

    private GradCheck() {}

    /**
     * One op's outcome: the largest absolute and relative differences between analytic and
     * numerical gradients over all differentiable inputs, and whether they are within tolerance.
     * For ops without a gradient, only the forward is run and the errors are 0.
     */
    public record Result(String op, double maxAbsError, double maxRelError, boolean passed, String detail) {}

    /** Checks one op on the given device with inputs from its spec's sampler seeded with seed. */
    public static Result check(OpSpec spec, Device device, long seed) {
        try {
            return run(spec, device, seed);
        } catch (RuntimeException e) {
            // A crash is a failed check with the reason, so that a sweep over all ops reports every op.
            StackTraceElement[] st = e.getStackTrace();
            String where = st.length > 0 ? " at " + st[0] : "";
            return new Result(spec.name(), Double.NaN, Double.NaN, false, "threw " + e + where);
        }
    }

    private static Result run(OpSpec spec, Device device, long seed) {
        Tensor[] samples = spec.samples().apply(new Generator(seed));
        Tensor[] inputs = new Tensor[samples.length];
        boolean[] floating = new boolean[samples.length];
        for (int i = 0; i < samples.length; i++) {
            Tensor t = samples[i].detach();
            floating[i] = t.dtype().isFloating();
            if (floating[i]) t = t.to(DType.FLOAT64);
            inputs[i] = t.to(device).detach();
        }
        if (!spec.differentiable()) {
            try (var g = GradMode.noGrad()) {
                spec.call().apply(inputs);
            }
            return new Result(spec.name(), 0, 0, true, "forward only (not differentiable)");
        }

        // Analytic: backward of sum(out * R), i.e. out.backward(R).
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            leaves[i] = floating[i] ? inputs[i].detach().requiresGrad(true) : inputs[i];
        }
        Tensor out = spec.call().apply(leaves);
        if (!out.dtype().isFloating()) {
            return new Result(spec.name(), Double.NaN, Double.NaN, false, "output is " + out.dtype() + "; a differentiable op must give a floating result");
        }
        int[] outShape = out.shape();
        double[] weights = weighting(seed, out.numel());
        Tensor r = Tensor.of(weights, outShape).to(out.dtype()).to(out.device());
        if (out.requiresGrad()) out.backward(r);

        double maxAbs = 0, maxRel = 0;
        String firstFailure = null;
        for (int i = 0; i < inputs.length; i++) {
            if (!floating[i]) continue;
            Tensor g = leaves[i].grad();
            double[] analytic = g == null ? new double[inputs[i].numel()] : g.toDoubleArray();
            double[] base = inputs[i].toDoubleArray();
            int[] shape = inputs[i].shape();
            for (int j = 0; j < base.length; j++) {
                double numeric = (objective(spec, inputs, i, shape, base, j, EPS, weights, outShape)
                        - objective(spec, inputs, i, shape, base, j, -EPS, weights, outShape)) / (2 * EPS);
                double diff = Math.abs(analytic[j] - numeric);
                // Relative to |numeric|, floored at ATOL so near-zero gradients do not dominate the report.
                double rel = diff / Math.max(Math.abs(numeric), ATOL);
                if (!(diff <= ATOL + RTOL * Math.abs(numeric))) {
                    if (firstFailure == null) {
                        firstFailure = "input " + i + " " + Shapes.str(shape) + " element " + Arrays.toString(unravel(j, shape))
                                + ": analytic " + analytic[j] + ", numerical " + numeric;
                    }
                    if (Double.isNaN(diff)) diff = rel = Double.POSITIVE_INFINITY;
                }
                maxAbs = Math.max(maxAbs, diff);
                maxRel = Math.max(maxRel, rel);
            }
        }
        boolean passed = firstFailure == null;
        return new Result(spec.name(), maxAbs, maxRel, passed, passed ? "ok" : firstFailure);
    }

    /** f = sum(op(inputs with element j of input i shifted by delta) * R), evaluated without recording. */
    private static double objective(OpSpec spec, Tensor[] inputs, int i, int[] shape, double[] base, int j, double delta,
                                    double[] weights, int[] outShape) {
        double[] v = base.clone();
        v[j] += delta;
        Tensor[] args = inputs.clone();
        args[i] = Tensor.of(v, shape).to(inputs[i].device());
        double[] out;
        try (var g = GradMode.noGrad()) {
            Tensor o = spec.call().apply(args);
            if (!Arrays.equals(o.shape(), outShape)) {
                throw new IllegalStateException(spec.name() + ": output shape changed from " + Shapes.str(outShape) + " to " + Shapes.str(o.shape())
                        + " under a perturbation");
            }
            out = o.toDoubleArray();
        }
        double f = 0;
        for (int k = 0; k < out.length; k++) f += out[k] * weights[k];
        return f;
    }

    /** A fixed random weighting of the output elements, in [0.5, 1.5) with random sign so no gradient cancels by symmetry. */
    private static double[] weighting(long seed, int n) {
        Generator g = new Generator(seed * 31 + 0x9e37);
        double[] w = new double[n];
        for (int k = 0; k < n; k++) w[k] = (0.5 + g.nextDouble()) * (g.nextDouble() < 0.5 ? -1 : 1);
        return w;
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % Math.max(shape[d], 1);
            flat /= Math.max(shape[d], 1);
        }
        return idx;
    }
}
