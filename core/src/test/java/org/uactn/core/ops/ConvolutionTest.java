// conv2d against a direct host convolution (stride, padding, dilation, groups), unbatched input, and shape errors.
package org.uactn.core.ops;

import org.junit.jupiter.api.Test;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvolutionTest {
    private final Generator gen = new Generator(5);

    /** Direct definition of NCHW convolution with groups, on host arrays. */
    private static double[] direct(Tensor x, Tensor w, Tensor b, int sh, int sw, int ph, int pw, int dh, int dw, int groups, int oh, int ow) {
        int[] xs = x.shape(), ws = w.shape();
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3], o = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
        double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), bv = b == null ? new double[o] : b.toDoubleArray();
        double[] out = new double[n * o * oh * ow];
        int og = o / groups;
        for (int ni = 0; ni < n; ni++) for (int oi = 0; oi < o; oi++) for (int y = 0; y < oh; y++) for (int z = 0; z < ow; z++) {
            double s = bv[oi];
            int g = oi / og;
            for (int ci = 0; ci < cg; ci++) for (int i = 0; i < kh; i++) for (int j = 0; j < kw; j++) {
                int iy = y * sh - ph + i * dh, iz = z * sw - pw + j * dw;
                if (iy < 0 || iy >= h || iz < 0 || iz >= wd) continue;
                s += xv[((ni * c + g * cg + ci) * h + iy) * wd + iz] * wv[((oi * cg + ci) * kh + i) * kw + j];
            }
            out[((ni * o + oi) * oh + y) * ow + z] = s;
        }
        return out;
    }

    @Test
    void matchesTheDirectDefinition() {
        Tensor x = Samples.normal(gen, 2, 4, 7, 6), w = Samples.normal(gen, 6, 2, 3, 2), b = Samples.normal(gen, 6);
        Tensor y = Convolution.conv2d(x, w, b, new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}, 2);
        // H: (7 + 2 - 2 - 1) / 2 + 1 = 4; W: (6 + 4 - 2 - 1) / 1 + 1 = 8.
        assertArrayEquals(new int[] {2, 6, 4, 8}, y.shape());
        assertArrayEquals(direct(x, w, b, 2, 1, 1, 2, 1, 2, 2, 4, 8), y.toDoubleArray(), 1e-12);

        Tensor y2 = Convolution.conv2d(x, Samples.normal(gen, 3, 4, 2, 2), null, null, null, null, 1);
        assertArrayEquals(new int[] {2, 3, 6, 5}, y2.shape());
    }

    @Test
    void acceptsUnbatchedInputAndStridedViews() {
        Tensor x = Samples.normal(gen, 3, 5, 5), w = Samples.normal(gen, 2, 3, 3, 3);
        Tensor unbatched = Convolution.conv2d(x, w, null, new int[] {1}, new int[] {1}, null, 1);
        assertArrayEquals(new int[] {2, 5, 5}, unbatched.shape());
        Tensor batched = Convolution.conv2d(Views.unsqueeze(x, 0), w, null, new int[] {1}, new int[] {1}, null, 1);
        assertArrayEquals(batched.toDoubleArray(), unbatched.toDoubleArray(), 0);
        Tensor xt = Views.transpose(Views.unsqueeze(x, 0), 2, 3);
        Tensor viaView = Convolution.conv2d(xt, w, null, null, new int[] {1}, null, 1);
        Tensor viaCopy = Convolution.conv2d(Views.contiguous(xt), w, null, null, new int[] {1}, null, 1);
        assertArrayEquals(viaCopy.toDoubleArray(), viaView.toDoubleArray(), 0);
    }

    @Test
    void biasGradientIsTheSumOverBatchAndSpace() {
        Tensor x = Samples.normal(gen, 2, 1, 3, 3), w = Samples.normal(gen, 2, 1, 2, 2);
        Tensor b = Tensor.of(new double[] {0, 0}, 2).requiresGrad(true);
        Reductions.sum(Convolution.conv2d(x, w, b, null, null, null, 1)).backward();
        assertArrayEquals(new double[] {2 * 2 * 2, 2 * 2 * 2}, b.grad().toDoubleArray(), 0);
    }

    @Test
    void wrongChannelsNameTheShapes() {
        Tensor x = Tensor.zeros(2, 4, 5, 5), w = Tensor.zeros(8, 3, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(x, w, null, null, null, null, 1));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("[2, 4, 5, 5]") && e.getMessage().contains("[8, 3, 3, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(Tensor.zeros(1, 4, 5, 5), Tensor.zeros(6, 1, 3, 3), null, null, null, null, 4));
        assertTrue(e.getMessage().contains("groups=4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(Tensor.zeros(1, 3, 2, 2), Tensor.zeros(2, 3, 3, 3), null, null, null, null, 1));
        assertTrue(e.getMessage().contains("[1, 3, 2, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(Tensor.zeros(4, 5, 5), w, null, null, null, null, 1)); // wrong channels, unbatched
        assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(Tensor.zeros(5, 5), Tensor.zeros(1, 1, 3, 3), null, null, null, null, 1));
        assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(2, 3, 3), null, null, null, null, 1));
        assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(2, 3, 3, 3), Tensor.zeros(3), null, null, null, 1));
        assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(2, 3, 3, 3), null, new int[] {0}, null, null, 1));
        assertThrows(IllegalArgumentException.class, () -> Convolution.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(2, 3, 3, 3), null, new int[] {1, 1, 1}, null, null, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Convolution.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(2, 3, 3, 3).to(org.uactn.core.tensor.DType.FLOAT64), null, null, null, null, 1));
    }
}
