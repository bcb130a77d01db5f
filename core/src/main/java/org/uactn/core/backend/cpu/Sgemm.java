// Single-precision GEMM for the CPU backend: packed, cache-blocked, Vector API micro-kernel,
// split across Parallel's workers by disjoint blocks of C (so the result never depends on the thread count).
package org.uactn.core.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = alpha * op(A) * op(B) + beta * C in float32.
 *
 * <p>Goto-style blocking: for every block of NC columns the whole K x NC slab of op(B) is packed
 * into NR-wide column panels; for every MC x KC block of op(A) packed into MR-tall row panels, the
 * micro-kernel accumulates MR x NR tiles into a contiguous, tile-ordered buffer (Java cannot
 * prefetch, and writing row-major C directly stalls on cache misses), which is scaled into C once
 * the whole K range is done. Ragged edges are zero-padded in the packed panels so the kernel
 * always runs full tiles.
 *
 * <p>The micro-kernel family is picked once at class load from the CPU's preferred vector width:
 * with 512-bit vectors 12 x 32 (24 accumulators; 8 x 32 when 12-row panels would pad M badly, e.g.
 * M = 64 in convolutions); with 256-bit vectors 6 x 16 (12 accumulators) when the JVM runs with
 * -XX:-OptoRegScheduling, else 4 x 16, because without that flag C2 spills a 6 x 16 accumulator on
 * AVX2 (see docs/performance.md). {@code -Duactn.sgemm.kernel=12x32|8x32|6x32|6x16|4x16|scalar}
 * forces one kernel for experiments.
 */
public final class Sgemm {
    private Sgemm() {}

    static final String KERNEL = chooseKernel();
    /** Preferred and alternative panel heights; both share NR so the packed B is the same. */
    static final int MR;
    static final int MR_ALT;
    static final int NR;
    static final int KC;
    private static final boolean VEC_WRITEBACK;
    private static final int MC_TARGET;
    static final int NC_MAX = 4096;
    /** Upper bound on the packed-B slab (K x NC floats) per task; NC shrinks for very deep K. */
    private static final int PACK_B_BUDGET = 4 << 20;

    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    /** Vectors for scaling whole tile rows into C: as wide as the preferred shape allows, at most NR. */
    private static final VectorSpecies<Float> WB = FloatVector.SPECIES_PREFERRED.length() >= 8
            && FloatVector.SPECIES_PREFERRED.length() <= 32 ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_256;

    static {
        int mr, alt, nr;
        switch (KERNEL) {
            case "12x32" -> { mr = 12; alt = 8; nr = 32; }
            case "8x32" -> { mr = 8; alt = 8; nr = 32; }
            case "6x32" -> { mr = 6; alt = 6; nr = 32; }
            case "6x16" -> { mr = 6; alt = 4; nr = 16; }
            case "4x16" -> { mr = 4; alt = 4; nr = 16; }
            case "scalar" -> { mr = 4; alt = 4; nr = 8; }
            default -> throw new IllegalArgumentException("sgemm: unknown kernel '" + KERNEL + "' (uactn.sgemm.kernel)");
        }
        MR = mr;
        MR_ALT = alt;
        NR = nr;
        KC = Integer.getInteger("uactn.sgemm.kc", 256);
        MC_TARGET = Integer.getInteger("uactn.sgemm.mc", 72);
        VEC_WRITEBACK = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256 && NR % WB.length() == 0;
        if (KC < 1 || MC_TARGET < 1) throw new IllegalArgumentException("sgemm: uactn.sgemm.kc/mc must be >= 1");
    }

    private static String chooseKernel() {
        String k = System.getProperty("uactn.sgemm.kernel");
        if (k != null && !k.isBlank()) return k.trim();
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (bits >= 512) return "12x32";
        if (bits >= 256) return optoRegSchedulingOff() ? "6x16" : "4x16";
        return "scalar";
    }

    private static boolean optoRegSchedulingOff() {
        try {
            var bean = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean != null && "false".equals(bean.getVMOption("OptoRegScheduling").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false; // not HotSpot, or the option is gone: assume the default scheduling
        }
    }

    /** The panel height for an m-row problem: the alternative when the preferred one pads away more than 3%. */
    static int panelRows(int m) {
        if (MR_ALT == MR) return MR;
        int padP = ceilDiv(m, MR) * MR - m, padA = ceilDiv(m, MR_ALT) * MR_ALT - m;
        return padA < padP && padP * 33 > m ? MR_ALT : MR;
    }

    /** Per-thread scratch, grown on demand and reused so steady-state calls do not allocate. */
    private static final class Workspace {
        float[] packA = new float[0];
        float[] packB = new float[0];
        float[] cbuf = new float[0];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /**
     * BLAS-style entry: op(A) is m x k, op(B) is k x n, C is m x n with row stride ldc.
     * Without transposition A is row-major (A[i][p] = a[aOff + i * lda + p]); with it A is stored
     * as its k x m transpose (A[i][p] = a[aOff + p * lda + i]). Likewise for B. beta == 0 ignores
     * the old contents of C (NaNs included).
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("sgemm: negative size m=" + m + " n=" + n + " k=" + k);
        if (lda < Math.max(1, transA ? m : k) || ldb < Math.max(1, transB ? k : n) || ldc < Math.max(1, n))
            throw new IllegalArgumentException("sgemm: leading dimensions lda=" + lda + " ldb=" + ldb + " ldc=" + ldc
                    + " too small for m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB);
        gemmStrided(m, n, k, alpha,
                a, aOff, transA ? 1 : lda, transA ? lda : 1,
                b, bOff, transB ? 1 : ldb, transB ? ldb : 1,
                beta, c, cOff, ldc, 1, true);
    }

    /**
     * Fully strided entry: A[i][p] = a[aOff + i * aRs + p * aCs], B[p][j] = b[bOff + p * bRs + j * bCs],
     * C[i][j] = c[cOff + i * cRs + j * cCs]. Packing is fast when either stride of an operand is 1.
     * With parallel false the call stays on the calling thread (for callers that already split work).
     */
    public static void gemmStrided(int m, int n, int k, float alpha,
                                   float[] a, int aOff, int aRs, int aCs,
                                   float[] b, int bOff, int bRs, int bCs,
                                   float beta, float[] c, int cOff, int cRs, int cCs, boolean parallel) {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, cRs, cCs);
            return;
        }
        if (bRs == 1 && bCs != 1 && aCs == 1 && (long) m < n) {
            // B stored transposed (a linear layer's weight) and the larger operand: packing it as B is a scalar
            // gather, packing it as A of C^T = B^T A^T streams its rows. So compute the transpose instead.
            gemmStrided(n, m, k, alpha, b, bOff, bCs, bRs, a, aOff, aCs, aRs, beta, c, cOff, cCs, cRs, parallel);
            return;
        }
        long flops = (long) m * n * k;
        int threads = parallel ? Parallel.threads() : 1;
        if (flops < 64L * 64 * 64) threads = 1;
        // Split C into disjoint slabs along the longer side, in whole micro-tiles.
        int mr = panelRows(m);
        boolean splitRows = (long) ceilDiv(m, mr) * mr >= (long) ceilDiv(n, NR) * NR;
        int units = splitRows ? ceilDiv(m, mr) : ceilDiv(n, NR);
        int tasks = Math.max(1, Math.min(threads, units));
        PanelSource src = strided(b, bOff, bRs, bCs);
        if (tasks == 1) {
            run(mr, 0, m, 0, n, k, alpha, a, aOff, aRs, aCs, src, beta, c, cOff, cRs, cCs);
            return;
        }
        final int t = tasks;
        Parallel.forRange(t, Math.max(1, flops / t), (s, e) -> {
            for (int q = s; q < e; q++) {
                int u0 = (int) ((long) units * q / t), u1 = (int) ((long) units * (q + 1) / t);
                if (splitRows) {
                    int i0 = u0 * mr, i1 = Math.min(m, u1 * mr);
                    if (i0 < i1) run(mr, i0, i1, 0, n, k, alpha, a, aOff, aRs, aCs, src, beta, c, cOff, cRs, cCs);
                } else {
                    int j0 = u0 * NR, j1 = Math.min(n, u1 * NR);
                    if (j0 < j1) run(mr, 0, m, j0, j1, k, alpha, a, aOff, aRs, aCs, src, beta, c, cOff, cRs, cCs);
                }
            }
        });
    }

    private static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

    /**
     * Where the blocked loop gets op(B)'s panels from when B is not a strided matrix in memory (a
     * convolution's patches, gathered straight from its input): writes rows [0, k) x columns
     * [j0, j0 + nc) of op(B) into dst as NR-wide panels, panel-major, then row, then column, with the
     * last panel's missing columns zeroed (the layout {@link #packB} writes).
     */
    @FunctionalInterface
    interface PanelSource {
        void pack(int k, int j0, int nc, float[] dst);
    }

    /** The panel source of a strided B: B[p][j] = b[bOff + p * bRs + j * bCs]. */
    static PanelSource strided(float[] b, int bOff, int bRs, int bCs) {
        return (k, j0, nc, dst) -> packB(k, nc, b, bOff + j0 * bCs, bRs, bCs, dst);
    }

    /**
     * C (m x n) = alpha * A * B + beta * C on the calling thread, op(B) (k x n) coming from a panel
     * source; A and C as in {@link #gemmStrided}.
     */
    static void gemmPanels(int m, int n, int k, float alpha, float[] a, int aOff, int aRs, int aCs, PanelSource b,
                           float beta, float[] c, int cOff, int cRs, int cCs) {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, cRs, cCs);
            return;
        }
        run(panelRows(m), 0, m, 0, n, k, alpha, a, aOff, aRs, aCs, b, beta, c, cOff, cRs, cCs);
    }

    /**
     * op(A) packed once into the panel layout the blocked loop reads, so that many GEMMs sharing A (a
     * convolution's weights against every block of images) skip re-packing it. Block (ic, pc) of the
     * MC x KC blocking sits at ic * k + pc * (its rows rounded up to mr).
     */
    static final class PackedA {
        final int m, k, mr, mcBlock;
        final float[] data;

        private PackedA(int m, int k, int mr, int mcBlock, float[] data) {
            this.m = m;
            this.k = k;
            this.mr = mr;
            this.mcBlock = mcBlock;
            this.data = data;
        }
    }

    /** Floats a packed m x k operand needs (for callers that keep the buffer). */
    static int packedSize(int m, int k) {
        int mr = panelRows(m);
        return ceilDiv(m, mr) * mr * k;
    }

    /**
     * Packs op(A) (A[i][p] = a[off + i * rs + p * cs], m x k) into dst (at least packedSize(m, k)
     * floats, reused by the caller), spreading the MC blocks over the workers.
     */
    static PackedA pack(int m, int k, float[] a, int off, int rs, int cs, float[] dst) {
        int mr = panelRows(m);
        int mcBlock = Math.max(mr, MC_TARGET / mr * mr);
        if (dst.length < packedSize(m, k))
            throw new IllegalArgumentException("sgemm: pack buffer of " + dst.length + " floats, need " + packedSize(m, k));
        int blocks = ceilDiv(m, mcBlock);
        Parallel.forRange(blocks, (long) mcBlock * k, (s, e) -> {
            for (int bi = s; bi < e; bi++) {
                int ic = bi * mcBlock, mc = Math.min(mcBlock, m - ic), mcP = ceilDiv(mc, mr) * mr;
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    packA(mr, mc, kc, a, off + ic * rs + pc * cs, rs, cs, dst, ic * k + pc * mcP);
                }
            }
        });
        return new PackedA(m, k, mr, mcBlock, dst);
    }

    /**
     * C (pa.m x n) = alpha * A * B + beta * C with A pre-packed; B[p][j] = b[bOff + p * bRs + j * bCs],
     * C[i][j] = c[cOff + i * cRs + j * cCs]. The columns are split over the workers in whole panels
     * (each packs only its own part of B), so every element is summed in the same order whatever the
     * thread count.
     */
    static void gemmPacked(PackedA pa, int n, float alpha, float[] b, int bOff, int bRs, int bCs,
                           float beta, float[] c, int cOff, int cRs, int cCs, boolean parallel) {
        int m = pa.m, k = pa.k;
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, cRs, cCs);
            return;
        }
        long flops = (long) m * n * k;
        int threads = parallel ? Parallel.threads() : 1;
        if (flops < 64L * 64 * 64) threads = 1;
        int units = ceilDiv(n, NR);
        int tasks = Math.max(1, Math.min(threads, units));
        if (tasks == 1) {
            runPacked(pa, 0, n, alpha, b, bOff, bRs, bCs, beta, c, cOff, cRs, cCs);
            return;
        }
        Parallel.forRange(tasks, Math.max(1, flops / tasks), (s, e) -> {
            for (int q = s; q < e; q++) {
                int j0 = (int) ((long) units * q / tasks) * NR, j1 = Math.min(n, (int) ((long) units * (q + 1) / tasks) * NR);
                if (j0 < j1) runPacked(pa, j0, j1, alpha, b, bOff, bRs, bCs, beta, c, cOff, cRs, cCs);
            }
        });
    }

    /** The blocked loop of run() over columns [j0, j1), reading A's panels from pa. */
    private static void runPacked(PackedA pa, int j0, int j1, float alpha, float[] b, int bOff, int bRs, int bCs,
                                  float beta, float[] c, int cOff, int cRs, int cCs) {
        Workspace ws = WORKSPACE.get();
        int m = pa.m, k = pa.k, mr = pa.mr, mcBlock = pa.mcBlock;
        int ncMax = Math.max(NR, Math.min(NC_MAX, PACK_B_BUDGET / Math.max(1, k)) / NR * NR);
        int nc0 = Math.min(ncMax, ceilDiv(j1 - j0, NR) * NR);
        if (ws.packB.length < k * nc0) ws.packB = new float[k * nc0];
        if (ws.cbuf.length < mcBlock * nc0) ws.cbuf = new float[mcBlock * nc0];
        float[] packA = pa.data, packB = ws.packB, cbuf = ws.cbuf;
        for (int jc = j0; jc < j1; jc += ncMax) {
            int nc = Math.min(ncMax, j1 - jc);
            int nPanels = ceilDiv(nc, NR);
            packB(k, nc, b, bOff + jc * bCs, bRs, bCs, packB);
            for (int ic = 0; ic < m; ic += mcBlock) {
                int mc = Math.min(mcBlock, m - ic);
                int mPanels = ceilDiv(mc, mr), mcP = mPanels * mr;
                java.util.Arrays.fill(cbuf, 0, mcP * nPanels * NR, 0f);
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    int ao = ic * k + pc * mcP;
                    for (int jr = 0; jr < nPanels; jr++) {
                        int bo = jr * k * NR + pc * NR;
                        int co = jr * mPanels * mr * NR;
                        for (int ir = 0; ir < mPanels; ir++) {
                            kernel(mr, kc, packA, ao + ir * kc * mr, packB, bo, cbuf, co + ir * mr * NR);
                        }
                    }
                }
                writeBack(mr, mc, nc, mPanels, nPanels, alpha, beta, cbuf, c, cOff + ic * cRs + jc * cCs, cRs, cCs);
            }
        }
    }


    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int cRs, int cCs) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * cRs;
            for (int j = 0; j < n; j++) {
                int idx = row + j * cCs;
                c[idx] = beta == 0f ? 0f : beta * c[idx];
            }
        }
    }

    /** Sequential blocked GEMM over the C block rows [i0, i1) x columns [j0, j1). */
    private static void run(int mr, int i0, int i1, int j0, int j1, int k, float alpha,
                            float[] a, int aOff, int aRs, int aCs, PanelSource b,
                            float beta, float[] c, int cOff, int cRs, int cCs) {
        Workspace ws = WORKSPACE.get();
        int mcBlock = Math.max(mr, MC_TARGET / mr * mr); // a multiple of mr: panels never straddle two blocks
        int ncMax = Math.max(NR, Math.min(NC_MAX, PACK_B_BUDGET / Math.max(1, k)) / NR * NR);
        int nSpan = j1 - j0;
        int nc0 = Math.min(ncMax, ceilDiv(nSpan, NR) * NR);
        int kcMax = Math.min(KC, k);
        if (ws.packB.length < k * nc0) ws.packB = new float[k * nc0];
        if (ws.packA.length < mcBlock * kcMax) ws.packA = new float[mcBlock * kcMax];
        if (ws.cbuf.length < mcBlock * nc0) ws.cbuf = new float[mcBlock * nc0];
        float[] packA = ws.packA, packB = ws.packB, cbuf = ws.cbuf;

        for (int jc = j0; jc < j1; jc += ncMax) {
            int nc = Math.min(ncMax, j1 - jc);
            int nPanels = ceilDiv(nc, NR);
            b.pack(k, jc, nc, packB);
            for (int ic = i0; ic < i1; ic += mcBlock) {
                int mc = Math.min(mcBlock, i1 - ic);
                int mPanels = ceilDiv(mc, mr);
                // The micro-kernels always add into the tile buffer: a branch on "first K block" would be
                // pruned by C2 while shapes have a single K block and deoptimise (to the interpreter's
                // very slow Vector API) when a deeper problem arrives.
                java.util.Arrays.fill(cbuf, 0, mPanels * mr * nPanels * NR, 0f);
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    packA(mr, mc, kc, a, aOff + ic * aRs + pc * aCs, aRs, aCs, packA);
                    for (int jr = 0; jr < nPanels; jr++) {
                        int bo = jr * k * NR + pc * NR;
                        int co = jr * mPanels * mr * NR;
                        for (int ir = 0; ir < mPanels; ir++) {
                            kernel(mr, kc, packA, ir * kc * mr, packB, bo, cbuf, co + ir * mr * NR);
                        }
                    }
                }
                writeBack(mr, mc, nc, mPanels, nPanels, alpha, beta, cbuf, c, cOff + ic * cRs + jc * cCs, cRs, cCs);
            }
        }
    }

    private static void kernel(int mr, int kc, float[] a, int ao, float[] b, int bo, float[] c, int co) {
        if (NR == 32) {
            if (mr == 12) kernel12x32(kc, a, ao, b, bo, c, co);
            else if (mr == 8) kernel8x32(kc, a, ao, b, bo, c, co);
            else kernel6x32(kc, a, ao, b, bo, c, co);
        } else if (NR == 16) {
            if (mr == 6) kernel6x16(kc, a, ao, b, bo, c, co);
            else kernel4x16(kc, a, ao, b, bo, c, co);
        } else {
            kernelScalar(kc, a, ao, b, bo, c, co);
        }
    }

    /** Packs op(B)[0..k) x [0..nc) into NR-wide panels, panel-major then k then column; zero-pads the last panel. */
    static void packB(int k, int nc, float[] b, int off, int rs, int cs, float[] dst) {
        int nFull = nc / NR;
        if (cs == 1) {
            // Row-contiguous B: each k row of a panel is one contiguous vector copy.
            for (int jp = 0; jp < nFull; jp++) {
                int d = jp * k * NR;
                int src = off + jp * NR;
                if (NR == 16) {
                    for (int p = 0; p < k; p++, d += 16, src += rs) {
                        FloatVector.fromArray(S256, b, src).intoArray(dst, d);
                        FloatVector.fromArray(S256, b, src + 8).intoArray(dst, d + 8);
                    }
                } else if (NR == 32) {
                    for (int p = 0; p < k; p++, d += 32, src += rs) {
                        FloatVector.fromArray(S512, b, src).intoArray(dst, d);
                        FloatVector.fromArray(S512, b, src + 16).intoArray(dst, d + 16);
                    }
                } else {
                    for (int p = 0; p < k; p++, d += NR, src += rs) System.arraycopy(b, src, dst, d, NR);
                }
            }
        } else {
            // Column-contiguous (transposed) or general B: read each column sequentially, scatter into the panel.
            for (int jp = 0; jp < nFull; jp++) {
                int d = jp * k * NR;
                for (int jj = 0; jj < NR; jj++) {
                    int src = off + (jp * NR + jj) * cs;
                    for (int p = 0; p < k; p++) dst[d + p * NR + jj] = b[src + p * rs];
                }
            }
        }
        int rem = nc - nFull * NR;
        if (rem > 0) {
            int d = nFull * k * NR;
            for (int p = 0; p < k; p++) {
                int row = off + p * rs + nFull * NR * cs;
                int dd = d + p * NR;
                for (int jj = 0; jj < rem; jj++) dst[dd + jj] = b[row + jj * cs];
                for (int jj = rem; jj < NR; jj++) dst[dd + jj] = 0f;
            }
        }
    }

    /** Packs op(A)[0..mc) x [0..kc) into mr-tall panels (panel-major, then k, then row); zero-pads the last panel. */
    static void packA(int mr, int mc, int kc, float[] a, int off, int rs, int cs, float[] dst) {
        packA(mr, mc, kc, a, off, rs, cs, dst, 0);
    }

    /** packA writing at dst[dOff ..). */
    static void packA(int mr, int mc, int kc, float[] a, int off, int rs, int cs, float[] dst, int dOff) {
        int mFull = mc / mr;
        for (int ip = 0; ip < mFull; ip++) {
            int d = dOff + ip * kc * mr;
            int base = off + ip * mr * rs;
            if (cs == 1) {
                packRows(mr, kc, a, base, rs, dst, d);
            } else if (rs == 1) {
                for (int p = 0; p < kc; p++) System.arraycopy(a, base + p * cs, dst, d + p * mr, mr);
            } else {
                for (int p = 0; p < kc; p++)
                    for (int r = 0; r < mr; r++) dst[d + p * mr + r] = a[base + r * rs + p * cs];
            }
        }
        int rem = mc - mFull * mr;
        if (rem > 0) {
            int d = dOff + mFull * kc * mr;
            int base = off + mFull * mr * rs;
            for (int p = 0; p < kc; p++) {
                int dd = d + p * mr;
                for (int r = 0; r < rem; r++) dst[dd + r] = a[base + r * rs + p * cs];
                for (int r = rem; r < mr; r++) dst[dd + r] = 0f;
            }
        }
    }

    /**
     * One full panel of a row-major A (rows base + r * rs, r < mr): mr sequential read streams, written in order
     * (twice as fast here as one row at a time with stride-mr stores, for the 8- and 12-row panels).
     */
    private static void packRows(int mr, int kc, float[] a, int base, int rs, float[] dst, int d) {
        if (mr == 12) {
            int s0 = base, s1 = s0 + rs, s2 = s1 + rs, s3 = s2 + rs, s4 = s3 + rs, s5 = s4 + rs;
            int s6 = s5 + rs, s7 = s6 + rs, s8 = s7 + rs, s9 = s8 + rs, s10 = s9 + rs, s11 = s10 + rs;
            for (int p = 0; p < kc; p++, d += 12) {
                dst[d] = a[s0 + p]; dst[d + 1] = a[s1 + p]; dst[d + 2] = a[s2 + p]; dst[d + 3] = a[s3 + p];
                dst[d + 4] = a[s4 + p]; dst[d + 5] = a[s5 + p]; dst[d + 6] = a[s6 + p]; dst[d + 7] = a[s7 + p];
                dst[d + 8] = a[s8 + p]; dst[d + 9] = a[s9 + p]; dst[d + 10] = a[s10 + p]; dst[d + 11] = a[s11 + p];
            }
        } else if (mr == 8) {
            int s0 = base, s1 = s0 + rs, s2 = s1 + rs, s3 = s2 + rs, s4 = s3 + rs, s5 = s4 + rs, s6 = s5 + rs, s7 = s6 + rs;
            for (int p = 0; p < kc; p++, d += 8) {
                dst[d] = a[s0 + p]; dst[d + 1] = a[s1 + p]; dst[d + 2] = a[s2 + p]; dst[d + 3] = a[s3 + p];
                dst[d + 4] = a[s4 + p]; dst[d + 5] = a[s5 + p]; dst[d + 6] = a[s6 + p]; dst[d + 7] = a[s7 + p];
            }
        } else {
            for (int p = 0; p < kc; p++)
                for (int r = 0; r < mr; r++) dst[d + p * mr + r] = a[base + r * rs + p];
        }
    }

    /** C block = alpha * buffer + beta * C block, copying only the valid part of the padded tiles. */
    private static void writeBack(int mr, int mc, int nc, int mPanels, int nPanels, float alpha, float beta,
                                  float[] buf, float[] c, int off, int rs, int cs) {
        for (int jr = 0; jr < nPanels; jr++) {
            int nn = Math.min(NR, nc - jr * NR);
            for (int ir = 0; ir < mPanels; ir++) {
                int mm = Math.min(mr, mc - ir * mr);
                int t = (jr * mPanels + ir) * mr * NR;
                for (int r = 0; r < mm; r++) {
                    int row = off + (ir * mr + r) * rs + jr * NR * cs;
                    int br = t + r * NR;
                    if (cs == 1) {
                        int j = 0;
                        if (nn == NR && VEC_WRITEBACK) {
                            FloatVector va = FloatVector.broadcast(WB, alpha);
                            for (; j < NR; j += WB.length()) {
                                FloatVector v = FloatVector.fromArray(WB, buf, br + j).mul(va);
                                if (beta != 0f) v = FloatVector.fromArray(WB, c, row + j).fma(FloatVector.broadcast(WB, beta), v);
                                v.intoArray(c, row + j);
                            }
                        }
                        if (beta == 0f) {
                            for (; j < nn; j++) c[row + j] = alpha * buf[br + j];
                        } else {
                            for (; j < nn; j++) c[row + j] = alpha * buf[br + j] + beta * c[row + j];
                        }
                    } else {
                        for (int j = 0; j < nn; j++) {
                            int idx = row + j * cs;
                            c[idx] = beta == 0f ? alpha * buf[br + j] : alpha * buf[br + j] + beta * c[idx];
                        }
                    }
                }
            }
        }
    }

    // ---- micro-kernels: A panel is [k][MR], B panel is [k][NR], the C tile is [MR][NR] ----

    private static void kernel6x16(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co) {
        VectorSpecies<Float> s = S256;
        FloatVector z = FloatVector.zero(s);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * 16, ai = ao + p * 6;
            FloatVector b0 = FloatVector.fromArray(s, b, bi);
            FloatVector b1 = FloatVector.fromArray(s, b, bi + 8);
            FloatVector x = FloatVector.broadcast(s, a[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(s, a[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(s, a[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(s, a[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(s, a[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(s, a[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        c00 = c00.add(FloatVector.fromArray(s, c, co)); c01 = c01.add(FloatVector.fromArray(s, c, co + 8));
        c10 = c10.add(FloatVector.fromArray(s, c, co + 16)); c11 = c11.add(FloatVector.fromArray(s, c, co + 24));
        c20 = c20.add(FloatVector.fromArray(s, c, co + 32)); c21 = c21.add(FloatVector.fromArray(s, c, co + 40));
        c30 = c30.add(FloatVector.fromArray(s, c, co + 48)); c31 = c31.add(FloatVector.fromArray(s, c, co + 56));
        c40 = c40.add(FloatVector.fromArray(s, c, co + 64)); c41 = c41.add(FloatVector.fromArray(s, c, co + 72));
        c50 = c50.add(FloatVector.fromArray(s, c, co + 80)); c51 = c51.add(FloatVector.fromArray(s, c, co + 88));
        c00.intoArray(c, co); c01.intoArray(c, co + 8);
        c10.intoArray(c, co + 16); c11.intoArray(c, co + 24);
        c20.intoArray(c, co + 32); c21.intoArray(c, co + 40);
        c30.intoArray(c, co + 48); c31.intoArray(c, co + 56);
        c40.intoArray(c, co + 64); c41.intoArray(c, co + 72);
        c50.intoArray(c, co + 80); c51.intoArray(c, co + 88);
    }

    private static void kernel4x16(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co) {
        VectorSpecies<Float> s = S256;
        FloatVector z = FloatVector.zero(s);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * 16, ai = ao + p * 4;
            FloatVector b0 = FloatVector.fromArray(s, b, bi);
            FloatVector b1 = FloatVector.fromArray(s, b, bi + 8);
            FloatVector x = FloatVector.broadcast(s, a[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(s, a[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(s, a[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(s, a[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
        }
        c00 = c00.add(FloatVector.fromArray(s, c, co)); c01 = c01.add(FloatVector.fromArray(s, c, co + 8));
        c10 = c10.add(FloatVector.fromArray(s, c, co + 16)); c11 = c11.add(FloatVector.fromArray(s, c, co + 24));
        c20 = c20.add(FloatVector.fromArray(s, c, co + 32)); c21 = c21.add(FloatVector.fromArray(s, c, co + 40));
        c30 = c30.add(FloatVector.fromArray(s, c, co + 48)); c31 = c31.add(FloatVector.fromArray(s, c, co + 56));
        c00.intoArray(c, co); c01.intoArray(c, co + 8);
        c10.intoArray(c, co + 16); c11.intoArray(c, co + 24);
        c20.intoArray(c, co + 32); c21.intoArray(c, co + 40);
        c30.intoArray(c, co + 48); c31.intoArray(c, co + 56);
    }

    private static void kernel6x32(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co) {
        VectorSpecies<Float> s = S512;
        FloatVector z = FloatVector.zero(s);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * 32, ai = ao + p * 6;
            FloatVector b0 = FloatVector.fromArray(s, b, bi);
            FloatVector b1 = FloatVector.fromArray(s, b, bi + 16);
            FloatVector x = FloatVector.broadcast(s, a[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(s, a[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(s, a[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(s, a[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(s, a[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(s, a[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
        }
        c00 = c00.add(FloatVector.fromArray(s, c, co)); c01 = c01.add(FloatVector.fromArray(s, c, co + 16));
        c10 = c10.add(FloatVector.fromArray(s, c, co + 32)); c11 = c11.add(FloatVector.fromArray(s, c, co + 48));
        c20 = c20.add(FloatVector.fromArray(s, c, co + 64)); c21 = c21.add(FloatVector.fromArray(s, c, co + 80));
        c30 = c30.add(FloatVector.fromArray(s, c, co + 96)); c31 = c31.add(FloatVector.fromArray(s, c, co + 112));
        c40 = c40.add(FloatVector.fromArray(s, c, co + 128)); c41 = c41.add(FloatVector.fromArray(s, c, co + 144));
        c50 = c50.add(FloatVector.fromArray(s, c, co + 160)); c51 = c51.add(FloatVector.fromArray(s, c, co + 176));
        c00.intoArray(c, co); c01.intoArray(c, co + 16);
        c10.intoArray(c, co + 32); c11.intoArray(c, co + 48);
        c20.intoArray(c, co + 64); c21.intoArray(c, co + 80);
        c30.intoArray(c, co + 96); c31.intoArray(c, co + 112);
        c40.intoArray(c, co + 128); c41.intoArray(c, co + 144);
        c50.intoArray(c, co + 160); c51.intoArray(c, co + 176);
    }

    private static void kernel8x32(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co) {
        VectorSpecies<Float> s = S512;
        FloatVector z = FloatVector.zero(s);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * 32, ai = ao + p * 8;
            FloatVector b0 = FloatVector.fromArray(s, b, bi);
            FloatVector b1 = FloatVector.fromArray(s, b, bi + 16);
            FloatVector x = FloatVector.broadcast(s, a[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(s, a[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(s, a[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(s, a[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(s, a[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(s, a[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(s, a[ai + 6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(s, a[ai + 7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        c00 = c00.add(FloatVector.fromArray(s, c, co)); c01 = c01.add(FloatVector.fromArray(s, c, co + 16));
        c10 = c10.add(FloatVector.fromArray(s, c, co + 32)); c11 = c11.add(FloatVector.fromArray(s, c, co + 48));
        c20 = c20.add(FloatVector.fromArray(s, c, co + 64)); c21 = c21.add(FloatVector.fromArray(s, c, co + 80));
        c30 = c30.add(FloatVector.fromArray(s, c, co + 96)); c31 = c31.add(FloatVector.fromArray(s, c, co + 112));
        c40 = c40.add(FloatVector.fromArray(s, c, co + 128)); c41 = c41.add(FloatVector.fromArray(s, c, co + 144));
        c50 = c50.add(FloatVector.fromArray(s, c, co + 160)); c51 = c51.add(FloatVector.fromArray(s, c, co + 176));
        c60 = c60.add(FloatVector.fromArray(s, c, co + 192)); c61 = c61.add(FloatVector.fromArray(s, c, co + 208));
        c70 = c70.add(FloatVector.fromArray(s, c, co + 224)); c71 = c71.add(FloatVector.fromArray(s, c, co + 240));
        c00.intoArray(c, co); c01.intoArray(c, co + 16);
        c10.intoArray(c, co + 32); c11.intoArray(c, co + 48);
        c20.intoArray(c, co + 64); c21.intoArray(c, co + 80);
        c30.intoArray(c, co + 96); c31.intoArray(c, co + 112);
        c40.intoArray(c, co + 128); c41.intoArray(c, co + 144);
        c50.intoArray(c, co + 160); c51.intoArray(c, co + 176);
        c60.intoArray(c, co + 192); c61.intoArray(c, co + 208);
        c70.intoArray(c, co + 224); c71.intoArray(c, co + 240);
    }

    private static void kernel12x32(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co) {
        VectorSpecies<Float> s = S512;
        FloatVector z = FloatVector.zero(s);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        FloatVector c80 = z, c81 = z, c90 = z, c91 = z, ca0 = z, ca1 = z, cb0 = z, cb1 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * 32, ai = ao + p * 12;
            FloatVector b0 = FloatVector.fromArray(s, b, bi);
            FloatVector b1 = FloatVector.fromArray(s, b, bi + 16);
            FloatVector x = FloatVector.broadcast(s, a[ai]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(s, a[ai + 1]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(s, a[ai + 2]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(s, a[ai + 3]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(s, a[ai + 4]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(s, a[ai + 5]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(s, a[ai + 6]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(s, a[ai + 7]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
            x = FloatVector.broadcast(s, a[ai + 8]);
            c80 = x.fma(b0, c80); c81 = x.fma(b1, c81);
            x = FloatVector.broadcast(s, a[ai + 9]);
            c90 = x.fma(b0, c90); c91 = x.fma(b1, c91);
            x = FloatVector.broadcast(s, a[ai + 10]);
            ca0 = x.fma(b0, ca0); ca1 = x.fma(b1, ca1);
            x = FloatVector.broadcast(s, a[ai + 11]);
            cb0 = x.fma(b0, cb0); cb1 = x.fma(b1, cb1);
        }
        c00 = c00.add(FloatVector.fromArray(s, c, co)); c01 = c01.add(FloatVector.fromArray(s, c, co + 16));
        c10 = c10.add(FloatVector.fromArray(s, c, co + 32)); c11 = c11.add(FloatVector.fromArray(s, c, co + 48));
        c20 = c20.add(FloatVector.fromArray(s, c, co + 64)); c21 = c21.add(FloatVector.fromArray(s, c, co + 80));
        c30 = c30.add(FloatVector.fromArray(s, c, co + 96)); c31 = c31.add(FloatVector.fromArray(s, c, co + 112));
        c40 = c40.add(FloatVector.fromArray(s, c, co + 128)); c41 = c41.add(FloatVector.fromArray(s, c, co + 144));
        c50 = c50.add(FloatVector.fromArray(s, c, co + 160)); c51 = c51.add(FloatVector.fromArray(s, c, co + 176));
        c60 = c60.add(FloatVector.fromArray(s, c, co + 192)); c61 = c61.add(FloatVector.fromArray(s, c, co + 208));
        c70 = c70.add(FloatVector.fromArray(s, c, co + 224)); c71 = c71.add(FloatVector.fromArray(s, c, co + 240));
        c80 = c80.add(FloatVector.fromArray(s, c, co + 256)); c81 = c81.add(FloatVector.fromArray(s, c, co + 272));
        c90 = c90.add(FloatVector.fromArray(s, c, co + 288)); c91 = c91.add(FloatVector.fromArray(s, c, co + 304));
        ca0 = ca0.add(FloatVector.fromArray(s, c, co + 320)); ca1 = ca1.add(FloatVector.fromArray(s, c, co + 336));
        cb0 = cb0.add(FloatVector.fromArray(s, c, co + 352)); cb1 = cb1.add(FloatVector.fromArray(s, c, co + 368));
        c00.intoArray(c, co); c01.intoArray(c, co + 16);
        c10.intoArray(c, co + 32); c11.intoArray(c, co + 48);
        c20.intoArray(c, co + 64); c21.intoArray(c, co + 80);
        c30.intoArray(c, co + 96); c31.intoArray(c, co + 112);
        c40.intoArray(c, co + 128); c41.intoArray(c, co + 144);
        c50.intoArray(c, co + 160); c51.intoArray(c, co + 176);
        c60.intoArray(c, co + 192); c61.intoArray(c, co + 208);
        c70.intoArray(c, co + 224); c71.intoArray(c, co + 240);
        c80.intoArray(c, co + 256); c81.intoArray(c, co + 272);
        c90.intoArray(c, co + 288); c91.intoArray(c, co + 304);
        ca0.intoArray(c, co + 320); ca1.intoArray(c, co + 336);
        cb0.intoArray(c, co + 352); cb1.intoArray(c, co + 368);
    }

    /** Fallback for machines without 256-bit vectors: plain loops over a 4 x 8 tile. */
    private static void kernelScalar(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co) {
        for (int p = 0; p < kc; p++) {
            for (int r = 0; r < 4; r++) {
                float x = a[ao + p * 4 + r];
                for (int j = 0; j < 8; j++) c[co + r * 8 + j] += x * b[bo + p * 8 + j];
            }
        }
    }
}
