// `uactn render`: renders meshes (a file or a folder tree) into multi-view PNG folders, a contact sheet, or benchmarks the renderers.
package org.uactn.cli;

import org.uactn.cli.render.ProgressBar;
import org.uactn.core.backend.cpu.Parallel;
import org.uactn.render.Cameras;
import org.uactn.render.Images;
import org.uactn.render.Projection;
import org.uactn.render.RenderMode;
import org.uactn.render.RenderSettings;
import org.uactn.render.Renderer;
import org.uactn.render.Renderers;
import org.uactn.render.View;
import org.uactn.render.batch.BatchRenderer;
import org.uactn.render.batch.RenderBench;
import org.uactn.render.mesh.Mesh;
import org.uactn.render.mesh.MeshReaders;
import org.uactn.render.mesh.Normalizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "render", mixinStandardHelpOptions = true,
        description = {"Renders meshes (.off .obj .stl .ply) into multi-view PNG images.",
                "PATH is a mesh or a folder searched recursively; DIR mirrors its folders, one folder per mesh "
                        + "(named after the file) holding view_00.png, view_01.png, ... Meshes whose views all exist are "
                        + "skipped unless --force; DIR/render-report.json lists every mesh."},
        footer = {"", "Exit codes: 0 all meshes rendered (or skipped), 1 some meshes failed, 2 bad usage or input.",
                "Conventions (up axis, azimuth zero, handedness): docs/rendering.md."})
final class RenderCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", paramLabel = "PATH", description = "A mesh file or a folder searched recursively.")
    Path input;

    @Option(names = "--output", paramLabel = "DIR", description = "Output folder (mirrors the input's folders).")
    Path output;

    @Option(names = "--views", paramLabel = "N", defaultValue = "12", description = "Views of the ring camera set (default: ${DEFAULT-VALUE}).")
    int views;

    @Option(names = "--cameras", paramLabel = "SET", defaultValue = "ring",
            description = "ring, dodecahedron (20 views) or a list AZ:EL,AZ:EL,... in degrees (default: ${DEFAULT-VALUE}).")
    String cameras;

    @Option(names = "--elevation", paramLabel = "DEG", defaultValue = "30", description = "Elevation of the ring (default: ${DEFAULT-VALUE}).")
    double elevation;

    @Option(names = "--size", paramLabel = "PIXELS", defaultValue = "224", description = "Image width and height (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "shaded", description = "shaded, lines or depth (default: ${DEFAULT-VALUE}).")
    RenderMode mode;

    @Option(names = "--renderer", paramLabel = "KIND", defaultValue = "auto",
            description = "auto (OpenGL, else software with a warning), gl or software (default: ${DEFAULT-VALUE}).")
    Renderers.Kind renderer;

    @Option(names = "--projection", paramLabel = "P", defaultValue = "perspective", description = "perspective or orthographic (default: ${DEFAULT-VALUE}).")
    Projection projection;

    @Option(names = "--line-width", paramLabel = "PIXELS", defaultValue = "1.5", description = "Line width in lines mode (default: ${DEFAULT-VALUE}).")
    double lineWidth;

    @Option(names = "--crease-angle", paramLabel = "DEG", defaultValue = "60",
            description = "Lines mode draws edges whose faces bend more than this (default: ${DEFAULT-VALUE}).")
    double creaseAngle;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "4", description = "Antialiasing samples, 1 or 4 (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--center", paramLabel = "C", defaultValue = "bbox", description = "bbox or centroid (area-weighted) (default: ${DEFAULT-VALUE}).")
    Normalizer.Center center;

    @Option(names = "--up", paramLabel = "AXIS", defaultValue = "y", description = "The meshes' up axis: x, y or z (SHREC: y) (default: ${DEFAULT-VALUE}).")
    Normalizer.UpAxis up;

    @Option(names = "--force", description = "Render meshes again even when all their views exist.")
    boolean force;

    @Option(names = "--sheet", paramLabel = "FILE", description = "Write a contact sheet PNG of all views of the one mesh given as --input.")
    Path sheet;

    @Option(names = "--bench", description = "Measure meshes per second of the GL and software renderers on ~4k and ~60k-triangle meshes.")
    boolean bench;

    @Option(names = "--bench-seconds", paramLabel = "S", defaultValue = "3", description = "Measuring time per benchmark row (default: ${DEFAULT-VALUE}).")
    double benchSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        RenderSettings settings;
        List<View> viewList;
        try {
            settings = new RenderSettings(size, mode, projection, lineWidth, creaseAngle, samples);
            if (cameras.trim().equalsIgnoreCase("ring") && (views < 1 || views > 1000)) throw new IllegalArgumentException("--views must be in [1, 1000], got " + views);
            viewList = Cameras.parse(cameras, views, elevation);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (bench) return bench(out, err, settings, viewList);
        if (input == null) throw new ParameterException(spec.commandLine(), "--input is required (or --bench)");
        if (output == null && sheet == null) throw new ParameterException(spec.commandLine(), "--output (or --sheet) is required");
        if (!Files.exists(input)) throw new ParameterException(spec.commandLine(), "--input " + input + " does not exist");
        BatchRenderer.Options opts = new BatchRenderer.Options(input, output, viewList, settings, center, up, renderer, Parallel.threads(), force);
        try {
            if (sheet != null) {
                int code = sheet(opts, err);
                if (code != 0 || output == null) return code;
            }
            return batch(opts, out, err);
        } catch (IllegalStateException e) {
            // The GL renderer was demanded and cannot start: the machine lacks something, not a bug.
            err.println("uactn: renderer " + renderer.name().toLowerCase(Locale.ROOT) + " unavailable: " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
    }

    private int batch(BatchRenderer.Options opts, PrintWriter out, PrintWriter err) {
        ProgressBar[] bar = new ProgressBar[1];
        int[] rendered = {0};
        BatchRenderer.Listener listener = new BatchRenderer.Listener() {
            @Override
            public void started(int total, int toRender, String kind) {
                err.printf(Locale.ROOT, "uactn render: %d mesh(es), %d to render, %d skipped (views exist; --force renders them again); %d view(s) each, %s renderer, %d thread(s)%n",
                        total, toRender, total - toRender, opts.views().size(), kind == null ? "no" : kind, Math.min(opts.threads(), Math.max(1, toRender)));
                err.flush();
                bar[0] = new ProgressBar(err, "meshes", total, ProgressBar.stderrIsTerminal());
            }

            @Override
            public void meshDone(BatchRenderer.Result r, int done, int total) {
                if (r.status() == BatchRenderer.Status.FAILED) {
                    bar[0].interrupt();
                    err.println("uactn render: FAILED " + r.job().relative() + ": " + r.error());
                }
                rendered[0]++;
                bar[0].update(done, rendered[0]);
            }

            @Override
            public void warning(String message) {
                if (bar[0] != null) bar[0].interrupt();
                err.println("uactn render: warning: " + message);
                err.flush();
            }
        };
        BatchRenderer.Summary s = BatchRenderer.run(opts, listener);
        long failed = s.count(BatchRenderer.Status.FAILED);
        out.printf(Locale.ROOT, "%d rendered, %d skipped, %d failed in %.1f s (%s); report: %s%n",
                s.count(BatchRenderer.Status.RENDERED), s.count(BatchRenderer.Status.SKIPPED), failed, s.seconds(),
                s.rendererDescription() == null ? "nothing rendered" : s.rendererDescription(), s.report());
        out.flush();
        return failed == 0 ? 0 : Main.EXIT_FAILURE;
    }

    private int sheet(BatchRenderer.Options opts, PrintWriter err) {
        if (Files.isDirectory(input)) throw new ParameterException(spec.commandLine(), "--sheet needs one mesh file as --input, got the folder " + input);
        if (!MeshReaders.isMeshFile(input)) throw new ParameterException(spec.commandLine(), "--input " + input + " is not a mesh file (.off .obj .stl .ply)");
        byte[][] imgs;
        try (Renderer r = Renderers.create(renderer, m -> err.println("uactn render: warning: " + m))) {
            imgs = BatchRenderer.renderFile(r, input, opts, new int[2]);
        }
        int[] dims = new int[2];
        byte[] sheetBytes = Images.contactSheet(Arrays.asList(imgs), opts.settings().size(), dims);
        Images.writePng(sheetBytes, dims[0], dims[1], sheet);
        err.println("uactn render: wrote " + sheet + " (" + imgs.length + " views, " + dims[0] + "x" + dims[1] + ")");
        err.flush();
        return 0;
    }

    private int bench(PrintWriter out, PrintWriter err, RenderSettings settings, List<View> viewList) {
        if (!(benchSeconds > 0 && benchSeconds <= 600)) throw new ParameterException(spec.commandLine(), "--bench-seconds must be in (0, 600], got " + benchSeconds);
        List<Renderers.Kind> kinds = renderer == Renderers.Kind.AUTO ? List.of(Renderers.Kind.GL, Renderers.Kind.SOFTWARE) : List.of(renderer);
        List<Integer> threadCounts = Parallel.threads() > 1 ? List.of(1, Parallel.threads()) : List.of(1);
        out.printf(Locale.ROOT, "render benchmark: %d views at %dx%d, %s, %s, %d sample(s); %.1f s per row after warm-up%n",
                viewList.size(), settings.size(), settings.size(), settings.mode().name().toLowerCase(Locale.ROOT),
                settings.projection().name().toLowerCase(Locale.ROOT), settings.samples(), benchSeconds);
        out.printf(Locale.ROOT, "%-9s %-16s %9s %7s %10s %12s%n", "renderer", "mesh", "triangles", "threads", "meshes/s", "ms per mesh");
        out.flush();
        List<Mesh> meshes = RenderBench.meshes();
        String glDesc = null;
        for (Renderers.Kind k : kinds) {
            for (Mesh m : meshes) {
                for (int t : threadCounts) {
                    RenderBench.Row row;
                    try {
                        row = RenderBench.measure(k, m, viewList, settings, t, benchSeconds);
                    } catch (IllegalStateException e) {
                        if (renderer == Renderers.Kind.GL) throw e;
                        out.printf(Locale.ROOT, "%-9s unavailable: %s%n", k.name().toLowerCase(Locale.ROOT), e.getMessage());
                        out.flush();
                        break;
                    }
                    if (row.renderer().equals("gl")) glDesc = row.description();
                    out.printf(Locale.ROOT, "%-9s %-16s %9d %7d %10.1f %12.1f%n", row.renderer(), row.mesh(), row.triangles(), row.threads(),
                            row.meshesPerSecond(), row.msPerMesh());
                    out.flush();
                }
                if (k == Renderers.Kind.GL && Renderers.glFailure() != null) break;
            }
        }
        if (glDesc != null) out.println("gl: " + glDesc);
        out.println("ms per mesh: wall time of one thread for one mesh (all views, including read-back; no PNG encoding).");
        out.flush();
        return 0;
    }
}
