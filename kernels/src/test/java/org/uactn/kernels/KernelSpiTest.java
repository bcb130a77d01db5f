// The SPI completeness check: CudaBackend implements every Backend method, every method's kernels
// are listed, and every listed kernel (each UnaryOp/BinaryOp x float32/float64 included) exists in
// the compiled PTX packed in the jar. Missing entries are listed in the failure message.
package org.uactn.kernels;

import org.junit.jupiter.api.Test;
import org.uactn.core.backend.Backend;
import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.UnaryOp;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class KernelSpiTest {
    @Test
    void everyBackendMethodIsImplementedByCudaBackend() {
        List<String> missing = new ArrayList<>();
        for (Method m : Backend.class.getMethods()) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers())) continue;
            try {
                Method impl = CudaBackend.class.getMethod(m.getName(), m.getParameterTypes());
                if (impl.getDeclaringClass() != CudaBackend.class || Modifier.isAbstract(impl.getModifiers())) missing.add(m.getName());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName());
            }
        }
        assertTrue(missing.isEmpty(), "Backend methods without a CudaBackend implementation: " + missing);
    }

    @Test
    void everyBackendMethodHasItsKernelsListed() {
        Map<String, List<String>> required = KernelCatalog.required();
        Set<String> methods = new HashSet<>();
        for (Method m : Backend.class.getMethods()) if (!m.isDefault() && !Modifier.isStatic(m.getModifiers())) methods.add(m.getName());
        Set<String> unlisted = new HashSet<>(methods);
        unlisted.removeAll(required.keySet());
        assertTrue(unlisted.isEmpty(), "Backend methods missing from KernelCatalog.required(): " + unlisted);
        Set<String> stale = new HashSet<>(required.keySet());
        stale.removeAll(methods);
        assertTrue(stale.isEmpty(), "KernelCatalog.required() names methods Backend does not have: " + stale);
    }

    @Test
    void everyRequiredKernelIsInTheCompiledModules() {
        KernelCatalog catalog = KernelCatalog.load();
        assumeTrue(catalog.hasKernels(), "no kernels to check: " + catalog.reason());
        Set<String> present = new HashSet<>(catalog.allEntries());
        List<String> missing = new ArrayList<>();
        for (var e : KernelCatalog.required().entrySet()) {
            for (String k : e.getValue()) if (!present.contains(k)) missing.add(e.getKey() + " -> " + k);
        }
        for (UnaryOp op : UnaryOp.values()) {
            for (String s : KernelCatalog.FLOAT_SUFFIXES) if (!present.contains(KernelCatalog.unaryKernel(op, s))) missing.add("unary " + op + " " + s);
        }
        for (BinaryOp op : BinaryOp.values()) {
            for (String s : KernelCatalog.FLOAT_SUFFIXES) if (!present.contains(KernelCatalog.binaryKernel(op, s))) missing.add("binary " + op + " " + s);
        }
        assertTrue(missing.isEmpty(), missing.size() + " kernels missing from the fatbin/PTX: " + missing);
    }

    @Test
    void everyFamilyShipsAFatbinAndPtxWithEntries() {
        KernelCatalog catalog = KernelCatalog.load();
        assumeTrue(catalog.hasKernels(), "no kernels to check: " + catalog.reason());
        assertEquals(List.of("batchnorm", "conv", "elementwise", "gemm", "index", "pool", "reduce", "softmax"), catalog.families());
        for (String f : catalog.families()) {
            assertTrue(catalog.fatbin(f).length > 0, f + ".fatbin is empty");
            assertTrue(!catalog.entries(f).isEmpty(), f + ".ptx has no .entry");
        }
    }
}
