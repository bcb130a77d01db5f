// Adam with decoupled weight decay (Loshchilov & Hutter): p *= 1 - lr * wd before the Adam step.
package org.uactn.core.optim;

import org.uactn.core.tensor.Tensor;

import java.util.List;

public final class AdamW extends Adam {
    /** PyTorch's AdamW defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 1e-2. */
    public static Options options() { return adamWOptions(); }

    public AdamW(List<Tensor> params, Options defaults) { super("AdamW", true, List.of(new ParamGroup(params)), defaults); }

    public AdamW(List<Tensor> params, double lr) { this(params, options().lr(lr)); }

    public AdamW(Options defaults, ParamGroup... groups) { super("AdamW", true, List.of(groups), defaults); }
}
