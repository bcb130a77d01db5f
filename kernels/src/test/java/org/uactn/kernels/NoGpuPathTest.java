// The path of a machine without a usable GPU: the provider is found through ServiceLoader, says
// precisely why CUDA is unavailable, asking for cuda fails with that reason, and the CPU still works.
package org.uactn.kernels;

import org.junit.jupiter.api.Test;
import org.uactn.core.backend.BackendProvider;
import org.uactn.core.backend.Backends;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class NoGpuPathTest {
    private static BackendProvider cuda() {
        BackendProvider p = Backends.provider("cuda");
        assertNotNull(p, "the CUDA provider is not registered through META-INF/services");
        assertTrue(p instanceof CudaBackendProvider, "cuda provider is " + p.getClass());
        return p;
    }

    @Test
    void unavailableCudaExplainsItselfAndFailsCleanly() {
        BackendProvider p = cuda();
        assumeFalse(p.isAvailable(), "a CUDA device is available here: " + p.describe());
        String reason = p.unavailableReason();
        assertFalse(reason.isBlank(), "no reason given");
        assertEquals(0, p.deviceCount());
        if (CudaBackendProvider.catalog().hasKernels() && System.getenv("UACTN_NO_CUDA") == null && !Boolean.getBoolean("uactn.cuda.disable")) {
            // With kernels built, the only thing missing on such a machine is the driver or the device.
            assertTrue(reason.contains("libcuda.so.1") || reason.contains("cuInit") || reason.contains("no CUDA device") || reason.contains("JCuda"),
                    "reason does not name the missing library or device: " + reason);
        }
        var e = assertThrows(Backends.BackendUnavailableException.class, () -> Tensor.zeros(org.uactn.core.tensor.DType.FLOAT32, Device.cuda(0), 2, 2));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(p.describe().contains(reason), p.describe());
        // Asking twice gives the same answer without probing again (and without touching JCuda).
        assertEquals(reason, p.unavailableReason());
    }

    @Test
    void cpuPathIsUnaffected() {
        cuda();
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = a.matmul(a).add(1.0);
        assertArrayEquals(new float[] {8, 11, 16, 23}, b.toFloatArray());
        assertEquals("cpu", Backends.providers().get(0).deviceType());
    }
}
