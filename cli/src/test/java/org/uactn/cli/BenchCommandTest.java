// `uactn bench` in-process on small networks: the report's format and sanity, usage errors, and that a
// long training loop keeps its memory flat (nothing accumulates from step to step).
package org.uactn.cli;

import org.junit.jupiter.api.Test;
import org.uactn.cli.bench.LayerProfile;
import org.uactn.cli.bench.MemoryStats;
import org.uactn.cli.bench.ModelStep;
import org.uactn.core.tensor.Device;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class BenchCommandTest {
    @Test
    void trainReportsStepsMemoryAndImagesPerSecondLast() {
        MainTest.Run r = MainTest.run("bench", "--arch", "resnet18", "--width-div", "16", "--batch", "4", "--size", "32",
                "--classes", "10", "--steps", "3", "--warmup", "1", "--mode", "train");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.stream().filter(l -> l.matches("step \\d+: [0-9.]+ ms \\([0-9.]+ images/s\\), loss [0-9.]+")).count(), r.out());
        assertEquals(1, lines.stream().filter(l -> l.startsWith("warmup 1: ")).count(), r.out());
        Matcher mem = Pattern.compile("peak_rss_mib=([0-9.]+) rss_mib=([0-9.]+) heap_used_mib=([0-9.]+) heap_committed_mib=([0-9.]+)").matcher(r.out());
        assertTrue(mem.find(), r.out());
        assertTrue(Double.parseDouble(mem.group(1)) >= Double.parseDouble(mem.group(2)), "peak RSS is at least the current RSS");
        assertTrue(Double.parseDouble(mem.group(3)) > 0);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("images_per_second=[0-9]+\\.[0-9]{3}"), last);
        assertTrue(Double.parseDouble(last.substring(last.indexOf('=') + 1)) > 0, last);
    }

    @Test
    void inferenceAndTheLayerProfile() {
        MainTest.Run r = MainTest.run("bench", "--arch", "vgg16", "--width-div", "32", "--batch", "2", "--size", "32", "--steps", "1",
                "--warmup", "0", "--mode", "infer", "--profile");
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.out().contains("loss"), "inference has no loss: " + r.out());
        assertTrue(r.out().contains("per-layer profile: forward"), r.out());
        assertTrue(r.out().matches("(?s).*\\nConv2d +13 .*"), "VGG-16 has 13 convolutions: " + r.out());
        assertTrue(r.out().lines().reduce((a, b) -> b).orElseThrow().startsWith("images_per_second="), r.out());
    }

    @Test
    void layerProfileCoversEveryLeafCallWithBackwardTimes() {
        ModelStep step = new ModelStep("resnet18", 2, 32, 5, 16, true, Device.CPU, 1);
        List<LayerProfile.Entry> entries = LayerProfile.measure(step.model(), step.input(), 1, true);
        // conv1, bn1, relu, maxpool; 8 blocks of conv, bn, relu, conv, bn, relu (3 with a downsample conv and bn); avgpool, fc.
        assertEquals(4 + 8 * 6 + 3 * 2 + 2, entries.size());
        for (LayerProfile.Entry e : entries) {
            assertTrue(e.forwardMs() >= 0 && e.backwardMs() >= 0, e.toString());
            if (e.type().equals("Conv2d")) assertTrue(e.backwardMs() > 0, e.name() + " has a backward pass");
        }
        assertEquals("fc", entries.get(entries.size() - 1).name());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        MainTest.Run r = MainTest.run("bench", "--arch", "lenet");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown architecture 'lenet'"), r.err());
        r = MainTest.run("bench", "--arch", "resnet18", "--steps", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--steps must be at least 1"), r.err());
        r = MainTest.run("bench", "--arch", "resnet18", "--device", "tpu");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--device tpu"), r.err());
        r = MainTest.run("bench", "--arch", "resnet18", "--mode", "fly");
        assertEquals(2, r.exit());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    /**
     * 200 SGD steps of a small ResNet-18: the heap after a full GC at step 200 is no larger than at
     * step 20 beyond noise. A leak of the autograd graph, of saved activations or of optimiser state
     * would grow it by at least the activations of one step (~0.4 MB here) every step.
     */
    @Test
    void twoHundredTrainingStepsKeepMemoryFlat() {
        ModelStep step = new ModelStep("resnet18", 4, 32, 10, 8, true, Device.CPU, 7);
        long at20 = 0;
        for (int i = 1; i <= 200; i++) {
            double loss = step.step();
            assertTrue(Double.isFinite(loss), "loss at step " + i + ": " + loss);
            if (i == 20) at20 = MemoryStats.heapAfterGc();
        }
        long at200 = MemoryStats.heapAfterGc();
        long growth = at200 - at20;
        assertTrue(growth < 4L << 20, "heap after GC grew by " + growth + " bytes from step 20 (" + at20 + ") to step 200 (" + at200 + ")");
    }
}
