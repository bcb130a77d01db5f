// Reads a benchmark folder in any supported layout: SHREC'13/'14 (and SHREC-like) through their .cla files, or generic image/view folders.
package org.uactn.train.data;

import org.uactn.train.data.SbsrDataset.Format;
import org.uactn.train.data.SbsrDataset.Model;
import org.uactn.train.data.SbsrDataset.Sketch;
import org.uactn.train.data.SbsrDataset.Split;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Files of the SHREC layouts are located through the ids of the .cla files, never through fixed
 * nesting (the distributions differ and users unpack them differently): the whole tree is
 * indexed by lower-case file stem once. A model id "665" matches m665.off, M665.off or 665.off;
 * its views are the view_NN.png files of a folder named like the mesh (the `uactn render` output
 * layout). A sketch id matches &lt;id&gt;.png; when several files share a stem, the one under a
 * folder named after its class (and its split) wins.
 */
public final class DatasetReader {
    static final Set<String> IMAGE_EXT = Set.of("png", "jpg", "jpeg");
    static final Set<String> MESH_EXT = Set.of("off", "obj", "ply", "stl");
    private static final Pattern VIEW_FILE = Pattern.compile("view_\\d+\\.png", Pattern.CASE_INSENSITIVE);
    public static final String MANIFEST = "manifest.json";

    private DatasetReader() {}

    /** Reads the benchmark under root; views may lie in a separate folder (extraViews, may be null). */
    public static SbsrDataset read(Path root, Path extraViews) {
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("dataset folder " + root + " does not exist or is not a folder");
        if (extraViews != null && !Files.isDirectory(extraViews)) throw new IllegalArgumentException("views folder " + extraViews + " does not exist or is not a folder");
        Index idx = new Index();
        idx.walk(root);
        if (extraViews != null) idx.walk(extraViews);
        if (!idx.cla.isEmpty()) return readShrec(root, idx);
        return readFolders(root, idx);
    }

    public static SbsrDataset read(Path root) { return read(root, null); }

    /** Everything under the roots, by lower-case stem. */
    private static final class Index {
        final List<Path> cla = new ArrayList<>();
        final Map<String, List<Path>> images = new HashMap<>();
        final Map<String, List<Path>> meshes = new HashMap<>();
        /** Folders holding view_NN.png files, by lower-case folder name, with their sorted view files. */
        final Map<String, List<Path>> viewDirs = new HashMap<>();
        final Map<Path, List<Path>> viewsOfDir = new HashMap<>();
        boolean manifest;

        void walk(Path root) {
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                        if (!a.isRegularFile()) return FileVisitResult.CONTINUE;
                        String name = f.getFileName().toString();
                        if (name.startsWith(".")) return FileVisitResult.CONTINUE;
                        String ext = ext(name), stem = stem(name).toLowerCase(Locale.ROOT);
                        if (ext.equals("cla")) cla.add(f);
                        else if (IMAGE_EXT.contains(ext)) {
                            if (VIEW_FILE.matcher(name).matches()) viewsOfDir.computeIfAbsent(f.getParent(), k -> new ArrayList<>()).add(f);
                            else images.computeIfAbsent(stem, k -> new ArrayList<>()).add(f);
                        } else if (MESH_EXT.contains(ext)) meshes.computeIfAbsent(stem, k -> new ArrayList<>()).add(f);
                        else if (name.equals(MANIFEST) && f.getParent().equals(root)) manifest = true;
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path f, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
            }
            for (Map.Entry<Path, List<Path>> e : viewsOfDir.entrySet()) {
                e.getValue().sort(Comparator.comparing(p -> p.getFileName().toString()));
                viewDirs.computeIfAbsent(e.getKey().getFileName().toString().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e.getKey());
            }
            cla.sort(null);
            images.values().forEach(l -> l.sort(null));
            meshes.values().forEach(l -> l.sort(null));
            viewDirs.values().forEach(l -> l.sort(null));
        }
    }

    // ---------------------------------------------------------------- SHREC layouts

    private static SbsrDataset readShrec(Path root, Index idx) {
        List<String> problems = new ArrayList<>(), notes = new ArrayList<>();
        Path modelCla = null, trainCla = null, testCla = null;
        for (Path p : idx.cla) {
            String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.contains("model")) modelCla = pick(modelCla, p, "model", problems);
            else if (n.contains("train")) trainCla = pick(trainCla, p, "training-sketch", problems);
            else if (n.contains("test")) testCla = pick(testCla, p, "test-sketch", problems);
            else notes.add("ignored class file " + p + " (its name says neither model, train nor test)");
        }
        Format format = detectFormat(root, idx);
        ClaFile models = parse(modelCla, problems);
        ClaFile train = parse(trainCla, problems);
        ClaFile test = parse(testCla, problems);
        if (modelCla == null) problems.add("no model class file (*Model*.cla) under " + root);

        Set<String> classSet = new LinkedHashSet<>();
        for (ClaFile f : new ClaFile[]{models, train, test}) if (f != null) classSet.addAll(f.classNames());

        List<Model> modelList = new ArrayList<>();
        if (models != null) {
            int missing = 0, noViews = 0, withViews = 0;
            List<String> missingIds = new ArrayList<>();
            for (Map.Entry<String, String> e : models.classOf().entrySet()) {
                String id = e.getKey(), cls = e.getValue();
                String key = id.toLowerCase(Locale.ROOT);
                List<Path> mesh = new ArrayList<>(idx.meshes.getOrDefault(key, List.of()));
                mesh.addAll(idx.meshes.getOrDefault("m" + key, List.of()));
                Path meshFile = choose(mesh, cls, null, "model " + id, problems);
                List<Path> dirs = new ArrayList<>(idx.viewDirs.getOrDefault(key, List.of()));
                dirs.addAll(idx.viewDirs.getOrDefault("m" + key, List.of()));
                Path viewDir = choose(dirs, cls, null, "views of model " + id, problems);
                List<Path> views = viewDir == null ? List.of() : idx.viewsOfDir.get(viewDir);
                if (meshFile == null && views.isEmpty()) {
                    missing++;
                    if (missingIds.size() < 10) missingIds.add(id);
                }
                if (views.isEmpty()) noViews++;
                else withViews++;
                modelList.add(new Model(id, cls, meshFile, views));
            }
            if (missing > 0)
                problems.add(missing + " model(s) of " + modelCla.getFileName() + " have no mesh file (m<id>.off) and no views: " + String.join(", ", missingIds) + (missing > missingIds.size() ? ", ..." : ""));
            if (withViews == 0 && !modelList.isEmpty()) notes.add("no rendered views found (render them with: uactn render --input <models folder> --output <views folder>)");
            else if (noViews > 0) problems.add(noViews + " of " + modelList.size() + " model(s) have no rendered views (incomplete rendering?)");
            checkViewCounts(modelList, problems);
        }

        List<Sketch> sketchList = new ArrayList<>();
        if (train != null || test != null) {
            readSketchCla(train, Split.TRAIN, idx, sketchList, problems);
            readSketchCla(test, Split.TEST, idx, sketchList, problems);
            if (train == null && trainCla == null) notes.add("no training-sketch class file (*Train*.cla)");
            if (test == null && testCla == null) notes.add("no test-sketch class file (*Test*.cla)");
        } else if (trainCla == null && testCla == null) {
            sketchesFromFolders(idx, classSet, sketchList, problems);
            if (!sketchList.isEmpty()) notes.add("sketch classes and splits taken from the folders (no sketch .cla files)");
        }
        if (models != null) {
            Map<String, Integer> perClass = new HashMap<>();
            for (Model m : modelList) perClass.merge(m.className(), 1, Integer::sum);
            Set<String> sketchClasses = new LinkedHashSet<>();
            for (Sketch s : sketchList) sketchClasses.add(s.className());
            List<String> without = new ArrayList<>();
            for (String c : sketchClasses) if (!perClass.containsKey(c)) without.add(c);
            if (!without.isEmpty()) problems.add(without.size() + " sketch class(es) without models: " + String.join(", ", head(without)));
        }
        classSet.clear();
        if (models != null) classSet.addAll(models.classNames());
        for (Sketch s : sketchList) classSet.add(s.className());
        return new SbsrDataset(format, root, new ArrayList<>(classSet), sketchList, modelList, problems, notes);
    }

    private static Format detectFormat(Path root, Index idx) {
        if (idx.manifest) return Format.SYNTHETIC;
        StringBuilder names = new StringBuilder(root.toAbsolutePath().normalize().toString());
        for (Path p : idx.cla) names.append(' ').append(p.getFileName());
        String s = names.toString().toLowerCase(Locale.ROOT);
        if (s.contains("shrec13") || s.contains("shrec_13") || s.contains("shrec'13")) return Format.SHREC13;
        if (s.contains("shrec14") || s.contains("shrec_14") || s.contains("shrec'14")) return Format.SHREC14;
        return Format.SHREC_LIKE;
    }

    private static Path pick(Path current, Path candidate, String role, List<String> problems) {
        if (current == null) return candidate;
        problems.add("several " + role + " class files: " + current + " and " + candidate + "; using the first");
        return current;
    }

    private static ClaFile parse(Path file, List<String> problems) {
        if (file == null) return null;
        try {
            return ClaFile.read(file);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /**
     * One of several files with the same stem: the one with the class (then the split) among its
     * folder names; a tie that remains is reported and the first by path is used.
     */
    private static Path choose(List<Path> candidates, String cls, Split split, String what, List<String> problems) {
        if (candidates.isEmpty()) return null;
        if (candidates.size() == 1) return candidates.getFirst();
        List<Path> best = candidates;
        List<Path> inClass = candidates.stream().filter(p -> hasFolder(p, cls)).toList();
        if (!inClass.isEmpty()) best = inClass;
        if (split != null && best.size() > 1) {
            List<Path> inSplit = best.stream().filter(p -> splitOf(p) == split).toList();
            if (!inSplit.isEmpty()) best = inSplit;
        }
        if (best.size() > 1) problems.add(what + " is ambiguous: " + best.size() + " files match (" + best.get(0) + ", " + best.get(1) + (best.size() > 2 ? ", ..." : "") + "); using the first");
        return best.getFirst();
    }

    private static boolean hasFolder(Path p, String name) {
        for (Path q = p.getParent(); q != null && q.getFileName() != null; q = q.getParent())
            if (q.getFileName().toString().equalsIgnoreCase(name)) return true;
        return false;
    }

    /** TRAIN or TEST when a folder name on the path says so (e.g. SHREC13_SBR_TRAINING_SKETCHES, class/test). */
    static Split splitOf(Path p) {
        for (Path q = p.getParent(); q != null && q.getFileName() != null; q = q.getParent()) {
            String n = q.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.contains("train")) return Split.TRAIN;
            if (n.contains("test")) return Split.TEST;
        }
        return Split.NONE;
    }

    private static void readSketchCla(ClaFile cla, Split split, Index idx, List<Sketch> out, List<String> problems) {
        if (cla == null) return;
        int missing = 0;
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, String> e : cla.classOf().entrySet()) {
            List<Path> c = idx.images.getOrDefault(e.getKey().toLowerCase(Locale.ROOT), List.of());
            Path f = choose(c, e.getValue(), split, split.name().toLowerCase(Locale.ROOT) + " sketch " + e.getKey(), problems);
            if (f == null) {
                missing++;
                if (ids.size() < 10) ids.add(e.getKey());
            }
            out.add(new Sketch(e.getKey(), e.getValue(), split, f));
        }
        if (missing > 0)
            problems.add(missing + " " + split.name().toLowerCase(Locale.ROOT) + " sketch(es) of " + Path.of(cla.source()).getFileName() + " have no image file (<id>.png): "
                    + String.join(", ", ids) + (missing > ids.size() ? ", ..." : ""));
    }

    /** Without sketch .cla files: every non-view image under a folder named *sketch*; its class is the nearest folder that is not a split folder. */
    private static void sketchesFromFolders(Index idx, Set<String> knownClasses, List<Sketch> out, List<String> problems) {
        TreeMap<Path, Sketch> sorted = new TreeMap<>();
        for (List<Path> files : idx.images.values()) {
            for (Path f : files) {
                if (!underSketchFolder(f)) continue;
                String cls = null;
                for (Path q = f.getParent(); q != null && q.getFileName() != null; q = q.getParent()) {
                    String n = q.getFileName().toString();
                    String low = n.toLowerCase(Locale.ROOT);
                    if (knownClasses.contains(n)) { cls = n; break; }
                    if (!low.contains("train") && !low.contains("test")) { cls = n; break; }
                }
                if (cls == null) continue;
                sorted.put(f, new Sketch(stem(f.getFileName().toString()), cls, splitOf(f), f));
            }
        }
        out.addAll(sorted.values());
    }

    private static boolean underSketchFolder(Path f) {
        for (Path q = f.getParent(); q != null && q.getFileName() != null; q = q.getParent())
            if (q.getFileName().toString().toLowerCase(Locale.ROOT).contains("sketch")) return true;
        return false;
    }

    private static void checkViewCounts(List<Model> models, List<String> problems) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (Model m : models) if (!m.views().isEmpty()) counts.merge(m.views().size(), 1, Integer::sum);
        if (counts.size() > 1) problems.add("models have different numbers of views: " + counts.entrySet().stream()
                .map(e -> e.getValue() + " with " + e.getKey()).reduce((a, b) -> a + ", " + b).orElse(""));
    }

    // ---------------------------------------------------------------- generic folders

    private static SbsrDataset readFolders(Path root, Index idx) {
        List<String> problems = new ArrayList<>(), notes = new ArrayList<>();
        List<Path> top = subdirs(root);
        Map<Split, Path> splitRoots = new LinkedHashMap<>();
        for (Path d : top) {
            String n = d.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.equals("train") || n.equals("training")) splitRoots.put(Split.TRAIN, d);
            else if (n.equals("test") || n.equals("testing")) splitRoots.put(Split.TEST, d);
        }
        if (splitRoots.isEmpty()) splitRoots.put(Split.NONE, root);
        else if (splitRoots.size() < top.size()) notes.add("folders other than train/test under " + root + " are ignored");

        List<Sketch> sketches = new ArrayList<>();
        List<Model> models = new ArrayList<>();
        Set<String> classes = new LinkedHashSet<>();
        for (Map.Entry<Split, Path> sr : splitRoots.entrySet()) {
            for (Path classDir : subdirs(sr.getValue())) {
                String cls = classDir.getFileName().toString();
                classes.add(cls);
                List<Path> imgs = images(classDir);
                List<Path> items = subdirs(classDir);
                if (!imgs.isEmpty() && !items.isEmpty())
                    problems.add(classDir + " holds both images and item folders; expected one of root/<class>/<image> or root/<class>/<item>/<view>");
                for (Path img : imgs) sketches.add(new Sketch(stem(img.getFileName().toString()), cls, sr.getKey(), img));
                for (Path item : items) {
                    List<Path> views = images(item);
                    if (views.isEmpty()) problems.add("item folder " + item + " holds no images");
                    models.add(new Model(item.getFileName().toString(), cls, null, views));
                }
                if (imgs.isEmpty() && items.isEmpty()) problems.add("class folder " + classDir + " is empty");
            }
        }
        if (classes.isEmpty()) throw new IllegalArgumentException(root + ": no .cla files and no class folders; not a dataset layout this reader knows "
                + "(SHREC'13/'14 with .cla files, root/<class>/<image>, root/<class>/<item>/<view>.png)");
        if (sketches.isEmpty() && models.isEmpty()) problems.add("no images under " + root);
        Format f = !models.isEmpty() && sketches.isEmpty() ? Format.VIEW_FOLDER : Format.IMAGE_FOLDER;
        if (!models.isEmpty() && !sketches.isEmpty()) problems.add("mixed layout: " + sketches.size() + " images directly in class folders and " + models.size() + " item folders");
        checkViewCounts(models, problems);
        return new SbsrDataset(f, root, new ArrayList<>(classes), sketches, models, problems, notes);
    }

    private static List<Path> subdirs(Path d) {
        try (var s = Files.list(d)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + d + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> images(Path d) {
        try (var s = Files.list(d)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> IMAGE_EXT.contains(ext(p.getFileName().toString()))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + d + ": " + e.getMessage(), e);
        }
    }

    static String ext(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? name : name.substring(0, dot);
    }

    private static List<String> head(List<String> l) {
        if (l.size() <= 10) return l;
        List<String> h = new ArrayList<>(l.subList(0, 10));
        h.add("...");
        return h;
    }
}
