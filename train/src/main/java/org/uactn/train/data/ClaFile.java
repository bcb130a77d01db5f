// A Princeton-Shape-Benchmark class file (.cla): classes with parents and member ids, parsed strictly with file:line errors.
package org.uactn.train.data;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The format (see docs/datasets.md): "PSB 1", then "numClasses numModels", then per class a header
 * line "name parent numMembers" followed by one id per line. Parsing is line-oriented (blank
 * lines are skipped) so that a missing or extra member is reported at the line where the
 * structure breaks rather than far later, when the counts fail to add up.
 *
 * @param source   the file name used in messages
 * @param numModels the header's member total (equal to the sum of member counts)
 */
public record ClaFile(String source, List<ClaClass> classes, int numModels) {

    /** One class; parent is null for "0" (no parent); line is the header's 1-based line. */
    public record ClaClass(String name, String parent, List<String> members, int line) {}

    public ClaFile {
        classes = List.copyOf(classes);
    }

    public static ClaFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses .cla text; errors are ClaFormatException (an IllegalArgumentException) with "source:line: ...". */
    public static ClaFile parse(String text, String source) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        // The last line that exists in an editor: a final newline does not start another line.
        int lastLine = lines.length > 1 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        int[] pos = {0};
        String[] header = nextLine(lines, pos);
        if (header == null) throw new ClaFormatException(source, 1, "empty file, expected the header 'PSB 1'");
        int hl = pos[0];
        if (header.length != 2 || !header[0].equals("PSB") || !header[1].equals("1"))
            throw new ClaFormatException(source, hl, "bad header '" + String.join(" ", header) + "', expected 'PSB 1'");
        String[] counts = nextLine(lines, pos);
        if (counts == null) throw new ClaFormatException(source, hl + 1, "missing the line '<numClasses> <numModels>' after the header");
        int cl = pos[0];
        if (counts.length != 2)
            throw new ClaFormatException(source, cl, "expected '<numClasses> <numModels>', got '" + String.join(" ", counts) + "'");
        int numClasses = count(counts[0], "numClasses", source, cl);
        int numModels = count(counts[1], "numModels", source, cl);

        List<ClaClass> classes = new ArrayList<>();
        Map<String, Integer> classLine = new HashMap<>();
        Map<String, String> memberAt = new HashMap<>(); // id -> "class (line n)"
        int memberTotal = 0;
        while (true) {
            String[] h = nextLine(lines, pos);
            if (h == null) break;
            int line = pos[0];
            if (classes.size() == numClasses) {
                if (h.length == 1 && !classes.isEmpty()) {
                    ClaClass last = classes.getLast();
                    throw new ClaFormatException(source, line, "extra member '" + h[0] + "': class '" + last.name() + "' (line " + last.line()
                            + ") declares " + last.members().size() + " member(s)");
                }
                throw new ClaFormatException(source, line, "more classes than the " + numClasses + " declared on line " + cl + " ('" + String.join(" ", h) + "')");
            }
            if (h.length != 3) {
                if (h.length == 1 && !classes.isEmpty()) {
                    ClaClass last = classes.getLast();
                    throw new ClaFormatException(source, line, "extra member '" + h[0] + "': class '" + last.name() + "' (line " + last.line()
                            + ") declares " + last.members().size() + " member(s)");
                }
                throw new ClaFormatException(source, line, "expected a class header '<name> <parent> <numMembers>', got '" + String.join(" ", h) + "'");
            }
            String name = h[0], parent = h[1];
            int n = count(h[2], "the member count of class '" + name + "'", source, line);
            Integer prev = classLine.putIfAbsent(name, line);
            if (prev != null) throw new ClaFormatException(source, line, "class '" + name + "' is defined twice (first on line " + prev + ")");
            List<String> members = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String[] m = nextLine(lines, pos);
                if (m == null)
                    throw new ClaFormatException(source, lastLine, "end of file after " + i + " of the " + n + " members of class '" + name + "' (line " + line + ")");
                int ml = pos[0];
                if (m.length != 1) {
                    String what = m.length == 3 ? "a class header" : "'" + String.join(" ", m) + "'";
                    throw new ClaFormatException(source, ml, "missing members: class '" + name + "' (line " + line + ") declares " + n
                            + " member(s) but " + what + " follows after " + i);
                }
                String where = memberAt.putIfAbsent(m[0], name + "' (line " + ml);
                if (where != null) throw new ClaFormatException(source, ml, "id '" + m[0] + "' is listed twice: in class '" + where + ") and in class '" + name + "'");
                members.add(m[0]);
            }
            memberTotal += n;
            classes.add(new ClaClass(name, parent.equals("0") ? null : parent, Collections.unmodifiableList(members), line));
        }
        if (classes.size() != numClasses)
            throw new ClaFormatException(source, lastLine, "the header (line " + cl + ") declares " + numClasses + " classes but the file has " + classes.size());
        if (memberTotal != numModels)
            throw new ClaFormatException(source, cl, "the header declares " + numModels + " models but the classes' member counts add up to " + memberTotal);
        for (ClaClass c : classes) {
            if (c.parent() != null && !classLine.containsKey(c.parent()))
                throw new ClaFormatException(source, c.line(), "class '" + c.name() + "' names the parent '" + c.parent() + "', which is not a class of this file");
        }
        return new ClaFile(source, classes, numModels);
    }

    private static String[] nextLine(String[] lines, int[] pos) {
        while (pos[0] < lines.length) {
            String s = lines[pos[0]++].strip();
            if (!s.isEmpty()) return s.split("\\s+");
        }
        return null;
    }

    private static int count(String tok, String what, String source, int line) {
        try {
            int v = Integer.parseInt(tok);
            if (v < 0) throw new ClaFormatException(source, line, what + " is negative (" + v + ")");
            return v;
        } catch (NumberFormatException e) {
            throw new ClaFormatException(source, line, what + " is not a whole number: '" + tok + "'");
        }
    }

    /** The class of each member id, in file order. */
    public Map<String, String> classOf() {
        Map<String, String> m = new LinkedHashMap<>();
        for (ClaClass c : classes) for (String id : c.members()) m.put(id, c.name());
        return m;
    }

    /** Class names in file order. */
    public List<String> classNames() {
        return classes.stream().map(ClaClass::name).toList();
    }

    public ClaClass get(String name) {
        for (ClaClass c : classes) if (c.name().equals(name)) return c;
        return null;
    }

    /** {"file", "numClasses", "numModels", "classes": [{"name", "parent" (null for none), "members": [...]}]}. */
    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("file", source);
        root.addProperty("numClasses", classes.size());
        root.addProperty("numModels", numModels);
        JsonArray arr = new JsonArray();
        for (ClaClass c : classes) {
            JsonObject o = new JsonObject();
            o.addProperty("name", c.name());
            if (c.parent() == null) o.add("parent", JsonNull.INSTANCE);
            else o.addProperty("parent", c.parent());
            JsonArray mem = new JsonArray();
            for (String id : c.members()) mem.add(id);
            o.add("members", mem);
            arr.add(o);
        }
        root.add("classes", arr);
        return new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(root);
    }

    /** Writes a .cla file (classes in the given order, parent 0 when null). */
    public static String format(List<ClaClass> classes) {
        StringBuilder sb = new StringBuilder("PSB 1\n");
        int total = 0;
        for (ClaClass c : classes) total += c.members().size();
        sb.append(classes.size()).append(' ').append(total).append("\n\n");
        for (ClaClass c : classes) {
            sb.append(c.name()).append(' ').append(c.parent() == null ? "0" : c.parent()).append(' ').append(c.members().size()).append('\n');
            for (String id : c.members()) sb.append(id).append('\n');
            sb.append('\n');
        }
        return sb.toString();
    }
}
