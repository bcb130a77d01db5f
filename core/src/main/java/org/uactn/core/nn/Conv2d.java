// 2-D convolution layer (NCHW) with PyTorch's parameters, default initialisation and repr.
package org.uactn.core.nn;

import org.uactn.core.ops.Convolution;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

/** torch.nn.Conv2d: weight [out, in / groups, kH, kW], optional bias [out]. */
public final class Conv2d extends Module {
    private final int inChannels, outChannels, groups;
    private final int[] kernel, stride, padding, dilation;

    public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias) {
        this.kernel = pair("kernel_size", kernel, 1);
        this.stride = pair("stride", stride, 1);
        this.padding = pair("padding", padding, 0);
        this.dilation = pair("dilation", dilation, 1);
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("Conv2d: channels must be positive, got in=" + inChannels + " out=" + outChannels);
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: groups=" + groups + " must divide in_channels=" + inChannels + " and out_channels=" + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        registerParameter("weight", Tensor.zeros(outChannels, inChannels / groups, this.kernel[0], this.kernel[1]));
        registerParameter("bias", bias ? Tensor.zeros(outChannels) : null);
        resetParameters(Generator.global());
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, int groups, boolean bias) {
        this(inChannels, outChannels, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {dilation, dilation}, groups, bias);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias) {
        this(inChannels, outChannels, kernel, stride, padding, 1, 1, bias);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding) {
        this(inChannels, outChannels, kernel, stride, padding, 1, 1, true);
    }

    public Conv2d(int inChannels, int outChannels, int kernel) { this(inChannels, outChannels, kernel, 1, 0); }

    private static int[] pair(String what, int[] v, int min) {
        if (v == null || v.length != 2 || v[0] < min || v[1] < min) {
            throw new IllegalArgumentException("Conv2d: " + what + " must be two values >= " + min + ", got " + java.util.Arrays.toString(v));
        }
        return v.clone();
    }

    /** PyTorch's default: kaiming_uniform(a=sqrt(5)) weight, U(+-1/sqrt(fan_in)) bias. */
    public void resetParameters(Generator gen) { Init.defaultLinearInit(weight(), bias(), gen); }

    public Tensor weight() { return param("weight"); }

    /** Null when built without bias. */
    public Tensor bias() { return param("bias"); }

    public int inChannels() { return inChannels; }

    public int outChannels() { return outChannels; }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) != inChannels) {
            throw new IllegalArgumentException("Conv2d: expected input [N, " + inChannels + ", H, W], got " + org.uactn.core.tensor.Shapes.str(x.shape()));
        }
        return Convolution.conv2d(x, weight(), bias(), stride, padding, dilation, groups);
    }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(pyTuple(kernel[0], kernel[1]))
                .append(", stride=").append(pyTuple(stride[0], stride[1]));
        if (padding[0] != 0 || padding[1] != 0) sb.append(", padding=").append(pyTuple(padding[0], padding[1]));
        if (dilation[0] != 1 || dilation[1] != 1) sb.append(", dilation=").append(pyTuple(dilation[0], dilation[1]));
        if (groups != 1) sb.append(", groups=").append(groups);
        if (bias() == null) sb.append(", bias=False");
        return sb.toString();
    }
}
