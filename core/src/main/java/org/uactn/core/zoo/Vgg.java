package org.uactn.core.zoo;

import org.uactn.core.nn.AdaptiveAvgPool2d;
import org.uactn.core.nn.Conv2d;
import org.uactn.core.nn.Dropout;
import org.uactn.core.nn.Init;
import org.uactn.core.nn.Linear;
import org.uactn.core.nn.MaxPool2d;
import org.uactn.core.nn.Module;
import org.uactn.core.nn.ReLU;
import org.uactn.core.nn.Sequential;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * VGG-16 (configuration D) and VGG-19 (E) without batch norm, as in torchvision (features.N,
 * avgpool to 7x7, classifier.0/3/6). {@link #features} is the 4096-d activation before the last
 * linear layer. {@code widthDiv} divides every width (1 for the real network).
 */
public final class Vgg extends Module {
    static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};
    static final int[] VGG19 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0};

    private final Sequential features;
    private final AdaptiveAvgPool2d avgpool;
    private final Sequential classifier;

    /** config lists output channels, 0 for a 2x2 max-pool. */
    public Vgg(int[] config, int numClasses, int widthDiv, Generator gen) {
        List<Module> layers = new ArrayList<>();
        int in = 3;
        for (int c : config) {
            if (c == 0) {
                layers.add(new MaxPool2d(2, 2));
            } else {
                layers.add(new Conv2d(in, c / widthDiv, 3, 1, 1));
                layers.add(new ReLU());
                in = c / widthDiv;
            }
        }
        int hidden = 4096 / widthDiv;
        features = registerModule("features", new Sequential(layers));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(7, 7));
        classifier = registerModule("classifier", new Sequential(
                new Linear(in * 49, hidden), new ReLU(), new Dropout(0.5),
                new Linear(hidden, hidden), new ReLU(), new Dropout(0.5),
                new Linear(hidden, numClasses)));
        // torchvision: kaiming-normal (fan_out, relu) convolutions, N(0, 0.01) linears, zero biases.
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d c) {
                Init.kaimingNormal(c.weight(), 0, Init.FanMode.FAN_OUT, "relu", gen);
                Init.zeros(c.bias());
            } else if (m instanceof Linear l) {
                Init.normal(l.weight(), 0, 0.01, gen);
                Init.zeros(l.bias());
            }
        }
    }

    /** The activation after classifier.5 (dropout): [N, 4096 / widthDiv]. */
    public Tensor features(Tensor x) {
        Tensor h = avgpool.call(features.call(x)).flatten(1, -1);
        for (int i = 0; i < 6; i++) h = classifier.get(i).call(h);
        return h;
    }

    @Override
    public Tensor forward(Tensor x) { return classifier.get(6).call(features(x)); }
}
