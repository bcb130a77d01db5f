// Inverted dropout layer (torch.nn.Dropout): zeroes with probability p in training, identity in eval.
package org.uactn.core.nn;

import org.uactn.core.ops.Activations;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

/** Draws its masks from a settable generator (the global one by default) so runs can be reproduced. */
public final class Dropout extends Module {
    private final double p;
    private Generator generator;

    public Dropout(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout: probability has to be between 0 and 1, but got " + p);
        this.p = p;
    }

    public Dropout() { this(0.5); }

    public double p() { return p; }

    /** Uses gen for masks from now on; null means Generator.global(). Returns this. */
    public Dropout setGenerator(Generator gen) {
        this.generator = gen;
        return this;
    }

    public Generator generator() { return generator != null ? generator : Generator.global(); }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        return Activations.dropout(x, p, true, generator());
    }

    @Override
    protected String extraRepr() { return "p=" + pyFloat(p) + ", inplace=False"; }
}
