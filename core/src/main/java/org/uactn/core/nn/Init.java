// Parameter initialisation with torch.nn.init's formulas (gains, fan computation, Kaiming and
// Xavier bounds); values are drawn on the host from a seeded Generator and copied in place.
package org.uactn.core.nn;

import org.uactn.core.autograd.GradMode;
import org.uactn.core.random.Generator;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.util.Locale;

/** Static initialisers mirroring torch.nn.init. Each fills the tensor in place (without recording) and returns it. */
public final class Init {
    private Init() {}

    /** Which fan a Kaiming initialiser preserves: the forward pass's (fan_in) or the backward pass's (fan_out). */
    public enum FanMode {
        FAN_IN, FAN_OUT;

        public static FanMode parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "fan_in" -> FAN_IN;
                case "fan_out" -> FAN_OUT;
                default -> throw new IllegalArgumentException("init: mode '" + s + "' not supported, please use one of fan_in, fan_out");
            };
        }
    }

    /** fan_in and fan_out of a weight: dims 1 and 0 times the receptive field (product of dims 2..). */
    public record Fans(int fanIn, int fanOut) {}

    public static Fans calculateFanInAndFanOut(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("init: fan in and fan out can not be computed for tensor with fewer than 2 dimensions, got shape " + Shapes.str(t.shape()));
        }
        int receptive = 1;
        for (int d = 2; d < t.dim(); d++) receptive *= t.size(d);
        return new Fans(t.size(1) * receptive, t.size(0) * receptive);
    }

    /** The recommended gain for a nonlinearity; param is leaky_relu's negative slope (NaN means the default 0.01). */
    public static double calculateGain(String nonlinearity, double param) {
        return switch (nonlinearity.toLowerCase(Locale.ROOT)) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> {
                double slope = Double.isNaN(param) ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("init: unsupported nonlinearity '" + nonlinearity + "'");
        };
    }

    public static double calculateGain(String nonlinearity) { return calculateGain(nonlinearity, Double.NaN); }

    // ---- basic fills --------------------------------------------------------------------------

    /** Uniform values in [a, b). */
    public static Tensor uniform(Tensor t, double a, double b, Generator gen) {
        if (!(b >= a)) throw new IllegalArgumentException("init.uniform: need a <= b, got a=" + a + " b=" + b);
        double[] v = new double[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = a + (b - a) * gen.nextDouble();
        return write(t, v);
    }

    public static Tensor uniform(Tensor t, double a, double b) { return uniform(t, a, b, Generator.global()); }

    /** Normal values with the given mean and standard deviation. */
    public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
        if (!(std >= 0)) throw new IllegalArgumentException("init.normal: std must be >= 0, got " + std);
        double[] v = new double[t.numel()];
        for (int i = 0; i < v.length; i++) v[i] = mean + std * gen.nextGaussian();
        return write(t, v);
    }

    public static Tensor normal(Tensor t, double mean, double std) { return normal(t, mean, std, Generator.global()); }

    public static Tensor constant(Tensor t, double value) {
        try (var g = GradMode.noGrad()) {
            return t.fill(value);
        }
    }

    public static Tensor zeros(Tensor t) { return constant(t, 0); }

    public static Tensor ones(Tensor t) { return constant(t, 1); }

    private static Tensor write(Tensor t, double[] values) {
        try (var g = GradMode.noGrad()) {
            return t.copyFrom(Tensor.of(values, t.shape()));
        }
    }

    // ---- Xavier / Glorot -----------------------------------------------------------------------

    /** U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform(Tensor t, double gain, Generator gen) {
        Fans f = calculateFanInAndFanOut(t);
        double std = gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut()));
        double bound = Math.sqrt(3.0) * std;
        return uniform(t, -bound, bound, gen);
    }

    public static Tensor xavierUniform(Tensor t) { return xavierUniform(t, 1.0, Generator.global()); }

    /** N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal(Tensor t, double gain, Generator gen) {
        Fans f = calculateFanInAndFanOut(t);
        return normal(t, 0, gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut())), gen);
    }

    public static Tensor xavierNormal(Tensor t) { return xavierNormal(t, 1.0, Generator.global()); }

    // ---- Kaiming / He --------------------------------------------------------------------------

    private static double kaimingStd(String op, Tensor t, double a, FanMode mode, String nonlinearity) {
        if (t.numel() == 0) throw new IllegalArgumentException(op + ": initializing a zero-element tensor of shape " + Shapes.str(t.shape()));
        Fans f = calculateFanInAndFanOut(t);
        int fan = mode == FanMode.FAN_IN ? f.fanIn() : f.fanOut();
        return calculateGain(nonlinearity, a) / Math.sqrt(fan);
    }

    /** U(-b, b) with b = gain * sqrt(3 / fan); a is leaky_relu's negative slope. */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, String nonlinearity, Generator gen) {
        double bound = Math.sqrt(3.0) * kaimingStd("init.kaiming_uniform", t, a, mode, nonlinearity);
        return uniform(t, -bound, bound, gen);
    }

    /** PyTorch's defaults: a=0, fan_in, leaky_relu. */
    public static Tensor kaimingUniform(Tensor t) { return kaimingUniform(t, 0, FanMode.FAN_IN, "leaky_relu", Generator.global()); }

    /** N(0, std^2) with std = gain / sqrt(fan). */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, String nonlinearity, Generator gen) {
        return normal(t, 0, kaimingStd("init.kaiming_normal", t, a, mode, nonlinearity), gen);
    }

    public static Tensor kaimingNormal(Tensor t) { return kaimingNormal(t, 0, FanMode.FAN_IN, "leaky_relu", Generator.global()); }

    /**
     * The default init of Linear and Conv layers: kaiming_uniform(a=sqrt(5)) on the weight, which
     * reduces to U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the same bound for the bias (zero when fan_in is 0).
     */
    static void defaultLinearInit(Tensor weight, Tensor bias, Generator gen) {
        kaimingUniform(weight, Math.sqrt(5), FanMode.FAN_IN, "leaky_relu", gen);
        if (bias != null) {
            int fanIn = calculateFanInAndFanOut(weight).fanIn();
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            uniform(bias, -bound, bound, gen);
        }
    }
}
