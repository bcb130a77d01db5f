package org.uactn.core.ops;

import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

/** Random sample inputs for {@link OpSpec}s: float64 values in chosen ranges, and int64 indices. */
public final class Samples {
    private Samples() {}

    /** Standard normal float64 values. */
    public static Tensor normal(Generator g, int... shape) {
        double[] v = new double[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = g.nextGaussian();
        return Tensor.of(v, shape);
    }

    /** Uniform float64 values in [lo, hi). */
    public static Tensor uniform(Generator g, double lo, double hi, int... shape) {
        double[] v = new double[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * g.nextDouble();
        return Tensor.of(v, shape);
    }

    /** Values in [-2, 2] whose distance from each kink point is at least margin (for relu, abs, clamp). */
    public static Tensor awayFrom(Generator g, double margin, double[] kinks, int... shape) {
        double[] v = new double[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            double x;
            boolean ok;
            do {
                x = -2 + 4 * g.nextDouble();
                ok = true;
                for (double k : kinks) if (Math.abs(x - k) < margin) ok = false;
            } while (!ok);
            v[i] = x;
        }
        return Tensor.of(v, shape);
    }

    /** Distinct values (shuffled, spaced by at least 0.1) so that max/argmax/pooling have no ties. */
    public static Tensor distinct(Generator g, int... shape) {
        int n = Shapes.numel(shape);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (i - n / 2.0) * 0.1 + 0.02 * g.nextDouble();
        for (int i = n - 1; i > 0; i--) {
            int j = g.nextInt(i + 1);
            double t = v[i]; v[i] = v[j]; v[j] = t;
        }
        return Tensor.of(v, shape);
    }

    /** Uniform int64 values in [0, high). */
    public static Tensor indices(Generator g, int high, int... shape) {
        return Tensor.randint(g, high, shape);
    }
}
