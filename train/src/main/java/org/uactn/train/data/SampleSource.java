// What a DataLoader draws from: n labelled samples, each loaded (decoded and augmented) into a float array of a fixed shape.
package org.uactn.train.data;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

public interface SampleSource {
    int size();

    int label(int index);

    /** Shape of one sample, e.g. [C, H, W] or [V, C, H, W]. */
    int[] sampleShape();

    /** Loads sample index into out (length = product of sampleShape) at offset; r drives its augmentation. Called from worker threads. */
    void load(int index, SplittableRandom r, float[] out, int offset);

    /** Single images (sketches): [C, H, W]. */
    static SampleSource images(List<Path> files, int[] labels, Transform t) {
        if (files.size() != labels.length) throw new IllegalArgumentException("images: " + files.size() + " files but " + labels.length + " labels");
        return new SampleSource() {
            public int size() { return files.size(); }
            public int label(int i) { return labels[i]; }
            public int[] sampleShape() { return new int[]{t.outChannels(), t.size(), t.size()}; }
            public void load(int i, SplittableRandom r, float[] out, int off) {
                FloatImage img = t.apply(ImageDecoder.read(files.get(i)), r);
                checkShape(img, t, files.get(i));
                System.arraycopy(img.data(), 0, out, off, img.data().length);
            }
        };
    }

    /** Multi-view items (shapes): every item has the same number of views; [V, C, H, W]. Each view draws its own augmentation. */
    static SampleSource multiView(List<List<Path>> items, int[] labels, Transform t) {
        if (items.size() != labels.length) throw new IllegalArgumentException("multi-view: " + items.size() + " items but " + labels.length + " labels");
        if (items.isEmpty()) throw new IllegalArgumentException("multi-view: no items");
        int v = items.getFirst().size();
        for (int i = 0; i < items.size(); i++)
            if (items.get(i).size() != v || v == 0) throw new IllegalArgumentException("multi-view: item " + i + " has " + items.get(i).size() + " views, item 0 has " + v);
        return new SampleSource() {
            public int size() { return items.size(); }
            public int label(int i) { return labels[i]; }
            public int[] sampleShape() { return new int[]{v, t.outChannels(), t.size(), t.size()}; }
            public void load(int i, SplittableRandom r, float[] out, int off) {
                int per = t.outChannels() * t.size() * t.size();
                for (int k = 0; k < v; k++) {
                    Path f = items.get(i).get(k);
                    FloatImage img = t.apply(ImageDecoder.read(f), r);
                    checkShape(img, t, f);
                    System.arraycopy(img.data(), 0, out, off + k * per, per);
                }
            }
        };
    }

    private static void checkShape(FloatImage img, Transform t, Path f) {
        if (img.data().length != t.outChannels() * t.size() * t.size())
            throw new IllegalArgumentException(f + ": decoded to " + img.channels() + " channels, the transform expects " + t.outChannels() + " (enable threeChannels)");
    }
}
