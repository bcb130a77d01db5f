// The compiled kernels packed in the jar (fatbin + PTX per op family, from build-kernels.sh) and
// the list of kernel entry points each Backend method needs, which the SPI test checks against them.
package org.uactn.kernels;

import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.UnaryOp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class KernelCatalog {
    static final String ROOT = "/org/uactn/kernels/cuda/";
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

    private final Properties build;
    private final Map<String, List<String>> entries = new LinkedHashMap<>();

    private KernelCatalog(Properties build) {
        this.build = build;
        if (!hasKernels()) return;
        for (String f : build.getProperty("families", "").split(",")) {
            if (f.isBlank()) continue;
            List<String> names = new ArrayList<>();
            Matcher m = ENTRY.matcher(new String(ptx(f), StandardCharsets.US_ASCII));
            while (m.find()) names.add(m.group(1));
            entries.put(f, List.copyOf(names));
        }
    }

    /** The catalog of the kernels packed into this jar. */
    public static KernelCatalog load() {
        Properties p = new Properties();
        try (InputStream in = KernelCatalog.class.getResourceAsStream(ROOT + "build.properties")) {
            if (in == null) {
                p.setProperty("kernels", "none");
                p.setProperty("reason", "built without CUDA kernels (the jar has no " + ROOT + "build.properties)");
            } else {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KernelCatalog(p);
    }

    public boolean hasKernels() { return "fatbin".equals(build.getProperty("kernels")); }

    /** Why there are no kernels (when {@link #hasKernels()} is false). */
    public String reason() { return build.getProperty("reason", "built without CUDA kernels"); }

    /** nvcc version and target architectures, for `uactn info`. */
    public String describe() {
        if (!hasKernels()) return reason();
        return entries.values().stream().mapToInt(List::size).sum() + " kernels in " + entries.size() + " families, "
                + build.getProperty("archs") + ", " + build.getProperty("nvcc", "nvcc ?");
    }

    public List<String> families() { return List.copyOf(entries.keySet()); }

    public List<String> entries(String family) { return entries.getOrDefault(family, List.of()); }

    public List<String> allEntries() {
        List<String> all = new ArrayList<>();
        entries.values().forEach(all::addAll);
        return all;
    }

    byte[] fatbin(String family) { return resource(family + ".fatbin"); }

    byte[] ptx(String family) { return resource(family + ".ptx"); }

    private static byte[] resource(String name) {
        try (InputStream in = KernelCatalog.class.getResourceAsStream(ROOT + name)) {
            if (in == null) throw new IllegalStateException("CUDA kernel resource " + ROOT + name + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- what the backend needs ---------------------------------------------------------------

    static final String[] FLOAT_SUFFIXES = {"f32", "f64"};
    static final String[] ALL_SUFFIXES = {"f32", "f64", "i64", "i32"};

    static String unaryKernel(UnaryOp op, String suffix) { return "unary_" + op.name().toLowerCase(Locale.ROOT) + "_" + suffix; }

    static String binaryKernel(BinaryOp op, String suffix) { return "binary_" + op.name().toLowerCase(Locale.ROOT) + "_" + suffix; }

    /**
     * Every kernel entry point the backend launches, keyed by the Backend method that launches it
     * (CudaBackend builds its kernel names with the same helpers).
     */
    public static Map<String, List<String>> required() {
        Map<String, List<String>> r = new LinkedHashMap<>();
        List<String> none = List.of();
        r.put("device", none);
        r.put("allocate", none);
        r.put("upload", none);
        r.put("download", none);
        List<String> copy = new ArrayList<>();
        for (String s : ALL_SUFFIXES) for (String d : ALL_SUFFIXES) copy.add("copy_" + s + "_to_" + d);
        r.put("copy", copy);
        r.put("fill", each("fill_", ALL_SUFFIXES));
        List<String> unary = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) for (String s : FLOAT_SUFFIXES) unary.add(unaryKernel(op, s));
        r.put("unary", unary);
        List<String> binary = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) for (String s : ALL_SUFFIXES) binary.add(binaryKernel(op, s));
        r.put("binary", binary);
        List<String> where = new ArrayList<>();
        for (String c : ALL_SUFFIXES) for (String s : ALL_SUFFIXES) where.add("where_" + c + "_" + s);
        r.put("where", where);
        r.put("sum", each("sum_", FLOAT_SUFFIXES));
        r.put("maxDim", each("max_dim_", FLOAT_SUFFIXES));
        r.put("matmul", each("gemm_tiled_", FLOAT_SUFFIXES));
        List<String> conv = new ArrayList<>(each("im2col_", FLOAT_SUFFIXES));
        conv.addAll(each("gemm_tiled_", FLOAT_SUFFIXES));
        List<String> convFwd = new ArrayList<>(conv);
        convFwd.addAll(each("conv_bias_add_", FLOAT_SUFFIXES));
        r.put("conv2d", convFwd);
        List<String> convIn = new ArrayList<>(each("col2im_", FLOAT_SUFFIXES));
        convIn.addAll(each("gemm_tiled_", FLOAT_SUFFIXES));
        r.put("conv2dBackwardInput", convIn);
        r.put("conv2dBackwardWeight", conv);
        r.put("maxPool2d", each("max_pool2d_forward_", FLOAT_SUFFIXES));
        r.put("maxPool2dBackward", each("max_pool2d_backward_", FLOAT_SUFFIXES));
        r.put("avgPool2d", each("avg_pool2d_forward_", FLOAT_SUFFIXES));
        r.put("avgPool2dBackward", each("avg_pool2d_backward_", FLOAT_SUFFIXES));
        r.put("adaptiveAvgPool2d", each("adaptive_avg_pool2d_forward_", FLOAT_SUFFIXES));
        r.put("adaptiveAvgPool2dBackward", each("adaptive_avg_pool2d_backward_", FLOAT_SUFFIXES));
        List<String> bn = new ArrayList<>(each("batch_norm_forward_train_", FLOAT_SUFFIXES));
        bn.addAll(each("batch_norm_forward_eval_", FLOAT_SUFFIXES));
        r.put("batchNorm", bn);
        r.put("batchNormBackward", each("batch_norm_backward_", FLOAT_SUFFIXES));
        r.put("softmax", each("softmax_forward_", FLOAT_SUFFIXES));
        r.put("softmaxBackward", each("softmax_backward_", FLOAT_SUFFIXES));
        r.put("gather", each("gather_", ALL_SUFFIXES));
        r.put("scatterAdd", each("scatter_add_", ALL_SUFFIXES));
        r.put("scatter", each("scatter_", ALL_SUFFIXES));
        r.put("indexSelect", each("index_select_", ALL_SUFFIXES));
        r.put("indexAdd", each("index_add_", ALL_SUFFIXES));
        r.put("sgdStep", each("sgd_step_", FLOAT_SUFFIXES));
        r.put("adamStep", each("adam_step_", FLOAT_SUFFIXES));
        return r;
    }

    private static List<String> each(String prefix, String[] suffixes) {
        List<String> l = new ArrayList<>();
        for (String s : suffixes) l.add(prefix + s);
        return l;
    }

    static String suffix(org.uactn.core.tensor.DType t) {
        return switch (t) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT64 -> "i64";
            case INT32 -> "i32";
        };
    }
}
