// max(x, 0) as a layer (torch.nn.ReLU).
package org.uactn.core.nn;

import org.uactn.core.ops.Pointwise;
import org.uactn.core.tensor.Tensor;

public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) { return Pointwise.relu(x); }
}
