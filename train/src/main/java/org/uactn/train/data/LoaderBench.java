// Measures the data pipeline against training compute: batch-32 64x64 sketch loading (decode + augment) vs a ResNet-18 train step.
package org.uactn.train.data;

import org.uactn.core.backend.cpu.Parallel;
import org.uactn.core.nn.Module;
import org.uactn.core.ops.LossReduction;
import org.uactn.core.ops.Losses;
import org.uactn.core.optim.SGD;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;
import org.uactn.core.zoo.Models;
import org.uactn.train.synth.SynthBenchmark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Usage: LoaderBench [dataset folder] (default: a small synthetic benchmark in a temporary folder).
 * Reports (1) the time to build one batch on one thread, (2) the time of one training step, and
 * (3) how long the training loop waited for data per batch with 2 prefetching workers.
 */
public final class LoaderBench {
    private LoaderBench() {}

    public static void main(String[] args) throws Exception {
        Path dir;
        if (args.length > 0) dir = Path.of(args[0]);
        else {
            dir = Files.createTempDirectory("uactn-loaderbench");
            SynthBenchmark.generate(SynthBenchmark.Config.defaults().withShapes(2).withThreads(Parallel.threads()), dir.resolve("synth"), new SynthBenchmark.Listener() {});
            dir = dir.resolve("synth");
        }
        SbsrDataset d = DatasetReader.read(dir);
        List<SbsrDataset.Sketch> s = d.sketches(SbsrDataset.Split.TRAIN);
        SampleSource src = SampleSource.images(s.stream().map(SbsrDataset.Sketch::file).toList(), s.stream().mapToInt(x -> d.label(x.className())).toArray(),
                Transform.sketchTrain(64));
        int batch = 32;

        double single;
        try (DataLoader l = new DataLoader(src, DataLoader.Options.of(batch, 1).withWorkers(0, 0))) {
            for (DataLoader.Batch b : l.epoch(0)) { /* warm-up */ }
            long t0 = System.nanoTime();
            int n = 0;
            for (DataLoader.Batch b : l.epoch(1)) if (b.indices().length == batch) n++;
            single = (System.nanoTime() - t0) / 1e9 / Math.max(1, l.batchesPerEpoch());
        }

        Module model = Models.create("resnet18", d.classes().size(), 1, new Generator(1));
        model.train();
        SGD opt = new SGD(model.parameters(), 0.01);
        Tensor x = Tensor.randn(new Generator(2), batch, 3, 64, 64);
        long[] y = new long[batch];
        for (int i = 0; i < batch; i++) y[i] = i % d.classes().size();
        Tensor yt = Tensor.ofLong(y, batch);
        for (int i = 0; i < 2; i++) step(model, opt, x, yt);
        int steps = 5;
        long t1 = System.nanoTime();
        for (int i = 0; i < steps; i++) step(model, opt, x, yt);
        double compute = (System.nanoTime() - t1) / 1e9 / steps;

        double waitPerBatch, loadPerBatch;
        int nb;
        try (DataLoader l = new DataLoader(src, DataLoader.Options.of(batch, 1).withWorkers(2, 4))) {
            double load = 0;
            nb = 0;
            for (DataLoader.Batch b : l.epoch(0)) {
                step(model, opt, b.images(), b.labels());
                load += b.loadSeconds();
                nb++;
            }
            waitPerBatch = l.waitSeconds() / nb;
            loadPerBatch = load / nb;
        }
        System.out.printf(Locale.ROOT, "batch %d, 64x64, sketch training augmentation, %d CPU thread(s)%n", batch, Parallel.threads());
        System.out.printf(Locale.ROOT, "loading one batch on one thread:        %7.1f ms%n", single * 1e3);
        System.out.printf(Locale.ROOT, "ResNet-18 train step (fwd+bwd+SGD):     %7.1f ms%n", compute * 1e3);
        System.out.printf(Locale.ROOT, "training with 2 prefetching workers:    wait %.1f ms per batch (worker build time %.1f ms per batch, %d batches)%n",
                waitPerBatch * 1e3, loadPerBatch * 1e3, nb);
    }

    private static void step(Module model, SGD opt, Tensor x, Tensor y) {
        opt.zeroGrad();
        Tensor loss = Losses.crossEntropy(model.call(x), y, LossReduction.MEAN, 0);
        loss.backward();
        opt.step();
    }
}
