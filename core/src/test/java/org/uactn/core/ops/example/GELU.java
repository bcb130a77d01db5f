// Worked example of a layer (docs/extending.md): the GELU op as an nn module, like torch.nn.GELU(approximate='tanh').
package org.uactn.core.ops.example;

import org.uactn.core.nn.Module;
import org.uactn.core.tensor.Tensor;

/** No parameters or buffers: a layer without state only implements forward (and how it prints). */
public final class GELU extends Module {
    @Override
    public Tensor forward(Tensor x) { return GeluOps.gelu(x); }

    @Override
    protected String extraRepr() { return "approximate='tanh'"; }
}
