// Double-precision GEMM for the CPU backend: a K/N-blocked row-update loop with Vector API fma.
// Float64 serves gradient checks and exact reference work, so it favours simplicity over peak speed.
package org.uactn.core.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = alpha * A * B + beta * C in float64 with arbitrary element strides for A, B and C.
 * Each C row is updated as c[i, :] += (alpha * a[i, p]) * b[p, :] for p in order, blocked so a
 * KC x NC slab of B stays in cache while every row of a thread's range streams over it. Rows are
 * split across {@link Parallel}; the summation order per element never depends on the split.
 */
public final class Dgemm {
    private Dgemm() {}

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int KC = 256;
    private static final int NC = 512;

    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                            double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                            double beta, double[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("dgemm: negative size m=" + m + " n=" + n + " k=" + k);
        if (lda < Math.max(1, transA ? m : k) || ldb < Math.max(1, transB ? k : n) || ldc < Math.max(1, n))
            throw new IllegalArgumentException("dgemm: leading dimensions lda=" + lda + " ldb=" + ldb + " ldc=" + ldc
                    + " too small for m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB);
        gemmStrided(m, n, k, alpha,
                a, aOff, transA ? 1 : lda, transA ? lda : 1,
                b, bOff, transB ? 1 : ldb, transB ? ldb : 1,
                beta, c, cOff, ldc, 1, true);
    }

    /** A[i][p] = a[aOff + i*aRs + p*aCs], B[p][j] = b[bOff + p*bRs + j*bCs], C[i][j] = c[cOff + i*cRs + j*cCs]. */
    public static void gemmStrided(int m, int n, int k, double alpha,
                                   double[] a, int aOff, int aRs, int aCs,
                                   double[] b, int bOff, int bRs, int bCs,
                                   double beta, double[] c, int cOff, int cRs, int cCs, boolean parallel) {
        if (m == 0 || n == 0) return;
        // The row update needs unit-stride rows of B and C; other layouts go through a dense copy.
        if (bCs != 1 && k > 0 && alpha != 0) {
            double[] bd = new double[k * n];
            for (int p = 0; p < k; p++)
                for (int j = 0; j < n; j++) bd[p * n + j] = b[bOff + p * bRs + j * bCs];
            b = bd;
            bOff = 0;
            bRs = n;
        }
        if (cCs != 1) {
            double[] cd = new double[m * n];
            if (beta != 0) {
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) cd[i * n + j] = c[cOff + i * cRs + j * cCs];
            }
            gemmStrided(m, n, k, alpha, a, aOff, aRs, aCs, b, bOff, bRs, 1, beta, cd, 0, n, 1, parallel);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) c[cOff + i * cRs + j * cCs] = cd[i * n + j];
            return;
        }
        final double[] bb = b;
        final int bo = bOff, brs = bRs;
        long cost = (long) n * Math.max(k, 1);
        if (!parallel || (long) m * cost < 64L * 64 * 64) {
            rows(0, m, n, k, alpha, a, aOff, aRs, aCs, bb, bo, brs, beta, c, cOff, cRs);
            return;
        }
        Parallel.forRange(m, cost, (s, e) -> rows(s, e, n, k, alpha, a, aOff, aRs, aCs, bb, bo, brs, beta, c, cOff, cRs));
    }

    private static void rows(int i0, int i1, int n, int k, double alpha,
                             double[] a, int aOff, int aRs, int aCs,
                             double[] b, int bOff, int bRs,
                             double beta, double[] c, int cOff, int cRs) {
        for (int i = i0; i < i1; i++) {
            int row = cOff + i * cRs;
            if (beta == 0) java.util.Arrays.fill(c, row, row + n, 0.0);
            else if (beta != 1) for (int j = 0; j < n; j++) c[row + j] *= beta;
        }
        if (k == 0 || alpha == 0) return;
        int lanes = S.length();
        for (int jc = 0; jc < n; jc += NC) {
            int je = Math.min(n, jc + NC);
            int vecEnd = jc + (je - jc) / lanes * lanes;
            for (int pc = 0; pc < k; pc += KC) {
                int pe = Math.min(k, pc + KC);
                for (int i = i0; i < i1; i++) {
                    int row = cOff + i * cRs;
                    int arow = aOff + i * aRs;
                    for (int p = pc; p < pe; p++) {
                        double av = alpha * a[arow + p * aCs];
                        int brow = bOff + p * bRs;
                        DoubleVector x = DoubleVector.broadcast(S, av);
                        int j = jc;
                        for (; j < vecEnd; j += lanes) {
                            x.fma(DoubleVector.fromArray(S, b, brow + j), DoubleVector.fromArray(S, c, row + j)).intoArray(c, row + j);
                        }
                        for (; j < je; j++) c[row + j] = Math.fma(av, b[brow + j], c[row + j]);
                    }
                }
            }
        }
    }
}
