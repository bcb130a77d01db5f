// Flattens a range of dimensions into one (torch.nn.Flatten, default start 1 so the batch dim stays).
package org.uactn.core.nn;

import org.uactn.core.tensor.Tensor;

public final class Flatten extends Module {
    private final int startDim, endDim;

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    public Flatten(int startDim) { this(startDim, -1); }

    public Flatten() { this(1, -1); }

    @Override
    public Tensor forward(Tensor x) { return x.flatten(startDim, endDim); }

    @Override
    protected String extraRepr() { return "start_dim=" + startDim + ", end_dim=" + endDim; }
}
