// Library search: configured folders come first, and a library that cannot be found is reported
// with the names and folders that were tried instead of an exception.
package org.uactn.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaLibrariesTest {
    @Test
    void configuredFoldersComeFirst(@TempDir Path dir) {
        String old = System.getProperty("uactn.cuda.libs");
        System.setProperty("uactn.cuda.libs", dir.toString());
        try {
            assertEquals(dir.toAbsolutePath().normalize(), CudaLibraries.searchFolders().get(0));
        } finally {
            if (old == null) System.clearProperty("uactn.cuda.libs");
            else System.setProperty("uactn.cuda.libs", old);
        }
    }

    @Test
    void missingLibraryIsReportedNotThrown() {
        StringBuilder why = new StringBuilder();
        var r = CudaLibraries.load(List.of("libuactn-does-not-exist.so.7"), List.of("nothing"), why);
        assertTrue(r.isEmpty());
        assertTrue(why.toString().contains("libuactn-does-not-exist.so.7"), why.toString());
    }

    @Test
    void missingSymbolIsReported() {
        // libc exists everywhere; a symbol it lacks must make the load fail with that symbol named.
        StringBuilder why = new StringBuilder();
        var r = CudaLibraries.load(List.of("libc.so.6"), List.of("printf", "cuNoSuchFunction"), why);
        assertTrue(r.isEmpty());
        assertTrue(why.toString().contains("cuNoSuchFunction"), why.toString());
    }
}
