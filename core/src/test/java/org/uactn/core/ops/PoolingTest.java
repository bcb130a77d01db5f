// Pooling values worked out by hand (default stride, padding, count_include_pad, adaptive windows) and bad arguments.
package org.uactn.core.ops;

import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolingTest {
    /** 1 x 1 x 4 x 4 holding 0..15 row-major. */
    private static Tensor grid() {
        double[] v = new double[16];
        for (int i = 0; i < 16; i++) v[i] = i;
        return Tensor.of(v, 1, 1, 4, 4);
    }

    @Test
    void maxPoolStrideDefaultsToTheKernel() {
        Tensor y = Pooling.maxPool2d(grid(), new int[] {2}, null, null, null, false);
        assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new double[] {5, 7, 13, 15}, y.toDoubleArray(), 0);
        assertArrayEquals(y.toDoubleArray(), Pooling.maxPool2d(grid(), new int[] {2, 2}, new int[0], null, null, false).toDoubleArray(), 0);
        // Gradient goes to the maxima only.
        Tensor x = grid().requiresGrad(true);
        Reductions.sum(Pooling.maxPool2d(x, new int[] {2}, null, null, null, false)).backward();
        double[] g = x.grad().toDoubleArray();
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1}, g, 0);
    }

    @Test
    void maxPoolWithPaddingAndCeilMode() {
        // Windows of 3 with stride 2 and padding 1 start at -1, 1, (3 with ceil mode: starts inside the input).
        Tensor y = Pooling.maxPool2d(grid(), new int[] {3}, new int[] {2}, new int[] {1}, null, false);
        assertArrayEquals(new double[] {5, 7, 13, 15}, y.toDoubleArray(), 0);
        Tensor c = Pooling.maxPool2d(grid(), new int[] {3}, new int[] {2}, new int[] {0}, null, true);
        assertArrayEquals(new double[] {10, 11, 14, 15}, c.toDoubleArray(), 0);
    }

    @Test
    void averagePoolCountsPaddingOnlyWhenAsked() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor include = Pooling.avgPool2d(x, new int[] {2}, new int[] {1}, new int[] {1}, false, true);
        Tensor exclude = Pooling.avgPool2d(x, new int[] {2}, new int[] {1}, new int[] {1}, false, false);
        assertArrayEquals(new int[] {1, 1, 3, 3}, include.shape());
        assertArrayEquals(new double[] {1 / 4.0, 3 / 4.0, 2 / 4.0, 4 / 4.0, 10 / 4.0, 6 / 4.0, 3 / 4.0, 7 / 4.0, 4 / 4.0}, include.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4}, exclude.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {2.5, 4.5, 10.5, 12.5}, Pooling.avgPool2d(grid(), new int[] {2}, null, null, false, true).toDoubleArray(), 1e-12);
    }

    @Test
    void adaptiveWindowsOverlapLikePyTorch() {
        // Length 4 into 3: windows [0, 2), [1, 3), [2, 4).
        Tensor y = Pooling.adaptiveAvgPool2d(grid(), 3, 1);
        assertArrayEquals(new int[] {1, 1, 3, 1}, y.shape());
        assertArrayEquals(new double[] {(0 + 1 + 2 + 3 + 4 + 5 + 6 + 7) / 8.0, (4 + 11) / 2.0, (8 + 15) / 2.0}, y.toDoubleArray(), 1e-12);
        Tensor unbatched = Pooling.adaptiveAvgPool2d(Views.squeeze(grid(), 0), 1, 1);
        assertArrayEquals(new int[] {1, 1, 1}, unbatched.shape());
        assertArrayEquals(new double[] {7.5}, unbatched.toDoubleArray(), 1e-12);
    }

    @Test
    void badArgumentsNameTheOpAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pooling.maxPool2d(Tensor.zeros(4, 4), new int[] {2}, null, null, null, false));
        assertTrue(e.getMessage().contains("max_pool2d") && e.getMessage().contains("[4, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Pooling.maxPool2d(Tensor.zeros(1, 1, 2, 2), new int[] {3}, null, null, null, false));
        assertTrue(e.getMessage().contains("[1, 1, 2, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Pooling.maxPool2d(Tensor.zeros(1, 1, 4, 4), new int[] {2}, null, new int[] {2}, null, false));
        assertThrows(IllegalArgumentException.class, () -> Pooling.avgPool2d(Tensor.zeros(1, 1, 4, 4), new int[] {0}, null, null, false, true));
        assertThrows(IllegalArgumentException.class, () -> Pooling.avgPool2d(Tensor.zeros(1, 1, 4, 4), new int[] {2}, new int[] {1, 1, 1}, null, false, true));
        assertThrows(IllegalArgumentException.class, () -> Pooling.adaptiveAvgPool2d(Tensor.zeros(1, 1, 4, 4), 0, 2));
        assertThrows(IllegalArgumentException.class, () -> Pooling.adaptiveAvgPool2d(Tensor.zeros(1, 4, 4, 4, 4), 2, 2));
    }
}
