// An image as floats in [0, 1], channels first (C x H x W): what the pipeline's decoding and augmentations work on.
package org.uactn.train.data;

public record FloatImage(int channels, int height, int width, float[] data) {
    public FloatImage {
        if (channels < 1 || height < 1 || width < 1 || data.length != channels * height * width)
            throw new IllegalArgumentException("image " + channels + "x" + height + "x" + width + " needs " + (long) channels * height * width + " floats, got " + data.length);
    }

    public static FloatImage blank(int c, int h, int w, float value) {
        float[] d = new float[c * h * w];
        java.util.Arrays.fill(d, value);
        return new FloatImage(c, h, w, d);
    }

    public float get(int c, int y, int x) { return data[(c * height + y) * width + x]; }
}
