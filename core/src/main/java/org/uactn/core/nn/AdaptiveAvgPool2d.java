// Average pooling to a fixed output size whatever the input size (torch.nn.AdaptiveAvgPool2d).
package org.uactn.core.nn;

import org.uactn.core.ops.Pooling;
import org.uactn.core.tensor.Tensor;

public final class AdaptiveAvgPool2d extends Module {
    private final int outH, outW;

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be >= 1, got " + outH + "x" + outW);
        this.outH = outH;
        this.outW = outW;
    }

    public AdaptiveAvgPool2d(int size) { this(size, size); }

    @Override
    public Tensor forward(Tensor x) { return Pooling.adaptiveAvgPool2d(x, outH, outW); }

    @Override
    protected String extraRepr() { return "output_size=" + pyTuple(outH, outW); }
}
