// Layout readers on the committed fixtures: SHREC'13/'14 (found through .cla ids), generic folders, and broken trees' problems.
package org.uactn.train.data;

import org.junit.jupiter.api.Test;
import org.uactn.train.data.SbsrDataset.Format;
import org.uactn.train.data.SbsrDataset.Split;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DatasetReaderTest {
    static final Path DIR = Path.of("src/test/resources/datasets");

    private static boolean anyProblem(SbsrDataset d, String text) {
        return d.problems().stream().anyMatch(p -> p.contains(text));
    }

    @Test
    void shrec13LayoutThroughClaIds() {
        SbsrDataset d = DatasetReader.read(DIR.resolve("shrec13"));
        assertEquals(Format.SHREC13, d.format());
        assertEquals(List.of("airplane", "chair", "tree"), d.classes());
        assertEquals(6, d.sketches(Split.TRAIN).size());
        assertEquals(3, d.sketches(Split.TEST).size());
        assertEquals(5, d.models().size());
        for (SbsrDataset.Model m : d.models()) {
            assertNotNull(m.mesh(), m.id());
            assertEquals("m" + m.id() + ".off", m.mesh().getFileName().toString());
            assertEquals(2, m.views().size());
            assertEquals("view_00.png", m.views().get(0).getFileName().toString());
        }
        SbsrDataset.Sketch s = d.sketches(Split.TEST).get(1);
        assertEquals("chair", s.className());
        assertTrue(s.file().endsWith(Path.of("SHREC13_SBR_TESTING_SKETCHES/chair/202.png")), s.file().toString());
        assertEquals(List.of(), d.problems());
        assertEquals(List.of(), ImageCheck.check(ImageCheck.images(d), ImageCheck.Depth.FULL, null));
    }

    @Test
    void shrec14NestedFoldersUpperCaseNamesAndSharedStems() {
        SbsrDataset d = DatasetReader.read(DIR.resolve("shrec14"));
        assertEquals(Format.SHREC14, d.format());
        assertEquals(List.of("bicycle", "house", "guitar"), d.classes());
        assertEquals(6, d.models().size());
        for (SbsrDataset.Model m : d.models()) {
            assertEquals("M" + m.id() + ".off", m.mesh().getFileName().toString());
            assertTrue(m.views().isEmpty());
        }
        // Sketch "1" of bicycle shares its stem with a file under house/train; the class folder decides.
        SbsrDataset.Sketch one = d.sketches(Split.TRAIN).getFirst();
        assertEquals("1", one.id());
        assertTrue(one.file().endsWith(Path.of("bicycle/train/1.png")), one.file().toString());
        assertEquals(3, d.sketches(Split.TEST).size());
        assertEquals(List.of(), d.problems());
        assertTrue(d.notes().stream().anyMatch(n -> n.contains("no rendered views")), d.notes().toString());
    }

    @Test
    void brokenShrec13ReportsEveryProblem() {
        SbsrDataset d = DatasetReader.read(DIR.resolve("shrec13_broken"));
        assertTrue(anyProblem(d, "have no mesh file (m<id>.off) and no views: 9"), d.problems().toString());
        assertTrue(anyProblem(d, "sketch class(es) without models: dog"), d.problems().toString());
        assertTrue(anyProblem(d, "train sketch(es) of SHREC13_SBR_Sketch_Train.cla have no image file (<id>.png): 108"), d.problems().toString());
        assertTrue(anyProblem(d, "have no rendered views"), d.problems().toString());
        List<String> bad = ImageCheck.check(ImageCheck.images(d), ImageCheck.Depth.FULL, null);
        assertEquals(2, bad.size(), bad.toString());
        assertTrue(bad.get(0).contains("202.png: unreadable image"), bad.toString());
        assertTrue(bad.get(1).contains("m1/view_01.png: unreadable image"), bad.toString());
        // Only the header is read in HEADER mode: the truncated view (header intact) passes, the text file does not.
        List<String> headerOnly = ImageCheck.check(ImageCheck.images(d), ImageCheck.Depth.HEADER, null);
        assertTrue(headerOnly.stream().anyMatch(p -> p.contains("202.png")), headerOnly.toString());
    }

    @Test
    void brokenClassFilesAreProblemsWithFileAndLine() {
        SbsrDataset d = DatasetReader.read(DIR.resolve("shrec14_badcla"));
        assertTrue(anyProblem(d, "SHREC14_SBR_Model.cla:2: the header declares 4 models but the classes' member counts add up to 3"), d.problems().toString());
        assertTrue(anyProblem(d, "SHREC14_SBR_Sketch_Test.cla:4: the member count of class 'bicycle' is not a whole number: 'x'"), d.problems().toString());
        assertEquals(2, d.sketches(Split.TRAIN).size());
    }

    @Test
    void imageFolderLayout() {
        SbsrDataset d = DatasetReader.read(DIR.resolve("imagefolder"));
        assertEquals(Format.IMAGE_FOLDER, d.format());
        assertEquals(List.of("cat", "dog"), d.classes());
        assertEquals(5, d.sketches().size());
        assertTrue(d.sketches().stream().allMatch(s -> s.split() == Split.NONE));
        assertEquals(List.of(), d.problems());

        SbsrDataset s = DatasetReader.read(DIR.resolve("imagefolder_split"));
        assertEquals(4, s.sketches(Split.TRAIN).size());
        assertEquals(2, s.sketches(Split.TEST).size());
    }

    @Test
    void viewFolderLayoutAndItsProblems() {
        SbsrDataset d = DatasetReader.read(DIR.resolve("viewfolder"));
        assertEquals(Format.VIEW_FOLDER, d.format());
        assertEquals(3, d.models().size());
        assertEquals(3, d.models().getFirst().views().size());
        assertEquals(List.of(), d.problems());

        SbsrDataset b = DatasetReader.read(DIR.resolve("viewfolder_broken"));
        assertTrue(anyProblem(b, "lamp_0 holds no images"), b.problems().toString());
        assertTrue(anyProblem(b, "different numbers of views: 1 with 1, 1 with 3"), b.problems().toString());
    }

    @Test
    void unknownFoldersAreBadInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetReader.read(DIR.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"));
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> DatasetReader.read(DIR.resolve("imagefolder/cat")));
        assertTrue(f.getMessage().contains("not a dataset layout"), f.getMessage());
    }
}
