// Checks that every image a dataset names can be decoded (or at least that its header is an image), on all CPU threads.
package org.uactn.train.data;

import org.uactn.core.backend.cpu.Parallel;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

public final class ImageCheck {
    /** FULL decodes every pixel (finds truncated files); HEADER reads only the size; NONE skips the check. */
    public enum Depth { FULL, HEADER, NONE }

    private ImageCheck() {}

    /** All image paths of a dataset (sketches, then views), missing ones left out. */
    public static List<Path> images(SbsrDataset d) {
        List<Path> all = new ArrayList<>();
        for (SbsrDataset.Sketch s : d.sketches()) if (s.file() != null) all.add(s.file());
        for (SbsrDataset.Model m : d.models()) all.addAll(m.views());
        return all;
    }

    /**
     * One problem line per unreadable image, in the order of the list (deterministic whatever the
     * threads); progress receives the number checked so far, from worker threads.
     */
    public static List<String> check(List<Path> files, Depth depth, IntConsumer progress) {
        if (depth == Depth.NONE || files.isEmpty()) return List.of();
        String[] errors = new String[files.size()];
        AtomicInteger done = new AtomicInteger();
        Parallel.forRange(files.size(), 1_000_000, (start, end) -> {
            for (int i = start; i < end; i++) {
                errors[i] = checkOne(files.get(i), depth);
                int n = done.incrementAndGet();
                if (progress != null) progress.accept(n);
            }
        });
        List<String> out = new ArrayList<>();
        for (String e : errors) if (e != null) out.add(e);
        return out;
    }

    /** Null when readable, else "path: unreadable image (reason)". */
    public static String checkOne(Path f, Depth depth) {
        try (ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
            if (in == null) return f + ": unreadable image (cannot open)";
            Iterator<ImageReader> it = ImageIO.getImageReaders(in);
            if (!it.hasNext()) return f + ": unreadable image (not a PNG or JPEG file)";
            ImageReader r = it.next();
            try {
                r.setInput(in, true, true);
                int w = r.getWidth(0), h = r.getHeight(0);
                if (w <= 0 || h <= 0) return f + ": unreadable image (size " + w + "x" + h + ")";
                if (depth == Depth.FULL) {
                    BufferedImage img = r.read(0);
                    if (img == null) return f + ": unreadable image (decoder returned nothing)";
                }
            } finally {
                r.dispose();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage();
            return f + ": unreadable image (" + (m == null ? e.getClass().getSimpleName() : m) + ")";
        }
    }
}
