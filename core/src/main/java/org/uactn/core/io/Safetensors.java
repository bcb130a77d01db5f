package org.uactn.core.io;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import org.uactn.core.io.TensorFiles.Encoding;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of UTF-8
 * JSON naming each tensor's dtype, shape and byte range, then the raw little-endian C-order data.
 * Reading trusts nothing in the header until it has been checked against the file's real size.
 */
public final class Safetensors {
    private Safetensors() {}

    /** Headers beyond this are refused as hostile, as the reference implementation does. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA_KEY = "__metadata__";

    /** A file's tensors in header order and its free-form string metadata (empty when absent). */
    public record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {}

    /** The tensors of a file, in header order. F16 and BF16 are widened to float32. */
    public static LinkedHashMap<String, Tensor> read(Path file) throws IOException {
        return readWithMetadata(file).tensors();
    }

    public static Contents readWithMetadata(Path file) throws IOException {
        String what = "safetensors file " + file;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) throw new IOException(what + ": " + fileSize + " bytes is too short for the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, what);
            long headerLen = lenBuf.getLong(0);
            // Unsigned in the spec: a set top bit shows up here as negative, equally absurd.
            if (headerLen < 0 || headerLen > MAX_HEADER_BYTES) {
                throw new IOException(what + ": header length " + Long.toUnsignedString(headerLen) + " is absurd (limit " + MAX_HEADER_BYTES + " bytes)");
            }
            if (headerLen > fileSize - 8) {
                throw new IOException(what + ": header length " + headerLen + " runs past the end of the file (" + fileSize + " bytes)");
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
            readFully(ch, headerBuf, 8, what);
            headerBuf.flip();
            String json;
            try {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(headerBuf);
                json = chars.toString();
            } catch (CharacterCodingException e) {
                throw new IOException(what + ": header is not valid UTF-8", e);
            }
            long dataStart = 8 + headerLen;
            long dataSize = fileSize - dataStart;
            Header header = parseHeader(json, what);
            checkLayout(header.entries, dataSize, what);

            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : header.entries) {
                Object data = TensorFiles.readElements(ch, dataStart + e.begin, (int) e.numel, e.encoding, ByteOrder.LITTLE_ENDIAN,
                        what + ", tensor '" + e.name + "'");
                tensors.put(e.name, TensorFiles.cpuTensor(data, e.encoding.dtype, e.shape));
            }
            return new Contents(tensors, Collections.unmodifiableMap(header.metadata));
        }
    }

    private record Entry(String name, Encoding encoding, int[] shape, long numel, long begin, long end) {}

    private record Header(List<Entry> entries, Map<String, String> metadata) {}

    private static Header parseHeader(String json, String what) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            r.setStrictness(Strictness.STRICT);
            r.beginObject();
            while (r.hasNext()) {
                String name = r.nextName();
                if (!seen.add(name)) throw new IOException(what + ": duplicate tensor name '" + name + "' in header");
                if (name.equals(METADATA_KEY)) {
                    parseMetadata(r, metadata, what);
                } else {
                    entries.add(parseEntry(r, name, what));
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) throw new IOException(what + ": unexpected content after the header's JSON object");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(what)) throw e;
            throw new IOException(what + ": invalid header JSON: " + e.getMessage(), e);
        } catch (IllegalStateException | NumberFormatException e) {
            // JsonReader reports a value of the wrong kind ("Expected BEGIN_ARRAY but was STRING") this way.
            throw new IOException(what + ": invalid header JSON: " + e.getMessage(), e);
        }
        return new Header(entries, metadata);
    }

    private static void parseMetadata(JsonReader r, Map<String, String> metadata, String what) throws IOException {
        r.beginObject();
        while (r.hasNext()) {
            String key = r.nextName();
            if (r.peek() != JsonToken.STRING) {
                throw new IOException(what + ": __metadata__ value for '" + key + "' must be a string, found " + r.peek());
            }
            if (metadata.put(key, r.nextString()) != null) throw new IOException(what + ": duplicate __metadata__ key '" + key + "'");
        }
        r.endObject();
    }

    private static Entry parseEntry(JsonReader r, String name, String what) throws IOException {
        String tw = what + ", tensor '" + name + "'";
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        r.beginObject();
        while (r.hasNext()) {
            String field = r.nextName();
            switch (field) {
                case "dtype" -> {
                    if (dtype != null) throw new IOException(tw + ": duplicate field 'dtype'");
                    dtype = r.nextString();
                }
                case "shape" -> {
                    if (shape != null) throw new IOException(tw + ": duplicate field 'shape'");
                    shape = longArray(r, tw, "shape");
                }
                case "data_offsets" -> {
                    if (offsets != null) throw new IOException(tw + ": duplicate field 'data_offsets'");
                    offsets = longArray(r, tw, "data_offsets");
                }
                // Unknown fields are tolerated, as other readers do, so newer writers stay readable.
                default -> r.skipValue();
            }
        }
        r.endObject();
        if (dtype == null || shape == null || offsets == null) {
            throw new IOException(tw + ": header entry needs dtype, shape and data_offsets");
        }
        Encoding enc = switch (dtype) {
            case "F32" -> Encoding.F32;
            case "F16" -> Encoding.F16;
            case "BF16" -> Encoding.BF16;
            case "F64" -> Encoding.F64;
            case "I64" -> Encoding.I64;
            case "I32" -> Encoding.I32;
            default -> throw new IOException(tw + ": unsupported dtype '" + dtype + "' (supported: F32, F16, BF16, F64, I64, I32)");
        };
        for (long d : shape) {
            if (d < 0 || d > Integer.MAX_VALUE) throw new IOException(tw + ": invalid dimension " + d + " in shape " + java.util.Arrays.toString(shape));
        }
        long numel = TensorFiles.numelOrMinusOne(shape);
        if (numel < 0) {
            throw new IOException(tw + ": shape " + java.util.Arrays.toString(shape) + " has more than " + Shapes.MAX_NUMEL + " elements");
        }
        if (offsets.length != 2) throw new IOException(tw + ": data_offsets must be [begin, end], found " + offsets.length + " numbers");
        long begin = offsets[0], end = offsets[1];
        if (begin < 0 || end < begin) {
            throw new IOException(tw + ": data_offsets [" + begin + ", " + end + "] are out of order or negative");
        }
        long expected = numel * enc.bytes;
        if (end - begin != expected) {
            throw new IOException(tw + ": data_offsets [" + begin + ", " + end + "] span " + (end - begin) + " bytes but " + dtype
                    + " shape " + java.util.Arrays.toString(shape) + " needs " + expected);
        }
        return new Entry(name, enc, TensorFiles.toIntShape(shape), numel, begin, end);
    }

    private static long[] longArray(JsonReader r, String tw, String field) throws IOException {
        List<Long> values = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
            if (r.peek() != JsonToken.NUMBER) throw new IOException(tw + ": " + field + " must hold integers, found " + r.peek());
            String s = r.nextString();
            try {
                values.add(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw new IOException(tw + ": " + field + " value " + s + " is not an integer in range");
            }
        }
        r.endArray();
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    /**
     * The data area must be tiled exactly: every byte belongs to one tensor, none to two. This
     * rejects overlapping ranges (one buffer aliased as two tensors) and ranges past the end.
     */
    private static void checkLayout(List<Entry> entries, long dataSize, String what) throws IOException {
        for (Entry e : entries) {
            if (e.end > dataSize) {
                throw new IOException(what + ", tensor '" + e.name + "': data_offsets [" + e.begin + ", " + e.end
                        + "] lie outside the data area of " + dataSize + " bytes");
            }
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long pos = 0;
        Entry prev = null;
        for (Entry e : sorted) {
            if (e.begin < pos) {
                throw new IOException(what + ": tensors '" + prev.name + "' and '" + e.name + "' overlap (bytes " + e.begin + " to " + pos + ")");
            }
            if (e.begin > pos) throw new IOException(what + ": bytes " + pos + " to " + e.begin + " of the data area belong to no tensor");
            pos = e.end;
            prev = e;
        }
        if (pos != dataSize) throw new IOException(what + ": " + (dataSize - pos) + " trailing bytes after the last tensor's data");
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, String what) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) throw new IOException(what + ": truncated at byte " + pos);
            pos += n;
        }
    }

    // ---- writing ------------------------------------------------------------------------------

    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /** Writes tensors (float32, float64, int64, int32) in map order with optional metadata, atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        String what = "safetensors file " + file;
        List<String> names = new ArrayList<>(tensors.keySet());
        List<Tensor> values = new ArrayList<>(names.size());
        StringWriter sw = new StringWriter();
        try (JsonWriter w = new JsonWriter(sw)) {
            w.setHtmlSafe(false);
            w.beginObject();
            if (metadata != null && !metadata.isEmpty()) {
                w.name(METADATA_KEY).beginObject();
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    if (m.getKey() == null || m.getValue() == null) throw new IllegalArgumentException(what + ": metadata keys and values must not be null");
                    w.name(m.getKey()).value(m.getValue());
                }
                w.endObject();
            }
            long offset = 0;
            for (String name : names) {
                Tensor t = tensors.get(name);
                if (name == null || t == null) throw new IllegalArgumentException(what + ": tensor names and tensors must not be null");
                if (name.equals(METADATA_KEY)) throw new IllegalArgumentException(what + ": '" + METADATA_KEY + "' is reserved and cannot name a tensor");
                long bytes = (long) t.numel() * t.dtype().byteSize();
                w.name(name).beginObject();
                w.name("dtype").value(dtypeName(t.dtype()));
                w.name("shape").beginArray();
                for (int d : t.shape()) w.value(d);
                w.endArray();
                w.name("data_offsets").beginArray().value(offset).value(offset + bytes).endArray();
                w.endObject();
                offset += bytes;
                values.add(t);
            }
            w.endObject();
        }
        byte[] json = sw.toString().getBytes(StandardCharsets.UTF_8);
        // Pad with spaces (allowed by the spec) so the data area starts 8-byte aligned.
        int padded = (json.length + 7) & ~7;
        if (padded > MAX_HEADER_BYTES) throw new IllegalArgumentException(what + ": header of " + padded + " bytes exceeds " + MAX_HEADER_BYTES);
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        TensorFiles.writeAtomically(file, ch -> {
            TensorFiles.writeFully(ch, head);
            for (Tensor t : values) {
                TensorFiles.writeElements(ch, TensorFiles.hostElements(t), Encoding.of(t.dtype()), ByteOrder.LITTLE_ENDIAN);
            }
        });
    }

    private static String dtypeName(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT64 -> "I64";
            case INT32 -> "I32";
        };
    }
}
