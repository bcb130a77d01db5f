package org.uactn.core.backend.cpu;

import org.uactn.core.backend.BinaryOp;
import org.uactn.core.backend.Conv2dParams;
import org.uactn.core.backend.Pool2dParams;
import org.uactn.core.backend.UnaryOp;
import org.uactn.core.tensor.Tensor;

/** CPU kernels: gather, scatter and index_select. */
final class IndexKernels {
    private IndexKernels() {}

    static void gather(Tensor x, int dim, Tensor index, Tensor out) {
        throw new UnsupportedOperationException("cpu kernel gather: stub");
    }

    static void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        throw new UnsupportedOperationException("cpu kernel scatterAdd: stub");
    }

    static void scatter(Tensor out, int dim, Tensor index, Tensor src) {
        throw new UnsupportedOperationException("cpu kernel scatter: stub");
    }

    static void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        throw new UnsupportedOperationException("cpu kernel indexSelect: stub");
    }

    static void indexAdd(Tensor out, int dim, Tensor index, Tensor src) {
        throw new UnsupportedOperationException("cpu kernel indexAdd: stub");
    }
}
