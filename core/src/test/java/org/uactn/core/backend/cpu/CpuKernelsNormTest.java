package org.uactn.core.backend.cpu;

import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.uactn.core.backend.cpu.KernelRef.*;

/** Batch norm and softmax kernels: double references for forward, central finite differences for backward. */
class CpuKernelsNormTest {

    // ---- batch norm ---------------------------------------------------------------------------

    private static double[] channelStats(Tensor x, int ch) {
        int[] s = x.shape();
        double sum = 0, sq = 0;
        int[] count = {0};
        double[] vals = new double[x.numel() / s[1]];
        forEach(s, i -> { if (i[1] == ch) vals[count[0]++] = at(x, i); });
        for (double v : vals) sum += v;
        double mean = sum / vals.length;
        for (double v : vals) sq += (v - mean) * (v - mean);
        return new double[] {mean, sq / vals.length, vals.length};
    }

    @Test
    void trainingForwardNormalisesAndUpdatesRunningStats() {
        Random r = new Random(30);
        int[][] shapes = {{8, 5}, {4, 3, 7, 6}, {2, 33, 1, 1}, {3, 2, 5}};
        for (DType t : FLOATS) {
            for (int[] shape : shapes) {
                int c = shape[1];
                for (boolean affine : new boolean[] {true, false}) {
                    Tensor x = random(r, t, -3, 5, shape);
                    Tensor w = affine ? random(r, t, 0.5, 1.5, c) : null, b = affine ? random(r, t, -1, 1, c) : null;
                    Tensor rm = random(r, t, -1, 1, c), rv = random(r, t, 0.5, 2, c);
                    double[] rm0 = rm.toDoubleArray(), rv0 = rv.toDoubleArray();
                    Tensor out = zeros(t, shape), sm = zeros(t, c), si = zeros(t, c);
                    double eps = 1e-5, mom = 0.1;
                    B.batchNorm(x, w, b, rm, rv, true, mom, eps, out, sm, si);
                    double[][] st = new double[c][];
                    for (int ch = 0; ch < c; ch++) st[ch] = channelStats(x, ch);
                    double[] ref = reference(shape, i -> {
                        double[] s = st[i[1]];
                        double y = (at(x, i) - s[0]) / Math.sqrt(s[1] + eps);
                        return affine ? y * at(w, i[1]) + at(b, i[1]) : y;
                    });
                    String what = "bn " + t + " " + java.util.Arrays.toString(shape);
                    assertClose(what, ref, out, 10 * tol(t));
                    double[] em = new double[c], ei = new double[c], erm = new double[c], erv = new double[c];
                    for (int ch = 0; ch < c; ch++) {
                        em[ch] = st[ch][0];
                        ei[ch] = 1 / Math.sqrt(st[ch][1] + eps);
                        erm[ch] = (1 - mom) * rm0[ch] + mom * st[ch][0];
                        erv[ch] = (1 - mom) * rv0[ch] + mom * st[ch][1] * st[ch][2] / (st[ch][2] - 1);
                    }
                    assertClose(what + " mean", em, sm, tol(t));
                    assertClose(what + " invstd", ei, si, tol(t));
                    assertClose(what + " running mean", erm, rm, tol(t));
                    assertClose(what + " running var", erv, rv, tol(t));
                }
            }
        }
    }

    @Test
    void evalForwardUsesRunningStats() {
        Random r = new Random(31);
        for (DType t : FLOATS) {
            int[] shape = {3, 4, 5, 2};
            Tensor x = layout(r, t, -2, 2, "transposed", shape);
            Tensor w = random(r, t, 0.5, 1.5, 4), b = random(r, t, -1, 1, 4);
            Tensor rm = random(r, t, -1, 1, 4), rv = random(r, t, 0.5, 2, 4);
            double[] rm0 = rm.toDoubleArray();
            Tensor out = zeros(t, shape), sm = zeros(t, 4), si = zeros(t, 4);
            B.batchNorm(x, w, b, rm, rv, false, 0.1, 1e-3, out, sm, si);
            double[] ref = reference(shape, i -> (at(x, i) - at(rm, i[1])) / Math.sqrt(at(rv, i[1]) + 1e-3) * at(w, i[1]) + at(b, i[1]));
            assertClose("bn eval " + t, ref, out, 10 * tol(t));
            assertClose("running mean untouched", rm0, rm, 0);
            assertClose("save mean untouched", new double[4], sm, 0);
        }
        assertThrows(IllegalArgumentException.class, () -> B.batchNorm(zeros(DType.FLOAT32, 1, 3), null, null, null, null, true, 0.1, 1e-5,
                zeros(DType.FLOAT32, 1, 3), zeros(DType.FLOAT32, 3), zeros(DType.FLOAT32, 3)));
    }

    /** sum(gradOut * batchNorm(x, w, b)) in double, used for finite differences. */
    private static double bnLoss(double[] x, double[] w, double[] b, double[] g, int[] shape) {
        Tensor xt = Tensor.of(x.clone(), shape), out = zeros(DType.FLOAT64, shape);
        int c = shape[1];
        B.batchNorm(xt, Tensor.of(w.clone(), c), Tensor.of(b.clone(), c), null, null, true, 0.1, 1e-5, out, zeros(DType.FLOAT64, c), zeros(DType.FLOAT64, c));
        double[] o = out.toDoubleArray();
        double s = 0;
        for (int i = 0; i < o.length; i++) s += o[i] * g[i];
        return s;
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Random r = new Random(32);
        int[] shape = {3, 4, 2, 3};
        int c = 4;
        double[] x = random(r, DType.FLOAT64, -2, 2, shape).toDoubleArray();
        double[] w = random(r, DType.FLOAT64, 0.5, 1.5, c).toDoubleArray(), b = random(r, DType.FLOAT64, -1, 1, c).toDoubleArray();
        double[] g = random(r, DType.FLOAT64, -1, 1, shape).toDoubleArray();
        for (DType t : FLOATS) {
            Tensor xt = zeros(t, shape), wt = zeros(t, c), gt = zeros(t, shape);
            B.copy(Tensor.of(x, shape), xt);
            B.copy(Tensor.of(w, c), wt);
            B.copy(Tensor.of(g, shape), gt);
            Tensor out = zeros(t, shape), sm = zeros(t, c), si = zeros(t, c);
            B.batchNorm(xt, wt, null, null, null, true, 0.1, 1e-5, out, sm, si);
            Tensor gin = zeros(t, shape), gw = zeros(t, c), gb = zeros(t, c);
            // gradOut as a transposed (non-contiguous) view exercises the copy-in path.
            Tensor gview = zeros(t, 3, 2, 4, 3);
            B.copy(gt.permute(0, 2, 1, 3), gview);
            B.batchNormBackward(gview.permute(0, 2, 1, 3), xt, wt, sm, si, gin, gw, gb);
            double h = 1e-5;
            double[] ex = new double[x.length], ew = new double[c], eb = new double[c];
            for (int i = 0; i < x.length; i++) {
                double[] xp = x.clone(), xm = x.clone();
                xp[i] += h;
                xm[i] -= h;
                ex[i] = (bnLoss(xp, w, b, g, shape) - bnLoss(xm, w, b, g, shape)) / (2 * h);
            }
            for (int k = 0; k < c; k++) {
                double[] wp = w.clone(), wm = w.clone(), bp = b.clone(), bm = b.clone();
                wp[k] += h; wm[k] -= h; bp[k] += h; bm[k] -= h;
                ew[k] = (bnLoss(x, wp, b, g, shape) - bnLoss(x, wm, b, g, shape)) / (2 * h);
                eb[k] = (bnLoss(x, w, bp, g, shape) - bnLoss(x, w, bm, g, shape)) / (2 * h);
            }
            double tol = t == DType.FLOAT32 ? 2e-4 : 1e-7;
            assertClose("bn grad input " + t, ex, gin, tol);
            assertClose("bn grad weight " + t, ew, gw, tol);
            assertClose("bn grad bias " + t, eb, gb, tol);
            // Null weight means ones, and unneeded gradients may be null.
            Tensor gin2 = zeros(t, shape);
            Tensor ones = zeros(t, c);
            B.unary(org.uactn.core.backend.UnaryOp.ADD_SCALAR, zeros(t, c), ones, 1, 0);
            B.batchNorm(xt, null, null, null, null, true, 0.1, 1e-5, out, sm, si);
            B.batchNormBackward(gt, xt, null, sm, si, gin2, null, null);
            Tensor gin3 = zeros(t, shape);
            B.batchNormBackward(gt, xt, ones, sm, si, gin3, null, null);
            assertClose("null weight", gin3.toDoubleArray(), gin2, 0);
        }
    }

    // ---- softmax ------------------------------------------------------------------------------

    private static double[] softmaxRef(Tensor x, int dim, boolean log) {
        int[] s = x.shape();
        return reference(s, i -> {
            int[] j = i.clone();
            double mx = Double.NEGATIVE_INFINITY;
            for (int l = 0; l < s[dim]; l++) { j[dim] = l; mx = Math.max(mx, at(x, j)); }
            double sum = 0;
            for (int l = 0; l < s[dim]; l++) { j[dim] = l; sum += Math.exp(at(x, j) - mx); }
            double v = at(x, i) - mx;
            return log ? v - Math.log(sum) : Math.exp(v) / sum;
        });
    }

    @Test
    void softmaxMatchesReferenceAlongEveryDim() {
        Random r = new Random(33);
        int[][] shapes = {{4, 7, 33}, {1}, {9, 300}, {2, 600, 3}};
        for (DType t : FLOATS) {
            for (int[] shape : shapes) {
                for (int dim = 0; dim < shape.length; dim++) {
                    for (String kind : LAYOUTS) {
                        for (boolean log : new boolean[] {false, true}) {
                            Tensor x = layout(r, t, -20, 20, kind, shape);
                            Tensor out = zeros(t, shape);
                            B.softmax(x, dim, log, out);
                            assertClose((log ? "log_softmax " : "softmax ") + t + " " + kind + " " + java.util.Arrays.toString(shape) + " dim " + dim,
                                    softmaxRef(x, dim, log), out, 4 * tol(t));
                        }
                    }
                }
            }
        }
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        Tensor x = Tensor.of(new float[] {1000f, 1001f, -1000f}, 1, 3);
        Tensor out = zeros(DType.FLOAT32, 1, 3);
        B.softmax(x, 1, true, out);
        double l = Math.log(1 + Math.exp(-1));
        assertClose("log_softmax huge", new double[] {-1 - l, -l, -2001 - l}, out, 1e-6);
    }

    private static double softmaxLoss(double[] x, double[] g, int[] shape, int dim, boolean log) {
        Tensor out = zeros(DType.FLOAT64, shape);
        B.softmax(Tensor.of(x.clone(), shape), dim, log, out);
        double[] o = out.toDoubleArray();
        double s = 0;
        for (int i = 0; i < o.length; i++) s += o[i] * g[i];
        return s;
    }

    @Test
    void softmaxBackwardMatchesFiniteDifferences() {
        Random r = new Random(34);
        int[] shape = {3, 5, 4};
        for (int dim = 0; dim < 3; dim++) {
            for (boolean log : new boolean[] {false, true}) {
                double[] x = random(r, DType.FLOAT64, -3, 3, shape).toDoubleArray(), g = random(r, DType.FLOAT64, -1, 1, shape).toDoubleArray();
                double h = 1e-6;
                double[] ex = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    double[] xp = x.clone(), xm = x.clone();
                    xp[i] += h;
                    xm[i] -= h;
                    ex[i] = (softmaxLoss(xp, g, shape, dim, log) - softmaxLoss(xm, g, shape, dim, log)) / (2 * h);
                }
                for (DType t : FLOATS) {
                    Tensor xt = zeros(t, shape), gt = zeros(t, shape), y = zeros(t, shape), gin = zeros(t, shape);
                    B.copy(Tensor.of(x, shape), xt);
                    B.copy(Tensor.of(g, shape), gt);
                    B.softmax(xt, dim, log, y);
                    // A broadcast-free but transposed gradient view.
                    Tensor gview = zeros(t, 4, 5, 3);
                    B.copy(gt.permute(2, 1, 0), gview);
                    B.softmaxBackward(gview.permute(2, 1, 0), y, dim, log, gin);
                    assertClose("softmax backward dim " + dim + " log " + log + " " + t, ex, gin, t == DType.FLOAT32 ? 1e-5 : 1e-7);
                }
            }
        }
    }

    @Test
    void softmaxBackwardWithBroadcastGradient() {
        // d/dx sum(softmax(x)) == 0 and d/dx sum(log_softmax(x)) == 1 - n * softmax(x).
        Random r = new Random(35);
        Tensor x = random(r, DType.FLOAT64, -2, 2, 6, 9);
        Tensor y = zeros(DType.FLOAT64, 6, 9), ly = zeros(DType.FLOAT64, 6, 9), gin = zeros(DType.FLOAT64, 6, 9);
        Tensor ones = Tensor.of(new double[] {1}, 1, 1).expand(6, 9);
        B.softmax(x, 1, false, y);
        B.softmaxBackward(ones, y, 1, false, gin);
        assertClose("sum softmax", new double[54], gin, 1e-12);
        B.softmax(x, 1, true, ly);
        B.softmaxBackward(ones, ly, 1, true, gin);
        double[] yv = y.toDoubleArray(), ref = new double[54];
        for (int i = 0; i < 54; i++) ref[i] = 1 - 9 * yv[i];
        assertClose("sum log_softmax", ref, gin, 1e-12);
        assertEquals(54, gin.numel());
    }
}
