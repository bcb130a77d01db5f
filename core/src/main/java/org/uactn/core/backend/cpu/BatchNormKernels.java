package org.uactn.core.backend.cpu;

import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

/**
 * CPU kernels: batch normalisation forward and backward over dim 1 of [N, C, *]. Work is split
 * over channels; per-channel statistics are accumulated in double (two passes for the variance), float32
 * runs through VecMath's vector loops.
 */
final class BatchNormKernels {
    private BatchNormKernels() {}

    /** A [C] vector of either floating type, possibly strided; null reads as a default. */
    private record Vec(Object array, int offset, int stride) {
        static Vec of(Tensor t, int c, String op, String name) {
            if (t == null) return null;
            if (t.dim() != 1 || t.size(0) != c) {
                throw new IllegalArgumentException(op + ": " + name + " must have shape [" + c + "], got " + Shapes.str(t.shape()));
            }
            if (!t.dtype().isFloating()) throw new IllegalArgumentException(op + ": " + name + " must be floating-point, got " + t.dtype());
            return new Vec(Strided.array(t), t.offset(), t.stride(0));
        }

        double get(int i) {
            int at = offset + i * stride;
            return array instanceof float[] f ? f[at] : ((double[]) array)[at];
        }

        void set(int i, double v) {
            int at = offset + i * stride;
            if (array instanceof float[] f) f[at] = (float) v;
            else ((double[]) array)[at] = v;
        }

        static double get(Vec v, int i, double fallback) { return v == null ? fallback : v.get(i); }
    }

    private static int[] geometry(String op, Tensor x) {
        int[] s = x.shape();
        if (s.length < 2) throw new IllegalArgumentException(op + ": expected input of shape [N, C] or [N, C, *], got " + Shapes.str(s));
        if (!x.dtype().isFloating()) throw new IllegalArgumentException(op + ": expected a floating-point input, got " + x.dtype());
        int inner = 1;
        for (int d = 2; d < s.length; d++) inner *= s[d];
        return new int[] {s[0], s[1], inner};
    }

    private static void sameShape(String op, String name, Tensor t, Tensor x) {
        if (!java.util.Arrays.equals(t.shape(), x.shape()) || t.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": " + name + " " + Shapes.str(t.shape()) + " " + t.dtype() + " does not match input " + Shapes.str(x.shape()) + " " + x.dtype());
        }
    }

    static void batchNorm(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                          boolean training, double momentum, double eps, Tensor out, Tensor saveMean, Tensor saveInvStd) {
        String op = "batch_norm";
        int[] g = geometry(op, x);
        int n = g[0], c = g[1], s = g[2];
        sameShape(op, "output", out, x);
        long m = (long) n * s;
        if (training && m <= 1) {
            throw new IllegalArgumentException(op + ": expected more than 1 value per channel when training, got input of shape " + Shapes.str(x.shape()));
        }
        if (!training && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException(op + ": evaluation mode needs running_mean and running_var");
        }
        Vec w = Vec.of(weight, c, op, "weight"), b = Vec.of(bias, c, op, "bias");
        Vec rm = Vec.of(runningMean, c, op, "running_mean"), rv = Vec.of(runningVar, c, op, "running_var");
        Vec sm = training ? Vec.of(saveMean, c, op, "save_mean") : null;
        Vec si = training ? Vec.of(saveInvStd, c, op, "save_invstd") : null;
        Tensor xc = Strided.contiguous(x), oc = Strided.writable(out);
        Object xa = Strided.array(xc), oa = Strided.array(oc);
        int xo = xc.offset(), oo = oc.offset();
        boolean f32 = xa instanceof float[];
        Parallel.forRange(c, 4 * m, (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double mean, invStd;
                if (training) {
                    double sum = 0;
                    for (int i = 0; i < n; i++) sum += rowSum(xa, f32, xo + (i * c + ch) * s, s);
                    mean = sum / m;
                    double sq = 0;
                    if (f32) {
                        // Deviations from the float-rounded mean: the variance is shift-invariant, and the
                        // output below centres on the same value.
                        float mf = (float) mean;
                        for (int i = 0; i < n; i++) sq += VecMath.sumSqDev((float[]) xa, xo + (i * c + ch) * s, s, mf);
                        double dm = mean - mf;
                        sq = Math.max(0, sq - m * dm * dm);
                    } else {
                        for (int i = 0; i < n; i++) sq += rowSqDev(xa, f32, xo + (i * c + ch) * s, s, mean);
                    }
                    double var = sq / m;
                    invStd = 1.0 / Math.sqrt(var + eps);
                    if (sm != null) sm.set(ch, mean);
                    if (si != null) si.set(ch, invStd);
                    if (rm != null) rm.set(ch, (1 - momentum) * rm.get(ch) + momentum * mean);
                    if (rv != null) rv.set(ch, (1 - momentum) * rv.get(ch) + momentum * var * m / (m - 1));
                } else {
                    mean = rm.get(ch);
                    invStd = 1.0 / Math.sqrt(rv.get(ch) + eps);
                }
                double scale = invStd * Vec.get(w, ch, 1.0);
                double shift = Vec.get(b, ch, 0.0) - mean * scale;
                float mf = (float) mean;
                // Centring first keeps the float result exact to rounding even when |mean| >> std.
                float shiftF = (float) (Vec.get(b, ch, 0.0) - (mean - mf) * scale);
                for (int i = 0; i < n; i++) {
                    int xi = xo + (i * c + ch) * s, oi = oo + (i * c + ch) * s;
                    if (f32) {
                        VecMath.centreScale((float[]) xa, xi, mf, (float) scale, shiftF, (float[]) oa, oi, s);
                    } else {
                        double[] xd = (double[]) xa, od = (double[]) oa;
                        for (int k = 0; k < s; k++) od[oi + k] = xd[xi + k] * scale + shift;
                    }
                }
            }
        });
        Strided.finish(oc, out);
    }

    private static double rowSum(Object a, boolean f32, int off, int len) {
        double s = 0;
        if (f32) {
            s = VecMath.sum((float[]) a, off, len);
        } else {
            double[] d = (double[]) a;
            for (int k = 0; k < len; k++) s += d[off + k];
        }
        return s;
    }

    private static double rowSqDev(Object a, boolean f32, int off, int len, double mean) {
        double s = 0;
        if (f32) {
            float[] f = (float[]) a;
            for (int k = 0; k < len; k++) { double v = f[off + k] - mean; s += v * v; }
        } else {
            double[] d = (double[]) a;
            for (int k = 0; k < len; k++) { double v = d[off + k] - mean; s += v * v; }
        }
        return s;
    }

    static void batchNormBackward(Tensor gradOut, Tensor x, Tensor weight, Tensor saveMean, Tensor saveInvStd,
                                  Tensor gradIn, Tensor gradWeight, Tensor gradBias) {
        String op = "batch_norm_backward";
        int[] geo = geometry(op, x);
        int n = geo[0], c = geo[1], s = geo[2];
        sameShape(op, "grad_output", gradOut, x);
        if (gradIn != null) sameShape(op, "grad_input", gradIn, x);
        long m = (long) n * s;
        Vec w = Vec.of(weight, c, op, "weight");
        Vec sm = Vec.of(saveMean, c, op, "save_mean"), si = Vec.of(saveInvStd, c, op, "save_invstd");
        if (sm == null || si == null) throw new IllegalArgumentException(op + ": save_mean and save_invstd are required");
        Vec gw = Vec.of(gradWeight, c, op, "grad_weight"), gb = Vec.of(gradBias, c, op, "grad_bias");
        Tensor xc = Strided.contiguous(x), gc = Strided.contiguous(gradOut);
        Tensor ic = gradIn == null ? null : Strided.writable(gradIn);
        Object xa = Strided.array(xc), ga = Strided.array(gc), ia = ic == null ? null : Strided.array(ic);
        int xo = xc.offset(), go = gc.offset(), io = ic == null ? 0 : ic.offset();
        boolean f32 = xa instanceof float[];
        Parallel.forRange(c, 4 * m, (c0, c1) -> {
            double[] acc = new double[2];
            for (int ch = c0; ch < c1; ch++) {
                double mean = sm.get(ch), invStd = si.get(ch);
                double sumG = 0, sumGX = 0;
                float mf = (float) mean;
                if (f32) {
                    // Deviations from the float-rounded mean, corrected by sum(g) * (mf - mean) afterwards.
                    acc[0] = 0;
                    acc[1] = 0;
                    for (int i = 0; i < n; i++)
                        VecMath.sumGradDev((float[]) ga, go + (i * c + ch) * s, (float[]) xa, xo + (i * c + ch) * s, mf, s, acc);
                    sumG = acc[0];
                    sumGX = acc[1] + acc[0] * (mf - mean);
                } else {
                    double[] xd = (double[]) xa, gd = (double[]) ga;
                    for (int i = 0; i < n; i++) {
                        int xi = xo + (i * c + ch) * s, gi = go + (i * c + ch) * s;
                        for (int k = 0; k < s; k++) {
                            double gv = gd[gi + k];
                            sumG += gv;
                            sumGX += gv * (xd[xi + k] - mean);
                        }
                    }
                }
                sumGX *= invStd; // now sum(g * xhat)
                if (gw != null) gw.set(ch, sumGX);
                if (gb != null) gb.set(ch, sumG);
                if (ia == null) continue;
                // gradIn = k * (g - mean(g) - xhat * mean(g * xhat)), written as a * g + b * x + d.
                double k = invStd * Vec.get(w, ch, 1.0);
                double meanG = sumG / m, meanGX = sumGX / m;
                double cx = -k * meanGX * invStd;
                double cc = -k * meanG + k * meanGX * invStd * mean;
                // Around the float mean: cx * (x - mf) + (cx * (mf - mean) - k * meanG), free of cancellation.
                float cf = (float) (cx * (mf - mean) - k * meanG);
                for (int i = 0; i < n; i++) {
                    int xi = xo + (i * c + ch) * s, gi = go + (i * c + ch) * s, ii = io + (i * c + ch) * s;
                    if (f32) {
                        VecMath.gradAffine((float[]) ga, gi, (float[]) xa, xi, mf, (float) k, (float) cx, cf, (float[]) ia, ii, s);
                    } else {
                        double[] xd = (double[]) xa, gd = (double[]) ga, od = (double[]) ia;
                        for (int q = 0; q < s; q++) od[ii + q] = k * gd[gi + q] + cx * xd[xi + q] + cc;
                    }
                }
            }
        });
        if (ic != null) Strided.finish(ic, gradIn);
    }
}
