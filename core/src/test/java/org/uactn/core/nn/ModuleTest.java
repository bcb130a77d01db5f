package org.uactn.core.nn;

import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Module bookkeeping: dotted names, state-dict order, loading and its report, modes, printing. */
class ModuleTest {
    /** conv-bn-relu plus a nested block, like a ResNet stem: names must match PyTorch's. */
    static Sequential smallNet() {
        return new Sequential(
                new Conv2d(3, 4, 3, 1, 1, false),
                new BatchNorm2d(4),
                new ReLU(),
                new Sequential(new Conv2d(4, 2, 1), new BatchNorm2d(2)),
                new Flatten(),
                new Linear(8, 3));
    }

    @Test
    void stateDictNamesAndOrderFollowPyTorch() {
        Sequential net = smallNet();
        // Reference: list(nn.Sequential(...same...).state_dict().keys()) in PyTorch.
        List<String> expected = List.of(
                "0.weight",
                "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
                "3.0.weight", "3.0.bias",
                "3.1.weight", "3.1.bias", "3.1.running_mean", "3.1.running_var", "3.1.num_batches_tracked",
                "5.weight", "5.bias");
        assertEquals(expected, List.copyOf(net.stateDict().keySet()));
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "3.0.weight", "3.0.bias", "3.1.weight", "3.1.bias", "5.weight", "5.bias"),
                List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("1.running_mean", "1.running_var", "1.num_batches_tracked",
                "3.1.running_mean", "3.1.running_var", "3.1.num_batches_tracked"), List.copyOf(net.namedBuffers().keySet()));
        Tensor nbt = net.namedBuffers().get("1.num_batches_tracked");
        assertEquals(DType.INT64, nbt.dtype());
        assertEquals(0, nbt.dim());
        assertEquals(0.0, nbt.item());
        for (Tensor p : net.parameters()) {
            assertTrue(p.requiresGrad());
            assertTrue(p.isLeaf());
        }
        assertEquals(4 * 3 * 9 + 4 + 4 + 2 * 4 + 2 + 2 + 2 + 3 * 8 + 3, net.numParameters());
        assertEquals(List.of("", "0", "1", "2", "3", "3.0", "3.1", "4", "5"), List.copyOf(net.namedModules().keySet()));
    }

    @Test
    void sharedParametersAreListedOnce() {
        Linear shared = new Linear(2, 2);
        Sequential net = new Sequential(shared, new ReLU(), shared);
        assertEquals(2, net.parameters().size());
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(net.namedParameters().keySet()));
    }

    @Test
    void loadStateDictCopiesInPlaceAndConvertsDtype() {
        Sequential a = smallNet();
        Sequential b = smallNet();
        Tensor weightBefore = b.namedParameters().get("0.weight");
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (var e : a.stateDict().entrySet()) sd.put(e.getKey(), e.getValue().dtype() == DType.FLOAT32 ? e.getValue().to(DType.FLOAT64) : e.getValue());
        sd.put("1.num_batches_tracked", Tensor.scalar(7, DType.INT64, Device.CPU));
        Module.LoadReport r = b.loadStateDict(sd, true);
        assertTrue(r.isClean(), r.toString());
        assertSame(weightBefore, b.namedParameters().get("0.weight"), "loading must not replace parameter tensors");
        assertEquals(DType.FLOAT32, weightBefore.dtype());
        assertArrayEquals(a.namedParameters().get("0.weight").toFloatArray(), weightBefore.toFloatArray());
        assertArrayEquals(a.namedParameters().get("5.bias").toFloatArray(), b.namedParameters().get("5.bias").toFloatArray());
        assertEquals(7.0, b.namedBuffers().get("1.num_batches_tracked").item());
        assertTrue(weightBefore.requiresGrad());
    }

    @Test
    void nonStrictLoadReportsMissingUnexpectedAndMismatchedKeys() {
        Sequential net = smallNet();
        Map<String, Tensor> sd = new LinkedHashMap<>(smallNet().stateDict());
        sd.remove("1.running_var");
        sd.remove("5.bias");
        sd.put("fc.weight", Tensor.zeros(3, 3));
        sd.put("0.weight", Tensor.zeros(4, 3, 5, 5));
        Tensor linearW = sd.get("5.weight");
        float[] oldConv = net.namedParameters().get("0.weight").toFloatArray();

        Module.LoadReport r = net.loadStateDict(sd, false);
        assertEquals(List.of("1.running_var", "5.bias"), r.missingKeys());
        assertEquals(List.of("fc.weight"), r.unexpectedKeys());
        assertEquals(List.of("0.weight: expected [4, 3, 3, 3] got [4, 3, 5, 5]"), r.shapeMismatches());
        assertFalse(r.isClean());
        // Matching entries are loaded, the mismatched one is left alone.
        assertArrayEquals(linearW.toFloatArray(), net.namedParameters().get("5.weight").toFloatArray());
        assertArrayEquals(oldConv, net.namedParameters().get("0.weight").toFloatArray());
    }

    @Test
    void strictLoadThrowsListingEveryProblemAndChangesNothing() {
        Sequential net = smallNet();
        float[] before = net.namedParameters().get("5.weight").toFloatArray();
        Map<String, Tensor> sd = new LinkedHashMap<>(smallNet().stateDict());
        sd.remove("3.1.running_mean");
        sd.put("extra", Tensor.zeros(1));
        sd.put("5.bias", Tensor.zeros(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.loadStateDict(sd, true));
        assertTrue(e.getMessage().contains("3.1.running_mean"), e.getMessage());
        assertTrue(e.getMessage().contains("extra"), e.getMessage());
        assertTrue(e.getMessage().contains("5.bias: expected [3] got [4]"), e.getMessage());
        assertArrayEquals(before, net.namedParameters().get("5.weight").toFloatArray());
    }

    @Test
    void trainAndEvalPropagateToEveryDescendant() {
        Sequential net = smallNet();
        assertTrue(net.isTraining());
        net.eval();
        for (Module m : net.namedModules().values()) assertFalse(m.isTraining(), m.toString());
        net.train();
        for (Module m : net.namedModules().values()) assertTrue(m.isTraining(), m.toString());
        net.get(3).eval();
        assertTrue(net.isTraining());
        assertFalse(((Sequential) net.get(3)).get(1).isTraining());
    }

    @Test
    void zeroGradDropsGradients() {
        Linear l = new Linear(2, 3);
        for (Tensor p : l.parameters()) p.setGrad(Tensor.onesLike(p));
        l.zeroGrad();
        for (Tensor p : l.parameters()) assertNull(p.grad());
    }

    @Test
    void toDTypeRebuildsFloatingTensorsAndKeepsCounters() {
        Sequential net = smallNet();
        float[] w = net.namedParameters().get("5.weight").toFloatArray();
        net.to(DType.FLOAT64);
        for (Tensor p : net.parameters()) {
            assertEquals(DType.FLOAT64, p.dtype());
            assertTrue(p.requiresGrad() && p.isLeaf());
        }
        assertEquals(DType.FLOAT64, net.namedBuffers().get("1.running_var").dtype());
        assertEquals(DType.INT64, net.namedBuffers().get("1.num_batches_tracked").dtype());
        double[] w64 = net.namedParameters().get("5.weight").toDoubleArray();
        for (int i = 0; i < w.length; i++) assertEquals(w[i], w64[i], 0.0);
        Tensor same = net.namedParameters().get("5.weight");
        net.to(Device.CPU);
        assertSame(same, net.namedParameters().get("5.weight"), "moving to the current device keeps the tensors");
    }

    @Test
    void reprLooksLikePyTorch() {
        String expected = """
                Sequential(
                  (0): Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)
                  (1): BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
                  (2): ReLU()
                  (3): Sequential(
                    (0): Conv2d(4, 2, kernel_size=(1, 1), stride=(1, 1))
                    (1): BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
                  )
                  (4): Flatten(start_dim=1, end_dim=-1)
                  (5): Linear(in_features=8, out_features=3, bias=True)
                )""";
        assertEquals(expected, smallNet().toString());
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=(1, 1))", new AdaptiveAvgPool2d(1).toString());
        assertEquals("Dropout(p=0.25, inplace=False)", new Dropout(0.25).toString());
        assertEquals("Conv2d(8, 8, kernel_size=(3, 3), stride=(2, 2), padding=(2, 2), dilation=(2, 2), groups=4)",
                new Conv2d(8, 8, 3, 2, 2, 2, 4, true).toString());
        assertEquals("BatchNorm1d(5, eps=0.001, momentum=None, affine=False, track_running_stats=False)",
                new BatchNorm1d(5, 1e-3, Double.NaN, false, false).toString());
    }

    @Test
    void badConstructionArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(6, 4, 3, 1, 0, 1, 4, true));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Sequential(new ReLU()).get(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Linear(4, 2).forward(Tensor.zeros(3, 5)));
        assertTrue(e.getMessage().contains("[3, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 3, 4)));
        assertTrue(e.getMessage().contains("4D"), e.getMessage());
    }
}
