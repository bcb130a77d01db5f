package org.uactn.core.gradcheck;

import org.uactn.core.ops.OpSpec;
import org.uactn.core.tensor.Device;

/** Finite-difference gradient checks of registered ops in float64 (PyTorch's gradcheck, per op). */
public final class GradCheck {
    private GradCheck() {}

    /**
     * One op's outcome: the largest absolute and relative differences between analytic and
     * numerical gradients over all differentiable inputs, and whether they are within tolerance.
     * For ops without a gradient, only the forward is run and the errors are 0.
     */
    public record Result(String op, double maxAbsError, double maxRelError, boolean passed, String detail) {}

    /** Checks one op on the given device with inputs from its spec's sampler seeded with seed. */
    public static Result check(OpSpec spec, Device device, long seed) {
        throw new UnsupportedOperationException("gradcheck: stub");
    }
}
