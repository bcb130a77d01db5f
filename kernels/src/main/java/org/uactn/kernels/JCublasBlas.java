// cuBLAS 12 through JCublas2 (JCuda 12.6.0), used where libcublas.so.12 and JCublas2's native library
// both load; the handle shares the backend's primary context and its (legacy default) stream.
package org.uactn.kernels;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.runtime.cudaStream_t;

import java.util.List;

/**
 * Nothing here touches a JCuda class before {@link #start} has found libcublas.so.12 with every
 * symbol we call (JCublas2's native library binds lazily: a missing function kills the JVM at its
 * first call) and loaded it, so JCublas2's dependency resolves by soname from our search folders.
 */
final class JCublasBlas implements BlasLibrary {
    /** What JCublas2 will call for us (the _v2 names are what cublas_v2.h maps to). */
    static final List<String> SYMBOLS = List.of("cublasCreate_v2", "cublasSetStream_v2", "cublasSetMathMode",
            "cublasGetVersion_v2", "cublasSgemmStridedBatched", "cublasDgemmStridedBatched");

    private final cublasHandle handle = new cublasHandle();
    private final String description;
    private int mathMode = -1;

    private JCublasBlas(CudaLibraries.Loaded lib) {
        JCublas2.setExceptionsEnabled(false);
        check(JCublas2.cublasCreate(handle), "cublasCreate_v2");
        // The backend queues all work on the legacy default stream (a null CUstream in CudaContext);
        // an empty cudaStream_t is that stream. A backend stream would be passed as new cudaStream_t(CUstream).
        check(JCublas2.cublasSetStream(handle, new cudaStream_t()), "cublasSetStream_v2");
        int[] v = new int[1];
        check(JCublas2.cublasGetVersion(handle, v), "cublasGetVersion_v2");
        description = "cuBLAS " + v[0] / 10000 + "." + (v[0] / 100) % 100 + "." + v[0] % 100 + " (" + lib.origin()
                + ", JCublas2 " + jcuda.JCudaVersion.get() + ")";
    }

    /**
     * Finds libcublas.so.12 (FFM, symbol check), loads JCublas2's native library, creates a handle on the
     * current context. Null, with the reason in {@code why}, when any step fails.
     */
    static JCublasBlas start(StringBuilder why) {
        if (CudaBackend.disabled("uactn.cuda.nojcublas", "UACTN_NO_JCUBLAS")) {
            why.append("disabled by uactn.cuda.nojcublas / UACTN_NO_JCUBLAS");
            return null;
        }
        CudaLibraries.preloadFromFolders("libcublasLt.so.12");
        var lib = CudaLibraries.load(List.of("libcublas.so.12"), SYMBOLS, why);
        if (lib.isEmpty()) return null;
        if (!JCudaNatives.load("JCublas2", null, null, JCublas2::initialize, why)) return null;
        try {
            return new JCublasBlas(lib.get());
        } catch (IllegalStateException e) {
            why.append(e.getMessage());
            return null;
        }
    }

    @Override public String path() { return "JCublas2"; }

    @Override public String describe() { return description; }

    @Override
    public void setTf32(boolean on) {
        int mode = on ? Cublas.TF32_TENSOR_OP_MATH : Cublas.DEFAULT_MATH;
        if (mode == mathMode) return;
        check(JCublas2.cublasSetMathMode(handle, mode), "cublasSetMathMode");
        mathMode = mode;
    }

    @Override
    public void gemm(boolean f64, int transA, int transB, int m, int n, int k, double alpha, long a, int lda, long strideA,
                     long b, int ldb, long strideB, double beta, long c, int ldc, long strideC, int batch) {
        int rc;
        if (f64) {
            rc = JCublas2.cublasDgemmStridedBatched(handle, transA, transB, m, n, k, Pointer.to(new double[] {alpha}),
                    dev(a), lda, strideA, dev(b), ldb, strideB, Pointer.to(new double[] {beta}), dev(c), ldc, strideC, batch);
        } else {
            rc = JCublas2.cublasSgemmStridedBatched(handle, transA, transB, m, n, k, Pointer.to(new float[] {(float) alpha}),
                    dev(a), lda, strideA, dev(b), ldb, strideB, Pointer.to(new float[] {(float) beta}), dev(c), ldc, strideC, batch);
        }
        check(rc, f64 ? "cublasDgemmStridedBatched" : "cublasSgemmStridedBatched");
    }

    /** A JCuda pointer object for a raw device address (JCuda adds the offset to a null base). */
    private static Pointer dev(long address) {
        return new CUdeviceptr().withByteOffset(address);
    }

    private static void check(int status, String what) {
        if (status != 0) throw new IllegalStateException(what + " failed with cublasStatus " + status + " (JCublas2)");
    }
}
