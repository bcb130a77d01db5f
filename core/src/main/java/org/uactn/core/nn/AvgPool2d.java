// 2-D average pooling layer (torch.nn.AvgPool2d); stride defaults to the kernel size.
package org.uactn.core.nn;

import org.uactn.core.ops.Pooling;
import org.uactn.core.tensor.Tensor;

public final class AvgPool2d extends Module {
    private final int kernel, stride, padding;
    private final boolean ceilMode, countIncludePad;

    public AvgPool2d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        if (kernel < 1 || stride < 1 || padding < 0 || 2 * padding > kernel) {
            throw new IllegalArgumentException("AvgPool2d: bad geometry kernel=" + kernel + " stride=" + stride + " padding=" + padding
                    + " (need kernel, stride >= 1 and 0 <= padding <= kernel / 2)");
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    public AvgPool2d(int kernel, int stride, int padding) { this(kernel, stride, padding, false, true); }

    public AvgPool2d(int kernel, int stride) { this(kernel, stride, 0, false, true); }

    public AvgPool2d(int kernel) { this(kernel, kernel, 0, false, true); }

    @Override
    public Tensor forward(Tensor x) {
        return Pooling.avgPool2d(x, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() { return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding; }
}
