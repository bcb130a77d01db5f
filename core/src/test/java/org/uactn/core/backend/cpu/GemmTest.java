// Correctness of the CPU GEMMs (Sgemm, Dgemm) and the batched matmul kernel against a naive
// double-precision reference: ragged sizes, transposes, alpha/beta, offsets and strided views.
package org.uactn.core.backend.cpu;

import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.Tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class GemmTest {
    private static final int[][] SIZES = {
            {1, 1, 1}, {1, 257, 17}, {5, 17, 255}, {17, 5, 257}, {255, 257, 5}, {257, 255, 17},
            {257, 1, 255}, {17, 257, 1}, {5, 5, 5}, {64, 300, 37}, {13, 33, 300}, {255, 257, 257},
    };

    /** A problem: op(A) m x k and op(B) k x n embedded in larger arrays with offsets and padded leading dims. */
    private record Case(int m, int n, int k, boolean ta, boolean tb, int aOff, int lda, int bOff, int ldb, int cOff, int ldc,
                        double[] a, double[] b, double[] c0) {
        static Case make(Random r, int m, int n, int k, boolean ta, boolean tb, boolean nanC) {
            int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
            int lda = aCols + 2, ldb = bCols + 1, ldc = n + 3, aOff = 3, bOff = 5, cOff = 7;
            double[] a = new double[aOff + aRows * lda], b = new double[bOff + bRows * ldb], c = new double[cOff + m * ldc + 4];
            for (int i = 0; i < a.length; i++) a[i] = r.nextDouble() * 2 - 1;
            for (int i = 0; i < b.length; i++) b[i] = r.nextDouble() * 2 - 1;
            for (int i = 0; i < c.length; i++) c[i] = nanC ? Double.NaN : r.nextDouble() * 2 - 1;
            return new Case(m, n, k, ta, tb, aOff, lda, bOff, ldb, cOff, ldc, a, b, c);
        }

        double aAt(int i, int p) { return a[aOff + (ta ? p * lda + i : i * lda + p)]; }

        double bAt(int p, int j) { return b[bOff + (tb ? j * ldb + p : p * ldb + j)]; }

        /** Checks c against alpha*A*B + beta*C0 on the m x n block and that nothing outside it changed. */
        void check(String what, double alpha, double beta, double[] c, double relTol, Random sample) {
            boolean[] inside = new boolean[c.length];
            int checked = 0;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int idx = cOff + i * ldc + j;
                    inside[idx] = true;
                    if (sample != null && sample.nextInt(400) != 0) continue;
                    double ref = 0, scale = 0;
                    for (int p = 0; p < k; p++) {
                        double t = aAt(i, p) * bAt(p, j);
                        ref += t;
                        scale += Math.abs(t);
                    }
                    ref *= alpha;
                    scale *= Math.abs(alpha);
                    if (beta != 0) {
                        ref += beta * c0[idx];
                        scale += Math.abs(beta * c0[idx]);
                    }
                    double err = Math.abs(c[idx] - ref);
                    if (!(err <= relTol * scale + 1e-300)) {
                        fail(what + " m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " alpha=" + alpha + " beta=" + beta
                                + ": C[" + i + "][" + j + "] = " + c[idx] + ", expected " + ref + " (scale " + scale + ")");
                    }
                    checked++;
                }
            }
            assertTrue(checked > 0 || m * n == 0);
            for (int i = 0; i < c.length; i++) {
                if (!inside[i]) assertEquals(c0[i], c[i], 0.0, what + ": element " + i + " outside C was written");
            }
        }
    }

    private static float[] toF(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static double[] toD(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /** The reference operands are the float-rounded values, so only accumulation error remains. */
    private static Case rounded(Case c) {
        return new Case(c.m, c.n, c.k, c.ta, c.tb, c.aOff, c.lda, c.bOff, c.ldb, c.cOff, c.ldc,
                toD(toF(c.a)), toD(toF(c.b)), toD(toF(c.c0)));
    }

    @Test
    void sgemmMatchesNaiveOnRaggedSizesAndAllTransposes() {
        Random r = new Random(42);
        double[][] ab = {{1, 0}, {0.75, 0.5}, {-1.5, 1}};
        int q = 0;
        for (int[] s : SIZES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                double alpha = ab[q % 3][0], beta = ab[q % 3][1];
                q++;
                Case c = rounded(Case.make(r, s[0], s[1], s[2], ta, tb, beta == 0));
                float[] out = toF(c.c0);
                Sgemm.gemm(ta, tb, c.m, c.n, c.k, (float) alpha, toF(c.a), c.aOff, c.lda, toF(c.b), c.bOff, c.ldb,
                        (float) beta, out, c.cOff, c.ldc);
                c.check("sgemm", alpha, beta, toD(out), 2e-5, null);
            }
        }
    }

    @Test
    void sgemmLargePrimeSizeSampled() {
        Random r = new Random(7);
        for (boolean tb : new boolean[] {false, true}) {
            Case c = rounded(Case.make(r, 1031, 1031, 1031, false, tb, false));
            float[] out = toF(c.c0);
            Sgemm.gemm(false, tb, c.m, c.n, c.k, 1f, toF(c.a), c.aOff, c.lda, toF(c.b), c.bOff, c.ldb, 0.5f, out, c.cOff, c.ldc);
            c.check("sgemm 1031", 1.0, 0.5, toD(out), 2e-5, new Random(1));
        }
    }

    @Test
    void dgemmMatchesNaive() {
        Random r = new Random(3);
        int q = 0;
        for (int[] s : SIZES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                double alpha = q % 2 == 0 ? 1 : -0.75, beta = q % 3 == 0 ? 0 : 0.5;
                q++;
                Case c = Case.make(r, s[0], s[1], s[2], ta, tb, beta == 0);
                double[] out = c.c0.clone();
                Dgemm.gemm(ta, tb, c.m, c.n, c.k, alpha, c.a, c.aOff, c.lda, c.b, c.bOff, c.ldb, beta, out, c.cOff, c.ldc);
                c.check("dgemm", alpha, beta, out, 1e-13, null);
            }
        }
    }

    @Test
    void zeroDepthScalesC() {
        float[] c = {1, 2, 3, 4};
        Sgemm.gemm(false, false, 2, 2, 0, 1f, new float[1], 0, 1, new float[2], 0, 2, 2f, c, 0, 2);
        assertArrayEquals(new float[] {2, 4, 6, 8}, c);
        float[] z = {Float.NaN, 1, 2, 3};
        Sgemm.gemm(false, false, 2, 2, 0, 1f, new float[1], 0, 1, new float[2], 0, 2, 0f, z, 0, 2);
        assertArrayEquals(new float[] {0, 0, 0, 0}, z);
    }

    @Test
    void sgemmIsIndependentOfTheThreadCount() {
        Random r = new Random(11);
        int m = 300, n = 290, k = 310;
        float[] a = new float[m * k], b = new float[k * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] c1 = new float[m * n];
            Sgemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c1, 0, n);
            Parallel.setThreads(2);
            float[] c2 = new float[m * n];
            Sgemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c2, 0, n);
            Parallel.setThreads(3);
            float[] c3 = new float[m * n];
            Sgemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c3, 0, n);
            assertArrayEquals(c1, c2);
            assertArrayEquals(c1, c3);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void badLeadingDimensionIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sgemm.gemm(false, false, 4, 4, 4, 1f, new float[16], 0, 3, new float[16], 0, 4, 0f, new float[16], 0, 4));
        assertTrue(e.getMessage().contains("sgemm"), e.getMessage());
    }

    // ---- the batched matmul kernel on tensor views ----

    /** A [B, rows, cols] view: row-major, transposed (strides (1, rows)), or broadcast over the batch (stride 0). */
    private static Tensor view(Object data, int batch, int rows, int cols, String layout) {
        Tensor flat = data instanceof float[] f ? Tensor.of(f, f.length) : Tensor.of((double[]) data, ((double[]) data).length);
        return switch (layout) {
            case "row" -> new Tensor(flat.storage(), new int[] {batch, rows, cols}, new int[] {rows * cols, cols, 1}, 0);
            case "trans" -> new Tensor(flat.storage(), new int[] {batch, rows, cols}, new int[] {rows * cols, 1, rows}, 0);
            case "bcast" -> new Tensor(flat.storage(), new int[] {batch, rows, cols}, new int[] {0, cols, 1}, 1);
            // Neither layout: every other element of a wider buffer.
            case "gapped" -> new Tensor(flat.storage(), new int[] {batch, rows, cols}, new int[] {rows * cols * 2, cols * 2, 2}, 0);
            default -> throw new IllegalArgumentException(layout);
        };
    }

    private static double at(Tensor t, int bi, int i, int j) { return t.get(bi, i, j); }

    @Test
    void matmulHandlesTransposedBroadcastAndGappedViews() {
        Random r = new Random(5);
        String[] layouts = {"row", "trans", "bcast", "gapped"};
        for (boolean f32 : new boolean[] {true, false}) {
            for (String la : layouts) {
                for (String lb : layouts) {
                    int batch = 3, m = 19, k = 23, n = 37;
                    int sizeA = batch * m * k * 2 + 2, sizeB = batch * k * n * 2 + 2;
                    Object da = f32 ? new float[sizeA] : new double[sizeA];
                    Object db = f32 ? new float[sizeB] : new double[sizeB];
                    for (int i = 0; i < sizeA; i++) {
                        float v = r.nextFloat() - 0.5f;
                        if (f32) ((float[]) da)[i] = v; else ((double[]) da)[i] = v;
                    }
                    for (int i = 0; i < sizeB; i++) {
                        float v = r.nextFloat() - 0.5f;
                        if (f32) ((float[]) db)[i] = v; else ((double[]) db)[i] = v;
                    }
                    Tensor a = view(da, batch, m, k, la), b = view(db, batch, k, n, lb);
                    Tensor out = f32 ? Tensor.zeros(batch, m, n)
                            : Tensor.zeros(org.uactn.core.tensor.DType.FLOAT64, org.uactn.core.tensor.Device.CPU, batch, m, n);
                    MatmulKernels.matmul(a, b, out);
                    for (int bi = 0; bi < batch; bi++) {
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double ref = 0;
                                for (int p = 0; p < k; p++) ref += at(a, bi, i, p) * at(b, bi, p, j);
                                assertEquals(ref, out.get(bi, i, j), f32 ? 1e-5 : 1e-13,
                                        "matmul " + (f32 ? "f32" : "f64") + " a=" + la + " b=" + lb + " at " + bi + "," + i + "," + j);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void matmulRejectsMismatchedShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MatmulKernels.matmul(Tensor.zeros(1, 2, 3), Tensor.zeros(1, 4, 5), Tensor.zeros(1, 2, 5)));
        assertTrue(e.getMessage().contains("matmul"), e.getMessage());
    }
}
