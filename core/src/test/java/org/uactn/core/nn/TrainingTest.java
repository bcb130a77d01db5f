package org.uactn.core.nn;

import org.junit.jupiter.api.Test;
import org.uactn.core.ops.LossReduction;
import org.uactn.core.ops.Losses;
import org.uactn.core.optim.SGD;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.*;

/** End-to-end: layers + autograd + SGD learn a small vision task, and a long loop keeps memory flat. */
class TrainingTest {
    private static final int SIZE = 16;

    /** Images with one bright Gaussian blob; the label is the quadrant holding its centre. */
    private static Tensor[] quadrantData(int n, Generator g) {
        float[] img = new float[n * SIZE * SIZE];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            int q = g.nextInt(4);
            labels[i] = q;
            double cy = (q / 2) * 8 + 1.5 + g.nextDouble() * 5, cx = (q % 2) * 8 + 1.5 + g.nextDouble() * 5;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
                    img[(i * SIZE + y) * SIZE + x] = (float) (Math.exp(-d2 / 4.0) + 0.2 * g.nextGaussian());
                }
            }
        }
        return new Tensor[] {Tensor.of(img, n, 1, SIZE, SIZE), Tensor.ofLong(labels, n)};
    }

    private static double accuracy(Tensor logits, Tensor labels) {
        float[] l = logits.toFloatArray();
        long[] y = labels.toLongArray();
        int k = logits.size(1), correct = 0;
        for (int i = 0; i < y.length; i++) {
            int best = 0;
            for (int c = 1; c < k; c++) if (l[i * k + c] > l[i * k + best]) best = c;
            if (best == y[i]) correct++;
        }
        return correct / (double) y.length;
    }

    @Test
    void tinyCnnLearnsWhichQuadrantHoldsTheBlob() {
        Generator.seedGlobal(11);
        Generator g = new Generator(2024);
        Tensor[] data = quadrantData(256, g);
        Sequential net = new Sequential(
                new Conv2d(1, 8, 3, 1, 1), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
                new Conv2d(8, 16, 3, 1, 1), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(16 * 4 * 4, 4));
        SGD opt = new SGD(net.parameters(), SGD.options().lr(0.05).momentum(0.9).weightDecay(1e-4));
        int batch = 32;
        long t0 = System.nanoTime();
        double firstLoss = Double.NaN, lastLoss = Double.NaN;
        for (int step = 0; step < 240; step++) {
            int start = (step % (256 / batch)) * batch;
            Tensor x = data[0].narrow(0, start, batch).contiguous();
            Tensor y = data[1].narrow(0, start, batch).contiguous();
            opt.zeroGrad();
            Tensor loss = Losses.crossEntropy(net.forward(x), y, LossReduction.MEAN, 0.0);
            loss.backward();
            opt.step();
            if (step == 0) firstLoss = loss.item();
            lastLoss = loss.item();
        }
        net.eval();
        double acc = accuracy(net.forward(data[0]), data[1]);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("tiny CNN: loss %.3f -> %.3f, train accuracy %.3f, %.1f s%n", firstLoss, lastLoss, acc, seconds);
        assertTrue(acc >= 0.95, "training accuracy " + acc);
        assertTrue(lastLoss < firstLoss);
    }

    @Test
    void longTrainingLoopDoesNotGrowTheHeap() {
        Generator g = new Generator(77);
        Sequential mlp = new Sequential(new Linear(32, 64), new ReLU(), new Linear(64, 64), new ReLU(), new Linear(64, 4));
        SGD opt = new SGD(mlp.parameters(), SGD.options().lr(0.01).momentum(0.9));
        Tensor x = Tensor.randn(g, 16, 32);
        Tensor y = Tensor.randint(g, 4, 16);
        long at100 = 0;
        for (int step = 1; step <= 1000; step++) {
            opt.zeroGrad();
            Losses.crossEntropy(mlp.forward(x), y, LossReduction.MEAN, 0.0).backward();
            opt.step();
            if (step == 100) at100 = usedHeap();
        }
        long at1000 = usedHeap();
        System.out.printf("MLP heap: %.2f MB at step 100, %.2f MB at step 1000%n", at100 / 1e6, at1000 / 1e6);
        // A leaked graph would keep tens of KB per step here (tens of MB over 900 steps).
        assertTrue(at1000 - at100 < 8_000_000, "heap grew by " + (at1000 - at100) + " bytes");
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }
}
