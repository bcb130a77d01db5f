package org.uactn.core.backend;

import org.uactn.core.tensor.DType;
import org.uactn.core.tensor.Device;

/** A flat buffer of elements owned by one backend. Tensors are strided views over a storage. */
public interface Storage {
    DType dtype();

    /** Number of elements (not bytes). */
    int numel();

    Device device();
}
