// `uactn synth`: generates the synthetic sketch-shape benchmark (meshes, views, sketches, .cla files, manifest) with a progress bar.
package org.uactn.cli;

import org.uactn.cli.render.ProgressBar;
import org.uactn.core.backend.cpu.Parallel;
import org.uactn.render.Renderers;
import org.uactn.train.synth.ShapeFamilies;
import org.uactn.train.synth.SynthBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Generates the synthetic sketch-based retrieval benchmark: procedural 3-D shapes (.off), their rendered views, "
                + "hand-drawn-looking sketches (a fraction deliberately low-quality), SHREC-style .cla files, manifest.json "
                + "(each sketch's quality) and sample-sheet.png. The same seed gives the same files.",
                "Read it back with: uactn dataset info DIR"},
        footer = {"", "Exit codes: 0 generated, 2 bad usage (e.g. a non-empty output folder).", "Layout and classes: docs/datasets.md."})
final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private static final SynthBenchmark.Config D = SynthBenchmark.Config.defaults();

    @Option(names = "--output", paramLabel = "DIR", required = true, description = "New or empty output folder.")
    Path output;

    @Option(names = "--classes", paramLabel = "K", description = "Shape classes, 2 to 18 (default: 15).")
    int classes = D.classes();

    @Option(names = "--shapes-per-class", paramLabel = "N", description = "Target models per class (default: 10).")
    int shapes = D.shapesPerClass();

    @Option(names = "--sketches-per-class", paramLabel = "M", description = "Training sketches per class (default: 20).")
    int sketches = D.sketchesPerClass();

    @Option(names = "--test-sketches-per-class", paramLabel = "T", description = "Test sketches per class (default: 10).")
    int testSketches = D.testSketchesPerClass();

    @Option(names = "--noise-fraction", paramLabel = "F", description = "Fraction of low-quality sketches per class and split (default: 0.2).")
    double noise = D.noiseFraction();

    @Option(names = "--size", paramLabel = "S", description = "Width and height of views and sketches in pixels (default: 128).")
    int size = D.size();

    @Option(names = "--views", paramLabel = "V", description = "Rendered views per model, a ring at 30 degrees elevation (default: 12).")
    int views = D.views();

    @Option(names = "--seed", paramLabel = "X", description = "Random seed (default: 1).")
    long seed = D.seed();

    @Option(names = "--renderer", paramLabel = "KIND", defaultValue = "software",
            description = "software (the same pixels everywhere), gl or auto; GL output depends on the driver (default: ${DEFAULT-VALUE}).")
    Renderers.Kind renderer;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        SynthBenchmark.Config c;
        try {
            c = new SynthBenchmark.Config(classes, shapes, sketches, testSketches, noise, size, seed, views, renderer, Parallel.threads());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage().replace("classes must", "--classes must"));
        }
        ProgressBar[] bar = new ProgressBar[1];
        SynthBenchmark.Listener listener = new SynthBenchmark.Listener() {
            @Override
            public void started(int items, String kind) {
                err.printf(Locale.ROOT, "uactn synth: %d classes (%s), %d models x %d views, %d sketches, %s renderer, %d thread(s)%n",
                        c.classes(), String.join(", ", ShapeFamilies.ALL.subList(0, c.classes()).stream().map(ShapeFamilies.Family::name).toList()),
                        c.classes() * c.shapesPerClass(), c.views(), c.classes() * (c.sketchesPerClass() + c.testSketchesPerClass()), kind, c.threads());
                err.flush();
                bar[0] = new ProgressBar(err, "items", items, ProgressBar.stderrIsTerminal());
            }

            @Override
            public void progress(int done, int total) { bar[0].update(done, done); }

            @Override
            public void warning(String message) {
                if (bar[0] != null) bar[0].interrupt();
                err.println("uactn synth: warning: " + message);
                err.flush();
            }
        };
        SynthBenchmark.Result r;
        try {
            r = SynthBenchmark.generate(c, output, listener);
        } catch (IllegalStateException e) {
            err.println("uactn synth: renderer " + renderer.name().toLowerCase(Locale.ROOT) + " unavailable: " + e.getMessage());
            err.flush();
            return Main.EXIT_USAGE;
        }
        out.printf(Locale.ROOT, "wrote %s: %d models, %d train + %d test sketches (%d low-quality) in %.1f s%n",
                r.output(), r.models(), r.trainSketches(), r.testSketches(), r.lowQuality(), r.seconds());
        if (!Double.isNaN(r.baselineMap()))
            out.printf(Locale.ROOT, "raw-pixel baseline mAP (test sketches vs all models, best view): %.4f%n", r.baselineMap());
        out.printf(Locale.ROOT, "manifest: %s, sample sheet: %s%n", r.output().resolve("manifest.json"), r.output().resolve(SynthBenchmark.SHEET));
        out.flush();
        return 0;
    }
}
