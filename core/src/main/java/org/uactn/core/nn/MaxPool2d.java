// 2-D max pooling layer (torch.nn.MaxPool2d); stride defaults to the kernel size.
package org.uactn.core.nn;

import org.uactn.core.ops.Pooling;
import org.uactn.core.tensor.Tensor;

public final class MaxPool2d extends Module {
    private final int kernel, stride, padding, dilation;
    private final boolean ceilMode;

    public MaxPool2d(int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        if (kernel < 1 || stride < 1 || padding < 0 || dilation < 1 || 2 * padding > kernel) {
            throw new IllegalArgumentException("MaxPool2d: bad geometry kernel=" + kernel + " stride=" + stride + " padding=" + padding
                    + " dilation=" + dilation + " (need kernel, stride, dilation >= 1 and 0 <= padding <= kernel / 2)");
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
    }

    public MaxPool2d(int kernel, int stride, int padding) { this(kernel, stride, padding, 1, false); }

    public MaxPool2d(int kernel, int stride) { this(kernel, stride, 0, 1, false); }

    public MaxPool2d(int kernel) { this(kernel, kernel, 0, 1, false); }

    @Override
    public Tensor forward(Tensor x) {
        return Pooling.maxPool2d(x, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {dilation, dilation}, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation + ", ceil_mode=" + pyBool(ceilMode);
    }
}
