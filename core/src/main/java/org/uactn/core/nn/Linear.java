// Fully connected layer y = x W^T + b with PyTorch's default initialisation and repr.
package org.uactn.core.nn;

import org.uactn.core.ops.LinearAlgebra;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

/** torch.nn.Linear: weight [out, in], optional bias [out]; input [*, in]. */
public final class Linear extends Module {
    private final int inFeatures, outFeatures;

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear: need in_features >= 0 and out_features >= 1, got " + inFeatures + ", " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        registerParameter("bias", bias ? Tensor.zeros(outFeatures) : null);
        resetParameters(Generator.global());
    }

    public Linear(int inFeatures, int outFeatures) { this(inFeatures, outFeatures, true); }

    public void resetParameters(Generator gen) { Init.defaultLinearInit(weight(), bias(), gen); }

    public Tensor weight() { return param("weight"); }

    public Tensor bias() { return param("bias"); }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1 || x.size(-1) != inFeatures) {
            throw new IllegalArgumentException("Linear: expected input [*, " + inFeatures + "], got " + Shapes.str(x.shape()));
        }
        return LinearAlgebra.linear(x, weight(), bias());
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + pyBool(bias() != null);
    }
}
