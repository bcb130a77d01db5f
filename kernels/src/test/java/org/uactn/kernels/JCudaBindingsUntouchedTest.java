// On a machine without a usable GPU, `uactn info`'s questions to the CUDA provider touch neither
// JCublas2 nor JCudnn (no native library of theirs gets mapped), and where the CUDA libraries are
// absent the real library choice ends on our own kernels with the reason for every skipped path.
package org.uactn.kernels;

import org.junit.jupiter.api.Test;
import org.uactn.core.backend.BackendProvider;
import org.uactn.core.backend.Backends;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class JCudaBindingsUntouchedTest {
    private static final Path MAPS = Path.of("/proc/self/maps");

    /** The JCuda binding natives mapped into this process (Linux), e.g. libJCublas2-12.6.0-linux-x86_64.so. */
    private static List<String> mappedBindings() throws IOException {
        if (!Files.isReadable(MAPS)) return List.of();
        return Files.readAllLines(MAPS).stream().filter(l -> l.contains("libJCublas") || l.contains("libJCudnn")).toList();
    }

    /** Attempts to load the bindings the backend uses (other tests load stand-ins under other names). */
    private static List<String> realBindings() {
        return JCudaNatives.attempted().stream().filter(b -> b.equals("JCublas2") || b.equals("JCudnn")).toList();
    }

    private static boolean loadable(String name) {
        return CudaLibraries.load(List.of(name), List.of(), new StringBuilder()).isPresent();
    }

    @Test
    void infoOnAMachineWithoutGpuTouchesNoJCudaBinding() throws IOException {
        BackendProvider p = Backends.provider("cuda");
        assumeFalse(p.isAvailable(), "a CUDA device is available here");
        // What `uactn info` asks.
        String reason = p.unavailableReason();
        String line = p.describe();
        assertFalse(reason.isBlank());
        assertTrue(line.contains(reason), line);
        assertEquals(List.of(), realBindings(), "info attempted to load JCuda bindings");
        assertEquals(List.of(), mappedBindings(), "JCublas/JCudnn natives are mapped");
    }

    @Test
    void withoutCudaLibrariesTheChoiceEndsOnOwnKernelsWithoutTouchingJCuda() throws IOException {
        assumeFalse(Backends.provider("cuda").isAvailable(), "a CUDA device is available here");
        assumeTrue(!loadable("libcublas.so.12") && !loadable("libcublas.so.13") && !loadable("libcudnn.so.8") && !loadable("libcudnn.so.9"),
                "CUDA libraries are installed here");
        var blas = LibraryChoice.choose(CudaBackend.blasOptions(), "own kernels");
        assertNull(blas.library());
        assertEquals("own kernels", blas.label());
        assertEquals(2, blas.skipped().size(), blas.skipped().toString());
        assertTrue(blas.skipped().get(0).startsWith("JCublas2: ") && blas.skipped().get(0).contains("libcublas.so.12"), blas.skipped().get(0));
        assertTrue(blas.skipped().get(1).startsWith("FFM cuBLAS 13/12: ") && blas.skipped().get(1).contains("libcublas.so.13"), blas.skipped().get(1));

        var dnn = LibraryChoice.choose(CudaBackend.dnnOptions(null), "own kernels");
        assertNull(dnn.library());
        assertEquals(2, dnn.skipped().size(), dnn.skipped().toString());
        assertTrue(dnn.skipped().get(0).startsWith("JCudnn 8: ") && dnn.skipped().get(0).contains("libcudnn.so.8"), dnn.skipped().get(0));
        assertTrue(dnn.skipped().get(1).startsWith("FFM cuDNN 9: ") && dnn.skipped().get(1).contains("libcudnn.so.9"), dnn.skipped().get(1));

        // The missing libraries were found missing through FFM: JCuda's bindings were never loaded.
        assertEquals(List.of(), realBindings());
        assertEquals(List.of(), mappedBindings());
    }
}
