// `uactn render` in-process: mirrored output, failure isolation and the report, resume and --force, sheets, usage errors, bench.
package org.uactn.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.uactn.render.Images;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class RenderCommandTest {
    @TempDir
    Path tmp;

    private static final String CUBE_OFF = "OFF\n8 6 0\n0 0 0\n2 0 0\n0 1 0\n2 1 0\n0 0 1\n2 0 1\n0 1 1\n2 1 1\n"
            + "4 0 2 3 1\n4 4 5 7 6\n4 0 1 5 4\n4 2 6 7 3\n4 0 4 6 2\n4 1 3 7 5\n";
    private static final String TETRA_OBJ = "v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\nf 1 3 2\nf 1 2 4\nf 1 4 3\nf 2 3 4\n";

    /** in/cube.off, in/sub/deeper/tetra.obj, in/sub/broken.off (index out of range on line 5). */
    private Path inputTree() throws IOException {
        Path in = tmp.resolve("in");
        Files.createDirectories(in.resolve("sub/deeper"));
        Files.writeString(in.resolve("cube.off"), CUBE_OFF);
        Files.writeString(in.resolve("sub/deeper/tetra.obj"), TETRA_OBJ);
        Files.writeString(in.resolve("sub/broken.off"), "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 7\n");
        Files.writeString(in.resolve("sub/notes.txt"), "not a mesh");
        return in;
    }

    private static JsonObject report(Path out) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve("render-report.json"))).getAsJsonObject();
    }

    private static JsonObject entry(JsonObject report, String path) {
        for (var e : report.getAsJsonArray("meshes")) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("path").getAsString().equals(path)) return o;
        }
        throw new AssertionError("no report entry for " + path + " in " + report);
    }

    @Test
    void rendersATreeIsolatesFailuresAndResumes() throws IOException {
        Path in = inputTree(), out = tmp.resolve("out");
        MainTest.Run r = MainTest.run("render", "--input", in.toString(), "--output", out.toString(), "--views", "4", "--size", "48");
        assertEquals(1, r.exit(), "one mesh fails: " + r.err());
        assertTrue(r.err().contains("FAILED sub/broken.off") && r.err().contains("broken.off:line 6") && r.err().contains("index 7 out of range"), r.err());
        assertTrue(r.err().contains("3/3 meshes"), "progress bar reaches the end: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        for (String d : new String[]{"cube", "sub/deeper/tetra"}) {
            for (int v = 0; v < 4; v++) {
                Path png = out.resolve(d).resolve(String.format("view_%02d.png", v));
                assertTrue(Files.isRegularFile(png), png.toString());
                BufferedImage img = ImageIO.read(png.toFile());
                assertEquals(48, img.getWidth());
                assertEquals(BufferedImage.TYPE_BYTE_GRAY, img.getType());
            }
        }
        try (Stream<Path> s = Files.walk(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
        assertFalse(Files.exists(out.resolve("sub/broken/view_00.png")));
        JsonObject rep = report(out);
        assertEquals(2, rep.getAsJsonObject("counts").get("rendered").getAsInt());
        assertEquals(1, rep.getAsJsonObject("counts").get("failed").getAsInt());
        JsonObject cube = entry(rep, "cube.off");
        assertEquals("rendered", cube.get("status").getAsString());
        assertEquals(12, cube.get("triangles").getAsInt());
        assertTrue(cube.get("seconds").getAsDouble() >= 0);
        JsonObject broken = entry(rep, "sub/broken.off");
        assertEquals("failed", broken.get("status").getAsString());
        assertTrue(broken.get("error").getAsString().contains("index 7 out of range"), broken.toString());
        assertEquals(4, rep.getAsJsonObject("settings").getAsJsonArray("views").size());

        // Second run: the complete meshes are skipped (files untouched); the broken one is tried again.
        Path view = out.resolve("cube/view_00.png");
        FileTime before = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(view, before);
        MainTest.Run again = MainTest.run("render", "--input", in.toString(), "--output", out.toString(), "--views", "4", "--size", "48");
        assertEquals(1, again.exit());
        assertEquals(before, Files.getLastModifiedTime(view));
        JsonObject rep2 = report(out);
        assertEquals(2, rep2.getAsJsonObject("counts").get("skipped").getAsInt());
        assertEquals("skipped", entry(rep2, "sub/deeper/tetra.obj").get("status").getAsString());

        // A missing view makes the mesh incomplete: only it is rendered again.
        Files.delete(out.resolve("sub/deeper/tetra/view_03.png"));
        Files.delete(in.resolve("sub/broken.off"));
        MainTest.Run third = MainTest.run("render", "--input", in.toString(), "--output", out.toString(), "--views", "4", "--size", "48");
        assertEquals(0, third.exit(), third.err());
        assertTrue(Files.exists(out.resolve("sub/deeper/tetra/view_03.png")));
        assertEquals("rendered", entry(report(out), "sub/deeper/tetra.obj").get("status").getAsString());
        assertEquals("skipped", entry(report(out), "cube.off").get("status").getAsString());

        // --force renders everything again.
        MainTest.Run forced = MainTest.run("render", "--input", in.toString(), "--output", out.toString(), "--views", "4", "--size", "48", "--force",
                "--renderer", "software", "--mode", "lines");
        assertEquals(0, forced.exit(), forced.err());
        assertNotEquals(before, Files.getLastModifiedTime(view));
        assertEquals(2, report(out).getAsJsonObject("counts").get("rendered").getAsInt());
        assertEquals("software", report(out).get("renderer").getAsString());
    }

    @Test
    void sheetOfOneMesh() throws IOException {
        Path mesh = tmp.resolve("cube.off");
        Files.writeString(mesh, CUBE_OFF);
        Path sheet = tmp.resolve("sheet.png");
        MainTest.Run r = MainTest.run("render", "--input", mesh.toString(), "--sheet", sheet.toString(), "--size", "40", "--cameras", "dodecahedron");
        assertEquals(0, r.exit(), r.err());
        BufferedImage img = ImageIO.read(sheet.toFile());
        // 20 views: 6 columns x 4 rows of 40 pixels with 2-pixel gutters.
        assertEquals(6 * 40 + 7 * 2, img.getWidth());
        assertEquals(4 * 40 + 5 * 2, img.getHeight());
        byte[] grey = Images.readGrey(sheet);
        int dark = 0;
        for (byte b : grey) if ((b & 255) < 200) dark++;
        assertTrue(dark > 20 * 100, "every view shows the box: " + dark);
    }

    @Test
    void badUsageExitsWithTwoAndAMessage() throws IOException {
        MainTest.Run noInput = MainTest.run("render", "--output", tmp.toString());
        assertEquals(2, noInput.exit());
        assertTrue(noInput.err().contains("--input is required"), noInput.err());
        MainTest.Run missing = MainTest.run("render", "--input", tmp.resolve("nope").toString(), "--output", tmp.resolve("o").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        MainTest.Run mode = MainTest.run("render", "--input", tmp.toString(), "--output", tmp.toString(), "--mode", "toon");
        assertEquals(2, mode.exit());
        MainTest.Run empty = MainTest.run("render", "--input", tmp.toString(), "--output", tmp.resolve("o").toString());
        assertEquals(2, empty.exit());
        assertTrue(empty.err().contains("no .off .obj .stl .ply files under"), empty.err());
        MainTest.Run cams = MainTest.run("render", "--input", tmp.toString(), "--output", tmp.toString(), "--cameras", "0:95");
        assertEquals(2, cams.exit());
        assertTrue(cams.err().contains("elevation must be in [-90, 90]"), cams.err());
        MainTest.Run sheetDir = MainTest.run("render", "--input", tmp.toString(), "--sheet", tmp.resolve("s.png").toString());
        assertEquals(2, sheetDir.exit());
        assertTrue(sheetDir.err().contains("--sheet needs one mesh file"), sheetDir.err());
        for (MainTest.Run r : new MainTest.Run[]{noInput, missing, mode, empty, cams, sheetDir})
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void benchReportsMeshesPerSecond() {
        MainTest.Run r = MainTest.run("render", "--bench", "--bench-seconds", "0.2", "--size", "32", "--views", "2", "--renderer", "software");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().matches("(?s).*software\\s+torus-64x32\\s+4096\\s+1\\s+\\d+\\.\\d.*"), r.out());
        assertTrue(r.out().matches("(?s).*software\\s+torus-250x120\\s+60000\\s+1\\s+\\d+\\.\\d.*"), r.out());
    }
}
