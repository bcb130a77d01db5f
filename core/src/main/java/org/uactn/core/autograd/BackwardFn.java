package org.uactn.core.autograd;

import org.uactn.core.tensor.Tensor;

/**
 * The backward rule of one op application: given the gradient of the op's output, the gradients
 * of its inputs (same order; null where an input needs none). Written with tensor ops, so it runs
 * on every backend.
 */
@FunctionalInterface
public interface BackwardFn {
    Tensor[] apply(Tensor gradOutput);
}
