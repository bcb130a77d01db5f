package org.uactn.core.io;

import org.uactn.core.io.TensorFiles.Encoding;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NumPy's .npy format: magic "\x93NUMPY", a version, a header length, a Python dict literal
 * {'descr', 'fortran_order', 'shape'}, then the raw array. Supports float32/float64/int64/int32
 * in C order; big-endian data is converted on read.
 */
public final class Npy {
    private Npy() {}

    /** Longer headers are refused as hostile; real ones for plain dtypes are under 200 bytes. */
    public static final int MAX_HEADER_BYTES = 1 << 20;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy aligns the data start to this many bytes. */
    private static final int ALIGN = 64;

    public static Tensor read(Path file) throws IOException {
        String what = "npy file " + file;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 10) throw new IOException(what + ": " + fileSize + " bytes is too short for an npy preamble");
            ByteBuffer pre = ByteBuffer.allocate((int) Math.min(12, fileSize)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, 0, what);
            for (int i = 0; i < MAGIC.length; i++) {
                if (pre.get(i) != MAGIC[i]) throw new IOException(what + ": bad magic: not an npy file (expected \\x93NUMPY)");
            }
            int major = pre.get(6) & 0xff, minor = pre.get(7) & 0xff;
            long headerLen;
            int prefix;
            if (major == 1 && minor == 0) {
                headerLen = pre.getShort(8) & 0xffff;
                prefix = 10;
            } else if ((major == 2 || major == 3) && minor == 0) {
                if (fileSize < 12) throw new IOException(what + ": truncated in the version " + major + ".0 preamble");
                headerLen = pre.getInt(8) & 0xffffffffL;
                prefix = 12;
            } else {
                throw new IOException(what + ": unsupported npy version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)");
            }
            if (headerLen > MAX_HEADER_BYTES) throw new IOException(what + ": header length " + headerLen + " is too long (limit " + MAX_HEADER_BYTES + ")");
            if (prefix + headerLen > fileSize) {
                throw new IOException(what + ": header length " + headerLen + " runs past the end of the file (" + fileSize + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, prefix, what);
            // Versions 1 and 2 store latin-1; version 3 switched to UTF-8 for field names.
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            Map<String, Object> dict = new HeaderParser(header, what).parseDict();

            if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
                throw new IOException(what + ": header keys " + dict.keySet() + " must be exactly descr, fortran_order, shape");
            }
            if (!(dict.get("descr") instanceof String descr)) {
                throw new IOException(what + ": descr " + dict.get("descr") + " is not a simple dtype (structured arrays are not supported)");
            }
            if (!(dict.get("fortran_order") instanceof Boolean fortran)) throw new IOException(what + ": fortran_order must be True or False");
            if (fortran) {
                throw new IOException(what + ": fortran_order=True (column-major) arrays are not supported; save a C-contiguous array (np.ascontiguousarray)");
            }
            if (!(dict.get("shape") instanceof long[] shape)) throw new IOException(what + ": shape must be a tuple of integers");

            ByteOrder order;
            switch (descr.isEmpty() ? ' ' : descr.charAt(0)) {
                case '<' -> order = ByteOrder.LITTLE_ENDIAN;
                case '>' -> order = ByteOrder.BIG_ENDIAN;
                default -> throw new IOException(what + ": unsupported descr '" + descr + "' (supported: <f4, <f8, <i8, <i4 and their '>' forms)");
            }
            Encoding enc = switch (descr.substring(1)) {
                case "f4" -> Encoding.F32;
                case "f8" -> Encoding.F64;
                case "i8" -> Encoding.I64;
                case "i4" -> Encoding.I32;
                default -> throw new IOException(what + ": unsupported descr '" + descr + "' (supported: <f4, <f8, <i8, <i4 and their '>' forms)");
            };
            for (long d : shape) {
                if (d < 0 || d > Integer.MAX_VALUE) throw new IOException(what + ": invalid dimension " + d + " in shape " + Arrays.toString(shape));
            }
            long numel = TensorFiles.numelOrMinusOne(shape);
            if (numel < 0) throw new IOException(what + ": shape " + Arrays.toString(shape) + " has more than " + Shapes.MAX_NUMEL + " elements");
            long dataStart = prefix + headerLen;
            long expected = numel * enc.bytes, found = fileSize - dataStart;
            if (found < expected) {
                throw new IOException(what + ": truncated data: shape " + Arrays.toString(shape) + " of " + descr + " needs " + expected + " bytes, file holds " + found);
            }
            if (found > expected) {
                throw new IOException(what + ": " + (found - expected) + " unexpected trailing bytes after the " + expected + " data bytes");
            }
            Object data = TensorFiles.readElements(ch, dataStart, (int) numel, enc, order, what);
            return TensorFiles.cpuTensor(data, enc.dtype, TensorFiles.toIntShape(shape));
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, String what) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) throw new IOException(what + ": truncated at byte " + pos);
            pos += n;
        }
    }

    /** Writes a tensor (float32, float64, int64, int32) little-endian in C order, atomically; version 1.0 unless the header needs 2.0. */
    public static void write(Path file, Tensor t) throws IOException {
        String descr = switch (t.dtype()) {
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case INT64 -> "<i8";
            case INT32 -> "<i4";
        };
        int[] shape = t.shape();
        StringBuilder sb = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        if (shape.length == 1) sb.append(',');
        sb.append("), }");
        int prefix = 10;
        int total = prefix + sb.length() + 1;
        if (((total + ALIGN - 1) / ALIGN) * ALIGN - prefix > 0xffff) prefix = 12;
        total = prefix + sb.length() + 1;
        int pad = (ALIGN - total % ALIGN) % ALIGN;
        sb.append(" ".repeat(pad)).append('\n');
        byte[] header = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer head = ByteBuffer.allocate(prefix + header.length).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC);
        if (prefix == 10) {
            head.put((byte) 1).put((byte) 0).putShort((short) header.length);
        } else {
            head.put((byte) 2).put((byte) 0).putInt(header.length);
        }
        head.put(header).flip();
        TensorFiles.writeAtomically(file, ch -> {
            TensorFiles.writeFully(ch, head);
            TensorFiles.writeElements(ch, TensorFiles.hostElements(t), Encoding.of(t.dtype()), ByteOrder.LITTLE_ENDIAN);
        });
    }

    /**
     * Parses the subset of Python literal syntax numpy writes into headers: a dict of string keys
     * whose values are strings, True/False, or tuples of integers. Values of other kinds (e.g. a
     * structured descr list) parse as a description string so the caller can name them.
     */
    private record Structured(String text) {
        @Override public String toString() { return text; }
    }

    private static final class HeaderParser {
        private final String s;
        private final String what;
        private int i;

        HeaderParser(String s, String what) {
            this.s = s;
            this.what = what;
        }

        Map<String, Object> parseDict() throws IOException {
            Map<String, Object> out = new LinkedHashMap<>();
            skipSpace();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') { i++; break; }
                String key = parseString();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = parseValue();
                if (out.put(key, value) != null) throw error("duplicate key '" + key + "'");
                skipSpace();
                if (peek() == ',') { i++; continue; }
                skipSpace();
                expect('}');
                break;
            }
            skipSpace();
            if (i != s.length()) throw error("unexpected text after the header dict");
            return out;
        }

        private Object parseValue() throws IOException {
            char c = peek();
            if (c == '\'' || c == '"') return parseString();
            if (c == '(') return parseTuple();
            if (s.startsWith("True", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("False", i)) { i += 5; return Boolean.FALSE; }
            if (c == '[') return skipBracketed();
            throw error("unexpected character '" + c + "'");
        }

        private long[] parseTuple() throws IOException {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') { i++; break; }
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
                if (start == i) throw error("shape must hold non-negative integers, found '" + peek() + "'");
                String digits = s.substring(start, i);
                if (i < s.length() && s.charAt(i) == 'L') i++; // Python 2 long suffix
                long d;
                try {
                    d = Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    throw error("dimension " + digits + " is out of range");
                }
                dims.add(d);
                skipSpace();
                if (peek() == ',') { i++; continue; }
                expect(')');
                break;
            }
            long[] out = new long[dims.size()];
            for (int k = 0; k < out.length; k++) out[k] = dims.get(k);
            return out;
        }

        /** A structured dtype list: consumed with bracket matching and returned as its text. */
        private Structured skipBracketed() throws IOException {
            int start = i, depth = 0;
            do {
                char c = peek();
                if (c == '[' || c == '(') depth++;
                else if (c == ']' || c == ')') depth--;
                else if (c == '\'' || c == '"') { parseString(); continue; }
                i++;
            } while (depth > 0);
            return new Structured(s.substring(start, i));
        }

        private String parseString() throws IOException {
            char q = peek();
            if (q != '\'' && q != '"') throw error("expected a quoted string, found '" + q + "'");
            int start = ++i;
            while (i < s.length() && s.charAt(i) != q) {
                if (s.charAt(i) == '\\') throw error("escape sequences in strings are not supported");
                i++;
            }
            if (i >= s.length()) throw error("unterminated string");
            return s.substring(start, i++);
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private char peek() throws IOException {
            if (i >= s.length()) throw error("header ends unexpectedly");
            return s.charAt(i);
        }

        private void expect(char c) throws IOException {
            if (peek() != c) throw error("expected '" + c + "' but found '" + s.charAt(i) + "'");
            i++;
        }

        private IOException error(String problem) {
            return new IOException(what + ": malformed header at character " + i + ": " + problem);
        }
    }
}
