// Convolution patches gathered straight from an NCHW input into Sgemm's B panels in transposed
// (im2row) form, for GEMMs that reduce over output pixels: the weight gradient
// gradW (O x K) = gradOut (O x pixels) * patches (pixels x K). One gather per vector of values
// replaces an im2col pass plus a transposing copy of the whole column matrix.
package org.uactn.core.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row p of the packed operand is output pixel p of a piece (images side by side, or a band of
 * output rows of one image); column j is the column-matrix row (channel c, kernel tap (i, jj)) in
 * OIHW weight order, so that B[p][j] = col[j][p] of {@link Im2col}. For a pixel whose window lies
 * inside the input every tap is one gather at a fixed offset table; windows that reach into the
 * padding use a masked gather.
 */
final class PatchPanels {
    private PatchPanels() {}

    private static final int NR = Sgemm.NR;
    /** Vectors of NR / 2 lanes when the platform has them (NR is 32 with 512-bit vectors, 16 with 256-bit ones). */
    private static final VectorSpecies<Float> FS = NR == 32 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> IS = NR == 32 ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
    private static final boolean VECTOR = (NR == 32 || NR == 16) && FS.length() * 2 == NR
            && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= FS.vectorBitSize();
    private static final int L = NR / 2;

    /**
     * For each column-matrix row j of one convolution: the input offset of its tap from the window's
     * top-left corner (c * h * w + i * dh * w + jj * dw), and the tap's row and column offsets (i * dh, jj * dw).
     */
    record Taps(Im2col.Geom g, int[] off, int[] dy, int[] dx) {
        static Taps of(Im2col.Geom g) {
            int rows = g.rows(), plane = g.h() * g.w();
            int[] off = new int[rows], dy = new int[rows], dx = new int[rows];
            int r = 0;
            for (int c = 0; c < g.channels(); c++) {
                for (int i = 0; i < g.kh(); i++) {
                    for (int j = 0; j < g.kw(); j++, r++) {
                        dy[r] = i * g.dh();
                        dx[r] = j * g.dw();
                        off[r] = c * plane + dy[r] * g.w() + dx[r];
                    }
                }
            }
            return new Taps(g, off, dy, dx);
        }
    }

    /**
     * The panel source of a piece: images [0, cnt) whose (group's) channel 0 starts at
     * xOff + img * imageStride in x, output rows [oy0, oy1) of each, pixels in image, row, column order.
     */
    static Sgemm.PanelSource source(Taps t, float[] x, int xOff, int imageStride, int cnt, int oy0, int oy1) {
        int pixels = cnt * (oy1 - oy0) * t.g().ow();
        return (k, j0, nc, dst) -> {
            if (k != pixels)
                throw new IllegalStateException("conv2d: a patch source of " + pixels + " pixels was asked for " + k + " rows");
            if (j0 < 0 || nc < 0 || j0 + nc > t.off().length)
                throw new IllegalStateException("conv2d: columns [" + j0 + ", " + (j0 + nc) + ") outside the " + t.off().length + " patch rows");
            int[] idx = new int[L];
            for (int jp = 0; jp * NR < nc; jp++) {
                int j = j0 + jp * NR, lanes = Math.min(NR, nc - jp * NR), d = jp * k * NR;
                if (VECTOR && lanes == NR) vectorPanel(t, x, xOff, imageStride, cnt, oy0, oy1, j, dst, d, idx);
                else scalarPanel(t, x, xOff, imageStride, cnt, oy0, oy1, j, lanes, dst, d);
            }
        };
    }

    private static void vectorPanel(Taps t, float[] x, int xOff, int imageStride, int cnt, int oy0, int oy1, int j,
                                    float[] dst, int d, int[] idx) {
        Im2col.Geom g = t.g();
        int[] off = t.off();
        int h = g.h(), w = g.w(), ow = g.ow(), sh = g.sh(), sw = g.sw(), ph = g.ph(), pw = g.pw();
        int yMax = (g.kh() - 1) * g.dh(), xMax = (g.kw() - 1) * g.dw();
        IntVector o0 = IntVector.fromArray(IS, off, j), o1 = IntVector.fromArray(IS, off, j + L);
        IntVector y0 = IntVector.fromArray(IS, t.dy(), j), y1 = IntVector.fromArray(IS, t.dy(), j + L);
        IntVector x0 = IntVector.fromArray(IS, t.dx(), j), x1 = IntVector.fromArray(IS, t.dx(), j + L);
        for (int img = 0; img < cnt; img++) {
            int xi = xOff + img * imageStride;
            for (int oy = oy0; oy < oy1; oy++) {
                int iy = oy * sh - ph;
                boolean rowInside = iy >= 0 && iy + yMax < h;
                int rowBase = xi + iy * w;
                for (int ox = 0; ox < ow; ox++, d += NR) {
                    int ix = ox * sw - pw, base = rowBase + ix;
                    if (rowInside && ix >= 0 && ix + xMax < w) {
                        FloatVector.fromArray(FS, x, base, off, j).intoArray(dst, d);
                        FloatVector.fromArray(FS, x, base, off, j + L).intoArray(dst, d + L);
                    } else {
                        gatherMasked(x, base, iy, ix, h, w, o0, y0, x0, idx, dst, d);
                        gatherMasked(x, base, iy, ix, h, w, o1, y1, x1, idx, dst, d + L);
                    }
                }
            }
        }
    }

    /** Lanes whose tap falls inside the input read it, the others are zero (their index is parked at 0). */
    private static void gatherMasked(float[] x, int base, int iy, int ix, int h, int w, IntVector off, IntVector dy, IntVector dx,
                                     int[] idx, float[] dst, int d) {
        VectorMask<Integer> in = dy.add(iy).compare(VectorOperators.ULT, h).and(dx.add(ix).compare(VectorOperators.ULT, w));
        off.add(base).blend(0, in.not()).intoArray(idx, 0);
        FloatVector.fromArray(FS, x, 0, idx, 0, in.cast(FS)).intoArray(dst, d);
    }

    private static void scalarPanel(Taps t, float[] x, int xOff, int imageStride, int cnt, int oy0, int oy1, int j, int lanes,
                                    float[] dst, int d) {
        Im2col.Geom g = t.g();
        int[] off = t.off(), dy = t.dy(), dx = t.dx();
        int h = g.h(), w = g.w(), ow = g.ow(), sh = g.sh(), sw = g.sw(), ph = g.ph(), pw = g.pw();
        for (int img = 0; img < cnt; img++) {
            int xi = xOff + img * imageStride;
            for (int oy = oy0; oy < oy1; oy++) {
                int iy = oy * sh - ph;
                for (int ox = 0; ox < ow; ox++, d += NR) {
                    int ix = ox * sw - pw, base = xi + iy * w + ix;
                    for (int l = 0; l < NR; l++) {
                        float v = 0f;
                        if (l < lanes) {
                            int r = j + l, ry = iy + dy[r], rx = ix + dx[r];
                            if (ry >= 0 && ry < h && rx >= 0 && rx < w) v = x[base + off[r]];
                        }
                        dst[d + l] = v;
                    }
                }
            }
        }
    }
}
