// The convolution library the CUDA backend hands 2-D convolutions to: JCudnn (cuDNN 8) or cuDNN 9
// bound through FFM; without either the backend runs its own im2col + GEMM kernels.
package org.uactn.kernels;

import org.uactn.core.backend.Conv2dParams;

/**
 * Forward, backward-data and backward-filter of a 2-D convolution (NCHW, groups, dilation), float32
 * or float64. A call throws IllegalStateException when the library rejects a geometry; the backend
 * then runs its own kernels for that call. Callers serialise calls (synchronized on the library).
 */
interface DnnLibrary {
    /** Short name of the binding path, as `uactn info` and docs/gpu-validation.md name it. */
    String path();

    /** The library version, file and binding. */
    String describe();

    /** Lets cuDNN pick TF32 tensor-core algorithms for float32 (off by default). */
    void setTf32(boolean on);

    void forward(CudaBackend.ConvShape s, Conv2dParams p, long x, long w, long y);

    /** Adds the input gradient into dx (beta = 1: dx arrives zero-filled, as the backend contract says). */
    void backwardData(CudaBackend.ConvShape s, Conv2dParams p, long w, long dy, long dx);

    /** Adds the weight gradient into dw (beta = 1, as for dx). */
    void backwardFilter(CudaBackend.ConvShape s, Conv2dParams p, long x, long dy, long dw);
}
