// `uactn dataset info` and `uactn dataset cla` on the train module's fixtures: summaries, problems, exit codes and JSON.
package org.uactn.cli;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetCommandTest {
    static final Path FIX = Path.of("../train/src/test/resources/datasets");

    static MainTest.Run run(String... args) { return MainTest.run(args); }

    @Test
    void infoSummarisesAGoodShrec13Tree() {
        MainTest.Run r = run("dataset", "info", FIX.resolve("shrec13").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("format:       SHREC'13"), r.out());
        assertTrue(r.out().contains("classes:      3 (3 with models, 3 with sketches)"), r.out());
        assertTrue(r.out().contains("sketches:     6 train, 3 test"), r.out());
        assertTrue(r.out().contains("models:       5 (5 with a mesh file)"), r.out());
        assertTrue(r.out().contains("views/model:  2 (5 models)"), r.out());
        assertTrue(r.out().contains("class sizes:  models 1..2, sketches 3"), r.out());
        assertTrue(r.out().contains("no problems found"), r.out());
    }

    @Test
    void infoListsProblemsAndExitsOne() {
        MainTest.Run r = run("dataset", "info", FIX.resolve("shrec13_broken").toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("6 problem(s):"), r.out());
        assertTrue(r.out().contains("without models: dog"), r.out());
        assertTrue(r.out().contains("202.png: unreadable image"), r.out());
        assertTrue(r.out().contains("view_01.png: unreadable image"), r.out());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void infoOnShrec14AndGenericLayouts() {
        MainTest.Run r = run("dataset", "info", FIX.resolve("shrec14").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("SHREC'14"), r.out());
        assertTrue(r.out().contains("note: no rendered views found"), r.out());
        MainTest.Run v = run("dataset", "info", "--check", "header", FIX.resolve("viewfolder_broken").toString());
        assertEquals(1, v.exit(), v.out());
        assertTrue(v.out().contains("view folders"), v.out());
        assertTrue(v.out().contains("holds no images"), v.out());
    }

    @Test
    void infoOnNoDatasetIsBadInput() {
        MainTest.Run r = run("dataset", "info", FIX.resolve("missing").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("does not exist"), r.err());
        MainTest.Run s = run("dataset", "info", FIX.resolve("cla").toString());
        assertEquals(1, s.exit(), s.out() + s.err());
        assertTrue(s.out().contains("no model class file"), s.out());
    }

    @Test
    void claPrintsJsonOrThePreciseError() {
        MainTest.Run r = run("dataset", "cla", FIX.resolve("cla/good.cla").toString());
        assertEquals(0, r.exit(), r.err());
        var root = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(4, root.getAsJsonArray("classes").size());
        assertEquals("furniture", root.getAsJsonArray("classes").get(1).getAsJsonObject().get("parent").getAsString());

        MainTest.Run bad = run("dataset", "cla", FIX.resolve("cla/missing_member.cla").toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("missing_member.cla:7: missing members: class 'chair' (line 4) declares 3 member(s)"), bad.err());
        assertEquals("", bad.out());
        MainTest.Run none = run("dataset", "cla", "nope.cla");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("does not exist"), none.err());
    }
}
