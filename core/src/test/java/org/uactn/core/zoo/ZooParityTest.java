package org.uactn.core.zoo;

import org.junit.jupiter.api.Test;
import org.uactn.core.io.Safetensors;
import org.uactn.core.nn.Module;
import org.uactn.core.ops.LossReduction;
import org.uactn.core.ops.Losses;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The zoo's networks compute what torchvision's compute: reduced-width variants with random
 * weights and batch-norm statistics, fixtures from core/src/test/python/make_zoo_fixtures.py.
 */
class ZooParityTest {
    private static Map<String, Tensor> fixture(String name) throws Exception {
        return Safetensors.read(Path.of(ZooParityTest.class.getResource("/fixtures/zoo/" + name + ".safetensors").toURI()));
    }

    private static Module load(String arch, int widthDiv, Map<String, Tensor> f) {
        Module m = Models.create(arch, 10, widthDiv, new Generator(1));
        Map<String, Tensor> weights = new LinkedHashMap<>();
        f.forEach((k, v) -> { if (k.startsWith("w.")) weights.put(k.substring(2), v); });
        Module.LoadReport report = m.loadStateDict(weights, true);
        assertTrue(report.isClean(), report.toString());
        return m;
    }

    static double relL2(Tensor actual, Tensor expected) {
        assertArrayEquals(expected.shape(), actual.shape());
        double[] a = actual.toDoubleArray(), e = expected.toDoubleArray();
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - e[i]) * (a[i] - e[i]);
            den += e[i] * e[i];
        }
        return Math.sqrt(num / Math.max(den, 1e-30));
    }

    @Test
    void resnet18EvalTrainAndBackward() throws Exception {
        Map<String, Tensor> f = fixture("resnet18_w8");
        Module m = load("resnet18", 8, f);
        m.eval();
        assertTrue(relL2(m.forward(f.get("x")), f.get("eval")) <= 1e-4);
        m.train();
        Tensor logits = m.forward(f.get("x"));
        assertTrue(relL2(logits, f.get("train")) <= 1e-4, "train-mode forward");
        Map<String, Tensor> g = fixture("resnet18_w8_grads");
        Tensor loss = Losses.crossEntropy(logits, g.get("labels"), LossReduction.MEAN, 0);
        assertEquals(g.get("loss").item(), loss.item(), 1e-5 * Math.abs(g.get("loss").item()));
        loss.backward();
        int checked = 0;
        for (Map.Entry<String, Tensor> p : m.namedParameters().entrySet()) {
            Tensor expected = g.get("g." + p.getKey());
            assertNotNull(expected, p.getKey());
            double err = relL2(p.getValue().grad(), expected);
            assertTrue(err <= 1e-3, p.getKey() + " gradient relative L2 error " + err);
            checked++;
        }
        assertEquals(62, checked);
    }

    @Test
    void resnet50EvalAndTrain() throws Exception {
        Map<String, Tensor> f = fixture("resnet50_w4");
        Module m = load("resnet50", 16, f);
        m.eval();
        assertTrue(relL2(m.forward(f.get("x")), f.get("eval")) <= 1e-4);
        m.train();
        assertTrue(relL2(m.forward(f.get("x")), f.get("train")) <= 1e-4);
        assertEquals(256 / 16 * 8, ((ResNet) m).featureSize());
    }

    @Test
    void alexnetEval() throws Exception {
        Map<String, Tensor> f = fixture("alexnet_d32");
        Module m = load("alexnet", 32, f).eval();
        assertTrue(relL2(m.forward(f.get("x")), f.get("eval")) <= 1e-4);
        assertArrayEquals(new int[] {2, 4096 / 32}, Models.features(m, f.get("x")).shape());
    }

    @Test
    void vgg16Eval() throws Exception {
        Map<String, Tensor> f = fixture("vgg16_d32");
        Module m = load("vgg16", 32, f).eval();
        assertTrue(relL2(m.forward(f.get("x")), f.get("eval")) <= 1e-4);
    }

    @Test
    void fullSizeArchitecturesHaveTorchvisionParameterCounts() {
        // Parameter counts of torchvision's models with 1000 classes.
        assertEquals(11_689_512L, Models.create("resnet18", 1000).numParameters());
        assertEquals(25_557_032L, Models.create("resnet50", 1000).numParameters());
        assertEquals(61_100_840L, Models.create("alexnet", 1000).numParameters());
        assertEquals(138_357_544L, Models.create("vgg16", 1000).numParameters());
        assertThrows(IllegalArgumentException.class, () -> Models.create("resnet51", 10));
    }
}
