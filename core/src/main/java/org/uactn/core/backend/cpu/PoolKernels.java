package org.uactn.core.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.uactn.core.backend.Pool2dParams;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

/**
 * CPU kernels: max, average and adaptive average pooling over NCHW, with PyTorch's window rules.
 * Work is split over (n, c) planes; each plane is computed in double (float32 planes are widened
 * into a per-chunk scratch buffer), so one loop nest serves both floating types.
 */
final class PoolKernels {
    private PoolKernels() {}

    /** Moves one (n, c) plane between a tensor's storage and a double buffer. */
    private static final class Plane {
        final Object array;
        final int offset;
        final int size;

        Plane(Tensor t, int size) {
            this.array = Strided.array(t);
            this.offset = t.offset();
            this.size = size;
        }

        void load(int plane, double[] dst) {
            int at = offset + plane * size;
            if (array instanceof float[] f) {
                for (int i = 0; i < size; i++) dst[i] = f[at + i];
            } else {
                System.arraycopy((double[]) array, at, dst, 0, size);
            }
        }

        void store(int plane, double[] src) {
            int at = offset + plane * size;
            if (array instanceof float[] f) {
                for (int i = 0; i < size; i++) f[at + i] = (float) src[i];
            } else {
                System.arraycopy(src, 0, (double[]) array, at, size);
            }
        }
    }

    private static int[] check4d(String op, Tensor t) {
        int[] s = t.shape();
        if (s.length != 4) throw new IllegalArgumentException(op + ": expected a 4-D NCHW tensor, got shape " + Shapes.str(s));
        if (!t.dtype().isFloating()) throw new IllegalArgumentException(op + ": expected a floating-point tensor, got " + t.dtype());
        return s;
    }

    private static void checkOut(String op, Tensor in, Tensor out, int oh, int ow) {
        int[] s = in.shape(), o = out.shape();
        if (o.length != 4 || o[0] != s[0] || o[1] != s[1] || o[2] != oh || o[3] != ow) {
            throw new IllegalArgumentException(op + ": output shape " + Shapes.str(o) + " does not match input " + Shapes.str(s)
                    + " (expected [" + s[0] + ", " + s[1] + ", " + oh + ", " + ow + "])");
        }
        if (out.dtype() != in.dtype()) throw new IllegalArgumentException(op + ": output dtype " + out.dtype() + " differs from input " + in.dtype());
    }

    /** First kernel tap i with start + i * dil >= 0. */
    private static int firstTap(int start, int dil) {
        return start >= 0 ? 0 : (-start + dil - 1) / dil;
    }

    /** One past the last kernel tap i < k with start + i * dil < size. */
    private static int endTap(int start, int dil, int k, int size) {
        if (start >= size) return 0;
        return Math.min(k, (size - 1 - start) / dil + 1);
    }

    // ---- max ----------------------------------------------------------------------------------

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    private static final int VL = FS.length();
    private static final boolean VECTOR_POOL = VL >= 8 && IS.length() == VL;

    /**
     * n (<= VL) neighbouring float32 max windows whose columns are all inside the input, lane l at column ws + l * sw;
     * lanes at or past n (valid false) read in-range columns (idx) and are dropped.
     */
    private static void maxBlock(float[] xa, int src, int w, int hs, int i0, int i1, int ws, int kw, int dh, int dw, int sw, int n,
                                 int[] idx, IntVector step, VectorMask<Integer> valid, float[] oa, int oIdx, long[] ia, int iIdx,
                                 int[] lanes) {
        VectorMask<Float> validF = valid.cast(FS);
        FloatVector m = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
        IntVector best = step.add((hs + i0 * dh) * w + ws);
        for (int i = i0; i < i1; i++) {
            int row = (hs + i * dh) * w + ws;
            for (int j = 0; j < kw; j++) {
                int off = row + j * dw;
                FloatVector v = sw == 1 && n == VL ? FloatVector.fromArray(FS, xa, src + off) : FloatVector.fromArray(FS, xa, src + off, idx, 0);
                // The scalar rule lane by lane: greater, or NaN, takes over.
                VectorMask<Float> take = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN)).and(validF);
                m = m.blend(v, take);
                best = best.blend(step.add(off), take.cast(IS));
            }
        }
        if (n == VL) m.intoArray(oa, oIdx);
        else m.intoArray(oa, oIdx, validF);
        best.intoArray(lanes, 0);
        for (int l = 0; l < n; l++) ia[iIdx + l] = lanes[l];
    }

    /** One float32 max window: rows [i0, i1) and columns [j0, j1) of taps; PyTorch's rule, a NaN always takes over (the last NaN wins). */
    private static void maxWindow(float[] xa, int src, int w, int hs, int i0, int i1, int ws, int j0, int j1, int dh, int dw,
                                  float[] oa, int oIdx, long[] ia, int iIdx) {
        float m = Float.NEGATIVE_INFINITY;
        int best = i0 < i1 && j0 < j1 ? (hs + i0 * dh) * w + ws + j0 * dw : 0;
        for (int i = i0; i < i1; i++) {
            int row = (hs + i * dh) * w + ws;
            for (int j = j0; j < j1; j++) {
                float v = xa[src + row + j * dw];
                if (v > m || v != v) {
                    m = v;
                    best = row + j * dw;
                }
            }
        }
        oa[oIdx] = m;
        ia[iIdx] = best;
    }

    static void maxPool2d(Tensor x, Tensor out, Tensor indices, Pool2dParams p) {
        int[] s = check4d("max_pool2d", x);
        int h = s[2], w = s[3], oh = p.outH(h), ow = p.outW(w);
        checkOut("max_pool2d", x, out, oh, ow);
        if (indices.dtype() != DType.INT64 || !java.util.Arrays.equals(indices.shape(), out.shape())) {
            throw new IllegalArgumentException("max_pool2d: indices must be int64 of shape " + Shapes.str(out.shape()) + ", got " + indices.dtype() + " " + Shapes.str(indices.shape()));
        }
        Tensor xc = Strided.contiguous(x), oc = Strided.writable(out), ic = Strided.writable(indices);
        int planes = s[0] * s[1];
        Plane in = new Plane(xc, h * w), res = new Plane(oc, oh * ow);
        long[] ia = Strided.i64(ic);
        int io = ic.offset();
        int kh = p.kernelH(), kw = p.kernelW(), sh = p.strideH(), sw = p.strideW(), ph = p.padH(), pw = p.padW();
        int dh = p.dilationH(), dw = p.dilationW();
        if (xc.dtype() == DType.FLOAT32) {
            // Straight on the float arrays: widening each plane to double cost as much as the pooling.
            float[] xa = Strided.f32(xc), oa = Strided.f32(oc);
            int xo = xc.offset(), oo = oc.offset();
            // Tap ranges per output row and column, computed once: two integer divisions per output cost more than the pooling.
            int[] iLo = new int[oh], iHi = new int[oh], jLo = new int[ow], jHi = new int[ow];
            for (int y = 0; y < oh; y++) {
                iLo[y] = firstTap(y * sh - ph, dh);
                iHi[y] = endTap(y * sh - ph, dh, kh, h);
            }
            for (int z = 0; z < ow; z++) {
                jLo[z] = firstTap(z * sw - pw, dw);
                jHi[z] = endTap(z * sw - pw, dw, kw, w);
            }
            // Columns whose whole window lies inside the input form one interval; there, VL outputs at a time.
            int zIn0 = 0, zIn1 = 0;
            while (zIn0 < ow && (jLo[zIn0] != 0 || jHi[zIn0] != kw)) zIn0++;
            zIn1 = zIn0;
            while (zIn1 < ow && jLo[zIn1] == 0 && jHi[zIn1] == kw) zIn1++;
            final int vz0 = zIn0, vz1 = zIn1;
            Parallel.forRange(planes, (long) oh * ow * kh * kw, (a, b) -> {
                int[] laneIdx = new int[VL], partIdx = new int[VL], lanes = new int[VL];
                for (int l = 0; l < VL; l++) laneIdx[l] = l * sw;
                IntVector step = IntVector.fromArray(IS, laneIdx, 0);
                IntVector iota = step.div(sw);
                for (int pl = a; pl < b; pl++) {
                    int src = xo + pl * h * w, obase = oo + pl * oh * ow, ibase = io + pl * oh * ow;
                    for (int y = 0; y < oh; y++) {
                        int hs = y * sh - ph, i0 = iLo[y], i1 = iHi[y], o = y * ow;
                        int z = 0;
                        if (VECTOR_POOL && i0 < i1) {
                            for (; z < vz0; z++) maxWindow(xa, src, w, hs, i0, i1, z * sw - pw, jLo[z], jHi[z], dh, dw, oa, obase + o + z, ia, ibase + o + z);
                            for (int n; z < vz1; z += n) {
                                n = Math.min(VL, vz1 - z);
                                if (n < VL) {
                                    // A partial block: idle lanes read the block's first column and are masked off.
                                    for (int l = 0; l < VL; l++) partIdx[l] = l < n ? l * sw : 0;
                                }
                                maxBlock(xa, src, w, hs, i0, i1, z * sw - pw, kw, dh, dw, sw, n, n < VL ? partIdx : laneIdx, step,
                                        iota.compare(VectorOperators.LT, n), oa, obase + o + z, ia, ibase + o + z, lanes);
                            }
                        }
                        for (; z < ow; z++) maxWindow(xa, src, w, hs, i0, i1, z * sw - pw, jLo[z], jHi[z], dh, dw, oa, obase + o + z, ia, ibase + o + z);
                    }
                }
            });
            Strided.finish(oc, out);
            Strided.finish(ic, indices);
            return;
        }
        Parallel.forRange(planes, (long) oh * ow * kh * kw, (a, b) -> {
            double[] src = new double[h * w], dst = new double[oh * ow];
            for (int pl = a; pl < b; pl++) {
                in.load(pl, src);
                int ibase = io + pl * oh * ow;
                for (int y = 0; y < oh; y++) {
                    int hs = y * sh - ph;
                    int i0 = firstTap(hs, dh), i1 = endTap(hs, dh, kh, h);
                    for (int z = 0; z < ow; z++) {
                        int ws = z * sw - pw;
                        int j0 = firstTap(ws, dw), j1 = endTap(ws, dw, kw, w);
                        double m = Double.NEGATIVE_INFINITY;
                        int best = i0 < i1 && j0 < j1 ? (hs + i0 * dh) * w + ws + j0 * dw : 0;
                        for (int i = i0; i < i1; i++) {
                            int row = (hs + i * dh) * w + ws;
                            for (int j = j0; j < j1; j++) {
                                double v = src[row + j * dw];
                                // PyTorch's rule: a NaN always takes over, so the last NaN wins.
                                if (v > m || v != v) {
                                    m = v;
                                    best = row + j * dw;
                                }
                            }
                        }
                        dst[y * ow + z] = m;
                        ia[ibase + y * ow + z] = best;
                    }
                }
                res.store(pl, dst);
            }
        });
        Strided.finish(oc, out);
        Strided.finish(ic, indices);
    }

    static void maxPool2dBackward(Tensor gradOut, Tensor indices, Tensor gradIn) {
        int[] gs = check4d("max_pool2d_backward", gradIn);
        int[] os = check4d("max_pool2d_backward", gradOut);
        if (os[0] != gs[0] || os[1] != gs[1] || !java.util.Arrays.equals(indices.shape(), os) || indices.dtype() != DType.INT64
                || gradOut.dtype() != gradIn.dtype()) {
            throw new IllegalArgumentException("max_pool2d_backward: gradOut " + Shapes.str(os) + " " + gradOut.dtype() + ", indices "
                    + Shapes.str(indices.shape()) + " " + indices.dtype() + " and gradIn " + Shapes.str(gs) + " " + gradIn.dtype() + " do not match");
        }
        int hw = gs[2] * gs[3], ohw = os[2] * os[3];
        Tensor g = Strided.contiguous(gradOut), ic = Strided.contiguous(indices), gi = Strided.writable(gradIn);
        long[] ia = Strided.i64(ic);
        int io = ic.offset();
        Plane go = new Plane(g, ohw), gin = new Plane(gi, hw);
        // Validate first so a bad index surfaces as a clear error rather than from a worker thread.
        for (int i = 0; i < gs[0] * gs[1] * ohw; i++) {
            long v = ia[io + i];
            if (v < 0 || v >= hw) {
                throw new IllegalArgumentException("max_pool2d_backward: index " + v + " out of range for an input plane of " + gs[2] + "x" + gs[3]);
            }
        }
        Parallel.forRange(gs[0] * gs[1], ohw + hw, (a, b) -> {
            double[] gbuf = new double[ohw], acc = new double[hw];
            for (int pl = a; pl < b; pl++) {
                go.load(pl, gbuf);
                gin.load(pl, acc);
                int base = io + pl * ohw;
                for (int i = 0; i < ohw; i++) acc[(int) ia[base + i]] += gbuf[i];
                gin.store(pl, acc);
            }
        });
        Strided.finish(gi, gradIn);
    }

    // ---- average ------------------------------------------------------------------------------

    private static void checkAvg(Pool2dParams p) {
        if (p.dilationH() != 1 || p.dilationW() != 1) {
            throw new IllegalArgumentException("avg_pool2d: dilation must be 1, got " + p.dilationH() + "x" + p.dilationW());
        }
    }

    static void avgPool2d(Tensor x, Tensor out, Pool2dParams p) {
        checkAvg(p);
        int[] s = check4d("avg_pool2d", x);
        int h = s[2], w = s[3], oh = p.outH(h), ow = p.outW(w);
        checkOut("avg_pool2d", x, out, oh, ow);
        Tensor xc = Strided.contiguous(x), oc = Strided.writable(out);
        Plane in = new Plane(xc, h * w), res = new Plane(oc, oh * ow);
        int kh = p.kernelH(), kw = p.kernelW(), sh = p.strideH(), sw = p.strideW(), ph = p.padH(), pw = p.padW();
        boolean includePad = p.countIncludePad();
        Parallel.forRange(s[0] * s[1], (long) oh * ow * kh * kw, (a, b) -> {
            double[] src = new double[h * w], dst = new double[oh * ow];
            for (int pl = a; pl < b; pl++) {
                in.load(pl, src);
                for (int y = 0; y < oh; y++) {
                    int hs = y * sh - ph, he = Math.min(hs + kh, h + ph);
                    int hs0 = Math.max(hs, 0), he0 = Math.min(he, h);
                    for (int z = 0; z < ow; z++) {
                        int ws = z * sw - pw, we = Math.min(ws + kw, w + pw);
                        int ws0 = Math.max(ws, 0), we0 = Math.min(we, w);
                        if (hs0 >= he0 || ws0 >= we0) {
                            dst[y * ow + z] = 0;
                            continue;
                        }
                        double sum = 0;
                        for (int i = hs0; i < he0; i++) {
                            for (int j = ws0; j < we0; j++) sum += src[i * w + j];
                        }
                        int div = includePad ? (he - hs) * (we - ws) : (he0 - hs0) * (we0 - ws0);
                        dst[y * ow + z] = sum / div;
                    }
                }
                res.store(pl, dst);
            }
        });
        Strided.finish(oc, out);
    }

    static void avgPool2dBackward(Tensor gradOut, Tensor gradIn, Pool2dParams p) {
        checkAvg(p);
        int[] s = check4d("avg_pool2d_backward", gradIn);
        int h = s[2], w = s[3], oh = p.outH(h), ow = p.outW(w);
        checkOut("avg_pool2d_backward", gradIn, gradOut, oh, ow);
        Tensor g = Strided.contiguous(gradOut), gi = Strided.writable(gradIn);
        Plane go = new Plane(g, oh * ow), gin = new Plane(gi, h * w);
        int kh = p.kernelH(), kw = p.kernelW(), sh = p.strideH(), sw = p.strideW(), ph = p.padH(), pw = p.padW();
        boolean includePad = p.countIncludePad();
        Parallel.forRange(s[0] * s[1], (long) oh * ow * kh * kw, (a, b) -> {
            double[] gbuf = new double[oh * ow], acc = new double[h * w];
            for (int pl = a; pl < b; pl++) {
                go.load(pl, gbuf);
                gin.load(pl, acc);
                for (int y = 0; y < oh; y++) {
                    int hs = y * sh - ph, he = Math.min(hs + kh, h + ph);
                    int hs0 = Math.max(hs, 0), he0 = Math.min(he, h);
                    for (int z = 0; z < ow; z++) {
                        int ws = z * sw - pw, we = Math.min(ws + kw, w + pw);
                        int ws0 = Math.max(ws, 0), we0 = Math.min(we, w);
                        if (hs0 >= he0 || ws0 >= we0) continue;
                        int div = includePad ? (he - hs) * (we - ws) : (he0 - hs0) * (we0 - ws0);
                        double v = gbuf[y * ow + z] / div;
                        for (int i = hs0; i < he0; i++) {
                            for (int j = ws0; j < we0; j++) acc[i * w + j] += v;
                        }
                    }
                }
                gin.store(pl, acc);
            }
        });
        Strided.finish(gi, gradIn);
    }

    // ---- adaptive average ----------------------------------------------------------------------

    private static int adaptiveStart(int i, int in, int out) { return (int) ((long) i * in / out); }

    private static int adaptiveEnd(int i, int in, int out) { return (int) (((long) (i + 1) * in + out - 1) / out); }

    static void adaptiveAvgPool2d(Tensor x, Tensor out) {
        int[] s = check4d("adaptive_avg_pool2d", x);
        int[] o = out.shape();
        if (o.length != 4) throw new IllegalArgumentException("adaptive_avg_pool2d: output must be 4-D, got " + Shapes.str(o));
        int h = s[2], w = s[3], oh = o[2], ow = o[3];
        checkOut("adaptive_avg_pool2d", x, out, oh, ow);
        Tensor xc = Strided.contiguous(x), oc = Strided.writable(out);
        Plane in = new Plane(xc, h * w), res = new Plane(oc, oh * ow);
        Parallel.forRange(s[0] * s[1], (long) h * w + oh * ow, (a, b) -> {
            double[] src = new double[h * w], dst = new double[oh * ow];
            for (int pl = a; pl < b; pl++) {
                in.load(pl, src);
                for (int y = 0; y < oh; y++) {
                    int hs = adaptiveStart(y, h, oh), he = adaptiveEnd(y, h, oh);
                    for (int z = 0; z < ow; z++) {
                        int ws = adaptiveStart(z, w, ow), we = adaptiveEnd(z, w, ow);
                        double sum = 0;
                        for (int i = hs; i < he; i++) {
                            for (int j = ws; j < we; j++) sum += src[i * w + j];
                        }
                        dst[y * ow + z] = sum / ((he - hs) * (we - ws));
                    }
                }
                res.store(pl, dst);
            }
        });
        Strided.finish(oc, out);
    }

    static void adaptiveAvgPool2dBackward(Tensor gradOut, Tensor gradIn) {
        int[] s = check4d("adaptive_avg_pool2d_backward", gradIn);
        int[] o = check4d("adaptive_avg_pool2d_backward", gradOut);
        int h = s[2], w = s[3], oh = o[2], ow = o[3];
        checkOut("adaptive_avg_pool2d_backward", gradIn, gradOut, oh, ow);
        Tensor g = Strided.contiguous(gradOut), gi = Strided.writable(gradIn);
        Plane go = new Plane(g, oh * ow), gin = new Plane(gi, h * w);
        Parallel.forRange(s[0] * s[1], (long) h * w + oh * ow, (a, b) -> {
            double[] gbuf = new double[oh * ow], acc = new double[h * w];
            for (int pl = a; pl < b; pl++) {
                go.load(pl, gbuf);
                gin.load(pl, acc);
                for (int y = 0; y < oh; y++) {
                    int hs = adaptiveStart(y, h, oh), he = adaptiveEnd(y, h, oh);
                    for (int z = 0; z < ow; z++) {
                        int ws = adaptiveStart(z, w, ow), we = adaptiveEnd(z, w, ow);
                        double v = gbuf[y * ow + z] / ((he - hs) * (we - ws));
                        for (int i = hs; i < he; i++) {
                            for (int j = ws; j < we; j++) acc[i * w + j] += v;
                        }
                    }
                }
                gin.store(pl, acc);
            }
        });
        Strided.finish(gi, gradIn);
    }
}
