// Reads PLY meshes (ascii, binary_little_endian, binary_big_endian): x/y/z of "vertex" and the index list of "face";
// every other property and element is parsed past and ignored.
package org.uactn.render.mesh;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

final class PlyReader {
    private PlyReader() {}

    /** Scalar types by their PLY names (both the classic and the sized spellings). */
    private enum Type {
        CHAR(1, true, false), UCHAR(1, false, false), SHORT(2, true, false), USHORT(2, false, false),
        INT(4, true, false), UINT(4, false, false), FLOAT(4, true, true), DOUBLE(8, true, true);
        final int size;
        final boolean signed, real;
        Type(int size, boolean signed, boolean real) { this.size = size; this.signed = signed; this.real = real; }

        static Type parse(String s, TextScanner sc) {
            return switch (s) {
                case "char", "int8" -> CHAR;
                case "uchar", "uint8" -> UCHAR;
                case "short", "int16" -> SHORT;
                case "ushort", "uint16" -> USHORT;
                case "int", "int32" -> INT;
                case "uint", "uint32" -> UINT;
                case "float", "float32" -> FLOAT;
                case "double", "float64" -> DOUBLE;
                default -> throw sc.error("unknown PLY type '" + s + "'");
            };
        }
    }

    private record Property(String name, Type type, Type countType) {
        boolean isList() { return countType != null; }
    }

    private static final class Element {
        final String name;
        final long count;
        final List<Property> props = new ArrayList<>();
        Element(String name, long count) { this.name = name; this.count = count; }

        /** The fewest bytes one instance can take, for rejecting impossible counts before allocating. */
        long minBytes(boolean ascii) {
            long s = 0;
            for (Property p : props) s += ascii ? 2 : (p.isList() ? p.countType.size : p.type.size);
            return s;
        }
    }

    static Mesh read(byte[] bytes, String file) {
        TextScanner sc = new TextScanner(bytes, 0, bytes.length, file, (char) 0, 1);
        if (!sc.nextLine() || sc.tokens() != 1 || !sc.tokenEquals(0, "ply")) throw new MeshFormatException(file, "line 1", "not a PLY file: first line must be 'ply'");
        String format = null;
        List<Element> elements = new ArrayList<>();
        boolean ended = false;
        while (sc.nextLine()) {
            if (sc.tokens() == 0) continue;
            String kw = sc.token(0);
            switch (kw) {
                case "format" -> {
                    if (sc.tokens() < 3) throw sc.error("bad format line");
                    format = sc.token(1);
                    if (!format.equals("ascii") && !format.equals("binary_little_endian") && !format.equals("binary_big_endian"))
                        throw sc.error("unknown PLY format '" + format + "'");
                }
                case "comment", "obj_info" -> { }
                case "element" -> {
                    if (sc.tokens() < 3) throw sc.error("bad element line");
                    long n = sc.parseLong(2, "element count");
                    if (n < 0) throw sc.error("negative count " + n + " for element '" + sc.token(1) + "'");
                    elements.add(new Element(sc.token(1), n));
                }
                case "property" -> {
                    if (elements.isEmpty()) throw sc.error("property before any element");
                    Element el = elements.get(elements.size() - 1);
                    if (sc.tokens() >= 2 && sc.tokenEquals(1, "list")) {
                        if (sc.tokens() < 5) throw sc.error("bad list property line");
                        Type ct = Type.parse(sc.token(2), sc);
                        if (ct.real) throw sc.error("list count type must be an integer type, found '" + sc.token(2) + "'");
                        el.props.add(new Property(sc.token(4), Type.parse(sc.token(3), sc), ct));
                    } else {
                        if (sc.tokens() < 3) throw sc.error("bad property line");
                        el.props.add(new Property(sc.token(2), Type.parse(sc.token(1), sc), null));
                    }
                }
                case "end_header" -> ended = true;
                default -> throw sc.error("unknown PLY header keyword '" + kw + "'");
            }
            if (ended) break;
        }
        if (!ended) throw new MeshFormatException(file, "line " + sc.line(), "truncated PLY header: no end_header");
        if (format == null) throw new MeshFormatException(file, "header", "PLY header has no format line");
        boolean ascii = format.equals("ascii");
        Element vertex = null, face = null;
        for (Element e : elements) {
            if (e.name.equals("vertex")) vertex = e;
            if (e.name.equals("face")) face = e;
        }
        if (vertex == null) throw new MeshFormatException(file, "header", "no 'vertex' element");
        if (face == null || face.count == 0) throw new MeshFormatException(file, "header", "zero faces (no 'face' element or count 0)");
        int[] xyz = {-1, -1, -1};
        for (int i = 0; i < vertex.props.size(); i++) {
            Property p = vertex.props.get(i);
            int k = switch (p.name) { case "x" -> 0; case "y" -> 1; case "z" -> 2; default -> -1; };
            if (k >= 0) {
                if (p.isList()) throw new MeshFormatException(file, "header", "vertex property '" + p.name + "' is a list");
                xyz[k] = i;
            }
        }
        if (xyz[0] < 0 || xyz[1] < 0 || xyz[2] < 0) throw new MeshFormatException(file, "header", "vertex element lacks x, y or z");
        int listIdx = -1;
        for (int i = 0; i < face.props.size(); i++) {
            Property p = face.props.get(i);
            if (p.isList() && (p.name.equals("vertex_indices") || p.name.equals("vertex_index"))) listIdx = i;
        }
        if (listIdx < 0) throw new MeshFormatException(file, "header", "face element has no 'vertex_indices' list");
        if (face.props.get(listIdx).type.real) throw new MeshFormatException(file, "header", "face indices must have an integer type");
        if (vertex.count > Integer.MAX_VALUE / 3 || face.count > Integer.MAX_VALUE / 3)
            throw new MeshFormatException(file, "header", "too many elements: " + vertex.count + " vertices, " + face.count + " faces");

        int body = sc.position();
        long need = 0;
        for (Element e : elements) need += e.count * e.minBytes(ascii);
        if (need > bytes.length - body)
            throw new MeshFormatException(file, "header", "declares elements needing at least " + need + " bytes, but only "
                    + (bytes.length - body) + " follow the header (corrupt counts or truncated file)");

        MeshBuilder mb = new MeshBuilder(file, (int) vertex.count, (int) face.count);
        Source src = ascii ? new AsciiSource(new TextScanner(bytes, body, bytes.length, file, (char) 0, sc.line() + 1))
                : new BinarySource(bytes, body, format.equals("binary_little_endian") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN, file);
        double[] c = new double[3];
        int[] idx = new int[16];
        for (Element e : elements) {
            for (long j = 0; j < e.count; j++) {
                src.at(e.name + " " + j);
                if (e == vertex) {
                    for (int i = 0; i < e.props.size(); i++) {
                        Property p = e.props.get(i);
                        if (p.isList()) { skipList(src, p); continue; }
                        double v = src.real(p.type);
                        if (i == xyz[0]) c[0] = v; else if (i == xyz[1]) c[1] = v; else if (i == xyz[2]) c[2] = v;
                    }
                    mb.addVertex(c[0], c[1], c[2], src.where());
                } else if (e == face) {
                    int n = -1;
                    for (int i = 0; i < e.props.size(); i++) {
                        Property p = e.props.get(i);
                        if (i != listIdx) {
                            if (p.isList()) skipList(src, p); else src.real(p.type);
                            continue;
                        }
                        long cnt = src.integer(p.countType);
                        if (cnt < 0 || cnt > 1 << 20) throw src.error("bad corner count " + cnt);
                        n = (int) cnt;
                        if (idx.length < n) idx = new int[n];
                        for (int k = 0; k < n; k++) {
                            long v = src.integer(p.type);
                            if (v < 0 || v >= vertex.count) throw src.error("vertex index " + v + " out of range [0, " + vertex.count + ")");
                            idx[k] = (int) v;
                        }
                    }
                    mb.addPolygon(idx, n, (int) vertex.count, src.where());
                } else {
                    for (Property p : e.props) { if (p.isList()) skipList(src, p); else src.real(p.type); }
                }
            }
        }
        return mb.build();
    }

    private static void skipList(Source src, Property p) {
        long n = src.integer(p.countType);
        if (n < 0) throw src.error("negative list length " + n + " for property '" + p.name + "'");
        for (long k = 0; k < n; k++) src.real(p.type);
    }

    /** Reads scalars from the body, in order; names the current element in errors. */
    private interface Source {
        void at(String element);
        String where();
        double real(Type t);
        long integer(Type t);
        MeshFormatException error(String message);
    }

    private static final class BinarySource implements Source {
        private final ByteBuffer bb;
        private final String file;
        private String element;

        BinarySource(byte[] bytes, int body, ByteOrder order, String file) {
            this.bb = ByteBuffer.wrap(bytes).order(order);
            bb.position(body);
            this.file = file;
        }

        public void at(String element) { this.element = element; }
        public String where() { return element; }
        public MeshFormatException error(String message) { return new MeshFormatException(file, element, message); }

        private void need(Type t) {
            if (bb.remaining() < t.size) throw error("truncated binary PLY: file ends inside " + element);
        }

        public double real(Type t) {
            need(t);
            return switch (t) {
                case FLOAT -> bb.getFloat();
                case DOUBLE -> bb.getDouble();
                default -> integer(t);
            };
        }

        public long integer(Type t) {
            need(t);
            return switch (t) {
                case CHAR -> bb.get();
                case UCHAR -> bb.get() & 0xff;
                case SHORT -> bb.getShort();
                case USHORT -> bb.getShort() & 0xffff;
                case INT -> bb.getInt();
                case UINT -> bb.getInt() & 0xffffffffL;
                case FLOAT, DOUBLE -> throw error("expected an integer, the header declares " + t.name().toLowerCase(Locale.ROOT));
            };
        }
    }

    private static final class AsciiSource implements Source {
        private final TextScanner sc;
        private int tok;
        private String element;

        AsciiSource(TextScanner sc) { this.sc = sc; }

        public void at(String element) { this.element = element; }
        public String where() { return "line " + sc.line() + " (" + element + ")"; }
        public MeshFormatException error(String message) { return new MeshFormatException(sc.file(), where(), message); }

        private void advance() {
            while (tok >= sc.tokens()) {
                if (!sc.nextLine()) throw error("truncated ASCII PLY: file ends inside " + element);
                tok = 0;
            }
        }

        public double real(Type t) {
            advance();
            return sc.parseDouble(tok++, "in " + element);
        }

        public long integer(Type t) {
            advance();
            return sc.parseLong(tok++, "in " + element);
        }
    }
}
