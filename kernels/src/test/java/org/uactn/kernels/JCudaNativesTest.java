// Loading a JCuda binding's native library from a private folder: JCuda's own loader must pick the
// copy we placed under the name it asks for, a failure is reported once with the linker's reason,
// and java.io.tmpdir is restored afterwards.
package org.uactn.kernels;

import jcuda.LibUtils;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class JCudaNativesTest {
    @Test
    void jcudasLoaderTakesThePlacedCopyAndAFailureIsRecordedOnce() {
        String tmp = System.getProperty("java.io.tmpdir");
        // JCudnn 11.7.0's natives placed under the 12.6.0 name, loaded by JCuda's LibUtils as JCudnn itself
        // would (without initialising JCudnn): on a machine without cuDNN 8 the dynamic linker must then
        // name libcudnn.so.8 and our private copy, proving which file was loaded.
        String ours = LibUtils.createLibraryFileName(LibUtils.createPlatformLibraryName("JCudnn-" + JCudnnDnn.JCUDNN_VERSION));
        String asked = LibUtils.createPlatformLibraryName("JCudnn-" + jcuda.JCudaVersion.get());
        // With cuDNN 8 present the load would succeed and map JCudnn's natives, which other tests check are absent.
        assumeFalse(CudaLibraries.load(java.util.List.of("libcudnn.so.8"), java.util.List.of(), new StringBuilder()).isPresent(),
                "libcudnn.so.8 is installed here");
        AtomicInteger runs = new AtomicInteger();
        StringBuilder why = new StringBuilder();
        boolean ok = JCudaNatives.load("JCudnn-loader-test", "/lib/" + ours, LibUtils.createLibraryFileName(asked), () -> {
            runs.incrementAndGet();
            assertFalse(System.getProperty("java.io.tmpdir").equals(tmp), "java.io.tmpdir was not redirected");
            LibUtils.loadLibrary(asked);
        }, why);
        assertEquals(tmp, System.getProperty("java.io.tmpdir"), "java.io.tmpdir was not restored");
        assertEquals(1, runs.get());
        assertFalse(ok);
        String w = why.toString();
        assertTrue(w.startsWith("JCudnn-loader-test native library did not load: "), w);
        assertTrue(w.contains("uactn-jcuda-") && w.contains(LibUtils.createLibraryFileName(asked)) && w.contains("libcudnn.so.8"), w);
        // Never retried: the same reason comes back without running the loader again.
        StringBuilder again = new StringBuilder();
        assertFalse(JCudaNatives.load("JCudnn-loader-test", null, null, runs::incrementAndGet, again));
        assertEquals(1, runs.get());
        assertTrue(again.toString().contains("failed to load earlier in this JVM") && again.toString().contains("libcudnn.so.8"), again.toString());
    }

    @Test
    void aMissingPlacedResourceIsReported() {
        StringBuilder why = new StringBuilder();
        AtomicInteger runs = new AtomicInteger();
        assertFalse(JCudaNatives.load("missing-resource-test", "/lib/libNoSuchBinding.so", "libNoSuchBinding.so", runs::incrementAndGet, why));
        assertEquals(0, runs.get());
        assertTrue(why.toString().contains("/lib/libNoSuchBinding.so"), why.toString());
    }
}
