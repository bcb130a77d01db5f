#!/usr/bin/python3
"""Writes the model-zoo parity fixtures (ZooParityTest) with Debian's python3-torch/torchvision.

Run from the repository root:  /usr/bin/python3 core/src/test/python/make_zoo_fixtures.py

Each network is torchvision's architecture with every width divided by a factor (so that the
committed files stay small); the ResNets are assembled from torchvision's own BasicBlock and
Bottleneck modules with torchvision's parameter names. Batch-norm statistics and affine
parameters are randomised so that eval and train modes differ. Each case file holds the weights
under "w.<name>", the input "x", outputs "eval" and "train" (and for ResNet-18 the labels, the
loss and every parameter gradient, in a second file).
"""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from make_parity_fixtures import write_safetensors
from torchvision.models import alexnet, vgg16
from torchvision.models.resnet import BasicBlock, Bottleneck

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "zoo")


def save(tensors, path):
    write_safetensors(path, tensors, {"source": "make_zoo_fixtures.py"})


class SmallResNet(nn.Module):
    """torchvision's ResNet with base width `base` instead of 64 (same module names)."""

    def __init__(self, block, layers, num_classes, base):
        super().__init__()
        self.inplanes = base
        self.conv1 = nn.Conv2d(3, base, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(base)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, base, layers[0], 1)
        self.layer2 = self._make_layer(block, base * 2, layers[1], 2)
        self.layer3 = self._make_layer(block, base * 4, layers[2], 2)
        self.layer4 = self._make_layer(block, base * 8, layers[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(base * 8 * block.expansion, num_classes)

    def _make_layer(self, block, planes, blocks, stride):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(nn.Conv2d(self.inplanes, planes * block.expansion, 1, stride=stride, bias=False),
                                       nn.BatchNorm2d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        for _ in range(1, blocks):
            layers.append(block(self.inplanes, planes))
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def shrink_classic(model, div):
    """Rebuilds AlexNet/VGG layers with widths divided by div, keeping the Sequential indices."""
    def conv(c):
        return nn.Conv2d(c.in_channels if c.in_channels == 3 else c.in_channels // div, c.out_channels // div,
                         c.kernel_size, c.stride, c.padding)
    for i, m in enumerate(model.features):
        if isinstance(m, nn.Conv2d):
            model.features[i] = conv(m)
    for i, m in enumerate(model.classifier):
        if isinstance(m, nn.Linear):
            last = i == len(model.classifier) - 1
            model.classifier[i] = nn.Linear(m.in_features // div, m.out_features if last else m.out_features // div)
    return model


def randomise_bn(model):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)


def case(name, model, x, backward=False, classes=10):
    tensors = {"w." + k: v.detach().clone() for k, v in model.state_dict().items()}
    tensors["x"] = x
    model.eval()
    with torch.no_grad():
        tensors["eval"] = model(x)
    model.train()
    torch.manual_seed(99)  # dropout masks in train mode are not compared; see the test
    train_out = model(x)
    tensors["train"] = train_out.detach()
    save(tensors, os.path.join(OUT, name + ".safetensors"))
    if backward:
        labels = torch.randint(0, classes, (x.shape[0],))
        loss = F.cross_entropy(train_out, labels)
        loss.backward()
        grads = {"g." + k: p.grad.detach().clone() for k, p in model.named_parameters()}
        grads["labels"] = labels
        grads["loss"] = loss.detach().reshape(1)
        save(grads, os.path.join(OUT, name + "_grads.safetensors"))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(2024)
    r18 = SmallResNet(BasicBlock, [2, 2, 2, 2], 10, 8)
    randomise_bn(r18)
    case("resnet18_w8", r18, torch.randn(4, 3, 48, 48), backward=True)
    r50 = SmallResNet(Bottleneck, [3, 4, 6, 3], 10, 4)
    randomise_bn(r50)
    case("resnet50_w4", r50, torch.randn(2, 3, 40, 40))
    alex = shrink_classic(alexnet(num_classes=10), 32)
    case("alexnet_d32", alex, torch.randn(2, 3, 72, 72))
    vgg = shrink_classic(vgg16(num_classes=10), 32)
    case("vgg16_d32", vgg, torch.randn(2, 3, 32, 32))
    for f in sorted(os.listdir(OUT)):
        print(f, os.path.getsize(os.path.join(OUT, f)))


if __name__ == "__main__":
    main()
