// cuDNN 8 through JCudnn 11.7.0 (the last JCudnn with a Java jar), used where libcudnn.so.8 and JCudnn's
// native library load: the same convolution calls as the FFM binding of cuDNN 9 (Cudnn), no more.
package org.uactn.kernels;

import jcuda.JCudaVersion;
import jcuda.LibUtils;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.runtime.cudaStream_t;
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.tensor.DType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Nothing here touches a JCuda class before {@link #start} has found libcudnn.so.8 with every symbol
 * we call (JCudnn binds lazily: a missing function kills the JVM at its first call). One handle on
 * the backend's primary context and (legacy default) stream; callers serialise calls.
 */
final class JCudnnDnn implements DnnLibrary {
    /** The JCudnn release whose natives (linked against libcudnn.so.8) the kernels jar depends on. */
    static final String JCUDNN_VERSION = "11.7.0";
    private static final int NCHW = 0, DATA_FLOAT = 0, DATA_DOUBLE = 1, CROSS_CORRELATION = 1;
    private static final int DEFAULT_MATH = 0, FMA_MATH = 3;
    private static final long MAX_WORKSPACE = 1L << 30;
    private static final int PERF_COUNT = 16;

    /** cuDNN 8 carries the same entry points as cuDNN 9 for what we call (Cudnn.SYMBOLS). */
    static final List<String> SYMBOLS = Cudnn.SYMBOLS;

    private final CudaAllocator allocator;
    private final cudnnHandle handle = new cudnnHandle();
    private final cudnnTensorDescriptor xDesc = new cudnnTensorDescriptor(), yDesc = new cudnnTensorDescriptor();
    private final cudnnFilterDescriptor wDesc = new cudnnFilterDescriptor();
    private final cudnnConvolutionDescriptor convDesc = new cudnnConvolutionDescriptor();
    private final String description;
    private final Map<String, long[]> algos = new HashMap<>();
    private boolean tf32;

    private JCudnnDnn(CudaLibraries.Loaded lib, CudaAllocator allocator) {
        this.allocator = allocator;
        JCudnn.setExceptionsEnabled(false);
        check(JCudnn.cudnnCreate(handle), "cudnnCreate");
        // The backend's stream is the legacy default stream; an empty cudaStream_t is that stream.
        check(JCudnn.cudnnSetStream(handle, new cudaStream_t()), "cudnnSetStream");
        check(JCudnn.cudnnCreateTensorDescriptor(xDesc), "cudnnCreateTensorDescriptor");
        check(JCudnn.cudnnCreateTensorDescriptor(yDesc), "cudnnCreateTensorDescriptor");
        check(JCudnn.cudnnCreateFilterDescriptor(wDesc), "cudnnCreateFilterDescriptor");
        check(JCudnn.cudnnCreateConvolutionDescriptor(convDesc), "cudnnCreateConvolutionDescriptor");
        long v = JCudnn.cudnnGetVersion();
        description = "cuDNN " + v / 1000 + "." + (v / 100) % 10 + "." + v % 100 + " (" + lib.origin() + ", JCudnn " + JCUDNN_VERSION + ")";
    }

    /**
     * Finds libcudnn.so.8 (FFM, symbol check) and its sub-libraries, loads JCudnn's native library,
     * creates a handle on the current context. Null, with the reason in {@code why}, when any step fails.
     */
    static JCudnnDnn start(StringBuilder why, CudaAllocator allocator) {
        if (CudaBackend.disabled("uactn.cuda.nojcudnn", "UACTN_NO_JCUDNN")) {
            why.append("disabled by uactn.cuda.nojcudnn / UACTN_NO_JCUDNN");
            return null;
        }
        // cuDNN 8's convolution libraries need cuBLAS(Lt) 12 or 11; pip wheels keep them out of the linker path.
        CudaLibraries.preloadFromFolders("libcublasLt.so.12", "libcublas.so.12", "libcublasLt.so.11", "libcublas.so.11");
        var lib = CudaLibraries.load(List.of("libcudnn.so.8"), SYMBOLS, why);
        if (lib.isEmpty()) return null;
        CudaLibraries.folderOf(lib.get()).ifPresent(dir -> CudaLibraries.preload(dir, "libcudnn_ops_infer.so.8",
                "libcudnn_ops_train.so.8", "libcudnn_cnn_infer.so.8", "libcudnn_cnn_train.so.8", "libcudnn_adv_infer.so.8",
                "libcudnn_adv_train.so.8"));
        // JCudnn derives its native library's name from the JCuda core (12.6.0), but its natives are 11.7.0's.
        String ours = LibUtils.createLibraryFileName(LibUtils.createPlatformLibraryName("JCudnn-" + JCUDNN_VERSION));
        String asked = LibUtils.createLibraryFileName(LibUtils.createPlatformLibraryName("JCudnn-" + JCudaVersion.get()));
        if (!JCudaNatives.load("JCudnn", "/lib/" + ours, asked, JCudnn::initialize, why)) return null;
        try {
            return new JCudnnDnn(lib.get(), allocator);
        } catch (IllegalStateException e) {
            why.append(e.getMessage());
            return null;
        }
    }

    @Override public String path() { return "JCudnn 8"; }

    @Override public String describe() { return description; }

    @Override public void setTf32(boolean on) { tf32 = on; }

    private void describe(CudaBackend.ConvShape s, Conv2dParams p) {
        int dt = s.dtype() == DType.FLOAT64 ? DATA_DOUBLE : DATA_FLOAT;
        check(JCudnn.cudnnSetTensor4dDescriptor(xDesc, NCHW, dt, s.n(), s.c(), s.h(), s.w()), "cudnnSetTensor4dDescriptor(x)");
        check(JCudnn.cudnnSetTensor4dDescriptor(yDesc, NCHW, dt, s.n(), s.o(), s.oh(), s.ow()), "cudnnSetTensor4dDescriptor(y)");
        check(JCudnn.cudnnSetFilter4dDescriptor(wDesc, dt, NCHW, s.o(), s.cg(), s.kh(), s.kw()), "cudnnSetFilter4dDescriptor");
        check(JCudnn.cudnnSetConvolution2dDescriptor(convDesc, p.padH(), p.padW(), p.strideH(), p.strideW(), p.dilationH(),
                p.dilationW(), CROSS_CORRELATION, dt), "cudnnSetConvolution2dDescriptor");
        check(JCudnn.cudnnSetConvolutionGroupCount(convDesc, p.groups()), "cudnnSetConvolutionGroupCount");
        // FMA math keeps float32 free of TF32 tensor cores unless TF32 was asked for.
        check(JCudnn.cudnnSetConvolutionMathType(convDesc, tf32 && dt == DATA_FLOAT ? DEFAULT_MATH : FMA_MATH),
                "cudnnSetConvolutionMathType");
    }

    /** The first algorithm the heuristics rate usable within the workspace cap, cached per geometry: {algo, workspace bytes}. */
    private long[] pick(String kind, CudaBackend.ConvShape s, Conv2dParams p, int n, int[] algo, int[] status, long[] memory) {
        String key = kind + s + p + tf32;
        long[] cached = algos.get(key);
        if (cached != null) return cached;
        for (int i = 0; i < n; i++) {
            if (status[i] != 0 || memory[i] > MAX_WORKSPACE) continue;
            long[] choice = {algo[i], memory[i]};
            algos.put(key, choice);
            return choice;
        }
        throw new IllegalStateException("cuDNN offers no usable " + kind + " algorithm for " + s + " " + p);
    }

    private long[] forwardAlgo(CudaBackend.ConvShape s, Conv2dParams p) {
        long[] cached = algos.get("ConvolutionForward" + s + p + tf32);
        if (cached != null) return cached;
        cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[PERF_COUNT];
        for (int i = 0; i < PERF_COUNT; i++) perf[i] = new cudnnConvolutionFwdAlgoPerf();
        int[] count = new int[1];
        check(JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(handle, xDesc, wDesc, convDesc, yDesc, PERF_COUNT, count, perf),
                "cudnnGetConvolutionForwardAlgorithm_v7");
        int n = Math.min(count[0], PERF_COUNT);
        int[] algo = new int[n], status = new int[n];
        long[] memory = new long[n];
        for (int i = 0; i < n; i++) { algo[i] = perf[i].algo; status[i] = perf[i].status; memory[i] = perf[i].memory; }
        return pick("ConvolutionForward", s, p, n, algo, status, memory);
    }

    private long[] backwardDataAlgo(CudaBackend.ConvShape s, Conv2dParams p) {
        long[] cached = algos.get("ConvolutionBackwardData" + s + p + tf32);
        if (cached != null) return cached;
        cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[PERF_COUNT];
        for (int i = 0; i < PERF_COUNT; i++) perf[i] = new cudnnConvolutionBwdDataAlgoPerf();
        int[] count = new int[1];
        check(JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(handle, wDesc, yDesc, convDesc, xDesc, PERF_COUNT, count, perf),
                "cudnnGetConvolutionBackwardDataAlgorithm_v7");
        int n = Math.min(count[0], PERF_COUNT);
        int[] algo = new int[n], status = new int[n];
        long[] memory = new long[n];
        for (int i = 0; i < n; i++) { algo[i] = perf[i].algo; status[i] = perf[i].status; memory[i] = perf[i].memory; }
        return pick("ConvolutionBackwardData", s, p, n, algo, status, memory);
    }

    private long[] backwardFilterAlgo(CudaBackend.ConvShape s, Conv2dParams p) {
        long[] cached = algos.get("ConvolutionBackwardFilter" + s + p + tf32);
        if (cached != null) return cached;
        cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[PERF_COUNT];
        for (int i = 0; i < PERF_COUNT; i++) perf[i] = new cudnnConvolutionBwdFilterAlgoPerf();
        int[] count = new int[1];
        check(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(handle, xDesc, yDesc, convDesc, wDesc, PERF_COUNT, count, perf),
                "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
        int n = Math.min(count[0], PERF_COUNT);
        int[] algo = new int[n], status = new int[n];
        long[] memory = new long[n];
        for (int i = 0; i < n; i++) { algo[i] = perf[i].algo; status[i] = perf[i].status; memory[i] = perf[i].memory; }
        return pick("ConvolutionBackwardFilter", s, p, n, algo, status, memory);
    }

    /** Host scalars alpha = 1 and beta in the tensor's precision. */
    private static Pointer scalar(boolean f64, double v) {
        return f64 ? Pointer.to(new double[] {v}) : Pointer.to(new float[] {(float) v});
    }

    private static Pointer dev(long address) {
        return new CUdeviceptr().withByteOffset(address);
    }

    @Override
    public void forward(CudaBackend.ConvShape s, Conv2dParams p, long x, long w, long y) {
        describe(s, p);
        long[] algo = forwardAlgo(s, p);
        boolean f64 = s.dtype() == DType.FLOAT64;
        CudaAllocator.Block ws = algo[1] > 0 ? allocator.allocate(algo[1]) : null;
        try {
            check(JCudnn.cudnnConvolutionForward(handle, scalar(f64, 1), xDesc, dev(x), wDesc, dev(w), convDesc, (int) algo[0],
                    ws == null ? new Pointer() : ws.ptr, algo[1], scalar(f64, 0), yDesc, dev(y)), "cudnnConvolutionForward");
        } finally {
            // Safe while the call may still run: every later use of the block is queued on the same stream.
            if (ws != null) allocator.release(ws);
        }
    }

    @Override
    public void backwardData(CudaBackend.ConvShape s, Conv2dParams p, long w, long dy, long dx) {
        describe(s, p);
        long[] algo = backwardDataAlgo(s, p);
        boolean f64 = s.dtype() == DType.FLOAT64;
        CudaAllocator.Block ws = algo[1] > 0 ? allocator.allocate(algo[1]) : null;
        try {
            check(JCudnn.cudnnConvolutionBackwardData(handle, scalar(f64, 1), wDesc, dev(w), yDesc, dev(dy), convDesc, (int) algo[0],
                    ws == null ? new Pointer() : ws.ptr, algo[1], scalar(f64, 1), xDesc, dev(dx)), "cudnnConvolutionBackwardData");
        } finally {
            if (ws != null) allocator.release(ws);
        }
    }

    @Override
    public void backwardFilter(CudaBackend.ConvShape s, Conv2dParams p, long x, long dy, long dw) {
        describe(s, p);
        long[] algo = backwardFilterAlgo(s, p);
        boolean f64 = s.dtype() == DType.FLOAT64;
        CudaAllocator.Block ws = algo[1] > 0 ? allocator.allocate(algo[1]) : null;
        try {
            check(JCudnn.cudnnConvolutionBackwardFilter(handle, scalar(f64, 1), xDesc, dev(x), yDesc, dev(dy), convDesc, (int) algo[0],
                    ws == null ? new Pointer() : ws.ptr, algo[1], scalar(f64, 1), wDesc, dev(dw)), "cudnnConvolutionBackwardFilter");
        } finally {
            if (ws != null) allocator.release(ws);
        }
    }

    private static void check(int status, String what) {
        if (status != 0) {
            throw new IllegalStateException(what + " failed: " + JCudnn.cudnnGetErrorString(status) + " (status " + status + ", JCudnn)");
        }
    }
}
