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
        im2col(g, x, xOff, col, colOff, g.cols(), 0, g.channels());
    }

    /**
     * Rows of channels [c0, c1) only, into a column matrix with row stride ld (so that several images'
     * columns can sit side by side in one wider matrix); row r of channel c goes to colOff + (c*KH*KW + r) * ld.
     */
    static void im2col(Geom g, float[] x, int xOff, float[] col, int colOff, int ld, int c0, int c1) {
        im2col(g, x, xOff, col, colOff, ld, c0, c1, 0, g.oh());
    }

    /** Output rows [oy0, oy1) only: column (oy - oy0) * OW + ox of the (narrower) column matrix. */
    static void im2col(Geom g, float[] x, int xOff, float[] col, int colOff, int ld, int c0, int c1, int oy0, int oy1) {
        if (sameWidth(g)) {
            im2colShifted(g, x, xOff, col, colOff, ld, c0, c1, oy0, oy1);
            return;
        }
        int plane = g.h() * g.w(), cols = ld;
        int row = c0 * g.kh() * g.kw();
        for (int c = c0; c < c1; c++) {
            int xc = xOff + c * plane;
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int lo = g.owLo(j), hi = Math.max(lo, g.owHi(j));
                    int dst = colOff + row * cols;
                    int ow = g.ow(), sw = g.sw();
                    for (int oy = oy0; oy < oy1; oy++, dst += ow) {
                        int iy = oy * g.sh() - g.ph() + i * g.dh();
                        if (iy < 0 || iy >= g.h()) {
                            java.util.Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        // The padding edges are a pixel or two: plain loops beat fill/arraycopy calls there,
                        // and on the 2x2 to 7x7 planes of a network's last stage.
                        for (int ox = 0; ox < lo; ox++) col[dst + ox] = 0f;
                        int src = xc + iy * g.w() + lo * sw - g.pw() + j * g.dw();
                        if (sw == 1) {
                            copyRun(x, src, col, dst + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++, src += sw) col[dst + ox] = x[src];
                        }
                        for (int ox = hi; ox < ow; ox++) col[dst + ox] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Stride-1 convolutions whose output is as wide as the input ("same" padding, every 3x3 stride-1 layer of a
     * ResNet): a column-matrix row is then the input plane shifted by one constant offset, so each row is one copy
     * (or one vector add for col2im) over the valid block plus a few zeroed edge columns, instead of one short run
     * per output row. (Planes narrower than 12 pixels keep the table-driven variants, which win there.)
     */
    static boolean sameWidth(Geom g) {
        return g.sw() == 1 && g.sh() == 1 && g.ow() == g.w();
    }

    /** Valid output rows [vy0, vy1) of tap row i within [oy0, oy1) (those whose input row is inside the plane). */
    private static int validLo(Geom g, int i, int oy0) { return Math.max(oy0, g.ph() - i * g.dh()); }

    private static int validHi(Geom g, int i, int oy1) { return Math.min(oy1, g.h() + g.ph() - i * g.dh()); }

    /** Zeroes columns [0, lo) and [hi, ow) of rows [vy0, vy1) of a column-matrix row starting at rowStart (row oy0). */
    private static void zeroEdges(float[] col, int rowStart, int ow, int oy0, int vy0, int vy1, int lo, int hi) {
        if (lo == 0 && hi == ow) return;
        for (int oy = vy0; oy < vy1; oy++) {
            int rb = rowStart + (oy - oy0) * ow;
            for (int ox = 0; ox < lo; ox++) col[rb + ox] = 0f;
            for (int ox = hi; ox < ow; ox++) col[rb + ox] = 0f;
        }
    }

    private static void im2colShifted(Geom g, float[] x, int xOff, float[] col, int colOff, int ld, int c0, int c1, int oy0, int oy1) {
        int w = g.w(), ow = w, plane = g.h() * w, span = (oy1 - oy0) * ow;
        int row = c0 * g.kh() * g.kw();
        for (int c = c0; c < c1; c++) {
            int xc = xOff + c * plane;
            for (int i = 0; i < g.kh(); i++) {
                int vy0 = validLo(g, i, oy0), vy1 = validHi(g, i, oy1);
                for (int j = 0; j < g.kw(); j++, row++) {
                    int dst = colOff + row * ld, lo = g.owLo(j), hi = Math.max(lo, g.owHi(j));
                    if (vy0 >= vy1 || lo >= hi) {
                        java.util.Arrays.fill(col, dst, dst + span, 0f);
                        continue;
                    }
                    java.util.Arrays.fill(col, dst, dst + (vy0 - oy0) * ow, 0f);
                    java.util.Arrays.fill(col, dst + (vy1 - oy0) * ow, dst + span, 0f);
                    int d0 = dst + (vy0 - oy0) * ow + lo;
                    int s0 = xc + (vy0 - g.ph() + i * g.dh()) * w + lo - g.pw() + j * g.dw();
                    System.arraycopy(x, s0, col, d0, (vy1 - vy0 - 1) * ow + hi - lo);
                    zeroEdges(col, dst, ow, oy0, vy0, vy1, lo, hi);
                }
            }
        }
    }

    /**
     * col2im for {@link #sameWidth} geometries: the column entries that read padding are zeroed in place (col is
     * scratch), then each row is one vector add over its valid block. Adds in the same order as the run-based col2im.
     */
    private static void col2imShifted(Geom g, float[] col, int colOff, int ld, float[] gx, int gxOff, int c0, int c1, int oy0, int oy1) {
        int w = g.w(), ow = w, plane = g.h() * w;
        int row = c0 * g.kh() * g.kw();
        for (int c = c0; c < c1; c++) {
            int xc = gxOff + c * plane;
            for (int i = 0; i < g.kh(); i++) {
                int vy0 = validLo(g, i, oy0), vy1 = validHi(g, i, oy1);
                for (int j = 0; j < g.kw(); j++, row++) {
                    int src = colOff + row * ld, lo = g.owLo(j), hi = Math.max(lo, g.owHi(j));
                    if (vy0 >= vy1 || lo >= hi) continue;
                    zeroEdges(col, src, ow, oy0, vy0, vy1, lo, hi);
                    int s0 = src + (vy0 - oy0) * ow + lo;
                    int d0 = xc + (vy0 - g.ph() + i * g.dh()) * w + lo - g.pw() + j * g.dw();
                    addRun(col, s0, gx, d0, (vy1 - vy0 - 1) * ow + hi - lo);
                }
            }
        }
    }

    /** gradX[c][iy][ix] += col[row][oy*OW + ox] over every window position that read it. */
    static void col2im(Geom g, float[] col, int colOff, float[] gx, int gxOff) {
        col2im(g, col, colOff, g.cols(), gx, gxOff, 0, g.channels());
    }

    /** col2im of channels [c0, c1) from a column matrix with row stride ld (see the im2col overload). */
    static void col2im(Geom g, float[] col, int colOff, int ld, float[] gx, int gxOff, int c0, int c1) {
        col2im(g, col, colOff, ld, gx, gxOff, c0, c1, 0, g.oh());
    }

    /** col2im of output rows [oy0, oy1) from a column matrix laid out as the matching im2col overload. */
    static void col2im(Geom g, float[] col, int colOff, int ld, float[] gx, int gxOff, int c0, int c1, int oy0, int oy1) {
        if (sameWidth(g)) {
            col2imShifted(g, col, colOff, ld, gx, gxOff, c0, c1, oy0, oy1);
            return;
        }
        int plane = g.h() * g.w(), cols = ld;
        int row = c0 * g.kh() * g.kw();
        for (int c = c0; c < c1; c++) {
            int xc = gxOff + c * plane;
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int lo = g.owLo(j), hi = g.owHi(j);
                    int src = colOff + row * cols;
                    for (int oy = oy0; oy < oy1; oy++, src += g.ow()) {
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

    /**
     * Whether the table-driven variants below beat the run-based ones: on planes a few pixels wide the
     * per-run bookkeeping (two edge loops and a copy per output row and tap) costs more than the copy.
     */
    static boolean useTable(Geom g) {
        return g.ow() < 12 && (long) g.kh() * g.kw() * g.cols() <= 1 << 16;
    }

    /** For tap t = i*KW + j and output pixel q: the input offset within a channel plane, or -1 in the padding. */
    static int[] table(Geom g) {
        int taps = g.kh() * g.kw(), cols = g.cols();
        int[] t = new int[taps * cols];
        for (int i = 0; i < g.kh(); i++) {
            for (int j = 0; j < g.kw(); j++) {
                int base = (i * g.kw() + j) * cols;
                for (int oy = 0; oy < g.oh(); oy++) {
                    int iy = oy * g.sh() - g.ph() + i * g.dh();
                    for (int ox = 0; ox < g.ow(); ox++) {
                        int ix = ox * g.sw() - g.pw() + j * g.dw();
                        t[base + oy * g.ow() + ox] = iy < 0 || iy >= g.h() || ix < 0 || ix >= g.w() ? -1 : iy * g.w() + ix;
                    }
                }
            }
        }
        return t;
    }

    /** im2col of channels [c0, c1) through a table from {@link #table} (same layout as the ld overload). */
    static void im2col(Geom g, int[] table, float[] x, int xOff, float[] col, int colOff, int ld, int c0, int c1, int oy0, int oy1) {
        int plane = g.h() * g.w(), cols = g.cols(), taps = g.kh() * g.kw(), q0 = oy0 * g.ow(), q1 = oy1 * g.ow();
        for (int c = c0; c < c1; c++) {
            int xc = xOff + c * plane;
            for (int t = 0; t < taps; t++) {
                int dst = colOff + (c * taps + t) * ld - q0, tb = t * cols;
                for (int q = q0; q < q1; q++) {
                    int at = table[tb + q];
                    col[dst + q] = at < 0 ? 0f : x[xc + at];
                }
            }
        }
    }

    /** col2im of channels [c0, c1) through a table; adds in the same order as the run-based col2im. */
    static void col2im(Geom g, int[] table, float[] col, int colOff, int ld, float[] gx, int gxOff, int c0, int c1, int oy0, int oy1) {
        int plane = g.h() * g.w(), cols = g.cols(), taps = g.kh() * g.kw(), q0 = oy0 * g.ow(), q1 = oy1 * g.ow();
        for (int c = c0; c < c1; c++) {
            int xc = gxOff + c * plane;
            for (int t = 0; t < taps; t++) {
                int src = colOff + (c * taps + t) * ld - q0, tb = t * cols;
                for (int q = q0; q < q1; q++) {
                    int at = table[tb + q];
                    if (at >= 0) gx[xc + at] += col[src + q];
                }
            }
        }
    }

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** 8 lanes, for the tail of a run under wider vectors (masked tails fell to the Vector API's slow Java path). */
    private static final VectorSpecies<Float> H = FloatVector.SPECIES_256;

    /**
     * dst[d .. d+len) += src[s .. s+len), vectorised (the JIT will not, as the arrays may alias). Rows of
     * 7 to 31 pixels are common (the 16x16 and 7x7 planes of ResNet stages), so a tail of 8 or more is one
     * 8-lane vector; the rest stays scalar.
     */
    private static void addRun(float[] src, int s, float[] dst, int d, int len) {
        int i = 0;
        for (int end = F.loopBound(len); i < end; i += F.length()) {
            FloatVector.fromArray(F, dst, d + i).add(FloatVector.fromArray(F, src, s + i)).intoArray(dst, d + i);
        }
        if (F.length() > 8 && len - i >= 8) {
            FloatVector.fromArray(H, dst, d + i).add(FloatVector.fromArray(H, src, s + i)).intoArray(dst, d + i);
            i += 8;
        }
        for (; i < len; i++) dst[d + i] += src[s + i];
    }

    /**
     * dst[d .. d+len) = src[s .. s+len) for the runs of im2col. A plain arraycopy: Vector API copies here were
     * only partly intrinsified once inlined into the callers (JFR showed boxed vectors allocated per run).
     */
    private static void copyRun(float[] src, int s, float[] dst, int d, int len) {
        System.arraycopy(src, s, dst, d, len);
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
