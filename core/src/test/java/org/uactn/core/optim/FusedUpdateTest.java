// The optimisers on parameters and gradients that are strided views: the fused kernels need
// contiguous operands, so the optimiser updates a contiguous stand-in and writes it back.
package org.uactn.core.optim;

import org.junit.jupiter.api.Test;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class FusedUpdateTest {
    private static void sameUpdates(Function<List<Tensor>, Optimizer> make) {
        Generator gen = new Generator(5);
        Tensor init = Tensor.randn(gen, 4, 3).to(DType.FLOAT64);
        Tensor plain = init.copy().detach().requiresGrad(true);
        // A transposed view of a [3, 4] storage: a leaf whose strides are (1, 4).
        Tensor strided = init.t().copy().detach().t().requiresGrad(true);
        Optimizer a = make.apply(List.of(plain)), b = make.apply(List.of(strided));
        for (int step = 0; step < 3; step++) {
            Tensor g = Tensor.randn(gen, 3, 4).to(DType.FLOAT64);
            plain.setGrad(g.t().copy().detach());
            strided.setGrad(g.t());
            a.step();
            b.step();
            assertArrayEquals(plain.toDoubleArray(), strided.toDoubleArray(), 0, "step " + step);
        }
    }

    @Test
    void sgdUpdatesStridedParameters() {
        sameUpdates(ps -> new SGD(ps, SGD.options().lr(0.1).momentum(0.9).weightDecay(0.01).nesterov(true)));
    }

    @Test
    void adamUpdatesStridedParameters() {
        sameUpdates(ps -> new Adam(ps, Adam.options().lr(0.01).amsgrad(true).weightDecay(0.1)));
    }

    @Test
    void adamWUpdatesStridedParameters() {
        sameUpdates(ps -> new AdamW(ps, 0.01));
    }
}
