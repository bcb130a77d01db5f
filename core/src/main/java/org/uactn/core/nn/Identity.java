// A placeholder layer that returns its input (torch.nn.Identity), e.g. to cut a classifier head.
package org.uactn.core.nn;

import org.uactn.core.tensor.Tensor;

public final class Identity extends Module {
    @Override
    public Tensor forward(Tensor x) { return x; }
}
