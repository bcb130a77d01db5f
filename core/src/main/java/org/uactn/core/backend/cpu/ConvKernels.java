// CPU kernels: 2-D convolution forward and backward as GEMMs over im2col columns (float32 through
// Sgemm, float64 through Dgemm); a 1x1, stride-1, unpadded convolution is a GEMM on the input itself.
package org.uactn.core.backend.cpu;

import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

/**
 * Per image n and group g, with K = C/groups * KH * KW rows of columns and P = OH * OW pixels:
 * <ul>
 *   <li>forward: out[n, g] (O/g x P) = W[g] (O/g x K) * col(x[n, g]) (K x P) + bias;</li>
 *   <li>input gradient: col2im(W[g]^T * gradOut[n, g]) is added to gradIn[n, g];</li>
 *   <li>weight gradient: gradOut[n, g] * col(x[n, g])^T is summed over n into gradW[g].</li>
 * </ul>
 * Work is split into Parallel.threads() fixed image ranges when there are at least as many images
 * as threads (each range runs single-threaded GEMMs; weight gradients are summed per range and the
 * partial sums are added in range order, so results depend only on the thread count); otherwise
 * images go one by one through the multi-threaded GEMM.
 */
final class ConvKernels {
    private ConvKernels() {}

    /** Per-thread column buffers, grown on demand (one image-group's columns can be megabytes). */
    private static final ThreadLocal<float[][]> COL_F = ThreadLocal.withInitial(() -> new float[][] {new float[0]});
    private static final ThreadLocal<double[][]> COL_D = ThreadLocal.withInitial(() -> new double[][] {new double[0]});

    /** Shapes of one call, checked once. */
    private record Shape(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow, int groups, Im2col.Geom geom,
                         boolean pointwise, DType dtype) {
        int cg() { return c / groups; }

        int og() { return o / groups; }

        int k() { return cg() * kh * kw; }

        int p() { return oh * ow; }
    }

    private static Shape shape(String op, Tensor x, int[] xs, Tensor w, Tensor out, int[] os, Conv2dParams p) {
        int[] ws = w.shape();
        if (xs.length != 4 || ws.length != 4 || os.length != 4)
            throw new IllegalArgumentException(op + ": expected 4-D input, weight and output, got input " + Shapes.str(xs)
                    + ", weight " + Shapes.str(ws) + ", output " + Shapes.str(os));
        DType dt = x.dtype();
        if ((dt != DType.FLOAT32 && dt != DType.FLOAT64) || w.dtype() != dt || out.dtype() != dt)
            throw new IllegalArgumentException(op + ": expected matching float32 or float64 tensors, got input " + dt
                    + ", weight " + w.dtype() + ", output " + out.dtype());
        int groups = p.groups();
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], kh = ws[2], kw = ws[3];
        if (c % groups != 0 || o % groups != 0 || ws[1] * groups != c)
            throw new IllegalArgumentException(op + ": input " + Shapes.str(xs) + " and weight " + Shapes.str(ws)
                    + " do not fit groups=" + groups);
        int oh = p.outH(h, kh), ow = p.outW(wd, kw);
        if (oh < 1 || ow < 1)
            throw new IllegalArgumentException(op + ": kernel " + kh + "x" + kw + " does not fit input " + Shapes.str(xs) + " with " + p);
        if (os[0] != n || os[1] != o || os[2] != oh || os[3] != ow)
            throw new IllegalArgumentException(op + ": output " + Shapes.str(os) + " does not match input " + Shapes.str(xs)
                    + " and weight " + Shapes.str(ws) + " (expected [" + n + ", " + o + ", " + oh + ", " + ow + "])");
        boolean pointwise = kh == 1 && kw == 1 && p.strideH() == 1 && p.strideW() == 1 && p.padH() == 0 && p.padW() == 0;
        Im2col.Geom g = new Im2col.Geom(c / groups, h, wd, kh, kw, oh, ow, p.strideH(), p.strideW(), p.padH(), p.padW(),
                p.dilationH(), p.dilationW());
        return new Shape(n, c, h, wd, o, kh, kw, oh, ow, groups, g, pointwise, dt);
    }

    static void conv2d(Tensor x, Tensor w, Tensor bias, Tensor out, Conv2dParams p) {
        Shape s = shape("conv2d", x, x.shape(), w, out, out.shape(), p);
        if (bias != null && (bias.dim() != 1 || bias.size(0) != s.o() || bias.dtype() != s.dtype()))
            throw new IllegalArgumentException("conv2d: bias " + Shapes.str(bias.shape()) + " " + bias.dtype()
                    + " does not match " + s.o() + " output channels of " + s.dtype());
        Tensor xc = dense(x), wc = dense(w), bc = bias == null ? null : dense(bias), oc = work(out, false);
        Object xa = arr(xc), wa = arr(wc), oa = arr(oc), ba = bc == null ? null : arr(bc);
        int xo = xc.offset(), wo = wc.offset(), oo = oc.offset(), bo = bc == null ? 0 : bc.offset();
        int K = s.k(), P = s.p(), cg = s.cg(), og = s.og(), plane = s.h() * s.w();
        forImages(s, (n0, n1, task, par) -> {
            Object col = s.pointwise() ? null : colBuffer(s.dtype(), K * P);
            for (int n = n0; n < n1; n++) {
                for (int g = 0; g < s.groups(); g++) {
                    int xg = xo + (n * s.c() + g * cg) * plane;
                    int og0 = oo + (n * s.o() + g * og) * P;
                    double beta = 0;
                    if (ba != null) {
                        fillRows(oa, og0, og, P, ba, bo + g * og);
                        beta = 1;
                    }
                    if (s.pointwise()) {
                        gemm(og, P, K, wa, wo + g * og * K, K, 1, xa, xg, P, 1, beta, oa, og0, P, par);
                    } else {
                        im2col(s.geom(), xa, xg, col);
                        gemm(og, P, K, wa, wo + g * og * K, K, 1, col, 0, P, 1, beta, oa, og0, P, par);
                    }
                }
            }
        });
        finish(oc, out);
    }

    static void conv2dBackwardInput(Tensor gradOut, Tensor w, Tensor gradIn, Conv2dParams p) {
        Shape s = shape("conv2dBackwardInput", gradIn, gradIn.shape(), w, gradOut, gradOut.shape(), p);
        Tensor gc = dense(gradOut), wc = dense(w), ic = work(gradIn, true);
        Object ga = arr(gc), wa = arr(wc), ia = arr(ic);
        int go = gc.offset(), wo = wc.offset(), io = ic.offset();
        int K = s.k(), P = s.p(), cg = s.cg(), og = s.og(), plane = s.h() * s.w();
        forImages(s, (n0, n1, task, par) -> {
            Object col = s.pointwise() ? null : colBuffer(s.dtype(), K * P);
            for (int n = n0; n < n1; n++) {
                for (int g = 0; g < s.groups(); g++) {
                    int ig = io + (n * s.c() + g * cg) * plane;
                    int gg = go + (n * s.o() + g * og) * P;
                    // W[g]^T: element (kIdx, o) sits at o * K + kIdx.
                    if (s.pointwise()) {
                        gemm(K, P, og, wa, wo + g * og * K, 1, K, ga, gg, P, 1, 1.0, ia, ig, P, par);
                    } else {
                        gemm(K, P, og, wa, wo + g * og * K, 1, K, ga, gg, P, 1, 0.0, col, 0, P, par);
                        col2im(s.geom(), col, ia, ig);
                    }
                }
            }
        });
        finish(ic, gradIn);
    }

    static void conv2dBackwardWeight(Tensor gradOut, Tensor x, Tensor gradW, Conv2dParams p) {
        Shape s = shape("conv2dBackwardWeight", x, x.shape(), gradW, gradOut, gradOut.shape(), p);
        Tensor gc = dense(gradOut), xc = dense(x), wc = work(gradW, true);
        Object ga = arr(gc), xa = arr(xc), wa = arr(wc);
        int go = gc.offset(), xo = xc.offset(), wo = wc.offset();
        int K = s.k(), P = s.p(), cg = s.cg(), og = s.og(), plane = s.h() * s.w();
        int tasks = imageTasks(s);
        int wsize = s.o() * K;
        // One partial sum per image range (range 0 accumulates into gradW itself), added in range order.
        Object[] partial = new Object[tasks];
        for (int t = 1; t < tasks; t++) partial[t] = s.dtype() == DType.FLOAT32 ? new float[wsize] : new double[wsize];
        forImages(s, (n0, n1, task, par) -> {
            Object dst = task == 0 ? wa : partial[task];
            int d0 = task == 0 ? wo : 0;
            Object col = s.pointwise() ? null : colBuffer(s.dtype(), K * P);
            for (int n = n0; n < n1; n++) {
                for (int g = 0; g < s.groups(); g++) {
                    int xg = xo + (n * s.c() + g * cg) * plane;
                    int gg = go + (n * s.o() + g * og) * P;
                    // Computed as its transpose, gradW[g]^T (K x O/g) = col (K x P) * gradOut[n, g]^T, written
                    // through transposed C strides: packing the row-major columns as A is much cheaper than
                    // gathering them as a transposed B.
                    if (s.pointwise()) {
                        gemmT(K, og, P, xa, xg, P, 1, ga, gg, 1, P, dst, d0 + g * og * K, K, par);
                    } else {
                        im2col(s.geom(), xa, xg, col);
                        gemmT(K, og, P, col, 0, P, 1, ga, gg, 1, P, dst, d0 + g * og * K, K, par);
                    }
                }
            }
        });
        for (int t = 1; t < tasks; t++) {
            if (wa instanceof float[] f) {
                float[] q = (float[]) partial[t];
                for (int i = 0; i < wsize; i++) f[wo + i] += q[i];
            } else {
                double[] d = (double[]) wa, q = (double[]) partial[t];
                for (int i = 0; i < wsize; i++) d[wo + i] += q[i];
            }
        }
        finish(wc, gradW);
    }

    // ---- work splitting ----------------------------------------------------------------------

    @FunctionalInterface
    private interface ImageRange {
        /** Images [n0, n1) as range number task; par says whether the GEMMs may use the pool themselves. */
        void run(int n0, int n1, int task, boolean par);
    }

    private static int imageTasks(Shape s) {
        int t = Parallel.threads();
        return t > 1 && s.n() >= t ? t : 1;
    }

    private static void forImages(Shape s, ImageRange body) {
        int tasks = imageTasks(s);
        if (tasks == 1) {
            body.run(0, s.n(), 0, true);
            return;
        }
        long cost = (long) s.n() / tasks * s.o() * s.k() * s.p();
        Parallel.forRange(tasks, Math.max(1, cost), (a, b) -> {
            for (int t = a; t < b; t++) {
                int n0 = (int) ((long) s.n() * t / tasks), n1 = (int) ((long) s.n() * (t + 1) / tasks);
                body.run(n0, n1, t, false);
            }
        });
    }

    // ---- dtype dispatch (once per image and group, never per element) --------------------------

    private static Object arr(Tensor t) { return ((CpuStorage) t.storage()).array(); }

    /** The tensor itself when contiguous, else a contiguous copy. */
    private static Tensor dense(Tensor t) {
        if (t.isContiguous()) return t;
        Tensor c = Tensor.zeros(t.dtype(), Device.CPU, t.shape());
        StridedCopy.copy(t, c);
        return c;
    }

    /** Where to write an output: the tensor itself when contiguous, else a contiguous stand-in (holding its values if accumulating). */
    private static Tensor work(Tensor out, boolean accumulate) {
        if (out.isContiguous()) return out;
        Tensor c = Tensor.zeros(out.dtype(), Device.CPU, out.shape());
        if (accumulate) StridedCopy.copy(out, c);
        return c;
    }

    private static void finish(Tensor work, Tensor out) {
        if (work != out) StridedCopy.copy(work, out);
    }

    private static Object colBuffer(DType dt, int size) {
        if (dt == DType.FLOAT32) {
            float[][] h = COL_F.get();
            if (h[0].length < size) h[0] = new float[size];
            return h[0];
        }
        double[][] h = COL_D.get();
        if (h[0].length < size) h[0] = new double[size];
        return h[0];
    }

    private static void fillRows(Object out, int off, int rows, int cols, Object bias, int bOff) {
        if (out instanceof float[] f) {
            float[] b = (float[]) bias;
            for (int r = 0; r < rows; r++) java.util.Arrays.fill(f, off + r * cols, off + (r + 1) * cols, b[bOff + r]);
        } else {
            double[] d = (double[]) out, b = (double[]) bias;
            for (int r = 0; r < rows; r++) java.util.Arrays.fill(d, off + r * cols, off + (r + 1) * cols, b[bOff + r]);
        }
    }

    private static void im2col(Im2col.Geom g, Object x, int xOff, Object col) {
        if (x instanceof float[] f) Im2col.im2col(g, f, xOff, (float[]) col, 0);
        else Im2col.im2col(g, (double[]) x, xOff, (double[]) col, 0);
    }

    private static void col2im(Im2col.Geom g, Object col, Object gx, int gxOff) {
        if (col instanceof float[] f) Im2col.col2im(g, f, 0, (float[]) gx, gxOff);
        else Im2col.col2im(g, (double[]) col, 0, (double[]) gx, gxOff);
    }

    /** C^T += A * B where C (n x m) has row stride ldc, i.e. the product is stored transposed. */
    private static void gemmT(int m, int n, int k, Object a, int aOff, int aRs, int aCs, Object b, int bOff, int bRs, int bCs,
                              Object c, int cOff, int ldc, boolean par) {
        if (a instanceof float[] af) {
            Sgemm.gemmStrided(m, n, k, 1f, af, aOff, aRs, aCs, (float[]) b, bOff, bRs, bCs, 1f, (float[]) c, cOff, 1, ldc, par);
        } else {
            Dgemm.gemmStrided(m, n, k, 1.0, (double[]) a, aOff, aRs, aCs, (double[]) b, bOff, bRs, bCs, 1.0, (double[]) c, cOff, 1, ldc, par);
        }
    }

    /** C (m x n, row stride ldc) = A * B + beta * C with A and B given by (row, column) element strides. */
    private static void gemm(int m, int n, int k, Object a, int aOff, int aRs, int aCs, Object b, int bOff, int bRs, int bCs,
                             double beta, Object c, int cOff, int ldc, boolean par) {
        if (a instanceof float[] af) {
            Sgemm.gemmStrided(m, n, k, 1f, af, aOff, aRs, aCs, (float[]) b, bOff, bRs, bCs, (float) beta, (float[]) c, cOff, ldc, 1, par);
        } else {
            Dgemm.gemmStrided(m, n, k, 1.0, (double[]) a, aOff, aRs, aCs, (double[]) b, bOff, bRs, bCs, beta, (double[]) c, cOff, ldc, 1, par);
        }
    }
}
