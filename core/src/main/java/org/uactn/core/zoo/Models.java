package org.uactn.core.zoo;

import org.uactn.core.nn.Module;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import java.util.List;

/** The model zoo by torchvision name: resnet18/34/50, alexnet, vgg16, vgg19. */
public final class Models {
    public static final List<String> ARCHITECTURES = List.of("resnet18", "resnet34", "resnet50", "alexnet", "vgg16", "vgg19");

    private Models() {}

    public static Module create(String arch, int numClasses) { return create(arch, numClasses, 1, Generator.global()); }

    /** widthDiv divides every layer's width (1 = the real architecture; larger values give small test variants). */
    public static Module create(String arch, int numClasses, int widthDiv, Generator gen) {
        if (widthDiv < 1 || 64 % widthDiv != 0) throw new IllegalArgumentException("width divisor must divide 64, got " + widthDiv);
        return switch (arch) {
            case "resnet18" -> new ResNet(ResNet.Block.BASIC, new int[] {2, 2, 2, 2}, numClasses, 64 / widthDiv, gen);
            case "resnet34" -> new ResNet(ResNet.Block.BASIC, new int[] {3, 4, 6, 3}, numClasses, 64 / widthDiv, gen);
            case "resnet50" -> new ResNet(ResNet.Block.BOTTLENECK, new int[] {3, 4, 6, 3}, numClasses, 64 / widthDiv, gen);
            case "alexnet" -> new AlexNet(numClasses, widthDiv, gen);
            case "vgg16" -> new Vgg(Vgg.VGG16, numClasses, widthDiv, gen);
            case "vgg19" -> new Vgg(Vgg.VGG19, numClasses, widthDiv, gen);
            default -> throw new IllegalArgumentException("unknown architecture '" + arch + "'; known: " + String.join(", ", ARCHITECTURES));
        };
    }

    /** The backbone's feature vector as UACTN uses it (pooled for ResNets, the 4096-d layer for AlexNet/VGG). */
    public static Tensor features(Module model, Tensor x) {
        return switch (model) {
            case ResNet r -> r.features(x);
            case AlexNet a -> a.features(x);
            case Vgg v -> v.features(x);
            default -> throw new IllegalArgumentException("no feature-extractor form for " + model.getClass().getSimpleName());
        };
    }
}
