package org.uactn.core.zoo;

import org.uactn.core.nn.AdaptiveAvgPool2d;
import org.uactn.core.nn.Conv2d;
import org.uactn.core.nn.Dropout;
import org.uactn.core.nn.Linear;
import org.uactn.core.nn.MaxPool2d;
import org.uactn.core.nn.Module;
import org.uactn.core.nn.ReLU;
import org.uactn.core.nn.Sequential;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

/**
 * AlexNet as in torchvision (features.0..12, avgpool to 6x6, classifier.0..6). {@code widthDiv}
 * divides every channel and hidden width (1 for the real network). {@link #features} is the
 * 4096-d activation before the last linear layer, the form UACTN uses.
 */
public final class AlexNet extends Module {
    private final Sequential features;
    private final AdaptiveAvgPool2d avgpool;
    private final Sequential classifier;

    public AlexNet(int numClasses, int widthDiv, Generator gen) {
        int c1 = 64 / widthDiv, c2 = 192 / widthDiv, c3 = 384 / widthDiv, c4 = 256 / widthDiv, hidden = 4096 / widthDiv;
        features = registerModule("features", new Sequential(
                new Conv2d(3, c1, 11, 4, 2), new ReLU(), new MaxPool2d(3, 2),
                new Conv2d(c1, c2, 5, 1, 2), new ReLU(), new MaxPool2d(3, 2),
                new Conv2d(c2, c3, 3, 1, 1), new ReLU(),
                new Conv2d(c3, c4, 3, 1, 1), new ReLU(),
                new Conv2d(c4, c4, 3, 1, 1), new ReLU(), new MaxPool2d(3, 2)));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(6, 6));
        classifier = registerModule("classifier", new Sequential(
                new Dropout(0.5), new Linear(c4 * 36, hidden), new ReLU(),
                new Dropout(0.5), new Linear(hidden, hidden), new ReLU(),
                new Linear(hidden, numClasses)));
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d c) c.resetParameters(gen);
            else if (m instanceof Linear l) l.resetParameters(gen);
        }
    }

    /** The activation after classifier.5 (ReLU): [N, 4096 / widthDiv]. */
    public Tensor features(Tensor x) {
        Tensor h = avgpool.call(features.call(x)).flatten(1, -1);
        for (int i = 0; i < 6; i++) h = classifier.get(i).call(h);
        return h;
    }

    @Override
    public Tensor forward(Tensor x) { return classifier.get(6).call(features(x)); }
}
