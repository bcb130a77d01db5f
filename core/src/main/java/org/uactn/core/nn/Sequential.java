// A chain of modules applied in order, named "0", "1", ... like torch.nn.Sequential.
package org.uactn.core.nn;

import org.uactn.core.tensor.Tensor;

import java.util.Iterator;
import java.util.List;

public final class Sequential extends Module implements Iterable<Module> {
    private int size;

    public Sequential(Module... layers) {
        for (Module m : layers) add(m);
    }

    public Sequential(List<? extends Module> layers) {
        for (Module m : layers) add(m);
    }

    /** Appends a layer under the next index. Returns this. */
    public Sequential add(Module m) {
        registerModule(Integer.toString(size), m);
        size++;
        return this;
    }

    /** The layer at index i; negative indices count from the end. */
    public Module get(int i) {
        int j = i < 0 ? i + size : i;
        if (j < 0 || j >= size) throw new IllegalArgumentException("Sequential: index " + i + " is out of range for " + size + " layers");
        return namedChildren().get(Integer.toString(j));
    }

    public int size() { return size; }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : children()) x = m.call(x);
        return x;
    }

    @Override
    public Iterator<Module> iterator() { return children().iterator(); }
}
