package org.uactn.core.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;
import org.uactn.core.tensor.Shapes;
import org.uactn.core.tensor.Tensor;

/** Copies out of transposed views (the blocked path) against an element-by-element reference. */
class StridedCopyTest {
    /** The value at each index of a (possibly strided) view, read through its strides. */
    private static double[] reference(Tensor t) {
        double[] all = new Tensor(t.storage(), new int[] {t.storage().numel()}, new int[] {1}, 0).toDoubleArray();
        int[] shape = t.shape(), st = t.strides();
        double[] out = new double[t.numel()];
        int[] idx = new int[shape.length];
        for (int k = 0; k < out.length; k++) {
            int off = t.offset();
            for (int d = 0; d < shape.length; d++) off += idx[d] * st[d];
            out[k] = all[off];
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return out;
    }

    @Test
    void transposedSourcesCopyExactly() {
        Random r = new Random(3);
        int[][] shapes = {{40, 33}, {32, 32}, {3, 70, 45}, {2, 2, 31, 64}, {100, 17}};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : shapes) {
                int n = Shapes.numel(shape);
                double[] v = new double[n + 5];
                for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
                // A contiguous [.., b, a] base (offset 5) seen as [.., a, b] through a transpose of its last two dims.
                int[] base = shape.clone();
                base[shape.length - 1] = shape[shape.length - 2];
                base[shape.length - 2] = shape[shape.length - 1];
                Tensor flat = Tensor.of(v, v.length).to(dt);
                Tensor src = new Tensor(flat.storage(), base, Shapes.contiguousStrides(base), 5).transpose(shape.length - 2, shape.length - 1);
                Tensor dst = Tensor.zeros(dt, Device.CPU, shape);
                StridedCopy.copy(src, dst);
                assertArrayEquals(reference(src), dst.toDoubleArray(), 0.0, dt + " " + Shapes.str(shape));
                // and into a destination that is itself a narrowed view (row stride larger than its width)
                int[] wide = shape.clone();
                wide[shape.length - 1] += 3;
                Tensor big = Tensor.zeros(dt, Device.CPU, wide);
                Tensor view = big.narrow(shape.length - 1, 2, shape[shape.length - 1]);
                StridedCopy.copy(src, view);
                assertArrayEquals(reference(src), reference(view), 0.0, "narrowed " + dt + " " + Shapes.str(shape));
            }
        }
    }
}
