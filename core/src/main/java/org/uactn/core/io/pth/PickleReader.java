package org.uactn.core.io.pth;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A restricted unpickler for the data.pkl of a PyTorch state_dict. It interprets only the opcodes
 * a state_dict uses and resolves only an allow-list of globals (ordered dicts, tensor and
 * parameter rebuild functions, storage types); anything else is refused with an error naming the
 * global or opcode. Nothing is ever executed or instantiated beyond these plain values.
 */
final class PickleReader {
    /** A reference to a global the allow-list accepted, e.g. "collections.OrderedDict". */
    record Global(String name) {}

    /** A persistent id: PyTorch's reference to a raw storage record in the archive. */
    record StorageRef(String storageType, String key, String location, long numel) {}

    /** A tensor described by the pickle: its storage and its view geometry. */
    record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {}

    private static final Set<String> ALLOWED = Set.of(
            "collections.OrderedDict",
            "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_tensor",
            "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state",
            "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage",
            "torch.LongStorage", "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage",
            "torch.ByteStorage", "torch.BoolStorage",
            "torch.float32", "torch.float64", "torch.float16", "torch.bfloat16", "torch.int64", "torch.int32");

    private static final Object MARK = new Object();
    private static final int MAX_CONTAINER = 50_000_000;

    private final ByteBuffer in;
    private final String source;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Integer, Object> memo = new HashMap<>();

    PickleReader(byte[] data, String source) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
    }

    Object load() {
        try {
            return run();
        } catch (java.nio.BufferUnderflowException e) {
            throw error("truncated pickle (ends inside an opcode)");
        }
    }

    private Object run() {
        while (true) {
            if (!in.hasRemaining()) throw error("pickle ends without STOP");
            int pos = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> in.get(); // PROTO
                case 0x95 -> in.getLong(); // FRAME: length only, data follows inline
                case '.' -> { // STOP
                    if (stack.size() != 1) throw error("stack holds " + stack.size() + " items at STOP");
                    return stack.get(0);
                }
                case '(' -> stack.add(MARK);
                case ')' -> push(new Object[0]); // EMPTY_TUPLE
                case '}' -> push(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
                case ']' -> push(new ArrayList<Object>()); // EMPTY_LIST
                case 't' -> push(popMark().toArray()); // TUPLE
                case 0x85 -> push(new Object[] {pop()}); // TUPLE1
                case 0x86 -> { Object b = pop(), a = pop(); push(new Object[] {a, b}); } // TUPLE2
                case 0x87 -> { Object c = pop(), b = pop(), a = pop(); push(new Object[] {a, b, c}); } // TUPLE3
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 'd' -> { // DICT
                    List<Object> items = popMark();
                    Map<Object, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < items.size(); i += 2) m.put(items.get(i), items.get(i + 1));
                    push(m);
                }
                case 'N' -> push(null);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) in.getInt()); // BININT
                case 'K' -> push((long) (in.get() & 0xff)); // BININT1
                case 'M' -> push((long) (in.getShort() & 0xffff)); // BININT2
                case 0x8a -> push(readLong1()); // LONG1
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT (big-endian)
                case 'X' -> push(readString(in.getInt())); // BINUNICODE
                case 0x8c -> push(readString(in.get() & 0xff)); // SHORT_BINUNICODE
                case 0x8d -> push(readString(checkedLength(in.getLong()))); // BINUNICODE8
                case 'U' -> push(readString(in.get() & 0xff)); // SHORT_BINSTRING
                case 'T' -> push(readString(in.getInt())); // BINSTRING
                case 'C' -> push(readBytes(in.get() & 0xff)); // SHORT_BINBYTES
                case 'B' -> push(readBytes(in.getInt())); // BINBYTES
                case 'q' -> memo.put(in.get() & 0xff, peek()); // BINPUT
                case 'r' -> memo.put(in.getInt(), peek()); // LONG_BINPUT
                case 0x94 -> memo.put(memo.size(), peek()); // MEMOIZE
                case 'h' -> push(memoGet(in.get() & 0xff)); // BINGET
                case 'j' -> push(memoGet(in.getInt())); // LONG_BINGET
                case 'c' -> push(global(readLine() + "." + readLine())); // GLOBAL
                case 0x93 -> { Object name = pop(), module = pop(); push(global(module + "." + name)); } // STACK_GLOBAL
                case 'R' -> { Object args = pop(), fn = pop(); push(reduce(fn, args)); } // REDUCE
                case 0x81 -> { Object args = pop(), cls = pop(); push(reduce(cls, args)); } // NEWOBJ
                case 'b' -> build(); // BUILD
                case 'Q' -> push(persistent(pop())); // BINPERSID
                case 's' -> { Object v = pop(), k = pop(); dict(peek()).put(k, v); } // SETITEM
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    Map<Object, Object> m = dict(peek());
                    for (int i = 0; i + 1 < items.size(); i += 2) m.put(items.get(i), items.get(i + 1));
                }
                case 'a' -> { Object v = pop(); list(peek()).add(v); } // APPEND
                case 'e' -> { List<Object> items = popMark(); list(peek()).addAll(items); } // APPENDS
                case '0' -> pop(); // POP
                case '2' -> push(peek()); // DUP
                default -> throw error(String.format("unsupported pickle opcode 0x%02x at byte %d (a state_dict never uses it)", op, pos));
            }
        }
    }

    private IllegalArgumentException error(String msg) {
        return new IllegalArgumentException(source + ": " + msg);
    }

    private Object global(String name) {
        if (!ALLOWED.contains(name)) {
            throw error("refusing to load global '" + name + "': only plain state_dict contents (tensors, ordered dicts) are allowed");
        }
        return new Global(name);
    }

    private Object persistent(Object pid) {
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof Global g)
                || !(t[2] instanceof String key) || !(t[4] instanceof Long numel)) {
            throw error("unsupported persistent id " + describe(pid) + " (expected ('storage', type, key, location, numel))");
        }
        return new StorageRef(g.name(), key, String.valueOf(t[3]), numel);
    }

    private Object reduce(Object fn, Object args) {
        if (!(fn instanceof Global g)) throw error("REDUCE on a non-global " + describe(fn));
        Object[] a = args instanceof Object[] arr ? arr : new Object[0];
        return switch (g.name()) {
            case "collections.OrderedDict" -> new LinkedHashMap<Object, Object>();
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                if (a.length < 4 || !(a[0] instanceof StorageRef s) || !(a[1] instanceof Long offset)) {
                    throw error("bad arguments to " + g.name());
                }
                yield new TensorRef(s, offset, longs(a[2], "size"), longs(a[3], "stride"));
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                if (a.length < 1 || !(a[0] instanceof TensorRef t)) throw error("bad arguments to " + g.name());
                yield t;
            }
            default -> throw error("refusing to call '" + g.name() + "'");
        };
    }

    private void build() {
        Object state = pop();
        Object target = peek();
        // OrderedDict's BUILD sets attributes such as _metadata; tensors' BUILD sets hooks. Both carry no weights.
        if (!(target instanceof Map) && !(target instanceof TensorRef)) {
            throw error("BUILD on unsupported object " + describe(target) + " with state " + describe(state));
        }
    }

    private long[] longs(Object o, String what) {
        if (!(o instanceof Object[] t)) throw error("tensor " + what + " is not a tuple");
        long[] r = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            if (!(t[i] instanceof Long v)) throw error("tensor " + what + " holds a non-integer");
            r[i] = v;
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw error("SETITEM on a non-dict " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (o instanceof List<?> l) return (List<Object>) l;
        throw error("APPEND on a non-list " + describe(o));
    }

    private static String describe(Object o) {
        return o == null ? "None" : o instanceof Global g ? g.name() : o.getClass().getSimpleName();
    }

    private long readLong1() {
        int n = in.get() & 0xff;
        if (n > 8) throw error("integer of " + n + " bytes is too large");
        long v = 0;
        for (int i = 0; i < n; i++) v |= (long) (in.get() & 0xff) << (8 * i);
        if (n > 0 && n < 8 && (v >> (8 * n - 1) & 1) == 1) v |= -1L << (8 * n); // sign-extend
        return v;
    }

    private int checkedLength(long n) {
        if (n < 0 || n > in.remaining()) throw error("string length " + n + " runs past the end of the pickle");
        return (int) n;
    }

    private String readString(int n) {
        return new String(readBytes(n), StandardCharsets.UTF_8);
    }

    private byte[] readBytes(int n) {
        if (n < 0 || n > in.remaining()) throw error("length " + n + " runs past the end of the pickle");
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private String readLine() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (!in.hasRemaining()) throw error("unterminated GLOBAL name");
            byte b = in.get();
            if (b == '\n') return sb.toString();
            if (sb.length() > 256) throw error("GLOBAL name too long");
            sb.append((char) b);
        }
    }

    private Object memoGet(int key) {
        if (!memo.containsKey(key)) throw error("memo key " + key + " used before it was set");
        return memo.get(key);
    }

    private void push(Object o) {
        if (stack.size() > MAX_CONTAINER) throw error("pickle stack too deep");
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw error("pickle stack underflow");
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) throw error("pickle stack underflow");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        int i = stack.size() - 1;
        while (i >= 0 && stack.get(i) != MARK) i--;
        if (i < 0) throw error("no MARK on the pickle stack");
        List<Object> items = new ArrayList<>(stack.subList(i + 1, stack.size()));
        stack.subList(i, stack.size()).clear();
        return items;
    }
}
