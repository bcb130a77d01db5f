// .cla parsing: the good fixture with parents and empty classes, and each broken fixture's error naming file and line.
package org.uactn.train.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ClaFileTest {
    static final Path DIR = Path.of("src/test/resources/datasets/cla");

    @Test
    void readsClassesParentsAndEmptyClasses() {
        ClaFile f = ClaFile.read(DIR.resolve("good.cla"));
        assertEquals(5, f.numModels());
        assertEquals(List.of("furniture", "chair", "table", "empty"), f.classNames());
        assertNull(f.get("furniture").parent());
        assertEquals("furniture", f.get("chair").parent());
        assertEquals(List.of("m1", "2", "3"), f.get("chair").members());
        assertEquals(List.of(), f.get("empty").members());
        assertEquals(6, f.get("chair").line());
        assertEquals("table", f.classOf().get("5"));
    }

    @Test
    void roundTripsThroughFormat() {
        ClaFile f = ClaFile.read(DIR.resolve("good.cla"));
        ClaFile g = ClaFile.parse(ClaFile.format(f.classes()), "again");
        assertEquals(f.classNames(), g.classNames());
        assertEquals(f.classOf(), g.classOf());
        assertEquals("furniture", g.get("table").parent());
    }

    @Test
    void jsonListsClassesWithParentAndMembers() {
        String json = ClaFile.read(DIR.resolve("good.cla")).toJson();
        var root = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
        assertEquals(4, root.get("numClasses").getAsInt());
        var chair = root.getAsJsonArray("classes").get(1).getAsJsonObject();
        assertEquals("chair", chair.get("name").getAsString());
        assertEquals("furniture", chair.get("parent").getAsString());
        assertEquals(3, chair.getAsJsonArray("members").size());
        assertTrue(root.getAsJsonArray("classes").get(0).getAsJsonObject().get("parent").isJsonNull());
    }

    @ParameterizedTest
    @CsvSource({
            "bad_header.cla, 1, 'PSB 1'",
            "bad_counts_line.cla, 2, '<numClasses> <numModels>'",
            "bad_total.cla, 2, add up to 3",
            "missing_member.cla, 7, missing members",
            "extra_member.cla, 6, extra member '2'",
            "too_few_classes.cla, 8, declares 3 classes but the file has 2",
            "too_many_classes.cla, 7, more classes than the 1 declared",
            "bad_member_count.cla, 4, not a whole number: 'one'",
            "unknown_parent.cla, 4, parent 'seating'",
            "duplicate_id.cla, 8, listed twice",
            "duplicate_class.cla, 7, defined twice",
            "truncated.cla, 6, end of file after 2 of the 3 members",
            "empty.cla, 1, empty file"})
    void brokenFilesNameFileAndLine(String name, int line, String text) {
        ClaFormatException e = assertThrows(ClaFormatException.class, () -> ClaFile.read(DIR.resolve(name)));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(DIR.resolve(name) + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void toleratesWindowsLineEndingsAndBlankLines() {
        ClaFile f = ClaFile.parse("PSB 1\r\n\r\n1 2\r\n\r\n\r\nchair 0 2\r\n\r\n1\r\n2\r\n", "crlf");
        assertEquals(List.of("1", "2"), f.get("chair").members());
    }
}
