package org.uactn.core.backend.cpu;

import org.uactn.core.backend.Backend;
import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.backend.Pool2dParams;
import org.uactn.core.backend.Storage;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;

/**
 * The CPU backend: the engine's reference implementation of every kernel, multi-threaded through
 * {@link Parallel}. Plain loops for clarity; the hot kernels (GEMM, convolution) live in their
 * own classes.
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override public Device device() { return Device.CPU; }

    @Override public Storage allocate(DType dtype, int numel) { return CpuStorage.allocate(dtype, numel); }

    @Override public Storage upload(Object hostArray, DType dtype) { return new CpuStorage(dtype, hostArray); }

    @Override
    public Object download(Storage storage) {
        Object a = ((CpuStorage) storage).array();
        return switch (a) {
            case float[] f -> f.clone();
            case double[] d -> d.clone();
            case long[] l -> l.clone();
            case int[] i -> i.clone();
            default -> throw new IllegalStateException("unexpected storage array " + a.getClass());
        };
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        StridedCopy.copy(src, dst);
    }

    @Override
    public void fill(Tensor dst, double value) {
        StridedCopy.fill(dst, value);
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out, double p0, double p1) {
        PointwiseKernels.unary(op, x, out, p0, p1);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        PointwiseKernels.binary(op, a, b, out);
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        PointwiseKernels.where(cond, a, b, out);
    }

    @Override
    public void sum(Tensor x, int[] dims, Tensor out) {
        ReduceKernels.sum(x, dims, out);
    }

    @Override
    public void maxDim(Tensor x, int dim, Tensor values, Tensor indices) {
        ReduceKernels.maxDim(x, dim, values, indices);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        MatmulKernels.matmul(a, b, out);
    }

    @Override
    public void conv2d(Tensor x, Tensor w, Tensor bias, Tensor out, Conv2dParams p) {
        ConvKernels.conv2d(x, w, bias, out, p);
    }

    @Override
    public void conv2dBackwardInput(Tensor gradOut, Tensor w, Tensor gradIn, Conv2dParams p) {
        ConvKernels.conv2dBackwardInput(gradOut, w, gradIn, p);
    }

    @Override
    public void conv2dBackwardWeight(Tensor gradOut, Tensor x, Tensor gradW, Conv2dParams p) {
        ConvKernels.conv2dBackwardWeight(gradOut, x, gradW, p);
    }

    @Override
    public void maxPool2d(Tensor x, Tensor out, Tensor indices, Pool2dParams p) {
        PoolKernels.maxPool2d(x, out, indices, p);
    }

    @Override
    public void maxPool2dBackward(Tensor gradOut, Tensor indices, Tensor gradIn) {
        PoolKernels.maxPool2dBackward(gradOut, indices, gradIn);
    }

    @Override
    public void avgPool2d(Tensor x, Tensor out, Pool2dParams p) {
        PoolKernels.avgPool2d(x, out, p);
    }

    @Override
    public void avgPool2dBackward(Tensor gradOut, Tensor gradIn, Pool2dParams p) {
        PoolKernels.avgPool2dBackward(gradOut, gradIn, p);
    }

    @Override
    public void adaptiveAvgPool2d(Tensor x, Tensor out) {
        PoolKernels.adaptiveAvgPool2d(x, out);
    }

    @Override
    public void adaptiveAvgPool2dBackward(Tensor gradOut, Tensor gradIn) {
        PoolKernels.adaptiveAvgPool2dBackward(gradOut, gradIn);
    }

    @Override
    public void batchNorm(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                   boolean training, double momentum, double eps, Tensor out, Tensor saveMean, Tensor saveInvStd) {
        BatchNormKernels.batchNorm(x, weight, bias, runningMean, runningVar, training, momentum, eps, out, saveMean, saveInvStd);
    }

    @Override
    public void batchNormBackward(Tensor gradOut, Tensor x, Tensor weight, Tensor saveMean, Tensor saveInvStd,
                           Tensor gradIn, Tensor gradWeight, Tensor gradBias) {
        BatchNormKernels.batchNormBackward(gradOut, x, weight, saveMean, saveInvStd, gradIn, gradWeight, gradBias);
    }

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor out) {
        SoftmaxKernels.softmax(x, dim, log, out);
    }

    @Override
    public void softmaxBackward(Tensor gradOut, Tensor out, int dim, boolean log, Tensor gradIn) {
        SoftmaxKernels.softmaxBackward(gradOut, out, dim, log, gradIn);
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        IndexKernels.gather(x, dim, index, out);
    }

    @Override
    public void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        IndexKernels.scatterAdd(out, dim, index, src);
    }

    @Override
    public void scatter(Tensor out, int dim, Tensor index, Tensor src) {
        IndexKernels.scatter(out, dim, index, src);
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        IndexKernels.indexSelect(x, dim, index, out);
    }

    @Override
    public void indexAdd(Tensor out, int dim, Tensor index, Tensor src) {
        IndexKernels.indexAdd(out, dim, index, src);
    }

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor momentumBuf, double lr, double momentum, double dampening,
                        double weightDecay, boolean nesterov, boolean maximize, boolean firstStep) {
        OptimizerKernels.sgdStep(param, grad, momentumBuf, lr, momentum, dampening, weightDecay, nesterov, maximize, firstStep);
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq,
                         double lr, double beta1, double beta2, double eps, double weightDecay,
                         boolean decoupled, boolean amsgrad, boolean maximize, long step) {
        OptimizerKernels.adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize, step);
    }
}
