package org.uactn.core.backend.cpu;

import org.junit.jupiter.api.Test;
import org.uactn.core.backend.Pool2dParams;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.uactn.core.backend.cpu.KernelRef.*;

/**
 * Pooling kernels: fixed cases whose expected values come from PyTorch 1.13 (F.max_pool2d,
 * F.avg_pool2d, F.adaptive_avg_pool2d on the 5x6 plane v[h][w] = (5h + 3w) mod 7 - 3), naive
 * references on random data, and adjoint identities for the backward kernels.
 */
class CpuKernelsPoolTest {

    private static Tensor fixturePlane(DType t) {
        double[] v = new double[30];
        for (int h = 0; h < 5; h++) for (int w = 0; w < 6; w++) v[h * 6 + w] = ((h * 5 + w * 3) % 7) - 3;
        Tensor x = Tensor.of(v, 1, 1, 5, 6);
        Tensor out = zeros(t, 1, 1, 5, 6);
        B.copy(x, out);
        return out;
    }

    private static Pool2dParams pp(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, boolean ceil, boolean includePad) {
        return new Pool2dParams(kh, kw, sh, sw, ph, pw, dh, dw, ceil, includePad);
    }

    @Test
    void matchesPyTorchFixtures() {
        for (DType t : FLOATS) {
            Tensor x = fixturePlane(t);
            double tol = t == DType.FLOAT32 ? 1e-6 : 1e-14;
            Tensor o = zeros(t, 1, 1, 3, 4);
            B.avgPool2d(x, o, pp(3, 3, 2, 2, 1, 1, 1, 1, true, true));
            assertClose("avg include pad", new double[] {-1 / 3.0, -2 / 9.0, -1 / 9.0, 1 / 6.0, 2 / 9.0, -2 / 9.0, 1 / 3.0, 0.5, 1 / 9.0, -1 / 3.0, -2 / 9.0, -2 / 3.0}, o, tol);
            B.avgPool2d(x, o, pp(3, 3, 2, 2, 1, 1, 1, 1, true, false));
            assertClose("avg exclude pad", new double[] {-0.75, -1 / 3.0, -1 / 6.0, 0.5, 1 / 3.0, -2 / 9.0, 1 / 3.0, 1.0, 0.25, -0.5, -1 / 3.0, -2.0}, o, tol);
            B.avgPool2d(x, o, pp(2, 3, 2, 2, 1, 1, 1, 1, true, true));
            assertClose("avg 2x3", new double[] {-0.5, 1 / 3.0, -1 / 6.0, -0.5, 0.5, 0.0, 1 / 6.0, 1.0, 1 / 6.0, -0.5, -1 / 3.0, -1.0}, o, tol);

            Tensor idx = zeros(DType.INT64, 1, 1, 3, 4);
            B.maxPool2d(x, o, idx, pp(3, 3, 2, 2, 1, 1, 1, 1, true, true));
            assertClose("max", new double[] {2, 3, 3, 3, 3, 3, 3, 3, 3, 2, 3, -1}, o, 0);
            assertExact("max idx", new long[] {6, 2, 11, 11, 13, 13, 11, 11, 24, 26, 22, 23}, idx);

            Tensor od = zeros(t, 1, 1, 5, 4), id = zeros(DType.INT64, 1, 1, 5, 4);
            B.maxPool2d(x, od, id, pp(2, 3, 1, 2, 1, 1, 2, 1, true, true));
            assertClose("max dilated", new double[] {2, 1, 3, 3, 3, 3, 2, 1, 2, 1, 3, 3, 3, 3, 2, 1, 1, 1, 3, -1}, od, 0);
            assertExact("max dilated idx", new long[] {6, 8, 11, 11, 13, 2, 4, 17, 6, 8, 11, 11, 13, 13, 15, 17, 19, 19, 22, 23}, id);

            B.adaptiveAvgPool2d(x, o);
            assertClose("adaptive", new double[] {-0.75, 0.5, -0.5, 0.75, 1 / 3.0, -1 / 6.0, 0.0, 2 / 3.0, 0.25, -0.25, 0.5, 0.0}, o, tol);
        }
    }

    // ---- naive references: walk every kernel tap over the padded input ----------------------------

    private static double[] maxRef(Tensor x, Pool2dParams p, long[] idxOut) {
        int[] s = x.shape();
        int oh = p.outH(s[2]), ow = p.outW(s[3]);
        int[] os = {s[0], s[1], oh, ow};
        int[] k = {0};
        return reference(os, o -> {
            double best = Double.NEGATIVE_INFINITY;
            long bi = -1;
            for (int i = 0; i < p.kernelH(); i++) {
                for (int j = 0; j < p.kernelW(); j++) {
                    int h = o[2] * p.strideH() - p.padH() + i * p.dilationH();
                    int w = o[3] * p.strideW() - p.padW() + j * p.dilationW();
                    if (h < 0 || h >= s[2] || w < 0 || w >= s[3]) continue;
                    double v = at(x, o[0], o[1], h, w);
                    // PyTorch's rule: greater, or NaN, takes over (so the last NaN of a window wins)
                    if (bi < 0 || v > best || Double.isNaN(v)) { best = v; bi = (long) h * s[3] + w; }
                }
            }
            idxOut[k[0]++] = bi;
            return best;
        });
    }

    private static double[] avgRef(Tensor x, Pool2dParams p) {
        int[] s = x.shape();
        int[] os = {s[0], s[1], p.outH(s[2]), p.outW(s[3])};
        return reference(os, o -> {
            double sum = 0;
            int valid = 0, padded = 0;
            for (int i = 0; i < p.kernelH(); i++) {
                for (int j = 0; j < p.kernelW(); j++) {
                    int h = o[2] * p.strideH() - p.padH() + i, w = o[3] * p.strideW() - p.padW() + j;
                    boolean inPadded = h < s[2] + p.padH() && w < s[3] + p.padW();
                    if (inPadded) padded++;
                    if (h >= 0 && h < s[2] && w >= 0 && w < s[3]) {
                        valid++;
                        sum += at(x, o[0], o[1], h, w);
                    }
                }
            }
            if (valid == 0) return 0;
            return sum / (p.countIncludePad() ? padded : valid);
        });
    }

    private static final Pool2dParams[] CASES = {
        pp(2, 2, 2, 2, 0, 0, 1, 1, false, true),
        pp(3, 3, 2, 2, 1, 1, 1, 1, false, true),
        pp(3, 3, 2, 2, 1, 1, 1, 1, true, true),
        pp(3, 3, 2, 2, 1, 1, 1, 1, true, false),
        pp(3, 2, 1, 3, 1, 0, 1, 1, true, false),
        pp(4, 3, 3, 2, 2, 1, 1, 1, true, true),
        pp(1, 1, 1, 1, 0, 0, 1, 1, false, true),
        pp(3, 3, 1, 2, 1, 1, 2, 2, true, true), // dilation (max only)
    };

    @Test
    void randomPoolsMatchNaiveReferences() {
        Random r = new Random(20);
        int[][] shapes = {{2, 3, 7, 9}, {1, 1, 1, 1}, {3, 2, 8, 8}, {2, 5, 33, 17}};
        for (DType t : FLOATS) {
            for (int[] shape : shapes) {
                for (Pool2dParams p : CASES) {
                    int oh = p.outH(shape[2]), ow = p.outW(shape[3]);
                    if (oh <= 0 || ow <= 0) continue;
                    Tensor x = random(r, t, -2, 2, shape);
                    int[] os = {shape[0], shape[1], oh, ow};
                    Tensor out = zeros(t, os), idx = zeros(DType.INT64, os);
                    B.maxPool2d(x, out, idx, p);
                    long[] refIdx = new long[out.numel()];
                    assertClose("max " + p, maxRef(x, p, refIdx), out, 0);
                    assertExact("max idx " + p, refIdx, idx);
                    if (p.dilationH() != 1) continue;
                    Tensor avg = zeros(t, os);
                    B.avgPool2d(x, avg, p);
                    assertClose("avg " + p + " " + t, avgRef(x, p), avg, tol(t));
                }
            }
        }
    }

    @Test
    void wideMaxPoolsWithNaNsAndInfinitiesMatchTheReference() {
        // Wide planes run the float32 kernel's vector blocks (whole and partial); NaNs and -inf test its lane rule.
        Random r = new Random(21);
        int[][] shapes = {{2, 3, 40, 70}, {1, 2, 32, 32}, {1, 2, 9, 53}};
        Pool2dParams[] cases = {
            pp(3, 3, 2, 2, 1, 1, 1, 1, false, true), pp(3, 3, 1, 1, 1, 1, 1, 1, false, true),
            pp(2, 3, 1, 3, 0, 1, 1, 2, true, true), pp(3, 3, 2, 1, 1, 1, 2, 1, false, true)};
        for (DType t : FLOATS) {
            for (int[] shape : shapes) {
                for (Pool2dParams p : cases) {
                    double[] v = random(r, DType.FLOAT64, -2, 2, shape).toDoubleArray();
                    for (int i = 0; i < v.length; i += 1 + r.nextInt(40)) v[i] = r.nextBoolean() ? Double.NaN : Double.NEGATIVE_INFINITY;
                    Tensor x = Tensor.of(v, shape).to(t);
                    int oh = p.outH(shape[2]), ow = p.outW(shape[3]);
                    int[] os = {shape[0], shape[1], oh, ow};
                    Tensor out = zeros(t, os), idx = zeros(DType.INT64, os);
                    B.maxPool2d(x, out, idx, p);
                    long[] refIdx = new long[out.numel()];
                    assertClose("max " + p + " " + java.util.Arrays.toString(shape), maxRef(x, p, refIdx), out, 0);
                    assertExact("max idx " + p + " " + java.util.Arrays.toString(shape), refIdx, idx);
                }
            }
        }
    }

    @Test
    void avgRejectsDilation() {
        Tensor x = zeros(DType.FLOAT32, 1, 1, 5, 5);
        assertThrows(IllegalArgumentException.class, () -> B.avgPool2d(x, zeros(DType.FLOAT32, 1, 1, 1, 1), pp(3, 3, 2, 2, 0, 0, 2, 2, false, true)));
    }

    @Test
    void maxBackwardAddsAtRecordedIndices() {
        Random r = new Random(21);
        for (DType t : FLOATS) {
            Pool2dParams p = pp(3, 3, 1, 1, 1, 1, 1, 1, false, true); // overlapping windows: an input can win several times
            Tensor x = random(r, t, -1, 1, 2, 3, 6, 5);
            Tensor out = zeros(t, 2, 3, 6, 5), idx = zeros(DType.INT64, 2, 3, 6, 5);
            B.maxPool2d(x, out, idx, p);
            Tensor g = layout(r, t, -1, 1, "transposed", 2, 3, 6, 5);
            Tensor gin = zeros(t, 2, 3, 6, 5);
            B.maxPool2dBackward(g, idx, gin);
            double[] ref = new double[gin.numel()];
            forEach(g.shape(), o -> ref[((o[0] * 3 + o[1]) * 30) + (int) atLong(idx, o)] += at(g, o));
            assertClose("max backward " + t, ref, gin, tol(t));
        }
        Tensor bad = Tensor.ofLong(new long[] {4}, 1, 1, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> B.maxPool2dBackward(zeros(DType.FLOAT32, 1, 1, 1, 1), bad, zeros(DType.FLOAT32, 1, 1, 2, 2)));
        assertTrue(e.getMessage().contains("index 4"), e.getMessage());
    }

    private static double dot(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }

    /** The backward kernels of linear pools are adjoints: <pool(x), g> == <x, poolBackward(g)>. */
    @Test
    void avgAndAdaptiveBackwardAreAdjoints() {
        Random r = new Random(22);
        int[] shape = {2, 3, 11, 9};
        for (DType t : FLOATS) {
            double tol = t == DType.FLOAT32 ? 1e-4 : 1e-11;
            for (Pool2dParams p : CASES) {
                if (p.dilationH() != 1) continue;
                int[] os = {2, 3, p.outH(11), p.outW(9)};
                Tensor x = random(r, t, -1, 1, shape), g = random(r, t, -1, 1, os);
                Tensor y = zeros(t, os), gx = zeros(t, shape);
                B.avgPool2d(x, y, p);
                B.avgPool2dBackward(g.t().contiguous().t(), gx, p);
                assertEquals(dot(y, g), dot(x, gx), tol * (1 + Math.abs(dot(y, g))), "avg adjoint " + p);
            }
            for (int[] oshape : new int[][] {{2, 3, 4, 4}, {2, 3, 1, 1}, {2, 3, 11, 9}, {2, 3, 7, 13}}) {
                Tensor x = random(r, t, -1, 1, shape), g = random(r, t, -1, 1, oshape);
                Tensor y = zeros(t, oshape), gx = zeros(t, shape);
                B.adaptiveAvgPool2d(x, y);
                B.adaptiveAvgPool2dBackward(g, gx);
                assertEquals(dot(y, g), dot(x, gx), tol * (1 + Math.abs(dot(y, g))), "adaptive adjoint " + java.util.Arrays.toString(oshape));
            }
        }
    }

    @Test
    void adaptiveMatchesNaiveReference() {
        Random r = new Random(23);
        for (DType t : FLOATS) {
            Tensor x = random(r, t, -1, 1, 2, 2, 10, 7);
            for (int[] os : new int[][] {{2, 2, 3, 3}, {2, 2, 10, 7}, {2, 2, 4, 14}, {2, 2, 1, 1}}) {
                Tensor y = zeros(t, os);
                B.adaptiveAvgPool2d(x, y);
                double[] ref = reference(os, o -> {
                    int hs = o[2] * 10 / os[2], he = ((o[2] + 1) * 10 + os[2] - 1) / os[2];
                    int ws = o[3] * 7 / os[3], we = ((o[3] + 1) * 7 + os[3] - 1) / os[3];
                    double s = 0;
                    for (int h = hs; h < he; h++) for (int w = ws; w < we; w++) s += at(x, o[0], o[1], h, w);
                    return s / ((he - hs) * (we - ws));
                });
                assertClose("adaptive " + java.util.Arrays.toString(os), ref, y, tol(t));
            }
        }
    }
}
