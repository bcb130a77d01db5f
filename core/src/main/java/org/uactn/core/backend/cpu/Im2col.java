// Unfolds convolution windows into GEMM columns (im2col) and folds column gradients back (col2im),
// for one image and one channel group of an NCHW tensor.
package org.uactn.core.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The column matrix has one row per (channel, kh, kw) of the group, in OIHW weight order, and one
 * column per output pixel (oh, ow): col[(c*KH + kh)*KW + kw][oh*OW + ow] =
 * x[c][oh*sh - ph + kh*dh][ow*sw - pw + kw*dw], or 0 where that falls in the padding. Each row is
 * filled as runs: the valid output columns of a kernel tap form one interval per output row, so
 * the inner loop is a plain (or strided) copy with no bounds tests.
 */
final class Im2col {
    private Im2col() {}

    /** Geometry of one image's convolution; the interval helpers below only depend on it. */
    record Geom(int channels, int h, int w, int kh, int kw, int oh, int ow, int sh, int sw, int ph, int pw, int dh, int dw) {
        int rows() { return channels * kh * kw; }

        int cols() { return oh * ow; }

        /** First output column whose input column iw = ow*sw - pw + j*dw is >= 0. */
        int owLo(int j) {
            int off = pw - j * dw; // need ow*sw >= off
            return off <= 0 ? 0 : Math.min(ow, (off + sw - 1) / sw);
        }

        /** One past the last output column whose input column is < w. */
        int owHi(int j) {
            int lim = w - 1 + pw - j * dw; // need ow*sw <= lim
            return lim < 0 ? 0 : Math.min(ow, lim / sw + 1);
        }
    }

    static void im2col(Geom g, float[] x, int xOff, float[] col, int colOff) {
        int plane = g.h() * g.w(), cols = g.cols();
        int row = 0;
        for (int c = 0; c < g.channels(); c++) {
            int xc = xOff + c * plane;
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int lo = g.owLo(j), hi = Math.max(lo, g.owHi(j));
                    int dst = colOff + row * cols;
                    for (int oy = 0; oy < g.oh(); oy++, dst += g.ow()) {
                        int iy = oy * g.sh() - g.ph() + i * g.dh();
                        if (iy < 0 || iy >= g.h()) {
                            java.util.Arrays.fill(col, dst, dst + g.ow(), 0f);
                            continue;
                        }
                        java.util.Arrays.fill(col, dst, dst + lo, 0f);
                        int src = xc + iy * g.w() + lo * g.sw() - g.pw() + j * g.dw();
                        if (g.sw() == 1) {
                            System.arraycopy(x, src, col, dst + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++, src += g.sw()) col[dst + ox] = x[src];
                        }
                        java.util.Arrays.fill(col, dst + hi, dst + g.ow(), 0f);
                    }
                }
            }
        }
    }

    /** gradX[c][iy][ix] += col[row][oy*OW + ox] over every window position that read it. */
    static void col2im(Geom g, float[] col, int colOff, float[] gx, int gxOff) {
        int plane = g.h() * g.w(), cols = g.cols();
        int row = 0;
        for (int c = 0; c < g.channels(); c++) {
            int xc = gxOff + c * plane;
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int lo = g.owLo(j), hi = g.owHi(j);
                    int src = colOff + row * cols;
                    for (int oy = 0; oy < g.oh(); oy++, src += g.ow()) {
                        int iy = oy * g.sh() - g.ph() + i * g.dh();
                        if (iy < 0 || iy >= g.h()) continue;
                        int dst = xc + iy * g.w() + lo * g.sw() - g.pw() + j * g.dw();
                        int sw = g.sw();
                        if (sw == 1) {
                            addRun(col, src + lo, gx, dst, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++, dst += sw) gx[dst] += col[src + ox];
                        }
                    }
                }
            }
        }
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** dst[d .. d+len) += src[s .. s+len), vectorised (the JIT will not, as the arrays may alias). */
    private static void addRun(float[] src, int s, float[] dst, int d, int len) {
        int i = 0;
        for (int end = F.loopBound(len); i < end; i += F.length()) {
            FloatVector.fromArray(F, dst, d + i).add(FloatVector.fromArray(F, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < len; i++) dst[d + i] += src[s + i];
    }

    static void im2col(Geom g, double[] x, int xOff, double[] col, int colOff) {
        int plane = g.h() * g.w(), cols = g.cols();
        int row = 0;
        for (int c = 0; c < g.channels(); c++) {
            int xc = xOff + c * plane;
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int lo = g.owLo(j), hi = Math.max(lo, g.owHi(j));
                    int dst = colOff + row * cols;
                    for (int oy = 0; oy < g.oh(); oy++, dst += g.ow()) {
                        int iy = oy * g.sh() - g.ph() + i * g.dh();
                        if (iy < 0 || iy >= g.h()) {
                            java.util.Arrays.fill(col, dst, dst + g.ow(), 0.0);
                            continue;
                        }
                        java.util.Arrays.fill(col, dst, dst + lo, 0.0);
                        int src = xc + iy * g.w() + lo * g.sw() - g.pw() + j * g.dw();
                        for (int ox = lo; ox < hi; ox++, src += g.sw()) col[dst + ox] = x[src];
                        java.util.Arrays.fill(col, dst + hi, dst + g.ow(), 0.0);
                    }
                }
            }
        }
    }

    static void col2im(Geom g, double[] col, int colOff, double[] gx, int gxOff) {
        int plane = g.h() * g.w(), cols = g.cols();
        int row = 0;
        for (int c = 0; c < g.channels(); c++) {
            int xc = gxOff + c * plane;
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int lo = g.owLo(j), hi = g.owHi(j);
                    int src = colOff + row * cols;
                    for (int oy = 0; oy < g.oh(); oy++, src += g.ow()) {
                        int iy = oy * g.sh() - g.ph() + i * g.dh();
                        if (iy < 0 || iy >= g.h()) continue;
                        int dst = xc + iy * g.w() + lo * g.sw() - g.pw() + j * g.dw();
                        int sw = g.sw();
                        for (int ox = lo; ox < hi; ox++, dst += sw) gx[dst] += col[src + ox];
                    }
                }
            }
        }
    }
}
