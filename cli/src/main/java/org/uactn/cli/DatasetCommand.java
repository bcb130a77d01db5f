// `uactn dataset`: inspects benchmarks on disk: `info PATH` (layout, summary, problems) and `cla FILE` (a class file as JSON).
package org.uactn.cli;

import org.uactn.cli.render.ProgressBar;
import org.uactn.train.data.ClaFile;
import org.uactn.train.data.DatasetReader;
import org.uactn.train.data.ImageCheck;
import org.uactn.train.data.SbsrDataset;
import org.uactn.train.data.SbsrDataset.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Inspects sketch-based retrieval benchmarks on disk (SHREC'13, SHREC'14, the synthetic benchmark, image folders).",
        subcommands = {DatasetCommand.Info.class, DatasetCommand.Cla.class},
        footer = {"", "Layouts and the .cla format: docs/datasets.md."})
final class DatasetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.EXIT_USAGE;
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = {"Detects the layout of PATH and prints a summary (format, classes, sketches per split, models, views per model, "
                    + "class sizes) and every problem found (bad class files, missing files, classes without models, unreadable images)."},
            footer = {"", "Exit codes: 0 no problems, 1 problems found, 2 bad usage or PATH is no dataset."})
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PATH", description = "The benchmark's folder.")
        Path path;

        @Option(names = "--views", paramLabel = "DIR", description = "A separate folder of rendered views (uactn render output) to match to the models.")
        Path views;

        @Option(names = "--check", paramLabel = "DEPTH", defaultValue = "full",
                description = "Image check: full (decode every image), header (read sizes only) or none (default: ${DEFAULT-VALUE}).")
        ImageCheck.Depth check;

        @Option(names = "--max-problems", paramLabel = "N", defaultValue = "50", description = "Print at most N problems (default: ${DEFAULT-VALUE}).")
        int maxProblems;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            if (!Files.isDirectory(path)) throw new ParameterException(spec.commandLine(), "PATH " + path + " does not exist or is not a folder");
            if (maxProblems < 0) throw new ParameterException(spec.commandLine(), "--max-problems must be >= 0, got " + maxProblems);
            SbsrDataset d;
            try {
                d = DatasetReader.read(path, views);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                err.println("uactn dataset info: " + e.getMessage());
                err.flush();
                return Main.EXIT_USAGE;
            }
            List<java.nio.file.Path> images = ImageCheck.images(d);
            if (check != ImageCheck.Depth.NONE && !images.isEmpty()) {
                ProgressBar bar = new ProgressBar(err, "images", images.size(), ProgressBar.stderrIsTerminal());
                List<String> bad = ImageCheck.check(images, check, n -> bar.update(n, n));
                d = d.withProblems(bad);
            }
            printSummary(out, d, images.size());
            List<String> problems = d.problems();
            if (!d.notes().isEmpty()) {
                out.println();
                for (String n : d.notes()) out.println("note: " + n);
            }
            out.println();
            if (problems.isEmpty()) {
                out.println("no problems found");
            } else {
                out.printf(Locale.ROOT, "%d problem(s):%n", problems.size());
                for (int i = 0; i < Math.min(maxProblems, problems.size()); i++) out.println("  " + problems.get(i));
                if (problems.size() > maxProblems) out.printf(Locale.ROOT, "  ... and %d more (--max-problems)%n", problems.size() - maxProblems);
            }
            out.flush();
            return problems.isEmpty() ? 0 : Main.EXIT_FAILURE;
        }

        private void printSummary(PrintWriter out, SbsrDataset d, int imageCount) {
            out.printf(Locale.ROOT, "%-13s %s%n", "format:", d.format().label());
            out.printf(Locale.ROOT, "%-13s %s%n", "root:", d.root());
            Map<String, Integer> modelsPer = new HashMap<>(), sketchesPer = new HashMap<>();
            for (SbsrDataset.Model m : d.models()) modelsPer.merge(m.className(), 1, Integer::sum);
            for (SbsrDataset.Sketch s : d.sketches()) sketchesPer.merge(s.className(), 1, Integer::sum);
            out.printf(Locale.ROOT, "%-13s %d (%d with models, %d with sketches)%n", "classes:", d.classes().size(), modelsPer.size(), sketchesPer.size());
            long train = d.sketches(Split.TRAIN).size(), test = d.sketches(Split.TEST).size(), none = d.sketches(Split.NONE).size();
            long missing = d.sketches().stream().filter(s -> s.file() == null).count();
            out.printf(Locale.ROOT, "%-13s %d train, %d test%s%s%n", "sketches:", train, test, none > 0 ? ", " + none + " without split" : "",
                    missing > 0 ? " (" + missing + " missing)" : "");
            long meshes = d.models().stream().filter(m -> m.mesh() != null).count();
            out.printf(Locale.ROOT, "%-13s %d (%d with a mesh file)%n", "models:", d.models().size(), meshes);
            TreeMap<Integer, Integer> viewCounts = new TreeMap<>();
            for (SbsrDataset.Model m : d.models()) viewCounts.merge(m.views().size(), 1, Integer::sum);
            List<String> vc = new ArrayList<>();
            viewCounts.forEach((k, v) -> vc.add(k + " (" + v + " model" + (v == 1 ? "" : "s") + ")"));
            out.printf(Locale.ROOT, "%-13s %s%n", "views/model:", vc.isEmpty() ? "-" : String.join(", ", vc));
            out.printf(Locale.ROOT, "%-13s models %s, sketches %s%n", "class sizes:", range(modelsPer), range(sketchesPer));
            out.printf(Locale.ROOT, "%-13s %d image(s) %s%n", "checked:", imageCount,
                    check == ImageCheck.Depth.FULL ? "decoded" : check == ImageCheck.Depth.HEADER ? "(headers only)" : "(not checked: --check none)");
        }

        private static String range(Map<String, Integer> perClass) {
            if (perClass.isEmpty()) return "-";
            IntSummaryStatistics s = perClass.values().stream().mapToInt(Integer::intValue).summaryStatistics();
            return s.getMin() == s.getMax() ? Integer.toString(s.getMin()) : s.getMin() + ".." + s.getMax();
        }
    }

    @Command(name = "cla", mixinStandardHelpOptions = true,
            description = "Prints a .cla class file (PSB format) as JSON: classes with parent (null for none) and members; or the precise error.",
            footer = {"", "Exit codes: 0 printed, 2 the file is missing or malformed (the message names file and line)."})
    static final class Cla implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The .cla file.")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            if (!Files.isRegularFile(file)) throw new ParameterException(spec.commandLine(), "FILE " + file + " does not exist or is not a file");
            try {
                out.println(ClaFile.read(file).toJson());
                out.flush();
                return 0;
            } catch (IllegalArgumentException | UncheckedIOException e) {
                err.println("uactn dataset cla: " + e.getMessage());
                err.flush();
                return Main.EXIT_USAGE;
            }
        }
    }
}
