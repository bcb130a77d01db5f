// `uactn synth` end to end on a small configuration: files, determinism of the printed summary, and bad usage.
package org.uactn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthCommandTest {
    @TempDir
    Path tmp;

    @Test
    void generatesAReadableBenchmark() {
        Path out = tmp.resolve("bench");
        MainTest.Run r = MainTest.run("synth", "--output", out.toString(), "--classes", "3", "--shapes-per-class", "2",
                "--sketches-per-class", "2", "--test-sketches-per-class", "2", "--size", "48", "--views", "4", "--seed", "5");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("6 models, 6 train + 6 test sketches"), r.out());
        assertTrue(r.out().contains("raw-pixel baseline mAP"), r.out());
        assertTrue(r.err().contains("3 classes (chair, table, mug)"), r.err());
        assertTrue(Files.isRegularFile(out.resolve("models/chair/m1.off")));
        assertTrue(Files.isRegularFile(out.resolve("views/mug/m5/view_03.png")));
        assertTrue(Files.isRegularFile(out.resolve("sample-sheet.png")));

        MainTest.Run info = MainTest.run("dataset", "info", out.toString());
        assertEquals(0, info.exit(), info.out());
        assertTrue(info.out().contains("uactn synthetic benchmark"), info.out());
        assertTrue(info.out().contains("sketches:     6 train, 6 test"), info.out());
        assertTrue(info.out().contains("views/model:  4 (6 models)"), info.out());
    }

    @Test
    void refusesBadSettingsAndNonEmptyFolders() throws Exception {
        MainTest.Run r = MainTest.run("synth", "--output", tmp.resolve("x").toString(), "--classes", "40");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--classes must be in [2, 18], got 40"), r.err());
        MainTest.Run n = MainTest.run("synth", "--output", tmp.resolve("x").toString(), "--noise-fraction", "1.5");
        assertEquals(2, n.exit());
        assertTrue(n.err().contains("noise fraction must be in [0, 1]"), n.err());
        Files.writeString(tmp.resolve("full.txt"), "x");
        MainTest.Run f = MainTest.run("synth", "--output", tmp.toString(), "--classes", "2");
        assertEquals(2, f.exit());
        assertTrue(f.err().contains("is not empty"), f.err());
    }
}
