// The per-image pipeline: decode result -> (random resized crop) -> resize -> rotation, flip, colour jitter -> 3 channels -> normalise.
package org.uactn.train.data;

import java.util.SplittableRandom;

/**
 * The reference training augmentation for sketches is rotation within +-15 degrees, colour jitter
 * and a horizontal flip; views get resize and normalise only (mean 0.5, std 0.5). Rotation fills
 * with white, the paper colour, so that corners do not turn black.
 *
 * @param jitter   brightness, contrast and saturation factors are drawn from [1 - jitter, 1 + jitter]
 * @param cropScale smallest area fraction of the random resized crop; 1 disables the crop
 */
public record Transform(int size, double maxRotationDeg, double flipProbability, double jitter, double cropScale, boolean threeChannels,
                        float mean, float std) {
    public Transform {
        if (size < 1) throw new IllegalArgumentException("transform: size must be positive, got " + size);
        if (!(maxRotationDeg >= 0 && maxRotationDeg <= 180)) throw new IllegalArgumentException("transform: rotation must be in [0, 180] degrees, got " + maxRotationDeg);
        if (!(flipProbability >= 0 && flipProbability <= 1)) throw new IllegalArgumentException("transform: flip probability must be in [0, 1], got " + flipProbability);
        if (!(jitter >= 0 && jitter < 1)) throw new IllegalArgumentException("transform: jitter must be in [0, 1), got " + jitter);
        if (!(cropScale > 0 && cropScale <= 1)) throw new IllegalArgumentException("transform: crop scale must be in (0, 1], got " + cropScale);
        if (!(std > 0)) throw new IllegalArgumentException("transform: std must be positive, got " + std);
    }

    /** The reference sketch training augmentation at the given size. */
    public static Transform sketchTrain(int size) { return new Transform(size, 15, 0.5, 0.4, 1, true, 0.5f, 0.5f); }

    /** Views and evaluation: resize and normalise only. */
    public static Transform plain(int size) { return new Transform(size, 0, 0, 0, 1, true, 0.5f, 0.5f); }

    public Transform withCrop(double minScale) { return new Transform(size, maxRotationDeg, flipProbability, jitter, minScale, threeChannels, mean, std); }

    /** The random choices for one image (exposed so that tests can check their ranges). */
    public record Params(double angle, boolean flip, double brightness, double contrast, double saturation, double cropArea, double cropAspect,
                         double cropX, double cropY) {}

    public Params sample(SplittableRandom r) {
        double angle = maxRotationDeg > 0 ? maxRotationDeg * (2 * r.nextDouble() - 1) : 0;
        boolean flip = flipProbability > 0 && r.nextDouble() < flipProbability;
        double b = jitter > 0 ? 1 + jitter * (2 * r.nextDouble() - 1) : 1;
        double c = jitter > 0 ? 1 + jitter * (2 * r.nextDouble() - 1) : 1;
        double s = jitter > 0 ? 1 + jitter * (2 * r.nextDouble() - 1) : 1;
        double area = 1, aspect = 1, cx = 0.5, cy = 0.5;
        if (cropScale < 1) {
            area = cropScale + (1 - cropScale) * r.nextDouble();
            aspect = Math.exp(Math.log(3.0 / 4) + (Math.log(4.0 / 3) - Math.log(3.0 / 4)) * r.nextDouble());
            cx = r.nextDouble();
            cy = r.nextDouble();
        }
        return new Params(angle, flip, b, c, s, area, aspect, cx, cy);
    }

    public FloatImage apply(FloatImage img, SplittableRandom r) { return apply(img, sample(r)); }

    public FloatImage apply(FloatImage img, Params p) {
        FloatImage x = img;
        if (p.cropArea() < 1) {
            double a = p.cropArea() * x.width() * x.height();
            int w = (int) Math.max(1, Math.min(x.width(), Math.round(Math.sqrt(a * p.cropAspect())))), h = (int) Math.max(1, Math.min(x.height(), Math.round(Math.sqrt(a / p.cropAspect()))));
            x = ImageOps.crop(x, (int) Math.round(p.cropY() * (x.height() - h)), (int) Math.round(p.cropX() * (x.width() - w)), h, w);
        }
        x = ImageOps.resize(x, size, size);
        if (p.angle() != 0) x = ImageOps.rotate(x, p.angle(), 1f);
        if (p.flip()) x = ImageOps.flipHorizontal(x);
        if (p.brightness() != 1 || p.contrast() != 1 || p.saturation() != 1) x = ImageOps.colorJitter(x, p.brightness(), p.contrast(), p.saturation());
        if (threeChannels) x = ImageOps.toThreeChannels(x);
        return ImageOps.normalize(x, mean, std);
    }

    /** Channels of the output (3, or the image's own when threeChannels is off: then 1 is assumed for shapes). */
    public int outChannels() { return threeChannels ? 3 : 1; }
}
