// The SPI completeness check: CudaBackend implements every Backend method, every method's kernels
// are listed, and every listed kernel (each UnaryOp/BinaryOp x float32/float64 included) exists in
// the compiled PTX packed in the jar. Missing entries are listed in the failure message.
package org.uactn.kernels;

import org.junit.jupiter.api.Test;
import org.uactn.core.backend.Backend;
import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.DType;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        assertEquals(List.of("batchnorm", "conv", "elementwise", "gemm", "index", "optim", "pool", "reduce", "softmax"), catalog.families());
        for (String f : catalog.families()) {
            assertTrue(catalog.fatbin(f).length > 0, f + ".fatbin is empty");
            assertTrue(!catalog.entries(f).isEmpty(), f + ".ptx has no .entry");
        }
    }

    /** The PTX parameter types (u32, u64, f32, f64, b8 for by-value structs) of one entry point. */
    private static List<String> ptxParams(String ptx, String entry) {
        int start = ptx.indexOf(".entry " + entry + "(");
        assertTrue(start >= 0, entry + " not found in the PTX");
        String params = ptx.substring(start, ptx.indexOf(')', start));
        List<String> types = new ArrayList<>();
        Matcher m = Pattern.compile("\\.param\\s+(?:\\.align\\s+\\d+\\s+)?\\.(\\w+)").matcher(params);
        while (m.find()) types.add(m.group(1));
        return types;
    }

    /** The PTX type each Java launch argument is passed as (see CudaContext.launch). */
    private static List<String> javaParams(Object[] args) {
        List<String> types = new ArrayList<>();
        for (Object a : args) {
            types.add(switch (a) {
                case Integer i -> "u32";
                case Long l -> "u64";
                case Float f -> "f32";
                case Double d -> "f64";
                default -> "unsupported " + a.getClass().getSimpleName();
            });
        }
        return types;
    }

    @Test
    void optimiserLaunchArgumentsMatchTheKernelSignatures() {
        // A wrong count or type would not fail on launch: the kernel would silently read garbage.
        KernelCatalog catalog = KernelCatalog.load();
        assumeTrue(catalog.hasKernels(), "no kernels to check: " + catalog.reason());
        String ptx = new String(catalog.ptx("optim"), java.nio.charset.StandardCharsets.US_ASCII);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            String s = KernelCatalog.suffix(t);
            assertEquals(ptxParams(ptx, "sgd_step_" + s),
                    javaParams(CudaBackend.sgdStepArgs(t, 10, 1L, 2L, 3L, 0.1, 0.9, 0, 0, false, false, true)), "sgd_step_" + s);
            assertEquals(ptxParams(ptx, "adam_step_" + s),
                    javaParams(CudaBackend.adamStepArgs(t, 10, 1L, 2L, 3L, 4L, 0L, 1e-3, 0.9, 0.999, 1e-8, 0, false, false, false, 1)), "adam_step_" + s);
        }
    }
}
