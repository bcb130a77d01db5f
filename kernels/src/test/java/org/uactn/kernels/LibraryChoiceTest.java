// The choice of GEMM / convolution library from what could be started: preference order, no attempt
// after the first success, every skipped option's reason kept, and the own-kernel fallback.
package org.uactn.kernels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LibraryChoiceTest {
    /** An option that records that it was tried and then starts (lib != null) or fails with reason. */
    private static LibraryChoice.Option<String> option(String label, String lib, String reason, List<String> tried) {
        return new LibraryChoice.Option<>(label, why -> {
            tried.add(label);
            if (lib == null) why.append(reason);
            return lib;
        });
    }

    @Test
    void firstOptionThatStartsWinsAndLaterOnesAreNeverTried() {
        List<String> tried = new ArrayList<>();
        var c = LibraryChoice.choose(List.of(option("JCublas2", "jcublas", "", tried), option("FFM cuBLAS 13/12", "ffm", "", tried)), "own kernels");
        assertEquals("jcublas", c.library());
        assertEquals("JCublas2", c.label());
        assertEquals(List.of("JCublas2"), tried);
        assertTrue(c.skipped().isEmpty());
        assertEquals("JCublas2", c.summary());
    }

    @Test
    void aFailedPreferredOptionIsSkippedWithItsReason() {
        List<String> tried = new ArrayList<>();
        var c = LibraryChoice.choose(List.of(
                option("JCublas2", null, "libcublas.so.12 not found on the linker path; ", tried),
                option("FFM cuBLAS 13/12", "ffm13", "", tried)), "own kernels");
        assertEquals("ffm13", c.library());
        assertEquals(List.of("JCublas2", "FFM cuBLAS 13/12"), tried);
        assertEquals(List.of("JCublas2: libcublas.so.12 not found on the linker path"), c.skipped());
        assertEquals("FFM cuBLAS 13/12 (skipped: JCublas2: libcublas.so.12 not found on the linker path)", c.summary());
        assertFalse(c.usesFallback());
    }

    @Test
    void nothingStartsGivesTheFallbackWithEveryReason() {
        List<String> tried = new ArrayList<>();
        var c = LibraryChoice.choose(List.of(option("JCudnn 8", null, "libcudnn.so.8 not found", tried),
                option("FFM cuDNN 9", null, "", tried)), "own kernels");
        assertNull(c.library());
        assertTrue(c.usesFallback());
        assertEquals("own kernels", c.label());
        assertEquals(List.of("JCudnn 8: libcudnn.so.8 not found", "FFM cuDNN 9: failed without a reason"), c.skipped());
    }

    @Test
    void anAttemptThatThrowsALinkErrorFallsThroughToTheNextOption() {
        List<String> tried = new ArrayList<>();
        LibraryChoice.Option<String> broken = new LibraryChoice.Option<>("JCudnn 8", why -> {
            tried.add("JCudnn 8");
            why.append("libcudnn.so.8 loaded");
            throw new UnsatisfiedLinkError("libJCudnn-12.6.0-linux-x86_64.so: version `libcudnn.so.8' not found");
        });
        var c = LibraryChoice.choose(List.of(broken, option("FFM cuDNN 9", "ffm9", "", tried)), "own kernels");
        assertEquals("ffm9", c.library());
        assertEquals(List.of("JCudnn 8", "FFM cuDNN 9"), tried);
        String reason = c.skipped().get(0);
        assertTrue(reason.startsWith("JCudnn 8: libcudnn.so.8 loaded; java.lang.UnsatisfiedLinkError"), reason);
        assertTrue(reason.contains("version `libcudnn.so.8' not found"), reason);
    }

    @Test
    void theBackendPrefersJCudaBindingsThenFfm() {
        // Building the option lists touches no library; only running an attempt does.
        assertEquals(List.of("JCublas2", "FFM cuBLAS 13/12"), CudaBackend.blasOptions().stream().map(LibraryChoice.Option::label).toList());
        assertEquals(List.of("JCudnn 8", "FFM cuDNN 9"), CudaBackend.dnnOptions(null).stream().map(LibraryChoice.Option::label).toList());
        assertFalse(JCudaNatives.attempted().contains("JCublas2") || JCudaNatives.attempted().contains("JCudnn"), "a JCuda binding was loaded: " + JCudaNatives.attempted());
    }

    @Test
    void conciseReasonPicksTheDynamicLinkerLine() {
        String jcudaStyle = "Error while loading native library \"JCudnn-12.6.0-linux-x86_64\"\nOperating system name: Linux\n"
                + "Stack trace from the attempt to load the library as a resource:\n"
                + "java.lang.UnsatisfiedLinkError: /tmp/uactn-jcuda-1/libJCudnn-12.6.0-linux-x86_64.so: libcudnn.so.8: cannot open shared object file: No such file or directory\n"
                + "\tat java.base/jdk.internal.loader.NativeLibraries.load(Native Method)";
        assertEquals("/tmp/uactn-jcuda-1/libJCudnn-12.6.0-linux-x86_64.so: libcudnn.so.8: cannot open shared object file: No such file or directory",
                JCudaNatives.concise(new UnsatisfiedLinkError(jcudaStyle)));
        assertEquals("NoClassDefFoundError: Could not initialize class jcuda.jcudnn.JCudnn",
                JCudaNatives.concise(new NoClassDefFoundError("Could not initialize class jcuda.jcudnn.JCudnn")));
    }
}
