package org.uactn.core.backend;

import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;

/**
 * The kernels one device supplies. Ops (in {@code org.uactn.core.ops}) check shapes, allocate
 * outputs and record autograd; a backend only computes. Unless a method says otherwise:
 * outputs are freshly allocated contiguous tensors of the right shape and dtype; inputs may be
 * arbitrary strided views (stride 0 for broadcast dimensions); every method supports FLOAT32 and
 * FLOAT64, and the data-movement and indexing methods also INT64 and INT32.
 */
public interface Backend {
    /** The device this instance computes on. */
    Device device();

    /** A zero-filled storage. */
    Storage allocate(DType dtype, int numel);

    /** A storage holding a host array (float[], double[], long[] or int[] matching dtype). The caller hands the array over: a backend may keep it (CPU) or copy it (devices). */
    Storage upload(Object hostArray, DType dtype);

    /** Copies a whole storage to a new host array of its dtype's Java type. */
    Object download(Storage storage);

    // ---- data movement -------------------------------------------------------------------

    /** dst[i] = (dst dtype) src[i] for tensors of equal shape; dst may be a strided view. */
    void copy(Tensor src, Tensor dst);

    /** Sets every element of dst (possibly a strided view) to value. */
    void fill(Tensor dst, double value);

    // ---- pointwise -------------------------------------------------------------------------

    void unary(UnaryOp op, Tensor x, Tensor out, double p0, double p1);

    /** a and b are already broadcast (expanded) to out's shape. */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** out = cond != 0 ? a : b; all three already broadcast to out's shape. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    // ---- reductions ------------------------------------------------------------------------

    /** Sums over the given (sorted, distinct) dims; out has x's rank with those dims of size 1. */
    void sum(Tensor x, int[] dims, Tensor out);

    /** Maximum along dim; values and indices (INT64) have x's rank with dim of size 1. First index wins ties. */
    void maxDim(Tensor x, int dim, Tensor values, Tensor indices);

    // ---- linear algebra --------------------------------------------------------------------

    /**
     * Batched matrix product: a is [B, M, K], b is [B, K, N], out is [B, M, N]. a and b may be
     * strided (a transposed view, stride 0 in the batch dimension for broadcasting).
     */
    void matmul(Tensor a, Tensor b, Tensor out);

    // ---- convolution and pooling (NCHW, contiguous inputs) -------------------------------------

    /** out[N, O, OH, OW] = conv(x[N, C, H, W], w[O, C/groups, KH, KW]) + bias[O] (bias may be null). */
    void conv2d(Tensor x, Tensor w, Tensor bias, Tensor out, Conv2dParams p);

    /** gradIn (zero-filled, x's shape) receives the gradient of conv2d with respect to its input. */
    void conv2dBackwardInput(Tensor gradOut, Tensor w, Tensor gradIn, Conv2dParams p);

    /** gradW (zero-filled, w's shape) receives the gradient of conv2d with respect to its weight. */
    void conv2dBackwardWeight(Tensor gradOut, Tensor x, Tensor gradW, Conv2dParams p);

    /** indices (INT64) hold the flat h * W + w position of each maximum within its (n, c) plane. */
    void maxPool2d(Tensor x, Tensor out, Tensor indices, Pool2dParams p);

    /** gradIn is zero-filled with the input's shape; gradients are added at the recorded indices. */
    void maxPool2dBackward(Tensor gradOut, Tensor indices, Tensor gradIn);

    void avgPool2d(Tensor x, Tensor out, Pool2dParams p);

    /** gradIn is zero-filled with the input's shape. */
    void avgPool2dBackward(Tensor gradOut, Tensor gradIn, Pool2dParams p);

    /** PyTorch's adaptive windows: start = floor(i * H / OH), end = ceil((i + 1) * H / OH). */
    void adaptiveAvgPool2d(Tensor x, Tensor out);

    /** gradIn is zero-filled with the input's shape. */
    void adaptiveAvgPool2dBackward(Tensor gradOut, Tensor gradIn);

    // ---- normalisation ---------------------------------------------------------------------

    /**
     * Batch normalisation over dim 1 of x ([N, C] or [N, C, *]). weight and bias may be null.
     * Training: uses batch statistics, writes saveMean and saveInvStd ([C]), and (when the running
     * tensors are non-null) updates them in place with momentum and the unbiased batch variance.
     * Evaluation: uses the running statistics and leaves saveMean/saveInvStd untouched.
     */
    void batchNorm(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                   boolean training, double momentum, double eps, Tensor out, Tensor saveMean, Tensor saveInvStd);

    /**
     * Gradients of training-mode batch normalisation given the saved statistics. gradWeight and
     * gradBias ([C]) may be null when not needed; weight may be null (meaning ones).
     */
    void batchNormBackward(Tensor gradOut, Tensor x, Tensor weight, Tensor saveMean, Tensor saveInvStd,
                           Tensor gradIn, Tensor gradWeight, Tensor gradBias);

    // ---- softmax ---------------------------------------------------------------------------

    /** Softmax (or log-softmax when log) along dim, numerically stable. */
    void softmax(Tensor x, int dim, boolean log, Tensor out);

    /** Gradient of softmax / log-softmax given its output. */
    void softmaxBackward(Tensor gradOut, Tensor out, int dim, boolean log, Tensor gradIn);

    // ---- indexing --------------------------------------------------------------------------

    /** out[.., i, ..] = x[.., index[.., i, ..], ..] along dim; index is INT64 with out's shape. */
    void gather(Tensor x, int dim, Tensor index, Tensor out);

    /** out[.., index[.., i, ..], ..] += src[.., i, ..] along dim (out is modified in place). */
    void scatterAdd(Tensor out, int dim, Tensor index, Tensor src);

    /** out[.., index[.., i, ..], ..] = src[.., i, ..] along dim (out is modified in place). */
    void scatter(Tensor out, int dim, Tensor index, Tensor src);

    /** out = x with dim restricted to the rows listed in the 1-D INT64 index. */
    void indexSelect(Tensor x, int dim, Tensor index, Tensor out);

    /** out[.., index[i], ..] += src[.., i, ..] along dim (out is modified in place). */
    void indexAdd(Tensor out, int dim, Tensor index, Tensor src);

    // ---- optimiser updates -------------------------------------------------------------------

    /**
     * One fused SGD update, in place, in PyTorch's order and rounding (scalars are converted to the
     * tensors' dtype first, as PyTorch does):
     * <pre>
     *   d = maximize ? -grad : grad;   if (weightDecay != 0) d = d + weightDecay * param
     *   if (momentum != 0) { buf = firstStep ? d : momentum * buf + (1 - dampening) * d;
     *                        d = nesterov ? d + momentum * buf : buf }
     *   param = param + (-lr) * d
     * </pre>
     * param, grad and momentumBuf are contiguous (any offset), of one shape and one floating dtype;
     * momentumBuf may be null only when momentum is 0.
     */
    void sgdStep(Tensor param, Tensor grad, Tensor momentumBuf, double lr, double momentum, double dampening,
                 double weightDecay, boolean nesterov, boolean maximize, boolean firstStep);

    /**
     * One fused Adam / AdamW update, in place, for update number step (1 on the first call):
     * <pre>
     *   g = maximize ? -grad : grad
     *   decoupled: param = param * (1 - lr * weightDecay)      else if (weightDecay != 0) g = g + weightDecay * param
     *   m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g * g
     *   amsgrad: vmax = max(vmax, v) (NaN propagates), and vmax replaces v below
     *   denom = sqrt(v) / sqrt(1 - beta2^step) + eps
     *   param = param + (-lr / (1 - beta1^step)) * m / denom
     * </pre>
     * The bias corrections are computed in double; every tensor is contiguous (any offset), of one
     * shape and one floating dtype; maxExpAvgSq may be null only without amsgrad.
     */
    void adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq,
                  double lr, double beta1, double beta2, double eps, double weightDecay,
                  boolean decoupled, boolean amsgrad, boolean maximize, long step);
}
