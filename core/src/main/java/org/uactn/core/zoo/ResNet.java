package org.uactn.core.zoo;

import org.uactn.core.nn.AdaptiveAvgPool2d;
import org.uactn.core.nn.BatchNorm2d;
import org.uactn.core.nn.Conv2d;
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
 * ResNet v1.5 with torchvision's module tree and parameter names (conv1, bn1, layer1.0.conv1, ...,
 * fc). {@code baseWidth} scales every stage (64 in torchvision; smaller for quick tests); the
 * feature-extractor form is {@link #features}: the globally pooled vector before {@code fc}.
 */
public final class ResNet extends Module {
    /** The two residual block kinds: two 3x3 convolutions (expansion 1) or 1x1-3x3-1x1 (expansion 4). */
    public enum Block {
        BASIC(1), BOTTLENECK(4);

        final int expansion;

        Block(int expansion) { this.expansion = expansion; }
    }

    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu = new ReLU();
    private final MaxPool2d maxpool;
    private final Sequential[] stages = new Sequential[4];
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;
    private final int featureSize;

    public ResNet(Block block, int[] layers, int numClasses, int baseWidth, Generator gen) {
        if (layers.length != 4) throw new IllegalArgumentException("resnet: expected 4 stage depths, got " + layers.length);
        if (numClasses < 1) throw new IllegalArgumentException("resnet: numClasses must be >= 1, got " + numClasses);
        conv1 = registerModule("conv1", new Conv2d(3, baseWidth, 7, 2, 3, false));
        bn1 = registerModule("bn1", new BatchNorm2d(baseWidth));
        registerModule("relu", relu);
        maxpool = registerModule("maxpool", new MaxPool2d(3, 2, 1));
        int inplanes = baseWidth;
        for (int s = 0; s < 4; s++) {
            int planes = baseWidth << s;
            int stride = s == 0 ? 1 : 2;
            List<Module> blocks = new ArrayList<>();
            for (int b = 0; b < layers[s]; b++) {
                blocks.add(block == Block.BASIC ? new BasicBlock(inplanes, planes, b == 0 ? stride : 1)
                        : new Bottleneck(inplanes, planes, b == 0 ? stride : 1));
                inplanes = planes * block.expansion;
            }
            stages[s] = registerModule("layer" + (s + 1), new Sequential(blocks));
        }
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        featureSize = inplanes;
        fc = registerModule("fc", new Linear(inplanes, numClasses));
        initialise(gen);
    }

    /** torchvision's initialisation: convolutions kaiming-normal (fan_out, relu), batch norms 1/0, fc PyTorch default. */
    private void initialise(Generator gen) {
        for (Module m : namedModules().values()) {
            if (m instanceof Conv2d c) Init.kaimingNormal(c.weight(), 0, Init.FanMode.FAN_OUT, "relu", gen);
        }
        fc.resetParameters(gen);
    }

    /** Length of the pooled feature vector (512 * expansion * baseWidth / 64). */
    public int featureSize() { return featureSize; }

    /** The pooled, flattened features before the classifier: [N, featureSize]. */
    public Tensor features(Tensor x) {
        Tensor h = maxpool.call(relu.call(bn1.call(conv1.call(x))));
        for (Sequential stage : stages) h = stage.call(h);
        return avgpool.call(h).flatten(1, -1);
    }

    @Override
    public Tensor forward(Tensor x) { return fc.call(features(x)); }

    /** Two 3x3 convolutions with a shortcut. */
    static final class BasicBlock extends Module {
        private final Conv2d conv1, conv2;
        private final BatchNorm2d bn1, bn2;
        private final ReLU relu = new ReLU();
        private final Sequential downsample;

        BasicBlock(int inplanes, int planes, int stride) {
            conv1 = registerModule("conv1", new Conv2d(inplanes, planes, 3, stride, 1, false));
            bn1 = registerModule("bn1", new BatchNorm2d(planes));
            registerModule("relu", relu);
            conv2 = registerModule("conv2", new Conv2d(planes, planes, 3, 1, 1, false));
            bn2 = registerModule("bn2", new BatchNorm2d(planes));
            downsample = stride != 1 || inplanes != planes ? registerModule("downsample", shortcut(inplanes, planes, stride)) : null;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = relu.call(bn1.call(conv1.call(x)));
            out = bn2.call(conv2.call(out));
            Tensor identity = downsample == null ? x : downsample.call(x);
            return relu.call(out.add(identity));
        }
    }

    /** 1x1 reduce, 3x3 (carrying the stride, as in v1.5), 1x1 expand by 4, with a shortcut. */
    static final class Bottleneck extends Module {
        private final Conv2d conv1, conv2, conv3;
        private final BatchNorm2d bn1, bn2, bn3;
        private final ReLU relu = new ReLU();
        private final Sequential downsample;

        Bottleneck(int inplanes, int planes, int stride) {
            int out = planes * 4;
            conv1 = registerModule("conv1", new Conv2d(inplanes, planes, 1, 1, 0, false));
            bn1 = registerModule("bn1", new BatchNorm2d(planes));
            conv2 = registerModule("conv2", new Conv2d(planes, planes, 3, stride, 1, false));
            bn2 = registerModule("bn2", new BatchNorm2d(planes));
            conv3 = registerModule("conv3", new Conv2d(planes, out, 1, 1, 0, false));
            bn3 = registerModule("bn3", new BatchNorm2d(out));
            registerModule("relu", relu);
            downsample = stride != 1 || inplanes != out ? registerModule("downsample", shortcut(inplanes, out, stride)) : null;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = relu.call(bn1.call(conv1.call(x)));
            h = relu.call(bn2.call(conv2.call(h)));
            h = bn3.call(conv3.call(h));
            Tensor identity = downsample == null ? x : downsample.call(x);
            return relu.call(h.add(identity));
        }
    }

    private static Sequential shortcut(int in, int out, int stride) {
        return new Sequential(new Conv2d(in, out, 1, stride, 0, false), new BatchNorm2d(out));
    }
}
