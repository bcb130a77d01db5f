// Line-by-line tokenizer over a file's bytes for the ASCII formats, tracking line numbers for error messages.
package org.uactn.render.mesh;

/**
 * Splits the current line into whitespace-separated tokens held as offsets (no per-token strings),
 * with a fast decimal parser. Text after {@code commentChar} on a line is ignored when it is not 0.
 */
final class TextScanner {
    private final byte[] b;
    private final int end;
    private final String file;
    private final char commentChar;
    private int pos;
    private int line;
    private int[] start = new int[16], stop = new int[16];
    private int count;

    TextScanner(byte[] bytes, int from, int end, String file, char commentChar, int firstLine) {
        this.b = bytes;
        this.pos = from;
        this.end = end;
        this.file = file;
        this.commentChar = commentChar;
        this.line = firstLine - 1;
    }

    /** Advances to the next line (possibly empty); false at the end of input. */
    boolean nextLine() {
        if (pos >= end) return false;
        line++;
        count = 0;
        boolean comment = false;
        int i = pos;
        while (i < end) {
            byte c = b[i];
            if (c == '\n' || c == '\r') break;
            if (!comment && c == commentChar && commentChar != 0) comment = true;
            if (comment || c == ' ' || c == '\t' || c == '\f' || c == 0x0b) { i++; continue; }
            int s = i;
            while (i < end) {
                byte d = b[i];
                if (d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == '\f' || d == 0x0b || (d == commentChar && commentChar != 0)) break;
                i++;
            }
            if (count == start.length) {
                start = java.util.Arrays.copyOf(start, count * 2);
                stop = java.util.Arrays.copyOf(stop, count * 2);
            }
            start[count] = s;
            stop[count] = i;
            count++;
        }
        if (i < end && b[i] == '\r') {
            i++;
            if (i < end && b[i] == '\n') i++;
        } else if (i < end && b[i] == '\n') {
            i++;
        }
        pos = i;
        return true;
    }

    /** Advances to the next line with at least one token; false at the end of input. */
    boolean nextNonEmpty() {
        while (nextLine()) if (count > 0) return true;
        return false;
    }

    int tokens() { return count; }
    String file() { return file; }
    int line() { return line; }
    /** Offset just after the current line. */
    int position() { return pos; }
    String where() { return "line " + line; }

    String token(int i) { return new String(b, start[i], stop[i] - start[i], java.nio.charset.StandardCharsets.ISO_8859_1); }

    boolean tokenEquals(int i, String s) {
        int n = stop[i] - start[i];
        if (n != s.length()) return false;
        for (int k = 0; k < n; k++) if (b[start[i] + k] != s.charAt(k)) return false;
        return true;
    }

    MeshFormatException error(String message) { return new MeshFormatException(file, where(), message); }

    long parseLong(int i, String what) {
        int s = start[i], e = stop[i];
        boolean neg = false;
        if (s < e && (b[s] == '-' || b[s] == '+')) { neg = b[s] == '-'; s++; }
        if (s == e) throw error("expected an integer " + what + ", found '" + token(i) + "'");
        long v = 0;
        for (int k = s; k < e; k++) {
            int d = b[k] - '0';
            if (d < 0 || d > 9) throw error("expected an integer " + what + ", found '" + token(i) + "'");
            v = v * 10 + d;
            if (v > 1L << 40) throw error(what + " " + token(i) + " is too large");
        }
        return neg ? -v : v;
    }

    int parseInt(int i, String what) {
        long v = parseLong(i, what);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) throw error(what + " " + v + " is too large");
        return (int) v;
    }

    private static final double[] POW10 = new double[23];
    static { double p = 1; for (int k = 0; k < POW10.length; k++) { POW10[k] = p; p *= 10; } }

    /** Parses token i as a number; the fast path covers plain decimals, anything else goes to Double.parseDouble. */
    double parseDouble(int i, String what) {
        int s = start[i], e = stop[i];
        int k = s;
        boolean neg = false;
        if (k < e && (b[k] == '-' || b[k] == '+')) { neg = b[k] == '-'; k++; }
        long mant = 0;
        int digits = 0, scale = 0;
        boolean any = false;
        while (k < e && b[k] >= '0' && b[k] <= '9') {
            if (digits < 18) { mant = mant * 10 + (b[k] - '0'); if (mant != 0) digits++; } else scale++;
            k++; any = true;
        }
        if (k < e && b[k] == '.') {
            k++;
            while (k < e && b[k] >= '0' && b[k] <= '9') {
                if (digits < 18) { mant = mant * 10 + (b[k] - '0'); if (mant != 0) digits++; scale--; }
                k++; any = true;
            }
        }
        if (any && k < e && (b[k] == 'e' || b[k] == 'E')) {
            int q = k + 1;
            boolean eneg = false;
            if (q < e && (b[q] == '-' || b[q] == '+')) { eneg = b[q] == '-'; q++; }
            int ex = 0;
            boolean ed = false;
            while (q < e && b[q] >= '0' && b[q] <= '9') { if (ex < 10000) ex = ex * 10 + (b[q] - '0'); q++; ed = true; }
            if (ed) { scale += eneg ? -ex : ex; k = q; }
        }
        if (any && k == e) {
            double v;
            if (scale == 0) v = mant;
            else if (scale > 0 && scale < POW10.length) v = mant * POW10[scale];
            else if (scale < 0 && -scale < POW10.length) v = mant / POW10[-scale];
            else v = Double.parseDouble(token(i));
            return neg ? -v : v;
        }
        try {
            return Double.parseDouble(token(i));
        } catch (NumberFormatException ex) {
            // C printf spellings of non-finite values, so that they are reported as such.
            String t = token(i).toLowerCase(java.util.Locale.ROOT);
            boolean minus = t.startsWith("-");
            if (minus || t.startsWith("+")) t = t.substring(1);
            if (t.equals("nan")) return Double.NaN;
            if (t.equals("inf") || t.equals("infinity")) return minus ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            throw error("expected a number " + what + ", found '" + token(i) + "'");
        }
    }
}
