// Renders every mesh under a folder (or one file) into mirrored view folders, on several threads, resumably.
package org.uactn.render.batch;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.uactn.render.Images;
import org.uactn.render.RenderSettings;
import org.uactn.render.Renderer;
import org.uactn.render.Renderers;
import org.uactn.render.View;
import org.uactn.render.mesh.Mesh;
import org.uactn.render.mesh.MeshReaders;
import org.uactn.render.mesh.Normalizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Each worker thread owns one renderer (one GL context). A mesh that fails is recorded and the
 * rest go on; meshes whose views all exist are skipped unless forced. The report
 * (render-report.json in the output folder) lists every mesh.
 */
public final class BatchRenderer {
    public static final String REPORT_NAME = "render-report.json";

    public record Options(Path input, Path output, List<View> views, RenderSettings settings, Normalizer.Center center,
                          Normalizer.UpAxis up, Renderers.Kind renderer, int threads, boolean force) {}

    /** One mesh file and the folder its views go to. */
    public record Job(Path file, String relative, Path outDir) {}

    public enum Status { RENDERED, SKIPPED, FAILED }

    public record Result(Job job, Status status, int triangles, int degenerate, double seconds, String error) {}

    /** Called from worker threads, one call at a time. */
    public interface Listener {
        default void started(int total, int toRender, String renderer) {}
        default void meshDone(Result r, int done, int total) {}
        default void warning(String message) {}
    }

    public record Summary(List<Result> results, String renderer, String rendererDescription, double seconds, Path report) {
        public long count(Status s) { return results.stream().filter(r -> r.status == s).count(); }
    }

    private BatchRenderer() {}

    /** "view_00.png" ..., with at least two digits. */
    public static String viewName(int i, int n) {
        int digits = Math.max(2, Integer.toString(n - 1).length());
        return String.format(Locale.ROOT, "view_%0" + digits + "d.png", i);
    }

    /**
     * The meshes under input (a mesh file or a folder searched recursively, sorted by path) and
     * their output folders: output/relative-folder/stem; two meshes with one stem in one folder
     * get stem_ext each.
     */
    public static List<Job> findJobs(Path input, Path output) {
        if (!Files.exists(input)) throw new IllegalArgumentException("input " + input + " does not exist");
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(input)) {
            try (Stream<Path> s = Files.walk(input)) {
                s.filter(Files::isRegularFile).filter(MeshReaders::isMeshFile).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + input + ": " + e.getMessage(), e);
            }
            if (files.isEmpty()) throw new IllegalArgumentException("no ." + String.join(" .", MeshReaders.EXTENSIONS) + " files under " + input);
        } else {
            if (!MeshReaders.isMeshFile(input))
                throw new IllegalArgumentException("input " + input + " is not a mesh file (." + String.join(" .", MeshReaders.EXTENSIONS) + ")");
            files.add(input);
        }
        Map<String, Integer> stems = new HashMap<>();
        for (Path f : files) stems.merge(key(f), 1, Integer::sum);
        List<Job> jobs = new ArrayList<>();
        for (Path f : files) {
            Path rel = Files.isDirectory(input) ? input.relativize(f) : f.getFileName();
            String name = f.getFileName().toString();
            String stem = stem(name);
            if (stems.get(key(f)) > 1) stem = stem + "_" + MeshReaders.extension(f);
            Path parent = rel.getParent();
            Path out = parent == null ? output.resolve(stem) : output.resolve(parent.toString()).resolve(stem);
            jobs.add(new Job(f, rel.toString().replace('\\', '/'), out));
        }
        return jobs;
    }

    private static String key(Path f) {
        Path parent = f.toAbsolutePath().getParent();
        return parent + "/" + stem(f.getFileName().toString()).toLowerCase(Locale.ROOT);
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? name : name.substring(0, dot);
    }

    static boolean complete(Job j, int views) {
        for (int i = 0; i < views; i++) if (!Files.isRegularFile(j.outDir.resolve(viewName(i, views)))) return false;
        return true;
    }

    /** Reads, normalises and renders one mesh (for the batch, the contact sheet and the benchmark). */
    public static byte[][] renderFile(Renderer r, Path file, Options o, int[] stats) {
        Mesh m = MeshReaders.read(file);
        stats[0] = m.triangleCount();
        stats[1] = m.droppedDegenerate();
        return r.render(Normalizer.normalize(m, o.center(), o.up()), o.views(), o.settings());
    }

    /**
     * Renders all meshes. Throws IllegalArgumentException for bad input (nothing to render) and
     * IllegalStateException when the GL renderer was demanded but cannot start.
     */
    public static Summary run(Options o, Listener listener) {
        long t0 = System.nanoTime();
        List<Job> jobs = findJobs(o.input(), o.output());
        if (o.renderer() == Renderers.Kind.GL) Renderers.create(Renderers.Kind.GL, null).close(); // fail early, as bad usage
        int n = o.views().size();
        Result[] results = new Result[jobs.size()];
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            if (!o.force() && complete(jobs.get(i), n)) results[i] = new Result(jobs.get(i), Status.SKIPPED, -1, 0, 0, null);
            else todo.add(i);
        }
        String[] used = new String[2];
        int threads = Math.max(1, Math.min(o.threads(), todo.size()));
        // Decide the renderer (and print a fallback warning) before the progress bar starts.
        if (!todo.isEmpty()) {
            try (Renderer probe = Renderers.create(o.renderer(), listener::warning)) {
                used[0] = probe.kind();
                used[1] = probe.description();
            }
        }
        listener.started(jobs.size(), todo.size(), used[0]);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger(jobs.size() - todo.size());
        Object lock = new Object();
        Runnable worker = () -> {
            try (Renderer r = Renderers.create(o.renderer(), listener::warning)) {
                int k;
                while ((k = next.getAndIncrement()) < todo.size()) {
                    int idx = todo.get(k);
                    Result res = renderOne(r, jobs.get(idx), o, listener, lock);
                    results[idx] = res;
                    synchronized (lock) {
                        listener.meshDone(res, done.incrementAndGet(), jobs.size());
                    }
                }
            }
        };
        List<Thread> pool = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(worker, "uactn-render-" + t);
            pool.add(th);
            th.start();
        }
        for (Thread th : pool) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while rendering", e);
            }
        }
        for (int i = 0; i < results.length; i++) {
            if (results[i] == null) results[i] = new Result(jobs.get(i), Status.FAILED, -1, 0, 0, "not rendered: a worker thread stopped");
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        List<Result> list = List.of(results);
        Path report = o.output().resolve(REPORT_NAME);
        writeReport(report, o, list, used[0] == null ? "none" : used[0], used[1], secs);
        return new Summary(list, used[0], used[1], secs, report);
    }

    private static Result renderOne(Renderer r, Job j, Options o, Listener listener, Object lock) {
        long t = System.nanoTime();
        int[] stats = {-1, 0};
        try {
            byte[][] imgs = renderFile(r, j.file(), o, stats);
            if (stats[1] > 0) {
                synchronized (lock) {
                    listener.warning(j.relative() + ": dropped " + stats[1] + " degenerate face(s)");
                }
            }
            int n = imgs.length, size = o.settings().size();
            for (int i = 0; i < n; i++) Images.writePng(imgs[i], size, size, j.outDir().resolve(viewName(i, n)));
            return new Result(j, Status.RENDERED, stats[0], stats[1], (System.nanoTime() - t) / 1e9, null);
        } catch (RuntimeException | OutOfMemoryError e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (!(e instanceof IllegalArgumentException) && !(e instanceof UncheckedIOException)) msg = e.getClass().getSimpleName() + ": " + msg;
            return new Result(j, Status.FAILED, stats[0], stats[1], (System.nanoTime() - t) / 1e9, msg);
        }
    }

    private static void writeReport(Path file, Options o, List<Result> results, String renderer, String description, double secs) {
        JsonObject root = new JsonObject();
        root.addProperty("input", o.input().toString());
        root.addProperty("output", o.output().toString());
        root.addProperty("finished", Instant.now().toString());
        root.addProperty("seconds", round(secs));
        root.addProperty("renderer", renderer);
        if (description != null) root.addProperty("rendererDescription", description);
        JsonObject settings = new JsonObject();
        settings.addProperty("mode", o.settings().mode().name().toLowerCase(Locale.ROOT));
        settings.addProperty("size", o.settings().size());
        settings.addProperty("projection", o.settings().projection().name().toLowerCase(Locale.ROOT));
        settings.addProperty("lineWidth", o.settings().lineWidth());
        settings.addProperty("creaseAngle", o.settings().creaseAngleDeg());
        settings.addProperty("samples", o.settings().samples());
        settings.addProperty("center", o.center().name().toLowerCase(Locale.ROOT));
        settings.addProperty("up", o.up().name().toLowerCase(Locale.ROOT));
        JsonArray views = new JsonArray();
        for (View v : o.views()) {
            JsonObject jv = new JsonObject();
            jv.addProperty("azimuth", v.azimuthDeg());
            jv.addProperty("elevation", v.elevationDeg());
            views.add(jv);
        }
        settings.add("views", views);
        root.add("settings", settings);
        JsonObject counts = new JsonObject();
        for (Status s : Status.values()) counts.addProperty(s.name().toLowerCase(Locale.ROOT), results.stream().filter(r -> r.status == s).count());
        root.add("counts", counts);
        JsonArray meshes = new JsonArray();
        for (Result r : results) {
            JsonObject m = new JsonObject();
            m.addProperty("path", r.job.relative());
            m.addProperty("output", o.output().relativize(r.job.outDir()).toString().replace('\\', '/'));
            m.addProperty("status", r.status.name().toLowerCase(Locale.ROOT));
            if (r.triangles >= 0) m.addProperty("triangles", r.triangles);
            if (r.degenerate > 0) m.addProperty("degenerateDropped", r.degenerate);
            m.addProperty("seconds", round(r.seconds));
            if (r.error != null) m.addProperty("error", r.error);
            meshes.add(m);
        }
        root.add("meshes", meshes);
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, json + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static double round(double s) { return Math.round(s * 1e4) / 1e4; }
}
