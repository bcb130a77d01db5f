package org.uactn.core.backend.cpu;

import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

/**
 * CPU kernels: softmax and log-softmax along one dimension, max-subtracted, sums in double.
 * Inputs are made contiguous and viewed as [outer, len, inner]; with inner == 1 each row is
 * processed on its own, otherwise a block of inner columns is swept together so memory is read
 * in order. Rows are widened into double scratch, so one loop nest serves both floating types.
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {}

    /** Columns swept together when the softmax dimension is not the innermost: a tile of about 16K doubles stays in L2. */
    private static int cols(int len) {
        return Math.max(16, Math.min(256, 16_384 / Math.max(len, 1)));
    }

    /** Reads and writes [outer, len, inner] tiles of a contiguous tensor as double. */
    private record Io(Object array, int offset) {
        Io(Tensor t) { this(Strided.array(t), t.offset()); }

        /** dst[l * w + j] = t[o, l, c0 + j] for l < len, j < w. */
        void load(int o, int c0, int w, int len, int inner, double[] dst) {
            int base = offset + o * len * inner + c0;
            if (w == inner) {
                // The tile is one contiguous run.
                if (array instanceof float[] f) {
                    for (int i = 0; i < len * w; i++) dst[i] = f[base + i];
                } else {
                    System.arraycopy((double[]) array, base, dst, 0, len * w);
                }
                return;
            }
            if (array instanceof float[] f) {
                for (int l = 0; l < len; l++) for (int j = 0; j < w; j++) dst[l * w + j] = f[base + l * inner + j];
            } else {
                double[] d = (double[]) array;
                for (int l = 0; l < len; l++) System.arraycopy(d, base + l * inner, dst, l * w, w);
            }
        }

        void store(int o, int c0, int w, int len, int inner, double[] src) {
            int base = offset + o * len * inner + c0;
            if (w == inner) {
                if (array instanceof float[] f) {
                    for (int i = 0; i < len * w; i++) f[base + i] = (float) src[i];
                } else {
                    System.arraycopy(src, 0, (double[]) array, base, len * w);
                }
                return;
            }
            if (array instanceof float[] f) {
                for (int l = 0; l < len; l++) for (int j = 0; j < w; j++) f[base + l * inner + j] = (float) src[l * w + j];
            } else {
                double[] d = (double[]) array;
                for (int l = 0; l < len; l++) System.arraycopy(src, l * w, d, base + l * inner, w);
            }
        }
    }

    private static int[] geometry(String op, Tensor x, int dim) {
        int[] s = x.shape();
        if (!x.dtype().isFloating()) throw new IllegalArgumentException(op + ": expected a floating-point input, got " + x.dtype());
        if (s.length == 0) return new int[] {1, 1, 1};
        if (dim < 0 || dim >= s.length) throw new IllegalArgumentException(op + ": dim " + dim + " out of range for shape " + Shapes.str(s));
        int outer = 1, inner = 1;
        for (int d = 0; d < dim; d++) outer *= s[d];
        for (int d = dim + 1; d < s.length; d++) inner *= s[d];
        return new int[] {outer, s[dim], inner};
    }

    private static void same(String op, Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape()) || a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": tensors " + Shapes.str(a.shape()) + " " + a.dtype() + " and " + Shapes.str(b.shape()) + " " + b.dtype() + " differ");
        }
    }

    static void softmax(Tensor x, int dim, boolean log, Tensor out) {
        String op = log ? "log_softmax" : "softmax";
        same(op, x, out);
        int[] g = geometry(op, x, dim);
        int outer = g[0], len = g[1], inner = g[2];
        if (x.numel() == 0) return;
        Tensor xc = Strided.contiguous(x), oc = Strided.writable(out);
        Io in = new Io(xc), res = new Io(oc);
        int cols = cols(len);
        int cb = (inner + cols - 1) / cols;
        int width = Math.min(inner, cols);
        Parallel.forRange(outer * cb, (long) len * width * 6, (a, b) -> {
            double[] buf = new double[len * width], ex = new double[len * width], mx = new double[width], sum = new double[width];
            for (int it = a; it < b; it++) {
                int o = it / cb, c0 = (it % cb) * cols, w = Math.min(cols, inner - c0);
                in.load(o, c0, w, len, inner, buf);
                if (w == 1) {
                    forwardRow(buf, ex, len, log);
                    res.store(o, c0, w, len, inner, buf);
                    continue;
                }
                java.util.Arrays.fill(mx, 0, w, Double.NEGATIVE_INFINITY);
                java.util.Arrays.fill(sum, 0, w, 0.0);
                for (int l = 0; l < len; l++) {
                    for (int j = 0; j < w; j++) mx[j] = Math.max(mx[j], buf[l * w + j]);
                }
                for (int l = 0; l < len; l++) {
                    for (int j = 0; j < w; j++) buf[l * w + j] -= mx[j];
                }
                VecMath.exp(buf, 0, ex, 0, len * w);
                for (int l = 0; l < len; l++) {
                    for (int j = 0; j < w; j++) sum[j] += ex[l * w + j];
                }
                if (log) {
                    for (int j = 0; j < w; j++) sum[j] = Math.log(sum[j]);
                    for (int l = 0; l < len; l++) {
                        for (int j = 0; j < w; j++) buf[l * w + j] -= sum[j];
                    }
                } else {
                    System.arraycopy(ex, 0, buf, 0, len * w);
                    for (int j = 0; j < w; j++) sum[j] = 1.0 / sum[j];
                    for (int l = 0; l < len; l++) {
                        for (int j = 0; j < w; j++) buf[l * w + j] *= sum[j];
                    }
                }
                res.store(o, c0, w, len, inner, buf);
            }
        });
        Strided.finish(oc, out);
    }

    /** softmax: gradIn = y * (g - sum(g * y)); log-softmax: gradIn = g - exp(y) * sum(g). */
    static void softmaxBackward(Tensor gradOut, Tensor out, int dim, boolean log, Tensor gradIn) {
        String op = log ? "log_softmax_backward" : "softmax_backward";
        same(op, gradOut, out);
        same(op, gradIn, out);
        int[] g = geometry(op, out, dim);
        int outer = g[0], len = g[1], inner = g[2];
        if (out.numel() == 0) return;
        Tensor gc = Strided.contiguous(gradOut), yc = Strided.contiguous(out), ic = Strided.writable(gradIn);
        Io gio = new Io(gc), yio = new Io(yc), res = new Io(ic);
        int cols = cols(len);
        int cb = (inner + cols - 1) / cols;
        int width = Math.min(inner, cols);
        Parallel.forRange(outer * cb, (long) len * width * 4, (a, b) -> {
            double[] gb = new double[len * width], yb = new double[len * width], sum = new double[width];
            for (int it = a; it < b; it++) {
                int o = it / cb, c0 = (it % cb) * cols, w = Math.min(cols, inner - c0);
                gio.load(o, c0, w, len, inner, gb);
                yio.load(o, c0, w, len, inner, yb);
                if (w == 1) {
                    backwardRow(gb, yb, len, log);
                    res.store(o, c0, w, len, inner, gb);
                    continue;
                }
                java.util.Arrays.fill(sum, 0, w, 0.0);
                if (log) {
                    for (int l = 0; l < len; l++) {
                        for (int j = 0; j < w; j++) sum[j] += gb[l * w + j];
                    }
                    VecMath.exp(yb, 0, yb, 0, len * w);
                    for (int l = 0; l < len; l++) {
                        for (int j = 0; j < w; j++) gb[l * w + j] -= yb[l * w + j] * sum[j];
                    }
                } else {
                    for (int l = 0; l < len; l++) {
                        for (int j = 0; j < w; j++) sum[j] += gb[l * w + j] * yb[l * w + j];
                    }
                    for (int l = 0; l < len; l++) {
                        for (int j = 0; j < w; j++) gb[l * w + j] = yb[l * w + j] * (gb[l * w + j] - sum[j]);
                    }
                }
                res.store(o, c0, w, len, inner, gb);
            }
        });
        Strided.finish(ic, gradIn);
    }
    /** The common case of a unit-stride softmax dimension: one row at a time. */
    private static void forwardRow(double[] v, double[] ex, int len, boolean log) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < len; l++) mx = Math.max(mx, v[l]);
        for (int l = 0; l < len; l++) v[l] -= mx;
        VecMath.exp(v, 0, ex, 0, len);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int l = 0;
        for (; l + 3 < len; l += 4) {
            s0 += ex[l];
            s1 += ex[l + 1];
            s2 += ex[l + 2];
            s3 += ex[l + 3];
        }
        for (; l < len; l++) s0 += ex[l];
        double sum = (s0 + s1) + (s2 + s3);
        if (log) {
            double ls = Math.log(sum);
            for (int k = 0; k < len; k++) v[k] -= ls;
        } else {
            double inv = 1.0 / sum;
            for (int k = 0; k < len; k++) v[k] = ex[k] * inv;
        }
    }

    private static void backwardRow(double[] g, double[] y, int len, boolean log) {
        double sum = 0;
        if (log) {
            for (int l = 0; l < len; l++) sum += g[l];
            VecMath.exp(y, 0, y, 0, len);
            for (int l = 0; l < len; l++) g[l] -= y[l] * sum;
        } else {
            for (int l = 0; l < len; l++) sum += g[l] * y[l];
            for (int l = 0; l < len; l++) g[l] = y[l] * (g[l] - sum);
        }
    }
}
