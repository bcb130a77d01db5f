// Decodes PNG/JPEG files (ImageIO) into FloatImages: grey stays one channel, colour becomes RGB, transparency is put on white.
package org.uactn.train.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

public final class ImageDecoder {
    private ImageDecoder() {}

    /** Throws IllegalArgumentException for a file that is no image, UncheckedIOException when it cannot be read. */
    public static FloatImage read(Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (img == null) throw new IllegalArgumentException(file + ": not a PNG or JPEG image");
        return convert(img);
    }

    /**
     * Sketches are usually drawn on transparent or white paper: alpha blends onto white, so a
     * transparent background reads as white, not black.
     */
    public static FloatImage convert(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        var cm = img.getColorModel();
        boolean grey = cm.getNumColorComponents() == 1 && img.getType() != BufferedImage.TYPE_BYTE_INDEXED;
        boolean alpha = cm.hasAlpha();
        if (grey && img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            Raster r = img.getRaster();
            float[] d = new float[w * h];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) d[y * w + x] = row[x] / 255f;
            }
            return new FloatImage(1, h, w, d);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w); // converts any colour model (16-bit grey, palettes, CMYK-less JPEG) to sRGB
        int plane = w * h;
        if (grey) {
            float[] d = new float[plane];
            for (int i = 0; i < plane; i++) {
                int p = argb[i];
                float a = alpha ? (p >>> 24) / 255f : 1f;
                float g = (p & 0xff) / 255f;
                d[i] = g * a + (1 - a);
            }
            return new FloatImage(1, h, w, d);
        }
        float[] d = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            float a = alpha ? (p >>> 24) / 255f : 1f;
            d[i] = ((p >> 16) & 0xff) / 255f * a + (1 - a);
            d[plane + i] = ((p >> 8) & 0xff) / 255f * a + (1 - a);
            d[2 * plane + i] = (p & 0xff) / 255f * a + (1 - a);
        }
        return new FloatImage(3, h, w, d);
    }
}
