package org.uactn.core.ops;

import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.util.function.Function;

/**
 * How to exercise one registered op: its PyTorch functional name, a maker of valid random sample
 * inputs (float64 for floating inputs, chosen away from points where the op is not smooth), and
 * the call itself. Gradient checks and cross-backend parity tests iterate over these.
 *
 * @param name          the op's PyTorch functional name, e.g. "conv2d", "log_softmax"
 * @param samples       random inputs for one check; floating inputs are the ones differentiated
 * @param call          applies the op to inputs as made by {@code samples}
 * @param differentiable false for ops without a gradient (argmax, comparisons, one_hot)
 */
public record OpSpec(String name, Function<Generator, Tensor[]> samples, Function<Tensor[], Tensor> call, boolean differentiable) {
    public static OpSpec of(String name, Function<Generator, Tensor[]> samples, Function<Tensor[], Tensor> call) {
        return new OpSpec(name, samples, call, true);
    }

    public static OpSpec noGrad(String name, Function<Generator, Tensor[]> samples, Function<Tensor[], Tensor> call) {
        return new OpSpec(name, samples, call, false);
    }
}
