// Grey images to and from PNG (written to a temporary name, then renamed) and contact sheets of many views.
package org.uactn.render;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

public final class Images {
    private Images() {}

    public static BufferedImage toImage(byte[] grey, int w, int h) {
        if (grey.length != w * h) throw new IllegalArgumentException("image of " + grey.length + " bytes is not " + w + "x" + h);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        System.arraycopy(grey, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, grey.length);
        return img;
    }

    /**
     * Writes a PNG so that readers never see a partial file: first to a hidden temporary file in
     * the same folder, then renamed over the target.
     */
    public static void writePng(byte[] grey, int w, int h, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + "." + Thread.currentThread().threadId() + ".tmp");
        try {
            Files.createDirectories(dir);
            if (!ImageIO.write(toImage(grey, w, h), "png", tmp.toFile())) throw new IOException("no PNG writer");
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* best effort */ }
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads an 8-bit grey PNG (as written by writePng) into bytes, row by row from the top. */
    public static byte[] readGrey(Path file) {
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) throw new IOException("not an image");
            byte[] out = new byte[img.getWidth() * img.getHeight()];
            for (int y = 0; y < img.getHeight(); y++)
                for (int x = 0; x < img.getWidth(); x++) out[y * img.getWidth() + x] = (byte) (img.getRaster().getSample(x, y, 0));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Views laid out left to right, top to bottom, in columns (at most 6 per row), separated by
     * 2-pixel mid-grey gutters. Returns the sheet's bytes; its width and height are in dims.
     */
    public static byte[] contactSheet(List<byte[]> views, int size, int[] dims) {
        int n = views.size();
        int cols = Math.min(n, n % 4 == 0 && n <= 12 ? Math.max(4, (int) Math.ceil(Math.sqrt(n))) : Math.min(6, (int) Math.ceil(Math.sqrt(n * 1.5))));
        cols = Math.max(1, Math.min(cols, n));
        int rows = (n + cols - 1) / cols;
        int gap = 2;
        int w = cols * size + (cols + 1) * gap, h = rows * size + (rows + 1) * gap;
        byte[] sheet = new byte[w * h];
        java.util.Arrays.fill(sheet, (byte) 160);
        for (int i = 0; i < n; i++) {
            int x0 = gap + (i % cols) * (size + gap), y0 = gap + (i / cols) * (size + gap);
            for (int r = 0; r < size; r++) System.arraycopy(views.get(i), r * size, sheet, (y0 + r) * w + x0, size);
        }
        dims[0] = w;
        dims[1] = h;
        return sheet;
    }
}
