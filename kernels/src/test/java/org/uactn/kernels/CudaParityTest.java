// GPU parity: every registered op forward and backward on CUDA against the CPU (float64, float32,
// non-contiguous float32), the GEMM paths against each other, and a ResNet-18 training step.
// Skipped, with the reason, where no CUDA device is usable.
package org.uactn.kernels;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.uactn.core.backend.BackendProvider;
import org.uactn.core.backend.Backends;
import org.uactn.core.ops.OpRegistry;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CudaParityTest {
    private static final Device DEV = Device.cuda(0);

    @BeforeEach
    void needsGpu() {
        BackendProvider p = Backends.provider("cuda");
        assumeTrue(p != null && p.isAvailable(), "no CUDA device: " + (p == null ? "no provider" : p.unavailableReason()));
    }

    @Test
    void everyOpMatchesTheCpu() {
        List<Parity.Row> rows = Parity.ops(OpRegistry.all(), DEV, 42);
        String failed = rows.stream().filter(r -> !r.passed()).map(r -> r.name() + "/" + r.variant() + ": " + r.detail())
                .collect(Collectors.joining("\n"));
        assertTrue(failed.isEmpty(), "ops differing from the CPU:\n" + failed);
    }

    @Test
    void fusedOptimiserStepsMatchTheCpu() {
        String failed = Parity.optimizers(DEV, 9).stream().filter(r -> !r.passed()).map(r -> r.name() + "/" + r.variant() + ": " + r.detail())
                .collect(Collectors.joining("\n"));
        assertTrue(failed.isEmpty(), "optimiser steps differing from the CPU:\n" + failed);
    }

    @Test
    void resnetTrainingStepMatchesTheCpu() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Parity.Row r = Parity.resnetStep(DEV, 3, dt);
            assertTrue(r.passed(), r.variant() + ": " + r.detail());
        }
    }

    @Test
    void ownGemmMatchesCublasPath() {
        CudaBackend b = CudaBackendProvider.cudaBackend(0);
        Generator g = new Generator(5);
        Tensor a = Tensor.randn(g, 3, 67, 45).to(DType.FLOAT64), c = Tensor.randn(g, 3, 45, 71).to(DType.FLOAT64);
        double[] ref = a.matmul(c).toDoubleArray();
        for (boolean own : new boolean[] {false, true}) {
            b.setOwnGemm(own);
            try {
                assertArrayEquals(ref, a.to(DEV).matmul(c.to(DEV).transpose(1, 2).contiguous().transpose(1, 2)).toDoubleArray(), 1e-9, "own=" + own);
            } finally {
                b.setOwnGemm(false);
            }
        }
    }

    @Test
    void roundTripKeepsEveryDtype() {
        Tensor f = Tensor.of(new float[] {1.5f, -2f, 3f}, 3), l = Tensor.ofLong(new long[] {1L << 40, -3, 7}, 3);
        assertArrayEquals(f.toFloatArray(), f.to(DEV).toFloatArray());
        assertArrayEquals(l.toLongArray(), l.to(DEV).toLongArray());
    }
}
