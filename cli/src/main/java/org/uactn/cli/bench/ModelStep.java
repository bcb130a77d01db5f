// One benchmark step of a zoo network on a fixed random batch: a full SGD training step (forward,
// cross-entropy, backward, SGD momentum 0.9 weight decay 1e-4) or a no-grad inference pass. Shared by
// `uactn bench`, the JMH benchmark and the memory-stability test, so that all three time the same work.
package org.uactn.cli.bench;

import org.uactn.core.autograd.GradMode;
import org.uactn.core.nn.Module;
import org.uactn.core.ops.LossReduction;
import org.uactn.core.ops.Losses;
import org.uactn.core.optim.SGD;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Tensor;
import org.uactn.core.zoo.Models;

public final class ModelStep {
    private final Module model;
    private final Tensor input, labels;
    private final SGD optimizer;
    private final boolean train;
    private double lastLoss = Double.NaN;

    /**
     * Builds arch with random weights from seed and a random [batch, 3, size, size] batch with
     * labels in [0, classes); train selects the training step, otherwise inference.
     */
    public ModelStep(String arch, int batch, int size, int classes, int widthDiv, boolean train, Device device, long seed) {
        if (batch < 1 || size < 1 || classes < 1) {
            throw new IllegalArgumentException("bench: batch, size and classes must be >= 1, got batch=" + batch + " size=" + size + " classes=" + classes);
        }
        Generator gen = new Generator(seed);
        Module m = Models.create(arch, classes, widthDiv, gen);
        if (!device.isCpu()) m.to(device);
        this.model = m.train(train);
        this.train = train;
        this.input = Tensor.randn(gen, batch, 3, size, size).to(device);
        this.labels = Tensor.randint(gen, classes, batch).to(device);
        // Built after the move: the optimiser must hold the tensors that live on the device.
        this.optimizer = train ? new SGD(model.parameters(), SGD.options().lr(0.01).momentum(0.9).weightDecay(1e-4)) : null;
    }

    public Module model() { return model; }

    public int batch() { return input.size(0); }

    /** The fixed input batch [batch, 3, size, size]. */
    public Tensor input() { return input; }

    /** Loss of the last training step (NaN in inference mode). */
    public double lastLoss() { return lastLoss; }

    /**
     * Runs one step and returns a value that depends on its result (so that a benchmark harness
     * cannot discard the work). Synchronises with the device by reading one number back.
     */
    public double step() {
        if (!train) {
            try (var g = GradMode.noGrad()) {
                return model.call(input).get(0, 0);
            }
        }
        optimizer.zeroGrad();
        Tensor loss = Losses.crossEntropy(model.call(input), labels, LossReduction.MEAN, 0);
        loss.backward();
        optimizer.step();
        lastLoss = loss.item();
        return lastLoss;
    }
}
