// `uactn model convert|summary|forward|backward` run in-process: parity with PyTorch through the command
// line (the zoo fixtures of core), exit codes and messages for bad input, and the summary's numbers.
package org.uactn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uactn.cli.model.ShapeTrace;
import org.uactn.core.autograd.GradMode;
import org.uactn.core.io.Npy;
import org.uactn.core.io.Safetensors;
import org.uactn.core.io.pth.PthReader;
import org.uactn.core.nn.Module;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;
import org.uactn.core.zoo.Models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ModelCommandTest {
    @TempDir
    Path dir;

    /** core's committed fixtures (tests run with the module folder cli/ as working directory). */
    private static Path coreFixture(String rel) {
        Path p = Path.of("..", "core", "src", "test", "resources", "fixtures", rel).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(p), "fixture missing: " + p);
        return p;
    }

    private static MainTest.Run run(String... args) { return MainTest.run(args); }

    private static void assertUsageError(MainTest.Run r, String... fragments) {
        assertEquals(2, r.exit(), "exit code; stderr: " + r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "stderr lacks '" + f + "': " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace expected: " + r.err());
    }

    private static double relL2(Tensor actual, Tensor expected) {
        assertArrayEquals(expected.shape(), actual.shape());
        double[] a = actual.toDoubleArray(), e = expected.toDoubleArray();
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - e[i]) * (a[i] - e[i]);
            den += e[i] * e[i];
        }
        return Math.sqrt(num / Math.max(den, 1e-30));
    }

    /** Splits a zoo fixture into a weights file (the "w." entries) and the input batch x. */
    private Path[] weightsAndInput(Map<String, Tensor> f, String name) throws Exception {
        Map<String, Tensor> w = new LinkedHashMap<>();
        f.forEach((k, v) -> { if (k.startsWith("w.")) w.put(k.substring(2), v); });
        Path weights = dir.resolve(name + ".safetensors"), x = dir.resolve(name + "_x.npy");
        Safetensors.write(weights, w);
        Npy.write(x, f.get("x"));
        return new Path[] {weights, x};
    }

    @Test
    void forwardAndBackwardMatchPyTorchThroughTheCommandLine() throws Exception {
        Map<String, Tensor> f = Safetensors.read(coreFixture("zoo/resnet18_w8.safetensors"));
        Map<String, Tensor> g = Safetensors.read(coreFixture("zoo/resnet18_w8_grads.safetensors"));
        Path[] wx = weightsAndInput(f, "r18");
        // Class count (10) and width (64 / 8) come from the weights file.
        for (String mode : List.of("eval", "train")) {
            Path y = dir.resolve("y_" + mode + ".npy");
            MainTest.Run r = run("model", "forward", "--arch", "resnet18", "--weights", wx[0].toString(), "--input", wx[1].toString(),
                    "--output", y.toString(), "--mode", mode, "--strict");
            assertEquals(0, r.exit(), r.err());
            assertEquals("", r.err());
            double err = relL2(Npy.read(y), f.get(mode));
            assertTrue(err <= 1e-4, mode + " relative L2 error " + err);
        }
        Path labels = dir.resolve("labels.npy"), grads = dir.resolve("grads.safetensors");
        Npy.write(labels, g.get("labels"));
        MainTest.Run r = run("model", "backward", "--arch", "resnet18", "--weights", wx[0].toString(), "--input", wx[1].toString(),
                "--labels", labels.toString(), "--output", grads.toString());
        assertEquals(0, r.exit(), r.err());
        double expectedLoss = g.get("loss").item();
        assertTrue(r.out().startsWith("loss="), r.out());
        assertEquals(expectedLoss, Double.parseDouble(r.out().trim().substring(5)), 1e-5 * Math.abs(expectedLoss));
        Map<String, Tensor> out = Safetensors.read(grads);
        assertEquals(62 + 1, out.size(), "every parameter gradient plus the loss");
        assertArrayEquals(new int[] {1}, out.get("loss").shape());
        for (var e : out.entrySet()) {
            if (e.getKey().equals("loss")) continue;
            double err = relL2(e.getValue(), g.get("g." + e.getKey()));
            assertTrue(err <= 1e-3, e.getKey() + " gradient relative L2 error " + err);
        }
    }

    @Test
    void featuresOfResNetAreThePooledVector() throws Exception {
        Map<String, Tensor> f = Safetensors.read(coreFixture("zoo/resnet50_w4.safetensors"));
        Path[] wx = weightsAndInput(f, "r50");
        Path y = dir.resolve("feat.npy");
        // resnet50_w4 was built with widths divided by 16 (conv1 has 4 channels): read from the weights.
        MainTest.Run r = run("model", "forward", "--arch", "resnet50", "--weights", wx[0].toString(), "--input", wx[1].toString(),
                "--output", y.toString(), "--features");
        assertEquals(0, r.exit(), r.err());
        Tensor feats = Npy.read(y);
        assertArrayEquals(new int[] {f.get("x").size(0), 2048 / 16}, feats.shape());
        // The features are what fc sees: fc applied to them gives the logits of the fixture.
        Tensor fcW = f.get("w.fc.weight"), fcB = f.get("w.fc.bias");
        assertTrue(relL2(feats.matmul(fcW.t()).add(fcB), f.get("eval")) <= 1e-4);
    }

    @Test
    void randomInitWithoutWeightsFollowsTheSeed() throws Exception {
        Path x = dir.resolve("x.npy");
        Npy.write(x, Tensor.randn(new Generator(3), 2, 3, 40, 40));
        Path a = dir.resolve("a.npy"), b = dir.resolve("b.npy"), c = dir.resolve("c.npy");
        String[] common = {"model", "forward", "--arch", "resnet18", "--width-div", "16", "--classes", "5", "--input", x.toString()};
        assertEquals(0, run(concat(common, "--output", a.toString(), "--seed", "1")).exit());
        assertEquals(0, run(concat(common, "--output", b.toString(), "--seed", "1")).exit());
        assertEquals(0, run(concat(common, "--output", c.toString(), "--seed", "2")).exit());
        assertArrayEquals(Npy.read(a).toFloatArray(), Npy.read(b).toFloatArray());
        assertArrayEquals(new int[] {2, 5}, Npy.read(a).shape());
        assertFalse(java.util.Arrays.equals(Npy.read(a).toFloatArray(), Npy.read(c).toFloatArray()));
    }

    @Test
    void classifierSizeComesFromTheWeightsAndMismatchesAreReportedByName() throws Exception {
        Module m = Models.create("alexnet", 7, 32, new Generator(5));
        Path w = dir.resolve("alex7.safetensors"), x = dir.resolve("x.npy"), y = dir.resolve("y.npy");
        Safetensors.write(w, m.stateDict());
        Tensor input = Tensor.randn(new Generator(6), 2, 3, 64, 64);
        Npy.write(x, input);
        MainTest.Run ok = run("model", "forward", "--arch", "alexnet", "--weights", w.toString(), "--input", x.toString(), "--output", y.toString());
        assertEquals(0, ok.exit(), ok.err());
        Tensor expected;
        try (var g = GradMode.noGrad()) {
            expected = m.eval().forward(input);
        }
        assertArrayEquals(expected.toFloatArray(), Npy.read(y).toFloatArray(), 0f);

        // Asking for another class count: the classifier rows do not fit; reported by name, fatal with --strict.
        MainTest.Run loose = run("model", "forward", "--arch", "alexnet", "--weights", w.toString(), "--classes", "9",
                "--input", x.toString(), "--output", y.toString());
        assertEquals(0, loose.exit(), loose.err());
        assertTrue(loose.err().contains("size mismatch (skipped): classifier.6.weight: expected [9, 128] got [7, 128]"), loose.err());
        assertArrayEquals(new int[] {2, 9}, Npy.read(y).shape());
        assertUsageError(run("model", "forward", "--arch", "alexnet", "--weights", w.toString(), "--classes", "9", "--strict",
                "--input", x.toString(), "--output", y.toString()), w.toString(), "classifier.6.weight");

        // Missing and unexpected keys are named too.
        Map<String, Tensor> partial = new LinkedHashMap<>(m.stateDict());
        partial.remove("features.3.bias");
        partial.put("extra.weight", Tensor.zeros(2));
        Safetensors.write(w, partial);
        MainTest.Run r = run("model", "summary", "--arch", "alexnet", "--weights", w.toString(), "--size", "64");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("missing keys (left randomly initialised): features.3.bias"), r.err());
        assertTrue(r.err().contains("unexpected keys (ignored): extra.weight"), r.err());
        assertUsageError(run("model", "summary", "--arch", "alexnet", "--weights", w.toString(), "--size", "64", "--strict"),
                "missing keys", "features.3.bias", "extra.weight");
    }

    @Test
    void convertWritesThePthTensorsAsSafetensors() throws Exception {
        Path in = coreFixture("pth/tiny_state.pth"), out = dir.resolve("sub/tiny.safetensors");
        MainTest.Run r = run("model", "convert", in.toString(), out.toString());
        assertEquals(0, r.exit(), r.err());
        Map<String, Tensor> expected = PthReader.read(in), got = Safetensors.read(out);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(got.keySet()));
        for (var e : expected.entrySet()) {
            assertEquals(e.getValue().dtype(), got.get(e.getKey()).dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), got.get(e.getKey()).shape(), e.getKey());
            assertArrayEquals(e.getValue().toDoubleArray(), got.get(e.getKey()).toDoubleArray(), 0, e.getKey());
        }
        assertTrue(r.out().contains(expected.size() + " tensors"), r.out());
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void convertRefusesHostileAndLegacyFiles() {
        Path out = dir.resolve("x.safetensors");
        assertUsageError(run("model", "convert", coreFixture("pth/evil.pth").toString(), out.toString()), "evil.pth");
        assertUsageError(run("model", "convert", coreFixture("pth/legacy.pth").toString(), out.toString()), "legacy", "legacy.pth");
        assertUsageError(run("model", "convert", dir.resolve("none.pth").toString(), out.toString()), "none.pth", "does not exist");
        assertFalse(Files.exists(out));
    }

    @Test
    void summaryOfResNet18MatchesTorchvisionsCounts() {
        MainTest.Run r = run("model", "summary", "--arch", "resnet18");
        assertEquals(0, r.exit(), r.err());
        // torchvision: 11,689,512 parameters, 1.81 GMACs ("GFLOPS" in its table) at 224x224.
        assertTrue(r.out().contains("parameters: 11,689,512"), r.out());
        assertTrue(r.out().contains("multiply-adds (MACs): 1,814,073,344"), r.out());
        assertTrue(r.out().contains("FLOPs (2 x MACs): 3,628,146,688"), r.out());
        assertTrue(r.out().matches("(?s).*\\n +layer1\\.0\\.conv1 +Conv2d +\\[1, 64, 56, 56] +36,864 +231\\.2\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\nfc +Linear +\\[1, 1000] +513,000 .*"), r.out());
        assertTrue(r.out().contains("output: [1, 1000]"), r.out());
    }

    @Test
    void traceReproducesEveryModelsForward() {
        for (String arch : Models.ARCHITECTURES) {
            int div = arch.startsWith("resnet") ? 16 : 32;
            Module m = Models.create(arch, 6, div, new Generator(2)).eval();
            Tensor x = Tensor.randn(new Generator(4), 2, 3, 64, 64);
            ShapeTrace t = ShapeTrace.of(m, x);
            Tensor expected;
            try (var g = GradMode.noGrad()) {
                expected = m.forward(x);
            }
            assertArrayEquals(expected.toFloatArray(), t.output().toFloatArray(), 0f, arch);
            long convs = m.namedModules().values().stream().filter(v -> v instanceof org.uactn.core.nn.Conv2d).count();
            long traced = t.rows().stream().filter(row -> row.type().equals("Conv2d")).count();
            assertEquals(convs, traced, arch + ": every convolution runs once");
        }
    }

    @Test
    void badInputsAreUsageErrorsNamingTheFileAndShape() throws Exception {
        Path x = dir.resolve("x.npy"), bad = dir.resolve("bad.npy"), y = dir.resolve("y.npy");
        Npy.write(x, Tensor.randn(new Generator(1), 2, 3, 32, 32));
        Npy.write(bad, Tensor.randn(new Generator(1), 2, 4, 32, 32));
        String[] small = {"--arch", "resnet18", "--width-div", "16", "--classes", "4"};
        assertUsageError(run(concat(concat(new String[] {"model", "forward"}, small), "--input", bad.toString(), "--output", y.toString())),
                "bad.npy", "[2, 4, 32, 32]", "[N, 3, H, W]");
        assertUsageError(run(concat(concat(new String[] {"model", "forward"}, small), "--input", dir.resolve("no.npy").toString(),
                "--output", y.toString())), "no.npy", "does not exist");
        assertUsageError(run("model", "forward", "--arch", "resnet99", "--input", x.toString(), "--output", y.toString()),
                "unknown architecture 'resnet99'");
        assertUsageError(run("model", "forward", "--arch", "resnet18", "--weights", dir.resolve("w.pth").toString(),
                "--input", x.toString(), "--output", y.toString()), "w.pth", "does not exist");

        Path labels = dir.resolve("l.npy"), g = dir.resolve("g.safetensors");
        String[] back = concat(concat(new String[] {"model", "backward"}, small), "--input", x.toString(), "--labels", labels.toString(),
                "--output", g.toString());
        Npy.write(labels, Tensor.ofLong(new long[] {1, 4}, 2));
        assertUsageError(run(back), "l.npy", "label 4 at index 1 is out of range [0, 4)");
        Npy.write(labels, Tensor.ofLong(new long[] {1, 2, 3}, 3));
        assertUsageError(run(back), "l.npy", "[3]", "expected [2]");
        Npy.write(labels, Tensor.of(new float[] {1, 2}, 2));
        assertUsageError(run(back), "l.npy", "int64");
        Npy.write(labels, Tensor.ofLong(new long[] {3, 0}, 2));
        MainTest.Run ok = run(back);
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().matches("loss=[0-9.eE-]+\\s*"), ok.out());
        assertFalse(Files.exists(dir.resolve("nothing.safetensors")));

        // AlexNet cannot take a 32x32 image (its pooling runs out of pixels): named with the input's shape.
        assertUsageError(run("model", "forward", "--arch", "alexnet", "--width-div", "32", "--input", x.toString(), "--output", y.toString()),
                "x.npy", "[2, 3, 32, 32]", "alexnet");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
