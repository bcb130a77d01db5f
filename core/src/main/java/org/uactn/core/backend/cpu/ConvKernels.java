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
 * float32 runs one GEMM per piece of about 512 output columns (row bands of a large image, or several
 * small images side by side) against weights packed once per call; see the float32 section below.
 * float64 (gradient checks) splits work into Parallel.threads() fixed image ranges when there are at
 * least as many images as threads (weight gradients summed per range, partial sums added in range
 * order), else images go one by one through the multi-threaded GEMM. Results depend only on the
 * thread count.
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
        if (s.dtype() == DType.FLOAT32) {
            forwardF(s, (float[]) xa, xo, (float[]) wa, wo, (float[]) ba, bo, (float[]) oa, oo);
            finish(oc, out);
            return;
        }
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
        if (s.dtype() == DType.FLOAT32) {
            backwardInputF(s, (float[]) ga, go, (float[]) wa, wo, (float[]) ia, io);
            finish(ic, gradIn);
            return;
        }
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
        if (s.dtype() == DType.FLOAT32) {
            backwardWeightF(s, (float[]) ga, go, (float[]) xa, xo, (float[]) wa, wo);
            finish(wc, gradW);
            return;
        }
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

    // ---- float32: blocks of images, one GEMM per block and group ------------------------------
    //
    // One GEMM per image starves the micro-kernel when an image has few output pixels (4 to 49 in
    // ResNet's last stages: the 32-column tiles are mostly padding) and re-packs the weights every
    // time. So the columns of nb images sit side by side in one [K, nb*P] matrix, the weights are
    // packed once per call, and each GEMM's columns are split over the workers. Every output element
    // is summed in an order fixed by the shapes alone, whatever the thread count.

    /** Columns per GEMM the blocking aims for, and the cap (in floats) on one block's column buffer. */
    private static final int TARGET_COLS = Integer.getInteger("uactn.conv.cols", 2048);
    private static final int BLOCK_BUDGET = Integer.getInteger("uactn.conv.budget", 4 << 20);

    /** The calling thread's buffers, kept between calls so a training step does not churn megabytes of garbage. */
    private static final class Scratch {
        float[] col = new float[0];
        float[] tmp = new float[0];
        float[] packed = new float[0];
        float[] partial = new float[0];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static float[] grow(float[] a, long size) {
        if (size > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("conv2d: scratch of " + size + " floats is too large");
        return a.length >= size ? a : new float[(int) size];
    }

    private static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

    /** Images per block: enough columns to fill the micro-tiles, within the buffer budget, blocks of equal size. */
    private static int blockImages(Shape s) {
        int p = s.p();
        long rows = Math.max(s.k(), s.og());
        int want = Math.max(1, ceilDiv(TARGET_COLS, p));
        int cap = (int) Math.max(1, Math.min(Integer.MAX_VALUE, BLOCK_BUDGET / (rows * p)));
        int nb = Math.max(1, Math.min(s.n(), Math.min(want, cap)));
        int blocks = ceilDiv(s.n(), nb);
        return ceilDiv(s.n(), blocks);
    }

    /** Output columns one GEMM of the per-thread path aims for (its column buffer then sits in L2 for 3x3 convolutions). */
    private static final int PIECE_COLS = Integer.getInteger("uactn.conv.piece", 512);

    /** A piece of one worker's images: cnt whole images from n0, or (cnt == 1) output rows [oy0, oy1) of image n0. */
    @FunctionalInterface
    private interface Piece {
        void run(Scratch sc, int task, int n0, int cnt, int oy0, int oy1);
    }

    /**
     * The per-thread path: worker t owns images [n*t/T, n*(t+1)/T) and runs single-threaded GEMMs over pieces of
     * about PIECE_COLS columns (row bands of a large image, or several small images side by side), with no
     * hand-off between workers inside a call and buffers small enough to stay in cache.
     */
    private static void forPieces(Shape s, int tasks, Piece body) {
        int n = s.n(), p = s.p(), ow = s.ow(), oh = s.oh();
        long rows = Math.max(s.k(), s.og());
        Parallel.forRange(tasks, Math.max(1, (long) s.o() * s.k() * p * n / tasks), (a, b) -> {
            Scratch sc = SCRATCH.get();
            for (int t = a; t < b; t++) {
                int i0 = (int) ((long) n * t / tasks), i1 = (int) ((long) n * (t + 1) / tasks);
                if (p >= PIECE_COLS) {
                    int band = Math.max(1, PIECE_COLS / ow);
                    for (int img = i0; img < i1; img++)
                        for (int oy = 0; oy < oh; oy += band) body.run(sc, t, img, 1, oy, Math.min(oh, oy + band));
                } else {
                    int cap = (int) Math.max(1, Math.min(Integer.MAX_VALUE, BLOCK_BUDGET / (rows * p)));
                    int nb = Math.max(1, Math.min(ceilDiv(PIECE_COLS, p), cap));
                    for (int img = i0; img < i1; img += nb) body.run(sc, t, img, Math.min(nb, i1 - img), 0, oh);
                }
            }
        });
    }

    /** Reduction length (output pixels per worker) below which the weight gradient takes the shared path. */
    private static final int SHARED_WEIGHT_COLS = Integer.getInteger("uactn.conv.sharedWeightCols", 1024);

    /**
     * Weight gradients gather their (transposed) patches straight into the GEMM's panels; -Duactn.conv.patchPanels=false
     * goes through im2col and a transposing pack instead (for comparisons).
     */
    private static final boolean PATCH_PANELS = !"false".equals(System.getProperty("uactn.conv.patchPanels"));

    /** -Duactn.conv.shared=true: always split each GEMM over the workers instead (for comparisons). */
    private static final boolean SHARED_ONLY = Boolean.getBoolean("uactn.conv.shared");

    /** Whether the per-thread path applies: every worker gets at least one image. */
    private static int pieceTasks(Shape s) {
        if (SHARED_ONLY) return 0;
        int t = Parallel.threads();
        return s.n() >= t ? t : 0;
    }

    /** Columns and buffers a piece needs (column matrix K x cols, and og x cols for gathers and results). */
    private static int pieceCols(Shape s, int cnt, int oy0, int oy1) {
        return cnt == 1 ? (oy1 - oy0) * s.ow() : cnt * s.p();
    }

    private static void im2colPiece(Shape s, int[] table, float[] x, int xo, int g, int n0, int cnt, int oy0, int oy1, float[] col, int ld) {
        int plane = s.h() * s.w(), cg = s.cg();
        for (int img = 0; img < cnt; img++) {
            int xOff = xo + ((n0 + img) * s.c() + g * cg) * plane;
            if (table != null) Im2col.im2col(s.geom(), table, x, xOff, col, img * s.p(), ld, 0, cg, oy0, oy1);
            else Im2col.im2col(s.geom(), x, xOff, col, img * s.p(), ld, 0, cg, oy0, oy1);
        }
    }

    private static void col2imPiece(Shape s, int[] table, float[] col, int ld, float[] gin, int io, int g, int n0, int cnt, int oy0, int oy1) {
        int plane = s.h() * s.w(), cg = s.cg();
        for (int img = 0; img < cnt; img++) {
            int gOff = io + ((n0 + img) * s.c() + g * cg) * plane;
            if (table != null) Im2col.col2im(s.geom(), table, col, img * s.p(), ld, gin, gOff, 0, cg, oy0, oy1);
            else Im2col.col2im(s.geom(), col, img * s.p(), ld, gin, gOff, 0, cg, oy0, oy1);
        }
    }

    private static void gatherPiece(Shape s, float[] gout, int go, int g, int n0, int cnt, float[] tmp) {
        int og = s.og(), p = s.p(), ld = cnt * p;
        for (int o = 0; o < og; o++)
            for (int img = 0; img < cnt; img++)
                System.arraycopy(gout, go + ((n0 + img) * s.o() + g * og + o) * p, tmp, o * ld + img * p, p);
    }

    private static void forwardF(Shape s, float[] x, int xo, float[] w, int wo, float[] bias, int bo, float[] out, int oo) {
        int tasks = pieceTasks(s);
        if (tasks == 0) {
            forwardShared(s, x, xo, w, wo, bias, bo, out, oo);
            return;
        }
        int K = s.k(), P = s.p(), cg = s.cg(), og = s.og(), plane = s.h() * s.w();
        Scratch main = SCRATCH.get();
        main.packed = grow(main.packed, Sgemm.packedSize(og, K));
        int[] table = Im2col.useTable(s.geom()) ? Im2col.table(s.geom()) : null;
        for (int g = 0; g < s.groups(); g++) {
            final int gi = g;
            Sgemm.PackedA pa = Sgemm.pack(og, K, w, wo + g * og * K, K, 1, main.packed);
            forPieces(s, tasks, (sc, task, n0, cnt, oy0, oy1) -> {
                int cols = pieceCols(s, cnt, oy0, oy1), q0 = oy0 * s.ow();
                if (cnt == 1) {
                    int dst = oo + (n0 * s.o() + gi * og) * P + q0;
                    float beta = 0f;
                    if (bias != null) {
                        for (int r = 0; r < og; r++) java.util.Arrays.fill(out, dst + r * P, dst + r * P + cols, bias[bo + gi * og + r]);
                        beta = 1f;
                    }
                    if (s.pointwise()) {
                        Sgemm.gemmPacked(pa, cols, 1f, x, xo + (n0 * s.c() + gi * cg) * plane + q0, P, 1, beta, out, dst, P, 1, false);
                    } else {
                        float[] col = sc.col = grow(sc.col, (long) K * cols);
                        im2colPiece(s, table, x, xo, gi, n0, 1, oy0, oy1, col, cols);
                        Sgemm.gemmPacked(pa, cols, 1f, col, 0, cols, 1, beta, out, dst, P, 1, false);
                    }
                } else {
                    float[] col = sc.col = grow(sc.col, (long) K * cols);
                    float[] tmp = sc.tmp = grow(sc.tmp, (long) og * cols);
                    im2colPiece(s, table, x, xo, gi, n0, cnt, 0, s.oh(), col, cols);
                    Sgemm.gemmPacked(pa, cols, 1f, col, 0, cols, 1, 0f, tmp, 0, cols, 1, false);
                    for (int o = 0; o < og; o++) {
                        for (int img = 0; img < cnt; img++) {
                            int src = o * cols + img * P, dst = oo + ((n0 + img) * s.o() + gi * og + o) * P;
                            if (bias == null) System.arraycopy(tmp, src, out, dst, P);
                            else VecMath.addScalar(tmp, src, bias[bo + gi * og + o], out, dst, P);
                        }
                    }
                }
            });
        }
    }

    private static void backwardInputF(Shape s, float[] gout, int go, float[] w, int wo, float[] gin, int io) {
        int tasks = pieceTasks(s);
        if (tasks == 0) {
            backwardInputShared(s, gout, go, w, wo, gin, io);
            return;
        }
        int K = s.k(), P = s.p(), cg = s.cg(), og = s.og(), plane = s.h() * s.w();
        Scratch main = SCRATCH.get();
        main.packed = grow(main.packed, Sgemm.packedSize(K, og));
        int[] table = Im2col.useTable(s.geom()) ? Im2col.table(s.geom()) : null;
        for (int g = 0; g < s.groups(); g++) {
            final int gi = g;
            // W[g]^T (K x O/g): element (kIdx, o) sits at o * K + kIdx.
            Sgemm.PackedA pa = Sgemm.pack(K, og, w, wo + g * og * K, 1, K, main.packed);
            // Workers own whole images, so the col2im of one never touches another's gradIn.
            forPieces(s, tasks, (sc, task, n0, cnt, oy0, oy1) -> {
                int cols = pieceCols(s, cnt, oy0, oy1), q0 = oy0 * s.ow();
                if (cnt == 1) {
                    int src = go + (n0 * s.o() + gi * og) * P + q0;
                    if (s.pointwise()) {
                        int dst = io + (n0 * s.c() + gi * cg) * plane + q0;
                        Sgemm.gemmPacked(pa, cols, 1f, gout, src, P, 1, 1f, gin, dst, P, 1, false);
                    } else {
                        float[] col = sc.col = grow(sc.col, (long) K * cols);
                        Sgemm.gemmPacked(pa, cols, 1f, gout, src, P, 1, 0f, col, 0, cols, 1, false);
                        col2imPiece(s, table, col, cols, gin, io, gi, n0, 1, oy0, oy1);
                    }
                } else {
                    float[] col = sc.col = grow(sc.col, (long) K * cols);
                    float[] tmp = sc.tmp = grow(sc.tmp, (long) og * cols);
                    gatherPiece(s, gout, go, gi, n0, cnt, tmp);
                    Sgemm.gemmPacked(pa, cols, 1f, tmp, 0, cols, 1, 0f, col, 0, cols, 1, false);
                    col2imPiece(s, table, col, cols, gin, io, gi, n0, cnt, 0, s.oh());
                }
            });
        }
    }

    private static void backwardWeightF(Shape s, float[] gout, int go, float[] x, int xo, float[] gw, int wo) {
        int tasks = pieceTasks(s);
        // With few output pixels per worker (ResNet's last stages) the per-worker GEMMs have a short reduction
        // and each would read-modify-write a whole weight-sized C plus a partial sum; sharing one GEMM over all
        // images, its columns split over the workers, halves that traffic and needs no partial sums.
        if (tasks == 0 || (long) ceilDiv(s.n(), tasks) * s.p() < SHARED_WEIGHT_COLS) {
            backwardWeightShared(s, gout, go, x, xo, gw, wo);
            return;
        }
        int K = s.k(), P = s.p(), cg = s.cg(), og = s.og(), plane = s.h() * s.w();
        int wsize = s.o() * K;
        // Worker 0 accumulates into gradW itself, the others into zeroed partial sums added in worker order
        // afterwards: results depend on the thread count only.
        Scratch main = SCRATCH.get();
        float[] partial = main.partial = grow(main.partial, (long) (tasks - 1) * wsize);
        java.util.Arrays.fill(partial, 0, (tasks - 1) * wsize, 0f);
        PatchPanels.Taps taps = PATCH_PANELS ? PatchPanels.Taps.of(s.geom()) : null;
        int[] table = taps == null && Im2col.useTable(s.geom()) ? Im2col.table(s.geom()) : null;
        for (int g = 0; g < s.groups(); g++) {
            final int gi = g;
            forPieces(s, tasks, (sc, task, n0, cnt, oy0, oy1) -> {
                int cols = pieceCols(s, cnt, oy0, oy1), q0 = oy0 * s.ow();
                float[] dst = task == 0 ? gw : partial;
                int dOff = (task == 0 ? wo : (task - 1) * wsize) + gi * og * K;
                // gradW[g] (O/g x K) += gradOut_piece (O/g x cols) * col_piece^T (cols x K).
                float[] a;
                int aOff, aRs;
                if (cnt == 1) {
                    a = gout;
                    aOff = go + (n0 * s.o() + gi * og) * P + q0;
                    aRs = P;
                } else {
                    a = sc.tmp = grow(sc.tmp, (long) og * cols);
                    gatherPiece(s, gout, go, gi, n0, cnt, a);
                    aOff = 0;
                    aRs = cols;
                }
                if (taps != null) {
                    Sgemm.PanelSource patches = PatchPanels.source(taps, x, xo + (n0 * s.c() + gi * cg) * plane, s.c() * plane,
                            cnt, oy0, oy1);
                    Sgemm.gemmPanels(og, K, cols, 1f, a, aOff, aRs, 1, patches, 1f, dst, dOff, K, 1);
                } else if (cnt == 1 && s.pointwise()) {
                    Sgemm.gemmStrided(og, K, cols, 1f, a, aOff, aRs, 1, x, xo + (n0 * s.c() + gi * cg) * plane + q0, 1, P,
                            1f, dst, dOff, K, 1, false);
                } else {
                    float[] col = sc.col = grow(sc.col, (long) K * cols);
                    im2colPiece(s, table, x, xo, gi, n0, cnt, oy0, oy1, col, cols);
                    Sgemm.gemmStrided(og, K, cols, 1f, a, aOff, aRs, 1, col, 0, 1, cols, 1f, dst, dOff, K, 1, false);
                }
            });
        }
        for (int t = 1; t < tasks; t++) VecMath.addInto(partial, (t - 1) * wsize, gw, wo, wsize);
    }

    private static void forwardShared(Shape s, float[] x, int xo, float[] w, int wo, float[] bias, int bo, float[] out, int oo) {
        int K = s.k(), P = s.p(), cg = s.cg(), og = s.og(), plane = s.h() * s.w();
        int nb = blockImages(s);
        Scratch sc = SCRATCH.get();
        sc.packed = grow(sc.packed, Sgemm.packedSize(og, K));
        if (!(s.pointwise() && nb == 1)) sc.col = grow(sc.col, (long) K * nb * P);
        if (nb > 1) sc.tmp = grow(sc.tmp, (long) og * nb * P);
        float[] col = sc.col, tmp = sc.tmp;
        for (int g = 0; g < s.groups(); g++) {
            Sgemm.PackedA pa = Sgemm.pack(og, K, w, wo + g * og * K, K, 1, sc.packed);
            for (int n0 = 0; n0 < s.n(); n0 += nb) {
                int cnt = Math.min(nb, s.n() - n0), cols = cnt * P;
                if (cnt == 1) {
                    int dst = oo + (n0 * s.o() + g * og) * P;
                    float beta = 0f;
                    if (bias != null) {
                        for (int r = 0; r < og; r++) java.util.Arrays.fill(out, dst + r * P, dst + (r + 1) * P, bias[bo + g * og + r]);
                        beta = 1f;
                    }
                    if (s.pointwise()) {
                        Sgemm.gemmPacked(pa, P, 1f, x, xo + (n0 * s.c() + g * cg) * plane, P, 1, beta, out, dst, P, 1, true);
                    } else {
                        im2colBlock(s, x, xo, g, n0, 1, col);
                        Sgemm.gemmPacked(pa, P, 1f, col, 0, P, 1, beta, out, dst, P, 1, true);
                    }
                } else {
                    im2colBlock(s, x, xo, g, n0, cnt, col);
                    Sgemm.gemmPacked(pa, cols, 1f, col, 0, cols, 1, 0f, tmp, 0, cols, 1, true);
                    scatterRows(s, tmp, out, oo, g, n0, cnt, bias, bo);
                }
            }
        }
    }

    private static void backwardInputShared(Shape s, float[] gout, int go, float[] w, int wo, float[] gin, int io) {
        int K = s.k(), P = s.p(), cg = s.cg(), og = s.og(), plane = s.h() * s.w();
        int nb = blockImages(s);
        Scratch sc = SCRATCH.get();
        sc.packed = grow(sc.packed, Sgemm.packedSize(K, og));
        if (!(s.pointwise() && nb == 1)) sc.col = grow(sc.col, (long) K * nb * P);
        if (nb > 1) sc.tmp = grow(sc.tmp, (long) og * nb * P);
        float[] col = sc.col, tmp = sc.tmp;
        for (int g = 0; g < s.groups(); g++) {
            // W[g]^T (K x O/g): element (kIdx, o) sits at o * K + kIdx.
            Sgemm.PackedA pa = Sgemm.pack(K, og, w, wo + g * og * K, 1, K, sc.packed);
            for (int n0 = 0; n0 < s.n(); n0 += nb) {
                int cnt = Math.min(nb, s.n() - n0), cols = cnt * P;
                if (cnt == 1) {
                    int src = go + (n0 * s.o() + g * og) * P;
                    if (s.pointwise()) {
                        int dst = io + (n0 * s.c() + g * cg) * plane;
                        Sgemm.gemmPacked(pa, P, 1f, gout, src, P, 1, 1f, gin, dst, P, 1, true);
                    } else {
                        Sgemm.gemmPacked(pa, P, 1f, gout, src, P, 1, 0f, col, 0, P, 1, true);
                        col2imBlock(s, col, gin, io, g, n0, 1);
                    }
                } else {
                    gatherRows(s, gout, go, g, n0, cnt, tmp);
                    Sgemm.gemmPacked(pa, cols, 1f, tmp, 0, cols, 1, 0f, col, 0, cols, 1, true);
                    col2imBlock(s, col, gin, io, g, n0, cnt);
                }
            }
        }
    }

    private static void backwardWeightShared(Shape s, float[] gout, int go, float[] x, int xo, float[] gw, int wo) {
        int K = s.k(), P = s.p(), cg = s.cg(), og = s.og(), plane = s.h() * s.w();
        int nb = blockImages(s);
        Scratch sc = SCRATCH.get();
        PatchPanels.Taps taps = PATCH_PANELS ? PatchPanels.Taps.of(s.geom()) : null;
        if (taps == null && !(s.pointwise() && nb == 1)) sc.col = grow(sc.col, (long) K * nb * P);
        if (nb > 1) sc.tmp = grow(sc.tmp, (long) og * nb * P);
        float[] col = sc.col, tmp = sc.tmp;
        for (int g = 0; g < s.groups(); g++) {
            int dst = wo + g * og * K;
            for (int n0 = 0; n0 < s.n(); n0 += nb) {
                int cnt = Math.min(nb, s.n() - n0), cols = cnt * P;
                // gradW[g] (O/g x K) += gradOut_block (O/g x cols) * col_block^T (cols x K): row-major C, one write-back per block.
                float[] a;
                int aOff;
                if (cnt == 1) {
                    a = gout;
                    aOff = go + (n0 * s.o() + g * og) * P;
                } else {
                    gatherRows(s, gout, go, g, n0, cnt, tmp);
                    a = tmp;
                    aOff = 0;
                }
                if (taps != null) {
                    gemmColumnSplit(og, K, cols, a, aOff, PatchPanels.source(taps, x, xo + (n0 * s.c() + g * cg) * plane,
                            s.c() * plane, cnt, 0, s.oh()), gw, dst);
                } else if (cnt == 1 && s.pointwise()) {
                    gemmColumnSplit(og, K, cols, a, aOff, x, xo + (n0 * s.c() + g * cg) * plane, P, gw, dst);
                } else {
                    im2colBlock(s, x, xo, g, n0, cnt, col);
                    gemmColumnSplit(og, K, cols, a, aOff, col, 0, cols, gw, dst);
                }
            }
        }
    }

    /**
     * C (m x n, row-major, row stride n) += A (m x k, row stride k) * op(B), op(B) (k x n) from a panel source,
     * the columns of C split over the workers in whole panels: splitting rows instead would make every
     * worker gather all of op(B).
     */
    private static void gemmColumnSplit(int m, int n, int k, float[] a, int aOff, Sgemm.PanelSource b, float[] c, int cOff) {
        int nr = Sgemm.NR, units = ceilDiv(n, nr);
        long flops = (long) m * n * k;
        int tasks = flops < 64L * 64 * 64 ? 1 : Math.max(1, Math.min(Parallel.threads(), units));
        Parallel.forRange(tasks, Math.max(1, flops / tasks), (s0, s1) -> {
            for (int q = s0; q < s1; q++) {
                int j0 = (int) ((long) units * q / tasks) * nr, j1 = Math.min(n, (int) ((long) units * (q + 1) / tasks) * nr);
                if (j0 < j1) Sgemm.gemmPanels(m, j1 - j0, k, 1f, a, aOff, k, 1,
                        (kk, jj, nc, dst) -> b.pack(kk, j0 + jj, nc, dst), 1f, c, cOff + j0, n, 1);
            }
        });
    }

    /** gemmColumnSplit with B^T a strided matrix: B is n x k with row stride ldb. */
    private static void gemmColumnSplit(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, int ldb, float[] c, int cOff) {
        gemmColumnSplit(m, n, k, a, aOff, Sgemm.strided(b, bOff, 1, ldb), c, cOff);
    }

    /** im2col of images [n0, n0+cnt), group g, side by side into col (row stride cnt*P), spread over (image, channel). */
    private static void im2colBlock(Shape s, float[] x, int xo, int g, int n0, int cnt, float[] col) {
        int cg = s.cg(), p = s.p(), ld = cnt * p, plane = s.h() * s.w();
        int[] table = Im2col.useTable(s.geom()) ? Im2col.table(s.geom()) : null;
        Parallel.forRange(cnt * cg, (long) s.kh() * s.kw() * p, (a, b) -> {
            for (int it = a; it < b; ) {
                int img = it / cg, c0 = it % cg, c1 = Math.min(cg, c0 + (b - it));
                int xOff = xo + ((n0 + img) * s.c() + g * cg) * plane;
                if (table != null) Im2col.im2col(s.geom(), table, x, xOff, col, img * p, ld, c0, c1, 0, s.oh());
                else Im2col.im2col(s.geom(), x, xOff, col, img * p, ld, c0, c1);
                it += c1 - c0;
            }
        });
    }

    /** col2im of a block's column gradients (row stride cnt*P), added into gradIn, spread over (image, channel). */
    private static void col2imBlock(Shape s, float[] col, float[] gin, int io, int g, int n0, int cnt) {
        int cg = s.cg(), p = s.p(), ld = cnt * p, plane = s.h() * s.w();
        int[] table = Im2col.useTable(s.geom()) ? Im2col.table(s.geom()) : null;
        Parallel.forRange(cnt * cg, (long) s.kh() * s.kw() * p, (a, b) -> {
            for (int it = a; it < b; ) {
                int img = it / cg, c0 = it % cg, c1 = Math.min(cg, c0 + (b - it));
                int gOff = io + ((n0 + img) * s.c() + g * cg) * plane;
                if (table != null) Im2col.col2im(s.geom(), table, col, img * p, ld, gin, gOff, c0, c1, 0, s.oh());
                else Im2col.col2im(s.geom(), col, img * p, ld, gin, gOff, c0, c1);
                it += c1 - c0;
            }
        });
    }

    /** tmp[o][img*P + q] = gradOut[n0+img][g*og + o][q]: a block's output gradients as one row-major matrix. */
    private static void gatherRows(Shape s, float[] gout, int go, int g, int n0, int cnt, float[] tmp) {
        int og = s.og(), p = s.p(), ld = cnt * p;
        Parallel.forRange(og, ld, (a, b) -> {
            for (int o = a; o < b; o++) {
                for (int img = 0; img < cnt; img++)
                    System.arraycopy(gout, go + ((n0 + img) * s.o() + g * og + o) * p, tmp, o * ld + img * p, p);
            }
        });
    }

    /** out[n0+img][g*og + o][q] = tmp[o][img*P + q] (+ bias[g*og + o]). */
    private static void scatterRows(Shape s, float[] tmp, float[] out, int oo, int g, int n0, int cnt, float[] bias, int bo) {
        int og = s.og(), p = s.p(), ld = cnt * p;
        Parallel.forRange(og, ld, (a, b) -> {
            for (int o = a; o < b; o++) {
                for (int img = 0; img < cnt; img++) {
                    int src = o * ld + img * p, dst = oo + ((n0 + img) * s.o() + g * og + o) * p;
                    if (bias == null) {
                        System.arraycopy(tmp, src, out, dst, p);
                    } else {
                        VecMath.addScalar(tmp, src, bias[bo + g * og + o], out, dst, p);
                    }
                }
            }
        });
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
