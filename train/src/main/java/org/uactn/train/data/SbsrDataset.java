// A sketch-based retrieval benchmark as read from disk: classes, sketches with their split, target models with mesh and views, and problems found.
package org.uactn.train.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable. Paths are absolute or relative to the working directory as given to the reader;
 * a file that the class files name but that could not be found is null (and reported in problems).
 */
public final class SbsrDataset {
    /** Where the data came from; decides nothing after reading, it is shown to the user. */
    public enum Format {
        SHREC13("SHREC'13"), SHREC14("SHREC'14"), SHREC_LIKE("SHREC-like (.cla files)"), SYNTHETIC("uactn synthetic benchmark (SHREC-like)"),
        IMAGE_FOLDER("image folders (root/<class>/<image>)"), VIEW_FOLDER("view folders (root/<class>/<item>/<view>)");

        private final String label;

        Format(String label) { this.label = label; }

        public String label() { return label; }
    }

    public enum Split { TRAIN, TEST, NONE }

    public record Sketch(String id, String className, Split split, Path file) {}

    /** A target model: its mesh (null when absent) and its rendered views in view order (possibly none). */
    public record Model(String id, String className, Path mesh, List<Path> views) {}

    private final Format format;
    private final Path root;
    private final List<String> classes;
    private final List<Sketch> sketches;
    private final List<Model> models;
    private final List<String> problems;
    private final List<String> notes;
    private final Map<String, Integer> classIndex = new HashMap<>();

    public SbsrDataset(Format format, Path root, List<String> classes, List<Sketch> sketches, List<Model> models, List<String> problems, List<String> notes) {
        this.format = format;
        this.root = root;
        this.classes = List.copyOf(classes);
        this.sketches = List.copyOf(sketches);
        this.models = List.copyOf(models);
        this.problems = List.copyOf(problems);
        this.notes = List.copyOf(notes);
        for (int i = 0; i < this.classes.size(); i++) classIndex.put(this.classes.get(i), i);
    }

    public Format format() { return format; }
    public Path root() { return root; }
    /** Class names; a class's label is its index here. */
    public List<String> classes() { return classes; }
    public List<Sketch> sketches() { return sketches; }
    public List<Model> models() { return models; }
    /** Everything wrong that was found (missing files, classes without models, bad class files, unreadable images). */
    public List<String> problems() { return problems; }
    /** Observations that are not errors (e.g. no views rendered yet). */
    public List<String> notes() { return notes; }

    public int label(String className) {
        Integer i = classIndex.get(className);
        if (i == null) throw new IllegalArgumentException("dataset " + root + " has no class '" + className + "'");
        return i;
    }

    public List<Sketch> sketches(Split split) {
        return sketches.stream().filter(s -> s.split() == split).toList();
    }

    /** A copy with more problems (e.g. from image checks). */
    public SbsrDataset withProblems(List<String> more) {
        List<String> all = new ArrayList<>(problems);
        all.addAll(more);
        return new SbsrDataset(format, root, classes, sketches, models, all, notes);
    }
}
