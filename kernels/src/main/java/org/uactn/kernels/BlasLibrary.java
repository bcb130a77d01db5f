// The GEMM library the CUDA backend hands matrix products to: JCublas2 (cuBLAS 12 through JCuda) or
// cuBLAS 13/12 bound through FFM; without either the backend runs its own tiled kernels.
package org.uactn.kernels;

/** One cuBLAS handle on the backend's context and stream; callers serialise calls (synchronized on it). */
interface BlasLibrary {
    /** cublasOperation_t values (the same in every cuBLAS version). */
    int OP_N = 0, OP_T = 1;

    /** Short name of the binding path, as `uactn info` and docs/gpu-validation.md name it. */
    String path();

    /** The library version, file and binding. */
    String describe();

    /** TF32 tensor-core math for float32 products (off by default). */
    void setTf32(boolean on);

    /** Column-major C = alpha op(A) op(B) + beta C for a strided batch; pointers are device addresses. */
    void gemm(boolean f64, int transA, int transB, int m, int n, int k, double alpha, long a, int lda, long strideA,
              long b, int ldb, long strideB, double beta, long c, int ldc, long strideC, int batch);
}
