// CPU kernels: batched matrix products, handed to the packed GEMMs straight from the tensors' strides
// (row-major, transposed or broadcast operands are packed in place, never copied first).
package org.uactn.core.backend.cpu;

import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

/** CPU kernels: batched matrix products. */
final class MatmulKernels {
    private MatmulKernels() {}

    /** Below this many multiply-adds per matrix, batches are spread over threads instead of each GEMM. */
    private static final long SMALL_GEMM = 1L << 21;

    static void matmul(Tensor a, Tensor b, Tensor out) {
        int[] as = a.shape(), bs = b.shape(), os = out.shape();
        if (as.length != 3 || bs.length != 3 || os.length != 3 || as[0] != bs[0] || as[0] != os[0]
                || as[2] != bs[1] || os[1] != as[1] || os[2] != bs[2]) {
            throw new IllegalArgumentException("matmul kernel: expected a [B, M, K], b [B, K, N], out [B, M, N], got a "
                    + Shapes.str(as) + ", b " + Shapes.str(bs) + ", out " + Shapes.str(os));
        }
        DType dt = out.dtype();
        if (a.dtype() != dt || b.dtype() != dt || (dt != DType.FLOAT32 && dt != DType.FLOAT64)) {
            throw new IllegalArgumentException("matmul kernel: expected matching float32 or float64 tensors, got a "
                    + a.dtype() + ", b " + b.dtype() + ", out " + dt);
        }
        int batch = as[0], m = as[1], k = as[2], n = bs[2];
        if (batch == 0 || m == 0 || n == 0) return;
        int[] sa = a.strides(), sb = b.strides(), so = out.strides();
        Object aa = ((CpuStorage) a.storage()).array(), ba = ((CpuStorage) b.storage()).array();
        Object oa = ((CpuStorage) out.storage()).array();
        int ao = a.offset(), bo = b.offset(), oo = out.offset();
        long perMatrix = (long) m * n * Math.max(k, 1);
        boolean acrossBatch = batch > 1 && perMatrix < SMALL_GEMM && Parallel.threads() > 1;
        if (acrossBatch) {
            Parallel.forRange(batch, perMatrix, (s, e) -> {
                for (int i = s; i < e; i++) one(dt, m, n, k, aa, ao + i * sa[0], sa, ba, bo + i * sb[0], sb, oa, oo + i * so[0], so, false);
            });
        } else {
            for (int i = 0; i < batch; i++) one(dt, m, n, k, aa, ao + i * sa[0], sa, ba, bo + i * sb[0], sb, oa, oo + i * so[0], so, true);
        }
    }

    private static void one(DType dt, int m, int n, int k, Object a, int aOff, int[] sa, Object b, int bOff, int[] sb,
                            Object o, int oOff, int[] so, boolean parallel) {
        if (dt == DType.FLOAT32) {
            Sgemm.gemmStrided(m, n, k, 1f, (float[]) a, aOff, sa[1], sa[2], (float[]) b, bOff, sb[1], sb[2],
                    0f, (float[]) o, oOff, so[1], so[2], parallel);
        } else {
            Dgemm.gemmStrided(m, n, k, 1.0, (double[]) a, aOff, sa[1], sa[2], (double[]) b, bOff, sb[1], sb[2],
                    0.0, (double[]) o, oOff, so[1], so[2], parallel);
        }
    }
}
