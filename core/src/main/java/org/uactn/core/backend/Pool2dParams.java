package org.uactn.core.backend;

/** Geometry of a 2-D pooling window, with PyTorch's ceil_mode and count_include_pad semantics. */
public record Pool2dParams(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                           int dilationH, int dilationW, boolean ceilMode, boolean countIncludePad) {
    public Pool2dParams {
        if (kernelH < 1 || kernelW < 1) throw new IllegalArgumentException("pool2d: kernel must be >= 1, got " + kernelH + "x" + kernelW);
        if (strideH < 1 || strideW < 1) throw new IllegalArgumentException("pool2d: stride must be >= 1");
        if (padH < 0 || padW < 0 || 2 * padH > kernelH || 2 * padW > kernelW) {
            throw new IllegalArgumentException("pool2d: padding must be >= 0 and at most half the kernel, got " + padH + "x" + padW + " for kernel " + kernelH + "x" + kernelW);
        }
        if (dilationH < 1 || dilationW < 1) throw new IllegalArgumentException("pool2d: dilation must be >= 1");
    }

    public int outH(int h) { return outSize(h, kernelH, strideH, padH, dilationH); }

    public int outW(int w) { return outSize(w, kernelW, strideW, padW, dilationW); }

    private int outSize(int in, int k, int s, int p, int d) {
        int span = in + 2 * p - d * (k - 1) - 1;
        int out = (ceilMode ? Math.ceilDiv(span, s) : Math.floorDiv(span, s)) + 1;
        // PyTorch: the last window must start inside the input or the left padding.
        if (ceilMode && (out - 1) * s >= in + p) out--;
        return out;
    }
}
